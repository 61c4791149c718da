"""`gkml import` never writes outside --out, keeps every area in a file of its own, and never writes a
catalog the loader would refuse (issue 17 defects 1, 4 and 5)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import openpyxl
import pytest

from compiler import limits, loader
from compiler.importers import paths, run, safety
from compiler.importers.assemble import Settings, import_grids
from compiler.importers.detect import is_title
from compiler.importers.grid import Grid, merged_map
from compiler.importers.readers import read_file
from compiler.loader import parse
from test_import_hostile import files_under, good_workbook

HEADER = ["序号", "公开事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道", "公开对象", "公开方式"]


def workbook(path: Path, rows: int = 1, meta: dict[str, str] | None = None) -> Path:
    """A one-sheet catalog of rows matters, with a 目录信息 sheet when meta is given."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for n in range(1, rows + 1):
        ws.append([str(n), f"最低生活保障{n}", f"低保标准{n}", "《社会救助暂行办法》", "20个工作日", "砀山县民政局",
                   "政府网站", "全社会", "主动"])
    if meta:
        info = wb.create_sheet("目录信息")
        for key, value in meta.items():
            info.append([key, value])
    wb.save(path)
    return path


def everything(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


# --- defect 1: values that become paths ------------------------------------------------------------

HOSTILE_REGIONS = ["../../X", "341321/../../X", "..", "/tmp/gkml-import-X", "34132\x001", "3" * 300, "CON", "nul",
                   "３４１３２１", "34132", "3413210", "341321 ", "C:\\X"]


@pytest.mark.parametrize("region", HOSTILE_REGIONS, ids=[repr(r)[1:20] for r in HOSTILE_REGIONS])
@pytest.mark.parametrize("force", [False, True])
def test_a_region_option_that_is_not_a_code_is_a_usage_error(region, force, gkml, tmp_path):
    good = good_workbook(tmp_path / "目录.xlsx")
    before = everything(tmp_path)
    if region == "341321 ":
        region = "34132 1"                          # stripped values are fine; inner spaces are not
    run_ = gkml(["import", good, "--region", region, "--area", "社会救助", "--out", tmp_path / "out",
                 *(["--force"] if force else [])], cwd=tmp_path)
    assert run_.code == 2, run_.out + run_.err
    assert "--region" in run_.err and ("不是地区代码" in run_.err or "无效" in run_.err), run_.err
    assert "Traceback" not in run_.err and "\x00" not in run_.err
    assert everything(tmp_path) == before
    assert not Path("/tmp/gkml-import-X").exists()


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("code", ["../../../../X", "/tmp/gkml-import-Y", "341321/../../../Y", "9" * 300, "CON"])
def test_a_region_from_the_metadata_sheet_is_checked_before_any_write(code, force, gkml, tmp_path):
    path = workbook(tmp_path / "目录.xlsx", meta={"地区代码": code, "重点领域": "社会救助"})
    out = tmp_path / "a" / "b" / "out"
    run_ = gkml(["import", path, "--out", out, *(["--force"] if force else [])], cwd=tmp_path)
    assert run_.code == 2, run_.out + run_.err
    assert "目录.xlsx: 错误 GK860" in run_.err and "目录信息!B1" in run_.err and "地区代码须为 6 位数字" in run_.err
    assert "未写入任何文件" in run_.err and "Traceback" not in run_.err
    assert not out.exists() and not (tmp_path / "X").exists() and not Path("/tmp/gkml-import-Y").exists()


def test_a_region_read_from_a_title_is_checked_too(tmp_path):
    """The code of a registered region named in a title (here a registry with a hostile code)."""
    from compiler.registry import build_registry
    hostile = parse('regions:\n  - {code: "../x", name: 砀山县, level: county}\n'.encode(), "regions.yaml")
    registry = build_registry([hostile])
    grids = read_file(workbook(tmp_path / "砀山县目录.xlsx"), "砀山县目录.xlsx")
    with pytest.raises(Exception) as refused:
        import_grids("砀山县目录.xlsx", grids, registry, Settings(area="社会救助", department="局"))
    assert getattr(refused.value, "code", None) == "GK860" and "登记表" in refused.value.message()


@pytest.mark.parametrize("value", ["社会\x00救助", "社会\n救助", "\u202e社会救助", "", "领" * 201])
def test_area_and_department_options_are_checked(value, gkml, tmp_path):
    good = good_workbook(tmp_path / "目录.xlsx")
    for option in ("--area", "--department"):
        args = ["--area", "社会救助", "--department", "局"]
        args[args.index(option) + 1] = value
        run_ = gkml(["import", good, "--region", "341321", *args, "--out", tmp_path / "out"], cwd=tmp_path)
        assert run_.code == 2 and f"{option} 的值" in run_.err and "无效" in run_.err, run_.err
        assert not (tmp_path / "out").exists()


def _outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "social-assistance.yaml").write_text("# not yours\n", "utf-8")
    return outside


