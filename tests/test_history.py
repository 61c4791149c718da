"""Catalogs over time (issue 19): gkml diff, declared changes, validate --since, diff --record, impact."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.history.compare import compare
from compiler.history.record import next_version
from compiler.pipeline import check_bytes
from compiler.sources import Source
from conftest import DEFAULT

SA = "catalogs/341321/social-assistance.yaml"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository of the embedded default, committed."""
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "default")
    return tmp_path


def items_of(text: str) -> tuple[str, list[str]]:
    """The head of a catalog's text and its item blocks (each starting at '  - id:')."""
    head, _, rest = text.partition("\nitems:\n")
    blocks = re.split(r"(?m)^(?=  - id:)", rest)
    return head + "\nitems:\n", [b for b in blocks if b]


def edit(path: Path, fn) -> None:
    head, blocks = items_of(path.read_text("utf-8"))
    path.write_text(head + "".join(fn(blocks)), "utf-8")


def three_edits(root: Path) -> None:
    """The acceptance edits: add one matter, remove one, change one matter's time_limit."""
    def change(blocks):
        blocks[0] = blocks[0].replace("信息形成或者变更之日起20个工作日内", "信息形成或者变更之日起10个工作日内")
        at = next(n for n, block in enumerate(blocks) if 'id: "341321-sa-009"' in block)   # 县级 only: no township implements it
        blocks[at] = blocks[at].replace('id: "341321-sa-009"', 'id: "341321-sa-099"').replace("matter: 社会救助资金", "matter: 临时救助资金")
        return blocks
    edit(root / SA, change)


def test_acceptance_diff_since_and_record(repo, gkml):
    three_edits(repo)
    git(repo, "commit", "-qam", "three changes")
    run = gkml(["diff", "HEAD~1", "HEAD", "--format", "json"], cwd=repo)
    assert run.code == 0, run.err
    assert "\\u" not in run.out  # Chinese unescaped
    doc = run.json
    assert {"version", "old", "new", "summary", "changes"} <= set(doc)
    assert doc["summary"] == {"增加": 1, "取消": 1, "变更": 1}
    by_type = {c["type"]: c for c in doc["changes"]}
    assert by_type["增加"]["id"] == "341321-sa-099" and by_type["取消"]["id"] == "341321-sa-009"
    changed = by_type["变更"]
    assert changed["id"] == "341321-sa-001" and changed["fields"] == [
        {"field": "time_limit", "old": "信息形成或者变更之日起20个工作日内", "new": "信息形成或者变更之日起10个工作日内"}]
    for c in doc["changes"]:
        assert c["declared"] is False and c["region"] == "341321" and c["area"] == "社会救助与社会福利"
        assert c["file"] == SA and c["line"] > 0 and c["impact"] == []

    since = gkml(["validate", "--since", "HEAD~1", "--format", "json"], cwd=repo)
    assert since.code == 1
    undeclared = {d["item"] for d in since.json["diagnostics"] if d["code"] == "GK901"}
    assert undeclared == {"341321-sa-099", "341321-sa-009", "341321-sa-001"}

    record = gkml(["diff", "HEAD~1", "--record"], cwd=repo)
    assert record.code == 0, record.err
    text = (repo / SA).read_text("utf-8")
    assert text.startswith("# yaml-language-server")  # the comment survives the round trip
    assert 'version: "2024.2"' in text
    still = gkml(["validate", "--since", "HEAD~1", "--format", "json"], cwd=repo)
    assert still.code == 1 and {d["code"] for d in still.json["diagnostics"]} == {"GK904"}  # reasons to fill
    (repo / SA).write_text(text.replace('reason: ""', "reason: 上级目录调整"), "utf-8")
    clean = gkml(["validate", "--since", "HEAD~1"], cwd=repo)
    assert clean.code == 0, clean.out
    declared = gkml(["diff", "HEAD~1", "--format", "json"], cwd=repo).json["changes"]
    assert all(c["declared"] and c["reason"] == "上级目录调整" for c in declared)


def test_diff_takes_the_run_date_as_validate_does(repo, gkml):
    """--today dates the entry --record writes (as validate and build judge validity by it); a bad date is a usage error."""
    three_edits(repo)
    assert gkml(["diff", "--today", "2024-13-01", "--record"], cwd=repo).code == 2
    assert "changes:" not in (repo / SA).read_text("utf-8")
    run = gkml(["diff", "--today", "2024-06-01", "--record"], cwd=repo)
    assert run.code == 0, run.err
    assert 'date: "2024-06-01"' in (repo / SA).read_text("utf-8")


