"""The interactive threshold questionnaire: the household's domains once, then each
child's developmental needs in turn (only the indicators the child's age allows, with
the child's name and age in the prompt), then each child's words. The significant-harm
banner goes up the moment such an indicator is ticked (not at the end), naming the
child; then the result, an optional practitioner judgement, and nothing saved unless
the coordinator confirms. Ctrl-C at any point saves nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ehtool.domain.assessments import DOMAIN_TITLES, HOUSEHOLD_DOMAINS, build
from ehtool.domain.children import Answers, Child, offered_for_child, offered_for_household
from ehtool.errors import Cancelled
from ehtool.term import prompts

if TYPE_CHECKING:
    from ehtool.domain.thresholds import Indicator, Profile

_TICK = "(space to tick, enter when done; enter alone if none apply)"


def ask(
    profile: Profile,
    children: Sequence[Child] = (),
    *,
    on_harm: Callable,
    show_result: Callable,
    complete: bool = True,
) -> dict:
    """The questionnaire; returns the values to save. ``on_harm(profile, indicators, child)``
    shows the banner at once; ``show_result(profile, values)`` shows the result before
    confirming. Ctrl-C, or "no" to saving, raises Cancelled."""
    prompts.require_terminal(
        "The threshold questionnaire", "--answers FILE (JSON or TOML; the format is in the README)"
    )
    answers = Answers()
    warned: set[str] = set()

    def harm(picked: list[str], who: str) -> None:
        found = [ind for i in picked if (ind := profile.indicator(i)) is not None and ind.significant_harm]
        if found and who not in warned:
            on_harm(profile, found, None if who == "household" else who)
            warned.add(who)

    household = offered_for_household(profile, children)
    domains = HOUSEHOLD_DOMAINS if children else tuple(DOMAIN_TITLES)
    for domain in domains:
        inds = [i for i in (household if children else profile.indicators) if i.domain == domain]
        picked = _tick(profile, f"{DOMAIN_TITLES[domain]}: which apply to the household?", inds)
        answers.household.extend(picked)
        harm(picked, "household")
    if len(children) > 1 and answers.household:
        _affects(answers, children)
    for child in children:
        who = f"{child.member_id} {child.first_name}".strip()
        picked = _tick(
            profile,
            f"{DOMAIN_TITLES['child-development']}: {child.first_name} ({child.member_id}, {child.age_text()}): "
            "which apply?",
            offered_for_child(profile, child),
        )
        if picked:
            answers.children[child.member_id] = picked
        harm(picked, who)
    texts: dict[str, Any] = {"family_view": prompts.text("The family's view, in their words (enter to skip):")}
    for child in children:
        words = prompts.text(f"{child.first_name}'s own words ({child.member_id}; enter to skip):")
        if words.strip():
            answers.child_views[child.member_id] = words
    if not children:
        texts["child_view"] = prompts.text("The child's own words (enter to skip):")
    return _conclude(profile, children, answers, texts, show_result, complete)


def _conclude(
    profile: Profile,
    children: Sequence[Child],
    answers: Answers,
    texts: dict[str, Any],
    show_result: Callable,
    complete: bool,
) -> dict:
    values = build(profile, texts, children, parsed=answers, complete=complete)
    show_result(profile, values)
    if prompts.confirm("Record a different level from your own professional judgement?", default=False):
        levels = [(lv.id, lv.name) for lv in profile.levels]
        if values["significant_harm"]:
            levels = [(profile.top.id, profile.top.name)]
        level = prompts.select("Your judgement:", levels, default=values["level"])
        reason = ""
        while not reason.strip():
            reason = prompts.text("Why does your judgement differ? (required)")
        texts["override"] = {"level": level, "reason": reason}
        values = build(profile, texts, children, parsed=answers, complete=complete)
        show_result(profile, values)
    if not prompts.confirm("Save this assessment?", default=True):
        raise Cancelled("Not saved.")
    return values


def _tick(profile: Profile, question: str, inds: Sequence[Indicator]) -> list[str]:
    if not inds:
        return []
    choices = [
        (
            i.id,
            f"{_sub(i.subdomain)}: {i.text}  [{profile.resolve_level(i.level).name}]"
            + (f" ({i.age_band})" if i.age_band else ""),
        )
        for i in inds
    ]
    return prompts.checkbox(question, choices, instruction=_TICK)


def _affects(answers: Answers, children: Sequence[Child]) -> None:
    """Whom each household answer affects, when it is not every child."""
    if prompts.confirm("Do these household needs affect all the children?", default=True):
        return
    choices = [(c.member_id, f"{c.first_name} ({c.member_id}, {c.age_text()})") for c in children]
    for ident in answers.household:
        picked = prompts.checkbox(f"{ident}: which children does it affect?", choices, instruction=_TICK)
        if picked and len(picked) < len(children):
            answers.affects[ident] = picked


def _sub(name: str) -> str:
    return (name or "").replace("-", " ").capitalize()
