"""Threshold profiles: `profile list|show|validate`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ehtool.commands.views.projections.assessments import FRONT_DOOR_KEYS
from ehtool.commands.views.projections.picking import pick, pick_all

PROFILE_LIST_KEYS = ("id", "name", "version")
SETTINGS_KEYS = (
    "review_interval_days",
    "assessment_valid_days",
    "days_to_assessment",
    "days_to_plan",
    "consent_valid_days",
    "days_to_referral",
)
PROFILE_KEYS = (
    "id",
    "name",
    "version",
    "description",
    "levels",
    "front_door",
    "localities",
    "indicators",
    "rules",
    "plan_beside_referral",
    "plan_title",
    "lead_title",
    "family_group_offer_days",
    "decisions",
    "panel_kinds",
    "front_door_configured",
    *SETTINGS_KEYS,
    "settings",
)
LEVEL_KEYS = ("id", "name", "rank", "description", "pathway", "route", "formerly")
LOCALITY_KEYS = ("id", "name")
INDICATOR_KEYS = (
    "id",
    "domain",
    "subdomain",
    "level",
    "text",
    "significant_harm",
    "age_band",
    "outcome_area",
    "scope",
    "source",
)
DECISION_KEYS = ("id", "label", "meaning", "effect")
PANEL_KIND_KEYS = ("id", "name", "decisions")
PROFILE_VALIDATE_KEYS = ("ok", "id", "name", "levels", "indicators", "rules")


def profile_list_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return pick_all(rows, PROFILE_LIST_KEYS)


def profile_json(data: Mapping[str, Any]) -> dict:
    """`profile show --json`. Rules keep the profile file's own keys (they differ by kind)."""
    out = pick(data, PROFILE_KEYS, bools=("plan_beside_referral", "front_door_configured"))
    out["levels"] = pick_all(data["levels"], LEVEL_KEYS)
    out["front_door"] = pick(data["front_door"], FRONT_DOOR_KEYS)
    out["localities"] = pick_all(data["localities"], LOCALITY_KEYS)
    out["indicators"] = pick_all(data["indicators"], INDICATOR_KEYS, bools=("significant_harm",))
    out["rules"] = [dict(r) for r in data["rules"]]
    out["decisions"] = pick_all(data["decisions"], DECISION_KEYS)
    out["panel_kinds"] = pick_all(data["panel_kinds"], PANEL_KIND_KEYS)
    out["settings"] = pick(data["settings"], SETTINGS_KEYS)
    return out


def profile_validate_json(summary: Mapping[str, Any]) -> dict:
    return pick(summary, PROFILE_VALIDATE_KEYS, bools=("ok",))
