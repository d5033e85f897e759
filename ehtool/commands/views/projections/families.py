"""Families and members: `family` and `member` commands, the import and the subject access request."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ehtool.commands.views.projections.network import MEETING_KEYS, network_json
from ehtool.commands.views.projections.picking import pick, pick_all, pick_or_none
from ehtool.domain import families as fam

FAMILY_KEYS = (
    "id",
    *fam.FAMILY_FIELDS,
    "status",
    "closed_reason",
    "closed_on",
    "level",
    "level_assessed_on",
    "legal_hold",
    "legal_hold_reason",
    "created_at",
    "updated_at",
)
FAMILY_BOOLS = ("interpreter", "legal_hold")
MEMBER_KEYS = ("id", "family_id", *fam.MEMBER_FIELDS, "created_at", "updated_at")
MEMBER_BOOLS = fam.MEMBER_FLAGS
FAMILY_LIST_KEYS = ("id", "name", "postcode", "locality", "status", "level", "lead", "referral_date", "member_count")
SHOW_ASSESSMENT_KEYS = (
    "id",
    "assessed_on",
    "level",
    "computed_level",
    "significant_harm",
    "override_direction",
    "override_reason",
    "movement",
)
SHOW_CONSENT_KEYS = ("type", "member_id", "status", "date")
SHOW_PLAN_KEYS = ("id", "status", "version", "review_date", "lead_professional", "closed_reason")
SHOW_PANEL_ITEM_KEYS = (
    "panel_id",
    "locality",
    "date",
    "item",
    "reason",
    "decision",
    "decision_notes",
    "actions",
    "allocated_to",
)
IMPORT_KEYS = ("file", "format", "rows", "families", "members", "dry_run", "first_id", "last_id", "warnings")
SAR_KEYS = ("family_id", "member_id", "json", "html", "sections", "warnings")


def member_json(record: Mapping[str, Any], *, with_age: bool = False) -> dict:
    """`member add|edit|remove --json`; in `family show`, with ``age``."""
    out = pick(record, MEMBER_KEYS, bools=MEMBER_BOOLS)
    if with_age:
        out["age"] = record["age"]
    return out


def family_json(record: Mapping[str, Any], *, with_age: bool = False) -> dict:
    """`family add|edit|close|reopen --json`: the household and its members."""
    return {
        **pick(record, FAMILY_KEYS, bools=FAMILY_BOOLS),
        "members": [member_json(m, with_age=with_age) for m in record["members"]],
    }


def family_show_json(record: Mapping[str, Any]) -> dict:
    """`family show --json`: the family, plus what is attached to it (never the terminal's sections)."""
    return {
        **family_json(record, with_age=True),
        "level_name": record["level_name"],
        "assessments": pick_all(record["assessments"], SHOW_ASSESSMENT_KEYS, bools=("significant_harm",)),
        "consent": pick_all(record["consent"], SHOW_CONSENT_KEYS),
        "plan": pick_or_none(record["plan"], SHOW_PLAN_KEYS),
        "panel_items": pick_all(record["panel_items"], SHOW_PANEL_ITEM_KEYS),
        "network": [network_json(p) for p in record["network"]],
        "meetings": pick_all(record["meetings"], MEETING_KEYS),
    }


def family_list_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return pick_all(rows, FAMILY_LIST_KEYS)


def import_json(result: Mapping[str, Any]) -> dict:
    return pick(result, IMPORT_KEYS, bools=("dry_run",))


def sar_json(result: Mapping[str, Any]) -> dict:
    return pick(result, SAR_KEYS)
