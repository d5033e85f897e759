"""Assessments as shown."""

from __future__ import annotations

from typing import Any, TypedDict


class AssessmentChild(TypedDict):
    """One child's result in an assessment."""

    member_id: str
    level: str
    computed_level: str
    significant_harm: bool
    indicators: list[str]
    explanation: list[dict[str, Any]]
    child_view: str | None
    override_direction: str | None
    override_reason: str | None
    previous_level: str | None
    movement: str | None


class AssessmentRow(TypedDict):
    """An assessment as shown (:func:`ehtool.store.assessments.get`)."""

    id: str
    family_id: str
    assessed_on: str
    started_on: str | None
    completed_on: str | None
    organisation: str | None
    status: str
    children: list[AssessmentChild]
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
