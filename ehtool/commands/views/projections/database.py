"""The database file: `init`, and `db backup|check|restore`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ehtool.commands.views.projections.audit import verify_json
from ehtool.commands.views.projections.picking import pick

INIT_KEYS = ("db", "profile", "profile_name", "localities", "marking")


def init_json(result: Mapping[str, Any]) -> dict:
    return pick(result, INIT_KEYS)


BACKUP_KEYS = ("path", "bytes", "integrity", "schema_version", "removed")
CHECK_KEYS = (
    "path",
    "mode",
    "mode_ok",
    "bytes",
    "wal_bytes",
    "page_count",
    "page_size",
    "schema_version",
    "latest_schema",
    "integrity",
    "foreign_keys",
    "audit",
    "problems",
    "warnings",
    "ok",
)
RESTORE_KEYS = (
    "db",
    "restored_from",
    "replaced",
    "integrity",
    "schema_version",
    "backup_schema_version",
    "written_meanwhile",
)


def backup_json(result: Mapping[str, Any]) -> dict:
    return pick(result, BACKUP_KEYS)


def check_json(report: Mapping[str, Any]) -> dict:
    out = pick(report, CHECK_KEYS, bools=("mode_ok", "ok"))
    out["audit"] = None if report["audit"] is None else verify_json(report["audit"])
    return out


def restore_json(result: Mapping[str, Any]) -> dict:
    return pick(result, RESTORE_KEYS, bools=("written_meanwhile",))
