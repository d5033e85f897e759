"""Retention in SQLite: the policy, retention dates, legal holds, what is held
about a family, and purging it.

``families.retain_until`` is derived data (closure, the children's dates, the
policy), so it is recomputed rather than trusted: ``retention due`` and a policy
change recompute every family (:func:`refresh_all`), ``hold`` / ``release`` the
family concerned, a purge every family inside its own transaction; ``purge
--dry-run`` and the refusals compute on the fly and write nothing. Anything
else that reads the column (``ehtool due``) should call :func:`refresh_all`
first. Recomputing writes only rows whose value changed, is not a change to
the family's details (``updated_at`` untouched) and is not audited.

:func:`held_about` and :data:`FAMILY_TABLES` are the one definition of
"everything held about a family": the subject access export reads it and the
purge deletes it, so the two cannot drift apart. A purge also checks every table
in the schema for rows still pointing at the family (a table added later without
``ON DELETE CASCADE``) and refuses, rolling back, if it finds any.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ehtool.domain import families as fam
from ehtool.domain import retention as R
from ehtool.errors import Refused
from ehtool.store import audit, meta
from ehtool.store.families import family_row

if TYPE_CHECKING:
    from ehtool.store.connection import Params, Store
    from ehtool.store.rows import RetentionComputed, RetentionStatus

POLICY_KEY = "retention"

# Every table that holds rows about a family, and how to find them (a WHERE
# clause with one parameter, the family's id). Order is deletion order.
FAMILY_TABLES: list[tuple[str, str]] = [
    ("audit_values", "family_id = :fid OR audit_id IN (SELECT id FROM audit WHERE family_id = :fid)"),
    ("plan_versions", "plan_id IN (SELECT id FROM plans WHERE family_id = :fid)"),
    ("plan_reviews", "plan_id IN (SELECT id FROM plans WHERE family_id = :fid)"),
    ("plans", "family_id = :fid"),
    ("family_meetings", "family_id = :fid"),
    ("family_network", "family_id = :fid"),
    ("panel_effects", "family_id = :fid"),
    ("panel_items", "family_id = :fid"),
    ("consents", "family_id = :fid"),
    ("referral_members", "referral_id IN (SELECT id FROM referrals WHERE family_id = :fid)"),
    ("referrals", "family_id = :fid"),
    ("assessment_answers", "assessment_id IN (SELECT id FROM assessments WHERE family_id = :fid)"),
    ("assessment_children", "assessment_id IN (SELECT id FROM assessments WHERE family_id = :fid)"),
    ("assessments", "family_id = :fid"),
    ("members", "family_id = :fid"),
    ("families", "id = :fid"),
]
# Kept by a purge: the audit trail itself (append-only; it holds references,
# actions, field names and digests, no personal values).
KEPT_TABLES = ("audit",)


# -- policy --------------------------------------------------------------------------


def policy(store: Store) -> R.Policy:
    return R.parse_policy(meta.get(store, POLICY_KEY, None))


# -- retention dates -------------------------------------------------------------------


def _compute(store: Store, where: str = "", params: Params = ()) -> list[RetentionComputed]:
    """Each family's computed (retain_until, reason) beside what is stored."""
    p = policy(store)
    fams = store.all(
        "SELECT id, status, closed_on, retain_until, legal_hold, legal_hold_reason, locality, lead"
        " FROM families" + (f" WHERE {where}" if where else "") + " ORDER BY id",
        params,
    )
    members: dict[int, list[dict[str, Any]]] = {}
    msql = "SELECT family_id, role, dob, due_date FROM members"
    if where:
        msql += f" WHERE family_id IN (SELECT id FROM families WHERE {where})"
    for m in store.all(msql, params):
        members.setdefault(m["family_id"], []).append(m)
    out: list[RetentionComputed] = []
    for f in fams:
        until, why = R.retain_until(
            status=f["status"], closed_on=f["closed_on"], members=members.get(f["id"], []), policy=p
        )
        out.append(cast("RetentionComputed", {**f, "computed": until.isoformat() if until else None, "why": why}))
    return out


def _write(store: Store, rows: list[RetentionComputed]) -> int:
    changed = [(r["computed"], r["id"]) for r in rows if r["computed"] != r["retain_until"]]
    if changed:
        with store.tx():
            store.conn.executemany("UPDATE families SET retain_until = ? WHERE id = ?", changed)
    for r in rows:
        r["retain_until"] = r["computed"]
    return len(changed)


def refresh_retain_until(store: Store, family_id: int) -> str | None:
    """Recompute one family's retain_until (None while open); returns it."""
    rows = _compute(store, "id = ?", (family_id,))
    if not rows:
        family_row(store, family_id)  # NotFound
    _write(store, rows)
    return rows[0]["retain_until"]


def computed_due(store: Store, on: _dt.date) -> list[RetentionComputed]:
    """Closed families past their retention date and not on hold, computed now
    from the policy and the members (read-only: nothing is written)."""
    rows = _compute(store, "status = 'closed' AND legal_hold = 0")
    return [r for r in rows if R.is_due(r["computed"], on)]


def refresh_all(store: Store) -> int:
    """Recompute retain_until for every family; returns how many changed."""
    return _write(store, _compute(store))


