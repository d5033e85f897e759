"""Retention rules: how long a family's records are kept after its episode closes.

Pure: no I/O. The policy is configuration held in the database (meta key
``retention``), never code:

    {"basis": "youngest-child-age", "age": 25, "no_children_years": 6}

The rule for ``youngest-child-age``:

* An open family is never due: its records are kept while it is open.
* A closed family with children is kept until the later of its closure date and
  the day its youngest child reaches ``age`` (by default the 25th birthday).
* Who counts as a child: every member with the role ``child`` or ``unborn``, and
  any other member who was under 18 on the closure date (a young parent or carer).
  An unborn child counts from the expected due date. A child whose date of birth
  is not recorded counts as born on the closure date (every registered child was
  born by then, so this can only keep records longer, never shorter).
* A closed family with no children: ``no_children_years`` after closure
  (by default 6 years).
* A 29 February birthday falls on 1 March in a year without one.
* ``retain_until`` is the last day the records must be kept: they are due for
  destruction on the day after it (``is_due``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ehtool.domain.families import CHILD_ROLES
from ehtool.domain.validators.dates import as_date
from ehtool.errors import InvalidInput

BASES = ("youngest-child-age",)
ADULT_AGE = 18
AGE_RANGE = (18, 100)  # below 18 would destroy a current child's records
YEARS_RANGE = (1, 100)


@dataclass(frozen=True)
class Policy:
    basis: str = "youngest-child-age"
    age: int = 25
    no_children_years: int = 6

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        return (
            f"Closed families are kept until their youngest child's {_ordinal(self.age)} birthday "
            f"(counted from closure if that is later; an unborn child from the due date); "
            f"families with no children for {self.no_children_years} years after closure. "
            "Open families and families on legal hold are never due."
        )


# {"basis": "youngest-child-age", "age": 25, "no_children_years": 6}
DEFAULT_POLICY: dict[str, Any] = Policy().as_dict()


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _check_int(value: object, name: str, bounds: tuple[int, int]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"retention {name} {value!r} is not a whole number.")
    lo, hi = bounds
    if not lo <= value <= hi:
        raise InvalidInput(f"retention {name} {value} is outside {lo} to {hi}.")
    return value


def parse_policy(raw: object) -> Policy:
    """The policy from its stored form; ``None`` (never set) gives the default."""
    if raw is None:
        return Policy()
    if not isinstance(raw, dict):
        raise InvalidInput(
            "The stored retention policy is not an object.",
            hint="Set it again with `ehtool retention policy --age N --no-children-years N`.",
        )
    merged: dict[str, Any] = {**DEFAULT_POLICY, **raw}
    unknown = sorted(set(merged) - set(DEFAULT_POLICY))
    if unknown:
        raise InvalidInput(f"The stored retention policy has unknown keys: {', '.join(unknown)}.")
    if merged["basis"] not in BASES:
        raise InvalidInput(f"retention basis {merged['basis']!r} is not one of: {', '.join(BASES)}.")
    return Policy(
        basis=merged["basis"],
        age=_check_int(merged["age"], "age", AGE_RANGE),
        no_children_years=_check_int(merged["no_children_years"], "no-children-years", YEARS_RANGE),
    )


def changed_policy(current: Policy, *, age: int | None = None, no_children_years: int | None = None) -> Policy:
    return parse_policy(
        {
            **current.as_dict(),
            **({"age": age} if age is not None else {}),
            **({"no_children_years": no_children_years} if no_children_years is not None else {}),
        }
    )


def add_years(day: _dt.date, years: int) -> _dt.date:
    """The same day ``years`` later; 29 February becomes 1 March in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return _dt.date(day.year + years, 3, 1)


def is_child(member: Mapping[str, Any], closed_on: _dt.date) -> bool:
    if member.get("role") in CHILD_ROLES:
        return True
    dob = as_date(member.get("dob"), strict=True)
    return dob is not None and add_years(dob, ADULT_AGE) > closed_on


def retain_until(
    *, status: str, closed_on: _dt.date | str | None, members: Iterable[Mapping[str, Any]], policy: Policy
) -> tuple[_dt.date | None, str]:
    """(last day to keep, why) for one family. ``members``: dicts with role, dob, due_date.
    The reason names no one and gives no date of birth beyond what the date implies."""
    if status != "closed":
        return None, "open: kept while the family is open"
    closed = as_date(closed_on, strict=True)
    if closed is None:
        return None, "closed without a closure date: kept until one is recorded"
    children = [m for m in members if is_child(m, closed)]
    if not children:
        return (
            add_years(closed, policy.no_children_years),
            f"no children: {policy.no_children_years} years after closure",
        )
    born = []
    unknown = False
    for m in children:
        day = as_date(m.get("dob"), strict=True) or as_date(m.get("due_date"), strict=True)
        if day is None:
            unknown = True
            day = closed
        born.append(day)
    youngest = max(born)
    until = add_years(youngest, policy.age)
    if until <= closed:
        return closed, f"youngest child was already {policy.age} at closure"
    why = f"youngest child's {_ordinal(policy.age)} birthday"
    if unknown and youngest == closed:
        why += " (a child's date of birth is not recorded: counted from closure)"
    return until, why


def is_due(until: _dt.date | str | None, on: _dt.date) -> bool:
    """Due for destruction: ``on`` is after the last day to keep."""
    day = as_date(until, strict=True)
    return day is not None and on > day


def purge_refusal(
    *,
    ref: str,
    status: str,
    until: _dt.date | str | None,
    legal_hold: bool,
    hold_reason: str | None,
    on: _dt.date,
    force: bool,
) -> tuple[str, str] | None:
    """Why a purge must not go ahead, as (message, hint); ``None`` when it may.
    A legal hold always refuses (release it first, which is audited); the
    retention date can be overridden with ``force`` (an erasure request)."""
    if legal_hold:
        return (
            f"{ref} is on legal hold ({hold_reason or 'no reason recorded'}); it will not be purged.",
            f"If the hold no longer applies, release it first: `ehtool retention release {ref}`.",
        )
    if force:
        return None
    if status != "closed":
        return (
            f"{ref} is open; an open family's records are kept while it is open.",
            "For an erasure request, pass --force-before-date --reason '...'.",
        )
    if not is_due(until, on):
        when = as_date(until, strict=True)
        return (
            f"{ref} is kept until {when.isoformat() if when else 'a date not yet known'} "
            "under the retention policy; it is not due yet.",
            "For an erasure request, pass --force-before-date --reason '...'.",
        )
    return None
