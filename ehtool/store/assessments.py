"""Threshold assessments and the family's current level."""

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


def _out(record: Mapping[str, Any]) -> AssessmentRow:
    row = dict(record)
    row["id"] = fam.assessment_ref(row["id"])
    row["family_id"] = fam.family_ref(row["family_id"])
    row["indicators"] = json.loads(row["indicators"])
    row["explanation"] = json.loads(row["explanation"])
    row["significant_harm"] = bool(row["significant_harm"])
    return cast("AssessmentRow", row)


def save(
    store: Store, family_id: int, values: Mapping[str, Any], *, movement_of: Callable[[str, str], str | None]
) -> int:
    """Insert an assessment and update the family's current level, in one
    transaction. ``movement_of(previous_level, new_level)`` names a step."""
    with store.tx():
        current = family_row(store, family_id)
        latest = store.one(
            "SELECT assessed_on FROM assessments WHERE family_id = ? ORDER BY assessed_on DESC, id DESC LIMIT 1",
            (family_id,),
        )
        is_latest = latest is None or values["assessed_on"] >= latest["assessed_on"]
        previous = current["level"] if is_latest else None
        row: dict[str, Any] = dict(values)
        row["family_id"] = family_id
        row["indicators"] = json.dumps(values["indicators"])
        row["explanation"] = json.dumps(values["explanation"], ensure_ascii=False)
        row["significant_harm"] = int(bool(values["significant_harm"]))
        row["previous_level"] = previous
        row["movement"] = movement_of(previous, values["level"]) if previous else None
        row["assessor"] = store.actor
        row["created_at"] = audit.now_utc()
        aid = store.insert("assessments", row)
        if is_latest:
            store.execute(
                "UPDATE families SET level = ?, level_assessed_on = ?, updated_at = ? WHERE id = ?",
                (values["level"], values["assessed_on"], row["created_at"], family_id),
            )
        audit.record(
            store,
            "assessment.add",
            entity="assessment",
            entity_id=fam.assessment_ref(aid),
            family_id=family_id,
            fields=sorted(k for k in values if values[k] not in (None, "", [])),
            values={
                "level": values["level"],
                "computed_level": values["computed_level"],
                "override_direction": values.get("override_direction"),
                "override_reason": values.get("override_reason"),
                "significant_harm": bool(values["significant_harm"]),
                "movement": row["movement"],
            },
        )
    return aid


def get(store: Store, assessment_id: int) -> AssessmentRow:
    row = store.one("SELECT * FROM assessments WHERE id = ?", (assessment_id,))
    if row is None:
        raise NotFound(
            f"No assessment {fam.assessment_ref(assessment_id)}.",
            hint="`ehtool assess list FAMILY_ID` lists a family's assessments.",
        )
    return _out(row)


def for_family(store: Store, family_id: int) -> list[AssessmentRow]:
    family_row(store, family_id)
    return [
        _out(r)
        for r in store.all("SELECT * FROM assessments WHERE family_id = ? ORDER BY assessed_on, id", (family_id,))
    ]


def latest(store: Store, family_id: int) -> AssessmentRow | None:
    row = store.one(
        "SELECT * FROM assessments WHERE family_id = ? ORDER BY assessed_on DESC, id DESC LIMIT 1", (family_id,)
    )
    return _out(row) if row else None
