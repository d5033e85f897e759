"""Thresholds apply to children: who is assessed, which indicators fit each child's age,
and how a family's answers place each child and then the family.

A child-level indicator (the child's developmental needs) belongs to one child and is
offered only when the child's age on the assessment date is inside its age band. A
household indicator (parenting capacity, family and environmental factors) belongs to
the household and affects the children it names, or all of them; one with an age band
is offered only when some child fits it. Each child's level is the engine's result for
their own indicators and the household indicators affecting them; the family's level is
the highest child's (with no children, the household's answers place the family).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ehtool.domain.families import CHILD_ROLES
from ehtool.domain.profile_schema.validation_indicators import AGE_BAND
from ehtool.domain.thresholds import Indicator, Profile, Result, evaluate
from ehtool.domain.validators import age_years, as_date
from ehtool.errors import InvalidInput


@dataclass(frozen=True)
class Child:
    """A child (or unborn child) of the family as the assessment sees them."""

    member_id: str  # the member reference, M000001
    first_name: str  # for a terminal only; never in JSON, logs or errors
    age: int | None  # whole years on the assessment date; None when not known
    unborn: bool = False

    def age_text(self) -> str:
        if self.unborn:
            return "unborn"
        return "age not recorded" if self.age is None else f"age {self.age}"


def children_of(members: Iterable[Mapping[str, Any]], on: dt.date) -> list[Child]:
    """The family's children (role child or unborn), oldest first, their ages on ``on``."""
    out: list[Child] = []
    for m in members:
        if m.get("role") not in CHILD_ROLES:
            continue
        dob = as_date(m.get("dob"))
        unborn = m.get("role") == "unborn" or (dob is not None and dob > on)  # not yet born on that day
        age = None if unborn or dob is None else age_years(dob, on)
        first = str(m.get("name") or "").split(" ")[0]
        out.append(Child(str(m["id"]), first, age, unborn))
    return sorted(out, key=lambda c: (c.unborn, -(c.age if c.age is not None else -1), c.member_id))


def fits(band: str | None, child: Child) -> bool:
    """Is the child inside the age band? No band, or an age not known: yes. An unborn
    child fits only a band that starts with "unborn"."""
    if not band:
        return True
    m = AGE_BAND.match(band)
    if m is None:
        return True
    low, high = m.group(1), int(m.group(2))
    if child.unborn:
        return low == "unborn"
    if child.age is None:
        return True
    return (0 if low == "unborn" else int(low)) <= child.age <= high


def offered_for_child(profile: Profile, child: Child) -> list[Indicator]:
    """The child-level indicators this child's age allows, in profile order."""
    return [i for i in profile.indicators if i.child_level and fits(i.age_band, child)]


def offered_for_household(profile: Profile, children: Sequence[Child]) -> list[Indicator]:
    """The household indicators, those with an age band only when some child fits it."""
    return [
        i
        for i in profile.indicators
        if not i.child_level and (not i.age_band or not children or any(fits(i.age_band, c) for c in children))
    ]


@dataclass
class Answers:
    """What the assessor ticked: per child, for the household (and whom each household
    answer affects; absent means every child), and the words recorded."""

    children: dict[str, list[str]] = field(default_factory=dict)
    household: list[str] = field(default_factory=list)
    affects: dict[str, list[str]] = field(default_factory=dict)
    child_views: dict[str, str] = field(default_factory=dict)

    def all_indicators(self) -> list[str]:
        ids = set(self.household)
        for chosen in self.children.values():
            ids.update(chosen)
        return sorted(ids)

    def affected(self, profile: Profile, indicator: str, children: Sequence[Child]) -> list[str]:
        """The children a household answer affects: those it names, else every child whose age
        fits its band (every child, for an indicator with no band)."""
        named = self.affects.get(indicator)
        if named:
            return list(named)
        ind = profile.indicator(indicator)
        band = ind.age_band if ind is not None else None
        return [c.member_id for c in children if fits(band, c)]

    def for_child(self, profile: Profile, child: Child, children: Sequence[Child]) -> list[str]:
        """The child's own answers and the household answers that affect them."""
        own = list(self.children.get(child.member_id, []))
        shared = [i for i in self.household if child.member_id in self.affected(profile, i, children)]
        return sorted(set(own) | set(shared))


@dataclass(frozen=True)
class Placement:
    """Where the answers place each child, and the family."""

    family: Result
    children: dict[str, Result]  # member reference -> the child's result, in the order of the children


