"""Family group decision-making (Families First): offered (when, by whom), accepted or declined,
held (when, who came), and the family's own plan from it, linked to the family's plan."""

from __future__ import annotations

from typing import Any

from ehtool.domain import families as fam
from ehtool.errors import Conflict, InvalidInput, Refused
from ehtool.services.referrals import optional_text, past_day
from ehtool.store import meetings as repo
from ehtool.store.families import family_row


def offer(store, family_ref: str, *, on: str | None, by: str | None, source: str | None = None) -> dict[str, Any]:
    fid = fam.parse_ref(family_ref)
    with store.tx():
        if family_row(store, fid)["status"] == "closed":
            raise Refused(
                f"{fam.family_ref(fid)} is closed.",
                hint=f"Reopen it first: `ehtool family reopen {fam.family_ref(fid)}`.",
            )
        current = repo.latest_open(store, fid)
        if current is not None:
            raise Conflict(
                f"{fam.family_ref(fid)} was offered family group decision-making on {current['offered_on']} "
                f"({current['id']}), not yet held.",
                hint=f"Record the answer or the meeting: `ehtool fgdm answer|held {fam.family_ref(fid)}`.",
            )
        pk = repo.offer(
            store,
            fid,
            {
                "offered_on": past_day(on, "offer date"),
                "offered_by": optional_text(by, "offered by", 200),
                "source": source,
            },
        )
    return repo.get(store, pk)


def _open_for(store, fid: int) -> dict[str, Any]:
    family_row(store, fid)  # an unknown family is not found, before anything else
    current = repo.latest_open(store, fid)
    if current is None:
        raise InvalidInput(
            f"{fam.family_ref(fid)} has no offer of family group decision-making waiting.",
            hint=f"Offer one first: `ehtool fgdm offer {fam.family_ref(fid)}`.",
        )
    return current


def answer(store, family_ref: str, *, accepted: bool, on: str | None) -> dict[str, Any]:
    fid = fam.parse_ref(family_ref)
    with store.tx():
        current = _open_for(store, fid)
        # a family may change its mind before the meeting (accepted, then declined); not the other way
        if current["response"] is not None and not (current["response"] == "accepted" and not accepted):
            raise Conflict(
                f"{current['id']} was already {current['response']} on {current['response_on']}.",
                hint="Offer it again with `ehtool fgdm offer` if the family now wants it.",
            )
        day = past_day(on, "answer date")
        if day < current["offered_on"]:
            raise InvalidInput(f"The answer date {day} is before the offer on {current['offered_on']}.")
        pk = fam.parse_ref(current["id"], fam.MEETING_PREFIX, "family group decision-making")
        repo.update(store, pk, {"response": "accepted" if accepted else "declined", "response_on": day}, "fgdm.answer")
    return repo.get(store, pk)


def held(store, family_ref: str, *, on: str | None, attended: str | None, family_plan: str | None) -> dict[str, Any]:
    """The meeting was held: when, who came, and the family's own plan, linked to the open plan."""
    fid = fam.parse_ref(family_ref)
    with store.tx():
        current = _open_for(store, fid)
        if current["response"] != "accepted":
            raise InvalidInput(
                f"{current['id']} has not been accepted by the family.",
                hint=f"Record the family's answer first: `ehtool fgdm answer {fam.family_ref(fid)} --accepted`.",
            )
        day = past_day(on, "meeting date")
        if day < current["response_on"]:
            raise InvalidInput(f"The meeting date {day} is before the family accepted on {current['response_on']}.")
        values = {
            "held_on": day,
            "attended": optional_text(attended, "attended", 1000),
            "family_plan": optional_text(family_plan, "family plan", 8000),
            "plan_id": repo.open_plan_pk(store, fid),
        }
        pk = fam.parse_ref(current["id"], fam.MEETING_PREFIX, "family group decision-making")
        repo.update(store, pk, values, "fgdm.held")
    return repo.get(store, pk)


def list_for_family(store, family_ref: str) -> dict[str, Any]:
    fid = fam.parse_ref(family_ref)
    family_row(store, fid)
    return {"family_id": fam.family_ref(fid), "meetings": repo.for_family(store, fid)}
