"""Threshold profile validation of the ``[[rules]]``: count and combination rules, which
may only lift a family, and never to the top level."""

from __future__ import annotations

import dataclasses
from typing import Any

from ehtool.domain.profile_schema.model import DOMAINS, RULE_KINDS, Indicator, Rule
from ehtool.domain.profile_schema.validation_checker import _Checker, _is_int, _LevelRefs, _suggest

_RULE_KEYS = {
    "count": {"id", "kind", "description", "lift_to", "min_indicators", "at_level", "min_domains", "source"},
    "combination": {"id", "kind", "description", "lift_to", "all_of", "source"},
}


def _rules(c: _Checker, data: dict[str, Any], refs: _LevelRefs, by_id: dict[str, Indicator]) -> list[Rule]:
    """The ``[[rules]]`` of a known kind."""
    rules: list[Rule] = []
    rule_ids: set[str] = set()
    for index, item in c.table_list(data, "rules", required=False):
        place = c.place("rules", index, item)
        rid = c.text(place, item, "id")
        if rid in rule_ids:
            c.add(place, f'duplicate rule id "{rid}"')
        rule_ids.add(rid)
        kind = c.text(place, item, "kind")
        if kind not in RULE_KINDS:
            if kind:
                c.add(place, f'kind "{kind}" is not one of {", ".join(RULE_KINDS)}{_suggest(kind, RULE_KINDS)}')
            continue
        rule = _rule(c, place, item, rid, kind, refs, by_id)
        source = c.text(place, item, "source", required=False)
        rules.append(dataclasses.replace(rule, source=source) if source else rule)
    return rules


def _rule(
    c: _Checker, place: str, item: dict[str, Any], rid: str, kind: str, refs: _LevelRefs, by_id: dict[str, Indicator]
) -> Rule:
    """One rule of a known kind: its keys, description and lift_to (never the top level)."""
    c.unknown_keys(place, item, _RULE_KEYS[kind])
    rdesc = c.text(place, item, "description")
    lift_to = refs.ref(place, item, "lift_to")
    if lift_to and lift_to == refs.top_id:
        c.add(
            place,
            f'lift_to "{lift_to}" is the top level: only significant-harm indicators '
            "place a family there (so the front door is always shown); lift to a lower level",
        )
        lift_to = None
    if kind == "count":
        return _count_rule(c, place, item, rid, rdesc, lift_to, refs)
    return _combination_rule(c, place, item, rid, rdesc, lift_to, refs, by_id)


def _count_rule(
    c: _Checker, place: str, item: dict[str, Any], rid: str, rdesc: str, lift_to: str | None, refs: _LevelRefs
) -> Rule:
    """A ``count`` rule: min_indicators at at_level, across min_domains; it may only lift."""
    n = item.get("min_indicators")
    if not _is_int(n) or n < 1:
        c.add(place, f"min_indicators must be a whole number of at least 1, not {n!r}")
        n = 1
    m = item.get("min_domains", 1)
    if not _is_int(m) or not 1 <= m <= len(DOMAINS):
        c.add(place, f"min_domains must be a whole number from 1 to {len(DOMAINS)}, not {m!r}")
        m = 1
    elif m > n:
        c.add(place, f"min_domains ({m}) is more than min_indicators ({n}): the rule can never apply")
    at_level = refs.ref(place, item, "at_level")
    if lift_to and at_level and refs.rank[lift_to] < refs.rank[at_level]:
        c.add(
            place,
            f'lift_to "{lift_to}" is below at_level "{at_level}": this rule could '
            "lower the rung, and rules may only lift",
        )
    return Rule(rid, "count", lift_to or "", rdesc, n, at_level or "", m)


def _combination_rule(
    c: _Checker,
    place: str,
    item: dict[str, Any],
    rid: str,
    rdesc: str,
    lift_to: str | None,
    refs: _LevelRefs,
    by_id: dict[str, Indicator],
) -> Rule:
    """A ``combination`` rule: all_of names known indicators; it may only lift."""
    all_of = item.get("all_of")
    if not isinstance(all_of, list) or not all_of or not all(isinstance(x, str) for x in all_of):
        c.add(place, "all_of must be a non-empty list of indicator ids")
        all_of = []
    missing = [x for x in all_of if x not in by_id]
    for x in missing:
        c.add(place, f'all_of names indicator "{x}", which the profile does not have{_suggest(x, by_id)}')
    rank = refs.rank
    needed = [by_id[x] for x in all_of if x in by_id and by_id[x].level in rank]
    if lift_to and needed:
        highest = max(needed, key=lambda i: rank[i.level])
        if rank[lift_to] < rank[highest.level]:
            c.add(
                place,
                f'lift_to "{lift_to}" is below the level "{highest.level}" of indicator '
                f'"{highest.id}" it needs: this rule could lower the rung, and rules '
                "may only lift",
            )
    return Rule(rid, "combination", lift_to or "", rdesc, all_of=tuple(all_of))
