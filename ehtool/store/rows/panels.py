"""Panels: sittings (of each kind) and their agenda items."""

from __future__ import annotations

from typing import TypedDict


class PanelRecord(TypedDict):
    """A row of ``panels``, as stored (:func:`ehtool.store.panels.find`)."""

    id: int
    kind: str
    locality: str
    date: str
    chair: str | None
    created_at: str


class PanelRow(TypedDict):
    """A sitting as listed (:func:`ehtool.store.panels.list_panels`)."""

    id: str
    kind: str
    locality: str
    date: str
    chair: str | None
    items: int
    _pk: int


class _PanelItemFields(TypedDict):
    """What an agenda item holds both as stored and as listed."""

    id: int
    panel_id: int
    item: int
    reason: str
    presenter: str | None
    notes: str | None
    consent_status: str | None
    no_consent_reason: str | None
    decision: str | None
    decision_notes: str | None
    actions: str | None
    allocated_to: str | None
    decided_on: str | None
    decided_by: str | None
    created_at: str
    carried_from: int | None  # the id of the item this one was carried from


class PanelItemRecord(_PanelItemFields):
    """A row of ``panel_items``, as stored."""

    family_id: int


class PanelItemRow(_PanelItemFields):
    """An agenda item (:func:`ehtool.store.panels.items`): ``family_id`` a reference, ``family_pk`` its id."""

    family_id: str
    family_pk: int
    carried_from_ref: str | None  # that item's reference, "P000003#2"
    from_decision: str | None  # what that sitting decided
    from_date: str | None  # and when it sat


class UndecidedItem(PanelItemRecord):
    """An undecided item with its sitting's date and locality
    (:func:`ehtool.store.panels.undecided_items_for_family`)."""

    date: str
    locality: str


class FamilyPanelItem(TypedDict):
    """A family's item on a sitting (:func:`ehtool.store.panels.items_for_family`)."""

    locality: str
    date: str
    item: int
    reason: str
    decision: str | None
    decision_notes: str | None
    actions: str | None
    allocated_to: str | None
    panel_id: str
