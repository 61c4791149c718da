"""The legal floor (GK701, GK702): items cite registered requirements that apply to their level."""
from __future__ import annotations

from conftest import expect
from test_rules_support import findings, line_of, set_key

SA = "catalogs/341321/social-assistance.yaml"


def validate(gkml, root):
    return gkml(["validate", "--format", "json", "--no-cache"], cwd=root)


def test_unknown_requirement_with_suggestion(gkml, project):
    path = project / SA
    set_key(path, "341321-sa-002", "requirements", "[art21-7]")
    run = validate(gkml, project)
    expect(run, ("GK701", SA, line_of(path, "341321-sa-002", "requirements")), exact=True)
    assert "art21-07" in run.json["diagnostics"][0]["message"]
    assert run.code == 1


def test_township_requirement_on_a_county_only_row(gkml, project):
    set_key(project / SA, "341321-sa-002", "requirements", "[art21-07, art21-10]")   # 农村土地承包经营权流转: 乡级 only
    run = validate(gkml, project)
    [d] = run.json["diagnostics"]
    assert d["code"] == "GK702" and d["severity"] == "warning" and d["path"] == "/items/1/requirements/1"
    assert d["related"][0]["file"] == "catalogs/registry/requirements.yaml"


def test_township_requirement_on_a_row_shared_with_townships(gkml, project):
    set_key(project / SA, "341321-sa-003", "requirements", "[art20-05, art21-10]")   # levels: 县级, 乡级
    assert validate(gkml, project).code == 0 and not validate(gkml, project).json["diagnostics"]


def test_article_21_does_not_bind_the_province(gkml, project):
    set_key(project / "catalogs/340000/social-assistance.yaml", "340000-sa-006", "requirements", "[art21-07]")
    assert findings(validate(gkml, project), "GK702")
