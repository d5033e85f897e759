"""Threshold profiles: the data model (levels, indicators, rules, the profile) and its vocabulary.

The Assessment Framework's domains and subdomains, the Supporting Families outcome
areas and the settings a profile may change, then the frozen dataclasses a valid
profile is made of. Building them from TOML is :mod:`ehtool.domain.profile_schema.validation`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ehtool.domain.decisions import DEFAULT_DECISIONS, DEFAULT_PANEL_KINDS, Decision, PanelKind
from ehtool.errors import InvalidInput

# The three domains of the national Assessment Framework triangle, and their parts.
SUBDOMAINS: dict[str, tuple[str, ...]] = {
    "child-development": (
        "health",
        "education",
        "emotional-behavioural",
        "identity",
        "relationships",
        "social-presentation",
        "self-care",
    ),
    "parenting-capacity": (
        "basic-care",
        "ensuring-safety",
        "emotional-warmth",
        "stimulation",
        "guidance-boundaries",
        "stability",
    ),
    "family-environment": (
        "family-functioning",
        "wider-family",
        "housing",
        "employment-income",
        "social-integration",
        "community-resources",
    ),
}
DOMAINS: tuple[str, ...] = tuple(SUBDOMAINS)

# The Supporting Families outcomes framework's ten headline outcomes.
OUTCOME_AREAS: tuple[str, ...] = (
    "education",
    "early-years",
    "health",
    "substance-use",
    "family-relationships",
    "safe-from-abuse",
    "crime",
    "domestic-abuse",
    "housing",
    "financial-stability",
)

# Settings other parts of ehtool read from a profile, with their defaults (days).
SETTINGS_DEFAULTS: dict[str, int] = {
    "review_interval_days": 42,  # One Family Plan reviews
    "assessment_valid_days": 182,  # an assessment older than this is out of date
    "days_to_assessment": 20,  # expected days from referral to assessment
    "days_to_plan": 30,  # expected days from referral to plan
    "consent_valid_days": 365,  # consent older than this should be renewed
    "days_to_referral": 2,  # a referral level: days from the assessment to the referral record
}

# What the partnership calls its plan and the person who leads it (a profile may change them).
WORDS_DEFAULTS: dict[str, str] = {"plan_title": "One Family Plan", "lead_title": "Lead professional"}

# Where a level sends a family: universal services, early help (a plan with a lead
# professional), or a referral to the front door. In rank order: a route never falls
# as the level rises, and the top level always routes to a referral.
ROUTES: tuple[str, ...] = ("universal", "early-help", "referral")
DEFAULT_SOURCE = "ehtool default"
# A front door contact that starts with this has not been configured by the partnership.
PLACEHOLDER_PREFIX = "PLACEHOLDER"

RULE_KINDS = ("count", "combination")


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    rank: int  # 1-based: 1 is the lowest rung
    description: str = ""
    pathway: str = ""
    route: str = "early-help"
    formerly: tuple[str, ...] = ()  # ids this level had in earlier versions of the profile

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "rank": self.rank,
            "description": self.description,
            "pathway": self.pathway,
            "route": self.route,
            "formerly": list(self.formerly),
        }


@dataclass(frozen=True)
class Indicator:
    id: str
    domain: str
    subdomain: str
    level: str
    text: str
    age_band: str | None = None
    outcome_area: str | None = None
    significant_harm: bool = False
    source: str = DEFAULT_SOURCE

    @property
    def child_level(self) -> bool:
        """About one child (the child's developmental needs), not the household."""
        return self.domain == "child-development"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "domain": self.domain,
            "subdomain": self.subdomain,
            "level": self.level,
            "text": self.text,
            "significant_harm": self.significant_harm,
            "age_band": self.age_band,
            "outcome_area": self.outcome_area,
            "scope": "child" if self.child_level else "household",
            "source": self.source,
        }


@dataclass(frozen=True)
class Rule:
    """A declarative lift. ``count``: at least ``min_indicators`` chosen indicators at
    ``at_level`` or above, across at least ``min_domains`` distinct domains, make the
    result at least ``lift_to``. ``combination``: all of ``all_of`` chosen make it at
    least ``lift_to``. Rules only ever lift."""

    id: str
    kind: str
    lift_to: str
    description: str = ""
    min_indicators: int | None = None
    at_level: str | None = None
    min_domains: int | None = None
    all_of: tuple[str, ...] = ()
    source: str = DEFAULT_SOURCE

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "description": self.description,
            "lift_to": self.lift_to,
            "source": self.source,
        }
        if self.kind == "count":
            d.update(min_indicators=self.min_indicators, at_level=self.at_level, min_domains=self.min_domains)
        else:
            d["all_of"] = list(self.all_of)
        return d


