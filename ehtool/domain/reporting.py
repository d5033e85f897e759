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

from ehtool.errors import InvalidInput

WINDOW_DAYS = 365
UNASSESSED = "unassessed"
NOT_RECORDED = "Not recorded"


# -- dates -----------------------------------------------------------------------

def as_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def london_date(timestamp: str | None) -> dt.date | None:
    """The Europe/London day of an ISO timestamp (stored in UTC)."""
    if not timestamp:
        return None
    from ehtool.domain.validators import LONDON

    moment = dt.datetime.fromisoformat(str(timestamp).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LONDON).date()


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
        raise InvalidInput(f"The period starts ({start}) after it ends ({end}).",
                           hint="Give --from on or before --to.")
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

def _new(value):
    return value[-1] if isinstance(value, list) and value else value


def episodes(family: dict, history: list[dict]) -> list[dict]:
    """A family's episodes: ``{"start", "end", "referred", "prev_end"}``, oldest first.

    ``history``: its family.add/close/reopen/edit audit entries in order, each
    ``{"action", "date", "values"}`` (values None when purged)."""
    created, closed_on = family["created"], family["closed_on"]
    if not any(h["action"] == "family.reopen" for h in history):
        return [{"start": family["referral_date"] or created, "end": closed_on,
                 "referred": family["referral_date"] is not None, "prev_end": None}]
    edits = [h for h in history if h["action"] == "family.edit" and "referral_date" in (h["values"] or {})]
    add = next((h for h in history if h["action"] == "family.add"), None)
    if add is not None:
        start = as_date((add["values"] or {}).get("referral_date"))
    elif edits and isinstance(edits[0]["values"]["referral_date"], list):
        start = as_date(edits[0]["values"]["referral_date"][0])
    else:
        start = family["referral_date"]
    out: list[dict] = []
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


def _open_during(eps: list[dict], start: dt.date, end: dt.date) -> bool:
    return any(e["start"] <= end and (e["end"] is None or e["end"] >= start) for e in eps)


# -- the measures ----------------------------------------------------------------

def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def days_summary(days: list[int]) -> dict:
    if not days:
        return {"count": 0, "median": None, "mean": None}
    return {"count": len(days), "median": round(float(statistics.median(days)), 1),
            "mean": round(statistics.fmean(days), 1)}


def _grouped(values) -> list[dict]:
    """Counts of text values, grouped ignoring case and spaces (first spelling shown)."""
    counts: Counter = Counter()
    label: dict = {}
    for value in values:
        text = " ".join(str(value).split()) if value not in (None, "") else ""
        key = text.casefold() if text and text.casefold() != NOT_RECORDED.casefold() else None
        label.setdefault(key, text or NOT_RECORDED)
        counts[key] += 1
    rows = [{"value": label[k], "count": n} for k, n in counts.items()]
    return sorted(rows, key=lambda r: (r["value"] == NOT_RECORDED, -r["count"], r["value"].casefold()))


