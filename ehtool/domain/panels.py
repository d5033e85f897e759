"""Locality panels: why a family comes to panel, what the panel can decide,
and how families are shown on pseudonymised panel papers.

Pure domain: no I/O, no openpyxl. The agenda workbook
(``ehtool.documents.agenda``) and the panel commands use these.

Pseudonymisation (DOMAIN.md, "Data protection"): panel papers are circulated
by email and printed, so by default a family is shown by its reference and
initials only. :func:`initials` never returns more than the first letter of
each part of a name.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from ehtool.domain.validators.dates import age_label, as_date

# Why a family is on the agenda: id -> label (in the order a chair expects).
REASONS: Mapping[str, str] = MappingProxyType(
    {
        "new-referral": "New referral",
        "step-up": "Step-up",
        "step-down": "Step-down",
        "review": "Review",
        "closure": "Closure",
        "escalation": "Escalation",
    }
)


def _key(value: str) -> str:
    return " ".join(value.split()).casefold()


_REASON_LOOKUP = {}
for _id, _label in REASONS.items():
    _REASON_LOOKUP[_key(_id)] = _id
    _REASON_LOOKUP[_key(_label)] = _id
del _id, _label


def reason_id(value: Any) -> str | None:
    """The reason id for a reason id or label (case-insensitive), or None."""
    if not isinstance(value, str):
        return None
    return _REASON_LOOKUP.get(_key(value))


def reason_label(value: str) -> str:
    """The label for a reason id or label; raises KeyError if unknown."""
    rid = reason_id(value)
    if rid is None:
        raise KeyError(value)
    return REASONS[rid]


# --------------------------------------------------------------------------
# Pseudonymised names

_PART_SPLIT = re.compile(r"[\s.]+")


def initials(name: str | None) -> str:
    """Initials for a pseudonymised paper: "Amara Okafor-Smith" -> "A.O-S.".

    Each word gives its first letter followed by a full stop; the parts of a
    hyphenated word keep their hyphen ("Okafor-Smith" -> "O-S.") so that a
    chair can tell "A.O-S." from "A.O." in the same family. Full stops count
    as word breaks, so the result is stable: ``initials("A.O-S.")`` is
    "A.O-S.". Apostrophes stay inside a word ("O'Neill" -> "O."). Letters are
    upper-cased. Characters that are not letters are never shown; a name
    with no letters gives "".
    """
    if not name:
        return ""
    out = []
    for word in _PART_SPLIT.split(str(name)):
        letters = []
        for part in word.split("-"):
            first = next((ch for ch in part if ch.isalpha()), None)
            if first is not None:
                letters.append(first.upper()[0])
        if letters:
            out.append("-".join(letters) + ".")
    return "".join(out)


# One initial is a letter and a full stop; hyphenated parts join with "-".
_INITIALS = r"(?:[^\W\d_](?:-[^\W\d_])*\.)+"
_INITIALS_RE = re.compile(rf"^{_INITIALS}$")
_CHILD_RE = re.compile(rf"^(?:unborn|(?:{_INITIALS} )?\((?:\d+m?|\?|unborn)\))$")


def is_initials(text: str | None) -> bool:
    """True if ``text`` is initials as :func:`initials` writes them (or empty)."""
    text = (text or "").strip()
    return not text or bool(_INITIALS_RE.match(text))


def is_children_summary(text: str | None) -> bool:
    """True if ``text`` is a :func:`children_summary` of initials (or empty)."""
    text = (text or "").strip()
    if not text:
        return True
    return all(_CHILD_RE.match(part.strip()) for part in text.split(","))


def _get(member: Any, *names: str) -> Any:
    for name in names:
        if isinstance(member, Mapping):
            if member.get(name) is not None:
                return member[name]
        elif getattr(member, name, None) is not None:
            return getattr(member, name)
    return None


def children_summary(members: Iterable[Any], on_date: _dt.date | str, *, named: bool = False) -> str:
    """The children of a family for a panel paper: "A.O. (7), B.O. (9m), unborn".

    ``members`` are rows of the members table (mappings or objects) with
    ``name``, ``role`` ("child", "unborn", adults...), ``dob`` and, for an
    unborn child, ``due_date``. Adults are left out. Children are listed
    oldest first, each as initials (or the full name when ``named``) with
    their age on ``on_date``: years, or months under 2. A child with no date
    of birth shows "(?)"; an unborn child (or one whose date of birth is
    after ``on_date``) shows "unborn", listed last.
    """
    on = as_date(on_date)
    if on is None:
        raise ValueError(f"not a date: {on_date!r}")
    born: list[tuple[int, _dt.date | None, str]] = []
    unborn = 0
    for member in members:
        role = str(_get(member, "role") or "").strip().lower()
        if role not in ("child", "unborn"):
            continue
        dob = as_date(_get(member, "dob", "date_of_birth"))
        if role == "unborn" or (dob is not None and dob > on):
            unborn += 1
            continue
        name = _get(member, "name") or ""
        shown = " ".join(str(name).split()) if named else initials(name)
        age = age_label(dob, on, style="panel") if dob is not None else "?"
        text = f"{shown} ({age})" if shown else f"({age})"
        # oldest first; unknown dates of birth after the known ones
        born.append((0 if dob else 1, dob or _dt.date.max, text))
    born.sort(key=lambda t: (t[0], t[1]))
    return ", ".join([t[2] for t in born] + ["unborn"] * unborn)


# -- recording decisions over what is already recorded ---------------------------------

# What a chair records for an item: the workbook's / the command's key -> the stored column.
DECISION_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "decision": "decision",
        "notes": "decision_notes",
        "actions": "actions",
        "allocated_to": "allocated_to",
    }
)
# The most a chair's entry (notes, actions, allocated to) may hold, typed or read from a workbook.
MAX_CHAIR_TEXT = 4000
_FIELD_LABELS = {"decision": "Decision", "notes": "Notes", "actions": "Actions", "allocated_to": "Allocated to"}


def merge_decision(
    stored: Mapping[str, Any], given: Mapping[str, Any], *, overwrite: bool
) -> tuple[dict[str, Any], list[str]]:
    """What recording ``given`` over the ``stored`` panel item changes.

    A blank (None) value leaves what is stored alone, so a row with only Notes
    typed, or an older copy of the workbook read again, never erases a decision.
    A value equal to the stored one changes nothing. A value that differs from
    one already recorded is a conflict unless ``overwrite``. Returns (the
    changed fields {key: new value}, conflicts as sentences with no free text
    in them, since notes may name people)."""
    changed: dict[str, Any] = {}
    conflicts: list[str] = []
    for key, column in DECISION_FIELDS.items():
        value = given.get(key)
        current = stored.get(column)
        if value is None or value == current:
            continue
        if current is not None and not overwrite:
            if key == "decision":
                conflicts.append(f"the decision recorded is {current!r}, the new one {value!r}")
            else:
                conflicts.append(f"the {_FIELD_LABELS[key]} recorded differ from the new ones")
            continue
        changed[key] = value
    return changed, conflicts
