"""What needs attention as of a day: the rules behind `ehtool due`.

Pure domain code: plain rows in (read by ``ehtool.store.due``), plain dicts out.
No I/O, no terminal libraries.

Every item has the same keys (:data:`KEYS`): ``family_id``, ``category``, ``what``
(a plain sentence with references and action text, never a person's name),
``date`` (ISO: the last day that was still on time; for significant harm, the
assessment date), ``days`` (``on - date`` in days: positive = overdue by,
negative = due in, 0 = due today), ``overdue`` (``on`` is after ``date``;
always true for significant harm), ``lead`` (the open plan's lead professional,
else the family's lead) and ``locality``.

The rules (T = the day asked about, W = ``within`` days, settings from the
partnership's threshold profile):

* ``significant-harm``: an open family whose latest assessment flags significant
  harm and who has an open plan, or has no referral recorded since that
  assessment (a panel ``step-up`` decision or a plan closed ``stepped-up`` on or
  after the assessment date). Always overdue; listed first.
* ``review-overdue``: an open plan whose ``review_date`` is before T.
* ``review-due``: an open plan whose ``review_date`` is T or within W days after T.
* ``action-overdue``: a plan action (open plan) not ``done``/``dropped`` whose
  ``due`` is before T; one item per action.
* ``no-assessment``: no assessment at all, and T is more than
  ``days_to_assessment`` days after the referral (``referral_date``, else the
  London date of ``created_at``).
* ``no-plan``: the latest assessment is at an early help rung (neither the lowest
  nor the top rung, and not flagged significant harm), there is no open plan,
  and T is more than ``days_to_plan`` days after the referral; or the family was
  allocated at panel, has no open plan, and T is more than ``days_to_plan`` days
  after the allocation.
* ``assessment-stale``: the latest assessment is more than
  ``assessment_valid_days`` days old.
* ``consent-renew``: the family's current early-help consent (the latest
  family-level decision) is ``given`` and T is within W days of, or past,
  ``consent date + consent_valid_days``.
* ``panel-undecided``: a panel item with no decision whose sitting was before T.
* ``panel-waiting``: a panel item deferred (carried) to the next sitting of its
  panel when none is scheduled yet (:mod:`~ehtool.domain.due.panels`).
* ``family-group-due``: where the profile sets ``family_group_offer_days``, the latest
  assessment is at an early help level and no family group decision-making was offered
  since it, more than those days after it.
* ``retention-due``: a family (open or closed) whose ``retain_until`` is before T
  and which is not under legal hold (from :func:`ehtool.store.due.retention_rows`,
  empty until the schema has those columns).

Families that are closed appear only as ``retention-due``.

The rules live in one module per part; import them from here:

* :mod:`~ehtool.domain.due.rules`: :func:`compute`, the rules above;
* :mod:`~ehtool.domain.due.inputs`: what they read (:class:`Rows`, :class:`Settings`);
* :mod:`~ehtool.domain.due.items`: the item, its categories, sorting and :func:`when`;
* :mod:`~ehtool.domain.due.selection`: choosing items by locality and lead, grouping by lead.
"""

from __future__ import annotations

from ehtool.domain.due.inputs import (
    DEFAULT_WITHIN,
    DONE_ACTION_STATUSES,
    Rows,
    Settings,
    early_help_level_ids,
    referral_level_ids,
    referral_start,
)
from ehtool.domain.due.items import CATEGORIES, CATEGORY_HELP, KEYS, DueItem, sort_items, when
from ehtool.domain.due.rules import compute
from ehtool.domain.due.selection import by_lead, known_locality, matches_lead, matches_locality, select

__all__ = [
    "CATEGORIES",
    "CATEGORY_HELP",
    "DEFAULT_WITHIN",
    "DONE_ACTION_STATUSES",
    "KEYS",
    "DueItem",
    "Rows",
    "Settings",
    "by_lead",
    "compute",
    "early_help_level_ids",
    "known_locality",
    "matches_lead",
    "matches_locality",
    "referral_level_ids",
    "referral_start",
    "select",
    "sort_items",
    "when",
]
