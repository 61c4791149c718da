"""`gkml coverage`: the regions × key areas matrix, and with --legal the legal-floor gaps."""
from __future__ import annotations

import sys

import click

from ..coverage import RENDERERS, compute
from .common import (
    EXIT_CATALOG,
    EXIT_OK,
    emit,
    guarded,
    lang_option,
    output_option,
    run_check,
    with_cache_options,
)


@click.command("coverage")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True,
              help="输出格式 (output format)。")
@click.option("--legal", is_flag=True, help="同时列出每个地区没有事项引用的法定公开要求(条例第二十、二十一条)。")
@click.option("--strict", is_flag=True, help="法定公开要求有缺口时也以退出码 1 结束。")
@lang_option
@output_option
@with_cache_options
@guarded
def coverage(paths, fmt, legal, strict, lang, output, no_cache, jobs):
    """横向覆盖矩阵:每个地区 × 每个重点领域(有几项 / 缺失 / 有错误)。

    缺少登记表要求的目录、或目录有错误时退出码为 1;法定公开要求的缺口只列出,加 --strict 时也算失败。
    """
    result = run_check(tuple(paths), lang, False, no_cache, jobs)
    matrix = compute(result.project, result.diagnostics, legal=legal)
    emit(RENDERERS[fmt](matrix, lang), output)
    sys.exit(EXIT_CATALOG if matrix.failed(strict) else EXIT_OK)


COMMANDS = [coverage]
