"""Threshold profiles: validation of the parsed TOML into a :class:`~ehtool.domain.profile_schema.model.Profile`.

:func:`validate_profile_data` raises :class:`~ehtool.errors.InvalidInput` listing
*every* problem found, each naming its place in the file (block number, id, line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeGuard

from ehtool.domain.profile_schema.model import (
    DOMAINS,
    OUTCOME_AREAS,
    RULE_KINDS,
    SETTINGS_DEFAULTS,
    SUBDOMAINS,
    Indicator,
    Level,
    Profile,
    Rule,
)
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
    *SETTINGS_DEFAULTS,
}
_LEVEL_KEYS = {"id", "name", "description", "pathway"}
_FRONT_DOOR_KEYS = {"name", "contact"}
_LOCALITY_KEYS = {"id", "name"}
_INDICATOR_KEYS = {"id", "domain", "subdomain", "level", "text", "age_band", "outcome_area", "significant_harm"}
_RULE_KEYS = {
    "count": {"id", "kind", "description", "lift_to", "min_indicators", "at_level", "min_domains"},
    "combination": {"id", "kind", "description", "lift_to", "all_of"},
}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_AGE_BAND = re.compile(r"^(\d{1,2})-(\d{1,2})$")


def _suggest(word: str, options: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(str(word), list(options), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    """Collects problems while building the profile's parts."""

    def __init__(self, source: str, text: str | None):
        self.source = source
        self.problems: list[str] = []
        self._lines = text.splitlines() if text else None
        self._index: dict[tuple[str, str], int] | None = None

    def add(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}" if place else message)

    def place(self, table: str, index: int, item: Any) -> str:
        """``indicators[12] (id "edu-x", line 140)``: 1-based block number, id and line."""
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, (str, int)) or isinstance(ident, bool):
            return f"{table}[{index}]"
        extra = f'id "{ident}"'
        line = self._line_of(table, ident)
        if line:
            extra += f", line {line}"
        return f"{table}[{index}] ({extra})"

    def _line_of(self, table: str, ident: Any) -> int | None:
        """The line of ``id = "..."`` inside a ``[[table]]`` block (one scan, done lazily)."""
        if not self._lines:
            return None
        if self._index is None:
            self._index = {}
            current = None
            id_line = re.compile(r"""^\s*id\s*=\s*["']?([^"'#]*?)["']?\s*(#.*)?$""")
            for number, line in enumerate(self._lines, start=1):
                stripped = line.strip()
                if stripped.startswith("["):
                    current = stripped.strip("[] ")
                elif current and (m := id_line.match(line)):
                    self._index.setdefault((current, m.group(1)), number)
        return self._index.get((table, str(ident)))

    # -- small typed getters ---------------------------------------------------------
    def text(self, place: str, table: dict[str, Any], key: str, required: bool = True, default: str = "") -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(place, f'"{key}" is missing')
            return default
        if _is_int(value) or isinstance(value, float):
            return str(value)  # forgiving: version = 1, id = 2
        if not isinstance(value, str):
            self.add(place, f'"{key}" must be text, not {type(value).__name__}')
            return default
        if required and not value.strip():
            self.add(place, f'"{key}" is empty')
        return value.strip()

    def unknown_keys(self, place: str, table: dict[str, Any], allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                self.add(place, f'unknown key "{key}"{_suggest(key, allowed)}; allowed: {", ".join(sorted(allowed))}')

    def table_list(self, data: dict[str, Any], key: str, required: bool) -> list[tuple[int, dict[str, Any]]]:
        value = data.get(key)
        if value is None:
            if required:
                self.add(key, f"missing: add at least one [[{key}]] block")
            return []
        if not isinstance(value, list):
            self.add(key, f"must be a list of [[{key}]] blocks")
            return []
        out: list[tuple[int, dict[str, Any]]] = []
        for index, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                self.add(f"{key}[{index}]", f"must be a table (a [[{key}]] block)")
            else:
                out.append((index, item))
        return out


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
                )
            )
    if isinstance(data.get("levels"), list) and len(levels) < 2:
        c.add("levels", "a profile needs at least two levels (lowest first)")
    return levels


class _LevelRefs:
    """The valid levels' ranks and top level, for checking the keys that name a level."""

    def __init__(self, c: _Checker, levels: list[Level]) -> None:
        self.c = c
        self.rank = {lv.id: lv.rank for lv in levels}
        self.top_id = levels[-1].id if levels else None
        self.level_list = ", ".join(self.rank)

    def ref(self, place: str, table: dict[str, Any], key: str) -> str | None:
        """``table[key]`` if it names a level, else None (the problem recorded)."""
        value = table.get(key)
        if value is None:
            self.c.add(place, f'"{key}" is missing')
            return None
        ref = str(value) if (_is_int(value) or isinstance(value, str)) else None
        if ref is None:
            self.c.add(place, f'"{key}" must be a level id (text), not {type(value).__name__}')
        elif ref not in self.rank:
            self.c.add(place, f'{key} "{ref}" is not one of the profile\'s levels ({self.level_list})')
            return None
        return ref


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
        m = _AGE_BAND.match(age_band)
        if m and int(m.group(1)) > int(m.group(2)):
            c.add(place, f'age_band "{age_band}" runs backwards')
    outcome = c.text(place, item, "outcome_area", required=False) or None
    if outcome and outcome not in OUTCOME_AREAS:
        c.add(
            place,
            f'outcome_area "{outcome}" is not a Supporting Families outcome area '
            f"({', '.join(OUTCOME_AREAS)}){_suggest(outcome, OUTCOME_AREAS)}",
        )
    sh = _significant_harm(c, place, item, lvl, refs)
    if not iid:
        return None
    return Indicator(iid, domain, subdomain, lvl or "", itext, age_band, outcome, sh)


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
        rules.append(_rule(c, place, item, rid, kind, refs, by_id))
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
