"""A threshold assessment's values: answers read for the family's children, evaluated
against a profile (per child, then the family), with its dates and judgement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ehtool.domain import validators as v
from ehtool.domain.children import Answers, Child, place
from ehtool.domain.thresholds import Profile, Result, check_override
from ehtool.errors import InvalidInput

DOMAIN_TITLES = {
    "child-development": "Child's developmental needs",
    "parenting-capacity": "Parenting capacity",
    "family-environment": "Family and environmental factors",
}
HOUSEHOLD_DOMAINS = ("parenting-capacity", "family-environment")
ANSWER_KEYS = frozenset(
    {
        "indicators",
        "children",
        "household",
        "family_view",
        "child_view",
        "notes",
        "override",
        "assessed_on",
        "started_on",
        "completed_on",
        "organisation",
    }
)


def answers_from(profile: Profile, data: Mapping[str, Any], children: Sequence[Child]) -> Answers:
    """The answers in an answers file (already checked for shape), for these children.

    ``{"children": {M: {"indicators", "child_view"}}, "household": {"indicators", "affects"}}``;
    or the flat ``{"indicators": [...]}`` where it is unambiguous: with one child, its
    child-level ids are that child's; with several, child-level ids are refused by name.
    A top-level ``child_view`` with several children (whose words?) is refused too."""
    if data.get("child_view") and (len(children) > 1 or (children and "indicators" not in data)):
        raise InvalidInput(
            "Whose words are these? This family's children each have their own: give them as "
            '"children": {"M000001": {"child_view": "..."}}.',
            hint="A top-level child_view is only for a family with one child, in the flat form.",
        )
    if "indicators" in data:
        ids = [str(i).strip() for i in data["indicators"]]
        about_a_child = [i for i in ids if (ind := profile.indicator(i)) is not None and ind.child_level]
        if len(children) > 1 and about_a_child:
            raise InvalidInput(
                f"This family has {len(children)} children: say which child each of these is about: "
                + ", ".join(f'"{i}"' for i in about_a_child)
                + ".",
                hint='Use {"children": {"M000001": {"indicators": [...]}}, "household": {"indicators": [...]}} '
                "(the answers-file format in the README).",
            )
        views: dict[str, str] = {}
        if len(children) == 1 and data.get("child_view"):
            views[children[0].member_id] = str(data["child_view"])
        if len(children) == 1:
            own = {children[0].member_id: about_a_child} if about_a_child else {}
            return Answers(own, [i for i in ids if i not in about_a_child], {}, views)
        return Answers({}, ids, {}, views)
    per_child = data.get("children") or {}
    household = data.get("household") or {}
    return Answers(
        {str(m): [str(i).strip() for i in (c.get("indicators") or [])] for m, c in per_child.items()},
        [str(i).strip() for i in (household.get("indicators") or [])],
        {str(i): [str(m) for m in ms] for i, ms in (household.get("affects") or {}).items() if ms},
        {str(m): str(c["child_view"]) for m, c in per_child.items() if c.get("child_view")},
    )


def dates(answers: Mapping[str, Any], *, today: dt.date, complete: bool) -> tuple[str, str | None]:
    """(started_on, completed_on): completion (``completed_on`` or the older ``assessed_on``)
    defaults to today when the assessment is completed now; the start defaults to the completion."""
    done_text = answers.get("completed_on") or answers.get("assessed_on")
    done = v.parse_date(done_text, field="completed_on") if done_text else today
    start_text = answers.get("started_on")
    start = v.parse_date(start_text, field="started_on") if start_text else (done if complete else today)
    if start > today:
        raise _invalid("started_on is in the future", "An assessment starts on or before today.")
    if complete and done < start:
        raise _invalid(
            f"completed_on {done.isoformat()} is before started_on {start.isoformat()}",
            "An assessment is completed on or after the day it started.",
        )
    if complete and done > today:
        raise _invalid("completed_on is in the future", "Record the completion on the day it happens.")
    return start.isoformat(), (done.isoformat() if complete else None)


def _invalid(message: str, hint: str) -> InvalidInput:
    return InvalidInput(message, hint=hint)


def build(
    profile: Profile,
    answers: Mapping[str, Any],
    children: Sequence[Child] = (),
    *,
    today: dt.date | None = None,
    complete: bool = True,
    parsed: Answers | None = None,
) -> dict[str, Any]:
    """Evaluate answers against the profile for the family's children; the values to save."""
    day = today or v.today_london()
    chosen = parsed if parsed is not None else answers_from(profile, answers, children)
    placement = place(profile, chosen, children)
    started_on, completed_on = dates(answers, today=day, complete=complete)
    child_values = [_child_values(profile, m, r, chosen, answers) for m, r in placement.children.items()]
    result = placement.family
    values: dict[str, Any] = {
        "assessed_on": completed_on or started_on,
        "started_on": started_on,
        "completed_on": completed_on,
        "organisation": _text(answers, "organisation", 200),
        "profile": profile.id,
        "profile_version": profile.version,
        "indicators": result.indicators,
        "computed_level": result.level,
        "level": result.level,
        "significant_harm": result.significant_harm,
        "override_direction": None,
        "override_reason": None,
        "explanation": result.explanation,
        "children": child_values,
        "answers": _answer_rows(chosen),
        "family_view": _text(answers, "family_view"),
        "child_view": _text(answers, "child_view") if not children else None,
        "notes": _text(answers, "notes"),
    }
    floor = _children_judged(profile, values, child_values)
    baseline = {"level": values["level"], "significant_harm": result.significant_harm}
    _judge(profile, values, answers.get("override"), baseline, floor=floor)
    return values


