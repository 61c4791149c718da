"""The project configuration gkml.yaml: found upward from the working directory (or named with
--config), read with gkml's own safe loader and checked against schema/config.schema.json like a
catalog, so its mistakes are positioned findings. Nothing here changes a file's own result: rule
levels and suppressions apply after the checks (compiler/suppress.py), ignore and registry choose
the inputs, and the config's digest is part of the run cache key."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .assess_config import settings as assess_settings
from .codes import CODES
from .diagnostics import Diagnostic, make
from .loader import parse
from .sources import UsageError, display

NAME = "gkml.yaml"
LEVELS = ("off", "warning", "error")
SITE_KEYS = ("host", "organizer", "contact", "site_code", "icp", "police", "logo")

PRODUCES = ("GK123", "GK124")


@dataclass(frozen=True)
class Config:
    """The effective project configuration; origins says where each value came from."""

    file: str = ""                       # the config's display name ("" when there is none)
    path: Path | None = None             # the config file itself (never checked as a catalog)
    root: Path | None = None             # the folder holding it: paths in it are relative to this
    levels: dict = field(default_factory=dict)     # code -> "off" | "warning" | "error"
    ignore: tuple[str, ...] = ()
    registry: Path | None = None
    site: dict = field(default_factory=dict)
    origins: dict = field(default_factory=dict)    # "rules.GK302" -> "gkml.yaml:3"
    diagnostics: tuple[Diagnostic, ...] = ()
    assess: dict = field(default_factory=dict)     # gkml assess: weights and due dates (compiler/assess_config.py)
    today: str = ""                      # the run date validity is judged on (compiler/validity.py)

    def digest_parts(self) -> tuple[str, ...]:
        """What of the config changes a check's inputs or findings (for cache keys)."""
        if not self.file:
            return ()
        return ("config", repr(sorted(self.levels.items())), repr(self.ignore), str(self.registry or ""))

    def ignored(self, path: Path) -> bool:
        """True when path (a file) matches one of the ignore patterns."""
        if not self.ignore or self.root is None:
            return False
        try:
            rel = path.parent.resolve().joinpath(path.name).relative_to(self.root).as_posix()
        except ValueError:
            return False
        return any(_pattern(p).fullmatch(rel) for p in self.ignore)


_PATTERNS: dict[str, re.Pattern] = {}


def _pattern(glob: str) -> re.Pattern:
    """A gitignore-like glob: * within a folder, ** across folders; a plain folder covers its files."""
    if glob not in _PATTERNS:
        text = glob.strip().strip("/")
        out = []
        i = 0
        while i < len(text):
            if text.startswith("**/", i):
                out.append("(?:.*/)?")
                i += 3
            elif text.startswith("**", i):
                out.append(".*")
                i += 2
            elif text[i] == "*":
                out.append("[^/]*")
                i += 1
            elif text[i] == "?":
                out.append("[^/]")
                i += 1
            else:
                out.append(re.escape(text[i]))
                i += 1
        _PATTERNS[glob] = re.compile("".join(out) + "(?:/.*)?")
    return _PATTERNS[glob]


def find(start: Path) -> Path | None:
    """gkml.yaml in start or the nearest folder above it, stopping at a repository's top (.git)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None


def load(explicit: str | None, base: Path) -> Config:
    """The configuration named by --config, else the one found upward from base, else defaults."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise UsageError(f"找不到配置文件 {explicit}(--config 应指向一个 gkml.yaml 文件)。",
                             f"configuration file {explicit} not found (--config names a gkml.yaml file).", option="--config")
    else:
        path = find(base)
        if path is None:
            return Config()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取配置文件 {path}:{exc.strerror or exc}",
                         f"cannot read the configuration file {path}: {exc.strerror or exc}", option="--config") from exc
    return from_bytes(raw, display(path, base.resolve()), path.resolve())


