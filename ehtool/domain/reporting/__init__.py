"""The partnership board report: the arithmetic, on rows the store has fetched.

Pure: no I/O, no SQL, no openpyxl. :func:`compute` takes the rows from
:func:`ehtool.store.reports.fetch` and returns the report as plain data with
real counts (the ``--json`` shape, documented in the README); the board
workbook's small-number suppression is in :mod:`ehtool.documents.board`.

Definitions (the period is ``[from, to]``, both days included):

* **Episode.** A family is *open* on a day when one of its episodes covers it:
  an episode starts on the referral date (else the day the record was made)
  and ends on ``closed_on`` (open on the closing day itself, closed after it).
  A family closed and later reopened has several episodes, rebuilt from the
  audit trail: ``family.close`` ends one (on the ``closed_on`` the entry
  carries, else the day it was recorded), ``family.reopen`` starts the next on
  the day it was recorded, or on the referral date a ``family.edit`` then sets
  (not before the closure). Without a reopen the families row alone is used.
* **Rung on a day**: the level of the family's latest assessment on or before
  that day (ties: the later recorded); none yet: ``unassessed``.
* **Open families** and **rung distribution**: families open on ``to``, and on
  the last day of each calendar month the period touches (the last month is
  taken on ``to``), by rung; the current locality of the family is used.
* **Step-ups / step-downs**: assessments dated in the period whose
  ``movement`` is ``step-up`` / ``step-down``, by month of ``assessed_on``.
* **New referrals**: episodes with a referral date in the period that start in
  it (a reopening counts as a referral). *Did not meet the threshold*: the
  first assessment within the episode (by ``to``) is at the profile's lowest
  rung; the share is of those assessed.
* **Re-referrals within 12 months of closure**: an episode reopened in the
  period at most 365 days after the previous episode closed; and a plan
  started in the period at most 365 days after the family's previous plan
  closed, unless a reopening in between was already counted.
* **Plans closed**: ``plans.closed_on`` in the period, by ``closed_reason``.
* **Progress**: per outcome area, families with a plan open at some time in
  the period (their latest such plan) and an outcome in that area with a
  baseline and a score at a review on or before ``to``. *Improved*: the sum
  over those outcomes of (latest score - baseline) is above 0.
* **Timeliness**: days from referral (episode start) to its first assessment,
  for first assessments dated in the period; and to its first plan (the day
  ``plans.created_at`` falls on, in London), for plans started in the period.
  **Reviews on time**: a plan's first review falls due on the review date it
  was written with; each later one on the date the previous review set
  (``next_review_date``). A due date in the period counts unless the plan
  closed on or before it; the n-th review (by date) answers the n-th due date:
  *on time* if held on or before it, *late* if held after it (by ``to``),
  else *not held*.
* **Reach**: families open at some time in the period, by postcode district,
  main language and interpreter need; their members by ethnicity.

The arithmetic lives in one module per part of the report; import it from here:

* :mod:`~ehtool.domain.reporting.report`: :func:`compute`, the report put together;
* :mod:`~ehtool.domain.reporting.periods`: the period and its month ends;
* :mod:`~ehtool.domain.reporting.episodes`: a family's episodes;
* :mod:`~ehtool.domain.reporting.rungs`: rungs on a day, open families, step-ups and step-downs;
* :mod:`~ehtool.domain.reporting.referrals`: new referrals, re-referrals, days to assessment and plan;
* :mod:`~ehtool.domain.reporting.plans`: plans closed, reviews on time, progress;
* :mod:`~ehtool.domain.reporting.reach`: reach;
* :mod:`~ehtool.domain.reporting.summaries`: percentages and day counts.
"""

from __future__ import annotations

from ehtool.domain.reporting.episodes import Episode, episodes
from ehtool.domain.reporting.periods import month_points, period
from ehtool.domain.reporting.plans import _reviews_due as _reviews_due  # for the tests
from ehtool.domain.reporting.referrals import WINDOW_DAYS
from ehtool.domain.reporting.report import compute
from ehtool.domain.reporting.rungs import UNASSESSED
from ehtool.domain.reporting.summaries import NOT_RECORDED, DaysSummary, days_summary, percent

__all__ = [
    "NOT_RECORDED",
    "UNASSESSED",
    "WINDOW_DAYS",
    "DaysSummary",
    "Episode",
    "compute",
    "days_summary",
    "episodes",
    "month_points",
    "percent",
    "period",
]
