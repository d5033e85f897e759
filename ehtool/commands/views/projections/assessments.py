"""Assessments: `assess run|show|list`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ehtool.commands.views.projections.picking import pick, pick_all, pick_or_none

ASSESSMENT_KEYS = (
    "id",
    "family_id",
    "status",
    "assessed_on",
    "started_on",
    "completed_on",
    "organisation",
    "profile",
    "profile_version",
    "level",
    "level_name",
    "computed_level",
    "computed_level_name",
    "significant_harm",
    "front_door",
    "indicators",
    "explanation",
    "override",
    "override_direction",
    "override_reason",
    "family_view",
    "child_view",
    "notes",
    "previous_level",
    "movement",
    "pathway",
    "route",
    "children",
    "assessor",
    "created_at",
)
CHILD_KEYS = ("member_id", "level", "computed_level", "significant_harm", "indicators", "explanation", "child_view")
EXPLANATION_KEYS = ("kind", "id", "level", "text")
FRONT_DOOR_KEYS = ("name", "contact")
OVERRIDE_KEYS = ("level", "reason", "direction")


def assessment_json(record: Mapping[str, Any]) -> dict:
    """`assess run|show --json` (and each of `assess list --json`)."""
    out = pick(record, ASSESSMENT_KEYS, bools=("significant_harm",))
    out["front_door"] = pick_or_none(record["front_door"], FRONT_DOOR_KEYS)
    out["explanation"] = pick_all(record["explanation"], EXPLANATION_KEYS)
    out["override"] = pick_or_none(record["override"], OVERRIDE_KEYS)
    out["children"] = [
        {
            **pick(c, CHILD_KEYS, bools=("significant_harm",)),
            "explanation": pick_all(c["explanation"], EXPLANATION_KEYS),
        }
        for c in record["children"]
    ]
    return out