def _norm(text: str) -> str:
    """Forgiving key for matching names: case, spaces, '&'/'and' and punctuation ignored."""
    text = text.casefold().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "", text)


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    version: str
    description: str
    levels: tuple[Level, ...]
    front_door: dict[str, str]
    localities: tuple[dict[str, str], ...]
    indicators: tuple[Indicator, ...]
    rules: tuple[Rule, ...]
    settings: dict[str, int]
    source: str = ""
    plan_beside_referral: bool = False  # may an early help plan continue beside a referral?
    decisions: tuple[Decision, ...] = DEFAULT_DECISIONS
    panel_kinds: tuple[PanelKind, ...] = DEFAULT_PANEL_KINDS
    words: dict[str, str] = field(default_factory=lambda: dict(WORDS_DEFAULTS))  # the plan's title, the lead's
    family_group_offer_days: int | None = None  # offer family group decision-making within this many days
    _levels_by_id: dict[str, Level] = field(default_factory=dict, repr=False, compare=False)
    _indicators_by_id: dict[str, Indicator] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_levels_by_id", {lv.id: lv for lv in self.levels})
        object.__setattr__(self, "_indicators_by_id", {i.id: i for i in self.indicators})

    def __hash__(self) -> int:  # usable as a cache key despite its dict fields
        return hash((self.id, self.version, self.source, self.levels, self.indicators))

    # -- levels -----------------------------------------------------------------
    def level(self, id_or_name: str) -> Level | None:
        """The level with this id (exact, then case-insensitive) or name; None if none."""
        key = str(id_or_name)
        found = self._levels_by_id.get(key)
        if found is not None:
            return found
        wanted = _norm(key)
        for lv in self.levels:
            if _norm(lv.id) == wanted or _norm(lv.name) == wanted:
                return lv
        for lv in self.levels:
            if key in lv.formerly:
                return lv
        return None

    def route_of(self, level_id: str | None) -> str | None:
        """Where a level routes (universal, early-help, referral); None for an unknown level."""
        found = self.level(level_id) if level_id else None
        return found.route if found else None

    def referral_levels(self) -> list[str]:
        return [lv.id for lv in self.levels if lv.route == "referral"]

    def early_help_levels(self) -> list[str]:
        return [lv.id for lv in self.levels if lv.route == "early-help"]

    @property
    def front_door_configured(self) -> bool:
        """False while the front door's contact is still the bundled placeholder."""
        contact = self.front_door.get("contact", "").strip()
        return bool(contact) and not contact.upper().startswith(PLACEHOLDER_PREFIX)

    def resolve_level(self, id_or_name: str) -> Level:
        """Like :meth:`level`, but an unknown level raises InvalidInput listing the levels."""
        found = self.level(id_or_name)
        if found is None:
            raise InvalidInput(
                f'"{id_or_name}" is not a level of the "{self.id}" profile.',
                hint="Levels, lowest first: " + "; ".join(f"{lv.id} ({lv.name})" for lv in self.levels),
            )
        return found

    def rank(self, level_id: str) -> int:
        """1-based rank of a level (1 = lowest). Unknown level: InvalidInput."""
        return self.resolve_level(level_id).rank

    @property
    def lowest(self) -> Level:
        return self.levels[0]

    @property
    def top(self) -> Level:
        return self.levels[-1]

    def level_ids(self) -> list[str]:
        return [lv.id for lv in self.levels]

    # -- indicators and localities ---------------------------------------------------
    def indicator(self, indicator_id: str) -> Indicator | None:
        return self._indicators_by_id.get(indicator_id)

    def indicators_at(self, level_id: str) -> list[Indicator]:
        return [i for i in self.indicators if i.level == level_id]

    def locality(self, name_or_id: str) -> dict[str, str] | None:
        """The canonical locality whose id or name matches (case-insensitively), or None."""
        if not name_or_id:
            return None
        key = str(name_or_id).strip().casefold()
        for loc in self.localities:
            if key in (loc["id"].casefold(), loc["name"].casefold()):
                return dict(loc)
        wanted = _norm(key)
        for loc in self.localities:
            if wanted in (_norm(loc["id"]), _norm(loc["name"])):
                return dict(loc)
        return None

    # -- panels -----------------------------------------------------------------------
    def panel_kind(self, id_or_name: str) -> PanelKind | None:
        """The panel kind with this id or name (case and punctuation ignored), or None."""
        wanted = _norm(str(id_or_name))
        return next((k for k in self.panel_kinds if wanted in (_norm(k.id), _norm(k.name))), None)

    def decisions_for(self, kind_id: str) -> tuple[Decision, ...]:
        """The decisions a panel of this kind can make, in the profile's order (all when the kind lists none)."""
        kind = self.panel_kind(kind_id)
        if kind is None or not kind.decisions:
            return self.decisions
        return tuple(d for d in self.decisions if d.id in kind.decisions)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "levels": [lv.to_dict() for lv in self.levels],
            "front_door": dict(self.front_door),
            "localities": [dict(loc) for loc in self.localities],
            "indicators": [i.to_dict() for i in self.indicators],
            "rules": [r.to_dict() for r in self.rules],
            "plan_beside_referral": self.plan_beside_referral,
            "plan_title": self.words["plan_title"],
            "lead_title": self.words["lead_title"],
            "family_group_offer_days": self.family_group_offer_days,
            "decisions": [x.to_dict() for x in self.decisions],
            "panel_kinds": [k.to_dict() for k in self.panel_kinds],
            "front_door_configured": self.front_door_configured,
        }
        d.update(self.settings)
        d["settings"] = dict(self.settings)
        return d
