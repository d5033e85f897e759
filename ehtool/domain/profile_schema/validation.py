"""Threshold profiles: validation of the parsed TOML into a :class:`~ehtool.domain.profile_schema.model.Profile`.

:func:`validate_profile_data` raises :class:`~ehtool.errors.InvalidInput` listing
*every* problem found, each naming its place in the file (block number, id, line).

The checks of the ``[[indicators]]`` and ``[[rules]]`` are in
:mod:`~ehtool.domain.profile_schema.validation_indicators` and
:mod:`~ehtool.domain.profile_schema.validation_rules`; the problem collector they
share is in :mod:`~ehtool.domain.profile_schema.validation_checker`.
"""

from __future__ import annotations

import re
from typing import Any

from ehtool.domain.profile_schema.model import ROUTES, SETTINGS_DEFAULTS, WORDS_DEFAULTS, Level, Profile
from ehtool.domain.profile_schema.validation_checker import _Checker, _is_int, _LevelRefs
from ehtool.domain.profile_schema.validation_indicators import _indicators
from ehtool.domain.profile_schema.validation_panels import _decisions, _panel_kinds
from ehtool.domain.profile_schema.validation_rules import _rules
from ehtool.errors import InvalidInput

_TOP_KEYS = {
    "id",
    "name",
    "version",
    "description",
    "levels",
    "front_door",
    "localities",
    "indicators",
    "rules",
    "plan_beside_referral",
    "decisions",
    "panel_kinds",
    "family_group_offer_days",
    *WORDS_DEFAULTS,
    *SETTINGS_DEFAULTS,
}
_LEVEL_KEYS = {"id", "name", "description", "pathway", "route", "formerly"}
_FRONT_DOOR_KEYS = {"name", "contact"}
_LOCALITY_KEYS = {"id", "name"}


def validate_profile_data(data: object, source: str, text: str | None = None, default_id: str | None = None) -> Profile:
    """Build a :class:`Profile` from parsed TOML, or raise InvalidInput listing all problems.

    ``source`` names the file in messages; ``text`` (the raw TOML, optional) lets
    problems carry line numbers; ``default_id`` is the id when the data has none
    (the file's stem)."""
    c = _Checker(source, text)
    if not isinstance(data, dict):
        raise InvalidInput(f"The threshold profile {source} is not a TOML table.")
    c.unknown_keys("top level", data, _TOP_KEYS)
    ident, name, version, description = _header(c, data, default_id)
    settings = _settings(c, data)
    levels = _levels(c, data)
    refs = _LevelRefs(c, levels)
    front_door = _front_door(c, data)
    localities = _localities(c, data)
    indicators = _indicators(c, data, refs)
    rules = _rules(c, data, refs, {i.id: i for i in indicators})
    decisions = _decisions(c, data)
    kinds = _panel_kinds(c, data, decisions)
    words = {k: c.text("top level", data, k, required=False) or default for k, default in WORDS_DEFAULTS.items()}
    offer_days = data.get("family_group_offer_days")
    if offer_days is not None and (not _is_int(offer_days) or offer_days <= 0):
        c.add("family_group_offer_days", f"must be a whole number of days above 0, not {offer_days!r}")
        offer_days = None
    beside = data.get("plan_beside_referral", False)
    if not isinstance(beside, bool):
        c.add("plan_beside_referral", f"must be true or false, not {beside!r}")
        beside = False
    if c.problems:
        count = len(c.problems)
        raise InvalidInput(
            f"The threshold profile {source} is not valid: {count} problem{'s' if count != 1 else ''}.",
            hint="Fix each problem in the TOML file and load it again. "
            "Places count [[levels]], [[indicators]] and [[rules]] blocks from 1.",
            problems=c.problems,
        )
    return Profile(
        ident,
        name,
        version,
        description,
        tuple(levels),
        front_door,
        tuple(localities),
        tuple(indicators),
        tuple(rules),
        settings,
        source,
        beside,
        decisions,
        kinds,
        words,
        offer_days,
    )


def _header(c: _Checker, data: dict[str, Any], default_id: str | None) -> tuple[str, str, str, str]:
    """The profile's id, name, version and description."""
    ident = c.text("top level", data, "id", required=False, default=default_id or "")
    if not ident:
        c.add("top level", 'the profile has no id (add id = "...")')
    name = c.text("top level", data, "name")
    version = c.text("top level", data, "version")
    description = c.text("top level", data, "description", required=False)
    return ident, name, version, description


def _settings(c: _Checker, data: dict[str, Any]) -> dict[str, int]:
    """The timings in days (each a whole number above 0; the default when not given)."""
    settings: dict[str, int] = {}
    for key, default in SETTINGS_DEFAULTS.items():
        value = data.get(key, default)
        if not _is_int(value) or value <= 0:
            c.add(key, f"must be a whole number of days above 0, not {value!r}")
            value = default
        settings[key] = value
    return settings


