"""Codes of the authoring features (GK12x): suppression comments and the project configuration.

Same fields as compiler.codes.Code; the producers are compiler/suppress.py and compiler/config.py.
"""
from __future__ import annotations

from .codebook import Code

TABLE: list = [
    Code("GK121", "suppression-without-reason", "error",
         "抑制注释“gkml: {directive}={codes}”没有写理由,因此不起作用",
         "the suppression 'gkml: {directive}={codes}' gives no reason, so it does not apply",
         "在代码后写明为什么可以忽略,如:# gkml: disable=GK302 本事项时限由省级文件另行规定",
         "write why the finding may be ignored after the codes, e.g. # gkml: disable=GK302 the time limit is set by a provincial notice",
         doc_zh="抑制注释 # gkml: disable=代码 必须写明理由。\n"
                "没有理由的抑制不生效,原来的诊断照常报告:忽略一个问题的人要说明为什么,审核的人才看得懂。",
         doc_en="A # gkml: disable=CODE comment must say why.\n"
                "Without a reason it does not apply and the finding is still reported: whoever ignores a problem says why, so a reviewer can judge it.",
         bad="items:\n  - id: 341321-sa-001  # gkml: disable=GK302\n    matter: 最低生活保障\n",
         good="items:\n  - id: 341321-sa-001  # gkml: disable=GK302 时限由省级文件另行规定\n    matter: 最低生活保障\n"),
    Code("GK122", "unused-suppression", "warning",
         "抑制注释“gkml: {directive}={target}”没有抑制任何诊断", "the suppression 'gkml: {directive}={target}' suppresses nothing",
         "问题已经修正时删除这条注释;否则检查代码和注释所在的行。",
         "delete the comment if the problem was fixed; otherwise check the code and the line it is on.",
         doc_zh="一条抑制注释没有抑制任何诊断。\n问题已经修正,或者代码、注释所在的行写错了;留着它会在问题再次出现时悄悄掩盖。",
         doc_en="A suppression comment matched no finding.\n"
                "The problem was fixed, or the code or the line is wrong; left in place it would silently hide the problem if it came back."),
    Code("GK123", "unknown-code", "warning",
         "诊断代码“{unknown}”不存在{suggestion}", "there is no diagnostic code '{unknown}'{suggestion_en}",
         "用 gkml rules 查看全部代码。", "run gkml rules to list every code.",
         doc_zh="gkml.yaml 的 rules 或 # gkml: disable= 注释写了不存在的诊断代码。\n这一项不起作用;通常是代码拼错了。",
         doc_en="gkml.yaml's rules or a # gkml: disable= comment names a code that does not exist.\nThe entry does nothing; usually the code is misspelt."),
    Code("GK124", "config-path-missing", "error",
         "配置项 {key} 指向的{kind}“{value}”不存在或在仓库之外", "{key} names a {kind_en} '{value}' that does not exist or is outside the repository",
         "写相对于 gkml.yaml 所在目录的路径,并确认它存在。", "write a path relative to the folder of gkml.yaml, and check that it exists.",
         doc_zh="gkml.yaml 中的路径(registry、site.logo)不存在,或指向仓库之外。\n配置只能引用仓库内的文件和目录。",
         doc_en="A path in gkml.yaml (registry, site.logo) does not exist or leaves the repository.\nThe configuration may only name files and folders inside the repository."),
]
