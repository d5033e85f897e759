"""The family's network: people around the family who are not members of the household."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ehtool.domain import families as fam
from ehtool.errors import NotFound
from ehtool.store import audit

if TYPE_CHECKING:
    from ehtool.store.connection import Store

FIELDS = ("name", "relationship", "offer", "contact", "agreed")


def _out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": fam.network_ref(row["id"]),
        "family_id": fam.family_ref(row["family_id"]),
        **{k: row[k] for k in FIELDS},
        "agreed": bool(row["agreed"]),
    }


def add(store: Store, family_id: int, values: dict[str, Any]) -> dict[str, Any]:
    """Add one person to the family's network, with its audit entry."""
    with store.tx():
        now = audit.now_utc()
        pk = store.insert(
            "family_network",
            {"family_id": family_id, **{k: values.get(k) for k in FIELDS}, "created_at": now, "updated_at": now},
        )
        audit.record(
            store,
            "network.add",
            entity="network",
            entity_id=fam.network_ref(pk),
            family_id=family_id,
            fields=[k for k in FIELDS if values.get(k) not in (None, "")],
            values={k: values.get(k) for k in FIELDS},
        )
    return get(store, pk)


def get(store: Store, pk: int) -> dict[str, Any]:
    row = store.one("SELECT * FROM family_network WHERE id = ?", (pk,))
    if row is None:
        raise NotFound(f"No one {fam.network_ref(pk)} in a family's network.", hint="`ehtool network list FAMILY_ID`.")
    return _out(row)


def for_family(store: Store, family_id: int) -> list[dict[str, Any]]:
    return [_out(r) for r in store.all("SELECT * FROM family_network WHERE family_id = ? ORDER BY id", (family_id,))]


def remove(store: Store, pk: int) -> dict[str, Any]:
    """Remove one person from a family's network (their details stay only in the audit's values)."""
    with store.tx():
        gone = get(store, pk)
        family_id = fam.parse_ref(gone["family_id"])
        store.execute("DELETE FROM family_network WHERE id = ?", (pk,))
        audit.record(
            store,
            "network.remove",
            entity="network",
            entity_id=gone["id"],
            family_id=family_id,
            values={k: gone[k] for k in FIELDS},
        )
    return gone
