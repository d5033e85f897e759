"""The audit trail: who did what, when, to which record.

Append-only (triggers refuse UPDATE and DELETE) and hash-chained: each entry's
``hash`` is SHA-256 over the previous entry's hash and the entry's own
columns. The personal values of a change (old and new field values) live in
``audit_values``; the chain covers only their digest, so a lawful purge can
delete them and ``verify`` still passes.
"""

from __future__ import annotations

import hashlib
import json

from ehtool.clock import now_utc

GENESIS = "0" * 64
_COLUMNS = ("id", "at", "actor", "kind", "action", "entity", "entity_id", "family_id", "fields", "values_digest")


def entry_hash(prev_hash: str, row: dict) -> str:
    parts = [prev_hash] + ["" if row[c] is None else str(row[c]) for c in _COLUMNS]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _canonical(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def record(store, action: str, *, entity: str | None = None, entity_id: str | None = None,
           family_id: int | None = None, fields: list[str] | None = None, values: dict | None = None,
           kind: str = "change") -> int:
    """Append one audit entry. Call inside the write's own transaction."""
    conn = store.conn
    last = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    prev_id, prev_hash = (last if last else (0, GENESIS))
    data = _canonical(values) if values else ""
    row = {
        "id": prev_id + 1,
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
        conn.execute("INSERT INTO audit_values (audit_id, family_id, data) VALUES (?, ?, ?)",
                     (row["id"], family_id, data))
    return row["id"]


def entries(store, *, family_id: int | None = None, limit: int | None = None,
            action: str | None = None) -> list[dict]:
    where, params = [], []
    if family_id is not None:
        where.append("a.family_id = ?")
        params.append(family_id)
    if action:
        where.append("a.action LIKE ?")
        params.append(action.replace("*", "%"))
    sql = ("SELECT a.id, a.at, a.actor, a.kind, a.action, a.entity, a.entity_id, a.family_id, a.fields,"
           " v.data AS vals, a.hash FROM audit a LEFT JOIN audit_values v ON v.audit_id = a.id")
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
    return rows


def head(store) -> dict | None:
    return store.one("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")


def verify(store, expected_head: str | None = None) -> dict:
    """Recompute the chain. Returns {"ok", "entries", "head", "broken_at", "reason"}."""
    prev = GENESIS
    count = 0
    values = {r[0]: r[1] for r in store.conn.execute("SELECT audit_id, data FROM audit_values")}
    cur = store.conn.execute(
        "SELECT id, at, actor, kind, action, entity, entity_id, family_id, fields, values_digest, prev_hash, hash"
        " FROM audit ORDER BY id")
    cols = [c[0] for c in cur.description]
    expected_id = 1
    for raw in cur:
        row = dict(zip(cols, raw))
        count += 1
        problem = None
        if row["id"] != expected_id:
            problem = f"entry {expected_id} is missing"
        elif row["prev_hash"] != prev:
            problem = "its link to the previous entry does not match"
        elif entry_hash(prev, row) != row["hash"]:
            problem = "its contents do not match its hash (edited)"
        else:
            data = values.get(row["id"])
            if data is not None and hashlib.sha256(data.encode("utf-8")).hexdigest() != row["values_digest"]:
                problem = "its recorded values do not match their digest (edited)"
        if problem:
            return {"ok": False, "entries": count, "head": None, "broken_at": row["id"], "reason": problem}
        prev = row["hash"]
        expected_id += 1
    result = {"ok": True, "entries": count, "head": prev if count else None, "broken_at": None, "reason": None}
    if expected_head and expected_head != prev:
        result.update(ok=False, reason="the newest entries do not end at the head you gave "
                                       "(entries were removed from the end, or the head is from another database)")
        known = store.one("SELECT id FROM audit WHERE hash = ?", (expected_head,))
        if known:
            result["reason"] = f"the head you gave is entry {known['id']}, not the newest; entries were added since"
            result["ok"] = True
    return result
