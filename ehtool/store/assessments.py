"""Threshold assessments, each child's result in them, and the family's current level.

An assessment is open from its start until it is completed; only completed ones place
the family (``families.level``) and count as its latest."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from ehtool.domain import families as fam
from ehtool.errors import NotFound
from ehtool.store import audit
from ehtool.store.families import family_row

if TYPE_CHECKING:
    from ehtool.store.connection import Store
    from ehtool.store.rows import AssessmentRow

Movement = Callable[[str, str], "str | None"]
_PARTS = ("children", "answers")
_LATEST_COMPLETED = (
    "SELECT {cols} FROM assessments WHERE family_id = ? AND completed_on IS NOT NULL "
    "ORDER BY assessed_on DESC, id DESC LIMIT 1"
)
_CHILD_BEFORE = """
SELECT c.level FROM assessment_children c JOIN assessments a ON a.id = c.assessment_id
WHERE c.member_id = ? AND a.completed_on IS NOT NULL AND a.id != ?
  AND (a.assessed_on < ? OR (a.assessed_on = ? AND a.id < ?))
ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1
"""


def _out(record: Mapping[str, Any], children: list[dict[str, Any]]) -> AssessmentRow:
    row = dict(record)
    row["id"] = fam.assessment_ref(row["id"])
    row["family_id"] = fam.family_ref(row["family_id"])
    row["indicators"] = json.loads(row["indicators"])
    row["explanation"] = json.loads(row["explanation"])
    row["significant_harm"] = bool(row["significant_harm"])
    row["status"] = "complete" if row["completed_on"] else "open"
    row["children"] = children
    return cast("AssessmentRow", row)


def _children(store: Store, assessment_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each assessment's children's results, oldest child first."""
    out: dict[int, list[dict[str, Any]]] = {a: [] for a in assessment_ids}
    if not assessment_ids:
        return out
    marks = ", ".join("?" for _ in assessment_ids)
    rows = store.all(
        "SELECT c.*, m.dob, m.role FROM assessment_children c JOIN members m ON m.id = c.member_id "
        f"WHERE c.assessment_id IN ({marks}) ORDER BY c.assessment_id, m.role = 'unborn', m.dob, c.member_id",
        tuple(assessment_ids),
    )
    for r in rows:
        out[r["assessment_id"]].append(
            {
                "member_id": fam.member_ref(r["member_id"]),
                "level": r["level"],
                "computed_level": r["computed_level"],
                "significant_harm": bool(r["significant_harm"]),
                "indicators": json.loads(r["indicators"]),
                "explanation": json.loads(r["explanation"]),
                "child_view": r["child_view"],
                "override_direction": r["override_direction"],
                "override_reason": r["override_reason"],
                "previous_level": r["previous_level"],
                "movement": r["movement"],
            }
        )
    return out


def save(store: Store, family_id: int, values: Mapping[str, Any], *, movement_of: Movement) -> int:
    """Insert an assessment with its answers and children's results and, when it is
    complete and the latest, set the family's level, in one transaction.
    ``movement_of(previous_level, new_level)`` names a step."""
    with store.tx():
        family_row(store, family_id)
        row = _row(values)
        row["family_id"] = family_id
        row["assessor"] = store.actor
        row["created_at"] = audit.now_utc()
        aid = store.insert("assessments", row)
        moved = _place(store, family_id, aid, values, movement_of)
        audit.record(
            store,
            "assessment.add",
            entity="assessment",
            entity_id=fam.assessment_ref(aid),
            family_id=family_id,
            fields=sorted(k for k in values if values[k] not in (None, "", [])),
            values=_audited(values, moved),
        )
    return aid


def complete(store: Store, assessment_id: int, values: Mapping[str, Any], *, movement_of: Movement) -> None:
    """Complete an open assessment with its final answers (replacing what was saved at its start)."""
    with store.tx():
        current = get(store, assessment_id)
        family_id = fam.parse_ref(current["family_id"])
        store.execute("DELETE FROM assessment_answers WHERE assessment_id = ?", (assessment_id,))
        store.execute("DELETE FROM assessment_children WHERE assessment_id = ?", (assessment_id,))
        row = {**_row(values), "assessor": store.actor}  # who completed it
        sets = ", ".join(f"{k} = ?" for k in row)
        store.execute(f"UPDATE assessments SET {sets} WHERE id = ?", (*row.values(), assessment_id))
        moved = _place(store, family_id, assessment_id, values, movement_of)
        audit.record(
            store,
            "assessment.complete",
            entity="assessment",
            entity_id=fam.assessment_ref(assessment_id),
            family_id=family_id,
            fields=sorted(k for k in values if values[k] not in (None, "", [])),
            values=_audited(values, moved),
        )


def _row(values: Mapping[str, Any]) -> dict[str, Any]:
    """The assessments table's columns from the values."""
    row = {k: v for k, v in values.items() if k not in _PARTS}
    row["indicators"] = json.dumps(values["indicators"])
    row["explanation"] = json.dumps(values["explanation"], ensure_ascii=False)
    row["significant_harm"] = int(bool(values["significant_harm"]))
    return row


