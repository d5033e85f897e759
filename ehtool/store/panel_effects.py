"""What panel decisions changed: one row per item and effect (``panel_effects``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ehtool.domain import families as fam
from ehtool.store import audit
from ehtool.store.panels import item_ref

if TYPE_CHECKING:
    from ehtool.store.connection import Store


def of_item(store: Store, item_id: int) -> dict[str, dict[str, Any]]:
    """The effects recorded for an agenda item, by effect."""
    return {r["effect"]: r for r in store.all("SELECT * FROM panel_effects WHERE item_id = ?", (item_id,))}


def record(
    store: Store,
    item: dict[str, Any],
    effect: str,
    outcome: str,
    *,
    on: str,
    detail: str | None = None,
    target: str | None = None,
) -> None:
    """Record (or update) an item's effect with its audit entry; call inside the decision's transaction."""
    now = audit.now_utc()
    store.execute(
        "INSERT INTO panel_effects (item_id, family_id, effect, outcome, detail, target, applied_on, recorded_by,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (item_id, effect) DO UPDATE SET outcome = excluded.outcome, detail = excluded.detail,"
        " target = excluded.target, applied_on = excluded.applied_on, recorded_by = excluded.recorded_by,"
        " updated_at = excluded.updated_at",
        (item["id"], item["family_pk"], effect, outcome, detail, target, on, store.actor, now, now),
    )
    audit.record(
        store,
        "panel.effect",
        entity="panel",
        entity_id=item_ref(item["panel_id"], item["item"]),
        family_id=item["family_pk"],
        fields=[effect],
        values={"effect": effect, "outcome": outcome, "target": target, "detail": detail},
    )


def waiting(store: Store, kind: str, locality: str, before: str) -> list[dict[str, Any]]:
    """Items waiting to be carried to the next sitting of this kind and locality, from sittings before a day."""
    rows = store.all(
        "SELECT e.id AS effect_id, i.*, p.date AS panel_date FROM panel_effects e"
        " JOIN panel_items i ON i.id = e.item_id JOIN panels p ON p.id = i.panel_id"
        " JOIN families f ON f.id = i.family_id"
        " WHERE e.outcome = 'waiting' AND e.effect = 'carry' AND p.kind = ? AND p.locality = ? COLLATE NOCASE AND p.date < ?"
        " AND f.status = 'open' ORDER BY p.date, i.panel_id, i.item",
        (kind, locality, before),
    )
    for r in rows:
        r["family_pk"] = r["family_id"]
        r["family_id"] = fam.family_ref(r["family_id"])
    return rows


def for_family(store: Store, family_id: int) -> list[dict[str, Any]]:
    """A family's effects in the order they were recorded, each with its item's reference."""
    rows = store.all(
        "SELECT e.effect, e.outcome, e.detail, e.target, e.applied_on, i.panel_id, i.item, i.decision"
        " FROM panel_effects e JOIN panel_items i ON i.id = e.item_id WHERE e.family_id = ? ORDER BY e.id",
        (family_id,),
    )
    return [{**r, "item": item_ref(r.pop("panel_id"), r["item"])} for r in rows]