def status(store: Store, family_id: int) -> RetentionStatus:
    row = family_row(store, family_id)
    computed = _compute(store, "id = ?", (family_id,))[0]
    return {
        "family_id": fam.family_ref(family_id),
        "status": row["status"],
        "closed_on": row["closed_on"],
        "retain_until": computed["computed"],
        "reason": computed["why"],
        "legal_hold": bool(row["legal_hold"]),
        "legal_hold_reason": row["legal_hold_reason"],
    }


# -- what is held about a family -------------------------------------------------------


def counts(store: Store, family_id: int) -> dict[str, int]:
    """Rows per table that a purge of this family deletes."""
    return {
        table: store.scalar(f"SELECT COUNT(*) FROM {table} WHERE {where}", {"fid": family_id})
        for table, where in FAMILY_TABLES
    }


def held_about(store: Store, family_id: int) -> dict[str, list[dict[str, Any]]]:
    """Raw rows of every table about the family (for the subject access export),
    plus the audit entries about it with their values and the panel sittings.
    Keyed by table name (those of :data:`FAMILY_TABLES`, so generic rows), plus
    ``panels`` and ``audit`` (:class:`~ehtool.store.rows.AuditEntry` as dicts)."""
    out = {
        table: store.all(f"SELECT * FROM {table} WHERE {where}", {"fid": family_id})
        for table, where in FAMILY_TABLES
        if table != "audit_values"
    }
    out["panels"] = store.all(
        "SELECT * FROM panels WHERE id IN (SELECT panel_id FROM panel_items WHERE family_id = ?) ORDER BY date, id",
        (family_id,),
    )
    out["audit"] = [dict(e) for e in audit.entries(store, family_id=family_id)]
    return out


def _tables_pointing_at_families(store: Store) -> list[tuple[str, str]]:
    """(table, WHERE) for every table with a family_id column or a foreign key to
    families: the safety net a purge checks after deleting. (Rows pointing at a
    deleted member or plan cannot be left behind: foreign keys are enforced, so
    such a delete cascades or fails and rolls the whole purge back.)"""
    checks = []
    tables = [
        r["name"] for r in store.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    for t in tables:
        if t in KEPT_TABLES:
            continue
        cols = {r[1] for r in store.conn.execute(f"PRAGMA table_info({_quote(t)})")}
        if "family_id" in cols:
            checks.append((t, "family_id = :fid"))
        for fk in store.conn.execute(f"PRAGMA foreign_key_list({_quote(t)})"):
            if fk[2] == "families" and fk[3] != "family_id":
                checks.append((t, f"{_quote(fk[3])} = :fid"))
    return checks


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# -- legal hold and purge: the writes (their rules are in ehtool.services.retention) ----


def set_legal_hold(store: Store, family_id: int, reason: str | None) -> None:
    """Put on (a reason) or take off (None) a family's legal hold. Call inside the write's transaction."""
    store.execute(
        "UPDATE families SET legal_hold = ?, legal_hold_reason = ?, updated_at = ? WHERE id = ?",
        (1 if reason else 0, reason, audit.now_utc(), family_id),
    )


def audit_entries_about(store: Store, family_id: int) -> int:
    n: int = store.scalar("SELECT COUNT(*) FROM audit WHERE family_id = ?", (family_id,))
    return n


def delete_family(store: Store, family_id: int, ref: str) -> tuple[dict[str, int], list[int]]:
    """Delete every row held about the family (inside the caller's transaction).
    Returns the rows deleted per table and the ids of the audit entries whose values
    went. Refused, and the caller's transaction rolled back, if anything would be left."""
    removed = [
        r[0]
        for r in store.conn.execute(
            f"SELECT audit_id FROM audit_values WHERE {dict(FAMILY_TABLES)['audit_values']} ORDER BY audit_id",
            {"fid": family_id},
        )
    ]
    deleted = {}
    try:
        for table, where in FAMILY_TABLES:
            deleted[table] = store.execute(f"DELETE FROM {table} WHERE {where}", {"fid": family_id}).rowcount
    except sqlite3.IntegrityError as exc:
        raise Refused(
            f"Purging {ref} would leave rows pointing at it ({exc}); nothing was purged.",
            hint="This is a bug in ehtool: please report it.",
        ) from None
    left = {
        t: n
        for t, where in _tables_pointing_at_families(store)
        if (n := store.scalar(f"SELECT COUNT(*) FROM {_quote(t)} WHERE {where}", {"fid": family_id}))
    }
    if left:
        raise Refused(
            f"Rows about {ref} remain in {', '.join(sorted(left))} after the purge; nothing was purged.",
            hint="This is a bug in ehtool: please report it.",
        )
    return deleted, removed


def scrub(store: Store) -> bool:
    """Rewrite the database without free space (VACUUM, its temporary copy in
    memory, not a temp file) and empty the write-ahead log, so deleted text is
    gone from the bytes of the .db and -wal files. False if another process kept
    the log from being emptied (the text then goes at its next checkpoint)."""
    conn = store.conn
    try:
        old = conn.execute("PRAGMA temp_store").fetchone()[0]
        conn.execute("PRAGMA temp_store = MEMORY")
        try:
            conn.execute("VACUUM")
        finally:
            conn.execute(f"PRAGMA temp_store = {int(old)}")
        checkpoint: tuple[int, int, int] = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:
        return False
    busy, _log, _done = checkpoint
    return busy == 0


def backups_beside(path: str | Path) -> list[Path]:
    """Copies written before schema upgrades: they may still hold a purged family."""
    p = Path(path)
    return sorted(p.parent.glob(p.name + ".schema*.bak"))
