"""`gkml fix [PATH…]`: apply the safe fixes the hints describe, keeping comments and layout."""
from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from .. import config as project_config
from ..atomic import write_bytes
from ..pipeline import Options, check
from ..sources import discover
from .common import EXIT_CATALOG, EXIT_OK, config_file, config_option, guarded, lang_option, today

BOM = b"\xef\xbb\xbf"


def _decode(raw: bytes) -> tuple[str, bool, bool] | None:
    """(text with \\n line ends, had a BOM, used \\r\\n), or None when not UTF-8."""
    bom = raw.startswith(BOM)
    try:
        text = raw[len(BOM):].decode("utf-8") if bom else raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    crlf = "\r\n" in text
    return (text.replace("\r\n", "\n") if crlf else text), bom, crlf


def _encode(text: str, bom: bool, crlf: bool) -> bytes:
    data = (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")
    return BOM + data if bom else data


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _project_findings(paths) -> dict:
    """The cross-catalog findings some fix answers (a citation of a repealed document), by file."""
    from ..fixes import fixable_codes
    from ..rules import project_rules
    wanted = fixable_codes() & {code for rule in project_rules() for code in rule.codes}
    if not wanted:
        return {}
    result = check(Options(paths=tuple(paths) or ("catalogs",), cache=False, config=config_file()), today())
    by_file: dict = {}
    for d in result.diagnostics:
        if d.code in wanted:
            by_file.setdefault(d.file, []).append(d)
    return by_file


@click.command("fix")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--diff", "show_diff", is_flag=True, help="只显示将要做的修改(统一差异格式),不写文件;有修改时退出码为 1。")
@config_option
@lang_option
@guarded
def fix_command(paths, show_diff, lang):
    """自动修正提示中描述的安全问题(别称、用、分隔的列表、文号〔〕、多余空格、全角数字、键名拼写),保留注释和格式。

    只修改给出的路径(默认 catalogs/)中的目录文件;无法解析的文件不动。
    """
    from ..fixer import fix_text  # ruamel.yaml costs ~20 ms to import: only for this command
    en = lang == "en"
    base = Path(".")
    config = project_config.load(config_file(), base)
    sources = [s for s in discover(list(paths) or ["catalogs"], base)
               if s.kind == "catalog" and s.path.name != project_config.NAME and not config.ignored(s.path)]
    cross = _project_findings(paths)
    changed = refused = fixes = 0
    for source in sources:
        raw = source.path.read_bytes()
        decoded = _decode(raw)
        if decoded is None:
            refused += 1
            click.echo(f"{source.name}: " + ("not UTF-8, left unchanged" if en else "不是 UTF-8 编码,未修改"), err=True)
            continue
        text, bom, crlf = decoded
        outcome = fix_text(text, source.name, project=tuple(cross.get(source.name, ())))
        if outcome.refused:
            refused += 1
            click.echo(f"{source.name}: {outcome.refused_en if en else outcome.refused}", err=True)
            continue
        if not outcome.changed or outcome.text == text:
            continue
        changed += 1
        fixes += len(outcome.applied)
        if show_diff:
            click.echo("".join(difflib.unified_diff(text.splitlines(True), outcome.text.splitlines(True),
                                                    f"a/{source.name}", f"b/{source.name}")), nl=False)
            continue
        write_bytes(source.path, _encode(outcome.text, bom, crlf))
        click.echo(f"{source.name}: " + (_count(len(outcome.applied), "fix", "fixes") if en else f"修正 {len(outcome.applied)} 处"))
        for code, title, line in sorted(outcome.applied, key=lambda a: (a[2] == 0, a[2], a[0])):
            where = f"{line}" if line else "-"
            click.echo(f"  {where:>5}  {code if code != 'tidy' else ''}  {title}")
    if en:
        verb = "would fix" if show_diff else "fixed"
        click.echo(f"gkml fix: {verb} {_count(fixes, 'problem', 'problems')} in {changed} of {_count(len(sources), 'file', 'files')}"
                   + (f"; {_count(refused, 'file', 'files')} left unchanged" if refused else "")
                   + (". Run gkml validate for what needs a person." if not show_diff else "."), err=show_diff)
    else:
        verb = "将修正" if show_diff else "已修正"
        click.echo(f"gkml fix:{verb} {len(sources)} 个文件中 {changed} 个文件的 {fixes} 处问题"
                   + (f";{refused} 个文件未修改" if refused else "")
                   + (";其余问题请用 gkml validate 查看并手工修改。" if not show_diff else "。"), err=show_diff)
    sys.exit(EXIT_CATALOG if refused or (show_diff and changed) else EXIT_OK)


COMMANDS = [fix_command]
