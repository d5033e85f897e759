"""Choosing due items by locality and lead professional, and grouping them by lead."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ehtool.domain.due.items import DueItem


def matches_locality(
    item_locality: str | None, wanted: str | None, localities: Sequence[Mapping[str, str]] = ()
) -> bool:
    """Case-insensitive; a configured locality's id also matches its name."""
    if not wanted:
        return True
    if not item_locality:
        return False
    key = wanted.strip().casefold()
    names = {key}
    for loc in localities:
        if key in (str(loc.get("id", "")).casefold(), str(loc.get("name", "")).casefold()):
            names.add(str(loc.get("name", "")).casefold())
            names.add(str(loc.get("id", "")).casefold())
    return item_locality.strip().casefold() in names


def known_locality(wanted: str, localities: Sequence[Mapping[str, str]], seen: Iterable[str | None]) -> bool:
    """Whether ``wanted`` names a configured locality or one a family is recorded in."""
    key = wanted.strip().casefold()
    names = {str(loc.get(k, "")).casefold() for loc in localities for k in ("id", "name")}
    names |= {str(s).strip().casefold() for s in seen if s}
    return key in names


def matches_lead(item_lead: str | None, wanted: str | None) -> bool:
    """Case-insensitive substring of the lead professional."""
    if not wanted:
        return True
    if not item_lead:
        return False
    return wanted.strip().casefold() in item_lead.casefold()


def select(
    items: Iterable[DueItem],
    *,
    locality: str | None = None,
    lead: str | None = None,
    localities: Sequence[Mapping[str, str]] = (),
) -> list[DueItem]:
    return [
        i
        for i in items
        if matches_locality(i.get("locality"), locality, localities) and matches_lead(i.get("lead"), lead)
    ]


def by_lead(items: Iterable[DueItem]) -> list[tuple[str | None, list[DueItem]]]:
    """Items grouped by lead professional: groups with significant harm first, then
    by name (case-insensitive), the unassigned last; items keep their order."""
    groups: dict[str, tuple[str | None, list[DueItem]]] = {}
    for i in items:
        lead = i.get("lead") or None
        key = (lead or "").strip().casefold()
        groups.setdefault(key, (lead, []))[1].append(i)
    return sorted(
        groups.values(),
        key=lambda g: (
            not any(i["category"] == "significant-harm" for i in g[1]),
            g[0] is None,
            (g[0] or "").casefold(),
        ),
    )
