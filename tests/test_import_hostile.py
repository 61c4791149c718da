"""Hostile and broken files: each gives a clear Chinese error naming the file, exit code 2, nothing written."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from compiler.importers import safety


def good_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "公开事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道", "公开对象", "公开方式"])
    ws.append(["1", "最低生活保障", "低保标准", "《社会救助暂行办法》(国务院令第649号)", "20个工作日", "砀山县民政局",
               "政府网站", "全社会", "主动"])
    wb.save(path)
    return path


def rezip(source: Path, target: Path, add: dict[str, bytes] | None = None, drop: tuple[str, ...] = (),
          replace: dict[str, bytes] | None = None) -> Path:
    """A copy of an Office package with members added, dropped or replaced."""
    add, replace = add or {}, replace or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for name, data in add.items():
            new.writestr(name, data)
    return target


def corrupt(tmp: Path) -> Path:
    path = tmp / "损坏.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook" * 10)
    return path


def truncated(tmp: Path) -> Path:
    data = good_workbook(tmp / "full.xlsx").read_bytes()
    (tmp / "full.xlsx").unlink()
    path = tmp / "截断.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def no_workbook_part(tmp: Path) -> Path:
    source = good_workbook(tmp / "src.xlsx")
    path = rezip(source, tmp / "缺少部件.xlsx", drop=("xl/workbook.xml",))
    source.unlink()
    return path


def encrypted(tmp: Path) -> Path:
    # What Excel writes for a password-protected workbook: an OLE compound file, not a zip,
    # whose directory names the EncryptionInfo and EncryptedPackage streams.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le").ljust(128, b"\x00") + \
        "EncryptedPackage".encode("utf-16-le").ljust(128, b"\x00")
    path = tmp / "加密.xlsx"
    path.write_bytes(header + directory + b"\x00" * 4096)
    return path


def zip_bomb(tmp: Path) -> Path:
    source = good_workbook(tmp / "src.xlsx")
    path = rezip(source, tmp / "炸弹.xlsx", add={"xl/media/padding.bin": b"\x00" * (8 * 1024 * 1024)})
    source.unlink()
    return path


def macros(tmp: Path) -> Path:
    source = good_workbook(tmp / "src.xlsx")
    path = rezip(source, tmp / "宏.xlsx", add={"xl/vbaProject.bin": b"\x00VBA"})
    source.unlink()
    return path


def macro_suffix(tmp: Path) -> Path:
    return good_workbook(tmp / "宏.xlsm")


def external_links(tmp: Path) -> Path:
    source = good_workbook(tmp / "src.xlsx")
    link = b'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    path = rezip(source, tmp / "外部链接.xlsx", add={"xl/externalLinks/externalLink1.xml": link})
    source.unlink()
    return path


def entity_expansion(tmp: Path) -> Path:
    source = good_workbook(tmp / "src.xlsx")
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(source) as package:
        sheet = package.read(part)
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' + sheet
    path = rezip(source, tmp / "实体.xlsx", replace={part: bomb})
    source.unlink()
    return path


def huge_rows(tmp: Path) -> Path:
    path = good_workbook(tmp / "行数过多.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active.cell(row=safety.MAX_ROWS + 5, column=1, value="x")
    wb.save(path)
    return path


def huge_columns(tmp: Path) -> Path:
    path = good_workbook(tmp / "列数过多.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active.cell(row=3, column=safety.MAX_COLS + 5, value="x")
    wb.save(path)
    return path


def no_header(tmp: Path) -> Path:
    wb = openpyxl.Workbook()
    for row in (["姓名", "电话"], ["张三", "123"], ["李四", "456"]):
        wb.active.append(row)
    path = tmp / "通讯录.xlsx"
    wb.save(path)
    return path


def old_excel(tmp: Path) -> Path:
    path = tmp / "旧版.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    return path


def renamed_old_excel(tmp: Path) -> Path:
    path = tmp / "改名的旧版.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    return path


def text_file(tmp: Path) -> Path:
    path = tmp / "目录.csv"
    path.write_text("序号,公开事项\n", "utf-8")
    return path


def empty_docx(tmp: Path) -> Path:
    import docx
    document = docx.Document()
    document.add_paragraph("砀山县政务公开工作要点")
    path = tmp / "没有表格.docx"
    document.save(path)
    return path


CASES = [
    (corrupt, "GK851", "文件已损坏"),
    (truncated, "GK851", "文件已损坏"),
    (no_workbook_part, "GK851", "缺少 xl/workbook.xml"),
    (encrypted, "GK852", "设置了打开密码"),
    (zip_bomb, "GK853", "压缩炸弹"),
    (macros, "GK854", "包含宏"),
    (macro_suffix, "GK854", "包含宏"),
    (external_links, "GK855", "外部链接"),
    (entity_expansion, "GK851", "DTD"),
    (huge_rows, "GK856", "超过导入上限"),
    (huge_columns, "GK856", "超过导入上限"),
    (no_header, "GK857", "没有找到可识别的目录表头"),
    (empty_docx, "GK857", "没有找到可识别的目录表头"),
    (old_excel, "GK850", "不支持的文件类型"),
    (renamed_old_excel, "GK850", "旧版 Office"),
    (text_file, "GK850", "不支持的文件类型“.csv”"),
]


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize("build, code, words", CASES, ids=[c[0].__name__ for c in CASES])
def test_hostile_file_is_refused(build, code, words, gkml, tmp_path):
    path = build(tmp_path)
    out = tmp_path / "out"
    run = gkml(["import", path, "--region", "341321", "--area", "社会救助", "--out", out, "--report", tmp_path / "r.md"],
               cwd=tmp_path)
    assert run.code == 2, run.out + run.err
    assert f"{path.name}: 错误 {code}" in run.err and words in run.err, run.err
    assert "修改建议:" in run.err and "未写入任何文件" in run.err
    assert "Traceback" not in run.err + run.out
    assert files_under(out) == [] and not (tmp_path / "r.md").exists()


def test_zip_bomb_by_total_size(gkml, tmp_path, monkeypatch):
    """The sum of the members' stated sizes is checked too (limit lowered so the test stays small)."""
    path = good_workbook(tmp_path / "大.xlsx")
    monkeypatch.setattr(safety, "MAX_UNPACKED", 1000)
    run = gkml(["import", path, "--region", "341321", "--out", tmp_path / "out"], cwd=tmp_path)
    assert run.code == 2 and "GK853" in run.err and "解压后" in run.err
    assert files_under(tmp_path / "out") == []


