"""The one-entry-per-line JSON layout of the large data files (jsondata.dumps_rows): same data as
json.dumps, one entry per line, the same bytes whatever the chunk size."""
from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from compiler.builders.jsondata import dumps_rows

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
_LEAF = st.none() | st.booleans() | st.integers() | _TEXT
_VALUE = st.recursive(_LEAF, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
                      max_leaves=8)
_ROWS = st.lists(_VALUE, max_size=7) | st.dictionaries(_TEXT, _VALUE, max_size=7)


@settings(max_examples=200, deadline=None)
@given(head=st.dictionaries(st.sampled_from(["format", "kind", "名称", "n"]), _VALUE, max_size=4),
       rows=st.dictionaries(st.sampled_from(["documents", "citations"]), _ROWS, max_size=2),
       chunk=st.integers(1, 5))
def test_rows_layout_reads_back_and_does_not_depend_on_the_chunk(head, rows, chunk):
    value = {**head, **rows}
    written = dumps_rows(value, ("documents", "citations"))
    assert json.loads(written) == value
    assert list(json.loads(written)) == list(value)          # key order as built
    assert written.endswith(b"}\n")
    assert dumps_rows(value, ("documents", "citations"), chunk=chunk) == written


def test_each_entry_is_one_line_and_chinese_is_not_escaped():
    value = {"format": "gkml-data", "documents": [{"id": "g1", "title": "条例"}, {"id": "g2"}],
             "citations": {"340000-01-001": ["g1", "g2"], "340000-01-002": ["g2"]}}
    lines = dumps_rows(value, ("documents", "citations")).decode("utf-8").splitlines()
    assert lines == ['{', ' "format": "gkml-data",', ' "documents": [', '  {"id":"g1","title":"条例"},',
                     '  {"id":"g2"}', ' ],', ' "citations": {', '  "340000-01-001": ["g1","g2"],',
                     '  "340000-01-002": ["g2"]', ' }', '}']
