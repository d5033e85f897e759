"""The consent ledger: one row per decision, never edited; the latest per type counts."""

from __future__ import annotations

from ehtool.domain import families as fam
from ehtool.store import audit
from ehtool.store.families import family_row


def record(store, family_id: int, values: dict) -> int:
    with store.tx():
        family_row(store, family_id)
        row = {**values, "family_id": family_id, "recorded_by": store.actor, "recorded_at": audit.now_utc()}
        keys = list(row)
        cur = store.execute(f"INSERT INTO consents ({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})",
                            tuple(row[k] for k in keys))
        cid = cur.lastrowid
        audit.record(store, "consent.record", entity="consent", entity_id=str(cid), family_id=family_id,
                     values={k: v for k, v in values.items() if v is not None})
    return cid


def ledger(store, family_id: int) -> list[dict]:
    family_row(store, family_id)
    rows = store.all("SELECT * FROM consents WHERE family_id = ? ORDER BY date, id", (family_id,))
    for r in rows:
        r["family_id"] = fam.family_ref(r["family_id"])
        r["member_id"] = fam.member_ref(r["member_id"]) if r["member_id"] else None
    return rows


def current(store, family_id: int, type_: str, member_id: int | None = None) -> dict | None:
    """The latest decision of this type (for the member if one is given and has
    their own entry, else the family's)."""
    if member_id is not None:
        row = store.one("SELECT * FROM consents WHERE family_id = ? AND type = ? AND member_id = ? "
                        "ORDER BY date DESC, id DESC LIMIT 1", (family_id, type_, member_id))
        if row:
            return row
    return store.one("SELECT * FROM consents WHERE family_id = ? AND type = ? AND member_id IS NULL "
                     "ORDER BY date DESC, id DESC LIMIT 1", (family_id, type_))
