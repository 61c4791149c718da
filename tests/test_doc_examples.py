"""Every YAML example in the README and docs/ (docs/zh/ included) is true: it parses, a catalog
validates in the embedded default set, a registry validates on its own, lines to add to the
registry (a section starting `# 加到 catalogs/registry/units.yaml`) validate appended to the
default's, and an example marked as a mistake (first line `# ✗ GKnnn …`) gives the finding it names."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DEFAULT

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```yaml[^\n]*\n(.*?)^```", re.S | re.M)
WRONG = re.compile(r"^# ✗ ((?:GK\d{3}[ ,、]*)+)")
REGISTRY_KEYS = {"regions", "areas", "units", "requirements"}
ADD_TO = re.compile(r"^# 加到 (catalogs/registry/[a-z]+\.yaml)[^\n]*\n", re.M)


def _examples():
    for doc in DOCS:
        text = doc.read_text("utf-8")
        earlier: list[str] = []      # a page's registry additions build on the ones before them
        for found in FENCE.finditer(text):
            line = text.count("\n", 0, found.start()) + 1
            yield pytest.param(found.group(1), tuple(earlier), id=f"{doc.relative_to(ROOT)}:{line}")
            if ADD_TO.search(found.group(1)):
                earlier.append(found.group(1))


EXAMPLES = list(_examples())


def _wrong_codes(block: str) -> set[str]:
    marked = WRONG.match(block)
    return set(re.findall(r"GK\d{3}", marked.group(1))) if marked else set()


def _slug(project: Path, area: str) -> str:
    areas = yaml.safe_load((project / "catalogs/registry/areas.yaml").read_text("utf-8"))["areas"]
    for entry in areas:
        if area == entry["name"] or area in entry.get("aliases", []):
            return entry["slug"]
    raise AssertionError(f"example area {area!r} is not in the default registry")


def test_docs_have_examples():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("block, earlier", EXAMPLES)
def test_yaml_example(block, earlier, tmp_path, gkml):
    wrong = _wrong_codes(block)
    if ADD_TO.search(block):
        _check_additions(block, earlier, tmp_path, gkml)
        return
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        assert wrong, "an example that is not YAML must be marked # ✗ GKnnn"
        data = None
    sections = isinstance(data, dict) and {"region", "areas"} <= data.keys()   # a file of sections (docs/format.md)
    if not isinstance(data, dict) or not ({"region", "items"} <= data.keys() or sections or data.keys() & REGISTRY_KEYS):
        if wrong and data is None:   # a syntax mistake: the named code, checked as a lone catalog
            (tmp_path / "x.yaml").write_text(block, "utf-8")
            run = gkml(["validate", "--format", "json", "x.yaml"], cwd=tmp_path)
            assert wrong <= {d["code"] for d in run.json["diagnostics"]}
        return                       # a fragment or another tool's file: parsing is its check
    if "items" in data or sections:
        shutil.copytree(DEFAULT, tmp_path / "catalogs")
        if f'code: "{data["region"]}"' not in (DEFAULT / "registry/regions.yaml").read_text("utf-8"):
            append_sections(tmp_path, GUIDE_REGISTRY)   # a region the guide's registry page adds (灵璧县, 葛集镇)
        stem = "township" if sections else _slug(tmp_path, data["area"])
        name = f"catalogs/{data['region']}/{stem}.yaml"
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(block, "utf-8")
    else:
        name = "catalogs/registry/example.yaml"
        (tmp_path / "catalogs/registry").mkdir(parents=True)
        (tmp_path / name).write_text(block, "utf-8")
    run = gkml(["validate", "--format", "json", "catalogs"], cwd=tmp_path)
    found = [d for d in run.json["diagnostics"] if d["file"] == name]
    if wrong:
        assert wrong <= {d["code"] for d in found}, [d["message"] for d in found]
        return
    # a one-item example leaves the region's other upper items unclaimed (GK603), nothing else
    items = [i for s in data["areas"] for i in s.get("items") or []] if sections else data.get("items") or []
    claimed = {i.get("implements") for i in items}
    assert [d["message"] for d in found if d["code"] != "GK603"] == []
    assert not any(c and c in d["message"] for d in found for c in claimed)


def _check_additions(block: str, earlier, tmp_path: Path, gkml) -> None:
    """Append the page's earlier additions, then each `# 加到 FILE` section of this block, to the
    default's registry: no finding but the catalogs the new entries now require (GK401) and,
    before any unit is added, their missing lead units (GK409)."""
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    append_sections(tmp_path, (*earlier, block))
    allowed = {"GK401"} if any("units.yaml" in t for t in (*earlier, block)) else {"GK401", "GK409"}
    run = gkml(["validate", "--format", "json", "catalogs"], cwd=tmp_path)
    assert [d["message"] for d in run.json["diagnostics"] if d["code"] not in allowed] == []


def append_sections(project: Path, blocks) -> None:
    """Append each `# 加到 FILE` section of blocks to that registry file of project."""
    for text in blocks:
        parts = ADD_TO.split(text)
        assert not parts[0].strip(), "text before the first # 加到 line"
        for name, lines in zip(parts[1::2], parts[2::2]):
            target = project / name
            assert target.is_file(), name
            target.write_text(target.read_text("utf-8") + lines, "utf-8")


GUIDE_REGISTRY = tuple(found.group(1) for found in FENCE.finditer((ROOT / "docs/zh/registry.md").read_text("utf-8"))
                       if ADD_TO.search(found.group(1)))


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("doc", [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_resolve(doc):
    broken = [target for target in LINK.findall(doc.read_text("utf-8"))
              if "://" not in target and not (doc.parent / target).exists()]
    assert broken == []


def test_readme_links_the_author_guide_first():
    first = LINK.search((ROOT / "README.md").read_text("utf-8"))
    assert first and first.group(1) == "docs/zh/README.md"
