"""The grassroots channels (issue 21 item 2): each canonical or a synonym of one, in template
order, accepted by both validators, and shown in template order with ■/□ (tests/data table)."""
from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from compiler import resources, schema, vocabulary
from compiler.builders.common import marks_of

TABLE = yaml.safe_load((Path(__file__).parent / "data" / "grassroots-channels.yaml").read_text("utf-8"))
WRITTEN = {**TABLE["canonical"], **TABLE["synonyms"]}
CHANNEL = vocabulary.get("channel")


def _validators():
    node = {"$defs": resources.schema("catalog")["$defs"], "$ref": "#/$defs/channel"}
    return schema.jsonschema_rs.validator_for(node), jsonschema.Draft202012Validator(node)


@pytest.mark.parametrize("written, canonical", sorted(WRITTEN.items()))
def test_grassroots_channel_is_stored_in_its_canonical_form(written, canonical):
    assert canonical in CHANNEL.canonical
    assert CHANNEL.canonicalize(written) == canonical
    assert CHANNEL.accepts(written)
    fast, slow = _validators()
    assert fast.is_valid(written) and slow.is_valid(written), written
    assert (written in CHANNEL.synonyms) == (written in TABLE["synonyms"])


@pytest.mark.parametrize("written", TABLE["outside"])
def test_other_platforms_still_need_the_other_prefix(written):
    fast, slow = _validators()
    assert not CHANNEL.accepts(written) and not fast.is_valid(written) and not slow.is_valid(written)
    assert CHANNEL.accepts(f"其他:{written}") and fast.is_valid(f"其他:{written}")


def test_grassroots_channels_follow_the_national_template_and_precede_other():
    canonical = list(CHANNEL.canonical)
    national = canonical[:canonical.index("精准推送") + 1]
    assert national[0] == "政府网站" and len(national) == 12
    assert canonical[len(national):] == [*TABLE["canonical"], "其他"]


def test_marks_are_in_template_order_with_grassroots_channels():
    marks = marks_of(("其他:基层公共服务平台", "微信群", "村务公开栏", "政府网站"), ("大喇叭", "12345热线"))
    assert [(m, CHANNEL.canonicalize(c)) for m, c in marks] == [
        ("■", "政府网站"), ("■", "社区/企事业单位/村公示栏(电子屏)"), ("□", "12345政务服务热线"),
        ("□", "大喇叭/应急广播"), ("■", "微信群"), ("■", "其他:基层公共服务平台")]
