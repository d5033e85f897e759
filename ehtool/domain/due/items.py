"""A due item: its keys, its categories in the order to look at them, building one,
sorting them and saying how overdue each is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypedDict

KEYS = ("family_id", "category", "what", "date", "days", "overdue", "lead", "locality")


class DueItem(TypedDict):
    """One thing that needs attention (the keys are :data:`KEYS`, in that order)."""

    family_id: str
    category: str
    what: str
    date: str
    days: int
    overdue: bool
    lead: str | None
    locality: str | None


# In the order a coordinator should look at them (also the tie-break order).
CATEGORIES = (
    "significant-harm",
    "referral-due",
    "review-overdue",
    "action-overdue",
    "no-assessment",
    "no-plan",
    "panel-undecided",
    "panel-waiting",
    "family-group-due",
    "assessment-stale",
    "consent-renew",
    "review-due",
    "retention-due",
)
CATEGORY_HELP = {
    "significant-harm": "latest assessment indicates possible significant harm and the family still has an open "
    "plan or no referral recorded",
    "referral-due": "latest level routes to a referral and none is recorded since the assessment (expected within "
    "days_to_referral), or a plan is open beside it where the profile does not allow that",
    "review-overdue": "plan review date has passed",
    "review-due": "plan review date is within the window",
    "action-overdue": "plan action not done or dropped, past its due date",
    "no-assessment": "no assessment, more than days_to_assessment after referral",
    "no-plan": "assessed at a level that routes to early help (or stepped down from social care), no open plan, "
    "more than days_to_plan after referral or the step-down",
    "assessment-stale": "latest assessment older than assessment_valid_days",
    "consent-renew": "early-help consent older than consent_valid_days, or within the window of that",
    "panel-undecided": "panel item with no decision after its sitting date",
    "panel-waiting": "panel item deferred to the next sitting of its panel, and none is scheduled",
    "family-group-due": "at an early help level (Family Help) with no family group decision-making offered within "
    "the profile's family_group_offer_days",
    "retention-due": "retention period ended and no legal hold",
}
_ACTION_TEXT_MAX = 120


def _one_line(text: object, limit: int = _ACTION_TEXT_MAX) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def _item(
    family_ref: str,
    category: str,
    what: str,
    date: dt.date,
    on: dt.date,
    *,
    lead: str | None,
    locality: str | None,
    overdue: bool | None = None,
) -> DueItem:
    days = (on - date).days
    return {
        "family_id": family_ref,
        "category": category,
        "what": what,
        "date": date.isoformat(),
        "days": days,
        "overdue": bool(days > 0 if overdue is None else overdue),
        "lead": lead or None,
        "locality": locality or None,
    }


def sort_items(items: Iterable[DueItem]) -> list[DueItem]:
    """Significant harm first; then overdue before not; then by date (oldest first),
    family, category and sentence, so the order is stable."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(
        items,
        key=lambda i: (
            i["category"] != "significant-harm",
            not i["overdue"],
            i["date"],
            i["family_id"],
            order.get(i["category"], len(order)),
            i["what"],
        ),
    )


def when(item: DueItem) -> str:
    """'3 days overdue', 'due today', 'due in 5 days' (for the table)."""
    days = item["days"]
    if item["category"] == "significant-harm":
        return "now"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} overdue"
    if days == 0:
        return "due today"
    return f"due in {-days} day{'s' if days != -1 else ''}"
