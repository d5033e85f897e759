"""One Family Plans and their reviews."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class PlanReview(TypedDict):
    """A recorded plan review."""

    id: int
    date: str
    attended: list[str]
    scores: dict[str, int]
    action_updates: list[dict[str, Any]]
    notes: str | None
    next_review_date: str | None
    plan_version: int
    recorded_by: str


class PlanRow(TypedDict):
    """A plan as the store returns it: its columns, the content document's keys
    (see :data:`ehtool.domain.plans.PLAN_KEYS`; each present when the document
    has it), its reviews, and ``_pk`` (the plans row's integer id, for the store)."""

    id: str
    family_id: str
    status: str
    version: int
    created_at: str
    updated_at: str
    closed_on: str | None
    closed_reason: str | None
    closed_note: str | None
    closing_summary: dict[str, str | None] | None  # what changed, what helped, what the family says now
    lead_professional: NotRequired[str | None]
    team: NotRequired[list[dict[str, Any]]]
    working_well: NotRequired[str | None]
    worries: NotRequired[str | None]
    needs_to_happen: NotRequired[str | None]
    family_voice: NotRequired[str | None]
    child_voice: NotRequired[str | None]
    outcomes: NotRequired[list[dict[str, Any]]]
    contingency: NotRequired[str | None]
    review_date: NotRequired[str | None]
    share_with: NotRequired[list[str]]
    _last_outcome: NotRequired[int]
    reviews: list[PlanReview]
    _pk: int