def _levels(c: _Checker, data: dict[str, Any]) -> list[Level]:
    """The ``[[levels]]``, lowest first, ranked from 1 (at least two, ids and names unique)."""
    levels: list[Level] = []
    seen_level_names: set[str] = set()
    for index, item in c.table_list(data, "levels", required=True):
        place = c.place("levels", index, item)
        c.unknown_keys(place, item, _LEVEL_KEYS)
        lid = c.text(place, item, "id")
        lname = c.text(place, item, "name")
        if lid and any(lv.id == lid for lv in levels):
            c.add(place, f'duplicate level id "{lid}"')
            continue
        if lname and lname.casefold() in seen_level_names:
            c.add(place, f'duplicate level name "{lname}"')
        seen_level_names.add(lname.casefold())
        if lid:
            levels.append(
                Level(
                    lid,
                    lname or lid,
                    len(levels) + 1,
                    c.text(place, item, "description", required=False),
                    c.text(place, item, "pathway", required=False),
                    c.text(place, item, "route", required=False),
                    _formerly(c, place, item),
                )
            )
    if isinstance(data.get("levels"), list) and len(levels) < 2:
        c.add("levels", "a profile needs at least two levels (lowest first)")
    return _routed(c, levels)


def _formerly(c: _Checker, place: str, item: dict[str, Any]) -> tuple[str, ...]:
    """The ids a level had in earlier versions of the profile (stored assessments keep them)."""
    value = item.get("formerly", [])
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        c.add(place, 'formerly must be a list of earlier level ids, for example formerly = ["2"]')
        return ()
    return tuple(x.strip() for x in value)


def _routed(c: _Checker, levels: list[Level]) -> list[Level]:
    """Each level's route, checked: known, never falling as the level rises, the top a referral.

    A profile written before routes existed gets them by rank: the lowest level
    universal, the top level referral, the ones between early help."""
    out: list[Level] = []
    for lv in levels:
        route = lv.route
        if not route:
            route = "universal" if lv.rank == 1 else "referral" if lv.rank == len(levels) else "early-help"
        elif route not in ROUTES:
            c.add(f'levels (id "{lv.id}")', f'route "{route}" is not one of {", ".join(ROUTES)}')
            route = "early-help"
        out.append(Level(lv.id, lv.name, lv.rank, lv.description, lv.pathway, route, lv.formerly))
    for lower, higher in zip(out, out[1:]):
        if ROUTES.index(higher.route) < ROUTES.index(lower.route):
            c.add(
                f'levels (id "{higher.id}")',
                f'routes to "{higher.route}" below level "{lower.id}" that routes to "{lower.route}": '
                "a route never falls as the level rises",
            )
    if len(out) >= 2 and out[-1].route != "referral":
        c.add(f'levels (id "{out[-1].id}")', 'the top level always routes to "referral" (the front door)')
    ids = {lv.id for lv in out}
    for lv in out:
        for old in lv.formerly:
            if old in ids and old != lv.id:
                c.add(f'levels (id "{lv.id}")', f'formerly "{old}" is the id of another level')
    return out


def _front_door(c: _Checker, data: dict[str, Any]) -> dict[str, str]:
    """The ``[front_door]`` table's name and contact."""
    fd = data.get("front_door")
    if not isinstance(fd, dict):
        c.add("front_door", "missing: add a [front_door] table with name and contact")
        return {"name": "", "contact": ""}
    c.unknown_keys("front_door", fd, _FRONT_DOOR_KEYS)
    return {"name": c.text("front_door", fd, "name"), "contact": c.text("front_door", fd, "contact")}


def _localities(c: _Checker, data: dict[str, Any]) -> list[dict[str, str]]:
    """The ``[[localities]]`` (id from the name when not given; ids and names unique)."""
    localities: list[dict[str, str]] = []
    for index, item in c.table_list(data, "localities", required=False):
        place = c.place("localities", index, item)
        c.unknown_keys(place, item, _LOCALITY_KEYS)
        lname = c.text(place, item, "name")
        lid = c.text(place, item, "id", required=False) or re.sub(r"[^a-z0-9]+", "-", lname.casefold()).strip("-")
        if any(loc["id"].casefold() == lid.casefold() for loc in localities):
            c.add(place, f'duplicate locality id "{lid}"')
            continue
        if any(loc["name"].casefold() == lname.casefold() for loc in localities):
            c.add(place, f'duplicate locality name "{lname}"')
        localities.append({"id": lid, "name": lname})
    return localities
