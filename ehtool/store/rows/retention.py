"""Retention: a family's retention dates and the reasons for them."""

from __future__ import annotations

from typing import TypedDict


class RetentionComputed(TypedDict):
    """A family's stored retention columns beside its computed retention date and the reason."""

    id: int
    status: str
    closed_on: str | None
    retain_until: str | None
    legal_hold: int
    legal_hold_reason: str | None
    locality: str | None
    lead: str | None
    computed: str | None
    why: str


class RetentionStatus(TypedDict):
    """One family's retention (:func:`ehtool.store.retention.status`)."""

    family_id: str
    status: str
    closed_on: str | None
    retain_until: str | None
    reason: str
    legal_hold: bool
    legal_hold_reason: str | None
