"""The audit trail: who did what, when, to which record.

Append-only (triggers refuse UPDATE and DELETE) and hash-chained: each entry's
``hash`` is SHA-256 over the previous entry's hash and the entry's own
columns. The personal values of a change (old and new field values) live in
``audit_values``; the chain covers only their digest, so a lawful purge can
delete them and ``verify`` still passes.

A purge says which entries' values it removed (see :func:`verify`), so values
deleted any other way are told apart from a lawful purge and fail ``verify``.
:func:`check_trail` is the one "is the trail sound?" check (the chain and the
append-only triggers) that ``db check`` and ``db restore`` share.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from ehtool.clock import now_utc as now_utc  # re-exported: the repositories stamp their rows with it

if TYPE_CHECKING:
    from ehtool.store.connection import Store
    from ehtool.store.rows import AuditEntry, AuditHead, VerifyResult

GENESIS = "0" * 64
PURGE_ACTION = "family.purge"
# The key, in a purge entry's values, listing the audit entries whose values it removed.
REMOVED_KEY = "values_removed"
# The triggers that make the trail append-only, and the statement each refuses.
APPEND_ONLY_TRIGGERS = {"audit_no_update": "update", "audit_no_delete": "delete"}
_COLUMNS = ("id", "at", "actor", "kind", "action", "entity", "entity_id", "family_id", "fields", "values_digest")


def entry_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    parts = [prev_hash] + ["" if row[c] is None else str(row[c]) for c in _COLUMNS]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _canonical(data: object) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def record(
    store: Store,
    action: str,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    family_id: int | None = None,
    fields: list[str] | None = None,
    values: Mapping[str, Any] | None = None,
    kind: str = "change",
) -> int:
    """Append one audit entry. Call inside the write's own transaction."""
    conn = store.conn
    last = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    prev_id, prev_hash = last if last else (0, GENESIS)
    new_id: int = prev_id + 1
    data = _canonical(values) if values else ""
    row: dict[str, Any] = {
        "id": new_id,
        "at": now_utc(),
        "actor": store.actor,
        "kind": kind,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "family_id": family_id,
        "fields": _canonical(sorted(fields or (values or {}).keys())),
        "values_digest": hashlib.sha256(data.encode("utf-8")).hexdigest() if data else "",
    }
    row["prev_hash"] = prev_hash
    row["hash"] = entry_hash(prev_hash, row)
    conn.execute(
        "INSERT INTO audit (id, at, actor, kind, action, entity, entity_id, family_id, fields, values_digest,"
        " prev_hash, hash) VALUES (:id, :at, :actor, :kind, :action, :entity, :entity_id, :family_id, :fields,"
        " :values_digest, :prev_hash, :hash)",
        row,
    )
    if data:
        conn.execute(
            "INSERT INTO audit_values (audit_id, family_id, data) VALUES (?, ?, ?)", (row["id"], family_id, data)
        )
    return new_id


