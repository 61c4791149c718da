"""Codes of the cross-catalog rules: GK4xx horizontal coverage and units, GK5xx duplicates,
GK6xx vertical consistency, GK7xx legal floor. Same fields as compiler.codes.Code."""
from __future__ import annotations

TABLE: list = []
