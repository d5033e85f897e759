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

from ehtool.domain import families as fam
from ehtool.domain import retention as R
from ehtool.domain import validators as v
from ehtool.errors import Conflict, InvalidInput, Refused, UsageError
from ehtool.store import audit, meta
from ehtool.store.families import family_row

POLICY_KEY = "retention"

# Every table that holds rows about a family, and how to find them (a WHERE
# clause with one parameter, the family's id). Order is deletion order.
FAMILY_TABLES: list[tuple[str, str]] = [
    ("audit_values", "family_id = :fid OR audit_id IN (SELECT id FROM audit WHERE family_id = :fid)"),
    ("plan_versions", "plan_id IN (SELECT id FROM plans WHERE family_id = :fid)"),
    ("plan_reviews", "plan_id IN (SELECT id FROM plans WHERE family_id = :fid)"),
    ("plans", "family_id = :fid"),
    ("panel_items", "family_id = :fid"),
    ("consents", "family_id = :fid"),
    ("assessments", "family_id = :fid"),
    ("members", "family_id = :fid"),
    ("families", "id = :fid"),
]
# Kept by a purge: the audit trail itself (append-only; it holds references,
# actions, field names and digests, no personal values).
KEPT_TABLES = ("audit",)


# -- policy --------------------------------------------------------------------------

def policy(store) -> R.Policy:
    return R.parse_policy(meta.get(store, POLICY_KEY, None))


def policy_view(store) -> dict:
    p = policy(store)
    return {**p.as_dict(), "default": meta.get(store, POLICY_KEY, None) is None, "rule": p.describe()}


def set_policy(store, *, age: int | None, no_children_years: int | None) -> dict:
    new = R.changed_policy(policy(store), age=age, no_children_years=no_children_years)
    meta.put(store, {POLICY_KEY: new.as_dict()}, action="retention.policy")
    refresh_all(store)
    return policy_view(store)


# -- retention dates -------------------------------------------------------------------

def _compute(store, where: str = "", params: tuple = ()) -> list[dict]:
    """Each family's computed (retain_until, reason) beside what is stored."""
    p = policy(store)
    fams = store.all("SELECT id, status, closed_on, retain_until, legal_hold, legal_hold_reason, locality, lead"
                     " FROM families"
                     + (f" WHERE {where}" if where else "") + " ORDER BY id", params)
    members: dict[int, list[dict]] = {}
    msql = "SELECT family_id, role, dob, due_date FROM members"
    if where:
        msql += f" WHERE family_id IN (SELECT id FROM families WHERE {where})"
    for m in store.all(msql, params):
        members.setdefault(m["family_id"], []).append(m)
    out = []
    for f in fams:
        until, why = R.retain_until(status=f["status"], closed_on=f["closed_on"],
                                    members=members.get(f["id"], []), policy=p)
        out.append({**f, "computed": until.isoformat() if until else None, "why": why})
    return out


def _write(store, rows: list[dict]) -> int:
    changed = [(r["computed"], r["id"]) for r in rows if r["computed"] != r["retain_until"]]
    if changed:
        with store.tx():
            store.conn.executemany("UPDATE families SET retain_until = ? WHERE id = ?", changed)
    for r in rows:
        r["retain_until"] = r["computed"]
    return len(changed)


def refresh_retain_until(store, family_id: int) -> str | None:
    """Recompute one family's retain_until (None while open); returns it."""
    rows = _compute(store, "id = ?", (family_id,))
    if not rows:
        family_row(store, family_id)  # NotFound
    _write(store, rows)
    return rows[0]["retain_until"]


def computed_due(store, on: _dt.date) -> list[dict]:
    """Closed families past their retention date and not on hold, computed now
    from the policy and the members (read-only: nothing is written)."""
    rows = _compute(store, "status = 'closed' AND legal_hold = 0")
    return [r for r in rows if R.is_due(r["computed"], on)]


def refresh_all(store) -> int:
    """Recompute retain_until for every family; returns how many changed."""
    return _write(store, _compute(store))


def due(store, on: _dt.date | None = None) -> list[dict]:
    """Closed families past their retention date and not on legal hold."""
    on = on or v.today_london()
    rows = _compute(store)
    _write(store, rows)
    result = [{"family_id": fam.family_ref(r["id"]), "closed_on": r["closed_on"], "retain_until": r["retain_until"],
               "reason": r["why"]}
              for r in rows if r["status"] == "closed" and not r["legal_hold"] and R.is_due(r["retain_until"], on)]
    return sorted(result, key=lambda r: (r["retain_until"], r["family_id"]))


