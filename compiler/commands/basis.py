"""`gkml basis`: the document library with citation counts; --impact DOC; --unknown."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..atomic import write_bytes
from ..basis import impact, render, table, unknown
from .common import EXIT_OK, EXIT_USAGE, emit, guarded, lang_option, output_option, run_check, with_cache_options
from ..sources import UsageError


@click.command("basis")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "xlsx"]), default="text",
              show_default=True, help="输出格式 (output format);xlsx 需要 --output。")
@click.option("--impact", "wanted", metavar="DOC", help="列出引用该文件(编号或引用写法)的每个事项:地区、层级、文件:行。")
@click.option("--unknown", "unresolved", is_flag=True, help="列出文件库中找不到的公开依据,按名称汇总,引用最多的在前。")
@lang_option
@output_option
@with_cache_options
@guarded
def basis(paths, fmt, wanted, unresolved, lang, output, no_cache, jobs):
    """文件库:每个文件的效力状态和引用它的事项数。

    --impact 列出引用某个文件的全部事项(文件废止时要调整的范围);--unknown 列出无法对应到文件库的引用。
    """
    en = lang == "en"
    if wanted and unresolved:
        raise UsageError("--impact 和 --unknown 只能选一个", "--impact and --unknown cannot be combined", "--impact")
    if fmt == "xlsx" and not output:
        raise UsageError("--format xlsx 需要 --output 文件名", "--format xlsx needs --output FILE", "--format")
    # positions (file:line of each citation) come with a fresh model, never with a cached compact one
    result = run_check(tuple(paths), lang, False, True, jobs)
    project = result.project
    if wanted:
        doc, found = impact(project, wanted)
        if doc is None:
            click.echo(f"gkml: {'no library document matches' if en else '文件库中没有这个文件'}: {wanted}", err=True)
            sys.exit(EXIT_USAGE)
        out = render("impact", found, fmt, lang)
        summary = (f"{doc.cited()}: cited by {len(found)} items" if en else f"{doc.cited()}:{len(found)} 处引用")
    elif unresolved:
        groups = unknown(project)
        out = render("unknown", groups, fmt, lang)
        total = sum(len(ws) for _, ws in groups)
        summary = (f"{total} unresolved citations, {len(groups)} titles" if en else
                   f"{total} 处引用无法对应到文件库,共 {len(groups)} 个名称")
    else:
        rows = table(project)
        out = render("table", rows, fmt, lang)
        summary = (f"{len(rows)} documents" if en else f"文件库共 {len(rows)} 个文件")
    if isinstance(out, bytes):
        write_bytes(Path(output), out)
    else:
        emit(out + (summary + "\n" if fmt == "text" else ""), output)
    sys.exit(EXIT_OK)


COMMANDS = [basis]
