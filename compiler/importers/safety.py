"""Checks on a file before any parser reads it: type, encryption, zip bombs, macros, external links.

Office files are zip packages; the zip directory states every member's size, so a bomb is
refused before anything is decompressed (zipfile never inflates past the stated size). An
encrypted Office file is not a zip at all but an OLE compound file holding EncryptedPackage.
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from ..limits import MAX_SHEET_COLS, MAX_SHEET_ROWS
from .notes import ImportRefused

MAX_FILE = 50 * 1024 * 1024          # a published catalog workbook is well under 5 MB
MAX_UNPACKED = 200 * 1024 * 1024     # all members together, once decompressed
MAX_RATIO = 100                      # decompressed / compressed size of one large member
MAX_MEMBERS = 10_000
MAX_ROWS = MAX_SHEET_ROWS            # rows of one sheet or table: no more can fit in one catalog file
MAX_COLS = MAX_SHEET_COLS            # columns of one sheet or table
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
SUFFIXES = {".xlsx": "xlsx", ".docx": "docx"}
_FIX_TYPE = ("只支持 .xlsx(Excel)和 .docx(Word)文件;旧版 .xls / .doc 请在 Excel 或 WPS 中另存为 .xlsx / .docx。",
             "only .xlsx (Excel) and .docx (Word) are read; save old .xls / .doc files as .xlsx / .docx.")


def check_package(path: Path, shown: str) -> str:
    """The kind of a file ('xlsx' or 'docx') once it is known to be safe to parse; else ImportRefused."""
    suffix = path.suffix.lower()
    if suffix in (".xlsm", ".xltm", ".docm", ".dotm"):
        raise ImportRefused("GK854", shown)
    kind = SUFFIXES.get(suffix)
    if kind is None:
        raise ImportRefused("GK850", shown, suffix=suffix or path.name, fix=_FIX_TYPE[0], fix_en=_FIX_TYPE[1])
    size = path.stat().st_size
    if size > MAX_FILE:
        raise ImportRefused("GK853", shown, what=f"文件 {size // (1024 * 1024)} MB,上限 {MAX_FILE // (1024 * 1024)} MB",
                            what_en=f"{size // (1024 * 1024)} MB file, limit {MAX_FILE // (1024 * 1024)} MB")
    with open(path, "rb") as fh:
        head = fh.read(8)
        if head == _OLE:
            fh.seek(0)
            if _ENCRYPTED in fh.read():
                raise ImportRefused("GK852", shown)
            raise ImportRefused("GK850", shown, suffix="旧版 Office(OLE)格式", fix=_FIX_TYPE[0], fix_en=_FIX_TYPE[1])
    if not zipfile.is_zipfile(path):
        raise ImportRefused("GK851", shown, kind=suffix, reason="不是 Office 压缩包")
    try:
        with zipfile.ZipFile(path) as package:
            _check_members(package, kind, shown, suffix)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise ImportRefused("GK851", shown, kind=suffix, reason=str(exc)) from None
    return kind


def _check_members(package: zipfile.ZipFile, kind: str, shown: str, suffix: str) -> None:
    infos = package.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportRefused("GK853", shown, what=f"{len(infos)} 个压缩成员", what_en=f"{len(infos)} members")
    total = 0
    names = set()
    for info in infos:
        total += info.file_size
        names.add(info.filename.lower())
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ImportRefused("GK853", shown, what=f"{info.filename} 压缩比 {info.file_size // max(info.compress_size, 1)}:1",
                                what_en=f"{info.filename} ratio {info.file_size // max(info.compress_size, 1)}:1")
    if total > MAX_UNPACKED:
        raise ImportRefused("GK853", shown, what=f"解压后 {total // (1024 * 1024)} MB,上限 {MAX_UNPACKED // (1024 * 1024)} MB",
                            what_en=f"{total // (1024 * 1024)} MB unpacked, limit {MAX_UNPACKED // (1024 * 1024)} MB")
    if any(n.endswith(("vbaproject.bin", "vbadata.xml")) for n in names):
        raise ImportRefused("GK854", shown)
    types = package.read("[Content_Types].xml") if "[content_types].xml" in names else b""
    if b"macroEnabled" in types or b"vbaProject" in types:
        raise ImportRefused("GK854", shown)
    if any(n.startswith("xl/externallinks/") for n in names):
        raise ImportRefused("GK855", shown)
    main = "xl/workbook.xml" if kind == "xlsx" else "word/document.xml"
    if main not in names:
        raise ImportRefused("GK851", shown, kind=suffix, reason=f"缺少 {main}")
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            with package.open(info) as member:
                head = member.read(64 * 1024)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                # Office never writes a DTD; one here can only be an entity-expansion attack
                raise ImportRefused("GK851", shown, kind=suffix, reason=f"{info.filename} 含有 DTD 声明")
