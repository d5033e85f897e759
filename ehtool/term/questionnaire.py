"""The interactive threshold questionnaire: domain by domain, the significant-harm
banner the moment such an indicator is ticked (not at the end), the result, an
optional practitioner judgement, and nothing saved unless the coordinator confirms.
Ctrl-C at any point saves nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ehtool.domain.assessments import DOMAIN_TITLES, build
from ehtool.errors import Cancelled
from ehtool.term import prompts

if TYPE_CHECKING:
    from ehtool.domain.thresholds import Profile


def ask(profile: Profile, *, on_harm: Callable, show_result: Callable) -> dict:
    """The questionnaire; returns the values to save. ``on_harm(profile, indicators)``
    shows the banner at once; ``show_result(profile, values)`` shows the result
    before confirming. Ctrl-C, or "no" to saving, raises Cancelled."""
    prompts.require_terminal("The threshold questionnaire", "--answers FILE (JSON or TOML with 'indicators')")
    chosen: list[str] = []
    warned = False
    for domain, title in DOMAIN_TITLES.items():
        inds = [i for i in profile.indicators if i.domain == domain]
        if not inds:
            continue
        choices = [
            (
                i.id,
                f"{_sub(i.subdomain)}: {i.text}  [{profile.resolve_level(i.level).name}]"
                + (f" ({i.age_band})" if getattr(i, "age_band", None) else ""),
            )
            for i in inds
        ]
        picked = prompts.checkbox(
            f"{title}: which apply?", choices, instruction="(space to tick, enter when done; enter alone if none apply)"
        )
        chosen.extend(picked)
        harm = [ind for i in picked if (ind := profile.indicator(i)) is not None and ind.significant_harm]
        if harm and not warned:
            on_harm(profile, harm)
            warned = True
    family_view = prompts.text("The family's view, in their words (enter to skip):")
    child_view = prompts.text("The child's own words (enter to skip):")
    answers: dict[str, Any] = {"indicators": chosen, "family_view": family_view, "child_view": child_view}
    values = build(profile, answers)
    show_result(profile, values)
    if prompts.confirm("Record a different level from your own professional judgement?", default=False):
        levels = [(lv.id, lv.name) for lv in profile.levels]
        if values["significant_harm"]:
            levels = [(profile.top.id, profile.top.name)]
        level = prompts.select("Your judgement:", levels, default=values["level"])
        reason = ""
        while not reason.strip():
            reason = prompts.text("Why does your judgement differ? (required)")
        answers["override"] = {"level": level, "reason": reason}
        values = build(profile, answers)
        show_result(profile, values)
    if not prompts.confirm("Save this assessment?", default=True):
        raise Cancelled("Not saved.")
    return values


def _sub(name: str) -> str:
    return (name or "").replace("-", " ").capitalize()
