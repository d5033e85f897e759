"""One Family Plans, their versions and reviews. A family has at most one open plan
(a partial unique index); every saved version is kept in plan_versions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, cast, overload

from ehtool.domain import families as fam
from ehtool.errors import Conflict, NotFound
from ehtool.store import audit
from ehtool.store.connection import Store, inserted_id
from ehtool.store.families import family_row

if TYPE_CHECKING:
    from ehtool.store.rows import PlanReview, PlanRow

# A plan's content: the document the domain defines (ehtool.domain.plans), as stored in JSON.
Content = dict[str, Any]
# Given the content, returns (the new content, the fields it changed).
Mutation = Callable[[Content], tuple[Content, list[str]]]


def _dump(content: Mapping[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True)


def _out(row: Mapping[str, Any], reviews: list[PlanReview]) -> PlanRow:
    content = json.loads(row["content"])
    return cast(
        "PlanRow",
        {
            "id": fam.plan_ref(row["id"]),
            "family_id": fam.family_ref(row["family_id"]),
            "status": row["status"],
            "version": row["version"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "closed_on": row["closed_on"],
            "closed_reason": row["closed_reason"],
            "closed_note": row["closed_note"],
            "closing_summary": json.loads(row["closing_summary"]) if row.get("closing_summary") else None,
            **content,
            "reviews": reviews,
            "_pk": row["id"],
        },
    )


def _reviews(store: Store, plan_id: int) -> list[PlanReview]:
    rows = store.all("SELECT * FROM plan_reviews WHERE plan_id = ? ORDER BY date, id", (plan_id,))
    out: list[PlanReview] = []
    for r in rows:
        out.append(
            {
                "id": r["id"],
                "date": r["date"],
                "attended": json.loads(r["attended"]),
                "scores": json.loads(r["scores"]),
                "action_updates": json.loads(r["action_updates"]),
                "notes": r["notes"],
                "next_review_date": r["next_review_date"],
                "plan_version": r["plan_version"],
                "recorded_by": r["recorded_by"],
            }
        )
    return out


@overload
def open_plan(store: Store, family_id: int, *, required: Literal[True] = True) -> PlanRow: ...
@overload
def open_plan(store: Store, family_id: int, *, required: bool) -> PlanRow | None: ...


def open_plan(store: Store, family_id: int, *, required: bool = True) -> PlanRow | None:
    """The family's open plan; NotFound if it has none (None instead when not ``required``)."""
    row = store.one("SELECT * FROM plans WHERE family_id = ? AND status = 'open'", (family_id,))
    if row is None:
        if required:
            ref = fam.family_ref(family_id)
            family_row(store, family_id)
            raise NotFound(f"{ref} has no open plan.", hint=f"Start one with `ehtool plan new {ref}`.")
        return None
    return _out(row, _reviews(store, row["id"]))


def latest_plan(store: Store, family_id: int) -> PlanRow | None:
    row = store.one(
        "SELECT * FROM plans WHERE family_id = ? ORDER BY (status = 'open') DESC, id DESC LIMIT 1", (family_id,)
    )
    return _out(row, _reviews(store, row["id"])) if row else None


def plans_for_family(store: Store, family_id: int) -> list[PlanRow]:
    return [
        _out(r, _reviews(store, r["id"]))
        for r in store.all("SELECT * FROM plans WHERE family_id = ? ORDER BY id", (family_id,))
    ]


def version(store: Store, plan_pk: int, number: int) -> Content:
    row = store.one("SELECT content FROM plan_versions WHERE plan_id = ? AND version = ?", (plan_pk, number))
    if row is None:
        raise NotFound(f"The plan has no version {number}.")
    content: Content = json.loads(row["content"])
    return content


def create(store: Store, family_id: int, content: Mapping[str, Any]) -> int:
    now = audit.now_utc()
    with store.tx():
        family_row(store, family_id)
        try:
            cur = store.execute(
                "INSERT INTO plans (family_id, status, version, content, review_date, created_at,"
                " updated_at) VALUES (?, 'open', 1, ?, ?, ?, ?)",
                (family_id, _dump(content), content.get("review_date"), now, now),
            )
        except sqlite3.IntegrityError:
            ref = fam.family_ref(family_id)
            raise Conflict(
                f"{ref} already has an open plan.",
                hint=f"Change it with `ehtool plan edit {ref}`, or close it with `ehtool plan close`.",
            ) from None
        pk = inserted_id(cur)
        _snapshot(store, pk, 1, content, "created", now)
        audit.record(
            store,
            "plan.new",
            entity="plan",
            entity_id=fam.plan_ref(pk),
            family_id=family_id,
            fields=sorted(k for k, val in content.items() if val and not k.startswith("_")),
        )
    return pk


