"""The family's network and family group decision-making: `network ...`, `fgdm ...`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ehtool.commands.views.projections.picking import pick, pick_all

NETWORK_KEYS = ("id", "family_id", "name", "relationship", "offer", "contact", "agreed")
MEETING_KEYS = (
    "id",
    "family_id",
    "offered_on",
    "offered_by",
    "source",
    "response",
    "response_on",
    "held_on",
    "attended",
    "family_plan",
    "plan_id",
)


def network_json(row: Mapping[str, Any]) -> dict:
    return pick(row, NETWORK_KEYS, bools=("agreed",))


def network_list_json(result: Mapping[str, Any]) -> dict:
    return {"family_id": result["family_id"], "network": [network_json(r) for r in result["network"]]}


def meeting_json(row: Mapping[str, Any]) -> dict:
    return pick(row, MEETING_KEYS)


def meeting_list_json(result: Mapping[str, Any]) -> dict:
    return {"family_id": result["family_id"], "meetings": pick_all(result["meetings"], MEETING_KEYS)}
