"""Retention and erasure: the policy, legal holds, families due for destruction,
and purging a family with everything held about it."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from ehtool.domain import families as fam
from ehtool.domain import retention as R
from ehtool.domain import validators as v
from ehtool.errors import Conflict, InvalidInput, Refused, UsageError
from ehtool.store import audit, meta
from ehtool.store import retention as repo
from ehtool.store.families import family_row

if TYPE_CHECKING:
    from ehtool.store.rows import RetentionStatus

FAMILY_TABLES = repo.FAMILY_TABLES


def policy_view(store) -> dict:
    p = repo.policy(store)
    return {**p.as_dict(), "default": meta.get(store, repo.POLICY_KEY, None) is None, "rule": p.describe()}


def set_policy(store, *, age: int | None, no_children_years: int | None) -> dict:
    new = R.changed_policy(repo.policy(store), age=age, no_children_years=no_children_years)
    meta.put(store, {repo.POLICY_KEY: new.as_dict()}, action="retention.policy")
    repo.refresh_all(store)
    return policy_view(store)


def due(store, on: _dt.date | None = None) -> list[dict]:
    """Closed families past their retention date and not on legal hold."""
    on = on or v.today_london()
    rows = repo._compute(store)
    repo._write(store, rows)
    result = [
        {
            "family_id": fam.family_ref(r["id"]),
            "closed_on": r["closed_on"],
            "retain_until": r["retain_until"],
            "reason": r["why"],
        }
        for r in rows
        if r["status"] == "closed" and not r["legal_hold"] and R.is_due(r["retain_until"], on)
    ]
    return sorted(result, key=lambda r: (r["retain_until"], r["family_id"]))


# -- legal hold ------------------------------------------------------------------------


def hold(store, ref: str, reason: str) -> RetentionStatus:
    fid = fam.parse_ref(ref)
    reason = v.clean_text(reason, field="reason", max_len=500) if reason else ""
    if not reason:
        raise InvalidInput("A legal hold needs a reason.", hint="Pass --reason 'Litigation: ...' (no names).")
    with store.tx():
        row = family_row(store, fid)
        if row["legal_hold"] and row["legal_hold_reason"] == reason:
            raise Conflict(f"{fam.family_ref(fid)} is already on legal hold for that reason.")
        repo.set_legal_hold(store, fid, reason)
        audit.record(
            store,
            "retention.hold",
            entity="family",
            entity_id=fam.family_ref(fid),
            family_id=fid,
            values={
                "legal_hold": [bool(row["legal_hold"]), True],
                "legal_hold_reason": [row["legal_hold_reason"], reason],
            },
        )
    repo.refresh_retain_until(store, fid)
    return repo.status(store, fid)


def release(store, ref: str) -> RetentionStatus:
    fid = fam.parse_ref(ref)
    with store.tx():
        row = family_row(store, fid)
        if not row["legal_hold"]:
            raise Conflict(f"{fam.family_ref(fid)} is not on legal hold.")
        repo.set_legal_hold(store, fid, None)
        audit.record(
            store,
            "retention.release",
            entity="family",
            entity_id=fam.family_ref(fid),
            family_id=fid,
            values={"legal_hold": [True, False], "legal_hold_reason": [row["legal_hold_reason"], None]},
        )
    repo.refresh_retain_until(store, fid)
    return repo.status(store, fid)


# -- purge -----------------------------------------------------------------------------


def purge_preview(store, ref: str, *, force: bool, reason: str | None, on: _dt.date | None = None) -> dict:
    """Check a purge may go ahead (raising Refused if not) and say what it would delete."""
    fid = fam.parse_ref(ref)
    on = on or v.today_london()
    if force and not (reason or "").strip():
        raise UsageError("--force-before-date needs --reason saying why (for example an erasure request).")
    st = repo.status(store, fid)
    refusal = R.purge_refusal(
        ref=st["family_id"],
        status=st["status"],
        until=st["retain_until"],
        legal_hold=st["legal_hold"],
        hold_reason=st["legal_hold_reason"],
        on=on,
        force=force,
    )
    if refusal:
        raise Refused(refusal[0], hint=refusal[1])
    return {
        "family_id": st["family_id"],
        "status": st["status"],
        "closed_on": st["closed_on"],
        "retain_until": st["retain_until"],
        "due": R.is_due(st["retain_until"], on) and st["status"] == "closed",
        "forced": bool(force),
        "would_delete": repo.counts(store, fid),
        "audit_entries_kept": repo.audit_entries_about(store, fid),
    }


def purge(
    store,
    ref: str,
    *,
    confirm: str | None,
    ask=None,
    force: bool = False,
    reason: str | None = None,
    dry_run: bool = False,
    on: _dt.date | None = None,
) -> dict:
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
        raise Refused(
            f"The confirmation {str(confirm).strip()!r} does not match {preview['family_id']}; nothing was purged.",
            hint=f"Pass --confirm {preview['family_id']} exactly.",
        )
    with store.tx():
        repo.refresh_all(store)
        purge_preview(store, ref, force=force, reason=reason, on=on)  # still allowed, inside the lock
        # Which audit entries' values go: listed in the purge's own entry (its
        # digest is chained), so `audit verify` tells this purge's deletions
        # apart from values deleted any other way.
        deleted, removed = repo.delete_family(store, fid, preview["family_id"])
        audit.record(
            store,
            "family.purge",
            entity="family",
            entity_id=preview["family_id"],
            family_id=fid,
            values={
                "purged_on": on.isoformat(),
                "deleted": deleted,
                "forced": bool(force),
                "reason": reason if force else None,
                "basis": "erasure before the retention date"
                if force and not preview["due"]
                else "retention date passed",
                audit.REMOVED_KEY: audit.id_ranges(removed),
            },
        )
    scrubbed = repo.scrub(store)
    return {
        "family_id": preview["family_id"],
        "purged_on": on.isoformat(),
        "deleted": deleted,
        "forced": bool(force),
        "audit_entries_kept": preview["audit_entries_kept"] + 1,
        "scrubbed": scrubbed,
        "backups": [str(p) for p in repo.backups_beside(store.path)],
        "dry_run": False,
    }


def _same_ref(text, fid: int) -> bool:
    try:
        return fam.parse_ref(str(text or "").strip()) == fid
    except InvalidInput:
        return False