def check(profile: Profile, answers: Answers, children: Sequence[Child]) -> None:
    """Refuse answers that do not fit the family: unknown ids, a household indicator
    given for one child, a child-level one for the household, an indicator outside
    a child's age band, a child who is not the family's. All problems at once."""
    known = {c.member_id: c for c in children}
    problems: list[str] = []
    evaluate(profile, answers.all_indicators())  # unknown indicator ids: InvalidInput naming them all
    for member_id, chosen in answers.children.items():
        child = known.get(member_id)
        if child is None:
            problems.append(f"{member_id} is not a child of this family")
            continue
        for ident in chosen:
            ind = profile.indicator(ident)
            if ind is not None and not ind.child_level:
                problems.append(f'"{ident}" is a household indicator: give it under "household", not for {member_id}')
            elif ind is not None and not fits(ind.age_band, child):
                problems.append(
                    f'"{ident}" (ages {ind.age_band}) does not fit {member_id} ({child.age_text()}) on the assessment date'
                )
    for ident in answers.household if children else ():  # no children: a household assessment as before
        ind = profile.indicator(ident)
        if ind is not None and ind.child_level:
            problems.append(f'"{ident}" is about one child: give it under "children" for the child it is about')
    for ident, members in answers.affects.items():
        if ident not in answers.household:
            problems.append(f'"affects" names "{ident}", which is not one of the household indicators')
        problems.extend(
            f'"affects" for "{ident}": {m} is not a child of this family' for m in members if m not in known
        )
    problems.extend(_household_bands(profile, answers, children))
    if problems:
        raise InvalidInput(
            "The answers do not fit this family: "
            + problems[0]
            + ("" if len(problems) == 1 else f" (+{len(problems) - 1} more)"),
            hint="Each child-level indicator names its child and fits the child's age; household ones go under "
            '"household" (see the answers-file format in the README).',
            problems=problems,
        )


def _household_bands(profile: Profile, answers: Answers, children: Sequence[Child]) -> list[str]:
    """A household answer with an age band must fit some child, and every child it names."""
    problems: list[str] = []
    known = {c.member_id: c for c in children}
    for ident in answers.household if children else ():
        ind = profile.indicator(ident)
        if ind is None or not ind.age_band:
            continue
        named = [known[m] for m in answers.affects.get(ident, []) if m in known]
        problems.extend(
            f'"{ident}" (ages {ind.age_band}) does not fit {c.member_id} ({c.age_text()}) on the assessment date'
            for c in named
            if not fits(ind.age_band, c)
        )
        if not named and not any(fits(ind.age_band, c) for c in children):
            problems.append(f'"{ident}" (ages {ind.age_band}) fits none of the children on the assessment date')
    return problems


def place(profile: Profile, answers: Answers, children: Sequence[Child]) -> Placement:
    """Each child's result, then the family's: the highest child's level. With no
    children the household's answers place the family (as before children were assessed)."""
    check(profile, answers, children)
    results = {c.member_id: evaluate(profile, answers.for_child(profile, c, children)) for c in children}
    for member_id, r in results.items():
        for entry in r.explanation:
            if entry["kind"] == "significant-harm":  # names the child (by reference only)
                entry["text"] = f"{member_id}: {entry['text']}"
    if not results:
        return Placement(evaluate(profile, answers.household), {})
    return Placement(_family_result(profile, answers, results), results)


def _family_result(profile: Profile, answers: Answers, results: Mapping[str, Result]) -> Result:
    """The family's result: the highest child's level, significant harm if any child's."""
    top_rank = max(r.rank for r in results.values())
    level = profile.levels[top_rank - 1]
    harmed = [m for m, r in results.items() if r.significant_harm]
    explanation: list[dict[str, Any]] = []
    seen: set[tuple[str, Any]] = set()
    for member_id, r in results.items():
        if r.rank == top_rank or r.significant_harm:
            explanation.append(
                {"kind": "child", "id": member_id, "level": r.level, "text": f"{member_id}: {r.level_name}."}
            )
    for r in results.values():
        if r.rank != top_rank and not r.significant_harm:
            continue
        for entry in r.explanation:
            key = (entry["kind"], entry["id"] if entry["id"] is not None else entry["text"])
            if key not in seen:
                seen.add(key)
                explanation.append(dict(entry))
    if len(harmed) > 1:  # one entry for the family, naming every child it is about
        for entry in explanation:
            if entry["kind"] == "significant-harm":
                entry["text"] = ", ".join(harmed) + ": " + entry["text"].split(": ", 1)[1]
    return Result(
        profile.id,
        level.id,
        level.name,
        level.rank,
        level.pathway,
        bool(harmed),
        dict(profile.front_door) if harmed else None,
        answers.all_indicators(),
        explanation,
    )
