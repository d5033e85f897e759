"""Retention: the policy, holds, what is due for deletion, and purging."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ehtool.commands.views.projections.picking import pick, pick_all

POLICY_KEYS = ("basis", "age", "no_children_years", "default", "rule")
RETENTION_STATUS_KEYS = (
    "family_id",
    "status",
    "closed_on",
    "retain_until",
    "reason",
    "legal_hold",
    "legal_hold_reason",
)
RETENTION_DUE_KEYS = ("family_id", "closed_on", "retain_until", "reason")
PURGE_KEYS = ("family_id", "purged_on", "deleted", "forced", "audit_entries_kept", "scrubbed", "backups", "dry_run")
PURGE_PREVIEW_KEYS = (
    "family_id",
    "status",
    "closed_on",
    "retain_until",
    "due",
    "forced",
    "would_delete",
    "audit_entries_kept",
    "dry_run",
)


def policy_json(result: Mapping[str, Any]) -> dict:
    return pick(result, POLICY_KEYS, bools=("default",))


def retention_status_json(result: Mapping[str, Any]) -> dict:
    """`retention hold|release --json`."""
    return pick(result, RETENTION_STATUS_KEYS, bools=("legal_hold",))


def retention_due_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return pick_all(rows, RETENTION_DUE_KEYS)


def purge_json(result: Mapping[str, Any]) -> dict:
    """`retention purge --json` (what was deleted), or with --dry-run what would be."""
    if result["dry_run"]:
        return pick(result, PURGE_PREVIEW_KEYS, bools=("due", "forced", "dry_run"))
    return pick(result, PURGE_KEYS, bools=("forced", "scrubbed", "dry_run"))
