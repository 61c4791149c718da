"""The portal's theme: the packaged templates, overridden file by file by the project's templates/ folder.

Like mkdocs' custom_dir: a templates/ folder in the project (beside catalogs/, where gkml.yaml
is) comes first in the Jinja2 loader, so a file there replaces the packaged file of the same
name and may extend it ({% extends "base.html" %} finds the packaged one when the project has
none). Static files likewise: templates/static/NAME replaces the packaged static/NAME, other
files there are copied too. Nothing outside the project is ever read: a path (or a symlink) in
the override that leads out of the project is refused before anything is built.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .. import __version__
from ..resources import templates_dir
from ..sources import UsageError
from ..vocabulary import LEVEL_NAMES
from .common import build_moment, channel_marks, source_epoch

FOLDER = "templates"          # the override folder's name in the project


@dataclass(frozen=True)
class Theme:
    """Where the templates come from: the packaged folder and the project's override (None: none)."""

    packaged: Path
    override: Path | None = None
    project: Path | None = None      # the project folder: nothing outside it is read

    def overrides(self, name: str) -> bool:
        """Whether the project's templates/ has its own file of this name."""
        return self.override is not None and (self.override / name).is_file()

    def folders(self) -> list[Path]:
        """The template folders, the one that wins first."""
        return [self.override, self.packaged] if self.override is not None else [self.packaged]

    def files(self) -> list[tuple[Path, Path]]:
        """(folder, file) of every template and static file, override first; each file once."""
        out, seen = [], set()
        for folder in self.folders():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                rel = path.relative_to(folder).as_posix()
                if rel not in seen:
                    seen.add(rel)
                    out.append((folder, path))
        return out

    def digest(self) -> str:
        """Hash of every file the theme renders with (names, bytes, which folder): any change rebuilds what uses it."""
        h = hashlib.blake2b(digest_size=16)
        for folder, path in sorted(self.files(), key=lambda fp: fp[1].relative_to(fp[0]).as_posix()):
            h.update(b"override\0" if folder == self.override else b"packaged\0")
            h.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            h.update(path.read_bytes())
        return h.hexdigest()

    def static_files(self, names: tuple[str, ...]) -> list[tuple[str, bytes]]:
        """(relative path, bytes) of the static files: the packaged names, replaced or added to by the override's static/."""
        files = {name: self.packaged / "static" / name for name in names}
        if self.override is not None and (self.override / "static").is_dir():
            folder = self.override / "static"
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                files[path.relative_to(folder).as_posix()] = path
        return [(f"static/{rel}", files[rel].read_bytes()) for rel in sorted(files)]


def packaged() -> Theme:
    """The packaged templates alone."""
    return Theme(templates_dir())


def load(project: Path | None) -> Theme:
    """The theme of a project folder: its templates/ folder over the packaged one; refuses paths leaving the project."""
    if project is None:
        return packaged()
    project = project.resolve()
    folder = project / FOLDER
    if folder.is_symlink() or not folder.is_dir():
        if folder.is_symlink():
            _outside(folder, project)
        return Theme(templates_dir(), project=project)
    if project == Path(__file__).resolve().parents[2]:
        return Theme(templates_dir(), project=project)     # gkml's own checkout: its templates/ are the packaged ones
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            _outside(path, project)
    return Theme(templates_dir(), folder, project)


def _outside(path: Path, project: Path) -> None:
    """Refuse a path of the override that resolves (through symlinks) outside the project."""
    try:
        path.resolve().relative_to(project)
    except ValueError:
        rel = path.relative_to(project).as_posix() if path.is_relative_to(project) else str(path)
        raise UsageError(
            f"模板覆盖 {rel} 指向项目目录之外({path.resolve()}),已拒绝;"
            f"请把该文件复制到 {FOLDER}/ 下,不要用指向项目之外的符号链接。",
            f"theme override {rel} leads outside the project ({path.resolve()}): refused; "
            f"copy the file into {FOLDER}/ instead of linking outside the project.") from None


class _ProjectLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that never opens a file resolving outside the project (a symlink made after load())."""

    def __init__(self, folder: Path, project: Path):
        super().__init__(str(folder), followlinks=False)
        self.project = project

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        _outside(Path(filename), self.project)
        return source, filename, uptodate


def environment(theme: Theme | None = None) -> jinja2.Environment:
    """The Jinja2 environment of the portal templates (override first; autoescaped, strict)."""
    theme = theme or packaged()
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(theme.packaged))]
    if theme.override is not None:
        loaders.insert(0, _ProjectLoader(theme.override, theme.project or theme.override.parent))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        # the templates do not change during a build: without this every {% include %} of a row
        # (the basis of 700,000 matters) stats its file again
        auto_reload=False,
    )
    env.globals.update(version=__version__, level_name=lambda lv: LEVEL_NAMES.get(lv, lv or ""),
                       channel_marks=channel_marks,
                       built=build_moment().date().isoformat() if source_epoch() is not None else "")
    return env


def place(where: str) -> str:
    """A template error's path:line as a user reads it: an override by its path from the working directory, a packaged file by name."""
    name, sep, line = where.rpartition(":")
    if not sep or not name:
        return where
    path = Path(name)
    try:
        path.resolve().relative_to(templates_dir().resolve())
        return f"{path.name}:{line}(gkml 自带模板 packaged)"
    except (ValueError, OSError):
        pass
    try:
        return f"{path.resolve().relative_to(Path.cwd().resolve()).as_posix()}:{line}"
    except (ValueError, OSError):
        return where


def error_message(exc: jinja2.TemplateError, where: str, out: str, lang: str) -> str:
    """The message of a template error: what and where, how to fix it, and that the previous build is kept."""
    if isinstance(exc, jinja2.UndefinedError):
        hint_zh, hint_en = ("模板使用了不存在的变量;请检查拼写,页面可用的变量见 docs/theme.md",
                            "the template uses a variable that does not exist; check its spelling (docs/theme.md lists them)")
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        hint_zh, hint_en = ("模板语法错误;请检查该行的 {% %} 与 {{ }} 标签是否写全、成对闭合(如 {% endblock %})",
                            "template syntax error; check that the line's {% %} and {{ }} tags are complete and closed")
    elif isinstance(exc, jinja2.TemplateNotFound):
        hint_zh, hint_en = ("找不到被引用的模板;请检查 extends / include 的文件名",
                            "a template it names is missing; check the names in extends / include")
    else:
        hint_zh, hint_en = "请修改该模板", "fix the template"
    if lang == "en":
        return f"gkml build: template error at {where}: {exc}; {hint_en}. Not built; {out} is unchanged."
    return f"gkml build:模板错误 (template error) {where}:{exc};{hint_zh}。未生成,{out} 保持不变。"
