"""Referrals to the front door and their outcomes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ehtool.domain import families as fam
from ehtool.errors import NotFound
from ehtool.store import audit
from ehtool.store.families import family_row

if TYPE_CHECKING:
    from ehtool.store.connection import Store


def record(store: Store, family_id: int, values: Mapping[str, Any], member_ids: Sequence[int]) -> int:
    """A referral and the children it is about, with its audit entry, in one transaction."""
    with store.tx():
        family = family_row(store, family_id)
        now = audit.now_utc()
        row = {
            **values,
            "family_id": family_id,
            "level": family["level"],
            "recorded_by": store.actor,
            "created_at": now,
            "updated_at": now,
        }
        rid = store.insert("referrals", row)
        for mid in member_ids:
            store.insert("referral_members", {"referral_id": rid, "member_id": mid})
        audit.record(
            store,
            "referral.record",
            entity="referral",
            entity_id=fam.referral_ref(rid),
            family_id=family_id,
            values={
                **{k: v for k, v in values.items() if v is not None},
                "members": [fam.member_ref(m) for m in member_ids],
            },
        )
    return rid


def set_outcome(store: Store, referral_id: int, values: Mapping[str, Any], *, family_level: str | None = None) -> None:
    """Record a referral's outcome; ``family_level`` (a step-down) moves the family, in the same transaction."""
    with store.tx():
        current = get(store, referral_id)
        family_id = fam.parse_ref(current["family_id"])
        now = audit.now_utc()
        sets = ", ".join(f"{k} = ?" for k in values)
        store.execute(f"UPDATE referrals SET {sets}, updated_at = ? WHERE id = ?", (*values.values(), now, referral_id))
        if family_level is not None:
            store.execute(
                "UPDATE families SET level = ?, level_assessed_on = ?, updated_at = ? WHERE id = ?",
                (family_level, values["outcome_date"], now, family_id),
            )
        audit.record(
            store,
            "referral.outcome",
            entity="referral",
            entity_id=fam.referral_ref(referral_id),
            family_id=family_id,
            values={**{k: v for k, v in values.items() if v is not None}, "previous_level": current["level"]},
        )


def _out(row: dict[str, Any], members: list[str]) -> dict[str, Any]:
    row = dict(row)
    row["id"] = fam.referral_ref(row["id"])
    row["family_id"] = fam.family_ref(row["family_id"])
    row["to"] = row.pop("to_service")
    row["member_ids"] = members
    return row


def _members(store: Store, referral_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {r: [] for r in referral_ids}
    if referral_ids:
        marks = ", ".join("?" for _ in referral_ids)
        for r in store.all(
            f"SELECT referral_id, member_id FROM referral_members WHERE referral_id IN ({marks}) "
            "ORDER BY referral_id, member_id",
            tuple(referral_ids),
        ):
            out[r["referral_id"]].append(fam.member_ref(r["member_id"]))
    return out


def get(store: Store, referral_id: int) -> dict[str, Any]:
    row = store.one("SELECT * FROM referrals WHERE id = ?", (referral_id,))
    if row is None:
        raise NotFound(
            f"No referral {fam.referral_ref(referral_id)}.",
            hint="`ehtool referral list FAMILY_ID` lists a family's referrals.",
        )
    return _out(row, _members(store, [referral_id])[referral_id])


def for_family(store: Store, family_id: int) -> list[dict[str, Any]]:
    family_row(store, family_id)
    rows = store.all("SELECT * FROM referrals WHERE family_id = ? ORDER BY date, id", (family_id,))
    members = _members(store, [r["id"] for r in rows])
    return [_out(r, members[r["id"]]) for r in rows]


def members_of_family(store: Store, family_id: int) -> dict[int, str]:
    """The family's members: id -> role."""
    return {r["id"]: r["role"] for r in store.all("SELECT id, role FROM members WHERE family_id = ?", (family_id,))}


def children_at_referral(store: Store, family_id: int, levels: Sequence[str]) -> list[int]:
    """The children whose level in the family's latest completed assessment routes to a referral."""
    if not levels:
        return []
    marks = ", ".join("?" for _ in levels)
    rows = store.all(
        f"""
        SELECT c.member_id FROM assessment_children c
        WHERE c.assessment_id = (
            SELECT id FROM assessments WHERE family_id = ? AND completed_on IS NOT NULL
            ORDER BY assessed_on DESC, id DESC LIMIT 1)
          AND (c.level IN ({marks}) OR c.significant_harm = 1)
        ORDER BY c.member_id
        """,
        (family_id, *levels),
    )
    return [r["member_id"] for r in rows]


def records_naming(store: Store, member_id: int) -> dict[str, int]:
    """How many assessment results, answers and referrals name this member (by table)."""
    counts = {
        "assessment results": "SELECT COUNT(*) FROM assessment_children WHERE member_id = ?",
        "assessment answers": "SELECT COUNT(*) FROM assessment_answers WHERE member_id = ?",
        "referrals": "SELECT COUNT(*) FROM referral_members WHERE member_id = ?",
    }
    return {what: n for what, sql in counts.items() if (n := store.scalar(sql, (member_id,)))}
