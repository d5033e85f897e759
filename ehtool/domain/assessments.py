"""A threshold assessment's values: answers evaluated against a profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ehtool.domain import validators as v
from ehtool.domain.thresholds import Profile, check_override, evaluate

DOMAIN_TITLES = {
    "child-development": "Child's developmental needs",
    "parenting-capacity": "Parenting capacity",
    "family-environment": "Family and environmental factors",
}


def build(profile: Profile, answers: Mapping[str, Any], *, today: dt.date | None = None) -> dict[str, Any]:
    """Evaluate answers against the profile; returns the values to save."""
    result = evaluate(profile, answers.get("indicators", []))
    values: dict[str, Any] = {
        "assessed_on": (
            v.parse_date(answers["assessed_on"], field="assessed_on")
            if answers.get("assessed_on")
            else (today or v.today_london())
        ).isoformat(),
        "profile": profile.id,
        "profile_version": profile.version,
        "indicators": result.indicators,
        "computed_level": result.level,
        "level": result.level,
        "significant_harm": result.significant_harm,
        "override_direction": None,
        "override_reason": None,
        "explanation": result.explanation,
    }
    for key in ("family_view", "child_view", "notes"):
        text = answers.get(key)
        values[key] = v.clean_text(text, field=key, max_len=10000, multiline=True) or None if text else None
    override = answers.get("override")
    if override:
        reason = v.clean_text(override.get("reason") or "", field="override reason", max_len=2000, multiline=True)
        direction = check_override(profile, result, str(override["level"]), reason)
        chosen = profile.resolve_level(str(override["level"]))
        if direction != "same":
            values["level"] = chosen.id
            values["override_direction"] = direction
            values["override_reason"] = reason
            values["explanation"] = [
                *result.explanation,
                {
                    "kind": "judgement",
                    "id": None,
                    "level": chosen.id,
                    "text": f"Practitioner judgement: {chosen.name} ({direction} the threshold result). Reason: {reason}",
                },
            ]
    return values
