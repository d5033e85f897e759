"""The consent ledger: one row per decision, never edited; the latest per type counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from ehtool.domain import families as fam
from ehtool.store import audit
from ehtool.store.families import family_row

if TYPE_CHECKING:
    from ehtool.store.connection import Store
    from ehtool.store.rows import ConsentRecord, ConsentRow


def record(store: Store, family_id: int, values: Mapping[str, Any]) -> int:
    with store.tx():
        family_row(store, family_id)
        row = {**values, "family_id": family_id, "recorded_by": store.actor, "recorded_at": audit.now_utc()}
        cid = store.insert("consents", row)
        audit.record(
            store,
            "consent.record",
            entity="consent",
            entity_id=str(cid),
            family_id=family_id,
            values={k: v for k, v in values.items() if v is not None},
        )
    return cid


def ledger(store: Store, family_id: int) -> list[ConsentRow]:
    family_row(store, family_id)
    rows = store.all("SELECT * FROM consents WHERE family_id = ? ORDER BY date, id", (family_id,))
    for r in rows:
        r["family_id"] = fam.family_ref(r["family_id"])
        r["member_id"] = fam.member_ref(r["member_id"]) if r["member_id"] else None
    return cast("list[ConsentRow]", rows)


# The one rule for "the current decision": the latest by date, then by entry.
_LATEST = "ORDER BY date DESC, id DESC"
_CURRENT_FOR_OPEN_FAMILIES = f"""
SELECT family_id, status, date FROM (
    SELECT family_id, status, date, ROW_NUMBER() OVER (PARTITION BY family_id {_LATEST}) AS rn
    FROM consents
    WHERE type = ? AND member_id IS NULL AND family_id IN (SELECT id FROM families WHERE status = 'open')
) WHERE rn = 1
"""


def current(store: Store, family_id: int, type_: str, member_id: int | None = None) -> ConsentRecord | None:
    """The latest decision of this type (for the member if one is given and has
    their own entry, else the family's)."""
    if member_id is not None:
        row = store.one(
            f"SELECT * FROM consents WHERE family_id = ? AND type = ? AND member_id = ? {_LATEST} LIMIT 1",
            (family_id, type_, member_id),
        )
        if row:
            return cast("ConsentRecord", row)
    return cast(
        "ConsentRecord | None",
        store.one(
            f"SELECT * FROM consents WHERE family_id = ? AND type = ? AND member_id IS NULL {_LATEST} LIMIT 1",
            (family_id, type_),
        ),
    )


def current_for_open_families(store: Store, type_: str) -> list[dict[str, Any]]:
    """The household's current decision of this type for every open family (family_id, status, date)."""
    return store.all(_CURRENT_FOR_OPEN_FAMILIES, (type_,))
