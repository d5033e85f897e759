"""Families and members: field rules, references, and possible-duplicate matching.

Plain Python; no I/O. The store persists what these functions return.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ehtool.domain import validators as v
from ehtool.errors import InvalidInput

# Reference prefixes: F000123 (family), M000045 (member), A000012 (assessment),
# OFP000007 (One Family Plan), P000003 (panel sitting).
FAMILY_PREFIX, MEMBER_PREFIX, ASSESSMENT_PREFIX, PLAN_PREFIX, PANEL_PREFIX = "F", "M", "A", "OFP", "P"
REFERRAL_PREFIX = "R"
NETWORK_PREFIX, MEETING_PREFIX = "N", "G"  # people in the family's network; family group decision-making
ROLES = ("child", "parent", "carer", "other-adult", "unborn")
CHILD_ROLES = ("child", "unborn")  # the members thresholds, plans and retention are about
ROLE_ALIASES = {
    "other adult": "other-adult",
    "other_adult": "other-adult",
    "adult": "other-adult",
    "mother": "parent",
    "father": "parent",
    "mum": "parent",
    "dad": "parent",
    "expected baby": "unborn",
    "pregnancy": "unborn",
}
CLOSE_REASONS = (
    "needs-met",
    "stepped-up",
    "stepped-down",
    "moved-away",
    "consent-withdrawn",
    "no-further-action",
    "duplicate",
    "other",
)

# field -> (max length, multiline)
FAMILY_TEXT = {
    "name": (200, False),
    "address": (500, True),
    "language": (80, False),
    "referral_source": (120, False),
    "referral_reason": (2000, True),
    "lead": (120, False),
    "notes": (10000, True),
}
FAMILY_FIELDS = (
    "name",
    "address",
    "postcode",
    "locality",
    "language",
    "interpreter",
    "referral_source",
    "referral_date",
    "referral_reason",
    "lead",
    "notes",
)
MEMBER_TEXT = {"name": (200, False), "gender": (60, False), "ethnicity": (120, False), "school": (200, False)}
MEMBER_FIELDS = (
    "name",
    "role",
    "dob",
    "due_date",
    "gender",
    "ethnicity",
    "nhs_number",
    "upn",
    "school",
    "send",
    "ehcp",
    "young_carer",
)
MEMBER_FLAGS = ("send", "ehcp", "young_carer")


def family_ref(n: int) -> str:
    return f"{FAMILY_PREFIX}{n:06d}"


def member_ref(n: int) -> str:
    return f"{MEMBER_PREFIX}{n:06d}"


def assessment_ref(n: int) -> str:
    return f"{ASSESSMENT_PREFIX}{n:06d}"


def plan_ref(n: int) -> str:
    return f"{PLAN_PREFIX}{n:06d}"


def panel_ref(n: int) -> str:
    return f"{PANEL_PREFIX}{n:06d}"


def referral_ref(n: int) -> str:
    return f"{REFERRAL_PREFIX}{n:06d}"


def network_ref(n: int) -> str:
    return f"{NETWORK_PREFIX}{n:06d}"


def meeting_ref(n: int) -> str:
    return f"{MEETING_PREFIX}{n:06d}"


# A candidate row for the possible-duplicate checks (at least ``name_key``; returned as given).
_Candidate = TypeVar("_Candidate", bound=Mapping[str, Any])

_REF = re.compile(r"^\s*([A-Za-z]?)0*(\d{1,12})\s*$")


def parse_ref(text: str, prefix: str = FAMILY_PREFIX, what: str = "family") -> int:
    """'F000123', 'f123' and '123' all mean family 123."""
    m = _REF.match(str(text))
    if not m or (m.group(1) and m.group(1).upper() != prefix):
        raise InvalidInput(
            f"{text!r} is not a {what} reference.", hint=f"A {what} reference looks like {prefix}000123."
        )
    return int(m.group(2))


def looks_like_ref(text: str, prefix: str = FAMILY_PREFIX) -> bool:
    m = _REF.match(text)
    return bool(m and m.group(1) and m.group(1).upper() == prefix)


@dataclass
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _text(value: object, field: str, max_len: int, multiline: bool) -> str | None:
    return v.clean_text(value, field=field, max_len=max_len, multiline=multiline) or None


def match_locality(value: str, localities: Sequence[Mapping[str, str]]) -> str:
    """Return the canonical locality name; any name allowed when none configured."""
    text = v.clean_text(value, field="locality", max_len=120)
    if not text:
        return ""
    if not localities:
        return text
    key = text.casefold()
    for loc in localities:
        if key in (str(loc.get("id", "")).casefold(), str(loc.get("name", "")).casefold()):
            return loc["name"]
    names = ", ".join(loc["name"] for loc in localities)
    raise InvalidInput(f"locality {text!r} is not one of this partnership's localities: {names}.")


def clean_family(
    raw: Mapping[str, Any],
    *,
    localities: Sequence[Mapping[str, str]],
    partial: bool = False,
    today: dt.date | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Validate family fields. Returns (clean values, problems). With
    ``partial`` only the keys present are checked (an edit)."""
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for field in FAMILY_FIELDS:
        if field not in raw:
            continue
        value = raw[field]
        try:
            if field in FAMILY_TEXT:
                out[field] = _text(value, field, *FAMILY_TEXT[field])
            elif field == "postcode":
                out[field] = v.normalise_postcode(value) if _present(value) else None
            elif field == "locality":
                out[field] = match_locality(value, localities) if _present(value) else None
            elif field == "interpreter":
                out[field] = v.parse_bool(value) if not isinstance(value, bool) else value
            elif field == "referral_date":
                if _present(value):
                    d = v.parse_date(value, field="referral date")
                    if d > (today or v.today_london()):
                        raise InvalidInput("referral date is in the future")
                    out[field] = d.isoformat()
                else:
                    out[field] = None
        except InvalidInput as exc:
            problems.append(Problem(field, exc.message))
    if not partial or "name" in raw:
        if not out.get("name"):
            problems.append(Problem("name", "a family name or label is required (for example 'Okafor family')"))
    return out, problems