@pytest.mark.parametrize("force", [False, True])
def test_a_symlinked_folder_inside_out_pointing_out_is_refused(force, gkml, project):
    outside = _outside(project)
    out = project / "catalogs" / "new"
    out.mkdir()
    (out / "341321").symlink_to(outside, target_is_directory=True)
    run_ = gkml(["import", good_workbook(project / "好.xlsx"), "--region", "341321", "--area", "社会救助",
                 "--out", out, *(["--force"] if force else [])], cwd=project)
    assert run_.code == 2 and "GK861" in run_.err and "--out 目录之外" in run_.err and "符号链接" in run_.err, run_.err
    assert sorted(p.name for p in outside.iterdir()) == ["social-assistance.yaml"]
    assert (outside / "social-assistance.yaml").read_text("utf-8") == "# not yours\n"


def test_a_symlinked_target_file_is_refused_even_with_force(gkml, project):
    outside = _outside(project)
    out = project / "catalogs" / "new"
    (out / "341321").mkdir(parents=True)
    (out / "341321" / "social-assistance.yaml").symlink_to(outside / "social-assistance.yaml")
    run_ = gkml(["import", good_workbook(project / "好.xlsx"), "--region", "341321", "--area", "社会救助",
                 "--out", out, "--force"], cwd=project)
    assert run_.code == 2 and "GK861" in run_.err and "目标文件是符号链接" in run_.err, run_.err
    assert (outside / "social-assistance.yaml").read_text("utf-8") == "# not yours\n"


def test_a_symlinked_out_folder_is_the_folder_the_user_named(gkml, project):
    """--out itself may be a link (the user named it): the files land in the folder it points to, nowhere else."""
    real = project / "catalogs" / "real"
    real.mkdir()
    link = project / "catalogs" / "link"
    link.symlink_to(real, target_is_directory=True)
    run_ = gkml(["import", good_workbook(project / "好.xlsx"), "--region", "341321", "--area", "社会救助",
                 "--out", link], cwd=project)
    assert run_.code == 0, run_.out + run_.err
    assert [p.relative_to(real).as_posix() for p in files_under(real)] == ["341321/social-assistance.yaml"]


@pytest.mark.parametrize("slug", ["con", "../../x", "a" * 65, "lpt1"])
def test_a_registry_slug_that_cannot_be_a_file_name_is_refused(slug, gkml, project):
    areas = project / "catalogs" / "registry" / "areas.yaml"
    areas.write_text(areas.read_text("utf-8").replace("slug: social-assistance", f"slug: '{slug}'"), "utf-8")
    out = project / "catalogs" / "new"
    run_ = gkml(["import", good_workbook(project / "好.xlsx"), "--region", "341321", "--area", "社会救助",
                 "--out", out], cwd=project)
    assert run_.code == 2 and "GK861" in run_.err and "slug 不能用作文件名" in run_.err, run_.err
    assert not out.exists()


def test_region_pattern_is_the_schemas():
    import json
    schema = json.loads((Path(__file__).parent.parent / "schema" / "catalog.schema.json").read_text("utf-8"))
    pattern = schema["properties"]["region"]["pattern"]
    for code in ["341321", "341321001", "341321001001", *HOSTILE_REGIONS, "3413210011", "34132a"]:
        assert (paths.region_problem(code) is None) == bool(re.fullmatch(pattern, code)), code


# --- defect 5: one file per area -------------------------------------------------------------------

def test_two_unregistered_areas_get_files_and_ids_of_their_own(gkml, project):
    out = project / "catalogs" / "new"
    good = good_workbook(project / "好.xlsx")
    for area in ("重大建设项目", "农村危房改造"):
        first = gkml(["import", good, "--region", "341321", "--area", area, "--out", out], cwd=project)
        assert first.code in (0, 1), first.out + first.err
    again = gkml(["import", good, "--region", "341321", "--area", "农村危房改造", "--out", out, "--force"], cwd=project)
    assert again.code in (0, 1), again.out + again.err
    written = {p.name: parse(p.read_bytes(), p.name).data for p in files_under(out)}
    a, b = paths.unregistered_slug("重大建设项目"), paths.unregistered_slug("农村危房改造")
    assert a != b and sorted(written) == sorted([f"{a}.yaml", f"{b}.yaml"])
    assert written[f"{a}.yaml"]["area"] == "重大建设项目" and written[f"{b}.yaml"]["area"] == "农村危房改造"
    assert written[f"{a}.yaml"]["items"][0]["id"] == f"341321-{a}-001"
    assert written[f"{b}.yaml"]["items"][0]["id"] == f"341321-{b}-001"


