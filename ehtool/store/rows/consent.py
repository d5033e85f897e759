"""Consent: the stored decision and the ledger entry."""

from __future__ import annotations

from typing import TypedDict


class ConsentRecord(TypedDict):
    """A row of ``consents``, as stored (:func:`ehtool.store.consent.current`)."""

    id: int
    family_id: int
    member_id: int | None
    type: str
    status: str
    date: str
    given_by: str | None
    how: str | None
    reason: str | None
    recorded_by: str
    recorded_at: str


class ConsentRow(TypedDict):
    """A ledger entry (:func:`ehtool.store.consent.ledger`): family and member as references."""

    id: int
    family_id: str
    member_id: str | None
    type: str
    status: str
    date: str
    given_by: str | None
    how: str | None
    reason: str | None
    recorded_by: str
    recorded_at: str
