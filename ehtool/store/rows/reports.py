"""What the board report reads from the store."""

from __future__ import annotations

from typing import Any, TypedDict


class ReportFamily(TypedDict):
    id: int
    locality: str | None
    postcode: str | None
    language: str | None
    interpreter: int
    referral_date: str | None
    created_at: str
    status: str
    closed_on: str | None


class ReportAssessment(TypedDict):
    family_id: int
    id: int
    assessed_on: str
    level: str
    movement: str | None


class ReportStepDown(TypedDict):
    """A referral that came back stepped down from social care."""

    family_id: int
    id: int
    outcome_date: str
    stepped_down_to: str | None


class ReportMember(TypedDict):
    family_id: int
    ethnicity: str | None


class ReportPlan(TypedDict):
    id: int
    family_id: int
    status: str
    created_at: str
    closed_on: str | None
    closed_reason: str | None
    review_date: str | None
    first_review_date: str | None


class ReportOutcome(TypedDict):
    plan_id: int
    outcome_id: str | None
    area: str | None
    baseline: int | None


class ReportReview(TypedDict):
    plan_id: int
    id: int
    date: str
    next_review_date: str | None
    version_review_date: str | None


class ReportScore(TypedDict):
    plan_id: int
    review_id: int
    date: str
    outcome_id: str
    score: int | None


class HistoryEntry(TypedDict):
    """A family.add / close / reopen / edit audit entry of a reopened family."""

    action: str
    at: str
    values: dict[str, Any] | None


class ReportData(TypedDict):
    """Everything :func:`ehtool.store.reports.fetch` reads for the board report."""

    families: list[ReportFamily]
    assessments: list[ReportAssessment]
    step_downs: list[ReportStepDown]
    members: list[ReportMember]
    plans: list[ReportPlan]
    outcomes: list[ReportOutcome]
    reviews: list[ReportReview]
    scores: list[ReportScore]
    history: dict[int, list[HistoryEntry]]
