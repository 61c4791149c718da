"""Reading a 公开渠道和载体 cell: a ■/□ list, a numbered list or free text (pure)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import vocabulary
from .text import plain, strip_numbering

USED = "■"
OPTIONAL = "□"
# ☑ and ☐ are the same boxes drawn by Word; 口 is □ as OCR or a careless copy renders it.
_MARKS = {"■": USED, "☑": USED, "▣": USED, "◼": USED, "□": OPTIONAL, "☐": OPTIONAL, "◻": OPTIONAL, "口": OPTIONAL}
_MARK_RE = re.compile(r"[■☑▣◼□☐◻]|(?:(?<=^)|(?<=[\s、,,;;。■□]))口(?![岸径号令])")
_NUMBERED = re.compile(r"(?:(?:^|(?<=[\s、,,;;。]))(?:[0-9]{1,2}[.、.．)]|[(（][0-9]{1,2}[)）])|[①-⑳])")
_SEPARATORS = "\n、,,;;。 \t"
# Channels seen in real catalogs that are not template channels: kept as 其他:<name>.
GRASSROOTS_CHANNELS = ("12345政务服务热线", "明白纸", "大喇叭/应急广播", "微信群")   # canonical, after the template's twelve
KNOWN_OTHER = ("12345政务服务热线", "征地信息公开平台", "公共资源交易平台", "投资项目在线审批监管平台", "信用中国网站",
               "政务新媒体", "主流媒体")


@dataclass
class Channels:
    """The result of reading one channel cell."""

    used: list[str] = field(default_factory=list)
    optional: list[str] = field(default_factory=list)
    notes: list[tuple[str, dict]] = field(default_factory=list)   # (code, message args)
    unread: list[str] = field(default_factory=list)               # pieces that are not channels at all

    @property
    def changed(self) -> bool:
        """True when the cell was not already in gkml's own ■/□ form (its text is then kept in raw)."""
        return bool(self.notes or self.unread)


@lru_cache(maxsize=None)
def _canon_table() -> dict[str, str]:
    vocab = vocabulary.get("channel")
    table = {plain(c): c for c in vocab.canonical}
    for syn, canon in vocab.synonyms.items():
        table.setdefault(plain(syn), canon)
    return table


def resolve(name: str) -> tuple[str, str | None]:
    """(canonical channel, note code or None) for one channel name."""
    vocab = vocabulary.get("channel")
    table = _canon_table()
    key = plain(name)
    name = name.strip()
    if name.startswith("其他"):
        rest = name[2:]
        if not rest:
            return "其他", None
        if rest[0] in "::" and rest[1:].strip(" _＿"):
            return name, None                       # 其他:政务新媒体, exactly as written
        extra = rest.strip(" _＿:：()（）")
        if not extra:
            return "其他", "GK801"                  # 其他____ / 其他: (an empty blank of the template)
        return "其他:" + extra, "GK801"
    if name in vocab.canonical:
        return name, None
    if key in table:
        return table[key], "GK801"
    bare = re.sub(r"[(（][^()（）]*[)）]$", "", key)
    if bare != key and bare in table:
        return table[bare], "GK801"
    return "其他:" + name.strip(), "GK809"


@lru_cache(maxsize=4096)
def channel_label(text: str | None) -> str | None:
    """The channel a tick sub-column under 公开渠道和载体 stands for (政府网站, 公示栏 …), else None."""
    if not text or not text.strip():
        return None
    name, code = resolve(text.strip())
    return None if code == "GK809" else name


def _split_free(text: str) -> list[str]:
    """Pieces of a free-text list, never splitting inside brackets (两微一端(微博、微信、客户端))."""
    pieces, depth, buf = [], 0, ""
    for ch in text:
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(0, depth - 1)
        if depth == 0 and ch in _SEPARATORS:
            if buf.strip():
                pieces.append(buf.strip())
            buf = ""
        else:
            buf += ch
    if buf.strip():
        pieces.append(buf.strip())
    return pieces


def _known(piece: str) -> bool:
    _, code = resolve(piece)
    return code != "GK809" or piece.startswith("其他")


def parse(text: str) -> Channels:
    """Channels of one cell, with a note for everything normalised or inferred."""
    out = Channels()
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return out
    marks = list(_MARK_RE.finditer(text))
    entries: list[tuple[str | None, str]] = []   # (mark or None, name)
    if marks:
        if any(m.group(0) == "口" for m in marks):
            out.notes.append(("GK801", {"column": "公开渠道和载体", "found": "口", "value": "□"}))
        head = text[: marks[0].start()]
        for piece in _split_free(head):
            entries.append((None, piece))
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            body = text[m.end(): end].strip(_SEPARATORS)
            if not body:
                continue
            mark = _MARKS[m.group(0)]
            if body.startswith("其他"):
                entries.append((mark, body.strip()))   # 其他 takes the rest of its segment as free text
                continue
            pieces = _split_free(body)
            if len(pieces) > 1 and not all(_known(p) for p in pieces):
                pieces = [body.strip()]
            entries.append((mark, pieces[0]))
            for piece in pieces[1:]:
                entries.append((None, piece))       # a second name in one segment: its ■ was lost
    elif _NUMBERED.search(text):
        parts = [p for p in _NUMBERED.split(text) if p.strip(_SEPARATORS)]
        for part in parts:
            entries.append((USED, part.strip(_SEPARATORS)))
        out.notes.append(("GK808", {"column": "公开渠道和载体", "found": "1. 2. …"}))
    else:
        pieces = _split_free(text)
        entries.extend((USED, strip_numbering(p)) for p in pieces)
    names = [resolve(name)[0] for _, name in entries]
    # the national template printed whole (all thirteen, 其他 included): □ there means "not ticked";
    # the grassroots channels canonical since issue 21 are not in that template, so not required here
    template = set(vocabulary.get("channel").canonical) - set(GRASSROOTS_CHANNELS)
    full_list = bool(marks) and template <= set(names)
    if full_list:
        out.notes.append(("GK805", {}))
    for (mark, name), canon in zip(entries, names):
        if mark == OPTIONAL and (full_list or (canon == "其他" and name.strip() != "其他")):
            continue   # not used: the rest of the full template list, or its empty □其他____ blank
        _, code = resolve(name)
        if code == "GK801":
            out.notes.append(("GK801", {"column": "公开渠道和载体", "found": name, "value": canon}))
        elif code == "GK809":
            out.notes.append(("GK809", {"found": name, "value": canon}))
        if mark is None:
            out.notes.append(("GK804", {"value": canon}))
            mark = USED
        if mark == OPTIONAL:
            out.optional.append(canon)
        else:
            out.used.append(canon)
    return out


def render(used: list[str] | tuple[str, ...], optional: list[str] | tuple[str, ...] = ()) -> str:
    """The ■/□ cell text for channels, in template order (what gkml export writes)."""
    vocab = vocabulary.get("channel")
    entries = [(vocab.order(c), 0, i, USED + c) for i, c in enumerate(used)]
    entries += [(vocab.order(c), 1, i, OPTIONAL + c) for i, c in enumerate(optional)]
    return "\n".join(text for *_, text in sorted(entries))
