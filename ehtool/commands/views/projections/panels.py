"""Locality panels: sittings, agenda items, the agenda workbook and decisions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ehtool.commands.views.projections.picking import pick, pick_all

PANEL_LIST_KEYS = ("id", "locality", "date", "chair", "items")
PANEL_KEYS = ("id", "locality", "date", "chair", "items")
PANEL_ITEM_KEYS = (
    "item",
    "family_id",
    "reason",
    "presenter",
    "notes",
    "consent",
    "no_consent_reason",
    "decision",
    "decision_notes",
    "actions",
    "allocated_to",
    "decided_on",
)
PANEL_ADD_KEYS = ("panel_id", "locality", "date", "item", "family_id", "reason", "consent", "warning")
PANEL_EXPORT_KEYS = ("path", "panel_id", "items", "named", "marking")
PANEL_DECISIONS_KEYS = ("panel_id", "date", "dry_run", "recorded", "unchanged", "warnings", "decisions")
PANEL_DECISION_ROW_KEYS = ("row", "item", "family_id", "decision", "actions", "allocated_to", "notes")
PANEL_DECIDE_KEYS = ("panel_id", "item", "family_id", "decision", "notes", "actions", "allocated_to")


def panel_list_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return pick_all(rows, PANEL_LIST_KEYS)


def panel_json(panel: Mapping[str, Any]) -> dict:
    """`panel show|schedule --json`: the sitting and its agenda."""
    return {**pick(panel, PANEL_KEYS), "items": pick_all(panel["items"], PANEL_ITEM_KEYS)}


def panel_add_json(result: Mapping[str, Any]) -> dict:
    return pick(result, PANEL_ADD_KEYS)


def panel_export_json(result: Mapping[str, Any]) -> dict:
    return pick(result, PANEL_EXPORT_KEYS, bools=("named",))


def panel_decisions_json(result: Mapping[str, Any]) -> dict:
    return {
        **pick(result, PANEL_DECISIONS_KEYS, bools=("dry_run",)),
        "decisions": pick_all(result["decisions"], PANEL_DECISION_ROW_KEYS),
    }


def panel_decide_json(result: Mapping[str, Any]) -> dict:
    return pick(result, PANEL_DECIDE_KEYS)
