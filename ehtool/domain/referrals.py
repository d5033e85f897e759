"""Referrals to the front door: where a referral goes, what can come back, and where a
family stands after a step-down.

At a level that routes to a referral the coordinator's record is the referral (date,
to whom, reference, outcome), not a plan. A referral that comes back "stepped down"
brings the family back to early help: to the highest level that routes to early help,
unless the front door names another early help level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ehtool.errors import InvalidInput

if TYPE_CHECKING:
    from ehtool.domain.profile_schema import Level, Profile

TARGETS = ("front-door", "social-care", "other-service")
OUTCOMES = ("accepted", "nfa", "stepped-down", "signposted", "other")
OUTCOME_LABELS = {
    "accepted": "accepted by children's social care",
    "nfa": "no further action",
    "stepped-down": "stepped down from social care to early help",
    "signposted": "signposted to other services",
    "other": "other outcome",
}
STEPPED_DOWN_NOTE = "stepped down from social care"


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    key = str(value or "").strip().casefold().replace("_", "-").replace(" ", "-")
    if key not in allowed:
        raise InvalidInput(f"{value!r} is not a referral {what}.", hint=f"Use one of: {', '.join(allowed)}.")
    return key


def parse_target(value: str) -> str:
    return _choice(value, TARGETS, "destination")


def parse_outcome(value: str) -> str:
    return _choice(value, OUTCOMES, "outcome")


def stepped_down_level(profile: Profile, wanted: str | None = None) -> Level:
    """The early help level a stepped-down family returns to: ``wanted`` (which must route to
    early help) or the highest level that does."""
    early = [lv for lv in profile.levels if lv.route == "early-help"]
    if not early:
        raise InvalidInput(
            f'The "{profile.id}" profile has no level that routes to early help to step down to.',
            hint="Give each level a route in the profile (universal, early-help, referral).",
        )
    if wanted is None:
        return early[-1]
    chosen = profile.resolve_level(wanted)
    if chosen.route != "early-help":
        raise InvalidInput(
            f"{chosen.name} does not route to early help.",
            hint="Early help levels: " + ", ".join(f"{lv.id} ({lv.name})" for lv in early) + ".",
        )
    return chosen
