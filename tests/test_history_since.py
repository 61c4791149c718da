"""validate --since against what really changed (issue 19, Deliver 3 and 7): the declared fields
and values of a 变更 (cases in tests/cases/since/), files named with --since, files of sections,
and the property that `diff --record` followed by filling the reasons leaves nothing to report."""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.codes import CODES
from conftest import items_of
from compiler.history.record import record
from compiler.history.run import diff_specs, since_findings
from compiler.history.sides import differing, open_side
from compiler.pipeline import check_bytes
from compiler.sources import Source
from test_history import SA, git, repo, three_edits  # noqa: F401 (repo: the git repository fixture)

SINCE = Path(__file__).resolve().parent / "cases" / "since"
CASES = sorted(p for p in SINCE.iterdir() if p.is_dir())
HISTORY_CODES = re.compile(r"GK9(0[1-6]|1\d)$")


def expected(case: Path) -> list[tuple]:
    out = []
    for line in (case / "expected.txt").read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            code, where, *pointer = line.split()
            file, row, column = where.rsplit(":", 2)
            out.append((code, f"new/{file}", int(row), int(column), pointer[0] if pointer else ""))
    return sorted(out)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_since_case(case, tmp_path):
    shutil.copytree(case, tmp_path / case.name)
    found = since_findings("old", "new", str(tmp_path / case.name))
    assert sorted((d.code, d.file, d.line, d.column, d.path) for d in found) == expected(case)
    for d in found:   # each message and hint renders in both languages with what its producer passed
        for lang in ("zh", "en"):
            assert d.message(lang).strip() and "{" not in d.message(lang) + d.hint(lang), (d.code, lang)
        assert re.search(r"[\u4e00-\u9fff]", d.hint("zh")), d.code