def entries(
    store: Store, *, family_id: int | None = None, limit: int | None = None, action: str | None = None
) -> list[AuditEntry]:
    where: list[str] = []
    params: list[Any] = []
    if family_id is not None:
        where.append("a.family_id = ?")
        params.append(family_id)
    if action:
        where.append("a.action LIKE ?")
        params.append(action.replace("*", "%"))
    sql = (
        "SELECT a.id, a.at, a.actor, a.kind, a.action, a.entity, a.entity_id, a.family_id, a.fields,"
        " v.data AS vals, a.hash FROM audit a LEFT JOIN audit_values v ON v.audit_id = a.id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    rows = store.all(sql, tuple(params))
    for r in rows:
        r["fields"] = json.loads(r["fields"])
        r["values"] = json.loads(r.pop("vals")) if r.get("vals") else None
    rows.reverse()
    return cast("list[AuditEntry]", rows)


def head(store: Store) -> AuditHead | None:
    return cast("AuditHead | None", store.one("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1"))


def id_ranges(ids: Iterable[int]) -> str:
    """Audit ids as compact ranges: [1, 2, 3, 7, 9, 10] -> "1-3,7,9-10"."""
    out: list[str] = []
    lo: int | None = None
    hi: int | None = None
    for i in sorted(set(ids)):
        if hi is not None and i == hi + 1:
            hi = i
            continue
        if lo is not None:
            out.append(str(lo) if lo == hi else f"{lo}-{hi}")
        lo = hi = i
    if lo is not None:
        out.append(str(lo) if lo == hi else f"{lo}-{hi}")
    return ",".join(out)


_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")


def parse_id_ranges(text: str) -> list[tuple[int, int]]:
    """The inverse of :func:`id_ranges`, as (first, last) pairs; ValueError if malformed."""
    pairs = []
    for part in filter(None, str(text).split(",")):
        m = _RANGE.match(part)
        if not m:
            raise ValueError(f"not an id range: {part!r}")
        lo = int(m.group(1))
        hi = int(m.group(2) or lo)
        if hi < lo:
            raise ValueError(f"not an id range: {part!r}")
        pairs.append((lo, hi))
    return pairs


def _digest(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _purge_accounts(store: Store) -> tuple[list[tuple[int, int, int]], dict[int, int], dict[int, int]]:
    """What the purges in the trail say they removed: (ranges, legacy, damaged).

    ``ranges``: (first, last, family_id) of audit ids whose values a purge
    removed, sorted, each clipped to ids before its purge. ``legacy``: family_id
    -> the newest purge of it that kept no list (made before purges recorded
    one). ``damaged``: family_id -> a purge whose own values are missing or do
    not match their digest, so what it removed cannot be known. Purges are few
    (one per family ever purged) and their lists compact, so this is small; the
    lists are trusted only if they match the purge entry's chained digest, and
    the main pass of :func:`verify` then checks each purge entry's hash too."""
    ranges: list[tuple[int, int, int]] = []
    legacy: dict[int, int] = {}
    damaged: dict[int, int] = {}
    cur = store.conn.execute(
        "SELECT a.id, a.family_id, a.values_digest, v.data FROM audit a LEFT JOIN audit_values v"
        " ON v.audit_id = a.id WHERE a.action = ? ORDER BY a.id",
        (PURGE_ACTION,),
    )
    for pid, fid, digest, data in cur:
        if not digest:
            legacy[fid] = pid
            continue
        try:
            if data is None or _digest(data) != digest:
                raise ValueError("missing or edited")
            values = json.loads(data)
            if not isinstance(values, dict):
                raise ValueError("not a purge's values")
            if REMOVED_KEY not in values:
                legacy[fid] = pid
                continue
            pairs = parse_id_ranges(values[REMOVED_KEY])
        except (ValueError, TypeError, AttributeError):
            damaged[fid] = pid
            continue
        ranges.extend((lo, min(hi, pid - 1), fid) for lo, hi in pairs if lo < pid)
    ranges.sort()
    return ranges, legacy, damaged


def verify(store: Store, expected_head: str | None = None) -> VerifyResult:
    """Recompute the chain. Returns {"ok", "entries", "head", "broken_at", "reason"}.

    Besides each entry's link and hash, an entry that recorded values (a
    non-empty ``values_digest``) must still have them, matching the digest,
    unless a later purge of its family removed them. A purge lists the ids of
    the entries whose values it removed in its own values, under
    ``values_removed`` (as ranges, "12-15,20"); those values are non-personal
    and their digest is in the purge entry's chained ``values_digest``, so the
    list cannot be edited unseen. Nothing lawful removes a purge entry's own
    values (families' ids are never reused, so no later purge matches them),
    so deleting them is tampering too: the first entry whose missing values
    only that list accounted for fails, naming the purge. Values missing with
    no purge to account for them fail as "deleted outside a purge", even if
    their family was purged later (a purge lists only what it removed itself).

    Purges made by an older ehtool kept no list (no ``values_removed`` key).
    Each accounts for the missing values of every earlier entry of its family:
    that is what those purges deleted (every value recorded with the family's
    id), and the purge entry is chained, so this admits no deletion about
    another family, nor one after the purge.

    Streams: the entries and their values are read in one joined pass in id
    order, never loaded whole; only the purges' lists are read beforehand.
    """
    prev = GENESIS
    count = 0
    walk = _PurgeWalk(store)
    cur = store.conn.execute(
        "SELECT a.id, a.at, a.actor, a.kind, a.action, a.entity, a.entity_id, a.family_id, a.fields,"
        " a.values_digest, a.prev_hash, a.hash, v.data AS vals FROM audit a"
        " LEFT JOIN audit_values v ON v.audit_id = a.id ORDER BY a.id"
    )
    cols = [c[0] for c in cur.description]
    expected_id = 1
    for raw in cur:
        row = dict(zip(cols, raw))
        count += 1
        problem = _entry_problem(row, prev, expected_id, walk)
        if problem:
            return {"ok": False, "entries": count, "head": None, "broken_at": row["id"], "reason": problem}
        prev = row["hash"]
        expected_id += 1
    return _chain_result(store, count, prev, expected_head)


class _PurgeWalk:
    """What the purges say they removed, walked in id order alongside the entries."""

    def __init__(self, store: Store) -> None:
        """Read the purges' accounts (:func:`_purge_accounts`) and start the walk."""
        self.ranges, self.legacy, self.damaged = _purge_accounts(store)
        self.at = 0  # the walk through ``ranges``, which is sorted like the entries

    def missing_values_problem(self, row: Mapping[str, Any]) -> str | None:
        """Why an entry's recorded values are missing, or None if a purge removed them."""
        ranges, at = self.ranges, self.at
        while at < len(ranges) and ranges[at][1] < row["id"]:
            at += 1
        self.at = at
        fid = row["family_id"]
        purged = row["action"] != PURGE_ACTION and (
            (at < len(ranges) and ranges[at][0] <= row["id"] and ranges[at][2] == fid)
            or self.legacy.get(fid, 0) > row["id"]
        )
        if purged:
            return None
        if self.damaged.get(fid, 0) > row["id"]:
            return (
                f"its recorded values are missing, and purge entry {self.damaged[fid]}, which would "
                "account for them, has lost its own record of what it removed"
            )
        return "its recorded values were deleted outside a purge"


def _entry_problem(row: Mapping[str, Any], prev: str, expected_id: int, walk: _PurgeWalk) -> str | None:
    """What is wrong with one entry of the chain (its place, link, hash and values), or None."""
    data = row["vals"]
    if row["id"] != expected_id:
        return f"entry {expected_id} is missing"
    if row["prev_hash"] != prev:
        return "its link to the previous entry does not match"
    if entry_hash(prev, row) != row["hash"]:
        return "its contents do not match its hash (edited)"
    if data is not None:
        if _digest(data) != row["values_digest"]:
            return "its recorded values do not match their digest (edited)"
        return None
    if row["values_digest"]:
        return walk.missing_values_problem(row)
    return None


def _chain_result(store: Store, count: int, prev: str, expected_head: str | None) -> VerifyResult:
    """The result of a sound chain of ``count`` entries ending at ``prev``, checked against ``expected_head``."""
    result: VerifyResult = {
        "ok": True,
        "entries": count,
        "head": prev if count else None,
        "broken_at": None,
        "reason": None,
    }
    if expected_head and expected_head != prev:
        result.update(
            {
                "ok": False,
                "reason": "the newest entries do not end at the head you gave "
                "(entries were removed from the end, or the head is from another "
                "database)",
            }
        )
        known = store.one("SELECT id FROM audit WHERE hash = ?", (expected_head,))
        if known:
            result["reason"] = f"the head you gave is entry {known['id']}, not the newest; entries were added since"
            result["ok"] = True
    return result


def _trigger_ok(name: str, event: str, table: str, sql: str | None) -> bool:
    """Does this trigger still refuse every ``event`` on the audit table (no WHEN,
    no OF column list, a body that only raises ABORT)?"""
    text = " ".join((sql or "").split()).lower()
    pattern = (
        rf'create trigger (?:if not exists )?(?:main\.)?"?{name}"? before {event} on "?audit"? '
        r"(?:for each row )?begin select raise\(abort, ?'(?:[^']|'')*'\) ?; ?end;?"
    )
    return table == "audit" and re.fullmatch(pattern, text) is not None


def trigger_problems(conn: sqlite3.Connection) -> list[str]:
    """Problems with the triggers that keep the trail append-only: missing, or
    altered so they no longer refuse UPDATE / DELETE."""
    found = {
        name: (table, sql)
        for name, table, sql in conn.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
    }
    missing = [n for n in APPEND_ONLY_TRIGGERS if n not in found]
    altered = [n for n, event in APPEND_ONLY_TRIGGERS.items() if n in found and not _trigger_ok(n, event, *found[n])]
    problems = []
    if missing:
        problems.append(
            "audit trail: its append-only triggers are missing "
            f"({', '.join(missing)}), so entries can be edited or deleted"
        )
    if altered:
        problems.append(
            "audit trail: its append-only triggers were altered "
            f"({', '.join(altered)}) and no longer refuse every edit or deletion"
        )
    return problems


def check_trail(store: Store) -> tuple[VerifyResult, list[str]]:
    """Is the audit trail sound? Its chain (:func:`verify`) and its append-only
    triggers. Returns (the verify result, problems); no problems means sound.
    Raises sqlite3.DatabaseError if the trail cannot be read at all."""
    result = verify(store)
    problems = []
    if not result["ok"]:
        where = f" at entry {result['broken_at']}" if result["broken_at"] else ""
        problems.append(f"audit trail broken{where}: {result['reason']}")
    problems.extend(trigger_problems(store.conn))
    return result, problems
