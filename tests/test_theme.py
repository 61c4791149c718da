"""The theme override: the project's templates/ over the packaged templates (compiler/builders/theme.py)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main

CATALOG_PAGE = "site/catalogs/341321/employment.html"


def build(project: Path, *args: str):
    """`gkml build` run in the project folder (where templates/ is looked for), reusing the previous build."""
    os.chdir(project)
    return CliRunner().invoke(main, ["build", "--out", "build", *args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


@pytest.fixture
def built(project, monkeypatch) -> tuple[Path, dict]:
    """The project built once without an override: (project, snapshot of build/)."""
    monkeypatch.chdir(project)
    result = build(project)
    assert result.exit_code == 0, result.output
    return project, snapshot(project / "build")


def test_override_changes_the_pages_it_renders_and_incremental_builds_notice(built):
    project, before = built
    write(project / "templates/catalog.html",
          '{% extends "base.html" %}\n{% block main %}<p class="brand-note">本站由某县政务公开办维护</p>'
          '<h1>{{ title }}</h1>{% endblock %}\n')
    result = build(project)
    assert result.exit_code == 0, result.output
    page = (project / "build" / CATALOG_PAGE).read_text("utf-8")
    assert "本站由某县政务公开办维护" in page and "<footer" in page   # its block, inside the packaged base.html
    assert "本站由某县政务公开办维护" not in (project / "build/site/index.html").read_text("utf-8")
    # an edit of the override is noticed by the next (incremental) build
    write(project / "templates/catalog.html", '{% extends "base.html" %}{% block main %}第二版{% endblock %}')
    assert build(project).exit_code == 0
    assert "第二版" in (project / "build" / CATALOG_PAGE).read_text("utf-8")
    # and removing it gives back the packaged pages, byte for byte
    (project / "templates/catalog.html").unlink()
    assert build(project).exit_code == 0
    assert snapshot(project / "build") == before


def test_an_override_of_the_basis_partial_is_rendered_for_each_matter(built):
    """The packaged 公开依据 cell is rendered once per distinct basis; an override may read more of
    the matter than its basis, so it is rendered for each one."""
    project, _ = built
    write(project / "templates/partials/basis.html", '<p class="mine">{{ item.id }}:{{ item.basis|join("、") }}</p>\n')
    assert build(project).exit_code == 0
    page = (project / "build" / CATALOG_PAGE).read_text("utf-8")
    cells = [line for line in page.splitlines() if 'class="mine"' in line]
    ids = [line.split('class="mine">')[1].split(":")[0] for line in cells]
    assert len(ids) > 1 and len(set(ids)) == len(ids)   # one cell per matter, each its own id
    (project / "templates/partials/basis.html").unlink()
    assert build(project).exit_code == 0
    assert 'class="mine"' not in (project / "build" / CATALOG_PAGE).read_text("utf-8")


@pytest.mark.parametrize("text, line, what", [
    ('{% extends "base.html" %}\n{% block main %}\n{% for x in %}\n{% endblock %}\n', 3, "语法"),
    ('{% extends "base.html" %}\n{% block main %}\n<p>ok</p>\n<p>{{ page.no_such_field }}</p>\n{% endblock %}\n', 4,
     "不存在的变量"),
    ('{% extends "base.html" %}\n{% block main %}\n{{ no_such_name }}\n{% endblock %}\n', 3, "不存在的变量"),
])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_broken_override_is_a_positioned_error_and_the_build_is_kept(built, text, line, what, jobs):
    project, before = built
    write(project / "templates/catalog.html", text)
    result = build(project, "--jobs", jobs)
    assert result.exit_code == 2
    message = result.stderr
    assert message.startswith("gkml build:模板错误") and f"templates/catalog.html:{line}" in message, message
    assert what in message and "保持不变" in message and "Traceback" not in message
    assert snapshot(project / "build") == before
    assert not [p for p in project.iterdir() if "staging" in p.name]


def test_static_files_are_replaced_and_added(built):
    project, _ = built
    write(project / "templates/static/gkml.css", "body { color: #000; }\n")
    (project / "templates/static/img").mkdir(parents=True)
    (project / "templates/static/img/logo.png").write_bytes(b"\x89PNG fake")
    assert build(project).exit_code == 0
    site = project / "build/site"
    assert (site / "static/gkml.css").read_text("utf-8") == "body { color: #000; }\n"
    assert (site / "static/img/logo.png").read_bytes() == b"\x89PNG fake"
    assert (site / "static/search.js").is_file()       # the packaged files it does not replace stay


@pytest.mark.parametrize("where", ["templates/catalog.html", "templates/static/gkml.css", "templates"])
def test_override_leading_outside_the_project_is_refused(built, tmp_path_factory, where):
    project, before = built
    outside = tmp_path_factory.mktemp("outside")
    write(outside / "catalog.html", '{% extends "base.html" %}{% block main %}SECRET{% endblock %}')
    write(outside / "gkml.css", "SECRET")
    target = {"templates": outside, "templates/static/gkml.css": outside / "gkml.css"}.get(where, outside / "catalog.html")
    link = project / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    result = build(project)
    assert result.exit_code == 2 and "项目目录之外" in result.stderr and "已拒绝" in result.stderr, result.output
    assert snapshot(project / "build") == before
