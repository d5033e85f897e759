"""What a panel can decide, what each decision does, and the kinds of panel a partnership runs.

A decision is data in the threshold profile (``[[decisions]]``), with the bundled ones
below as the defaults: an id, the label a chair picks from the agenda's dropdown, what it
means, and its **effect**, what recording it changes:

* ``allocate``: the family's lead professional becomes the item's "allocated to" (or the
  service, when no one is named); the family is then due a plan;
* ``step-up``: a referral to the front door is recorded;
* ``step-down``: the move and the receiving service are recorded (and an open referral
  comes back "stepped down");
* ``close``: the family is closed with the decision as its reason, unless kept open;
* ``carry``: the item goes on to the next sitting of the same panel, keeping its history
  (with none scheduled yet, it waits for one);
* ``family-group-conference``: family group decision-making is offered (dated the sitting);
* ``none``: a label only.

A panel has a **kind** (``[[panel_kinds]]``) as well as a locality: the locality allocation
panel, and the others a partnership runs (attendance, exploitation, step-down), each with
the decisions it can make.

Pure domain: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

EFFECTS: dict[str, str] = {
    "allocate": "sets the family's lead professional (the allocated to, or the service); a plan is then due",
    "step-up": "records a referral to the front door",
    "step-down": "records the step-down and the receiving service",
    "close": "closes the family with the decision as its reason, unless --keep-open",
    "carry": "carries the item to the next sitting of the same panel, keeping its history",
    "family-group-conference": "offers family group decision-making",
    "none": "a label only: nothing else changes",
}
DEFAULT_KIND = "locality"


@dataclass(frozen=True)
class Decision:
    id: str
    label: str
    meaning: str = ""
    effect: str = "none"

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "label": self.label, "meaning": self.meaning, "effect": self.effect}


@dataclass(frozen=True)
class PanelKind:
    id: str
    name: str
    decisions: tuple[str, ...] = ()  # none listed: every decision

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "decisions": list(self.decisions)}


DEFAULT_DECISIONS: tuple[Decision, ...] = (
    Decision("allocate", "Allocate", "Allocate to an early help service or keyworker.", "allocate"),
    Decision(
        "lead-professional",
        "Lead professional and TAF",
        "Identify a lead professional and form a Team Around the Family.",
        "allocate",
    ),
    Decision(
        "signpost",
        "Signpost to universal services",
        "Needs can be met by universal services; signpost the family to them.",
        "close",
    ),
    Decision(
        "no-further-action",
        "No further action",
        "No service is needed from the partnership; close the request.",
        "close",
    ),
    Decision("step-up", "Step up to social care", "Refer to children's social care (the front door).", "step-up"),
    Decision(
        "step-down",
        "Step down",
        "Step down from social care to early help, or to a lower level of support.",
        "step-down",
    ),
    Decision("close", "Close", "Close the early help episode.", "close"),
    Decision(
        "more-information",
        "More information needed",
        "Bring the family back to the next sitting with the information the panel asked for.",
        "carry",
    ),
    Decision("defer", "Defer", "Bring the family back to a later panel.", "carry"),
    Decision(
        "family-group-conference",
        "Family group conference",
        "Offer family group decision-making: the family and its network make their own plan.",
        "family-group-conference",
    ),
)
# A kind with no decisions listed can make every decision the profile has.
DEFAULT_PANEL_KINDS: tuple[PanelKind, ...] = (
    PanelKind(DEFAULT_KIND, "Locality allocation panel", ()),
    PanelKind(
        "attendance",
        "Attendance panel",
        (
            "allocate",
            "signpost",
            "no-further-action",
            "step-up",
            "more-information",
            "defer",
            "family-group-conference",
        ),
    ),
    PanelKind(
        "exploitation",
        "Exploitation panel (MARVE)",
        ("allocate", "lead-professional", "step-up", "no-further-action", "more-information", "defer"),
    ),
    PanelKind(
        "step-down",
        "Step-down panel",
        (
            "allocate",
            "lead-professional",
            "step-down",
            "signpost",
            "more-information",
            "defer",
            "family-group-conference",
        ),
    ),
)


def key(value: str) -> str:
    """A forgiving key for a chair's entry: case and surrounding or repeated spaces ignored."""
    return " ".join(value.split()).casefold()


def lookup(decisions: Iterable[Decision], value: object) -> Decision | None:
    """The decision whose id or label is ``value`` (case and spacing ignored), else None."""
    if not isinstance(value, str):
        return None
    wanted = key(value)
    for d in decisions:
        if wanted in (key(d.id), key(d.label)):
            return d
    return None


def merged(defaults: Iterable[Decision], given: Iterable[Decision]) -> tuple[Decision, ...]:
    """The defaults with a profile's decisions over them: the same id replaces, a new id is added."""
    out = {d.id: d for d in defaults}
    for d in given:
        out[d.id] = d
    return tuple(out.values())


def merged_kinds(defaults: Iterable[PanelKind], given: Iterable[PanelKind]) -> tuple[PanelKind, ...]:
    out = {k.id: k for k in defaults}
    for k in given:
        out[k.id] = k
    return tuple(out.values())