def from_bytes(raw: bytes, name: str, path: Path) -> Config:
    """Parse and check a configuration; with any error the defaults apply and the errors are reported."""
    from .schema import validate  # the schema module pulls in jsonschema on failure only
    root = path.parent
    parsed = parse(raw, name)
    diagnostics = list(parsed.diagnostics)
    data = parsed.data
    if data is not None:
        diagnostics.extend(validate(parsed, "config"))
    rules = data.get("rules") if isinstance(data, dict) else None
    rules = rules if isinstance(rules, dict) else {}
    for code in rules:
        if code not in CODES:
            diagnostics.append(unknown_code(code, parsed.file, parsed.mark(("rules", code), key=True), ("rules", code)))
    if not isinstance(data, dict) or any(d.severity.value == "error" for d in diagnostics):
        return Config(file=name, path=path, root=root, diagnostics=tuple(diagnostics))

    def where(path: tuple) -> str:
        return f"{name}:{parsed.mark(path)[0] + 1}"

    levels, origins = {}, {}
    for code, level in rules.items():
        if code not in CODES:
            continue
        levels[code] = level
        origins[f"rules.{code}"] = where(("rules", code))
    ignore = tuple(data.get("ignore") or ())
    if ignore:
        origins["ignore"] = where(("ignore",))
    registry = None
    if "registry" in data:
        registry = _inside(root, data["registry"], parsed, ("registry",), diagnostics, folder=True)
        origins["registry"] = where(("registry",))
    site = dict(data.get("site") or {})
    for key in site:
        origins[f"site.{key}"] = where(("site", key))
    if "logo" in site:
        _inside(root, site["logo"], parsed, ("site", "logo"), diagnostics, folder=False)
    assess = dict(data.get("assess") or {})
    for key, value in assess.items():
        for sub in (value if isinstance(value, dict) else {None: None}):
            at = ("assess", key) if sub is None else ("assess", key, sub)
            origins[".".join(map(str, at))] = where(at)
    today = str(data.get("today") or "")
    if today:
        origins["today"] = where(("today",))
    return Config(name, path, root, levels, ignore, registry, site, origins, tuple(diagnostics), assess=assess,
                  today=today)


def unknown_code(code: str, file: str, mark: tuple[int, int], path: tuple = ()) -> Diagnostic:
    """GK123: code is not in the code table (with the nearest code, when one is close)."""
    from .schema import suggest
    guess = suggest(str(code).upper().replace(" ", ""), list(CODES), 0.7)
    return make("GK123", file, mark, path, unknown=code,
                suggestion=f",是不是 {guess}?" if guess else "", suggestion_en=f", did you mean {guess}?" if guess else "")


def _inside(root: Path, value: str, parsed, path: tuple, diagnostics: list, folder: bool) -> Path | None:
    """root/value when it exists (a folder or a file) inside root, else a GK124 finding."""
    target = (root / value).resolve()
    ok = target.is_relative_to(root) and (target.is_dir() if folder else target.is_file())
    if not ok:
        diagnostics.append(make("GK124", parsed.file, parsed.mark(path), path, key=".".join(path), value=value,
                                kind="目录" if folder else "文件", kind_en="folder" if folder else "file"))
        return None
    return target


def effective(config: Config) -> list[tuple[str, str, str]]:
    """(setting, value, where it came from) for every setting, defaults included, for `gkml config`."""
    source = config.origins
    rows = [("config", config.file or "(无)", "--config / 向上查找" if config.file else "默认")]
    for code in sorted(config.levels):
        rows.append((f"rules.{code}", config.levels[code], source[f"rules.{code}"]))
    rows.append(("ignore", ", ".join(config.ignore) or "[]", source.get("ignore", "默认")))
    registry = str(config.registry) if config.registry else "(在检查的目录中或其上方查找 registry/)"
    rows.append(("registry", registry, source.get("registry", "默认")))
    rows.append(("today", config.today or "(运行当天)", source.get("today", "默认")))
    for key in SITE_KEYS:
        rows.append((f"site.{key}", str(config.site.get(key, "")) or "(空)", source.get(f"site.{key}", "默认")))
    rows.extend((name, value, source.get(name, "默认")) for name, value in assess_settings(config.assess))
    return rows
