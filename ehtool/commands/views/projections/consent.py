"""Consent: `consent record|show`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ehtool.commands.views.projections.picking import pick_all

CONSENT_CURRENT_KEYS = ("type", "member_id", "status", "date", "reason")
CONSENT_LEDGER_KEYS = (
    "id",
    "type",
    "member_id",
    "status",
    "date",
    "given_by",
    "how",
    "reason",
    "recorded_by",
    "recorded_at",
)


def consent_json(result: Mapping[str, Any]) -> dict:
    """`consent record|show --json`: the current decisions and the ledger."""
    return {
        "family_id": result["family_id"],
        "current": pick_all(result["current"], CONSENT_CURRENT_KEYS),
        "ledger": pick_all(result["ledger"], CONSENT_LEDGER_KEYS),
    }
