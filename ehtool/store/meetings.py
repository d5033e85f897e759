"""Family group decision-making: offered, accepted or declined, held, and the family's own plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ehtool.domain import families as fam
from ehtool.errors import NotFound
from ehtool.store import audit

if TYPE_CHECKING:
    from ehtool.store.connection import Store

FIELDS = (
    "offered_on",
    "offered_by",
    "source",
    "response",
    "response_on",
    "held_on",
    "attended",
    "family_plan",
    "plan_id",
)


def _out(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": fam.meeting_ref(row["id"]), "family_id": fam.family_ref(row["family_id"])}
    out.update({k: row[k] for k in FIELDS})
    out["plan_id"] = fam.plan_ref(row["plan_id"]) if row["plan_id"] else None
    return out


def offer(store: Store, family_id: int, values: dict[str, Any]) -> int:
    """Record an offer of family group decision-making; inside the caller's transaction or alone."""
    with store.tx():
        now = audit.now_utc()
        pk = store.insert("family_meetings", {"family_id": family_id, **values, "created_at": now, "updated_at": now})
        audit.record(
            store, "fgdm.offer", entity="fgdm", entity_id=fam.meeting_ref(pk), family_id=family_id, values=values
        )
    return pk


def update(store: Store, pk: int, values: dict[str, Any], action: str) -> None:
    with store.tx():
        current = get(store, pk)
        sets = ", ".join(f"{k} = ?" for k in values)
        store.execute(
            f"UPDATE family_meetings SET {sets}, updated_at = ? WHERE id = ?", (*values.values(), audit.now_utc(), pk)
        )
        audit.record(
            store,
            action,
            entity="fgdm",
            entity_id=current["id"],
            family_id=fam.parse_ref(current["family_id"]),
            values=values,
        )


def get(store: Store, pk: int) -> dict[str, Any]:
    row = store.one("SELECT * FROM family_meetings WHERE id = ?", (pk,))
    if row is None:
        raise NotFound(f"No family group decision-making {fam.meeting_ref(pk)}.", hint="`ehtool fgdm list FAMILY_ID`.")
    return _out(row)


def for_family(store: Store, family_id: int) -> list[dict[str, Any]]:
    rows = store.all("SELECT * FROM family_meetings WHERE family_id = ? ORDER BY offered_on, id", (family_id,))
    return [_out(r) for r in rows]


def open_plan_pk(store: Store, family_id: int) -> int | None:
    """The id of the family's open plan, which a meeting's own plan is linked to; None without one."""
    pk: int | None = store.scalar("SELECT id FROM plans WHERE family_id = ? AND status = 'open'", (family_id,))
    return pk


def link_to_plan(store: Store, family_id: int, plan_pk: int) -> list[str]:
    """Link the family's meetings held before it had a plan to its new plan (the family's own plan
    from them belongs with it); their references, each linked audited."""
    rows = store.all(
        "SELECT id FROM family_meetings WHERE family_id = ? AND held_on IS NOT NULL AND plan_id IS NULL",
        (family_id,),
    )
    for r in rows:
        update(store, r["id"], {"plan_id": plan_pk}, "fgdm.link")
    return [fam.meeting_ref(r["id"]) for r in rows]


def latest_open(store: Store, family_id: int) -> dict[str, Any] | None:
    """The latest offer not declined and not yet held, or None."""
    row = store.one(
        "SELECT * FROM family_meetings WHERE family_id = ? AND held_on IS NULL"
        " AND (response IS NULL OR response = 'accepted') ORDER BY offered_on DESC, id DESC LIMIT 1",
        (family_id,),
    )
    return _out(row) if row else None
