"""`gkml init`: claim (领取) the upper level's matters as a new catalog for a lower region."""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from .. import fields, ids
from .. import index as idx
from ..atomic import write_new
from ..loader import parse
from ..model import Item
from ..pipeline import Options, check
from ..sources import UsageError
from .common import EXIT_OK, guarded, today

@dataclass
class Draft:
    """One catalog to write: where, its header, its items, and notes for the user."""

    path: Path
    area: str
    header: dict
    items: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- YAML text --------------------------------------------------------------------------------

_PLAIN_OK = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9+.~][^#]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "~", "True", "False", "Null", "NULL", "TRUE", "FALSE"}


def _scalar(value: object, in_flow: bool = False) -> str:
    """A YAML scalar people can read: plain when unambiguous, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    plain = (_PLAIN_OK.match(text) and ": " not in text and not text.endswith(":") and text.strip() == text
             and text not in _RESERVED and "\n" not in text
             and not (in_flow and any(c in text for c in ",[]{}:#")))
    return text if plain else json.dumps(text, ensure_ascii=False)


def _flow(values) -> str:
    return "[" + ", ".join(_scalar(v, in_flow=True) for v in values) + "]"


_HEAD_LINES = ("# 由 gkml init 根据上级目录生成的初稿:请核对每个事项的公开内容、时限和渠道后再发布。",)


def _header_line(key: str, value: object, indent: str = "") -> str:
    quoted = key in ("region", "version", "effective")
    return f"{indent}{key}: {json.dumps(value, ensure_ascii=False) if quoted and not isinstance(value, bool) else _scalar(value)}"


def _item_lines(items: list[dict], indent: str = "") -> list[str]:
    """`items:` and its entries, each line after indent (a section's items sit 4 spaces in)."""
    lines = [f"{indent}items: []" if not items else f"{indent}items:"]
    for item in items:
        first = True
        for key, value in item.items():
            lead = indent + ("  - " if first else "    ")
            first = False
            if key in ("id", "implements"):
                lines.append(f"{lead}{key}: {json.dumps(value, ensure_ascii=False)}")
            elif key == "basis":
                lines.append(f"{lead}{key}:")
                lines.extend(f"{indent}      - {_scalar(v)}" for v in value)
            elif isinstance(value, (list, tuple)):
                lines.append(f"{lead}{key}: {_flow(value)}")
            else:
                lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines


def render(draft: Draft, modeline: str) -> str:
    """The catalog as YAML text, in the layout of the embedded default."""
    lines = [f"# yaml-language-server: $schema={modeline}", *_HEAD_LINES]
    lines.extend(_header_line(key, value) for key, value in draft.header.items())
    lines.extend(_item_lines(draft.items))
    return "\n".join(lines) + "\n"


def render_sections(drafts: list[Draft], department: str, modeline: str) -> str:
    """Drafts of one region as one file with a section per area (docs/format.md), as township catalogs are published."""
    lines = [f"# yaml-language-server: $schema={modeline}", *_HEAD_LINES]
    header = {k: v for k, v in drafts[0].header.items() if k != "area"}
    header["department"] = department
    lines.extend(_header_line(key, value) for key, value in header.items())
    lines.append("areas:")
    for draft in drafts:
        lines.append(f"  - area: {_scalar(draft.area)}")
        if draft.header["department"] != department:
            lines.append(_header_line("department", draft.header["department"], "    "))
        lines.extend(_item_lines(draft.items, "    "))
    return "\n".join(lines) + "\n"


# --- planning ---------------------------------------------------------------------------------

def _register_hint(index: idx.Index, name: str | None, from_region: str | None, region, stems) -> str:
    """The units.yaml lines that would register the region's counterpart of an upper unit."""
    upper = index.registry.regions.get(from_region or "")
    guess = name or ""
    if region.level == "township":  # a township's offices are 办公室, not bureaus (DOMAIN §8)
        guess = f"{region.name}{stems[0] if stems else '党政综合'}办公室"
    elif upper is not None and guess.startswith(upper.name):
        guess = region.name + guess[len(upper.name):]
    elif not guess.startswith(region.name):
        guess = f"{region.name}{stems[0] if stems else ''}部门"
    return ids.unit_lines(guess, region.code, stems)


def _unit_for(index: idx.Index, name: str | None, from_region: str | None, region,
              area) -> tuple[str | None, str | None, str | None]:
    """The region's counterpart of an upper unit (same function); when guessed, a note and the
    units.yaml lines that would register it."""
    match = index.resolve_unit(name, from_region)
    stems: tuple[str, ...] = ()
    if match is None and name:
        stems = tuple(s for u in index.registry.units.values() for s in u.stems if s and s in name)
    found = index.counterparts(match.unit if match else None, region.code, stems)
    if found:
        return found[0].name, None, None
    wanted = tuple(dict.fromkeys((*(match.unit.stems if match else ()), *stems))) or ((area.lead,) if area and area.lead else ())
    hint = _register_hint(index, name, from_region, region, wanted)
    if area is not None and area.lead:
        leads = index.units_with_stem(region.code, area.lead)   # a township's government comes below, with its own note
        if leads:
            return leads[0].name, f"“{name}”在本地区没有对应单位,暂由牵头单位“{leads[0].name}”公开,请核对", hint
    if region.level == "township":
        government = index.governments(region.code)
        if government:
            return government[0].name, f"“{name}”在本乡镇没有对应单位,暂由“{government[0].name}”公开,请核对", hint
    return None, f"“{name}”在本地区没有对应单位", hint


def _upper_items(index: idx.Index, region, area) -> list[Item]:
    """The upper level's items of an area that ask this region's level to disclose them (GK603's
    list: a township claims them even where the registry requires no township catalog)."""
    upper_region = index.upper_region(region.code, area.name) or index.upper_region(region.code)
    if upper_region is None:
        return []
    return [i for catalog in index.catalogs_by_cell.get((upper_region, area.name), ())
            for i in catalog.items if i.id and any(idx.obliged_level(lv) == region.level for lv in i.levels)]


def _claimed(upper: Item, own: dict) -> dict:
    """The claimed item in format order: the region's own fields, and the fields the table marks `claim` copied."""
    item = {}
    for f in fields.ITEM:
        if f.key in own:
            item[f.key] = own[f.key]
        elif f.claim:
            # the model's value (vocabularies canonical) where it carries the field, else as written
            value = getattr(upper, f.key) if f.model else upper.data.get(f.key)
            if value not in (None, "", [], ()):
                item[f.key] = list(value) if isinstance(value, (list, tuple)) else value
    return item


def plan(project, region_code: str, area_name: str | None, root: Path) -> list[Draft]:
    """Drafts for every area (or the one asked for) the region must have; pure apart from names."""
    index = idx.of(project)
    registry = project.registry
    region = registry.regions.get(region_code)
    if region is None:
        hint = idx.did_you_mean(region_code, list(registry.regions))["suggestion"]
        if not ids.is_region_code(region_code):
            raise UsageError(f"地区代码 {region_code} 不在地区登记表中{hint}(region not registered):"
                             "地区代码是 6 位数字(乡镇为 9 位或 12 位),如 341323")
        raise UsageError(f"地区代码 {region_code} 不在地区登记表中{hint}(region not registered)\n"
                         f"如果这是一个新地区,请先在 {(root / 'registry' / 'regions.yaml').as_posix()} 的 regions: 下"
                         f"加上这一行(把“填写地区名称”改成正式名称,核对层级和上级代码):\n"
                         + ids.region_lines(region_code, registry.regions)
                         + f"\n再在 {(root / 'registry' / 'units.yaml').as_posix()} 的 units: 下登记本地区的单位,例如:\n"
                         + ids.unit_lines("填写地区名称人民政府", region_code, ["人民政府"]))
    if region.level not in idx.LEVELS:
        raise UsageError(f"地区 {region_code} 在登记表中的层级“{region.level}”无效(invalid level in the registry)")
    if area_name is not None:
        area = registry.area(area_name)
        if area is None:
            hint = idx.did_you_mean(area_name, list(registry.area_names))["suggestion"]
            raise UsageError(f"重点领域“{area_name}”不在登记表中{hint}(unknown area)")
        areas = [area]
    else:
        areas = index.required_areas(region)
        if not region.areas:  # a development zone covers only its listed areas
            areas += [a for a in registry.areas.values() if a not in areas and _upper_items(index, region, a)]
        if not areas:
            raise UsageError(f"登记表没有要求{idx.level_name(region.level)}编制目录的重点领域(no area required at this level)")
    if region.level == "township" and not index.governments(region.code):
        # a township publishes as its government or its offices (DOMAIN §8), never as 乡级民政部门
        government = f"{region.name}办事处" if region.name.endswith("街道") else f"{region.name}人民政府"
        raise UsageError(f"乡镇(街道)“{region.name}”({region.code})的政府还没有登记:请先在 "
                         f"{(root / 'registry' / 'units.yaml').as_posix()} 的 units: 下加上(核对名称):\n"
                         + ids.unit_lines(government, region.code, ["人民政府"])
                         + "\n(township government not registered: add it to units.yaml first)")
    used_ids = set(index.items_by_id)
    level_zh = idx.level_name(region.level)
    floor = idx.LEVELS.index(region.level)
    drafts = []
    for area in areas:
        slug = area.slug or "catalog"
        draft = Draft(root / region.code / f"{slug}.yaml", area.name, {})
        existing = index.catalogs_by_cell.get((region.code, area.name))
        uppers = _upper_items(index, region, area)
        leads = index.lead_units(region.code, area.lead) if area.lead else []
        if not leads and region.level == "township":
            leads = index.governments(region.code)
        department = leads[0].name if leads else None
        tag = ids.area_tag(area.slug, [u.id for u in uppers])
        registrations: list[str] = []
        noted: dict[str, list[str]] = {}   # one line per guessed unit, naming its items
        serial = 0
        for upper in uppers:
            serial += 1
            new_id = ids.item_id(region.code, tag, serial)
            while new_id in used_ids:
                serial += 1
                new_id = ids.item_id(region.code, tag, serial)
            used_ids.add(new_id)
            # the fields of this region's own: id, units, levels, the link up, the requirements that apply
            own: dict = {"id": new_id}
            unit, note, register = _unit_for(index, upper.responsible_unit, upper.catalog.region, region, area)
            if note:
                noted.setdefault(note, []).append(new_id)
            if register and register not in registrations:
                registrations.append(register)
            own["responsible_unit"] = unit or f"{level_zh}{area.lead}部门"
            co_units = [u for u in (_unit_for(index, c, upper.catalog.region, region, None)[0] for c in upper.co_units) if u]
            co_units = [u for n, u in enumerate(co_units) if u != own["responsible_unit"] and u not in co_units[:n]]
            if co_units:
                own["co_units"] = co_units
            own["levels"] = [lv for lv in upper.levels if (rank := idx.level_rank(lv)) is not None and rank >= floor]
            own["implements"] = upper.id
            wanted = {idx.obliged_level(lv) for lv in own["levels"]}   # 村级: the township's
            requirements = [r for r in upper.requirements
                            if r in registry.requirements and (not registry.requirements[r].levels
                                                               or wanted & set(registry.requirements[r].levels))]
            if requirements:
                own["requirements"] = requirements
            draft.items.append(_claimed(upper, own))
        if department is None and draft.items:
            department = draft.items[0]["responsible_unit"]
        draft.header = {"region": region.code, "level": region.level, "area": area.name,
                        "department": department or f"{region.name}{area.lead}部门",
                        "version": f"{today()[:4]}.1", "standard": False}
        draft.notes.extend(f"{'、'.join(item_ids)}: {note}" for note, item_ids in noted.items())
        if registrations:
            draft.notes.append(f"请在 {(root / 'registry' / 'units.yaml').as_posix()} 的 units: 下登记本地区的单位"
                               "(核对名称后加入),例如:\n" + "\n".join(registrations))
        if existing:
            draft.notes.append("已有目录:" + "、".join(c.file for c in existing))
        drafts.append(draft)
    return drafts


def _modeline(path: Path) -> str:
    """Relative path from the new file to the catalog schema (the editor's completion and checks)."""
    for folder in (path.parent, *path.parent.parents):
        candidate = folder / "schema" / "catalog.schema.json"
        if candidate.is_file():
            return Path(os.path.relpath(candidate, path.parent)).as_posix()
    return "../../schema/catalog.schema.json"


@click.command("init")
@click.option("--region", "region_code", required=True, help="地区代码,如 341323。")
@click.option("--area", "area_name", help="只生成这个重点领域的目录(默认:本级要求的全部领域)。")
@click.option("--root", type=click.Path(file_okay=False), default="catalogs", show_default=True,
              help="目录集所在文件夹(含 registry/)。")
@click.option("--layout", type=click.Choice(["files", "sections"]), default="files", show_default=True,
              help="files:每个领域一个文件;sections:一个文件、每个领域一节(乡镇目录常用,写成 <地区代码>/catalog.yaml)。")
@guarded
def init(region_code, area_name, root, layout):
    """领取上级事项:为一个地区生成新目录初稿(implements 和本级公开主体已填好),从不覆盖已有文件。"""
    root_path = Path(root)
    if not root_path.is_dir():
        raise UsageError(f"文件夹不存在:{root}")
    result = check(Options(paths=(root,)), today())
    if result.project.registry.empty:
        raise UsageError(f"在 {root} 中没有找到登记表(registry/)")
    drafts = plan(result.project, region_code.strip(), area_name, root_path)
    if layout == "sections":
        _write_sections(result.project, drafts, root_path / region_code.strip() / SECTIONS_FILE)
        sys.exit(EXIT_OK)
    for draft in drafts:
        text = render(draft, _modeline(draft.path.resolve()))
        parsed = parse(text.encode("utf-8"), str(draft.path))
        if parsed.diagnostics or not isinstance(parsed.data, dict) or len(parsed.data.get("items") or []) != len(draft.items):
            raise RuntimeError(f"generated YAML for {draft.path} does not read back")  # a gkml bug, never user input
        existed = draft.notes and draft.notes[-1].startswith("已有目录")
        if existed:
            click.echo(f"跳过 {draft.path.as_posix()}:{draft.notes[-1]}")
            continue
        if write_new(draft.path, text.encode("utf-8")):
            click.echo(f"已写入 {draft.path.as_posix()}({len(draft.items)} 个事项,领域:{draft.area})")
            for note in draft.notes:
                click.echo(f"  注意:{note}")
        else:
            click.echo(f"跳过 {draft.path.as_posix()}:文件已存在,不会覆盖")
    sys.exit(EXIT_OK)



SECTIONS_FILE = "catalog.yaml"


def _write_sections(project, drafts: list[Draft], path: Path) -> None:
    """Write the drafts of the areas without a catalog as one file of sections (never over a file)."""
    todo = [d for d in drafts if not (d.notes and d.notes[-1].startswith("已有目录"))]
    for draft in drafts:
        if draft not in todo:
            click.echo(f"跳过“{draft.area}”:{draft.notes[-1]}")
    if not todo:
        return
    index = idx.of(project)
    region = drafts[0].header["region"]
    governments = index.governments(region)
    department = governments[0].name if governments else todo[0].header["department"]
    text = render_sections(todo, department, _modeline(path.resolve()))
    parsed = parse(text.encode("utf-8"), str(path))
    sections = parsed.data.get("areas") if isinstance(parsed.data, dict) else None
    if parsed.diagnostics or not isinstance(sections, list) or [len(s.get("items") or []) for s in sections] != [
            len(d.items) for d in todo]:
        raise RuntimeError(f"generated YAML for {path} does not read back")  # a gkml bug, never user input
    if not write_new(path, text.encode("utf-8")):
        click.echo(f"跳过 {path.as_posix()}:文件已存在,不会覆盖")
        return
    click.echo(f"已写入 {path.as_posix()}({sum(len(d.items) for d in todo)} 个事项,{len(todo)} 个领域:"
               + "、".join(d.area for d in todo) + ")")
    for draft in todo:
        for note in draft.notes:
            click.echo(f"  注意:{draft.area}:{note}")


COMMANDS = [init]