def clean_member(
    raw: Mapping[str, Any], *, partial: bool = False, today: dt.date | None = None
) -> tuple[dict[str, Any], list[Problem], list[str]]:
    """Validate member fields. Returns (clean values, problems, warnings)."""
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    warnings: list[str] = []
    for field in MEMBER_FIELDS:
        if field not in raw:
            continue
        value = raw[field]
        try:
            if field in MEMBER_TEXT:
                out[field] = _text(value, field, *MEMBER_TEXT[field])
            elif field == "role":
                out[field] = parse_role(value) if _present(value) else None
            elif field == "dob":
                out[field] = v.parse_dob(value, today=today).isoformat() if _present(value) else None
            elif field == "due_date":
                out[field] = v.parse_due_date(value, today=today).isoformat() if _present(value) else None
            elif field == "nhs_number":
                out[field] = v.normalise_nhs_number(value) if _present(value) else None
            elif field == "upn":
                if _present(value):
                    out[field], warns = v.normalise_upn(value)
                    warnings.extend(f"upn: {w}" for w in warns)
                else:
                    out[field] = None
            elif field in MEMBER_FLAGS:
                out[field] = value if isinstance(value, bool) else v.parse_bool(value)
        except InvalidInput as exc:
            problems.append(Problem(field.replace("_", " "), exc.message))
    if not partial or "name" in raw:
        if not out.get("name"):
            problems.append(Problem("name", "a name is required"))
    if not partial or "role" in raw:
        if not out.get("role") and not any(p.field == "role" for p in problems):
            problems.append(Problem("role", f"a role is required: one of {', '.join(ROLES)}"))
    problems.extend(birth_date_problems(out.get("role"), out.get("dob"), out.get("due_date")))
    return out, problems, warnings


def birth_date_problems(role: str | None, dob: str | None, due_date: str | None) -> list[Problem]:
    """An unborn child has an expected due date, everyone else a date of birth."""
    problems = []
    if role == "unborn" and dob:
        problems.append(Problem("dob", "an unborn child has an expected due date (--due-date), not a date of birth"))
    if role and role != "unborn" and due_date:
        problems.append(Problem("due date", "only an unborn child has an expected due date; use --dob"))
    return problems


def parse_role(value: object) -> str:
    text = str(value).strip().casefold()
    text = ROLE_ALIASES.get(text, text)
    if text not in ROLES:
        raise InvalidInput(f"role {value!r} is not one of: {', '.join(ROLES)}")
    return text


def _present(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def raise_problems(problems: list[Problem], what: str) -> None:
    if problems:
        if len(problems) == 1:
            raise InvalidInput(f"{what}: {problems[0]}.")
        raise InvalidInput(f"{what}: {len(problems)} problems.", problems=[str(p) for p in problems])


# -- possible duplicates -----------------------------------------------------------


def duplicate_family(name_key: str, postcode: str | None, candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Candidates: existing families at the same postcode ({id, name, name_key})."""
    if not postcode:
        return []
    return [c for c in candidates if v.similar_names(name_key, c["name_key"])]


def duplicate_member(name_key: str, dob: str | None, candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Candidates: existing members with the same date of birth."""
    if not dob:
        return []
    return [c for c in candidates if v.similar_names(name_key, c["name_key"])]
