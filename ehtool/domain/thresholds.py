"""The threshold engine: load a partnership's continuum of need and place a family on it.

Pure domain code: no printing, no terminal libraries. A profile is data (TOML, see
``ehtool/profiles/``); its structure and validation live in ``ehtool.domain.profile_schema``.

How a rung is reached (:func:`evaluate`):

1. the highest level of any chosen indicator (no indicators: the lowest level);
2. then the profile's rules lift it: a rule only ever raises the rung to its
   ``lift_to`` when its condition holds (rule conditions depend only on the chosen
   indicators, so one pass over the rules reaches the stable result);
3. then, built in for every profile, any significant-harm indicator sets the top
   level, flags ``significant_harm`` and carries the front door's contact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ehtool.domain.profile_schema import (
    DOMAINS,
    OUTCOME_AREAS,
    SETTINGS_DEFAULTS,
    SUBDOMAINS,
    Indicator,
    Level,
    Profile,
    Rule,
    validate_profile_data,
)
from ehtool.errors import InvalidInput

__all__ = [
    "DEFAULT_PROFILE",
    "DOMAINS",
    "OUTCOME_AREAS",
    "SETTINGS_DEFAULTS",
    "SUBDOMAINS",
    "Indicator",
    "Level",
    "Profile",
    "Result",
    "Rule",
    "check_override",
    "evaluate",
    "movement",
    "validate_profile_data",
]

DEFAULT_PROFILE = "london"


# ---------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """Where a set of indicators places a family, and why."""

    profile: str
    level: str
    level_name: str
    rank: int
    pathway: str
    significant_harm: bool
    front_door: dict[str, str] | None
    indicators: list[str]
    explanation: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "level": self.level,
            "level_name": self.level_name,
            "rank": self.rank,
            "pathway": self.pathway,
            "significant_harm": self.significant_harm,
            "front_door": dict(self.front_door) if self.front_door else None,
            "indicators": list(self.indicators),
            "explanation": [dict(e) for e in self.explanation],
        }


def _chosen(profile: Profile, indicator_ids: Iterable[str]) -> list[Indicator]:
    """The profile's indicators with these ids, sorted by id; unknown ids: InvalidInput naming them all."""
    if isinstance(indicator_ids, str):
        indicator_ids = [indicator_ids]
    chosen: list[Indicator] = []
    unknown: list[str] = []
    for ident in sorted({str(i).strip() for i in indicator_ids}):
        found = profile.indicator(ident)
        if found is None:
            unknown.append(ident)
        else:
            chosen.append(found)
    if unknown:
        import difflib

        known = [i.id for i in profile.indicators]
        problems = []
        for u in unknown:
            close = difflib.get_close_matches(u, known, n=1)
            problems.append(f'"{u}"' + (f' (did you mean "{close[0]}"?)' if close else ""))
        noun = "indicator" if len(unknown) == 1 else "indicators"
        raise InvalidInput(
            f'Unknown {noun} for the "{profile.id}" profile: ' + ", ".join(f'"{u}"' for u in unknown),
            hint=f'The "{profile.id}" profile has {len(known)} indicators; check the ids against the profile\'s list.',
            problems=problems,
        )
    return chosen


def _rule_match(profile: Profile, rule: Rule, chosen: list[Indicator]) -> str | None:
    """If the rule's condition holds, a sentence saying how; otherwise None."""
    if rule.kind == "count":
        at = profile.resolve_level(rule.at_level or "")  # a valid count rule always has one
        qualifying = [i for i in chosen if profile.rank(i.level) >= at.rank]
        domains = sorted({i.domain for i in qualifying})
        if len(qualifying) >= (rule.min_indicators or 1) and len(domains) >= (rule.min_domains or 1):
            return (
                f"{len(qualifying)} needs at {at.name} or above across {len(domains)} "
                f"domain{'s' if len(domains) != 1 else ''} ({', '.join(domains)}): "
                + ", ".join(i.id for i in qualifying)
            )
        return None
    ids = {i.id for i in chosen}
    if rule.all_of and all(x in ids for x in rule.all_of):
        return "all of " + ", ".join(rule.all_of)
    return None