def _snapshot(store: Store, pk: int, number: int, content: Mapping[str, Any], change: str, now: str) -> None:
    store.execute(
        "INSERT INTO plan_versions (plan_id, version, content, change, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?)",
        (pk, number, _dump(content), change, store.actor, now),
    )


def update(store: Store, family_id: int, mutate: Mutation, *, change: str, action: str = "plan.edit") -> PlanRow:
    """Read the open plan, apply ``mutate(content) -> (content, changed fields)``,
    and save it as a new version, all in one IMMEDIATE transaction."""
    with store.tx():
        plan = open_plan(store, family_id)
        pk = plan["_pk"]
        content = {
            k: val
            for k, val in plan.items()
            if k
            not in (
                "id",
                "family_id",
                "status",
                "version",
                "created_at",
                "updated_at",
                "closed_on",
                "closed_reason",
                "closed_note",
                "closing_summary",
                "reviews",
                "_pk",
            )
        }
        new_content, fields = mutate(content)
        if not fields:
            return open_plan(store, family_id)
        now = audit.now_utc()
        number = plan["version"] + 1
        store.execute(
            "UPDATE plans SET content = ?, version = ?, review_date = ?, updated_at = ? WHERE id = ?",
            (_dump(new_content), number, new_content.get("review_date"), now, pk),
        )
        _snapshot(store, pk, number, new_content, change, now)
        audit.record(
            store,
            action,
            entity="plan",
            entity_id=fam.plan_ref(pk),
            family_id=family_id,
            fields=sorted(fields),
            values={"change": change},
        )
        return open_plan(store, family_id)


def add_review(store: Store, family_id: int, review: Mapping[str, Any], mutate: Mutation) -> PlanRow:
    """Record a review and apply its action updates and next review date as a new plan version."""
    with store.tx():
        plan = update(store, family_id, mutate, change=f"review on {review['date']}", action="plan.review.apply")
        pk = plan["_pk"]
        now = audit.now_utc()
        cur = store.execute(
            "INSERT INTO plan_reviews (plan_id, date, attended, scores, action_updates, notes, next_review_date,"
            " plan_version, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                pk,
                review["date"],
                json.dumps(review["attended"], ensure_ascii=False),
                json.dumps(review["scores"]),
                json.dumps(review["action_updates"]),
                review.get("notes"),
                review.get("next_review_date"),
                plan["version"],
                store.actor,
                now,
            ),
        )
        audit.record(
            store,
            "plan.review",
            entity="plan",
            entity_id=fam.plan_ref(pk),
            family_id=family_id,
            fields=sorted(k for k, val in review.items() if val),
            values={"review_id": cur.lastrowid, "scores": review["scores"]},
        )
        return open_plan(store, family_id)


def close(
    store: Store, family_id: int, reason: str, note: str | None, on: str, summary: Mapping[str, Any] | None = None
) -> PlanRow:
    with store.tx():
        plan = open_plan(store, family_id)
        pk = plan["_pk"]
        store.execute(
            "UPDATE plans SET status = 'closed', closed_on = ?, closed_reason = ?, closed_note = ?, "
            "closing_summary = ?, updated_at = ? WHERE id = ?",
            (on, reason, note, _dump(summary) if summary else None, audit.now_utc(), pk),
        )
        audit.record(
            store,
            "plan.close",
            entity="plan",
            entity_id=fam.plan_ref(pk),
            family_id=family_id,
            values={"reason": reason, "note": note, "closed_on": on, "closing_summary": dict(summary or {}) or None},
        )
    row = store.one("SELECT * FROM plans WHERE id = ?", (pk,))
    assert row is not None  # closed just now, in this process
    return _out(row, _reviews(store, pk))


def open_plans(store: Store, *, locality: str | None = None) -> list[PlanRow]:
    sql = (
        "SELECT p.* FROM plans p JOIN families f ON f.id = p.family_id WHERE p.status = 'open'"
        + (" AND f.locality = ? COLLATE NOCASE" if locality else "")
        + " ORDER BY p.family_id"
    )
    return [_out(r, _reviews(store, r["id"])) for r in store.all(sql, (locality,) if locality else ())]