def test_unregistered_slugs_are_stable_safe_and_short():
    assert paths.unregistered_slug("重大建设项目") == paths.unregistered_slug(" 重大建设项目 ")
    assert paths.unregistered_slug("重大建设项目") == paths.unregistered_slug("重大建设项目".replace("目", "目"))
    for area in ("重大建设项目", "../../etc", "CON", "领" * 5000, "a\x00b"):
        slug = paths.unregistered_slug(area)
        assert paths.slug_ok(slug) and len(slug) == 11 and slug.startswith("imp") and "-" not in slug


def test_the_area_option_is_honoured_over_the_title(gkml, project):
    """A workbook titled for one registered area, imported with --area naming another."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["砀山县就业创业领域基层政务公开标准目录"])
    ws.append(HEADER)
    ws.append(["1", "就业政策", "政策文件", "《就业促进法》", "20个工作日", "砀山县民政局", "政府网站", "全社会", "主动"])
    wb.save(project / "就业.xlsx")
    out = project / "catalogs" / "new"
    run_ = gkml(["import", project / "就业.xlsx", "--region", "341321", "--area", "社会救助", "--out", out], cwd=project)
    assert run_.code in (0, 1), run_.out + run_.err
    (written,) = files_under(out)
    assert written.name == "social-assistance.yaml"
    assert parse(written.read_bytes(), "x").data["area"] == "社会救助与社会福利"


# --- defect 4: limits that agree, a clear refusal, linear time -------------------------------------

def test_the_importer_writes_with_the_loaders_limits():
    assert (run.Limits().nodes, run.Limits().bytes) == (loader.MAX_NODES, loader.MAX_BYTES)
    assert (loader.MAX_NODES, loader.MAX_BYTES, loader.MAX_DEPTH) == (limits.MAX_NODES, limits.MAX_BYTES, limits.MAX_DEPTH)
    # a sheet of more rows than the smallest items could fill is refused on reading (GK856)
    assert safety.MAX_ROWS * limits.MIN_IMPORTED_ITEM_NODES <= loader.MAX_NODES
    assert (safety.MAX_ROWS + 1) * limits.MIN_IMPORTED_ITEM_NODES > loader.MAX_NODES


def test_the_documented_sheet_limit_is_the_real_one():
    from compiler.codes import CODES
    assert f"{safety.MAX_ROWS} 行" in CODES["GK856"].doc_zh and f"{safety.MAX_COLS} 列" in CODES["GK856"].doc_zh
    assert f"{safety.MAX_ROWS} rows" in CODES["GK856"].doc_en


def test_the_smallest_imported_item_has_the_nodes_the_sheet_limit_assumes(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["公开事项", "公开内容", "公开依据", "公开主体"])
    ws.append(["低保"])
    wb.save(tmp_path / "小.xlsx")
    grids = read_file(tmp_path / "小.xlsx", "小.xlsx")
    (catalog,), _ = import_grids("小.xlsx", grids, _registry(), Settings("341321", "county", "社会救助", "局"))
    (item,) = catalog.data["items"]
    assert set(item) == {"id", "matter", "source"}
    assert limits.count_nodes(item) == limits.MIN_IMPORTED_ITEM_NODES


def _registry():
    from compiler.registry import build_registry
    return build_registry([])


def _catalog(tmp_path: Path, rows: int):
    path = workbook(tmp_path / f"{rows}.xlsx", rows)
    (catalog,), _ = import_grids(path.name, read_file(path, path.name), _registry(),
                                 Settings("341321", "county", "社会救助", "砀山县民政局"))
    return path, catalog


def test_node_count_is_the_loaders(tmp_path, monkeypatch):
    """count_nodes gives what the loader counts: a limit of exactly that many loads, one less does not."""
    _, catalog = _catalog(tmp_path, 3)
    text = run.to_yaml(catalog.data).encode("utf-8")
    nodes = limits.count_nodes(catalog.data)
    monkeypatch.setattr(loader, "MAX_NODES", nodes)
    assert parse(text, "x").data == catalog.data
    monkeypatch.setattr(loader, "MAX_NODES", nodes - 1)
    assert [d.code for d in parse(text, "x").diagnostics] == ["GK108"]


@pytest.mark.parametrize("what", ["nodes", "bytes"])
def test_a_table_just_under_the_limit_imports_and_one_just_over_is_refused(what, tmp_path):
    """Small limits given as parameters (the real ones take a 7 000-row table, too slow for a test)."""
    path, catalog = _catalog(tmp_path, 40)
    size = limits.count_nodes(catalog.data) if what == "nodes" else len(run.to_yaml(
        catalog.data, paths_schema(tmp_path)).encode("utf-8"))
    out = tmp_path / "out"
    settings = Settings("341321", "county", "社会救助", "砀山县民政局")
    fits = run.Limits(**{what: size})
    result = run.plan([str(path)], out, settings, _registry(), fits)
    assert not result.refused and len(result.outputs) == 1
    written = result.outputs[0].text.encode("utf-8")
    assert parse(written, "x").data == catalog.data and not parse(written, "x").diagnostics
    over = run.plan([str(path)], out, settings, _registry(), run.Limits(**{what: size - 1}))
    (refusal,) = over.refused
    message, hint = refusal.message(), refusal.hint()
    assert refusal.code == "GK862" and not over.outputs
    assert "40 个事项" in message and "超过上限" in message and "太大" in message
    assert "拆成至少 2 个" in hint and "行" in hint
    assert refusal.message("en").startswith(f"{path.name} Sheet") and "split the table" in refusal.hint("en")


def paths_schema(tmp_path: Path) -> str:
    from compiler.importers.yamlout import schema_ref
    return schema_ref(tmp_path / "out" / "341321" / f"{paths.unregistered_slug('社会救助')}.yaml")


def test_a_refused_table_is_reported_on_the_command_line(gkml, tmp_path, monkeypatch):
    real = run.Limits
    monkeypatch.setattr(run, "Limits", lambda: real(nodes=200))
    path = workbook(tmp_path / "大.xlsx", 30)
    run_ = gkml(["import", path, "--region", "341321", "--area", "社会救助", "--out", tmp_path / "out"], cwd=tmp_path)
    assert run_.code == 2 and "大.xlsx: 错误 GK862" in run_.err and "超过上限 200 个节点" in run_.err, run_.err
    assert "拆成至少" in run_.err and "内部错误" not in run_.err and not (tmp_path / "out").exists()


def test_title_rows_do_not_scan_every_merge(monkeypatch):
    """is_title asks the grid for a cell's span: one pass over the merges per grid, not one per row (was O(n²))."""
    rows = 2000
    cells = [["标题", None, None]] + [[None, f"内容{r}", None] for r in range(1, rows)]
    merges = merged_map([(r, 0, r + 1, 0) for r in range(1, rows - 1, 2)] + [(0, 0, 0, 2)])

    class Counting(dict):
        passes = 0

        def items(self):
            Counting.passes += 1
            return super().items()

    grid = Grid("t.xlsx", "表", "sheet", 1, cells, Counting(merges))
    assert is_title(grid, 0, True) and grid.span(0, 0) == 3 and grid.span(1, 1) == 1
    assert [is_title(grid, r, True) for r in range(1, rows)].count(True) == 0
    assert Counting.passes <= 1


