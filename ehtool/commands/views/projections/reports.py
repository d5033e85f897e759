"""`report`: the board report's measures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ehtool.commands.views.projections.picking import pick

REPORT_KEYS = (
    "report",
    "format_version",
    "generated_on",
    "generated_by",
    "period",
    "locality",
    "marking",
    "profile",
    "rungs",
    "open_families",
    "rung_distribution",
    "steps",
    "referrals",
    "re_referrals",
    "plans_closed",
    "progress",
    "timeliness",
    "reach",
)


def report_json(data: Mapping[str, Any]) -> dict:
    """`report --json`: the board report's measures (built key by key in ehtool.domain.reporting)."""
    return pick(data, REPORT_KEYS)
