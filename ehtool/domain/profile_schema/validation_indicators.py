"""Threshold profile validation of the ``[[indicators]]``: ids, domains, level, age band,
outcome area and the significant-harm flag."""

from __future__ import annotations

import re
from typing import Any

from ehtool.domain.profile_schema.model import DEFAULT_SOURCE, DOMAINS, OUTCOME_AREAS, SUBDOMAINS, Indicator
from ehtool.domain.profile_schema.validation_checker import _Checker, _LevelRefs, _suggest

_INDICATOR_KEYS = {
    "id",
    "domain",
    "subdomain",
    "level",
    "text",
    "age_band",
    "outcome_area",
    "significant_harm",
    "source",
}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Whole years on the assessment date, both ends included; "unborn-1" also fits an unborn child.
AGE_BAND = re.compile(r"^(unborn|\d{1,2})-(\d{1,2})$")


def _indicators(c: _Checker, data: dict[str, Any], refs: _LevelRefs) -> list[Indicator]:
    """The ``[[indicators]]`` with a usable, unique id."""
    indicators: list[Indicator] = []
    indicator_ids: set[str] = set()
    for index, item in c.table_list(data, "indicators", required=True):
        indicator = _indicator(c, c.place("indicators", index, item), item, refs, indicator_ids)
        if indicator is not None:
            indicator_ids.add(indicator.id)
            indicators.append(indicator)
    return indicators


def _indicator(
    c: _Checker, place: str, item: dict[str, Any], refs: _LevelRefs, indicator_ids: set[str]
) -> Indicator | None:
    """One indicator, its problems recorded; None when it has no usable id."""
    c.unknown_keys(place, item, _INDICATOR_KEYS)
    iid = c.text(place, item, "id")
    if iid and not _SLUG.match(iid):
        c.add(place, f'id "{iid}" must be a slug: lower-case letters, digits and hyphens')
    if iid in indicator_ids:
        c.add(place, f'duplicate indicator id "{iid}"')
        iid = ""
    domain, subdomain = _domain_and_subdomain(c, place, item)
    lvl = refs.ref(place, item, "level")
    itext = c.text(place, item, "text")
    age_band = c.text(place, item, "age_band", required=False) or None
    if age_band:
        m = AGE_BAND.match(age_band)
        if not m:
            c.add(place, f'age_band "{age_band}" must be years "FROM-TO" (for example "0-5", "11-18" or "unborn-1")')
        elif m.group(1) != "unborn" and int(m.group(1)) > int(m.group(2)):
            c.add(place, f'age_band "{age_band}" runs backwards')
    outcome = c.text(place, item, "outcome_area", required=False) or None
    if outcome and outcome not in OUTCOME_AREAS:
        c.add(
            place,
            f'outcome_area "{outcome}" is not a Supporting Families outcome area '
            f"({', '.join(OUTCOME_AREAS)}){_suggest(outcome, OUTCOME_AREAS)}",
        )
    sh = _significant_harm(c, place, item, lvl, refs)
    source = c.text(place, item, "source", required=False) or DEFAULT_SOURCE
    if not iid:
        return None
    return Indicator(iid, domain, subdomain, lvl or "", itext, age_band, outcome, sh, source)


def _domain_and_subdomain(c: _Checker, place: str, item: dict[str, Any]) -> tuple[str, str]:
    """An indicator's domain and subdomain, checked against the assessment framework."""
    domain = c.text(place, item, "domain")
    if domain and domain not in SUBDOMAINS:
        c.add(place, f'domain "{domain}" is not one of {", ".join(DOMAINS)}{_suggest(domain, DOMAINS)}')
    subdomain = c.text(place, item, "subdomain")
    if subdomain and domain in SUBDOMAINS and subdomain not in SUBDOMAINS[domain]:
        c.add(
            place,
            f'subdomain "{subdomain}" is not part of {domain} '
            f"({', '.join(SUBDOMAINS[domain])}){_suggest(subdomain, SUBDOMAINS[domain])}",
        )
    return domain, subdomain


def _significant_harm(c: _Checker, place: str, item: dict[str, Any], lvl: str | None, refs: _LevelRefs) -> bool:
    """An indicator's significant_harm flag: true exactly for the indicators at the top level."""
    sh: bool = item.get("significant_harm", False)
    if not isinstance(sh, bool):
        c.add(place, f"significant_harm must be true or false, not {sh!r}")
        sh = False
    top_id = refs.top_id
    if sh and lvl and lvl != top_id:
        c.add(place, f'a significant-harm indicator must sit at the top level "{top_id}", not "{lvl}"')
    if not sh and lvl and lvl == top_id and len(refs.rank) > 1:
        c.add(
            place,
            f'sits at the top level "{top_id}" but is not marked significant_harm = true: '
            "the top level always means possible significant harm",
        )
    return sh