# --- the rest of the promises: all or none, the report never replaces a table or a catalog ----------

def test_the_report_may_not_replace_an_input_or_an_output(gkml, project):
    good = good_workbook(project / "好.xlsx")
    original = good.read_bytes()
    out = project / "catalogs" / "new"
    for report in (good, out / "341321" / "social-assistance.yaml"):
        run_ = gkml(["import", good, "--region", "341321", "--area", "社会救助", "--out", out, "--report", report],
                    cwd=project)
        assert run_.code == 2 and "--report 指向了" in run_.err, run_.err
        assert good.read_bytes() == original and files_under(out) == []


def test_a_file_appearing_during_the_writes_undoes_the_run(gkml, project, monkeypatch):
    """Two catalogs from one file; the second target is created by someone else just before it is placed."""
    from test_import import several_tables
    import compiler.commands.imports as command
    out = project / "catalogs" / "new"
    real_link = os.link
    calls = []

    def link(source, target):
        calls.append(target)
        if len(calls) == 2:
            Path(target).write_text("# someone else's\n", "utf-8")
        return real_link(source, target)

    monkeypatch.setattr(command.os, "link", link)
    run_ = gkml(["import", several_tables(project), "--region", "341321", "--out", out], cwd=project)
    assert run_.code == 2 and "输出文件已存在" in run_.err, run_.err
    assert len(calls) == 2
    assert [p.read_text("utf-8") for p in files_under(out)] == ["# someone else's\n"]
