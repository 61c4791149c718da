"""The builders a build runs, in the order their tasks are taken: one line per builder module.

Each module declares ROOTS and outputs(ctx) (compiler/builders/outputs.py); adding an output
is a builder module and a line here.
"""
from __future__ import annotations

from . import html, jsondata, opendata, records, search, staff_assess, workbooks

BUILDERS = (search, html, workbooks, jsondata, opendata, staff_assess, records)