def compute(data: dict, *, levels: list[dict], lowest: str, areas: list[dict], close_reasons: dict,
            start: dt.date, end: dt.date, district=None) -> dict:
    """The report's measures (see the module docstring) for ``[start, end]``.

    ``levels``: the profile's rungs, lowest first, as ``{"id", "name"}``;
    ``areas``: the framework's outcome areas ``{"id", "name"}``;
    ``close_reasons``: plan closure reason id -> label; ``district``: postcode
    -> district (raises on nonsense)."""
    fams = {}
    for f in data["families"]:
        f = dict(f, created=london_date(f["created_at"]), referral_date=as_date(f["referral_date"]),
                 closed_on=as_date(f["closed_on"]))
        history = [dict(h, date=london_date(h["at"])) for h in data["history"].get(f["id"], [])]
        f["episodes"] = episodes(f, history)
        fams[f["id"]] = f
    assess = defaultdict(list)
    for a in data["assessments"]:
        if a["family_id"] in fams:
            assess[a["family_id"]].append((as_date(a["assessed_on"]), a["id"], a["level"], a["movement"]))
    for rows in assess.values():
        rows.sort()
    dates = {fid: [r[0] for r in rows] for fid, rows in assess.items()}

    known = [lv["id"] for lv in levels]
    extra = sorted({r[2] for rows in assess.values() for r in rows} - set(known))
    rung_ids = known + extra + [UNASSESSED]

    def rung_on(fid, day):
        i = bisect.bisect_right(dates.get(fid, []), day)
        return assess[fid][i - 1][2] if i else UNASSESSED

    def blank():
        return dict.fromkeys(rung_ids, 0)

    # rung distribution at month ends (the last is ``end``: open families now); steps per month
    points = month_points(start, end)
    days = [day for _, day in points]
    counts = [blank() for _ in points]
    by_loc: dict = defaultdict(blank)
    for fid, f in fams.items():
        months = set()
        for ep in f["episodes"]:
            months.update(range(bisect.bisect_left(days, ep["start"]),
                                bisect.bisect_right(days, ep["end"]) if ep["end"] else len(days)))
        for i in months:
            counts[i][rung_on(fid, days[i])] += 1
        if len(days) - 1 in months:
            by_loc[f["locality"] or NOT_RECORDED][rung_on(fid, end)] += 1
    distribution = [{"month": month, "date": day.isoformat(), "total": sum(c.values()), "by_rung": c}
                    for (month, day), c in zip(points, counts)]
    now = counts[-1]
    open_families = {"as_of": end.isoformat(), "total": sum(now.values()), "by_rung": dict(now),
                     "by_locality": [{"locality": loc, "total": sum(c.values()), "by_rung": c}
                                     for loc, c in sorted(by_loc.items(),
                                                          key=lambda kv: (kv[0] == NOT_RECORDED, kv[0].casefold()))]}
    steps = {month: {"month": month, "step_ups": 0, "step_downs": 0} for month, _ in points}
    for rows in assess.values():
        for day, _, _, move in rows:
            if move in ("step-up", "step-down") and start <= day <= end:
                steps[day.strftime("%Y-%m")]["step_ups" if move == "step-up" else "step_downs"] += 1
    by_month = list(steps.values())

    # referrals, timeliness to assessment and plan, re-referrals
    plans = defaultdict(list)
    for p in data["plans"]:
        if p["family_id"] in fams:
            plans[p["family_id"]].append(dict(p, created=london_date(p["created_at"]),
                                              closed_on=as_date(p["closed_on"])))
    for rows in plans.values():
        rows.sort(key=lambda p: (p["created"], p["id"]))
    new = assessed = below = 0
    to_assessment, to_plan = [], []
    reopened, replanned, re_families = 0, 0, set()
    for fid, f in fams.items():
        eps = f["episodes"]
        for ep in eps:
            last = min(ep["end"] or end, end)
            first = next((r for r in assess.get(fid, []) if ep["start"] <= r[0] <= last), None)
            if ep["referred"] and start <= ep["start"] <= end:
                new += 1
                if first is not None:
                    assessed += 1
                    below += first[2] == lowest
            if ep["referred"] and first is not None and start <= first[0] <= end:
                to_assessment.append((first[0] - ep["start"]).days)
            plan = next((p for p in plans.get(fid, []) if ep["start"] <= p["created"] <= last), None)
            if ep["referred"] and plan is not None and start <= plan["created"] <= end:
                to_plan.append((plan["created"] - ep["start"]).days)
            if (ep["prev_end"] is not None and start <= ep["start"] <= end
                    and 0 <= (ep["start"] - ep["prev_end"]).days <= WINDOW_DAYS):
                reopened += 1
                re_families.add(fid)
        fam_plans = plans.get(fid, [])
        for before, after in zip(fam_plans, fam_plans[1:]):
            closed, begun = before["closed_on"], after["created"]
            if (closed is not None and start <= begun <= end and 0 <= (begun - closed).days <= WINDOW_DAYS
                    and not any(e["prev_end"] is not None and closed <= e["start"] <= begun for e in eps)):
                replanned += 1
                re_families.add(fid)

    # plans closed; reviews on time; progress
    reasons = Counter()
    review_counts = Counter()
    reviews = defaultdict(list)
    for r in data["reviews"]:
        reviews[r["plan_id"]].append(r)
    scores = defaultdict(list)
    for s in data["scores"]:
        scores[s["plan_id"]].append(s)
    outcomes = defaultdict(list)
    for o in data["outcomes"]:
        outcomes[o["plan_id"]].append(o)
    improved, scored = Counter(), Counter()
    for fam_plans in plans.values():
        for p in fam_plans:
            if p["closed_on"] is not None and start <= p["closed_on"] <= end:
                reasons[p["closed_reason"] or NOT_RECORDED] += 1
            _reviews_due(p, sorted(reviews.get(p["id"], []), key=lambda r: (r["date"], r["id"])),
                         start, end, review_counts)
        active = [p for p in fam_plans if p["created"] <= end and (p["closed_on"] is None or p["closed_on"] >= start)]
        if active:
            plan = max(active, key=lambda p: p["id"])
            latest = {}
            for s in sorted(scores.get(plan["id"], []), key=lambda s: (s["date"], s["review_id"])):
                if isinstance(s["score"], (int, float)):
                    latest[str(s["outcome_id"])] = s["score"]
            change = defaultdict(list)
            for o in outcomes.get(plan["id"], []):
                if o["area"] and isinstance(o["baseline"], (int, float)) and str(o["outcome_id"]) in latest:
                    change[o["area"]].append(latest[str(o["outcome_id"])] - o["baseline"])
            for area, moves in change.items():
                scored[area] += 1
                improved[area] += sum(moves) > 0
    area_rows = [{"area": a["id"], "name": a["name"]} for a in areas]
    area_rows += [{"area": x, "name": x} for x in sorted(set(scored) - {a["id"] for a in areas})]
    progress = [dict(r, scored=scored[r["area"]], improved=improved[r["area"]],
                     improved_percent=percent(improved[r["area"]], scored[r["area"]])) for r in area_rows]
    reason_rows = [{"reason": k, "label": label, "count": reasons.pop(k, 0)} for k, label in close_reasons.items()]
    reason_rows += [{"reason": k, "label": k, "count": n} for k, n in sorted(reasons.items())]

    # reach
    reach_ids = {fid for fid, f in fams.items() if _open_during(f["episodes"], start, end)}

    def district_of(pc):
        try:
            return district(pc) if pc and district else None
        except InvalidInput:
            return None

    reach_fams = [fams[i] for i in sorted(reach_ids)]
    members = [m for m in data["members"] if m["family_id"] in reach_ids]
    due = review_counts["on_time"] + review_counts["late"] + review_counts["not_held"]
    return {
        "rungs": [{"id": lv["id"], "name": lv["name"], "rank": i} for i, lv in enumerate(levels, 1)]
        + [{"id": x, "name": x, "rank": None} for x in extra],
        "open_families": open_families,
        "rung_distribution": distribution,
        "steps": {"step_ups": sum(m["step_ups"] for m in by_month),
                  "step_downs": sum(m["step_downs"] for m in by_month), "by_month": by_month},
        "referrals": {"new": new, "assessed": assessed, "below_threshold": below, "met_threshold": assessed - below,
                      "not_assessed": new - assessed, "below_threshold_percent": percent(below, assessed)},
        "re_referrals": {"count": reopened + replanned, "families": len(re_families), "from_reopen": reopened,
                         "from_new_plan": replanned, "window_days": WINDOW_DAYS},
        "plans_closed": {"total": sum(r["count"] for r in reason_rows), "by_reason": reason_rows},
        "progress": progress,
        "timeliness": {
            "referral_to_assessment_days": days_summary(to_assessment),
            "referral_to_plan_days": days_summary(to_plan),
            "reviews": {"due": due, "on_time": review_counts["on_time"], "late": review_counts["late"],
                        "not_held": review_counts["not_held"],
                        "on_time_percent": percent(review_counts["on_time"], due)},
        },
        "reach": {
            "families": len(reach_fams), "members": len(members),
            "postcode_district": _grouped(district_of(f["postcode"]) for f in reach_fams),
            "language": _grouped(f["language"] for f in reach_fams),
            "interpreter": {"needed": sum(1 for f in reach_fams if f["interpreter"]),
                            "not_needed": sum(1 for f in reach_fams if not f["interpreter"])},
            "ethnicity": _grouped(m["ethnicity"] for m in members),
        },
    }


def _reviews_due(plan: dict, held: list[dict], start: dt.date, end: dt.date, counts: Counter) -> None:
    """Count the plan's review due dates in the period as on_time / late / not_held."""
    due = as_date(plan["first_review_date"]) or (as_date(plan["review_date"]) if not held else None)
    for n in range(len(held) + 1):
        if due is None or due > end or (plan["closed_on"] is not None and plan["closed_on"] <= due):
            return
        if n == len(held):
            counts["not_held"] += due >= start
            return
        review = held[n]
        if due >= start:
            counts["on_time" if as_date(review["date"]) <= due else "late"] += 1
        due = as_date(review["next_review_date"]) or as_date(review["version_review_date"])