def status(store, family_id: int) -> dict:
    row = family_row(store, family_id)
    computed = _compute(store, "id = ?", (family_id,))[0]
    return {"family_id": fam.family_ref(family_id), "status": row["status"], "closed_on": row["closed_on"],
            "retain_until": computed["computed"], "reason": computed["why"],
            "legal_hold": bool(row["legal_hold"]), "legal_hold_reason": row["legal_hold_reason"]}


# -- legal hold ------------------------------------------------------------------------

def hold(store, ref: str, reason: str) -> dict:
    fid = fam.parse_ref(ref)
    reason = v.clean_text(reason, field="reason", max_len=500) if reason else ""
    if not reason:
        raise InvalidInput("A legal hold needs a reason.", hint="Pass --reason 'Litigation: ...' (no names).")
    with store.tx():
        row = family_row(store, fid)
        if row["legal_hold"] and row["legal_hold_reason"] == reason:
            raise Conflict(f"{fam.family_ref(fid)} is already on legal hold for that reason.")
        store.execute("UPDATE families SET legal_hold = 1, legal_hold_reason = ?, updated_at = ? WHERE id = ?",
                      (reason, audit.now_utc(), fid))
        audit.record(store, "retention.hold", entity="family", entity_id=fam.family_ref(fid), family_id=fid,
                     values={"legal_hold": [bool(row["legal_hold"]), True],
                             "legal_hold_reason": [row["legal_hold_reason"], reason]})
    refresh_retain_until(store, fid)
    return status(store, fid)


def release(store, ref: str) -> dict:
    fid = fam.parse_ref(ref)
    with store.tx():
        row = family_row(store, fid)
        if not row["legal_hold"]:
            raise Conflict(f"{fam.family_ref(fid)} is not on legal hold.")
        store.execute("UPDATE families SET legal_hold = 0, legal_hold_reason = NULL, updated_at = ? WHERE id = ?",
                      (audit.now_utc(), fid))
        audit.record(store, "retention.release", entity="family", entity_id=fam.family_ref(fid), family_id=fid,
                     values={"legal_hold": [True, False], "legal_hold_reason": [row["legal_hold_reason"], None]})
    refresh_retain_until(store, fid)
    return status(store, fid)


# -- what is held about a family -------------------------------------------------------

def counts(store, family_id: int) -> dict[str, int]:
    """Rows per table that a purge of this family deletes."""
    return {table: store.scalar(f"SELECT COUNT(*) FROM {table} WHERE {where}", {"fid": family_id})
            for table, where in FAMILY_TABLES}


def held_about(store, family_id: int) -> dict[str, list[dict]]:
    """Raw rows of every table about the family (for the subject access export),
    plus the audit entries about it with their values and the panel sittings."""
    out = {table: store.all(f"SELECT * FROM {table} WHERE {where}", {"fid": family_id})
           for table, where in FAMILY_TABLES if table != "audit_values"}
    out["panels"] = store.all("SELECT * FROM panels WHERE id IN (SELECT panel_id FROM panel_items "
                              "WHERE family_id = ?) ORDER BY date, id", (family_id,))
    out["audit"] = audit.entries(store, family_id=family_id)
    return out


def _tables_pointing_at_families(store) -> list[tuple[str, str]]:
    """(table, WHERE) for every table with a family_id column or a foreign key to
    families: the safety net a purge checks after deleting. (Rows pointing at a
    deleted member or plan cannot be left behind: foreign keys are enforced, so
    such a delete cascades or fails and rolls the whole purge back.)"""
    checks = []
    tables = [r["name"] for r in store.all("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%'")]
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


# -- purge -----------------------------------------------------------------------------