def test_record_changes_nothing_else(repo, gkml):
    three_edits(repo)
    before = (repo / SA).read_text("utf-8").splitlines()
    assert gkml(["diff", "--record"], cwd=repo).code == 0
    after = (repo / SA).read_text("utf-8").splitlines()
    added = [line for line in after if line not in before]
    removed = [line for line in before if line not in after]
    assert removed == ['version: "2024.1"']
    assert added[0] == 'version: "2024.2"' and added[1] == "changes:"
    # each change with its fields' old and new values; the reason left for the author (GK904 until filled)
    assert added[4:] == [
        "    entries:",
        '      - {type: 取消, id: "341321-sa-009", reason: ""}',
        "      - type: 变更",
        '        id: "341321-sa-001"',
        "        fields: [time_limit]",
        "        values:",
        "          - {field: time_limit, old: 信息形成或者变更之日起20个工作日内, new: 信息形成或者变更之日起10个工作日内}",
        '        reason: ""',
        '      - {type: 增加, id: "341321-sa-099", reason: ""}']


def test_since_findings_declared_not_done_and_version_unchanged(repo, gkml):
    path = repo / SA
    text = path.read_text("utf-8")
    record = ('changes:\n  - version: "2024.1"\n    date: 2024-06-01\n    entries:\n'
              '      - {type: 取消, id: "341321-sa-003", reason: 上级目录取消该事项}\n')
    path.write_text(text.replace("items:\n", record + "items:\n", 1).replace(
        "信息形成或者变更之日起20个工作日内", "信息形成或者变更之日起15个工作日内", 1), "utf-8")
    run = gkml(["validate", "--since", "HEAD", "--format", "json"], cwd=repo)
    found = {(d["code"], d["item"], d["line"]) for d in run.json["diagnostics"]}
    lines = path.read_text("utf-8").splitlines()
    entry_line = next(n for n, line in enumerate(lines, 1) if "341321-sa-003" in line and "type" in line)
    version_line = next(n for n, line in enumerate(lines, 1) if line.startswith("version:"))
    # sa-003 still in items: the shape check says so too
    assert ("GK902", "341321-sa-003", entry_line) in found
    assert ("GK903", None, version_line) in found
    item_line = next(n for n, line in enumerate(lines, 1) if line == '  - id: "341321-sa-001"')
    assert ("GK901", "341321-sa-001", item_line) in found
    assert ("GK906", "341321-sa-003", entry_line) in found
    assert run.code == 1


def test_record_shape_without_since(tmp_path, gkml):
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    path = tmp_path / SA
    record = ('changes:\n'
              '  - version: "2024.1"\n    date: 2024-06-01\n    entries:\n'
              '      - {type: 增加, id: "341321-sa-001"}\n'
              '  - version: "2024.1"\n    date: 2024-05-01\n    entries:\n'
              '      - {type: 变更, id: "341321-sa-404", fields: [time_limit], reason: 缩短时限}\n'
              '      - {type: 取消, id: "341321-sa-002"}\n')
    path.write_text(path.read_text("utf-8").replace("items:\n", record + "items:\n", 1), "utf-8")
    run = gkml(["validate", "--format", "json"], cwd=tmp_path)
    found = sorted((d["code"], d["path"]) for d in run.json["diagnostics"])
    assert found == [("GK904", "/changes/1/entries/1"), ("GK905", "/changes/1/date"), ("GK905", "/changes/1/version"),
                     ("GK906", "/changes/1/entries/0/id"), ("GK906", "/changes/1/entries/1/id")]
    assert run.code == 1


def load(files: dict[str, str]) -> dict:
    out = {}
    for name, text in files.items():
        result = check_bytes(Source(name, Path(name), "catalog"), text.encode("utf-8"))
        out[name] = result.catalog
    return out


HEAD = 'region: "341321"\nlevel: county\narea: 社会救助与社会福利\ndepartment: 砀山县民政局\nversion: "1"\nitems:\n'


def item(id_: str, matter: str, limit: str = "20个工作日内") -> str:
    return f'  - id: "{id_}"\n    matter: {matter}\n    time_limit: {limit}\n'


def test_renamed_id_is_one_change():
    old = load({"a.yaml": HEAD + item("341321-sa-001", "低保")})
    new = load({"a.yaml": HEAD + item("341321-sa-101", "低保")})
    diff = compare(old, new)
    assert [(c.type, c.id, c.was) for c in diff.changes] == [("变更", "341321-sa-101", "341321-sa-001")]
    assert [(f.field, f.old, f.new) for f in diff.changes[0].fields] == [("id", "341321-sa-001", "341321-sa-101")]


