"""Codes of `gkml import` findings on imported tables (GK8xx)."""
from __future__ import annotations

TABLE: list = []
