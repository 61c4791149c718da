"""Finding the YAML files to check (the only directory walking; reading bytes is done per file)."""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Source:
    """One input file: the name shown to users (posix, relative where possible) and its real path."""

    name: str
    location: str | os.PathLike  # where it is read from (a plain string from discover: see _walk)
    kind: str  # "catalog" | "registry"
    problem: str = ""  # why it is not read (a link loop, dangling or leaving the folder; a folder named *.yaml)

    @property
    def path(self) -> Path:
        """Where the file is read from, as a Path."""
        return Path(self.location)

    def read_bytes(self) -> bytes:
        """The file's bytes; OSError (with the reason in Chinese) for a path that must not be read."""
        if self.problem:
            raise OSError(errno.EPERM, self.problem)
        with open(self.location, "rb") as fh:
            return fh.read()

    def stat(self) -> os.stat_result:
        """The file's stat; OSError for a path that must not be read."""
        if self.problem:
            raise OSError(errno.EPERM, self.problem)
        return os.stat(self.location)


class UsageError(Exception):
    """A problem with how gkml was called (exit code 2): the message in Chinese, and in English for
    --lang en; option names the option at fault (where the error report must not be written)."""

    def __init__(self, zh: str, en: str = "", option: str = "") -> None:
        super().__init__(zh)
        self.en = en
        self.option = option

    def text(self, lang: str = "zh") -> str:
        """The message in lang (Chinese where no English is given)."""
        return self.en if lang == "en" and self.en else str(self)


def display(path: Path, base: Path) -> str:
    """Posix path relative to base (an already resolved folder) when inside it, else absolute."""
    # resolve the folder only: a linked file keeps the name the user sees in the folder
    real = path.parent.resolve() / path.name
    try:
        return real.relative_to(base).as_posix()
    except ValueError:
        return real.as_posix()


def kind_of(path: Path) -> str:
    """Registry files live in a folder called registry; everything else is a catalog."""
    return "registry" if "registry" in path.parent.parts[-1:] else "catalog"


def _link_problem(path: Path, real_root: Path, what: str = "文件") -> tuple[Path | None, str]:
    """A link's real path, or why it is not read: a loop, a missing target, a target outside root."""
    try:
        real = path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way
        return None, "符号链接形成循环(链接最终指向它自己),请删除或改正这个链接"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "符号链接形成循环(链接最终指向它自己),请删除或改正这个链接"
        return None, f"链接指向的{what}不存在({os.readlink(path)}),请删除这个链接或恢复它指向的{what}"
    if not real.is_relative_to(real_root):
        return real, f"链接指向检查的文件夹之外({real}),为安全起见不读取;请把{what}复制到检查的文件夹内"
    return real, ""


def discover(paths: list[str], base: Path | None = None) -> list[Source]:
    """Every YAML file under paths, sorted, each once; what must not be read is a Source with a problem."""
    # a link that loops, dangles or leaves its folder, and a folder named *.yaml, are read as a
    # GK111 finding rather than left out silently
    base = (base or Path.cwd()).resolve()  # once, not per file
    found: dict[str, Source] = {}  # by real path: a file reached twice (through a link) counts once
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise UsageError(f"路径不存在:{given}", f"no such path: {given}")
        if root.is_file():
            found.setdefault(str(root.resolve()), Source(display(root, base), root, kind_of(root.resolve())))
            continue
        real_root = root.resolve()
        top = display(real_root / "_", base).rpartition("/")[0]
        _walk(str(root), str(real_root), top, kind_of(real_root / "_"), real_root, found)
    return sorted(found.values(), key=lambda s: s.name)


def _walk(folder: str, real: str, shown: str, kind: str, real_root: Path, found: dict) -> None:
    """Add the YAML files below folder (real: its resolved path; shown: its name for users) to found."""
    # os.scandir's entries know from the directory listing whether they are links or folders, so a
    # province's 15,000 files cost no stat and no Path parsing each (walking was 0.3 s of a 1 s
    # warm re-check at full scale, now 0.05 s); os.walk likewise does not enter linked folders
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:  # an unreadable folder is skipped, as os.walk does
        return
    folders = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        link = entry.is_symlink()
        try:
            folder_entry = entry.is_dir()
        except OSError:
            folder_entry = False
        if folder_entry:
            label = f"{shown}/{name}" if shown else name
            if link:  # not entered: its files count only if inside root (walked there)
                problem = _link_problem(Path(entry.path), real_root, "文件夹")[1]
                if problem:
                    found.setdefault(entry.path, Source(label, entry.path, kind, problem))
                continue
            if name.endswith(YAML_SUFFIXES):
                found.setdefault(entry.path, Source(label, entry.path, kind,
                                                    "这是一个文件夹,不是 YAML 文件;请改名(文件夹名不以 .yaml 结尾)"))
            folders.append((entry.path, f"{real}/{name}", label, "registry" if name == "registry" else "catalog"))
        elif name.endswith(YAML_SUFFIXES):
            label = f"{shown}/{name}" if shown else name
            if link:
                resolved, problem = _link_problem(Path(entry.path), real_root)
                if problem:
                    found.setdefault(entry.path, Source(label, entry.path, kind, problem))
                    continue
                found.setdefault(str(resolved), Source(label, entry.path, kind_of(resolved)))
            else:
                found.setdefault(f"{real}/{name}", Source(label, entry.path, kind))
    for path, real_dir, label, sub_kind in folders:
        _walk(path, real_dir, label, sub_kind, real_root, found)


def find_registry(paths: list[str]) -> list[Path]:
    """The registry folder for the given inputs: <input>/registry, or a registry/ beside or above them."""
    seen: list[Path] = []
    for given in paths:
        start = Path(given).resolve()
        start = start if start.is_dir() else start.parent
        for folder in (start, *start.parents):
            candidate = folder / "registry"
            if candidate.is_dir():
                if candidate not in seen:
                    seen.append(candidate)
                break
            if (folder / ".git").exists():
                break
    return seen