def purge_preview(store, ref: str, *, force: bool, reason: str | None, on: _dt.date | None = None) -> dict:
    """Check a purge may go ahead (raising Refused if not) and say what it would delete."""
    fid = fam.parse_ref(ref)
    on = on or v.today_london()
    if force and not (reason or "").strip():
        raise UsageError("--force-before-date needs --reason saying why (for example an erasure request).")
    st = status(store, fid)
    refusal = R.purge_refusal(ref=st["family_id"], status=st["status"], until=st["retain_until"],
                              legal_hold=st["legal_hold"], hold_reason=st["legal_hold_reason"], on=on, force=force)
    if refusal:
        raise Refused(refusal[0], hint=refusal[1])
    return {"family_id": st["family_id"], "status": st["status"], "closed_on": st["closed_on"],
            "retain_until": st["retain_until"], "due": R.is_due(st["retain_until"], on) and st["status"] == "closed",
            "forced": bool(force), "would_delete": counts(store, fid),
            "audit_entries_kept": store.scalar("SELECT COUNT(*) FROM audit WHERE family_id = ?", (fid,))}


def purge(store, ref: str, *, confirm: str | None, ask=None, force: bool = False, reason: str | None = None,
          dry_run: bool = False, on: _dt.date | None = None) -> dict:
    """Delete the family and everything held about it, in one transaction, then
    scrub the database file. ``confirm`` must name the family; if it is None,
    ``ask(preview)`` is called (outside any transaction) to get it typed."""
    fid = fam.parse_ref(ref)
    on = on or v.today_london()
    if reason:
        reason = v.clean_text(reason, field="reason", max_len=500)
    preview = purge_preview(store, ref, force=force, reason=reason, on=on)
    if dry_run:
        return {**preview, "dry_run": True}
    if confirm is None:
        if ask is None:
            raise UsageError("Purging needs a confirmation.", hint=f"Pass --confirm {preview['family_id']}.")
        confirm = ask(preview)
    if not _same_ref(confirm, fid):
        raise Refused(f"The confirmation {str(confirm).strip()!r} does not match {preview['family_id']}; "
                      "nothing was purged.", hint=f"Pass --confirm {preview['family_id']} exactly.")
    with store.tx():
        refresh_all(store)
        purge_preview(store, ref, force=force, reason=reason, on=on)  # still allowed, inside the lock
        # Which audit entries' values go: listed in the purge's own entry (its
        # digest is chained), so `audit verify` tells this purge's deletions
        # apart from values deleted any other way.
        removed = [r[0] for r in store.conn.execute(
            f"SELECT audit_id FROM audit_values WHERE {dict(FAMILY_TABLES)['audit_values']} ORDER BY audit_id",
            {"fid": fid})]
        deleted = {}
        try:
            for table, where in FAMILY_TABLES:
                deleted[table] = store.execute(f"DELETE FROM {table} WHERE {where}", {"fid": fid}).rowcount
        except sqlite3.IntegrityError as exc:
            raise Refused(f"Purging {preview['family_id']} would leave rows pointing at it ({exc}); nothing was "
                          "purged.", hint="This is a bug in ehtool: please report it.") from None
        left = {t: n for t, where in _tables_pointing_at_families(store)
                if (n := store.scalar(f"SELECT COUNT(*) FROM {_quote(t)} WHERE {where}", {"fid": fid}))}
        if left:
            raise Refused(f"Rows about {preview['family_id']} remain in {', '.join(sorted(left))} after the purge; "
                          "nothing was purged.", hint="This is a bug in ehtool: please report it.")
        audit.record(store, "family.purge", entity="family", entity_id=preview["family_id"], family_id=fid,
                     values={"purged_on": on.isoformat(), "deleted": deleted, "forced": bool(force),
                             "reason": reason if force else None,
                             "basis": "erasure before the retention date" if force and not preview["due"]
                             else "retention date passed",
                             audit.REMOVED_KEY: audit.id_ranges(removed)})
    scrubbed = scrub(store)
    return {"family_id": preview["family_id"], "purged_on": on.isoformat(), "deleted": deleted,
            "forced": bool(force), "audit_entries_kept": preview["audit_entries_kept"] + 1,
            "scrubbed": scrubbed, "backups": [str(p) for p in backups_beside(store.path)], "dry_run": False}


def _same_ref(text, fid: int) -> bool:
    try:
        return fam.parse_ref(str(text or "").strip()) == fid
    except InvalidInput:
        return False


def scrub(store) -> bool:
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
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:
        return False
    return busy == 0


def backups_beside(path) -> list[Path]:
    """Copies written before schema upgrades: they may still hold a purged family."""
    p = Path(path)
    return sorted(p.parent.glob(p.name + ".schema*.bak"))