def test_every_field_code_has_a_case():
    codes = {line.split()[0] for case in CASES for line in (case / "expected.txt").read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    assert {"GK910", "GK911", "GK912"} <= codes <= set(CODES)


def test_validate_named_files_since(repo, gkml):
    """validate FILE… --since REV compares the file within its set and reports on the named files only."""
    three_edits(repo)
    named = gkml(["validate", SA, "--since", "HEAD", "--format", "json"], cwd=repo)
    found = [d for d in named.json["diagnostics"] if HISTORY_CODES.match(d["code"])]
    assert named.code == 1 and {d["file"] for d in found} == {SA}
    assert sorted(d["code"] for d in found) == ["GK901", "GK901", "GK901", "GK903"]
    other = gkml(["validate", "catalogs/340000/social-assistance.yaml", "--since", "HEAD"], cwd=repo)
    assert other.code == 0, other.out
    both = gkml(["validate", SA, "catalogs/341300", "--since", "HEAD", "--format", "json"], cwd=repo)
    assert sum(d["code"] == "GK901" for d in both.json["diagnostics"]) == 3
    missing = gkml(["validate", "--since", "HEAD", "catalogs/nowhere"], cwd=repo)
    assert missing.code == 2 and "Traceback" not in missing.err


def test_working_tree_in_git_reads_only_the_files_that_differ(repo):
    """validate --since and diff against the working tree: git's index gives the unchanged files'
    blob ids, so only the edited, new and deleted files are read (issue 19, Deliver 6)."""
    three_edits(repo)
    (repo / "catalogs/341321/new.yaml").write_text((repo / SA).read_text("utf-8"), "utf-8")
    (repo / "catalogs/341322/social-assistance.yaml").unlink()
    side = open_side("", "catalogs", str(repo))
    assert sorted(side._bytes) == ["341321/new.yaml", SA.removeprefix("catalogs/")]
    assert "341322/social-assistance.yaml" not in side.blobs
    head = open_side("HEAD", "catalogs", str(repo))
    assert differing(head, side) == ["341321/new.yaml", "341321/social-assistance.yaml", "341322/social-assistance.yaml"]
    plain = open_side(str(repo / "catalogs"), "catalogs", str(repo))   # the same files hashed one by one
    assert {n: plain.blobs[n] for n in side.blobs} == side.blobs and set(plain.blobs) == set(side.blobs)
    assert side.containing(["341321-sa-099"]) == ["341321/new.yaml", "341321/social-assistance.yaml"]


def test_diff_between_revisions_reads_only_the_blobs_that_differ(repo):
    three_edits(repo)
    git(repo, "commit", "-qam", "three changes")
    loaded = diff_specs("HEAD~1", "HEAD", "catalogs", str(repo))
    assert len(loaded.diff.changes) == 3
    for side in (loaded.old_side, loaded.new_side):   # the changed file, and the registry's regions for the names
        assert sorted(side._bytes) == [SA.removeprefix("catalogs/"), "registry/regions.yaml"]


TOWNSHIP = "catalogs/341321100/catalog.yaml"


def test_sections_file_diff_record_and_since(repo, gkml):
    """A township's file of sections: the diff, the record (in the header, before areas) and --since."""
    path = repo / TOWNSHIP
    text = path.read_text("utf-8")
    blocks = re.split(r"(?m)^(?=      - id:|  - area:)", text)
    gone = next(n for n, b in enumerate(blocks) if 'id: "341321100-sa-014"' in b)
    added = blocks[gone].replace("341321100-sa-014", "341321100-sa-099").replace("matter: 临时救助", "matter: 新增事项")
    blocks[gone] = added
    text = "".join(blocks).replace("信息形成或者变更之日起20个工作日内", "信息形成或者变更之日起10个工作日内", 1)
    path.write_text(text, "utf-8")
    doc = gkml(["diff", "--format", "json"], cwd=repo).json
    assert doc["summary"] == {"增加": 1, "取消": 1, "变更": 1}
    lines = text.splitlines()
    by_type = {c["type"]: c for c in doc["changes"]}
    assert lines[by_type["取消"]["line"] - 1] == "    items:"   # the section it stood in, not the file's top
    assert 'id: "341321100-sa-099"' in lines[by_type["增加"]["line"] - 1]
    assert {c["region_name"] for c in doc["changes"]} == {"砀城镇"}
    assert gkml(["diff", "--record"], cwd=repo).code == 0
    written = path.read_text("utf-8")
    assert written.index("\nchanges:\n") < written.index("\nareas:\n")
    since = gkml(["validate", "--since", "HEAD", "--format", "json"], cwd=repo)
    history = sorted(d["code"] for d in since.json["diagnostics"] if HISTORY_CODES.match(d["code"]))
    assert history == ["GK904", "GK904"]   # only the reasons to fill: once each, not once per section
    path.write_text(written.replace('reason: ""', "reason: 上级目录调整"), "utf-8")
    clean = gkml(["validate", "--since", "HEAD", "--format", "json"], cwd=repo)
    assert not [d for d in clean.json["diagnostics"] if HISTORY_CODES.match(d["code"])]


def test_record_values_on_the_portal_and_in_the_data(repo, gkml, tmp_path):
    """The recorded old and new values show in the catalog page's 更新记录, on the site-wide 目录调整
    page (the same markup) and in its JSON data."""
    three_edits(repo)
    assert gkml(["diff", "--record"], cwd=repo).code == 0
    path = repo / SA
    path.write_text(path.read_text("utf-8").replace('reason: ""', "reason: 缩短公开时限"), "utf-8")
    out = tmp_path / "out"
    run = gkml(["build", "--out", str(out), "--today", "2024-07-01"], cwd=repo)
    assert run.code == 0, run.out + run.err
    page = next(p for p in (out / "site").rglob("*.html") if "341321-sa-001" in p.read_text("utf-8")
                and "更新记录" in p.read_text("utf-8"))
    html = page.read_text("utf-8")
    assert "<del>信息形成或者变更之日起20个工作日内</del> → <ins>信息形成或者变更之日起10个工作日内</ins>" in html
    shown = '<ul class="fields"><li>公开时限:<del>信息形成或者变更之日起20个工作日内</del> → <ins>信息形成或者变更之日起10个工作日内</ins></li></ul>'
    assert shown in html and shown in (out / "site/changes.html").read_text("utf-8")
    record_data = json.loads((out / "data/341321/social-assistance.json").read_text("utf-8"))["catalog"]["changes"]
    entry = next(e for e in record_data[-1]["entries"] if e["type"] == "变更")
    assert entry["values"] == [{"field": "time_limit", "old": "信息形成或者变更之日起20个工作日内",
                                "new": "信息形成或者变更之日起10个工作日内"}]


def test_sections_record_on_the_portal_once(repo, gkml, tmp_path):
    """A file of sections keeps one record: each entry shows on its own section's page, and once on
    the 目录调整 page (each section's page listed every entry of the file)."""
    path = repo / TOWNSHIP
    lines = path.read_text("utf-8").splitlines(keepends=True)
    for item in ("341321100-sa-001", "341321100-ee-001"):
        at = next(n for n, line in enumerate(lines) if f'id: "{item}"' in line)
        limit = next(n for n in range(at, len(lines)) if "time_limit:" in lines[n])
        lines[limit] = lines[limit].replace("20个工作日内", "10个工作日内")
    path.write_text("".join(lines), "utf-8")
    assert gkml(["diff", "--record"], cwd=repo).code == 0
    path.write_text(path.read_text("utf-8").replace('reason: ""', "reason: 缩短公开时限"), "utf-8")
    out = tmp_path / "out"
    run = gkml(["build", "--out", str(out), "--today", "2024-07-01"], cwd=repo)
    assert run.code == 0, run.out + run.err
    rows = (out / "site/changes.html").read_text("utf-8")
    assert rows.count("#341321100-sa-001") == 1 and rows.count("#341321100-ee-001") == 1
    pages = {p: p.read_text("utf-8") for p in (out / "site").rglob("*.html") if "341321100" in p.as_posix()}
    shown = {item: [p.name for p, html in pages.items() if f"<code>{item}</code>" in html]
             for item in ("341321100-sa-001", "341321100-ee-001")}
    assert all(len(names) == 1 for names in shown.values()) and shown["341321100-sa-001"] != shown["341321100-ee-001"], shown


# ---------------------------------------------------------------------------------------------
# Hypothesis: for random edit sequences, --record then filling the reasons makes --since clean

HEAD = 'region: "341321"\nlevel: county\narea: 社会救助与社会福利\ndepartment: 砀山县民政局\nversion: "2024.1"\n'
CHANNELS = ["政府网站", "两微一端", "其他:政务新媒体", "便民服务站"]   # a colon: the record must quote it
edits = st.lists(st.tuples(st.sampled_from(["add", "remove", "limit", "channels", "rename", "move", "method"]),
                           st.integers(0, 30)), min_size=1, max_size=8)


def catalog_text(rows: list[tuple]) -> str:
    body = "".join(f'  - id: "{i}"\n    matter: {m}\n    time_limit: {limit}\n    channels: [{", ".join(map(json.dumps, ch))}]\n'
                   + (f"    method: {method}\n" if method else "") for i, m, limit, ch, method in rows)
    return HEAD + ("items:\n" + body if rows else "items: []\n")


def apply(files: dict[str, list], steps) -> None:
    counter = 100
    for kind, n in steps:
        pool = [(f, i) for f, rows in files.items() for i in range(len(rows))]
        if kind == "add" or not pool:
            counter += 1
            files["ab"[n % 2] + ".yaml"].append((f"341321-sa-{counter}", f"事项{counter}", "20个工作日内", ("政府网站",), ""))
            continue
        f, i = pool[n % len(pool)]
        id_, matter, limit, ch, method = files[f][i]
        if kind == "remove":
            files[f].pop(i)
        elif kind == "limit":
            files[f][i] = (id_, matter, f"{n}个工作日内", ch, method)
        elif kind == "channels":
            files[f][i] = (id_, matter, limit, tuple(CHANNELS[: 1 + n % len(CHANNELS)]), method)
        elif kind == "method":
            files[f][i] = (id_, matter, limit, ch, "" if method else "主动")
        elif kind == "rename":
            counter += 1
            files[f][i] = (f"341321-sa-{counter}", matter, limit, ch, method)
        else:
            files[f].pop(i)
            files["b.yaml" if f == "a.yaml" else "a.yaml"].append((id_, matter, limit, ch, method))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_record_then_filling_reasons_makes_since_clean(steps):
    files = {"a.yaml": [(f"341321-sa-{n:03d}", m, "20个工作日内", ("政府网站",), "")
                        for n, m in enumerate(["低保", "特困", "临时", "医疗"])], "b.yaml": []}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for side in ("old", "new"):
            (root / side).mkdir()
        for name, rows in files.items():
            (root / "old" / name).write_text(catalog_text(rows), "utf-8")
        apply(files, steps)
        for name, rows in files.items():
            (root / "new" / name).write_text(catalog_text(rows), "utf-8")
        loaded = diff_specs("old", "new", "new", tmp)
        undeclared = [c for c in loaded.diff.changes if not c.declared]
        before = since_findings("old", "new", tmp)
        assert sorted(d.item or "" for d in before if d.code == "GK901") == sorted(c.id for c in undeclared)
        record(loaded, "2024-06-01", tmp)
        for name in files:
            path = root / "new" / name
            path.write_text(path.read_text("utf-8").replace('reason: ""', "reason: 上级目录调整"), "utf-8")
        after = since_findings("old", "new", tmp)
        assert not after, [(d.code, d.file, d.line, d.args) for d in after]
        for name in files:   # and the record alone is well formed: nothing from the shape check either
            raw = (root / "new" / name).read_bytes()
            result = check_bytes(Source(name, root / "new" / name, "catalog"), raw)
            assert not [d for d in result.diagnostics if d.code.startswith("GK9")], name
        redone = diff_specs("old", "new", "new", tmp).diff.changes
        assert all(c.declared and c.reason == "上级目录调整" for c in redone)
        assert sorted((c.type, c.id) for c in redone) == sorted((c.type, c.id) for c in undeclared)


def test_implementing_finds_every_file_an_impact_chain_may_need(repo):
    """One grep of the implements lines serves every level of the impact chain; a value that is not
    plain text on its line (on the next line, an alias, a block scalar) sends its file to be read."""
    lower = repo / "catalogs/341321100/extra.yaml"
    lower.parent.mkdir(parents=True, exist_ok=True)
    lower.write_text('items:\n  - {id: "341321100-x-1", implements: \'341321-sa-002\'}\n'
                     '  - id: "341321100-x-2"\n    implements:\n      341321-sa-003\n', "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "lower file")
    for side in (open_side("HEAD", "catalogs", str(repo)), open_side("", "catalogs", str(repo))):
        holders = {name: {str(i.get("implements")) for i in items_of(yaml.safe_load(raw)) if isinstance(i, dict)}
                   for name, raw in side.read(sorted(side.blobs)).items() if not name.startswith("registry/")}
        for upper, least in (("341321-sa-002", 1), ("341321-sa-003", 1), ("341322-sa-014", 4), ("341300-sa-001", 2)):
            truth = {name for name, ups in holders.items() if upper in ups}
            assert len(truth) >= least and truth <= set(side.implementing([upper])), upper   # never misses a file
        assert "341321100/extra.yaml" in side.implementing(["no-such-id"])   # its value on the next line
