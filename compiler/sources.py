"""Finding the YAML files to check (the only directory walking; reading bytes is done per file)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Source:
    """One input file: the name shown to users (posix, relative where possible) and its real path."""

    name: str
    path: Path
    kind: str  # "catalog" | "registry"


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


def discover(paths: list[str], base: Path | None = None) -> list[Source]:
    """Every YAML file under paths, sorted, each once; symlinks that leave their folder are refused."""
    base = (base or Path.cwd()).resolve()  # once, not per file
    found: dict[Path, Source] = {}
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise UsageError(f"路径不存在:{given}", f"no such path: {given}")
        if root.is_file():
            found.setdefault(root.resolve(), Source(display(root, base), root, kind_of(root.resolve())))
            continue
        real_root = root.resolve()
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            # os.walk does not enter linked folders, so below root only a linked file needs
            # resolving: a province is thousands of files, and resolve() is a syscall per part
            rel = os.path.relpath(dirpath, root)
            real_dir = real_root if rel == "." else real_root / rel
            shown = display(real_dir / "_", base).rpartition("/")[0]
            kind = kind_of(real_dir / "_")
            for filename in sorted(filenames):
                if not filename.endswith(YAML_SUFFIXES) or filename.startswith("."):
                    continue
                path = Path(dirpath, filename)
                linked = os.path.islink(path)
                real = path.resolve() if linked else real_dir / filename
                if real.is_relative_to(real_root):
                    name = f"{shown}/{filename}" if shown else filename
                    found.setdefault(real, Source(name, path, kind_of(real) if linked else kind))
    return sorted(found.values(), key=lambda s: s.name)


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
