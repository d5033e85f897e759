"""Locality panel sittings and the families on their agendas."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from ehtool.domain import families as fam
from ehtool.errors import Conflict, NotFound
from ehtool.store import audit
from ehtool.store.connection import Store, inserted_id
from ehtool.store.families import family_row

if TYPE_CHECKING:
    from ehtool.store.rows import FamilyPanelItem, PanelItemRow, PanelRecord, PanelRow, UndecidedItem


def _panel_out(row: Mapping[str, Any]) -> PanelRow:
    return {
        "id": fam.panel_ref(row["id"]),
        "locality": row["locality"],
        "date": row["date"],
        "chair": row["chair"],
        "items": row.get("items", 0),
        "_pk": row["id"],
    }


def schedule(store: Store, locality: str, date: str, chair: str | None) -> int:
    with store.tx():
        try:
            cur = store.execute(
                "INSERT INTO panels (locality, date, chair, created_at) VALUES (?, ?, ?, ?)",
                (locality, date, chair, audit.now_utc()),
            )
        except sqlite3.IntegrityError:
            raise Conflict(
                f"There is already a {locality} panel on {date}.", hint="`ehtool panel list` shows the sittings."
            ) from None
        pk = inserted_id(cur)
        audit.record(
            store,
            "panel.schedule",
            entity="panel",
            entity_id=fam.panel_ref(pk),
            values={"locality": locality, "date": date, "chair": chair},
        )
    return pk


def find(store: Store, *, pk: int | None = None, locality: str | None = None, date: str | None = None) -> PanelRecord:
    if pk is not None:
        row = store.one("SELECT * FROM panels WHERE id = ?", (pk,))
        missing = f"No panel {fam.panel_ref(pk)}."
    else:
        row = store.one("SELECT * FROM panels WHERE locality = ? COLLATE NOCASE AND date = ?", (locality, date))
        missing = f"No {locality} panel on {date}."
    if row is None:
        raise NotFound(missing, hint="`ehtool panel list` shows the sittings; `ehtool panel schedule` adds one.")
    return cast("PanelRecord", row)


def next_sitting(store: Store, locality: str, on_or_after: str) -> PanelRecord | None:
    return cast(
        "PanelRecord | None",
        store.one(
            "SELECT * FROM panels WHERE locality = ? COLLATE NOCASE AND date >= ? ORDER BY date LIMIT 1",
            (locality, on_or_after),
        ),
    )


def list_panels(store: Store, *, locality: str | None = None, since: str | None = None) -> list[PanelRow]:
    where: list[str] = []
    params: list[Any] = []
    if locality:
        where.append("p.locality = ? COLLATE NOCASE")
        params.append(locality)
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
    rows = store.all("SELECT * FROM panel_items WHERE panel_id = ? ORDER BY item", (panel_pk,))
    for r in rows:
        r["family_pk"] = r["family_id"]
        r["family_id"] = fam.family_ref(r["family_id"])
    return cast("list[PanelItemRow]", rows)


def add_item(store: Store, panel_pk: int, family_id: int, values: Mapping[str, Any]) -> int:
    with store.tx():
        family_row(store, family_id)
        number: int = (store.scalar("SELECT MAX(item) FROM panel_items WHERE panel_id = ?", (panel_pk,)) or 0) + 1
        try:
            store.execute(
                "INSERT INTO panel_items (panel_id, item, family_id, reason, presenter, notes, consent_status,"
                " no_consent_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                ),
            )
        except sqlite3.IntegrityError:
            raise Conflict(
                f"{fam.family_ref(family_id)} is already on the agenda of {fam.panel_ref(panel_pk)}."
            ) from None
        audit.record(
            store,
            "panel.add",
            entity="panel",
            entity_id=fam.panel_ref(panel_pk),
            family_id=family_id,
            values={k: val for k, val in values.items() if val},
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
        entity_id=f"{fam.panel_ref(item['panel_id'])}#{item['item']}",
        family_id=item["family_pk"],
        fields=list(changed),
        values={**{k: values.get(k) for k in changed}, "source": source},
    )


def items_for_family(store: Store, family_id: int) -> list[FamilyPanelItem]:
    rows = store.all(
        "SELECT p.id AS panel_pk, p.locality, p.date, i.item, i.reason, i.decision, i.decision_notes,"
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
