"""Regressions for the bugs the domain's type annotations brought to light.

Pure domain code only (no database, no CLI). Synthetic data only."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ehtool.domain import due as rules
from ehtool.domain import reporting as R


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _family(**kw: object) -> dict[str, object]:
    family: dict[str, object] = {
        "id": 1,
        "ref": "F000001",
        "locality": "North",
        "lead": "Pat Lead",
        "referral_date": None,
        "created_at": None,
    }
    family.update(kw)
    return family


# -- due: the "referral on ..." text --------------------------------------------------


def test_due_unreadable_referral_date_and_no_registration_date_does_not_crash():
    # Before: "referral on {start.isoformat()}" with start None raised AttributeError.
    rows = rules.Rows(families=[_family(referral_date="not a date")])
    assert rules.compute(rows, d("2026-06-01")) == []  # no date to count from: nothing is due yet


def test_due_unreadable_referral_date_with_an_assessment_and_no_registration_date():
    rows = rules.Rows(
        families=[_family(referral_date="31/02/2026")],
        assessments=[
            {"ref": "A000001", "family_id": 1, "assessed_on": "2026-05-01", "level": "2", "significant_harm": False}
        ],
    )
    assert rules.compute(rows, d("2026-06-01"), early_help_levels=["2"]) == []


def test_due_unreadable_referral_date_counts_from_registration_and_says_so():
    rows = rules.Rows(families=[_family(referral_date="not a date", created_at="2026-01-05T10:00:00Z")])
    [item] = rules.compute(rows, d("2026-03-01"), settings=rules.Settings(days_to_assessment=20))
    assert item["category"] == "no-assessment" and item["date"] == "2026-01-25"
    assert "registered on 2026-01-05" in item["what"] and "referral on" not in item["what"]


def test_due_readable_referral_date_is_named():
    rows = rules.Rows(families=[_family(referral_date="2026-01-10", created_at="2026-01-05T10:00:00Z")])
    [item] = rules.compute(rows, d("2026-03-01"), settings=rules.Settings(days_to_assessment=20))
    assert item["date"] == "2026-01-30" and "referral on 2026-01-10" in item["what"]


# -- the board report: reviews on time -------------------------------------------------


def _plan(**kw: object) -> dict[str, object]:
    plan: dict[str, object] = {
        "id": 1,
        "first_review_date": "2026-02-01",
        "review_date": "2026-02-01",
        "closed_on": None,
    }
    plan.update(kw)
    return plan


def _review(date: str | None, next_review: str | None = None, rid: int = 1) -> dict[str, object]:
    return {"id": rid, "plan_id": 1, "date": date, "next_review_date": next_review, "version_review_date": None}


def test_report_review_without_a_date_is_not_judged():
    counts: Counter[str] = Counter()
    R._reviews_due(
        _plan(), [_review(None, "2026-03-01"), _review("2026-03-10", rid=2)], d("2026-01-01"), d("2026-12-31"), counts
    )
    # the first due date's review has no date: not counted; the next due date (1 March) was answered late
    assert counts == Counter({"late": 1})


def test_report_reviews_with_dates_are_judged_as_before():
    counts: Counter[str] = Counter()
    R._reviews_due(
        _plan(),
        [_review("2026-01-30", "2026-03-01"), _review("2026-03-10", rid=2)],
        d("2026-01-01"),
        d("2026-12-31"),
        counts,
    )
    assert counts == Counter({"on_time": 1, "late": 1})
