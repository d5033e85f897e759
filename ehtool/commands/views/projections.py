"""What every `--json` prints: explicit projections, one per shape, listing its keys.

Nothing from a database row, a service's working dict or a terminal view reaches
JSON unless its key is named here; booleans are JSON true/false (never SQLite's
0/1). The README's "JSON keys" section documents the same keys, and
tests/test_json_contract.py runs every command that takes `--json` and checks the
two agree exactly. A new key is added in both places.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ehtool.domain import families as fam
from ehtool.domain.due import KEYS
from ehtool.domain.plans import ACTION_KEYS, OUTCOME_KEYS, PLAN_KEYS, TEAM_KEYS


def pick(record: Mapping[str, Any], keys: Iterable[str], *, bools: Iterable[str] = ()) -> dict:
    """``record`` restricted to ``keys`` (in that order); ``bools`` become true/false."""
    flags = set(bools)
    return {k: bool(record[k]) if k in flags else record[k] for k in keys}


def pick_all(records: Iterable[Mapping[str, Any]], keys: Iterable[str], *, bools: Iterable[str] = ()) -> list[dict]:
    keys = tuple(keys)
    return [pick(r, keys, bools=bools) for r in records]


def _maybe(record: Mapping[str, Any] | None, keys: Iterable[str]) -> dict | None:
    return None if record is None else pick(record, keys)


# -- init ------------------------------------------------------------------------------

INIT_KEYS = ("db", "profile", "profile_name", "localities", "marking")


def init_json(result: Mapping[str, Any]) -> dict:
    return pick(result, INIT_KEYS)


# -- families and members --------------------------------------------------------------

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
        "plan": _maybe(record["plan"], SHOW_PLAN_KEYS),
        "panel_items": pick_all(record["panel_items"], SHOW_PANEL_ITEM_KEYS),
    }


def family_list_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return pick_all(rows, FAMILY_LIST_KEYS)


def import_json(result: Mapping[str, Any]) -> dict:
    return pick(result, IMPORT_KEYS, bools=("dry_run",))


def sar_json(result: Mapping[str, Any]) -> dict:
    return pick(result, SAR_KEYS)


# -- assessments and consent -----------------------------------------------------------

ASSESSMENT_KEYS = (
    "id",
    "family_id",
    "assessed_on",
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
    "assessor",
    "created_at",
)
EXPLANATION_KEYS = ("kind", "id", "level", "text")
FRONT_DOOR_KEYS = ("name", "contact")
OVERRIDE_KEYS = ("level", "reason", "direction")
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


def assessment_json(record: Mapping[str, Any]) -> dict:
    """`assess run|show --json` (and each of `assess list --json`)."""
    out = pick(record, ASSESSMENT_KEYS, bools=("significant_harm",))
    out["front_door"] = _maybe(record["front_door"], FRONT_DOOR_KEYS)
    out["explanation"] = pick_all(record["explanation"], EXPLANATION_KEYS)
    out["override"] = _maybe(record["override"], OVERRIDE_KEYS)
    return out


def consent_json(result: Mapping[str, Any]) -> dict:
    """`consent record|show --json`: the current decisions and the ledger."""
    return {
        "family_id": result["family_id"],
        "current": pick_all(result["current"], CONSENT_CURRENT_KEYS),
        "ledger": pick_all(result["ledger"], CONSENT_LEDGER_KEYS),
    }


# -- profiles --------------------------------------------------------------------------

PROFILE_LIST_KEYS = ("id", "name", "version")
SETTINGS_KEYS = (
    "review_interval_days",
    "assessment_valid_days",
    "days_to_assessment",
    "days_to_plan",
    "consent_valid_days",
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
    *SETTINGS_KEYS,
    "settings",
)
LEVEL_KEYS = ("id", "name", "rank", "description", "pathway")
LOCALITY_KEYS = ("id", "name")
INDICATOR_KEYS = ("id", "domain", "subdomain", "level", "text", "significant_harm", "age_band", "outcome_area")
PROFILE_VALIDATE_KEYS = ("ok", "id", "name", "levels", "indicators", "rules")


def profile_list_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return pick_all(rows, PROFILE_LIST_KEYS)


def profile_json(data: Mapping[str, Any]) -> dict:
    """`profile show --json`. Rules keep the profile file's own keys (they differ by kind)."""
    out = pick(data, PROFILE_KEYS)
    out["levels"] = pick_all(data["levels"], LEVEL_KEYS)
    out["front_door"] = pick(data["front_door"], FRONT_DOOR_KEYS)
    out["localities"] = pick_all(data["localities"], LOCALITY_KEYS)
    out["indicators"] = pick_all(data["indicators"], INDICATOR_KEYS, bools=("significant_harm",))
    out["rules"] = [dict(r) for r in data["rules"]]
    out["settings"] = pick(data["settings"], SETTINGS_KEYS)
    return out


def profile_validate_json(summary: Mapping[str, Any]) -> dict:
    return pick(summary, PROFILE_VALIDATE_KEYS, bools=("ok",))


# -- One Family Plans ------------------------------------------------------------------

