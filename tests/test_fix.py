"""`gkml fix`: damage of the kinds the hints describe, done to copies of the embedded default, is
undone byte for byte (comments and layout intact); fix is idempotent and leaves no fixable finding."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from compiler import vocabulary
from compiler.fixer import fix_text, fixable, merge
from compiler.fixes import Target, fix, fixes_for, unregister
from conftest import DEFAULT

FILES = sorted(DEFAULT.glob("[0-9]*/*.yaml"))
_SYNONYM_OF = {}
for _name in ("audience", "method", "channel", "level"):
    for _synonym, _canonical in vocabulary.get(_name).synonyms.items():
        _SYNONYM_OF.setdefault(_canonical, _synonym)
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _synonym(line: str) -> str | None:
    match = re.match(r"(\s+(?:audience|method): )(\S+)$", line)
    if match and match[2] in _SYNONYM_OF:
        return match[1] + _SYNONYM_OF[match[2]]
    match = re.match(r"(\s+channels: \[)([^,\]]+)(.*)$", line)
    if match and match[2] in _SYNONYM_OF:
        return match[1] + _SYNONYM_OF[match[2]] + match[3]
    return None


def _joined(line: str) -> str | None:
    match = re.match(r"(\s+(?:channels|optional_channels|levels): )\[([^\]\"']+,[^\]\"']+)\]$", line)
    return match[1] + "、".join(p.strip() for p in match[2].split(",")) if match else None


def _spaced(line: str) -> str | None:
    match = re.match(r"(\s+(?:matter|sub_matter|content|responsible_unit|time_limit): )(\S.*)$", line)
    return match[1] + "\u3000" + match[2] + "\u3000" if match and "#" not in match[2] else None


def _wide(line: str) -> str | None:
    match = re.match(r'(\s+- id: ")([0-9]+)(-.*)$', line)
    return match[1] + match[2].translate(_FULL_WIDTH) + match[3] if match else None


def _typo(line: str) -> str | None:
    match = re.match(r"(\s+)(content|responsible_unit|time_limit):(.*)$", line)
    typos = {"content": "contnet", "responsible_unit": "responsible_unt", "time_limit": "time_limt"}
    return match[1] + typos[match[2]] + ":" + match[3] if match else None


def _brackets(line: str) -> str | None:
    return line.replace("〔", "[", 1).replace("〕", "]", 1) if "〔" in line and line.lstrip().startswith("- 《") else None


DAMAGE = {"synonym": _synonym, "joined": _joined, "spaced": _spaced, "wide": _wide, "typo": _typo, "brackets": _brackets}


def damaged(text: str, picks: list[tuple[str, int]]) -> str:
    """text with each (kind, n) damage done to the n-th line it applies to (one damage per line)."""
    lines = text.split("\n")
    used: set[int] = set()
    for kind, n in picks:
        places = [i for i, line in enumerate(lines) if i not in used and DAMAGE[kind](line) is not None]
        if places:
            i = places[n % len(places)]
            lines[i] = DAMAGE[kind](lines[i])
            used.add(i)
    return "\n".join(lines)


def test_the_default_needs_no_fix():
    for path in FILES:
        text = path.read_text("utf-8")
        outcome = fix_text(text, path.name)
        assert not outcome.changed and outcome.text == text, path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file=st.sampled_from(FILES),
       picks=st.lists(st.tuples(st.sampled_from(sorted(DAMAGE)), st.integers(0, 200)), min_size=1, max_size=6))
def test_fix_undoes_the_damage_and_is_idempotent(file, picks):
    original = file.read_text("utf-8")
    broken = damaged(original, picks)
    first = fix_text(broken, file.name)
    assert first.changed == (broken != original)
    assert first.text == original, (picks, first.applied)
    assert fixable(first.text, file.name) == []
    again = fix_text(first.text, file.name)
    assert not again.changed and again.text == first.text


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    return tmp_path


def test_fix_command_restores_damaged_copies(tmp_path, gkml):
    """The acceptance test: synonyms, 、-strings and spacing damage in copies of the default."""
    project = _copy(tmp_path)
    originals = {p: p.read_bytes() for p in (project / "catalogs").rglob("*.yaml")}
    targets = sorted(p for p in originals if "registry" not in p.parts)[:6]
    for number, path in enumerate(targets):
        text = path.read_text("utf-8")
        path.write_text(damaged(text, [("synonym", number), ("joined", number), ("spaced", number),
                                       ("synonym", number + 3), ("spaced", number + 5)]), "utf-8")
        assert path.read_bytes() != originals[path]
    assert gkml(["validate"], cwd=project).code == 1
    preview = gkml(["fix", "--diff"], cwd=project)
    assert preview.code == 1 and "+++ b/catalogs/" in preview.out
    assert all(p.read_bytes() != originals[p] for p in targets)      # --diff writes nothing
    run = gkml(["fix"], cwd=project)
    assert run.code == 0, run.out + run.err
    assert {p: p.read_bytes() for p in originals} == originals        # comments and layout intact
    clean = gkml(["validate", "--format", "json"], cwd=project)
    assert clean.code == 0 and clean.json["diagnostics"] == []
    second = gkml(["fix"], cwd=project)
    assert second.code == 0 and "0 个文件的 0 处" in second.out


def test_fix_leaves_unparseable_files_and_other_folders_alone(tmp_path, gkml):
    project = _copy(tmp_path)
    broken = project / "catalogs" / "341321" / "broken.yaml"
    broken.write_bytes(b"items: [\n  - matter: \xe4\xbd\x8e\xe4\xbf\x9d\n")
    outside = project / "catalogs" / "341300" / "social-assistance.yaml"
    _edit_file(outside, "    method: 主动\n", "    method: 主动公开\n")
    before = outside.read_bytes()
    run = gkml(["fix", "catalogs/341321"], cwd=project)
    assert run.code == 1 and "broken.yaml" in run.err and "Traceback" not in run.err
    assert broken.read_bytes() == b"items: [\n  - matter: \xe4\xbd\x8e\xe4\xbf\x9d\n"
    assert outside.read_bytes() == before                             # never outside the named paths
    assert gkml(["fix", "catalogs/341300", "--lang", "en"], cwd=project).code == 0
    assert b"method: \xe4\xb8\xbb\xe5\x8a\xa8\n" in outside.read_bytes()
    assert gkml(["fix", "no-such-folder"], cwd=project).code == 2


def _edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_fix_keeps_bom_and_crlf(tmp_path, gkml):
    project = _copy(tmp_path)
    path = project / "catalogs" / "341321" / "employment.yaml"
    text = path.read_text("utf-8")
    damaged_text = text.replace("    method: 主动\n", "    method: 主动公开\n", 1)
    path.write_bytes(b"\xef\xbb\xbf" + damaged_text.replace("\n", "\r\n").encode("utf-8"))
    assert gkml(["fix", "catalogs/341321/employment.yaml"], cwd=project).code == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")


def test_merge_keeps_what_the_round_trip_would_rewrite():
    original = "# head\n---\na: 1   # keep\nb: x\n...\n"
    noop = "a: 1   # keep\nb: x\n"
    assert merge(original, noop, "a: 1   # keep\nb: y\n") == "# head\n---\na: 1   # keep\nb: y\n...\n"


def test_a_fix_registered_elsewhere_is_applied():
    """The registry is open: a later rule registers its fix with the same decorator (issue 18)."""
    code = "GK302"
    assert fixes_for(code) == []

    @fix(code, "测试:替换笼统依据", "test: replace a vague basis")
    def replace_vague(target: Target) -> bool:
        return target.set("《社会救助暂行办法》(国务院令第649号)")

    try:
        text = (DEFAULT / "341321" / "social-assistance.yaml").read_text("utf-8")
        vague = text.replace("《社会救助暂行办法》(国务院令第649号)", "有关法律法规", 1)
        assert fix_text(vague, "x.yaml").text == text
    finally:
        unregister(code, replace_vague)
    assert fixes_for(code) == []
