"""`gkml config` (the effective project configuration, and where each value came from) and
`gkml cache` (the result cache's size, limits and clearing)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import __version__, cache as result_cache
from .. import config as project_config
from .common import EXIT_CATALOG, EXIT_OK, config_file, config_option, guarded, lang_option
from ..reporters import REPORTERS, Report

_EN = {"默认": "default", "(无)": "(none)", "(空)": "(empty)", "--config / 向上查找": "--config / found upward",
       "(在检查的目录中或其上方查找 registry/)": "(registry/ beside or above the checked folder)"}


@click.command("config")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式 (output format)。")
@config_option
@lang_option
@guarded
def config_command(fmt, lang):
    """显示生效的项目配置(gkml.yaml)以及每个值的来源;配置有错误时退出码为 1。"""
    config = project_config.load(config_file(), Path("."))
    en = lang == "en"
    rows = [(key, _EN.get(value, value) if en else value, _EN.get(origin, origin) if en else origin)
            for key, value, origin in project_config.effective(config)]
    if fmt == "json":
        doc = {"config": config.file or None, "settings": [{"key": k, "value": v, "from": o} for k, v, o in rows],
               "diagnostics": len(config.diagnostics)}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        width = max(len(k) for k, _, _ in rows)
        for key, value, origin in rows:
            click.echo(f"{key:<{width}}  {value}  ({'from' if en else '来自'} {origin})")
    if config.diagnostics:
        report = Report(tuple(config.diagnostics), 1, 0, 0, False, __version__)
        click.echo(REPORTERS["text"]().render(report, lang), nl=False, err=True)
        sys.exit(EXIT_CATALOG)
    sys.exit(EXIT_OK)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


@click.command("cache")
@click.option("--info", "action", flag_value="info", default=True, help="显示缓存位置、大小和上限(默认)。")
@click.option("--clear", "action", flag_value="clear", help="删除全部缓存条目。")
@click.option("--prune", "action", flag_value="prune", help="立即按上限清理过期和最旧的条目。")
@lang_option
@guarded
def cache_command(action, lang):
    """结果缓存:查看(--info)、清理(--prune)或清空(--clear)。位置由 GKML_CACHE_DIR 决定,默认 ~/.cache/gkml。"""
    en = lang == "en"
    root = result_cache.default_dir()
    if action == "clear":
        files, size = result_cache.clear(root) if root.is_dir() else (0, 0)
        click.echo(f"cleared {files} entries ({_megabytes(size)}) from {root}" if en
                   else f"已从 {root} 删除 {files} 个缓存条目({_megabytes(size)})")
        return
    if action == "prune":
        files, size = result_cache.prune(root) if root.is_dir() else (0, 0)
        click.echo(f"pruned {files} entries ({_megabytes(size)}) from {root}" if en
                   else f"已从 {root} 清理 {files} 个缓存条目({_megabytes(size)})")
        return
    found = result_cache.entries(root) if root.is_dir() else []
    max_bytes, max_age = result_cache.limits()
    spaces: dict[str, list[int]] = {}
    for _mtime, size, space, _path in found:
        spaces.setdefault(space, [0, 0])
        spaces[space][0] += 1
        spaces[space][1] += size
    total = sum(size for _, size, _, _ in found)
    if en:
        click.echo(f"cache: {root}\nentries: {len(found)}, {_megabytes(total)}\n"
                   f"limits: {_megabytes(max_bytes)}, {max_age // 86400} days (GKML_CACHE_MAX_MB, GKML_CACHE_MAX_DAYS)")
    else:
        click.echo(f"缓存位置:{root}\n条目:{len(found)} 个,共 {_megabytes(total)}\n"
                   f"上限:{_megabytes(max_bytes)},{max_age // 86400} 天(环境变量 GKML_CACHE_MAX_MB、GKML_CACHE_MAX_DAYS)")
    for space in sorted(spaces):
        count, size = spaces[space]
        click.echo(f"  {space}: {count}, {_megabytes(size)}")


COMMANDS = [config_command, cache_command]
