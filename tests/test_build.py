"""gkml build: the three output folders, completeness, escaping, determinism, atomicity, output safety."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from compiler.cli import main

from conftest import DEFAULT

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_ATTR = '"><img src=x onerror=alert(1)>'


def build(args, cwd=None):
    """Run `gkml build` in-process; returns the click result."""
    return CliRunner().invoke(main, ["build", "--no-cache", *[str(a) for a in args]], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path → sha256 of every file under folder (hidden files included)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def default_build(tmp_path_factory) -> Path:
    """One build of the embedded default, shared by the read-only tests of this module."""
    out = tmp_path_factory.mktemp("default") / "build"
    result = build([DEFAULT, "--out", out])
    assert result.exit_code == 0, result.output
    return out


def search_index_text(site: Path) -> str:
    """Every file of the search index (compiler/builders/search.py), concatenated."""
    return "".join(p.read_text("utf-8") for p in sorted((site / "search").rglob("*.js")))


def yaml_catalogs() -> list[tuple[Path, dict]]:
    """Each catalog of the default as (a path whose stem is its page's, its data): a file of sections
    is a catalog per section, published as <file stem>-<area slug> (docs/format.md)."""
    slugs = {a["name"]: a["slug"] for a in yaml.safe_load((DEFAULT / "registry/areas.yaml").read_text("utf-8"))["areas"]}
    found = []
    for p in sorted(DEFAULT.glob("[0-9]*/*.yaml")):
        data = yaml.safe_load(p.read_text("utf-8"))
        if "areas" not in data:
            found.append((p, data))
            continue
        header = {k: v for k, v in data.items() if k != "areas"}
        found += [(p.with_name(f"{p.stem}-{slugs[s['area']]}.yaml"), {**header, **s}) for s in data["areas"]]
    return found


def test_writes_three_folders_and_marker(default_build):
    assert sorted(p.name for p in default_build.iterdir()) == [".gkml-build", ".gkml-manifest.json", ".gkml-sheets", "data", "excel", "site"]
    site = default_build / "site"
    for page in ("index.html", "search.html", "coverage.html", "static/gkml.css", "static/search.js"):
        assert (site / page).is_file(), page
    # the staff pages (warnings, coverage internals) are written by `gkml build --staff` only (issue 20)
    assert not (site / "staff").exists() and not (site / "warnings.html").exists()


def test_every_matter_in_its_page_index_and_workbook(default_build):
    site = default_build / "site"
    books: dict[str, set] = {}
    index = search_index_text(site)
    for path, data in yaml_catalogs():
        region, stem = data["region"], path.stem
        page = (site / "catalogs" / region / f"{stem}.html").read_text("utf-8")
        if region not in books:
            workbook = next((default_build / "excel").glob(f"region-{region}-*.xlsx"))
            wb = openpyxl.load_workbook(workbook, read_only=True)
            books[region] = {c.value for ws in wb.worksheets if ws.title not in ("汇总", "gkml")
                             for row in ws.iter_rows(min_row=5) for c in row if isinstance(c.value, str)}
            wb.close()
        ids_in_book = books[region]
        for item in data["items"]:
            assert f'<tr id="{item["id"]}"' in page, (path, item["id"])
            assert json.dumps(item["id"]) in index, (path, item["id"])
            assert item["id"] in ids_in_book, (path, item["id"])
        per_catalog = json.loads((default_build / "data" / region / f"{stem}.json").read_text("utf-8"))
        assert [i["id"] for i in per_catalog["catalog"]["items"]] == [i["id"] for i in data["items"]]


def test_json_data_is_versioned_and_not_escaped(default_build):
    raw = (default_build / "data" / "catalogs.json").read_text("utf-8")
    assert "\\u" not in raw and "义务教育" in raw
    data = json.loads(raw)
    assert data["format"] == "gkml-data" and data["version"] == 1 and data["kind"] == "catalog-set"
    assert sum(len(c["items"]) for c in data["catalogs"]) == sum(len(d["items"]) for _, d in yaml_catalogs())
    item = data["catalogs"][0]["items"][0]
    assert set(item) >= {"id", "matter", "channels", "optional_channels", "levels", "implements", "raw"}


def test_vertical_links_walk_province_to_county(default_build):
    county = (default_build / "site/catalogs/341321/compulsory-education.html").read_text("utf-8")
    city = (default_build / "site/catalogs/341300/compulsory-education.html").read_text("utf-8")
    # the county item links up to the city item it implements, and the city item links back down
    assert 'href="../../catalogs/341300/compulsory-education.html#341300-ce-002"' in county
    assert 'href="../../catalogs/341321/compulsory-education.html#341321-ce-002"' in city
    assert re.search(r'href="\.\./\.\./catalogs/340000/compulsory-education\.html#340000-ce-\d+"', city)


def test_links_are_relative_and_nothing_external(default_build):
    for page in (default_build / "site").rglob("*.html"):
        text = page.read_text("utf-8")
        assert '<html lang="zh-CN">' in text
        for target in re.findall(r'(?:href|src)="([^"]*)"', text):
            assert not re.match(r"^(?:[a-z]+:|/)", target) or target == "data:,", (page, target)


def test_refuses_to_build_with_errors_and_prints_them(project):
    out = project / "build"
    edit(project / "catalogs/341321/compulsory-education.yaml", "    matter: 招生管理\n", "    matter_typo: 招生管理\n")
    result = build(["--out", out, project / "catalogs"])
    assert result.exit_code == 1
    assert "compulsory-education.yaml" in result.stdout and "错误" in result.stdout
    assert "未生成" in result.stderr
    assert not out.exists()


def test_escapes_html_in_pages_and_search_index(project):
    path = project / "catalogs/341322/social-assistance.yaml"
    edit(path, "    content: 国家、省、市社会救助政策及本县实施细则、政策解读\n", f"    content: '{XSS_SCRIPT}'\n")
    edit(path, "    content: 本县城乡低保标准、调整文件及执行时间\n", f"    content: '{XSS_ATTR}'\n")
    out = project / "build"
    result = build(["--out", out, project / "catalogs"])
    assert result.exit_code == 0, result.output
    site = out / "site"
    page = (site / "catalogs/341322/social-assistance.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    for file in site.rglob("*"):
        # site/downloads/ holds byte copies of data/ and excel/ (JSON keeps values as written, docs/data.md)
        if file.is_file() and not file.is_relative_to(site / "downloads"):
            text = file.read_text("utf-8")
            assert XSS_SCRIPT not in text and "<img src=x" not in text, file
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in search_index_text(site)
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", (site / "static/search.js").read_text("utf-8"))


def test_deterministic_bytes(project, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = project / "one", project / "two"
    assert build(["--out", first, project / "catalogs"]).exit_code == 0
    assert build(["--out", second, project / "catalogs"]).exit_code == 0
    one = snapshot(first)
    assert one == snapshot(second)
    assert build(["--out", first, project / "catalogs"]).exit_code == 0   # rebuild in place
    assert snapshot(first) == one
    assert len([p for p in one if p.endswith(".xlsx") and p.startswith("excel/")]) == 12 + 7   # a workbook per region (8 townships) and per area


def test_source_date_epoch_sets_workbook_date(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = project / "build"
    assert build(["--out", out, project / "catalogs"]).exit_code == 0
    wb = openpyxl.load_workbook(next((out / "excel").glob("region-341321-*.xlsx")))
    assert wb.properties.created.isoformat().startswith("2023-11-14")
    assert "2023-11-14" in (out / "site/index.html").read_text("utf-8")


def _previous_build(project: Path) -> tuple[Path, dict]:
    out = project / "build"
    assert build(["--out", out, project / "catalogs"]).exit_code == 0
    return out, snapshot(out)


def _leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if "staging" in p.name or p.name.endswith(".old"))


def test_catalog_error_leaves_previous_build(project):
    out, before = _previous_build(project)
    edit(project / "catalogs/341321/employment.yaml", "level: county", "level: planet")
    result = build(["--out", out, project / "catalogs"])
    assert result.exit_code == 1
    assert snapshot(out) == before and _leftovers(project) == []


def test_broken_template_leaves_previous_build(project, monkeypatch, tmp_path):
    from compiler.builders import theme as html   # the packaged templates are found there
    out, before = _previous_build(project)
    broken = tmp_path / "templates"
    shutil.copytree(html.templates_dir(), broken)
    (broken / "catalog.html").write_text("{% extends 'base.html' %}{% block main %}{{ page.no_such_field }}{% endblock %}",
                                         "utf-8")
    monkeypatch.setattr(html, "templates_dir", lambda: broken)
    for jobs in ("1", "2"):   # the same message whether the page was rendered here or in a helper
        result = build(["--jobs", jobs, "--out", out, project / "catalogs"])
        assert result.exit_code == 2
        assert "模板错误" in result.stderr and "no_such_field" in result.stderr and "catalog.html:1" in result.stderr
    assert snapshot(out) == before and _leftovers(project) == []


@pytest.mark.parametrize("failure", [KeyboardInterrupt(), OSError(28, "No space left on device")])
def test_interrupt_or_full_disk_leaves_previous_build(project, monkeypatch, failure):
    from compiler.builders import excel
    out, before = _previous_build(project)
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:   # fail in the middle of the workbooks
            raise failure
        return real(*args, **kwargs)

    real = excel.write_catalogs_workbook
    monkeypatch.setattr(excel, "write_catalogs_workbook", failing)
    result = build(["--out", out, project / "catalogs"])
    assert result.exit_code == (130 if isinstance(failure, KeyboardInterrupt) else 2)
    assert ("中断" if isinstance(failure, KeyboardInterrupt) else "No space left") in result.stderr
    assert snapshot(out) == before and _leftovers(project) == []


@pytest.mark.parametrize("where", [".", "catalogs", "catalogs/out", ".."])
def test_refuses_output_folder_over_the_project(project, monkeypatch, where):
    monkeypatch.chdir(project)
    before = snapshot(project / "catalogs")
    result = build(["--out", where])
    assert result.exit_code == 2 and "输出目录" in result.stderr
    assert snapshot(project / "catalogs") == before


def test_refuses_folder_with_foreign_files(project):
    out = project / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine", "utf-8")
    result = build(["--out", out, project / "catalogs"])
    assert result.exit_code == 2 and "不是 gkml 生成的目录" in result.stderr
    assert (out / "notes.txt").read_text("utf-8") == "mine"
    # a previous build with a file added by hand is refused as well, naming the file
    out2, _ = _previous_build(project)
    (out2 / "keep.me").write_text("x", "utf-8")
    result = build(["--out", out2, project / "catalogs"])
    assert result.exit_code == 2 and "keep.me" in result.stderr and (out2 / "keep.me").exists()


def test_default_paths_and_output_in_project_root(project, monkeypatch):
    monkeypatch.chdir(project)
    result = build([])
    assert result.exit_code == 0, result.output
    assert (project / "build/site/index.html").is_file()
    assert "已生成" in result.stderr


def test_coverage_and_warnings_pages(project):
    edit(project / "catalogs/341321/employment.yaml", "method: 主动\n", "method: 主动公开\n")   # a synonym: warning
    out = project / "build"
    result = build(["--out", out, "--staff", project / "catalogs"])
    assert result.exit_code == 0, result.output
    coverage = (out / "site/coverage.html").read_text("utf-8")
    # every catalog appears in its cell with its item count
    for path, data in yaml_catalogs():
        link = f'<a href="catalogs/{data["region"]}/{path.stem}.html">{len(data["items"])}</a>'
        assert link in coverage, link
    assert coverage.count('class="num have"') == len(yaml_catalogs())
    check = CliRunner().invoke(main, ["validate", "--no-cache", "--format", "json", str(project / "catalogs")])
    warnings = [d for d in json.loads(check.stdout)["diagnostics"] if d["severity"] == "warning"]
    assert warnings
    page = (out / "site/staff/warnings.html").read_text("utf-8")
    for d in warnings:
        assert f"<code>{d['code']}</code>" in page
        if d.get("item"):
            assert f'#{d["item"]}"' in page
    # the warning count is on the staff section's page; the public menu does not show the staff pages
    assert "当前警告(" in (out / "site/staff/index.html").read_text("utf-8")
    assert "当前警告" not in (out / "site/index.html").read_text("utf-8")
    assert "staff/" not in (out / "site/index.html").read_text("utf-8")


def test_template_syntax_error_names_file_and_line(project, monkeypatch, tmp_path):
    from compiler.builders import theme as html   # the packaged templates are found there
    broken = tmp_path / "templates"
    shutil.copytree(html.templates_dir(), broken)
    (broken / "region.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{% for x in %}\n{% endblock %}", "utf-8")
    monkeypatch.setattr(html, "templates_dir", lambda: broken)
    result = build(["--out", project / "build", project / "catalogs"])
    assert result.exit_code == 2 and "region.html:3" in result.stderr
    assert not (project / "build").exists() and _leftovers(project) == []


def test_rebuild_without_atomic_exchange(project, monkeypatch):
    import compiler.outfolder as outfolder
    out, before = _previous_build(project)
    monkeypatch.setattr(outfolder, "exchange", lambda a, b: False)   # e.g. not Linux: two renames
    edit(project / "catalogs/341321/employment.yaml", 'version: "2024.1"', 'version: "2024.2"')
    assert build(["--out", out, project / "catalogs"]).exit_code == 0
    after = snapshot(out)
    assert after != before and after.keys() == before.keys() and _leftovers(project) == []
    assert "2024.2" in (out / "data/341321/employment.json").read_text("utf-8")


def test_parallel_build_gives_the_same_bytes(project):
    one, two = project / "one", project / "two"
    assert build(["--jobs", "1", "--out", one, project / "catalogs"]).exit_code == 0
    assert build(["--jobs", "2", "--out", two, project / "catalogs"]).exit_code == 0
    assert snapshot(one) == snapshot(two)


def test_parallel_failure_leaves_previous_build(project, monkeypatch):
    from compiler.builders import excel
    out, before = _previous_build(project)

    def failing(path, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(excel, "write_catalogs_workbook", failing)   # inherited by the forked workers
    result = build(["--jobs", "2", "--out", out, project / "catalogs"])
    assert result.exit_code == 2 and "No space left" in result.stderr
    assert snapshot(out) == before and _leftovers(project) == []


def _task_value(n: int):
    def run(root):
        time.sleep(0.3 if n == 0 else 0.001)   # this process is busy with the first while the helper works
        return n, os.getpid()
    return run


def test_parallel_runner_runs_every_task_once(tmp_path):
    from compiler.tasks import NoBar, Pool
    work = [(f"t{n}", _task_value(n)) for n in range(40)]
    done = list(Pool(2).run(work, tmp_path, NoBar()))
    assert sorted(label for label, _ in done) == sorted(label for label, _ in work)
    assert {label: value[0] for label, value in done} == {f"t{n}": n for n in range(40)}
    assert done[0] == ("t0", (0, os.getpid()))                  # the first task is this process's
    assert any(pid != os.getpid() for _, (_, pid) in done)      # and a helper took others


def test_gated_tasks_wait_for_the_counted_ones_in_any_process(tmp_path):
    from compiler.tasks import NoBar, Pool
    pool = Pool(2)
    gate = pool.gate(3)

    def slow(root):
        time.sleep(0.3)
        return time.monotonic()

    counted = [("slow", gate.opening(slow))] + [(f"c{n}", gate.opening(lambda root: time.monotonic())) for n in range(2)]
    gated = [(f"g{n}", gate.behind(lambda root: time.monotonic())) for n in range(3)]
    work = [("first", lambda root: time.sleep(0.05))] + counted + gated
    done = dict(pool.run(work, tmp_path, NoBar()))
    assert min(done[f"g{n}"] for n in range(3)) >= max(done[label] for label, _ in counted)


def test_a_gated_task_in_this_process_reports_a_dead_helper(tmp_path):
    from compiler.tasks import NoBar, Pool
    parent = os.getpid()
    pool = Pool(2)
    gate = pool.gate(1)

    def dies(root):
        if os.getpid() != parent:
            os._exit(3)
        time.sleep(0.5)

    work = [("first", lambda root: time.sleep(0.4)), ("dies", gate.opening(dies)),
            ("gated", gate.behind(lambda root: None))]
    with pytest.raises(RuntimeError, match="意外退出"):
        list(pool.run(work, tmp_path, NoBar()))


def test_parallel_runner_reports_a_dead_helper(tmp_path):
    from compiler.tasks import NoBar, Pool
    parent = os.getpid()

    def dies(root):
        if os.getpid() != parent:
            os._exit(3)          # a helper killed (out of memory, say): no result will ever come
        return None

    work = [("slow", lambda root: time.sleep(0.5))] + [("dies", dies)] * 3
    with pytest.raises(RuntimeError, match="意外退出"):
        list(Pool(2).run(work, tmp_path, NoBar()))