PLAN_META_KEYS = (
    "id",
    "family_id",
    "status",
    "version",
    "created_at",
    "updated_at",
    "closed_on",
    "closed_reason",
    "closed_note",
)
REVIEW_KEYS = (
    "id",
    "date",
    "attended",
    "scores",
    "action_updates",
    "notes",
    "next_review_date",
    "plan_version",
    "recorded_by",
)
PROGRESS_KEYS = ("outcome", "area", "baseline", "latest", "target", "change", "improved")
AREA_KEYS = ("id", "name", "description")
TEMPLATE_KEYS = ("name", "format", "path", "source", "shadowed")
RENDER_SKIPPED_KEYS = ("family_id", "reason")


def plan_json(plan: Mapping[str, Any]) -> dict:
    """Every plan command's `--json`: the plan's bookkeeping, the plan file keys (as
    `plan new --from` reads them, outcomes, actions and team included), reviews and progress."""

    out = pick(plan, PLAN_META_KEYS)
    out.update({k: plan.get(k) for k in PLAN_KEYS})
    out["team"] = [{k: person.get(k) for k in TEAM_KEYS} for person in plan.get("team") or []]
    out["outcomes"] = [
        {
            **{k: o.get(k) for k in OUTCOME_KEYS},
            "actions": [{k: a.get(k) for k in ACTION_KEYS} for a in o.get("actions") or []],
        }
        for o in plan.get("outcomes") or []
    ]
    out["reviews"] = pick_all(plan["reviews"], REVIEW_KEYS)
    out["progress"] = pick_all(plan["progress"], PROGRESS_KEYS, bools=("improved",))
    return out


def areas_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return pick_all(rows, AREA_KEYS)


def templates_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return [{**pick(r, TEMPLATE_KEYS, bools=("shadowed",)), "path": str(r["path"])} for r in rows]


def render_json(path, fmt: str) -> dict:
    return {"path": str(path), "format": fmt}


def render_all_json(result: Mapping[str, Any]) -> dict:
    return {"written": [str(p) for p in result["written"]], "skipped": pick_all(result["skipped"], RENDER_SKIPPED_KEYS)}


# -- locality panels -------------------------------------------------------------------

PANEL_LIST_KEYS = ("id", "locality", "date", "chair", "items")
PANEL_KEYS = ("id", "locality", "date", "chair", "items")
PANEL_ITEM_KEYS = (
    "item",
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
PANEL_ADD_KEYS = ("panel_id", "locality", "date", "item", "family_id", "reason", "consent", "warning")
PANEL_EXPORT_KEYS = ("path", "panel_id", "items", "named", "marking")
PANEL_DECISIONS_KEYS = ("panel_id", "date", "dry_run", "recorded", "unchanged", "warnings", "decisions")
PANEL_DECISION_ROW_KEYS = ("row", "item", "family_id", "decision", "actions", "allocated_to", "notes")
PANEL_DECIDE_KEYS = ("panel_id", "item", "family_id", "decision", "notes", "actions", "allocated_to")


def panel_list_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return pick_all(rows, PANEL_LIST_KEYS)


def panel_json(panel: Mapping[str, Any]) -> dict:
    """`panel show|schedule --json`: the sitting and its agenda."""
    return {**pick(panel, PANEL_KEYS), "items": pick_all(panel["items"], PANEL_ITEM_KEYS)}


def panel_add_json(result: Mapping[str, Any]) -> dict:
    return pick(result, PANEL_ADD_KEYS)


def panel_export_json(result: Mapping[str, Any]) -> dict:
    return pick(result, PANEL_EXPORT_KEYS, bools=("named",))


def panel_decisions_json(result: Mapping[str, Any]) -> dict:
    return {
        **pick(result, PANEL_DECISIONS_KEYS, bools=("dry_run",)),
        "decisions": pick_all(result["decisions"], PANEL_DECISION_ROW_KEYS),
    }


def panel_decide_json(result: Mapping[str, Any]) -> dict:
    return pick(result, PANEL_DECIDE_KEYS)


# -- due and the board report ----------------------------------------------------------

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


def due_json(items: Iterable[Mapping[str, Any]]) -> list[dict]:
    """`due --json`: the same columns as `due --csv`."""

    return pick_all(items, KEYS, bools=("overdue",))


def report_json(data: Mapping[str, Any]) -> dict:
    """`report --json`: the board report's measures (built key by key in ehtool.domain.reporting)."""
    return pick(data, REPORT_KEYS)


# -- the audit trail -------------------------------------------------------------------

AUDIT_KEYS = ("id", "at", "actor", "kind", "action", "entity", "entity_id", "family_id", "fields", "values", "hash")
VERIFY_KEYS = ("ok", "entries", "head", "broken_at", "reason")
HEAD_KEYS = ("id", "hash")


def audit_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return pick_all(rows, AUDIT_KEYS)


def verify_json(result: Mapping[str, Any]) -> dict:
    return pick(result, VERIFY_KEYS, bools=("ok",))


def head_json(row: Mapping[str, Any] | None) -> dict:
    return pick(row, HEAD_KEYS) if row else {"id": 0, "hash": None}


# -- the database file -----------------------------------------------------------------

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


# -- retention -------------------------------------------------------------------------

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
