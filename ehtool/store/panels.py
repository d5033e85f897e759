"""Panel sittings (of each kind) and the families on their agendas."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from ehtool.domain import families as fam
from ehtool.errors import Conflict, InvalidInput, NotFound
from ehtool.store import audit
from ehtool.store.connection import Store, inserted_id
from ehtool.store.families import family_row

if TYPE_CHECKING:
    from ehtool.store.rows import FamilyPanelItem, PanelItemRow, PanelRecord, PanelRow, UndecidedItem


def _panel_out(row: Mapping[str, Any]) -> PanelRow:
    return {
        "id": fam.panel_ref(row["id"]),
        "kind": row["kind"],
        "locality": row["locality"],
        "date": row["date"],
        "chair": row["chair"],
        "items": row.get("items", 0),
        "_pk": row["id"],
    }


def schedule(store: Store, kind: str, locality: str, date: str, chair: str | None) -> int:
    """Insert a sitting with its audit entry; call inside the caller's transaction or alone."""
    with store.tx():
        try:
            cur = store.execute(
                "INSERT INTO panels (kind, locality, date, chair, created_at) VALUES (?, ?, ?, ?, ?)",
                (kind, locality, date, chair, audit.now_utc()),
            )
        except sqlite3.IntegrityError:
            raise Conflict(
                f"There is already a {kind} panel for {locality} on {date}.",
                hint="`ehtool panel list` shows the sittings.",
            ) from None
        pk = inserted_id(cur)
        audit.record(
            store,
            "panel.schedule",
            entity="panel",
            entity_id=fam.panel_ref(pk),
            values={"kind": kind, "locality": locality, "date": date, "chair": chair},
        )
    return pk


def find(
    store: Store,
    *,
    pk: int | None = None,
    locality: str | None = None,
    date: str | None = None,
    kind: str | None = None,
) -> PanelRecord:
    """A sitting by id, or by locality and date (and kind, when more than one kind sits that day)."""
    if pk is not None:
        row = store.one("SELECT * FROM panels WHERE id = ?", (pk,))
        if row is None:
            raise NotFound(f"No panel {fam.panel_ref(pk)}.", hint="`ehtool panel list` shows the sittings.")
        return cast("PanelRecord", row)
    rows = store.all(
        "SELECT * FROM panels WHERE locality = ? COLLATE NOCASE AND date = ?"
        + (" AND kind = ?" if kind else "")
        + " ORDER BY id",
        (locality, date, kind) if kind else (locality, date),
    )
    if not rows:
        raise NotFound(
            f"No {kind + ' ' if kind else ''}panel for {locality} on {date}.",
            hint="`ehtool panel list` shows the sittings; `ehtool panel schedule` adds one.",
        )
    if len(rows) > 1:
        raise InvalidInput(
            f"{len(rows)} panels sit for {locality} on {date}: "
            + ", ".join(f"{fam.panel_ref(r['id'])} ({r['kind']})" for r in rows)
            + ".",
            hint="Name one by its reference, or add --kind.",
        )
    return cast("PanelRecord", rows[0])


def next_sitting(store: Store, kind: str, locality: str, after: str, *, inclusive: bool = True) -> PanelRecord | None:
    """The first sitting of this kind for this locality on (or, not ``inclusive``, after) a day."""
    return cast(
        "PanelRecord | None",
        store.one(
            f"SELECT * FROM panels WHERE kind = ? AND locality = ? COLLATE NOCASE AND date {'>=' if inclusive else '>'} ?"
            " ORDER BY date, id LIMIT 1",
            (kind, locality, after),
        ),
    )


def list_panels(
    store: Store, *, locality: str | None = None, since: str | None = None, kind: str | None = None
) -> list[PanelRow]:
    where: list[str] = []
    params: list[Any] = []
    if locality:
        where.append("p.locality = ? COLLATE NOCASE")
        params.append(locality)
    if kind:
        where.append("p.kind = ?")
        params.append(kind)
    if since:
        where.append("p.date >= ?")
        params.append(since)
    sql = (
        "SELECT p.*, (SELECT COUNT(*) FROM panel_items i WHERE i.panel_id = p.id) AS items FROM panels p"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY p.date, p.locality"
    )
    return [_panel_out(r) for r in store.all(sql, tuple(params))]


