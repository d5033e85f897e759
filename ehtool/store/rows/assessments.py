"""Assessments as shown."""

from __future__ import annotations

from typing import Any, TypedDict


class AssessmentRow(TypedDict):
    """An assessment as shown (:func:`ehtool.store.assessments.get`)."""

    id: str
    family_id: str
    assessed_on: str
    profile: str
    profile_version: str | None
    indicators: list[str]
    computed_level: str
    level: str
    significant_harm: bool
    override_direction: str | None
    override_reason: str | None
    family_view: str | None
    child_view: str | None
    notes: str | None
    explanation: list[dict[str, Any]]
    previous_level: str | None
    movement: str | None
    assessor: str
    created_at: str
