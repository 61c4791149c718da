"""Command-line errors in the reader's language: click's own messages are English only."""
from __future__ import annotations

import click


def _hint(exc: click.UsageError) -> str:
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if hint is None and param is not None:
        hint = param.get_error_hint(exc.ctx) if exc.ctx is not None else param.name
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    return hint or "参数"


def usage_text(exc: click.UsageError, lang: str = "zh") -> str:
    """The message of a command-line error: Chinese (click's English with lang='en'), with what to do."""
    if lang == "en":
        return exc.format_message()
    command = exc.ctx.command_path if exc.ctx is not None else "gkml"
    help_line = f"查看用法:{command} --help"
    if isinstance(exc, click.NoSuchOption):
        guess = f"是不是 {', '.join(sorted(exc.possibilities))}?" if exc.possibilities else ""
        return f"没有选项 {exc.option_name}。{guess}{help_line}"
    if isinstance(exc, click.MissingParameter):
        return f"缺少 {_hint(exc)}。{help_line}"
    if isinstance(exc, click.BadParameter):
        param = exc.param
        kind = getattr(param, "type", None)
        if isinstance(kind, click.Choice):
            value = _given(exc)
            return f"{_hint(exc)} 的值“{value}”无效,可选值为:{'、'.join(map(str, kind.choices))}。"
        if isinstance(kind, click.Path):
            return f"{_hint(exc)} 的值无效:{_path_problem(exc)}"
        return f"{_hint(exc)} 的值无效:{exc.message}。{help_line}"
    if isinstance(exc, click.BadOptionUsage):
        return f"选项 {exc.option_name} 用法错误:{exc.message}。{help_line}"
    if isinstance(exc, click.BadArgumentUsage):
        return f"参数用法错误:{exc.message}。{help_line}"
    return f"用法错误:{exc.message}。{help_line}"


def _given(exc: click.BadParameter) -> str:
    # click's Choice message quotes the value first: "'nonsense' is not one of ..."
    message = exc.message
    if message.startswith("'") and "'" in message[1:]:
        return message[1:message.index("'", 1)]
    return message


def _path_problem(exc: click.BadParameter) -> str:
    # click.Path names the file in its message: "Directory 'x' is a file." / "File 'x' does not exist."
    message = exc.message
    name = message.split("'")[1] if message.count("'") >= 2 else ""
    if "is a file" in message:
        return f"“{name}”是一个文件,这里需要目录。"
    if "is a directory" in message:
        return f"“{name}”是一个目录,这里需要文件。"
    if "does not exist" in message:
        return f"“{name}”不存在。"
    if "not readable" in message or "not writable" in message:
        return f"“{name}”没有读写权限。"
    return message
