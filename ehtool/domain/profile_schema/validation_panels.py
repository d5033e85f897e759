"""Threshold profile validation: the ``[[decisions]]`` a panel can make and the ``[[panel_kinds]]``.

Both are merged over the bundled defaults (:mod:`ehtool.domain.decisions`): a block with a
default's id replaces it, a new id adds one. A new decision's effect is ``none`` (a label only)
unless it names one of the effects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ehtool.domain.decisions import (
    DEFAULT_DECISIONS,
    DEFAULT_PANEL_KINDS,
    EFFECTS,
    Decision,
    PanelKind,
    key,
    merged,
    merged_kinds,
)
from ehtool.domain.profile_schema.model import _norm

if TYPE_CHECKING:
    from ehtool.domain.profile_schema.validation_checker import _Checker

_DECISION_KEYS = {"id", "label", "meaning", "effect"}
_KIND_KEYS = {"id", "name", "decisions"}


def _decisions(c: _Checker, data: dict[str, Any]) -> tuple[Decision, ...]:
    given: list[Decision] = []
    for index, item in c.table_list(data, "decisions", required=False):
        place = c.place("decisions", index, item)
        c.unknown_keys(place, item, _DECISION_KEYS)
        did = c.text(place, item, "id")
        label = c.text(place, item, "label")
        effect = c.text(place, item, "effect", required=False) or _default_effect(did)
        if effect not in EFFECTS:
            c.add(place, f'effect "{effect}" is not one of {", ".join(EFFECTS)}')
            continue
        if did and any(d.id == did for d in given):
            c.add(place, f'duplicate decision id "{did}"')
            continue
        if did and label:
            given.append(Decision(did, label, c.text(place, item, "meaning", required=False), effect))
    out = merged(DEFAULT_DECISIONS, given)
    _clashes(c, "decisions", "decision", [(d.id, {key(d.id), key(d.label)}) for d in out])
    return out


def _clashes(c: _Checker, table: str, what: str, names: list[tuple[str, set[str]]]) -> None:
    """Each word (an id or a label, as a user would type it) names one thing only."""
    seen: dict[str, str] = {}
    for ident, words in names:
        for word in sorted(words):
            if word in seen and seen[word] != ident:
                c.add(table, f'"{word}" names both {what} "{seen[word]}" and {what} "{ident}"')
            seen[word] = ident


def _default_effect(did: str) -> str:
    found = next((d for d in DEFAULT_DECISIONS if d.id == did), None)
    return found.effect if found else "none"


def _panel_kinds(c: _Checker, data: dict[str, Any], decisions: tuple[Decision, ...]) -> tuple[PanelKind, ...]:
    known = {d.id for d in decisions}
    given: list[PanelKind] = []
    for index, item in c.table_list(data, "panel_kinds", required=False):
        place = c.place("panel_kinds", index, item)
        c.unknown_keys(place, item, _KIND_KEYS)
        kid = c.text(place, item, "id")
        name = c.text(place, item, "name")
        listed = item.get("decisions", [])
        if not isinstance(listed, list) or not all(isinstance(x, str) for x in listed):
            c.add(place, 'decisions must be a list of decision ids, for example decisions = ["allocate", "defer"]')
            continue
        unknown = [x for x in listed if x not in known]
        if unknown:
            c.add(
                place,
                f"decisions {', '.join(unknown)} are not decisions of this profile ({', '.join(d.id for d in decisions)})",
            )
            continue
        if kid and name:
            given.append(PanelKind(kid, name, tuple(listed)))
    out = merged_kinds(DEFAULT_PANEL_KINDS, given)
    # matched as Profile.panel_kind matches a name a user types
    _clashes(c, "panel_kinds", "panel kind", [(k.id, {_norm(k.id), _norm(k.name)}) for k in out])
    return out