def _children_judged(profile: Profile, values: dict[str, Any], child_values: list[dict[str, Any]]) -> int:
    """The family's level follows its highest child's, practitioner judgements included (each
    such judgement is read out in the family's explanation). Returns the rank of the highest
    child judged by a practitioner (0 if none): the family's own judgement may not go below it."""
    if not child_values:
        return 0
    judged = max((profile.rank(c["level"]) for c in child_values if c["override_direction"]), default=0)
    top = max(profile.rank(c["level"]) for c in child_values)
    level = profile.levels[top - 1]
    if level.id != values["level"]:
        values["level"] = level.id
        values["explanation"] = [
            *values["explanation"],
            *(
                {
                    "kind": "judgement",
                    "id": c["member_id"],
                    "level": c["level"],
                    "text": f"{c['member_id']}: practitioner judgement {level.name} ({c['override_direction']} the "
                    f"threshold result). Reason: {c['override_reason']}",
                }
                for c in child_values
                if c["override_direction"] and c["level"] == level.id
            ),
        ]
    return judged


def _text(answers: Mapping[str, Any], key: str, max_len: int = 10000) -> str | None:
    text = answers.get(key)
    if not text:
        return None
    return v.clean_text(text, field=key, max_len=max_len, multiline=max_len > 200) or None


def _child_values(
    profile: Profile, member_id: str, r: Result, chosen: Answers, answers: Mapping[str, Any]
) -> dict[str, Any]:
    view = chosen.child_views.get(member_id)
    child = {
        "member_id": member_id,
        "level": r.level,
        "computed_level": r.level,
        "significant_harm": r.significant_harm,
        "indicators": list(r.indicators),
        "explanation": [dict(e) for e in r.explanation],
        "child_view": (
            v.clean_text(view, field=f"child_view of {member_id}", max_len=10000, multiline=True) or None
            if view
            else None
        ),
        "override_direction": None,
        "override_reason": None,
    }
    per_child = (answers.get("children") or {}).get(member_id) or {}
    _judge(profile, child, per_child.get("override"), r)
    return child


def _judge(
    profile: Profile, values: dict[str, Any], override: Any, result: Result | Mapping[str, Any], *, floor: int = 0
) -> None:
    """Apply a practitioner's different judgement ({level, reason}) to ``values``; a family's
    judgement may not fall below a child's judged level (``floor``, a rank)."""
    if not override:
        return
    reason = v.clean_text(override.get("reason") or "", field="override reason", max_len=2000, multiline=True)
    direction = check_override(profile, result, str(override["level"]), reason)
    chosen = profile.resolve_level(str(override["level"]))
    if chosen.rank < floor:
        raise InvalidInput(
            f"A child of this family was judged {profile.levels[floor - 1].name}; the family's level "
            f"({chosen.name}) cannot be below it.",
            hint="Change that child's judgement instead (children.M...override in the answers file).",
        )
    if direction == "same":
        return
    values["level"] = chosen.id
    values["override_direction"] = direction
    values["override_reason"] = reason
    values["explanation"] = [
        *values["explanation"],
        {
            "kind": "judgement",
            "id": None,
            "level": chosen.id,
            "text": f"Practitioner judgement: {chosen.name} ({direction} the threshold result). Reason: {reason}",
        },
    ]


def _answer_rows(chosen: Answers) -> list[tuple[str, str, str | None]]:
    """(indicator, scope, member reference or None) for every answer."""
    rows: list[tuple[str, str, str | None]] = []
    for member_id, ids in chosen.children.items():
        rows.extend((i, "child", member_id) for i in sorted(set(ids)))
    for ident in sorted(set(chosen.household)):
        affected = chosen.affects.get(ident)
        if affected:
            rows.extend((ident, "household", m) for m in sorted(set(affected)))
        else:
            rows.append((ident, "household", None))
    return rows