def test_missing_file(gkml, tmp_path):
    run = gkml(["import", tmp_path / "没有这个文件.xlsx", "--out", tmp_path / "out"], cwd=tmp_path)
    assert run.code == 2 and "GK849" in run.err and "文件不存在" in run.err


def test_one_bad_file_means_nothing_is_written(gkml, project):
    good = good_workbook(project / "好.xlsx")
    bad = corrupt(project)
    out = project / "catalogs" / "new"
    run = gkml(["import", good, bad, "--region", "341321", "--area", "社会救助", "--out", out], cwd=project)
    assert run.code == 2 and "GK851" in run.err and files_under(out) == []
    both = gkml(["import", good, bad, no_header(project), "--region", "341321", "--area", "社会救助", "--out", out],
                cwd=project)
    assert "GK851" in both.err and "GK857" in both.err      # every bad file is reported in one run


def test_existing_file_is_not_overwritten_without_force(gkml, project):
    good = good_workbook(project / "好.xlsx")
    out = project / "catalogs" / "new"
    target = out / "341321" / "social-assistance.yaml"
    target.parent.mkdir(parents=True)
    target.write_text("# mine\n", "utf-8")
    run = gkml(["import", good, "--region", "341321", "--area", "社会救助", "--out", out], cwd=project)
    assert run.code == 2 and "GK858" in run.err and "--force" in run.err
    assert target.read_text("utf-8") == "# mine\n"
    run = gkml(["import", good, "--region", "341321", "--area", "社会救助", "--out", out, "--force"], cwd=project)
    assert run.code == 0, run.out + run.err
    assert "最低生活保障" in target.read_text("utf-8")


def test_unknown_region_needs_the_option(gkml, tmp_path):
    path = good_workbook(tmp_path / "目录.xlsx")
    run = gkml(["import", path, "--area", "社会救助", "--out", tmp_path / "out"], cwd=tmp_path)
    assert run.code == 2 and "GK859" in run.err and "无法确定地区代码" in run.err and "--region" in run.err
    assert files_under(tmp_path / "out") == []


def test_english_messages(gkml, tmp_path):
    path = macros(tmp_path)
    run = gkml(["import", path, "--out", tmp_path / "out", "--lang", "en"], cwd=tmp_path)
    assert run.code == 2 and "error GK854" in run.err and "macros" in run.err and "nothing was written" in run.err


def test_external_zip_size_is_read_from_the_directory_not_inflated(tmp_path):
    """A member that claims to be small but inflates to more is cut at its stated size by zipfile."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("a.xml", b"x" * 10_000)
    data = bytearray(buffer.getvalue())
    # lower the uncompressed size in both headers: reading must fail (CRC/size), never inflate more
    data = bytes(data).replace((10_000).to_bytes(4, "little"), (100).to_bytes(4, "little"))
    with zipfile.ZipFile(io.BytesIO(data)) as package, pytest.raises(zipfile.BadZipFile):
        package.read("a.xml")


def test_a_merge_over_a_whole_sheet_is_cut_to_the_table(gkml, project):
    """A merged range reaching row 50000 (a formatting accident) costs nothing: it is cut at the data."""
    source = good_workbook(project / "src.xlsx")
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(source) as package:
        sheet = package.read(part)
    merge = f'</sheetData><mergeCells count="1"><mergeCell ref="J1:GR{safety.MAX_ROWS}"/></mergeCells>'.encode()
    path = rezip(source, project / "大合并.xlsx", replace={part: sheet.replace(b"</sheetData>", merge)})
    from compiler.importers.readers import read_file
    (grid,) = read_file(path, path.name)
    assert (grid.height, grid.width) == (2, 9) and grid.merged == {}
    run = gkml(["import", path, "--region", "341321", "--area", "社会救助", "--out", project / "catalogs" / "new"],
               cwd=project)
    assert run.code == 0, run.out + run.err