def _place(store: Store, family_id: int, aid: int, values: Mapping[str, Any], movement_of: Movement) -> str | None:
    """Write the answers and the children's results; when complete and the latest, move the family."""
    done = values.get("completed_on")
    for indicator, scope, member in values.get("answers", []):
        store.insert(
            "assessment_answers",
            {
                "assessment_id": aid,
                "indicator": indicator,
                "scope": scope,
                "member_id": fam.parse_ref(member, fam.MEMBER_PREFIX, "member") if member else None,
            },
        )
    for child in values.get("children", []):
        mid = fam.parse_ref(child["member_id"], fam.MEMBER_PREFIX, "member")
        before = (
            store.one(_CHILD_BEFORE, (mid, aid, values["assessed_on"], values["assessed_on"], aid)) if done else None
        )
        previous = before["level"] if before else None
        store.insert(
            "assessment_children",
            {
                "assessment_id": aid,
                "member_id": mid,
                "level": child["level"],
                "computed_level": child["computed_level"],
                "significant_harm": int(bool(child["significant_harm"])),
                "indicators": json.dumps(child["indicators"]),
                "explanation": json.dumps(child["explanation"], ensure_ascii=False),
                "child_view": child["child_view"],
                "override_direction": child.get("override_direction"),
                "override_reason": child.get("override_reason"),
                "previous_level": previous,
                "movement": movement_of(previous, child["level"]) if previous else None,
            },
        )
    if not done:
        return None
    latest = store.one(_LATEST_COMPLETED.format(cols="id, assessed_on"), (family_id,))
    if latest is not None and latest["id"] != aid:
        return None  # completed with an earlier date than the family's latest: history only
    prev_level = family_row(store, family_id)["level"]  # not yet moved: the level before this assessment
    moved = movement_of(prev_level, values["level"]) if prev_level else None
    store.execute("UPDATE assessments SET previous_level = ?, movement = ? WHERE id = ?", (prev_level, moved, aid))
    store.execute(
        "UPDATE families SET level = ?, level_assessed_on = ?, updated_at = ? WHERE id = ?",
        (values["level"], values["assessed_on"], audit.now_utc(), family_id),
    )
    return moved


def _audited(values: Mapping[str, Any], moved: str | None) -> dict[str, Any]:
    """What the audit keeps of an assessment: levels and flags, children by reference only."""
    return {
        "level": values["level"],
        "computed_level": values["computed_level"],
        "override_direction": values.get("override_direction"),
        "override_reason": values.get("override_reason"),
        "significant_harm": bool(values["significant_harm"]),
        "movement": moved,
        "started_on": values.get("started_on"),
        "completed_on": values.get("completed_on"),
        "children": [
            {"member_id": c["member_id"], "level": c["level"], "significant_harm": bool(c["significant_harm"])}
            for c in values.get("children", [])
        ],
    }


def get(store: Store, assessment_id: int) -> AssessmentRow:
    row = store.one("SELECT * FROM assessments WHERE id = ?", (assessment_id,))
    if row is None:
        raise NotFound(
            f"No assessment {fam.assessment_ref(assessment_id)}.",
            hint="`ehtool assess list FAMILY_ID` lists a family's assessments.",
        )
    return _out(row, _children(store, [assessment_id])[assessment_id])


def for_family(store: Store, family_id: int) -> list[AssessmentRow]:
    family_row(store, family_id)
    rows = store.all("SELECT * FROM assessments WHERE family_id = ? ORDER BY assessed_on, id", (family_id,))
    children = _children(store, [r["id"] for r in rows])
    return [_out(r, children[r["id"]]) for r in rows]


def latest(store: Store, family_id: int) -> AssessmentRow | None:
    """The family's latest completed assessment."""
    row = store.one(_LATEST_COMPLETED.format(cols="*"), (family_id,))
    return _out(row, _children(store, [row["id"]])[row["id"]]) if row else None


def family_children(store: Store, family_id: int) -> list[dict[str, Any]]:
    """The family's children and unborn children (reference, name, role, date of birth)."""
    family_row(store, family_id)
    return [
        {**r, "id": fam.member_ref(r["id"])}
        for r in store.all(
            "SELECT id, name, role, dob FROM members WHERE family_id = ? AND role IN ('child', 'unborn') ORDER BY id",
            (family_id,),
        )
    ]


def answers_of(store: Store, assessment_id: int) -> list[tuple[str, str, str | None]]:
    """(indicator, scope, member reference or None) of every answer saved with the assessment."""
    return [
        (r["indicator"], r["scope"], fam.member_ref(r["member_id"]) if r["member_id"] else None)
        for r in store.all(
            "SELECT indicator, scope, member_id FROM assessment_answers WHERE assessment_id = ? "
            "ORDER BY indicator, member_id",
            (assessment_id,),
        )
    ]