def _harm_entry(profile: Profile, harm: list[Indicator]) -> dict[str, Any]:
    """The explanation's first entry when any significant-harm indicator applies."""
    door = profile.front_door
    contact = (
        f": {door['contact'].rstrip('. ')}. "
        if profile.front_door_configured
        else " (its contact is not configured in ehtool). "
    )
    return {
        "kind": "significant-harm",
        "id": "significant-harm",
        "level": profile.top.id,
        "text": (
            "A child may be suffering, or be likely to suffer, significant harm "
            f"({', '.join(i.id for i in harm)}). Contact {door['name']} now{contact}"
            "If a child is in immediate danger, call 999. Do not put an early help plan in place of a referral."
        ),
    }


def _applies(rule: Rule, how: str) -> str:
    return f"{rule.description} Applies: {how}.".strip()


def evaluate(profile: Profile, indicator_ids: Iterable[str]) -> Result:
    """Place a family on the profile's ladder from the indicators that apply.

    Unknown indicator ids raise InvalidInput naming them all."""
    chosen = _chosen(profile, indicator_ids)
    chosen_ids = [i.id for i in chosen]
    if not chosen:
        low = profile.lowest
        return Result(
            profile.id,
            low.id,
            low.name,
            low.rank,
            low.pathway,
            False,
            None,
            [],
            [
                {
                    "kind": "default",
                    "id": None,
                    "level": low.id,
                    "text": f"No indicators of additional need apply: {low.name}.",
                }
            ],
        )

    base = max(profile.rank(i.level) for i in chosen)
    rank = base
    fired: list[tuple[int, dict[str, Any]]] = []
    for rule in profile.rules:
        how = _rule_match(profile, rule, chosen)
        lift = profile.rank(rule.lift_to)
        if how is not None and lift <= base:  # applies without lifting: its prompt still stands
            fired.append((0, {"kind": "rule", "id": rule.id, "level": rule.lift_to, "text": _applies(rule, how)}))
        elif how is not None:
            rank = max(rank, lift)
            target = profile.resolve_level(rule.lift_to)
            fired.append(
                (
                    lift,
                    {
                        "kind": "rule",
                        "id": rule.id,
                        "level": rule.lift_to,
                        "text": f"{_applies(rule, how)} At least {target.name}.",
                    },
                )
            )

    explanation: list[dict[str, Any]] = []
    harm = [i for i in chosen if i.significant_harm]
    front_door = None
    if harm:
        rank = profile.top.rank
        front_door = dict(profile.front_door)
        explanation.append(_harm_entry(profile, harm))
    explanation.extend(entry for _, entry in sorted(fired, key=lambda f: -f[0]))
    base_id = profile.levels[base - 1].id
    explanation.extend(
        {"kind": "indicator", "id": i.id, "level": i.level, "text": i.text} for i in chosen if i.level == base_id
    )
    final = profile.levels[rank - 1]
    return Result(
        profile.id, final.id, final.name, final.rank, final.pathway, bool(harm), front_door, chosen_ids, explanation
    )


# ---------------------------------------------------------------------------------
# Practitioner judgement and movement
# ---------------------------------------------------------------------------------


def _get(result: Result | Mapping[str, Any], key: str) -> Any:
    return getattr(result, key) if isinstance(result, Result) else result[key]


def check_override(profile: Profile, result: Result | Mapping[str, Any], override_level: str, reason: str) -> str:
    """Check a practitioner's different judgement of the rung.

    Returns ``"above"``, ``"below"`` or ``"same"`` (the override against the result).
    Unknown level, an empty reason, or a significant-harm result overridden below
    the top level: InvalidInput."""
    chosen = profile.resolve_level(override_level)
    top = profile.top
    if _get(result, "significant_harm") and chosen.rank < top.rank:
        raise InvalidInput(
            f"A significant-harm result cannot be overridden below {top.name}.",
            hint=f"Contact {profile.front_door['name']}: {profile.front_door['contact'].rstrip('. ')}. "
            "If the front door decides on a different level, record its decision.",
        )
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput(
            "A different level needs a reason.",
            hint="Say why your judgement differs from the threshold result; it is recorded and stays visible.",
        )
    given = profile.rank(_get(result, "level"))
    if chosen.rank > given:
        return "above"
    if chosen.rank < given:
        return "below"
    return "same"


def movement(prev_level_id: str | None, new_level_id: str | None, profile: Profile) -> str | None:
    """``"step-up"`` or ``"step-down"`` between two levels, or None (no move, or no previous)."""
    if prev_level_id is None or new_level_id is None:
        return None
    before, after = profile.rank(prev_level_id), profile.rank(new_level_id)
    if after > before:
        return "step-up"
    if after < before:
        return "step-down"
    return None
