"""Review-report entries: what the import normalised, inferred or could not map, and where."""
from __future__ import annotations

from dataclasses import dataclass

from ..codes import CODES, render


@dataclass(frozen=True, slots=True)
class Note:
    """One entry of the review report: a GK8xx code, the source place (表1!C12) and message arguments."""

    code: str
    file: str
    place: str                       # "Sheet1!C12", "表2!B5", or "" for the whole file
    args: tuple[tuple[str, str], ...]
    item: str | None = None          # id of the imported item, when the note is about one
    output: str = ""                 # the YAML file the note's catalog was written to

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    @property
    def name(self) -> str:
        return CODES[self.code].name

    def message(self, lang: str = "zh") -> str:
        """The note's message in zh or en."""
        return render(self.code, "message", lang, dict(self.args))

    def hint(self, lang: str = "zh") -> str:
        return render(self.code, "hint", lang, dict(self.args))

    def sort_key(self) -> tuple:
        sheet, _, ref = self.place.rpartition("!")
        row = col = -1
        if ref and ref[0].isalpha() and ref[-1].isdigit():
            from .grid import parse_ref
            row, col = parse_ref(ref)
        return (self.file, self.output, sheet, row, col, self.place, self.code, self.args)


def note(code: str, file: str, place: str, item: str | None = None, **args: object) -> Note:
    """Build a note (arguments become strings, sorted for determinism)."""
    if code not in CODES:
        raise KeyError(code)
    return Note(code, file, place, tuple(sorted((k, "" if v is None else str(v)) for k, v in args.items())), item)


class ImportRefused(Exception):
    """A file gkml will not import (damaged, encrypted, hostile, no catalog header): exit code 2."""

    def __init__(self, code: str, file: str, **args: object):
        super().__init__(code)
        self.code = code
        self.file = file
        self.args_ = {k: "" if v is None else str(v) for k, v in args.items()}

    def message(self, lang: str = "zh") -> str:
        return render(self.code, "message", lang, self.args_)

    def hint(self, lang: str = "zh") -> str:
        return render(self.code, "hint", lang, self.args_)

    def __str__(self) -> str:
        return f"{self.file}: {self.code} {self.message()}"
