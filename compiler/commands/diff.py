"""`gkml diff [OLD [NEW]]`: what changed between two revisions or folders, classified 增加/取消/变更."""
from __future__ import annotations

from pathlib import Path

import click

from ..atomic import write_bytes

from .common import emit, guarded, lang_option, output_option, today, today_option
from ..history.render import RENDERERS
from ..history.run import diff_specs
from ..history.sides import WORKTREE
from ..sources import UsageError


@click.command("diff")
@click.argument("old", required=False, default="HEAD")
@click.argument("new", required=False, default=WORKTREE)
@click.option("--format", "fmt", type=click.Choice(sorted([*RENDERERS, "xlsx"])), default="text", show_default=True,
              help="输出格式 (output format);xlsx 为目录调整情况表,须同时给出 --output。")
@click.option("--path", "root", default="catalogs", show_default=True,
              help="比较 git 修订版本时的目录文件夹(相对当前文件夹)。")
@click.option("--record", is_flag=True, help="把未登记的调整追加到各目录的 changes 中(理由留空,由编制人员补写)。")
@today_option   # the date --record writes into each changes entry, as validate and build judge validity by it
@lang_option
@output_option
@guarded
def diff(old, new, fmt, root, record, lang, output):
    """比较两个版本的目录:OLD、NEW 是 git 修订版本或文件夹(省略 NEW 为工作区,都省略为 HEAD 与工作区)。"""
    if fmt == "xlsx" and not output:
        raise UsageError("--format xlsx 须用 --output 指定工作簿文件名", "--format xlsx needs --output FILE.xlsx")
    loaded = diff_specs(old, new, root)
    if fmt == "xlsx":
        from ..history.xlsx import as_xlsx
        write_bytes(Path(output), as_xlsx(loaded.diff))
    else:
        emit(RENDERERS[fmt](loaded.diff, loaded.old_side.commit, loaded.new_side.commit, lang), output)
    if record:
        from ..history.record import record as write_record
        for file, count in write_record(loaded, today()):
            click.echo((f"{file}: recorded {count} change(s); fill in the reasons" if lang == "en" else
                        f"{file}:已登记 {count} 项调整,请补写理由(reason)"), err=True)


COMMANDS = [diff]
