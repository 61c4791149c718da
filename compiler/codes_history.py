"""Codes of catalogs over time (GK9xx): the `changes` record and `gkml validate --since`.

GK901–GK903 and GK910–GK912 compare the catalog with a git revision (validate --since); GK904–GK906
check the record alone; GK907–GK909 a catalog's validity (compiler/validity.py). Same record as every code table (compiler/codebook.py).
"""
from __future__ import annotations

from .codebook import Code

_RECORD = """version: "2024.2"
changes:
  - version: "2024.2"
    date: 2024-06-01
    entries:
      - {type: 变更, id: 341321-sa-002, fields: [time_limit], reason: 缩短公开时限}
"""

TABLE: list[Code] = [
    Code("GK901", "change-not-declared", "error",
         "事项 {id} 的{type}({fields})没有登记在本目录最新的调整记录(changes)中",
         "the {type_en} of item {id} ({fields}) is not declared in the catalog's newest changes entry",
         "在 changes 最新一条的 entries 中登记(type: {type}, id: {id}, reason: 理由),或执行 gkml diff {since} --record。",
         "declare it in the newest changes entry (type: {type}, id: {id}, reason: why), or run gkml diff {since} --record.",
         doc_zh='调整记录:与 --since 指定的版本相比,事项发生了增加、取消或变更,但本目录最新一条调整记录没有登记。\n'
                '目录实行动态调整,“谁公开、谁调整、谁负责”,每项调整都要可追溯并报政务公开办(seed 001、002、003)。',
         doc_en='Change record: compared with the --since revision an item was added, cancelled or changed, and the '
                "catalog's newest changes entry does not declare it.\n"
                'Catalogs are adjusted dynamically and every adjustment must be traceable and reported (seeds 001-003).',
         fix_zh='在 changes 最新一条的 entries 中登记(type: 调整类型, id: 事项编号, reason: 理由),'
                '或执行 gkml diff 修订版本 --record 后补写理由。',
         fix_en='declare it in the newest changes entry (type: 增加/取消/变更, id: the item id, reason: why), '
                'or run gkml diff REV --record and fill in the reasons.', good=_RECORD),
    Code("GK902", "declared-change-missing", "error",
         "调整记录登记了事项 {id} 的{type},但与 {since} 相比并没有这项调整",
         "the changes record declares the {type_en} of item {id}, but no such change happened since {since}",
         "删除这一条登记,或核对事项编号和调整类型。", "remove this entry, or check its item id and type.",
         doc_zh='调整记录:最新一条调整记录登记的增加、取消或变更,与 --since 指定的版本相比并没有发生。\n'
                '登记与实际不符,上报的调整情况就不可信。',
         doc_en='Change record: the newest changes entry declares an addition, cancellation or change that did not '
                'happen since the --since revision.\nA record that disagrees with the catalog cannot be reported.'),
    Code("GK903", "version-unchanged", "error",
         "目录的事项有调整,但版本号 version 仍是 {version}", "the catalog's items changed but its version is still {version}",
         "修改 version 并以新版本号登记本次调整:{version} → 新版本号。",
         "change version and declare this adjustment under the new number: {version} → a new number.",
         doc_zh='调整记录:与 --since 指定的版本相比目录的事项有调整,但版本号没有变。\n'
                '每次调整都是目录的一个新版本,版本号用来追溯调整。',
         doc_en="Change record: the catalog's items changed since the --since revision but its version did not.\n"
                'Each adjustment is a new version of the catalog; the version is how adjustments are traced.',
         fix_zh='修改 version 并以新版本号登记本次调整:在 changes 中加一条该版本的记录。',
         fix_en='change version and declare this adjustment under the new number: add a changes entry for it.'),
    Code("GK904", "change-reason-missing", "error",
         "事项 {id} 的{type}没有写调整理由(reason)", "the {type_en} of item {id} has no reason",
         "写明理由:新法施行、依据废止、职责调整、上级目录调整、合并或拆分等。",
         "state the reason: a new law, a repealed basis, a transfer of duties, the upper level's change, a merger or split.",
         doc_zh='调整记录:取消和变更必须写明理由(reason)。\n'
                '调整情况表上报时每项调整都要有理由和依据;gkml diff --record 追加的条目理由留空,由编制人员补写。',
         doc_en='Change record: a cancellation or change must state its reason.\n'
                'The adjustment table sent upward gives a reason for each change; entries added by gkml diff --record '
                'leave it blank for the author.',
         bad=_RECORD.replace(", reason: 缩短公开时限", ""), good=_RECORD),
    Code("GK905", "changes-order", "error",
         "调整记录{problem}", "the changes record {problem_en}",
         "调整记录按日期从早到晚排列,每个版本只登记一次。", "list changes entries oldest first, each version once.",
         doc_zh='调整记录:changes 按日期从早到晚排列,版本号不重复,最新一条是当前版本。\n'
                'gkml 以最后一条为本次调整的登记,顺序错了就会对照错的条目。',
         doc_en='Change record: changes entries run oldest first, versions unique.\n'
                'gkml reads the last entry as the declaration of the current adjustment.'),
    Code("GK906", "changes-unknown-id", "error",
         "调整记录中{type}的事项 {id} {problem}", "item {id} {type_en} in the changes record {problem_en}",
         "核对事项编号;已取消的事项不应再出现在 items 中,增加或变更的事项应在 items 中。",
         "check the id: a cancelled item must be gone from items, an added or changed one present.",
         doc_zh='调整记录:登记为增加或变更的事项应在目录中,登记为取消的事项不应在目录中(除非之后又增加)。\n'
                '不需要 git 也能检查的一致性:登记的编号必须是现有或曾有的事项。',
         doc_en='Change record: an item declared added or changed must be in the catalog, one declared cancelled '
                'must not (unless added again later).\nThis consistency needs no git: declared ids exist or existed.'),
    Code("GK907", "catalog-not-in-force", "warning",
         "本目录在 {today} {label}:仍会发布并标注,但不计入覆盖情况和重复检查",
         "on {today} this catalog is {label_en}: still published and marked, but not counted for coverage or duplicates",
         "目录已被取代的,保留即可;否则核对 effective、expires 和 repealed,或用 --today 指定检查日期。",
         "a superseded catalog may stay as it is; otherwise check effective, expires and repealed, or give --today.",
         doc_zh='有效性:目录在运行日期(--today、gkml.yaml 的 today 或当天)尚未生效、已失效或已废止。\n'
                '文件有有效性、生效时间和废止时间(seed 002);失效或尚未生效的目录不代表现行公开要求,'
                '它与接替它的目录并存是正常的,因此不计入覆盖和重复检查,门户上标注“未生效”“已失效”或“已废止”。',
         doc_en='Validity: the catalog is not yet in force, expired or repealed on the run date (--today, gkml.yaml\'s '
                'today, or the real date).\nDocuments carry a validity with effective and end dates (seed 002); a '
                'catalog out of force is not the current requirement, may stand beside its successor, is not counted '
                'for coverage or duplicates, and is marked on the portal.',
         good='effective: "2024-01-01"\n', bad='effective: "2022-01-01"\nexpires: "2023-01-01"\n'),
    Code("GK908", "repealed-before-effective", "error",
         "提前废止日期 {repealed} 不晚于生效时间 {effective}", "repealed {repealed} is not after effective {effective}",
         "核对两个日期:提前废止日期应晚于生效时间;从未生效的目录应删除而不是废止。",
         "check both dates: repealed must come after effective; a catalog never in force is removed, not repealed.",
         doc_zh='有效性:目录的提前废止日期(repealed)必须晚于生效时间(effective),且不晚于废止时间(expires)才有意义。',
         doc_en='Validity: a catalog\'s repealed date comes after its effective date.',
         bad='effective: "2024-05-01"\nrepealed: "2024-01-01"\nrepeal_reason: 被新目录取代\n',
         good='effective: "2024-01-01"\nrepealed: "2024-05-01"\nrepeal_reason: 被新目录取代\n'),
    Code("GK909", "repeal-reason-missing", "warning",
         "目录提前废止({repealed})但没有写废止理由(repeal_reason)", "the catalog is repealed ({repealed}) without a repeal_reason",
         "在 repeal_reason 写明理由,如“被2024年版目录取代”“上级目录调整”。",
         "state the reason in repeal_reason, e.g. replaced by the 2024 catalog.",
         doc_zh='有效性:提前废止的目录要写明理由,门户上与废止日期一同显示(谁调整、谁负责,seed 001)。',
         doc_en='Validity: a repealed catalog states why; the portal shows it beside the date (seed 001).',
         bad='repealed: "2024-05-01"\n', good='repealed: "2024-05-01"\nrepeal_reason: 被新目录取代\n'),
    Code("GK910", "declared-field-unchanged", "error",
         "调整记录登记了事项 {id} 的要素 {field} 有变更,但与 {since} 相比它没有变(实际变更的要素:{changed})",
         "the changes record declares field {field} of item {id} changed, but it did not change since {since} "
         "(fields that changed: {changed})",
         "从该条登记的 fields 中删去{field},或核对要素名(实际变更的要素:{changed})。",
         "remove {field} from fields, or check the field name (fields that changed: {changed}).",
         doc_zh='调整记录:一项变更登记的要素(fields)中,有的与 --since 指定的版本相比并没有改动。\n'
                '上报的调整内容要与目录实际的改动一致,登记了却没改的要素会误导下级和公众。',
         doc_en='Change record: a declared 变更 names a field (fields) that did not change since the --since revision.\n'
                'The adjustment reported upward must match what the catalog really changed.',
         fix_zh='从该条登记的 fields 中删去没有改动的要素,或改成实际变更的要素名(gkml diff 修订版本 可列出)。',
         fix_en='remove the unchanged field from the entry\'s fields, or name the field that really changed (gkml diff REV lists them).'),
    Code("GK911", "changed-field-undeclared", "error",
         "事项 {id} 的要素 {fields} 与 {since} 相比有变更,但调整记录的 fields 没有登记",
         "fields {fields} of item {id} changed since {since} but the changes record's fields do not declare them",
         "在该条登记的 fields 中加上{fields}(并可在 values 中写明原值和新值),或执行 gkml diff {since} --record。",
         "add {fields} to the entry's fields (and their old and new values to values), or run gkml diff {since} --record.",
         doc_zh='调整记录:一项变更已登记,但与 --since 指定的版本相比改动了的要素没有全部写进 fields。\n'
                '每项调整都要可追溯(seed 001、002、003):上报的调整内容要列出每个改动的要素及其原值和新值。',
         doc_en='Change record: a 变更 is declared, but not every field that changed since the --since revision is in its fields.\n'
                'Every adjustment is traceable (seeds 001-003): the report lists each changed field with its old and new values.',
         fix_zh='在该条登记的 fields 中加上漏登的要素,或执行 gkml diff 修订版本 --record 由 gkml 登记。',
         fix_en='add the missing fields to the entry\'s fields, or run gkml diff REV --record.',
         good=_RECORD),
    Code("GK912", "recorded-value-wrong", "error",
         "调整记录中事项 {id} 要素 {field} 的{side_zh}写的是 {written},与 {since} 相比实际是 {real}",
         "the changes record gives {written} as the {side} value of field {field} of item {id}; since {since} it is {real}",
         "把{side_zh}改为 {real},或删去这条 values 由 gkml diff {since} --record 重新登记。",
         "write {real} as the {side} value, or remove this values entry and run gkml diff {since} --record.",
         doc_zh='调整记录:values 中写明的变更前后的值(原值 old、新值 new)与 --since 指定的版本和当前目录的实际值不符。\n'
                '门户的更新记录和上报的目录调整情况表显示这些值,写错了就是错误的公开。',
         doc_en="Change record: an old or new value written in values is not the real one (the --since revision's, the catalog's).\n"
                "The portal's 更新记录 and the adjustment table show these values.",
         fix_zh='把 values 中的原值、新值改成实际的值,或删去这条 values 后执行 gkml diff 修订版本 --record。',
         fix_en='write the real old or new value in values, or remove the values entry and run gkml diff REV --record.'),
]
