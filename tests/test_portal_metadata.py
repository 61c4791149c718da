"""The metadata block of a published catalog (builders/metadata.py): 索引号 and the dated lines (issue 20 item 5)."""
from __future__ import annotations

from types import SimpleNamespace

from compiler.builders import metadata


def _site(*catalogs, codes=None):
    units = {name: SimpleNamespace(code=code) for name, code in (codes or {}).items()}
    pages = [SimpleNamespace(catalog=SimpleNamespace(department=d, effective=e, region=None)) for d, e in catalogs]
    return SimpleNamespace(pages=pages, numbers=None, registry=SimpleNamespace(units=units, unit=lambda name, region=None: units.get(name)))


def test_index_numbers_count_per_unit_and_year_in_site_order():
    site = _site(("甲局", "2024-03-01"), ("乙局", "2024-05-01"), ("甲局", "2024-01-01"), ("甲局", "2025-01-01"),
                 ("甲局", None))
    assert metadata.index_numbers(site) == ["2024-00001", "2024-00001", "2024-00002", "2025-00001", ""]


def test_index_number_starts_with_the_registry_code_when_there_is_one():
    site = _site(("甲局", "2024-03-01"), codes={"甲局": "11341321003187229Q"})
    assert metadata.index_numbers(site) == ["11341321003187229Q/2024-00001"]


def test_block_follows_the_run_date_and_defaults_the_publisher():
    header = {"effective": "2024-03-01", "expires": "2025-01-01", "written": "2024-02-20"}
    def values(today):
        return {e.label: e.value for e in metadata.block(header, "甲局", "2024-00001", today)}
    assert values("2024-06-01") == {"索引号": "2024-00001", "发布机构": "甲局", "成文日期": "2024-02-20", "发布日期": "",
                                    "有效性": "有效", "生效时间": "2024-03-01", "废止时间": "2025-01-01"}
    assert values("2024-01-01")["有效性"] == "未生效" and values("2025-01-01")["有效性"] == "已失效"
    line = metadata.workbook_line(header, "2024-00001", "2024-06-01")
    assert line == "索引号:2024-00001  成文日期:2024-02-20  有效性:有效  废止时间:2025-01-01"


def test_a_registry_code_reaches_the_page_and_the_json(project, tmp_path):
    import json
    from click.testing import CliRunner
    from compiler.cli import main
    units = project / "catalogs/registry/units.yaml"
    text = units.read_text("utf-8")
    units.write_text(text.replace("  - name: 砀山县民政局\n", "  - name: 砀山县民政局\n    code: 11341321003187229Q\n", 1), "utf-8")
    result = CliRunner().invoke(main, ["build", "--no-cache", str(project / "catalogs"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out/data/341321/social-assistance.json").read_text("utf-8"))["catalog"]
    number = data["metadata"]["index_number"]
    assert number.startswith("11341321003187229Q/" + data["effective"][:4] + "-")
    assert f"<dd>{number}</dd>" in (tmp_path / "out/site/catalogs/341321/social-assistance.html").read_text("utf-8")
