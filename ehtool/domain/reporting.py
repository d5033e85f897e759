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
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from ehtool.domain.validators import as_date, london_date
from ehtool.errors import InvalidInput

WINDOW_DAYS = 365
UNASSESSED = "unassessed"
NOT_RECORDED = "Not recorded"


class Episode(TypedDict):
    """A spell in which a family is open (:func:`episodes`)."""

    start: dt.date
    end: dt.date | None  # None: still open
    referred: bool  # started by a referral (or a reopening), not only by the record being made
    prev_end: dt.date | None  # the previous episode's end, for a reopened family


class DaysSummary(TypedDict):
    """How many days, and their median and mean (:func:`days_summary`)."""

    count: int
    median: float | None
    mean: float | None


# -- dates -----------------------------------------------------------------------


def period(start: dt.date | None, end: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The report's period: by default the 12 months ending ``end`` (default today)."""
    end = end or today
    if start is None:
        try:
            year_before = end.replace(year=end.year - 1)
        except ValueError:  # 29 February
            year_before = end.replace(year=end.year - 1, day=28)
        start = year_before + dt.timedelta(days=1)
    if start > end:
        raise InvalidInput(f"The period starts ({start}) after it ends ({end}).", hint="Give --from on or before --to.")
    return start, end


def month_points(start: dt.date, end: dt.date) -> list[tuple[str, dt.date]]:
    """(YYYY-MM, the month's last day or ``end``) for each month the period touches."""
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        out.append((f"{year:04d}-{month:02d}", min(nxt - dt.timedelta(days=1), end)))
        year, month = nxt.year, nxt.month
    return out


# -- episodes --------------------------------------------------------------------


def _new(value: Any) -> Any:
    return value[-1] if isinstance(value, list) and value else value


def episodes(family: Mapping[str, Any], history: Sequence[Mapping[str, Any]]) -> list[Episode]:
    """A family's episodes: ``{"start", "end", "referred", "prev_end"}``, oldest first.

    ``history``: its family.add/close/reopen/edit audit entries in order, each
    ``{"action", "date", "values"}`` (values None when purged)."""
    created, closed_on = family["created"], family["closed_on"]
    if not any(h["action"] == "family.reopen" for h in history):
        return [
            {
                "start": family["referral_date"] or created,
                "end": closed_on,
                "referred": family["referral_date"] is not None,
                "prev_end": None,
            }
        ]
    edits = [h for h in history if h["action"] == "family.edit" and "referral_date" in (h["values"] or {})]
    add = next((h for h in history if h["action"] == "family.add"), None)
    if add is not None:
        start = as_date((add["values"] or {}).get("referral_date"))
    elif edits and isinstance(edits[0]["values"]["referral_date"], list):
        start = as_date(edits[0]["values"]["referral_date"][0])
    else:
        start = family["referral_date"]
    out: list[Episode] = []
    referred, is_open, last_end, prev_end = start is not None, True, None, None
    for h in history:
        values = h["values"] or {}
        if h["action"] == "family.close" and is_open:
            last_end = as_date(_new(values.get("closed_on"))) or h["date"]
            out.append({"start": start or created, "end": last_end, "referred": referred, "prev_end": prev_end})
            is_open = False
        elif h["action"] == "family.reopen" and not is_open:
            start, referred, prev_end, is_open = h["date"], True, last_end, True
        elif h in edits and is_open:
            new = as_date(_new(values["referral_date"]))
            if new is not None and (last_end is None or new >= last_end):
                start, referred = new, True
    if is_open:
        out.append({"start": start or created, "end": None, "referred": referred, "prev_end": prev_end})
    elif closed_on is not None:
        out[-1]["end"] = closed_on  # the families row holds the current closure's own date
    return out


def _open_during(eps: Iterable[Mapping[str, Any]], start: dt.date, end: dt.date) -> bool:
    return any(e["start"] <= end and (e["end"] is None or e["end"] >= start) for e in eps)


# -- the measures ----------------------------------------------------------------


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def days_summary(days: Sequence[int]) -> DaysSummary:
    if not days:
        return {"count": 0, "median": None, "mean": None}
    return {
        "count": len(days),
        "median": round(float(statistics.median(days)), 1),
        "mean": round(statistics.fmean(days), 1),
    }


def _grouped(values: Iterable[Any]) -> list[dict[str, Any]]:
    """Counts of text values, grouped ignoring case and spaces (first spelling shown)."""
    counts: Counter[str | None] = Counter()
    label: dict[str | None, str] = {}
    for value in values:
        text = " ".join(str(value).split()) if value not in (None, "") else ""
        key = text.casefold() if text and text.casefold() != NOT_RECORDED.casefold() else None
        label.setdefault(key, text or NOT_RECORDED)
        counts[key] += 1
    rows = [{"value": label[k], "count": n} for k, n in counts.items()]
    return sorted(rows, key=lambda r: (r["value"] == NOT_RECORDED, -r["count"], r["value"].casefold()))


def compute(
    data: Mapping[str, Any],
    *,
    levels: Sequence[Mapping[str, str]],
    lowest: str,
    areas: Sequence[Mapping[str, str]],
    close_reasons: Mapping[str, str],
    start: dt.date,
    end: dt.date,
    district: Callable[[str], str | None] | None = None,
) -> dict[str, Any]:
    """The report's measures (see the module docstring) for ``[start, end]``.

    ``levels``: the profile's rungs, lowest first, as ``{"id", "name"}``;
    ``areas``: the framework's outcome areas ``{"id", "name"}``;
    ``close_reasons``: plan closure reason id -> label; ``district``: postcode
    -> district (raises on nonsense)."""
    fams = _families(data)
    assess = _assessments(data, fams)
    rungs = _Rungs(levels, assess)
    points = month_points(start, end)
    open_families, distribution = _rung_distribution(fams, rungs, points, end)
    by_month = _steps_by_month(assess, points, start, end)
    plans = _plans_by_family(data, fams)
    tally = _referral_tally(fams, assess, plans, lowest, start, end)
    reason_rows = _plans_closed(plans, close_reasons, start, end)
    review_counts = _review_counts(data, plans, start, end)
    due = review_counts["on_time"] + review_counts["late"] + review_counts["not_held"]
    return {
        "rungs": [{"id": lv["id"], "name": lv["name"], "rank": i} for i, lv in enumerate(levels, 1)]
        + [{"id": x, "name": x, "rank": None} for x in rungs.extra],
        "open_families": open_families,
        "rung_distribution": distribution,
        "steps": {
            "step_ups": sum(m["step_ups"] for m in by_month),
            "step_downs": sum(m["step_downs"] for m in by_month),
            "by_month": by_month,
        },
        "referrals": tally.referrals(),
        "re_referrals": tally.re_referrals(),
        "plans_closed": {"total": sum(r["count"] for r in reason_rows), "by_reason": reason_rows},
        "progress": _progress(data, plans, areas, start, end),
        "timeliness": {
            "referral_to_assessment_days": days_summary(tally.to_assessment),
            "referral_to_plan_days": days_summary(tally.to_plan),
            "reviews": {
                "due": due,
                "on_time": review_counts["on_time"],
                "late": review_counts["late"],
                "not_held": review_counts["not_held"],
                "on_time_percent": percent(review_counts["on_time"], due),
            },
        },
        "reach": _reach(data, fams, start, end, district),
    }


# An assessment as the measures use it: (assessed_on, id, level, movement), sorted per family.
_Assessed = tuple[Any, int, str, Any]


def _families(data: Mapping[str, Any]) -> dict[int, dict[str, Any]]:
    """The families by id, with their dates parsed and their episodes rebuilt."""
    fams = {}
    for f in data["families"]:
        f = dict(
            f,
            created=london_date(f["created_at"]),
            referral_date=as_date(f["referral_date"]),
            closed_on=as_date(f["closed_on"]),
        )
        history = [dict(h, date=london_date(h["at"])) for h in data["history"].get(f["id"], [])]
        f["episodes"] = episodes(f, history)
        fams[f["id"]] = f
    return fams


def _assessments(data: Mapping[str, Any], fams: Mapping[int, Any]) -> defaultdict[int, list[_Assessed]]:
    """Each family's assessments, oldest first."""
    assess: defaultdict[int, list[_Assessed]] = defaultdict(list)
    for a in data["assessments"]:
        if a["family_id"] in fams:
            assess[a["family_id"]].append((as_date(a["assessed_on"]), a["id"], a["level"], a["movement"]))
    for rows in assess.values():
        rows.sort()
    return assess


class _Rungs:
    """The rung ids in report order (the profile's, any others found, then ``unassessed``)
    and each family's rung on a day."""

    def __init__(self, levels: Sequence[Mapping[str, str]], assess: Mapping[int, list[_Assessed]]) -> None:
        self.assess = assess
        self.dates = {fid: [r[0] for r in rows] for fid, rows in assess.items()}
        known = [lv["id"] for lv in levels]
        self.extra: list[str] = sorted({r[2] for rows in assess.values() for r in rows} - set(known))
        self.ids: list[str] = known + self.extra + [UNASSESSED]

    def on(self, fid: int, day: dt.date) -> str:
        """The level of the family's latest assessment on or before ``day``."""
        i = bisect.bisect_right(self.dates.get(fid, []), day)
        return self.assess[fid][i - 1][2] if i else UNASSESSED

    def blank(self) -> dict[str, int]:
        """A zero count for every rung."""
        return dict.fromkeys(self.ids, 0)


def _rung_distribution(
    fams: Mapping[int, Mapping[str, Any]], rungs: _Rungs, points: list[tuple[str, dt.date]], end: dt.date
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Open families by rung at each month end (the last is ``end``), and on ``end`` by locality."""
    days = [day for _, day in points]
    counts = [rungs.blank() for _ in points]
    by_loc: defaultdict[str, dict[str, int]] = defaultdict(rungs.blank)
    for fid, f in fams.items():
        months: set[int] = set()
        for ep in f["episodes"]:
            months.update(
                range(
                    bisect.bisect_left(days, ep["start"]),
                    bisect.bisect_right(days, ep["end"]) if ep["end"] else len(days),
                )
            )
        for i in months:
            counts[i][rungs.on(fid, days[i])] += 1
        if len(days) - 1 in months:
            by_loc[f["locality"] or NOT_RECORDED][rungs.on(fid, end)] += 1
    distribution = [
        {"month": month, "date": day.isoformat(), "total": sum(c.values()), "by_rung": c}
        for (month, day), c in zip(points, counts)
    ]
    now = counts[-1]
    open_families = {
        "as_of": end.isoformat(),
        "total": sum(now.values()),
        "by_rung": dict(now),
        "by_locality": [
            {"locality": loc, "total": sum(c.values()), "by_rung": c}
            for loc, c in sorted(by_loc.items(), key=lambda kv: (kv[0] == NOT_RECORDED, kv[0].casefold()))
        ],
    }
    return open_families, distribution


def _steps_by_month(
    assess: Mapping[int, list[_Assessed]], points: list[tuple[str, dt.date]], start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """Step-ups and step-downs in the period, by month of the assessment."""
    steps: dict[str, dict[str, Any]] = {month: {"month": month, "step_ups": 0, "step_downs": 0} for month, _ in points}
    for rows in assess.values():
        for day, _, _, move in rows:
            if move in ("step-up", "step-down") and start <= day <= end:
                steps[day.strftime("%Y-%m")]["step_ups" if move == "step-up" else "step_downs"] += 1
    return list(steps.values())


def _plans_by_family(data: Mapping[str, Any], fams: Mapping[int, Any]) -> defaultdict[int, list[dict[str, Any]]]:
    """Each family's plans with their dates parsed, in the order they were started."""
    plans: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in data["plans"]:
        if p["family_id"] in fams:
            plans[p["family_id"]].append(
                dict(p, created=london_date(p["created_at"]), closed_on=as_date(p["closed_on"]))
            )
    for rows in plans.values():
        rows.sort(key=lambda p: (p["created"], p["id"]))
    return plans


@dataclass
class _Tally:
    """New referrals, re-referrals and the days from referral to assessment and to plan."""

    new: int = 0
    assessed: int = 0
    below: int = 0
    reopened: int = 0
    replanned: int = 0
    re_families: set[int] = field(default_factory=set)
    to_assessment: list[int] = field(default_factory=list)
    to_plan: list[int] = field(default_factory=list)

    def referrals(self) -> dict[str, Any]:
        """The ``referrals`` section of the report."""
        return {
            "new": self.new,
            "assessed": self.assessed,
            "below_threshold": self.below,
            "met_threshold": self.assessed - self.below,
            "not_assessed": self.new - self.assessed,
            "below_threshold_percent": percent(self.below, self.assessed),
        }

    def re_referrals(self) -> dict[str, Any]:
        """The ``re_referrals`` section of the report."""
        return {
            "count": self.reopened + self.replanned,
            "families": len(self.re_families),
            "from_reopen": self.reopened,
            "from_new_plan": self.replanned,
            "window_days": WINDOW_DAYS,
        }


def _referral_tally(
    fams: Mapping[int, Mapping[str, Any]],
    assess: Mapping[int, list[_Assessed]],
    plans: Mapping[int, list[dict[str, Any]]],
    lowest: str,
    start: dt.date,
    end: dt.date,
) -> _Tally:
    """Referrals, timeliness to assessment and plan, and re-referrals, over every family."""
    tally = _Tally()
    for fid, f in fams.items():
        for ep in f["episodes"]:
            _count_episode(tally, fid, ep, assess.get(fid, []), plans.get(fid, []), lowest, start, end)
        _count_replans(tally, fid, f["episodes"], plans.get(fid, []), start, end)
    return tally


def _count_episode(
    tally: _Tally,
    fid: int,
    ep: Mapping[str, Any],
    rows: list[_Assessed],
    fam_plans: list[dict[str, Any]],
    lowest: str,
    start: dt.date,
    end: dt.date,
) -> None:
    """One episode: a new referral? its first assessment and plan; a reopening within the window?"""
    last = min(ep["end"] or end, end)
    first = next((r for r in rows if ep["start"] <= r[0] <= last), None)
    if ep["referred"] and start <= ep["start"] <= end:
        tally.new += 1
        if first is not None:
            tally.assessed += 1
            tally.below += first[2] == lowest
    if ep["referred"] and first is not None and start <= first[0] <= end:
        tally.to_assessment.append((first[0] - ep["start"]).days)
    plan = next((p for p in fam_plans if ep["start"] <= p["created"] <= last), None)
    if ep["referred"] and plan is not None and start <= plan["created"] <= end:
        tally.to_plan.append((plan["created"] - ep["start"]).days)
    if (
        ep["prev_end"] is not None
        and start <= ep["start"] <= end
        and 0 <= (ep["start"] - ep["prev_end"]).days <= WINDOW_DAYS
    ):
        tally.reopened += 1
        tally.re_families.add(fid)


def _count_replans(
    tally: _Tally, fid: int, eps: list[dict[str, Any]], fam_plans: list[dict[str, Any]], start: dt.date, end: dt.date
) -> None:
    """Plans started in the period within the window of the previous plan's closure
    (unless a reopening in between was already counted)."""
    for before, after in zip(fam_plans, fam_plans[1:]):
        closed, begun = before["closed_on"], after["created"]
        if (
            closed is not None
            and start <= begun <= end
            and 0 <= (begun - closed).days <= WINDOW_DAYS
            and not any(e["prev_end"] is not None and closed <= e["start"] <= begun for e in eps)
        ):
            tally.replanned += 1
            tally.re_families.add(fid)


def _by_plan(rows: Iterable[dict[str, Any]]) -> defaultdict[Any, list[dict[str, Any]]]:
    """Rows grouped by ``plan_id``, in their order."""
    grouped: defaultdict[Any, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        grouped[r["plan_id"]].append(r)
    return grouped


def _plans_closed(
    plans: Mapping[int, list[dict[str, Any]]], close_reasons: Mapping[str, str], start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """Plans closed in the period by reason: the configured reasons first, then any others."""
    reasons: Counter[str] = Counter()
    for fam_plans in plans.values():
        for p in fam_plans:
            if p["closed_on"] is not None and start <= p["closed_on"] <= end:
                reasons[p["closed_reason"] or NOT_RECORDED] += 1
    reason_rows = [{"reason": k, "label": label, "count": reasons.pop(k, 0)} for k, label in close_reasons.items()]
    reason_rows += [{"reason": k, "label": k, "count": n} for k, n in sorted(reasons.items())]
    return reason_rows


def _review_counts(
    data: Mapping[str, Any], plans: Mapping[int, list[dict[str, Any]]], start: dt.date, end: dt.date
) -> Counter[str]:
    """Review due dates in the period: on_time / late / not_held."""
    review_counts: Counter[str] = Counter()
    reviews = _by_plan(data["reviews"])
    for fam_plans in plans.values():
        for p in fam_plans:
            _reviews_due(
                p, sorted(reviews.get(p["id"], []), key=lambda r: (r["date"], r["id"])), start, end, review_counts
            )
    return review_counts


def _progress(
    data: Mapping[str, Any],
    plans: Mapping[int, list[dict[str, Any]]],
    areas: Sequence[Mapping[str, str]],
    start: dt.date,
    end: dt.date,
) -> list[dict[str, Any]]:
    """Per outcome area: families scored, and improved, on their latest plan open in the period."""
    scores = _by_plan(data["scores"])
    outcomes = _by_plan(data["outcomes"])
    improved: Counter[str] = Counter()
    scored: Counter[str] = Counter()
    for fam_plans in plans.values():
        active = [p for p in fam_plans if p["created"] <= end and (p["closed_on"] is None or p["closed_on"] >= start)]
        if active:
            plan = max(active, key=lambda p: p["id"])
            for area, moves in _score_changes(scores.get(plan["id"], []), outcomes.get(plan["id"], [])).items():
                scored[area] += 1
                improved[area] += sum(moves) > 0
    area_rows = [{"area": a["id"], "name": a["name"]} for a in areas]
    area_rows += [{"area": x, "name": x} for x in sorted(set(scored) - {a["id"] for a in areas})]
    return [
        dict(
            r,
            scored=scored[r["area"]],
            improved=improved[r["area"]],
            improved_percent=percent(improved[r["area"]], scored[r["area"]]),
        )
        for r in area_rows
    ]


def _score_changes(scores: list[dict[str, Any]], outcomes: list[dict[str, Any]]) -> defaultdict[str, list[Any]]:
    """A plan's outcomes with a baseline and a score, by area: latest score - baseline."""
    latest = {}
    for s in sorted(scores, key=lambda s: (s["date"], s["review_id"])):
        if isinstance(s["score"], (int, float)):
            latest[str(s["outcome_id"])] = s["score"]
    change: defaultdict[str, list[Any]] = defaultdict(list)
    for o in outcomes:
        if o["area"] and isinstance(o["baseline"], (int, float)) and str(o["outcome_id"]) in latest:
            change[o["area"]].append(latest[str(o["outcome_id"])] - o["baseline"])
    return change


def _reach(
    data: Mapping[str, Any],
    fams: Mapping[int, Mapping[str, Any]],
    start: dt.date,
    end: dt.date,
    district: Callable[[str], str | None] | None,
) -> dict[str, Any]:
    """Families open at some time in the period (and their members), by district, language,
    interpreter need and ethnicity."""
    reach_ids = {fid for fid, f in fams.items() if _open_during(f["episodes"], start, end)}

    def district_of(pc: str | None) -> str | None:
        try:
            return district(pc) if pc and district else None
        except InvalidInput:
            return None

    reach_fams = [fams[i] for i in sorted(reach_ids)]
    members = [m for m in data["members"] if m["family_id"] in reach_ids]
    return {
        "families": len(reach_fams),
        "members": len(members),
        "postcode_district": _grouped(district_of(f["postcode"]) for f in reach_fams),
        "language": _grouped(f["language"] for f in reach_fams),
        "interpreter": {
            "needed": sum(1 for f in reach_fams if f["interpreter"]),
            "not_needed": sum(1 for f in reach_fams if not f["interpreter"]),
        },
        "ethnicity": _grouped(m["ethnicity"] for m in members),
    }


def _reviews_due(
    plan: Mapping[str, Any], held: Sequence[Mapping[str, Any]], start: dt.date, end: dt.date, counts: Counter[str]
) -> None:
    """Count the plan's review due dates in the period as on_time / late / not_held
    (a review with no date cannot be judged: the due date it answers is not counted)."""
    due = as_date(plan["first_review_date"]) or (as_date(plan["review_date"]) if not held else None)
    for n in range(len(held) + 1):
        if due is None or due > end or (plan["closed_on"] is not None and plan["closed_on"] <= due):
            return
        if n == len(held):
            counts["not_held"] += due >= start
            return
        review = held[n]
        held_on = as_date(review["date"])
        if due >= start and held_on is not None:
            counts["on_time" if held_on <= due else "late"] += 1
        due = as_date(review["next_review_date"]) or as_date(review["version_review_date"])
