"""`gkml explain CODE`: a code's documentation, from its record in the code table (the one home
of what a code checks, why and how to fix it, in Chinese and English), with the rule that reports it."""
from __future__ import annotations

from .codes import CODES


def reporting_rule(code: str) -> str:
    """The name of the rule that reports code ("" for the loader's, the schema's and the importer's)."""
    from .rules import all_rules
    return next((rule.name for rule in all_rules() if code in rule.codes), "")


def documentation(code: str, lang: str = "zh") -> tuple[str, str]:
    """(heading, text) documenting what code checks: the reporting rule (or ""), and the code's doc."""
    rule = reporting_rule(code)
    heading = (("Rule " if lang == "en" else "规则 ") + rule) if rule else ""
    return heading, CODES[code].doc(lang)


def explanation(code: str, lang: str = "zh") -> str:
    """The full text `gkml explain` prints: title, doc, rule, how to fix, examples."""
    entry = CODES[code]
    en = lang == "en"
    severity = entry.severity if en else {"error": "错误", "warning": "警告"}.get(entry.severity, "提示")
    heading, text = documentation(code, lang)
    lines = [f"{code} {entry.name} ({severity})", entry.title(lang), "", text, ""]
    if heading:
        lines.append(heading)
    lines.append(("How to fix: " if en else "修改建议:") + entry.how_to_fix(lang))
    for label_en, label_zh, example in (("Failing example:", "反例(会报告此代码):", entry.bad),
                                        ("Passing example:", "正例:", entry.good)):
        if example:
            lines += ["", label_en if en else label_zh, "  " + example.rstrip("\n").replace("\n", "\n  ")]
    return "\n".join(lines) + "\n"


def producer_modules() -> list:
    """Every module of the compiler package that declares the codes it reports (PRODUCES)."""
    import importlib
    import pkgutil

    import compiler
    found = []
    for info in sorted(pkgutil.walk_packages(compiler.__path__, "compiler."), key=lambda i: i.name):
        if info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional feature whose dependency is missing declares nothing
            continue
        if hasattr(module, "PRODUCES"):
            found.append(module)
    return found