def test_item_moved_between_files_is_a_change_of_file():
    old = load({"a.yaml": HEAD + item("341321-sa-001", "低保") + item("341321-sa-002", "特困"), "b.yaml": HEAD + item("341321-sa-003", "临时")})
    new = load({"a.yaml": HEAD + item("341321-sa-001", "低保"), "b.yaml": HEAD + item("341321-sa-003", "临时") + item("341321-sa-002", "特困", "10个工作日内")})
    diff = compare(old, new)
    assert [(c.type, c.id, c.file) for c in diff.changes] == [("变更", "341321-sa-002", "b.yaml")]
    assert [(f.field, f.old, f.new) for f in diff.changes[0].fields] == [
        ("file", "a.yaml", "b.yaml"), ("time_limit", "20个工作日内", "10个工作日内")]


def test_header_change_and_catalog_added():
    old = load({"a.yaml": HEAD + item("341321-sa-001", "低保")})
    new = load({"a.yaml": HEAD.replace('version: "1"', 'version: "2"') + item("341321-sa-001", "低保"),
                "b.yaml": HEAD + item("341321-sa-002", "特困")})
    diff = compare(old, new)
    assert [(h.type, h.file, [(f.field, f.old, f.new) for f in h.fields]) for h in diff.headers] == [
        ("变更", "a.yaml", [("version", "1", "2")]), ("增加", "b.yaml", [])]
    assert [(c.type, c.id) for c in diff.changes] == [("增加", "341321-sa-002")]


def test_diff_of_two_folders_and_impact_down_three_levels(tmp_path, gkml):
    shutil.copytree(DEFAULT, tmp_path / "old")
    shutil.copytree(DEFAULT, tmp_path / "new")
    province = tmp_path / "new/340000/social-assistance.yaml"
    edit(province, lambda blocks: [b for b in blocks if 'id: "340000-sa-002"' not in b])
    run = gkml(["diff", "old", "new", "--format", "json"], cwd=tmp_path)
    assert run.code == 0, run.err
    (cancelled,) = run.json["changes"]
    assert (cancelled["type"], cancelled["id"], cancelled["file"]) == ("取消", "340000-sa-002", "new/340000/social-assistance.yaml")
    impact = {(i["id"], i["region"]) for i in cancelled["impact"]}
    assert impact == {("341300-sa-002", "341300"), ("341321-sa-002", "341321"), ("341322-sa-002", "341322")}
    city = next(i for i in cancelled["impact"] if i["id"] == "341300-sa-002")
    lines = (tmp_path / "new/341300/social-assistance.yaml").read_text("utf-8").splitlines()
    assert city["file"] == "new/341300/social-assistance.yaml" and 'id: "341300-sa-002"' in lines[city["line"] - 1]
    for fmt in ("text", "markdown", "github"):
        out = gkml(["diff", "old", "new", "--format", fmt], cwd=tmp_path).out
        assert "340000-sa-002" in out and "341322-sa-002" in out and "取消" in out
        assert "安徽省(340000)" in out and "萧县(341322)" in out, fmt   # regions named, down the impact too
    assert cancelled["region_name"] == "安徽省" and city["region_name"] == "宿州市"


def test_diff_text_shows_a_value_that_differs_by_an_invisible_character(tmp_path, gkml):
    """A time limit that gained a zero-width space is a 变更 whose new value the text and GitHub formats show."""
    shutil.copytree(DEFAULT, tmp_path / "old")
    shutil.copytree(DEFAULT, tmp_path / "new")
    path = tmp_path / "new/341321/social-assistance.yaml"
    path.write_text(path.read_text("utf-8").replace("之日起20个工作日内", "之日起20个\u200b工作日内", 1), "utf-8")
    (changed,) = gkml(["diff", "old", "new", "--format", "json"], cwd=tmp_path).json["changes"]
    assert [f["field"] for f in changed["fields"]] == ["time_limit"]
    for fmt in ("text", "github"):
        out = gkml(["diff", "old", "new", "--format", fmt], cwd=tmp_path).out
        assert "20个\\u200b工作日内" in out and "\u200b" not in out, fmt


def test_diff_impact_from_a_revision_uses_git_grep(repo, gkml):
    edit(repo / "catalogs/341300/social-assistance.yaml",
         lambda blocks: [b.replace("审核确认之日起10个工作日内", "审核确认之日起5个工作日内") if 'id: "341300-sa-004"' in b else b
                         for b in blocks])
    git(repo, "commit", "-qam", "tighten")
    (changed,) = gkml(["diff", "HEAD~1", "HEAD", "--format", "json"], cwd=repo).json["changes"]
    assert changed["id"] == "341300-sa-004"
    townships = ("341321100", "341321101", "341321102", "341321103", "341322001", "341322100", "341322101", "341322102")
    assert {i["id"] for i in changed["impact"]} == {"341321-sa-004", "341322-sa-004",   # and, below them, each township's
                                                    *(f"{code}-sa-002" for code in townships)}


