"""Families and members: as stored, as shown, as listed, and possible duplicates."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

# {field: [old value, new value]}: what an edit changed (also the audit entry's values).
Changes = dict[str, list[Any]]


class _FamilyFields(TypedDict):
    """What a family row holds both as stored and as shown."""

    name: str
    address: str | None
    postcode: str | None
    locality: str | None
    language: str | None
    referral_source: str | None
    referral_date: str | None
    referral_reason: str | None
    lead: str | None
    notes: str | None
    status: str
    closed_reason: str | None
    closed_on: str | None
    created_at: str
    updated_at: str
    level: str | None
    level_assessed_on: str | None
    legal_hold: int
    legal_hold_reason: str | None
    retain_until: str | None


class FamilyRecord(_FamilyFields):
    """A row of ``families``, as stored."""

    id: int
    name_key: str
    interpreter: int


class _MemberFields(TypedDict):
    """What a member row holds both as stored and as shown."""

    name: str
    role: str
    dob: str | None
    due_date: str | None
    gender: str | None
    ethnicity: str | None
    nhs_number: str | None
    upn: str | None
    school: str | None
    created_at: str
    updated_at: str


class MemberRecord(_MemberFields):
    """A row of ``members``, as stored."""

    id: int
    family_id: int
    name_key: str
    send: int
    ehcp: int
    young_carer: int


class MemberRow(_MemberFields):
    """A member as shown (:func:`ehtool.store.families.get_member`): references, flags as booleans."""

    id: str
    family_id: str
    send: bool
    ehcp: bool
    young_carer: bool


class FamilyRow(_FamilyFields):
    """A family as shown (:func:`ehtool.store.families.get_family`), with its members unless asked not to."""

    id: str
    interpreter: bool
    members: NotRequired[list[MemberRow]]


class FamilySummary(TypedDict):
    """A line of :func:`ehtool.store.families.list_families`."""

    id: str
    name: str
    postcode: str | None
    locality: str | None
    status: str
    lead: str | None
    referral_date: str | None
    level: str | None
    member_count: int


class FamilyDuplicate(TypedDict):
    """A possible duplicate family: its reference and why (never a name)."""

    id: str
    why: str


class MemberDuplicate(TypedDict):
    """A possible duplicate person: references and why (never a name)."""

    id: str
    family_id: str
    why: str
