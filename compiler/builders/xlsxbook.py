"""The xlsxwriter workbook the builders write: parts deflated at ZIP_LEVEL, in-memory parts kept as pieces.

Both change how xlsxwriter gets the bytes to its zip, never the bytes (tests/test_excel.py).
"""
from __future__ import annotations

import io
import zipfile

import xlsxwriter
from xlsxwriter.packager import Packager

__all__ = ["ZIP_LEVEL", "Workbook"]

ZIP_LEVEL = 3   # deflate level of the workbooks' parts (xlsxwriter leaves zlib's default, 6)


class _ZipInfo(zipfile.ZipInfo):
    """xlsxwriter's zip entries, deflated at ZIP_LEVEL."""

    __slots__ = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._compresslevel = ZIP_LEVEL


class Workbook(xlsxwriter.Workbook):
    """A Workbook whose zip is deflated at ZIP_LEVEL and whose in-memory parts are _Pieces.

    A province's workbooks are half a gigabyte of sheet XML: at zlib's default level deflate is
    3.6 s of CPU in a cold build, at level 3 1.7 s, for files 13% larger (measured on the full
    generated province). xlsxwriter has no option for it; it names each entry with its module's
    ZipInfo, so that name is swapped for one that sets the level, for this workbook's close only
    (build workers are processes: no other thread sees the swap). Where a future xlsxwriter no
    longer has that name, nothing is swapped and the default level is used.
    """

    def _store_workbook(self) -> None:
        module = xlsxwriter.workbook
        if getattr(module, "ZipInfo", None) is not zipfile.ZipInfo:
            return super()._store_workbook()
        module.ZipInfo = _ZipInfo
        try:
            return super()._store_workbook()
        finally:
            module.ZipInfo = zipfile.ZipInfo

    def _get_packager(self) -> Packager:
        return _Packager()


class _Pieces(io.StringIO):
    """An in-memory part that keeps what is written to it as pieces, joined once, when it is zipped.

    xlsxwriter writes every part of a workbook to a StringIO before it zips the first one, so
    each sheet's prepared cells (SheetBody.data) were held twice, the copy at four bytes a
    character: the county-scale build's area workbooks (122 sheets each) grew both build
    processes by about 300 MiB. A piece is the sheet's own string, not a copy.
    """

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []

    def write(self, text: str) -> int:
        self.pieces.append(text)
        return len(text)

    def getvalue(self) -> str:
        return "".join(self.pieces)


class _Packager(Packager):
    """xlsxwriter's packager, its in-memory parts _Pieces (where this xlsxwriter makes them as it did in 3.x)."""

    def _filename(self, xml_filename):
        if not self.in_memory or not isinstance(getattr(self, "filenames", None), list):
            return super()._filename(xml_filename)
        part = _Pieces()
        self.filenames.append((part, xml_filename, False))
        return part
