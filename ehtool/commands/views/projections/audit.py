"""The audit trail: entries, verifying it, its head."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ehtool.commands.views.projections.picking import pick, pick_all

AUDIT_KEYS = ("id", "at", "actor", "kind", "action", "entity", "entity_id", "family_id", "fields", "values", "hash")
VERIFY_KEYS = ("ok", "entries", "head", "broken_at", "reason")
HEAD_KEYS = ("id", "hash")


def audit_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return pick_all(rows, AUDIT_KEYS)


def verify_json(result: Mapping[str, Any]) -> dict:
    return pick(result, VERIFY_KEYS, bools=("ok",))


def head_json(row: Mapping[str, Any] | None) -> dict:
    return pick(row, HEAD_KEYS) if row else {"id": 0, "hash": None}
