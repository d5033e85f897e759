"""What the due rules read: the rows the store fetches and the profile's settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ehtool.domain.validators import as_date, london_date

if TYPE_CHECKING:
    from ehtool.domain.profile_schema import Level

DEFAULT_WITHIN = 14
DONE_ACTION_STATUSES = frozenset({"done", "dropped"})


@dataclass
class Rows:
    """What the store reads for the rules (see ``ehtool.store.due.gather``).

    families: open families {id, ref, locality, lead, referral_date, created_at}
    plans: open plans of open families {id, ref, family_id, review_date, lead_professional}
    actions: their actions not done/dropped with a due date
        {plan_ref, family_id, action_id, what, due, status}
    assessments: each open family's latest completed assessment {ref, family_id, assessed_on, started_on,
        level, significant_harm}
    open_harm: open (not yet completed) assessments that indicate significant harm, in the same shape
    consents: each open family's latest family-level early-help decision {family_id, status, date}
    panel_items: undecided items for open families {family_id, panel_ref, item, date, panel_locality}
    panel_waiting: items deferred to a next sitting not yet scheduled {family_id, panel_ref, item, date, kind,
        panel_locality}
    allocations: each open family's latest allocation at panel {family_id, date}
    meetings: each open family's latest offer of family group decision-making {family_id, offered_on}
    referrals: the referral records {family_id, date, outcome, outcome_date}
    retention: families past retention without legal hold {id, ref, locality, lead, status, retain_until,
        lead_professional}
    """

    families: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    open_harm: list[dict[str, Any]] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)
    panel_items: list[dict[str, Any]] = field(default_factory=list)
    panel_waiting: list[dict[str, Any]] = field(default_factory=list)
    allocations: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)
    retention: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Referred:
    """A recorded referral (or panel step-up, or plan closed stepped-up): its date, and the
    day it came back stepped down to early help (if it did)."""

    date: dt.date
    stepped_down_on: dt.date | None = None


@dataclass(frozen=True)
class Settings:
    days_to_assessment: int = 20
    days_to_plan: int = 30
    assessment_valid_days: int = 182
    consent_valid_days: int = 365
    days_to_referral: int = 2
    family_group_offer_days: int = 0  # 0: the profile does not ask for family group decision-making

    @classmethod
    def from_profile(cls, settings: Mapping[str, int]) -> Settings:
        defaults = cls()
        return cls(**{k: int(settings.get(k) or getattr(defaults, k)) for k in cls.__dataclass_fields__})


def referral_start(family: Mapping[str, Any]) -> dt.date | None:
    """When the clock starts: the referral date, else the date the family was registered."""
    return as_date(family.get("referral_date")) or london_date(family.get("created_at"))


def early_help_level_ids(levels: Sequence[Level]) -> list[str]:
    """The ids of the levels that route to early help (a plan), lowest first."""
    return [lv.id for lv in levels if lv.route == "early-help"]


def referral_level_ids(levels: Sequence[Level]) -> list[str]:
    """The ids of the levels that route to a referral, lowest first."""
    return [lv.id for lv in levels if lv.route == "referral"]
