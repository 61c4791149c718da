"""Broken registries and catalogs never crash the cross-catalog rules, `coverage` or `init`."""
from __future__ import annotations

import copy
import shutil

import yaml
from conftest import DEFAULT, items_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler import coverage
from compiler.pipeline import Options, check

JUNK = st.one_of(st.none(), st.booleans(), st.integers(-5, 400000), st.text(max_size=8),
                 st.lists(st.text(max_size=6), max_size=3), st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2))

REGISTRY_KEYS = {"regions": ["code", "name", "level", "parent", "kind", "areas"],
                 "areas": ["name", "slug", "aliases", "levels", "lead", "cooperating"],
                 "units": ["name", "region", "stems", "aliases", "renamed_from", "placeholder"],
                 "requirements": ["id", "levels", "title"],
                 "documents": ["id", "title", "number", "aliases", "type", "status", "ended", "effective", "superseded_by"],
                 "thesaurus": ["term", "words", "related"]}
ITEM_KEYS = ["id", "matter", "sub_matter", "responsible_unit", "co_units", "levels", "implements", "requirements",
             "time_limit", "channels", "audience", "method"]
HEADER_KEYS = ["region", "level", "area", "standard"]

_BASE = {p.relative_to(DEFAULT).as_posix(): yaml.safe_load(p.read_text("utf-8")) for p in sorted(DEFAULT.rglob("*.yaml"))}
_SETTINGS = settings(max_examples=20, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@_SETTINGS
@given(st.data())
def test_junk_never_crashes(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("junk") / "catalogs"
    files = copy.deepcopy(_BASE)
    names = sorted(files)
    for _ in range(data.draw(st.integers(1, 8))):
        name = data.draw(st.sampled_from(names))
        doc = files[name]
        if name.startswith("registry/"):
            kind = next(iter(doc))
            entry = data.draw(st.sampled_from(doc[kind]))
            entry[data.draw(st.sampled_from(REGISTRY_KEYS[kind]))] = data.draw(JUNK)
        elif data.draw(st.booleans()):
            doc[data.draw(st.sampled_from(HEADER_KEYS))] = data.draw(JUNK)
        else:
            target = data.draw(st.sampled_from(items_of(doc)))   # a township's file of sections too
            target[data.draw(st.sampled_from(ITEM_KEYS))] = data.draw(JUNK)
    for name, doc in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    result = check(Options(paths=(str(root),), cache=False, base=str(root.parent)), "2024-06-01")
    matrix = coverage.compute(result.project, result.diagnostics, legal=True)
    for render in coverage.RENDERERS.values():
        assert render(matrix, "zh") and render(matrix, "en")
    for d in result.diagnostics:
        assert d.message("zh") and d.message("en")
    shutil.rmtree(root.parent)


def test_init_on_junk_registry_is_a_usage_error(gkml, project):
    regions = project / "catalogs/registry/regions.yaml"
    regions.write_text(regions.read_text("utf-8") + '  - {code: "341324", name: 泗县, level: village, parent: "341300"}\n', "utf-8")
    run = gkml(["init", "--region", "341324"], cwd=project)
    assert run.code == 2 and "层级" in run.err
