"""Run by the system python3 (LibreOffice's uno): every row of a workbook as written and as LibreOffice lays it out.

    python3 tests/libreoffice_rows.py BOOK.xlsx [SHEET TO SKIP ...]

prints JSON {sheet: {"rows": [[row number, written height, optimal height], ...], "font": [...]}},
heights in 1/100 mm; "font" is what LibreOffice uses for the first body cell (Asian font name and
language). The optimal height is LibreOffice's own layout of the row's text (Format ▸ Rows ▸
Optimal Height), so a written height below it is a row whose last line is cut.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def _hidden():
    prop = PropertyValue()
    prop.Name, prop.Value = "Hidden", True
    return prop


def measure(doc, skip):
    out = {}
    for sheet in doc.Sheets:
        if sheet.Name in skip:
            continue
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        rows = []
        for r in range(cursor.RangeAddress.EndRow + 1):
            row = sheet.Rows.getByIndex(r)
            written = row.Height
            row.OptimalHeight = True
            rows.append([r + 1, written, row.Height])
        cell = sheet.getCellByPosition(3, 4)
        out[sheet.Name] = {"rows": rows, "font": [cell.CharFontNameAsian, cell.CharLocaleAsian.Language]}
    return out


def main(path, skip):
    pipe = f"gkml-rows-{os.getpid()}"
    profile = tempfile.mkdtemp(prefix="gkml-lo-")
    soffice = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                                f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + 120
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if time.monotonic() > deadline or soffice.poll() is not None:
                    raise SystemExit("LibreOffice did not start")
                time.sleep(0.1)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0, (_hidden(),))
        try:
            print(json.dumps(measure(doc, skip), ensure_ascii=False))
        finally:
            doc.close(True)
    finally:
        try:
            if desktop is not None:
                desktop.terminate()
        except Exception:
            pass
        try:
            soffice.wait(timeout=30)
        except subprocess.TimeoutExpired:
            soffice.kill()


if __name__ == "__main__":
    main(sys.argv[1], set(sys.argv[2:]))