def test_bad_revision_is_a_usage_error(repo, gkml):
    run = gkml(["diff", "no-such-rev"], cwd=repo)
    assert run.code == 2 and "no-such-rev" in run.err and "Traceback" not in run.err


def test_next_version():
    assert [next_version(v) for v in ("2024.1", "2024.09", "v3", "draft", "")] == ["2024.2", "2024.10", "v4", "draft.1", "1"]


MATTERS = ["低保", "特困", "临时", "医疗", "住房", "教育"]
edits = st.lists(st.tuples(st.sampled_from(["add", "remove", "limit", "rename", "move"]), st.integers(0, 20)), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_applying_the_diff_to_old_gives_new(steps):
    """For random edit sequences, the diff's changes applied to OLD give NEW: none lost or invented."""
    files = {"a.yaml": [(f"341321-sa-{n:03d}", MATTERS[n], "20个工作日内") for n in range(4)], "b.yaml": []}
    old_files = {k: list(v) for k, v in files.items()}
    counter = 100
    for kind, n in steps:
        pool = [(f, i) for f, rows in files.items() for i in range(len(rows))]
        if kind == "add" or not pool:
            counter += 1
            files["ab"[n % 2] + ".yaml"].append((f"341321-sa-{counter}", f"事项{counter}", "20个工作日内"))
            continue
        f, i = pool[n % len(pool)]
        id_, matter, limit = files[f][i]
        if kind == "remove":
            files[f].pop(i)
        elif kind == "limit":
            files[f][i] = (id_, matter, f"{n}个工作日内")
        elif kind == "rename":
            counter += 1
            files[f][i] = (f"341321-sa-{counter}", matter, limit)
        else:
            files[f].pop(i)
            files["b.yaml" if f == "a.yaml" else "a.yaml"].append((id_, matter, limit))

    def text(rows):
        return HEAD + "".join(item(*r) for r in rows) if rows else HEAD.replace("items:\n", "items: []\n")
    old = load({k: text(v) for k, v in old_files.items()})
    new = load({k: text(v) for k, v in files.items()})
    diff = compare(old, new)
    state = {r[0]: {"matter": r[1], "time_limit": r[2], "file": f} for f, rows in old_files.items() for r in rows}
    for c in diff.changes:
        if c.type == "增加":
            assert c.id not in state
            state[c.id] = {"matter": None, "time_limit": None, "file": c.file}
            row = next(r for r in files[c.file] if r[0] == c.id)
            state[c.id].update(matter=row[1], time_limit=row[2])
        elif c.type == "取消":
            assert c.id in state
            del state[c.id]
        else:
            key = c.was or c.id
            record = state.pop(key)
            for f in c.fields:
                if f.field == "id":
                    assert f.old == key and f.new == c.id
                    continue
                assert record.get(f.field) == f.old, (c, f)  # nothing invented
                record[f.field] = f.new
            state[c.id] = record
    want = {r[0]: {"matter": r[1], "time_limit": r[2], "file": f} for f, rows in files.items() for r in rows}
    assert state == want


def test_cancelled_upper_item_flags_its_lower_items(tmp_path, gkml):
    """Removing a province item that lower items implement: validate flags each of them (GK601)."""
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    edit(tmp_path / "catalogs/340000/social-assistance.yaml", lambda blocks: [b for b in blocks if 'id: "340000-sa-002"' not in b])
    run = gkml(["validate", "--format", "json"], cwd=tmp_path)
    flagged = {d["item"] for d in run.json["diagnostics"] if d["code"] == "GK601"}
    assert flagged == {"341300-sa-002"} and run.code == 1


def test_github_annotations_and_adjustment_workbook(repo, gkml, tmp_path):
    three_edits(repo)
    out = gkml(["diff", "--format", "github"], cwd=repo).out.splitlines()
    assert len([line for line in out if line.startswith("::warning file=catalogs/341321/social-assistance.yaml,line=")]) == 3
    assert gkml(["diff", "--format", "xlsx"], cwd=repo).code == 2  # a workbook needs --output
    assert gkml(["diff", "--format", "xlsx", "--output", str(tmp_path / "t.xlsx")], cwd=repo).code == 0
    import openpyxl
    rows = list(openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows(values_only=True))
    assert rows[1] == ("序号", "地区", "领域", "事项", "调整类型", "调整内容", "调整理由", "依据")
    assert sorted(r[4] for r in rows[2:]) == ["取消", "变更", "增加"] and len(rows) == 5
    assert any("time_limit:信息形成或者变更之日起20个工作日内 → 信息形成或者变更之日起10个工作日内" == r[5] for r in rows[2:])
    assert {r[1] for r in rows[2:]} == {"砀山县(341321)"}   # the region's name, not its code only
