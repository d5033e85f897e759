"""Referrals and the partnership's settings: `referral record|outcome|list`, `settings show|change`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ehtool.commands.views.projections.assessments import FRONT_DOOR_KEYS
from ehtool.commands.views.projections.picking import pick, pick_all

REFERRAL_KEYS = (
    "id",
    "family_id",
    "member_ids",
    "to",
    "date",
    "reference",
    "reason",
    "level",
    "outcome",
    "outcome_date",
    "outcome_note",
    "stepped_down_to",
    "movement",
    "recorded_by",
    "created_at",
)
SETTINGS_SHOW_KEYS = (
    "profile",
    "profile_name",
    "front_door",
    "front_door_configured",
    "organisation",
    "localities",
    "marking",
    "framework",
)


PROFILE_SWITCH_KEYS = (*SETTINGS_SHOW_KEYS, "previous_profile", "families_to_reassess", "warning")


def profile_switch_json(result: Mapping[str, Any]) -> dict:
    """`profile switch --json`: the settings as `settings show` prints them, and what the switch left to do."""
    out = pick(result, PROFILE_SWITCH_KEYS, bools=("front_door_configured",))
    out["front_door"] = pick(result["front_door"], FRONT_DOOR_KEYS)
    return out


def referral_json(record: Mapping[str, Any]) -> dict:
    """`referral record|outcome --json`."""
    return pick(record, REFERRAL_KEYS)


def referral_list_json(result: Mapping[str, Any]) -> dict:
    """`referral list --json`."""
    return {"family_id": result["family_id"], "referrals": pick_all(result["referrals"], REFERRAL_KEYS)}


def settings_json(result: Mapping[str, Any]) -> dict:
    """`settings show|front-door|organisation --json`."""
    out = pick(result, SETTINGS_SHOW_KEYS, bools=("front_door_configured",))
    out["front_door"] = pick(result["front_door"], FRONT_DOOR_KEYS)
    return out
