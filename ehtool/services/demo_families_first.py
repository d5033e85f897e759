"""The demo's last step: the partnership moves to Families First. The profile is switched
(audited; earlier assessments keep theirs), a family's network is recorded, family group
decision-making is offered, accepted and held, and the Family Help plan is rendered with the
network in it. Synthetic people only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ehtool.services import meetings, network, plan_documents
from ehtool.services.settings import switch_profile

if TYPE_CHECKING:
    from ehtool.services.demo import Tour

NETWORK = (
    ("Testname Aunt", "maternal aunt", "School runs on Mondays and Wednesdays", True),
    ("Testname Neighbour", "neighbour", "A safe place after school", True),
    ("Testname Coach", "football coach", "Saturday mornings with the eldest", False),
)


def families_first(tour: Tour, store, planned: list[str]) -> None:
    tour.step("7. Families First: switch the profile, record a family's network, offer family group decision-making")
    switched = switch_profile(store, "families-first")
    tour.say(f"the partnership now uses {switched['profile_name']} (was {switched['previous_profile']})")
    if switched["warning"]:
        tour.say(switched["warning"])
    if not planned:
        return
    family = planned[0]
    for name, relationship, offer, agreed in NETWORK:
        network.add(store, family, name=name, relationship=relationship, offer=offer, agreed=agreed)
    tour.say(f"{family}: {len(NETWORK)} people in the family's network (never on a pseudonymised agenda)")
    meetings.offer(store, family, on=None, by="Demo Lead Practitioner")
    meetings.answer(store, family, accepted=True, on=None)
    held = meetings.held(
        store,
        family,
        on=None,
        attended="Parents, maternal aunt, neighbour, lead practitioner",
        family_plan="The aunt takes the children to school twice a week; the neighbour is the after-school safe place.",
    )
    tour.say(
        f"{held['id']}: family group decision-making offered, accepted and held; the family's plan linked to "
        f"{held['plan_id']}"
    )
    path = plan_documents.render(
        store,
        family,
        "md",
        tour.folder / f"{family}-family-help-plan.md",
        template="one-family-plan",
        template_dir=None,
    )
    tour.file("Family Help plan (md, with the network)", path)
