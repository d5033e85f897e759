"""Locality panels: sittings, agenda items, the agenda workbook and decisions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ehtool.commands.views.projections.picking import pick, pick_all

PANEL_LIST_KEYS = ("id", "kind", "locality", "date", "chair", "items")
PANEL_KEYS = ("id", "kind", "kind_name", "locality", "date", "chair", "items")
PANEL_ITEM_KEYS = (
    "item",
    "carried_from",
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
PANEL_ADD_KEYS = ("panel_id", "kind", "locality", "date", "item", "family_id", "reason", "consent", "warning")
PANEL_EXPORT_KEYS = ("path", "panel_id", "items", "named", "marking")
PANEL_DECISIONS_KEYS = ("panel_id", "date", "dry_run", "recorded", "unchanged", "warnings", "decisions")
PANEL_DECISION_ROW_KEYS = ("row", "item", "family_id", "decision", "actions", "allocated_to", "notes", "effects")
PANEL_DECIDE_KEYS = ("panel_id", "item", "family_id", "decision", "notes", "actions", "allocated_to", "effects")
PANEL_EFFECT_KEYS = ("effect", "outcome", "what", "target")
PANEL_KIND_KEYS = ("id", "name", "decisions")
PANEL_KIND_DECISION_KEYS = ("id", "label", "meaning", "effect", "effect_help")


def panel_list_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return pick_all(rows, PANEL_LIST_KEYS)


def panel_json(panel: Mapping[str, Any]) -> dict:
    """`panel show|schedule --json`: the sitting and its agenda (schedule adds what it carried onto it)."""
    out = {**pick(panel, PANEL_KEYS), "items": pick_all(panel["items"], PANEL_ITEM_KEYS)}
    if "carried" in panel:
        out["carried"] = list(panel["carried"])
    return out


def panel_kinds_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return [{**pick(k, PANEL_KIND_KEYS), "decisions": pick_all(k["decisions"], PANEL_KIND_DECISION_KEYS)} for k in rows]


def panel_add_json(result: Mapping[str, Any]) -> dict:
    return pick(result, PANEL_ADD_KEYS)


def panel_export_json(result: Mapping[str, Any]) -> dict:
    return pick(result, PANEL_EXPORT_KEYS, bools=("named",))


def panel_decisions_json(result: Mapping[str, Any]) -> dict:
    return {
        **pick(result, PANEL_DECISIONS_KEYS, bools=("dry_run",)),
        "decisions": [
            {**pick(d, PANEL_DECISION_ROW_KEYS), "effects": pick_all(d["effects"], PANEL_EFFECT_KEYS)}
            for d in result["decisions"]
        ],
    }


def panel_decide_json(result: Mapping[str, Any]) -> dict:
    return {**pick(result, PANEL_DECIDE_KEYS), "effects": pick_all(result["effects"], PANEL_EFFECT_KEYS)}