def items(store: Store, panel_pk: int) -> list[PanelItemRow]:
    """A sitting's items in order, each with the item it was carried from (``carried_from_ref``,
    "P000003#2", with that sitting's date and decision) when it was carried."""
    rows = store.all(
        "SELECT i.*, o.item AS from_item, o.panel_id AS from_panel, o.decision AS from_decision,"
        " op.date AS from_date FROM panel_items i LEFT JOIN panel_items o ON o.id = i.carried_from"
        " LEFT JOIN panels op ON op.id = o.panel_id WHERE i.panel_id = ? ORDER BY i.item",
        (panel_pk,),
    )
    for r in rows:
        r["family_pk"] = r["family_id"]
        r["family_id"] = fam.family_ref(r["family_id"])
        from_panel, from_item = r.pop("from_panel"), r.pop("from_item")
        r["carried_from_ref"] = item_ref(from_panel, from_item) if from_panel else None
    return cast("list[PanelItemRow]", rows)


def item_ref(panel_pk: int, item: int) -> str:
    """An agenda item's reference: its sitting's and its number, "P000003#2"."""
    return f"{fam.panel_ref(panel_pk)}#{item}"


def add_item(
    store: Store, panel_pk: int, family_id: int, values: Mapping[str, Any], *, carried_from: int | None = None
) -> int:
    with store.tx():
        family_row(store, family_id)
        number: int = (store.scalar("SELECT MAX(item) FROM panel_items WHERE panel_id = ?", (panel_pk,)) or 0) + 1
        try:
            store.execute(
                "INSERT INTO panel_items (panel_id, item, family_id, reason, presenter, notes, consent_status,"
                " no_consent_reason, created_at, carried_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    panel_pk,
                    number,
                    family_id,
                    values["reason"],
                    values.get("presenter"),
                    values.get("notes"),
                    values.get("consent_status"),
                    values.get("no_consent_reason"),
                    audit.now_utc(),
                    carried_from,
                ),
            )
        except sqlite3.IntegrityError:
            raise Conflict(
                f"{fam.family_ref(family_id)} is already on the agenda of {fam.panel_ref(panel_pk)}."
            ) from None
        audit.record(
            store,
            "panel.carry" if carried_from else "panel.add",
            entity="panel",
            entity_id=fam.panel_ref(panel_pk),
            family_id=family_id,
            values={k: val for k, val in values.items() if val}
            | ({"carried_from": carried_from} if carried_from else {}),
        )
    return number


def record_decision(
    store: Store, item: PanelItemRow, values: Mapping[str, Any], changed: list[str], *, panel_date: str, source: str
) -> None:
    """Write one item's decision fields (``values``: decision, notes, actions,
    allocated_to, as they are to be after the change) with its audit entry naming
    the ``changed`` fields. Call inside the caller's transaction."""
    store.execute(
        "UPDATE panel_items SET decision = ?, decision_notes = ?, actions = ?, allocated_to = ?,"
        " decided_on = ?, decided_by = ? WHERE id = ?",
        (
            values.get("decision"),
            values.get("notes"),
            values.get("actions"),
            values.get("allocated_to"),
            panel_date if values.get("decision") else None,
            store.actor,
            item["id"],
        ),
    )
    audit.record(
        store,
        "panel.decide",
        entity="panel",
        entity_id=item_ref(item["panel_id"], item["item"]),
        family_id=item["family_pk"],
        fields=list(changed),
        values={**{k: values.get(k) for k in changed}, "source": source},
    )


def link_carried(store: Store, item_id: int, from_item_id: int) -> None:
    """Mark an item already on a sitting as carried from an earlier one."""
    store.execute("UPDATE panel_items SET carried_from = ? WHERE id = ?", (from_item_id, item_id))


def items_for_family(store: Store, family_id: int) -> list[FamilyPanelItem]:
    rows = store.all(
        "SELECT p.id AS panel_pk, p.kind, p.locality, p.date, i.item, i.reason, i.decision, i.decision_notes,"
        " i.actions, i.allocated_to FROM panel_items i JOIN panels p ON p.id = i.panel_id"
        " WHERE i.family_id = ? ORDER BY p.date, p.id",
        (family_id,),
    )
    for r in rows:
        r["panel_id"] = fam.panel_ref(r.pop("panel_pk"))
    return cast("list[FamilyPanelItem]", rows)


def undecided_items_for_family(store: Store, family_id: int) -> list[UndecidedItem]:
    return cast(
        "list[UndecidedItem]",
        store.all(
            "SELECT i.*, p.date, p.locality FROM panel_items i JOIN panels p ON p.id = i.panel_id "
            "WHERE i.family_id = ? AND i.decision IS NULL ORDER BY p.date",
            (family_id,),
        ),
    )
