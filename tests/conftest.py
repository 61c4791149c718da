"""Shared test helpers: run gkml in-process, copy the embedded default, state expected findings."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

# In CI every run draws the same examples, so a submission's result is reproducible; locally
# each run explores new ones (and Hypothesis replays any failure it finds).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

from compiler.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "catalogs"


def items_of(data: dict) -> list[dict]:
    """A catalog file's items, in either shape (items, or a township's areas: sections)."""
    return data.get("items") or [i for section in data.get("areas", []) or [] for i in section.get("items", []) or []]


class Run:
    """The outcome of one gkml invocation."""

    def __init__(self, result):
        self.code = result.exit_code
        self.out = result.stdout
        self.err = result.stderr
        self.exception = result.exception

    @property
    def json(self) -> dict:
        return json.loads(self.out)

    def findings(self) -> set[tuple[str, str, int]]:
        """(code, file, line) of every diagnostic in a --format json run."""
        return {(d["code"], d["file"], d["line"]) for d in self.json["diagnostics"]}

    def codes(self) -> list[str]:
        return [d["code"] for d in self.json["diagnostics"]]


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own cache folder: no test sees another's (or the user's) cache."""
    monkeypatch.setenv("GKML_CACHE_DIR", str(tmp_path_factory.mktemp("gkml-cache")))


@pytest.fixture
def gkml(monkeypatch):
    """Call gkml in-process in a given folder: gkml(["validate", "--format", "json"], cwd=tmp_path)."""
    def run(args, cwd: Path | None = None, input: str | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        result = CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result)
    return run


@pytest.fixture
def project(tmp_path) -> Path:
    """A writable copy of the embedded default catalog set at tmp_path/catalogs."""
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    return tmp_path


CHROMIUM = os.environ.get("GKML_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser; never skipped)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: pip install -e '.[test]' (the browser tests never skip)")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set GKML_CHROMIUM); "
                    "the browser tests never skip")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def expect(run: Run, *expected: tuple[str, str, int], exact: bool = False) -> None:
    """Assert the (code, file, line) findings of a json run include (or, exact, equal) expected."""
    found = run.findings()
    missing = set(expected) - found
    assert not missing, f"missing {sorted(missing)}; found {sorted(found)}"
    if exact:
        assert found == set(expected), f"unexpected {sorted(found - set(expected))}"
