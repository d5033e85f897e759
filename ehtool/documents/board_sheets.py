"""The measure sheets of the board workbook, suppressed and ready to write.

Each sheet is a spec, ``{"name", "title", "blocks", "charts"}``: blocks of a header
and rows (counts already suppressed by :mod:`ehtool.documents.board_suppress`),
with number formats by column, and the charts to draw from them.
:mod:`ehtool.documents.board` writes them to the workbook."""

from __future__ import annotations

import datetime as dt

from ehtool.documents.board_suppress import HIDDEN_TEXT, suppress_grid, suppress_share, suppress_stat
from ehtool.domain import reporting as R

PERCENT = "0.0%"
DECIMAL = "0.0"


def _month_label(month: str) -> str:
    return dt.date.fromisoformat(month + "-01").strftime("%b %Y")


def _rung_names(report: dict) -> list[tuple[str, str]]:
    return [(r["id"], r["name"]) for r in report["rungs"]] + [(R.UNASSESSED, "Not yet assessed")]


def _column_block(heading: str | None, label: str, unit: str, items: list[tuple[str, int]], total: int) -> dict:
    grid = suppress_grid([[n] for _, n in items] + [[total]], total_row=True)
    rows = [[name, cells[0]] for (name, _), cells in zip(items, grid)]
    rows.append(["Total", grid[-1][0]])
    return {"heading": heading, "header": [label, unit], "rows": rows, "total_rows": 1}


def sheets(report: dict) -> list[dict]:
    """The measure sheets, suppressed: ``{"name", "title", "blocks", "charts"}``."""
    rungs = _rung_names(report)
    return [
        _open_families_sheet(report["open_families"], rungs),
        _rung_distribution_sheet(report["rung_distribution"], rungs),
        _steps_sheet(report["steps"]),
        _referrals_sheet(report["referrals"]),
        _re_referrals_sheet(report["re_referrals"]),
        _plans_closed_sheet(report["plans_closed"]),
        _progress_sheet(report["progress"]),
        _timeliness_sheet(report["timeliness"]),
        _reach_sheet(report["reach"]),
    ]


def _open_families_sheet(o: dict, rungs: list[tuple[str, str]]) -> dict:
    """Open families on the last day, by locality and rung, with totals both ways."""
    ids = [i for i, _ in rungs]
    lines = [[c["by_rung"][i] for i in ids] + [c["total"]] for c in o["by_locality"]]
    grid = suppress_grid(lines + [[o["by_rung"][i] for i in ids] + [o["total"]]], total_col=True, total_row=True)
    labels = [c["locality"] for c in o["by_locality"]] + ["All localities"]
    return {
        "name": "Open families",
        "title": f"Open families on {_day(o['as_of'])}, by locality and rung",
        "blocks": [
            {
                "header": ["Locality"] + [n for _, n in rungs] + ["Total"],
                "rows": [[lab] + cells for lab, cells in zip(labels, grid)],
                "total_rows": 1,
            }
        ],
        "charts": [],
    }


def _rung_distribution_sheet(dist: list[dict], rungs: list[tuple[str, str]]) -> dict:
    """Open families by rung at each month end, with a stacked chart."""
    ids = [i for i, _ in rungs]
    grid = suppress_grid([[m["by_rung"][i] for i in ids] + [m["total"]] for m in dist], total_col=True)
    return {
        "name": "Rung distribution",
        "title": "Open families by rung at each month end",
        "blocks": [
            {
                "header": ["Month"] + [n for _, n in rungs] + ["Total"],
                "rows": [[_month_label(m["month"])] + cells for m, cells in zip(dist, grid)],
                "total_rows": 0,
            }
        ],
        "charts": [
            {
                "kind": "stacked",
                "block": 0,
                "cols": (2, 1 + len(ids)),
                "anchor_col": len(ids) + 4,
                "title": "Open families by rung at month end",
                "y_title": "Families",
            }
        ],
    }


def _steps_sheet(st: dict) -> dict:
    """Step-ups and step-downs by month, with a clustered chart."""
    grid = suppress_grid(
        [[m["step_ups"], m["step_downs"]] for m in st["by_month"]] + [[st["step_ups"], st["step_downs"]]],
        total_row=True,
    )
    rows = [[_month_label(m["month"])] + cells for m, cells in zip(st["by_month"], grid)] + [["Total"] + grid[-1]]
    return {
        "name": "Steps",
        "title": "Step-ups and step-downs by month",
        "blocks": [{"header": ["Month", "Step-ups", "Step-downs"], "rows": rows, "total_rows": 1}],
        "charts": [
            {
                "kind": "clustered",
                "block": 0,
                "cols": (2, 3),
                "anchor_col": 6,
                "title": "Step-ups and step-downs",
                "y_title": "Assessments",
            }
        ],
    }


def _referrals_sheet(ref: dict) -> dict:
    """New referrals by threshold outcome, and the share below the threshold."""
    block = _column_block(
        None,
        "Referrals",
        "Families",
        [
            ("Did not meet the threshold (lowest rung)", ref["below_threshold"]),
            ("Met the threshold", ref["met_threshold"]),
            ("Not assessed", ref["not_assessed"]),
        ],
        ref["new"],
    )
    block["rows"][-1][0] = "New referrals"
    below, met = block["rows"][0][1], block["rows"][1][1]
    assessed = below + met if not isinstance(below, str) and not isinstance(met, str) else HIDDEN_TEXT
    share = suppress_share(below, assessed)
    return {
        "name": "Referrals",
        "title": "New referrals and the share that did not meet the threshold",
        "blocks": [
            block,
            {
                "header": ["Measure", "Share"],
                "formats": {2: PERCENT},
                "rows": [["Did not meet the threshold, of those assessed", share]],
            },
        ],
        "charts": [],
    }


def _re_referrals_sheet(rr: dict) -> dict:
    """Re-referrals within 12 months of closure, by kind, and the families re-referred."""
    block = _column_block(
        None,
        "Re-referrals within 12 months of closure",
        "Re-referrals",
        [("Family reopened", rr["from_reopen"]), ("New plan after a closed plan", rr["from_new_plan"])],
        rr["count"],
    )
    return {
        "name": "Re-referrals",
        "title": "Re-referrals within 12 months of closure",
        "blocks": [
            block,
            {
                "header": ["Measure", "Families"],
                "rows": [["Families re-referred", suppress_grid([[rr["families"]]])[0][0]]],
            },
        ],
        "charts": [],
    }


def _plans_closed_sheet(pc: dict) -> dict:
    """Plans closed in the period, by reason."""
    return {
        "name": "Plans closed",
        "title": "Plans closed in the period, by reason",
        "blocks": [
            _column_block(None, "Reason", "Plans", [(r["label"], r["count"]) for r in pc["by_reason"]], pc["total"])
        ],
        "charts": [],
    }


def _progress_sheet(prog: list[dict]) -> dict:
    """Per outcome area: improved, not improved, scored, and the improved share."""
    grid = suppress_grid([[p["improved"], p["scored"] - p["improved"], p["scored"]] for p in prog], total_col=True)
    return {
        "name": "Progress",
        "title": "Progress against outcome areas (latest review score against baseline)",
        "blocks": [
            {
                "header": ["Outcome area", "Improved", "Not improved", "Families scored", "Improved share"],
                "formats": {5: PERCENT},
                "rows": [[p["name"]] + cells + [suppress_share(cells[0], cells[2])] for p, cells in zip(prog, grid)],
            }
        ],
        "charts": [],
    }


def _timeliness_sheet(t: dict) -> dict:
    """Days from referral to assessment and to plan, and reviews on time."""
    stat_rows = []
    for label, key in (
        ("Referral to first assessment", "referral_to_assessment_days"),
        ("Referral to plan", "referral_to_plan_days"),
    ):
        s = t[key]
        stat_rows.append(
            [
                label,
                suppress_grid([[s["count"]]])[0][0],
                suppress_stat(s["median"], s["count"]),
                suppress_stat(s["mean"], s["count"]),
            ]
        )
    rv = t["reviews"]
    grid = suppress_grid([[rv["on_time"], rv["late"], rv["not_held"], rv["due"]]], total_col=True)[0]
    return {
        "name": "Timeliness",
        "title": "Timeliness",
        "blocks": [
            {
                "header": ["Measure", "Families", "Median days", "Mean days"],
                "formats": {3: DECIMAL, 4: DECIMAL},
                "rows": stat_rows,
            },
            {
                "heading": "Reviews that fell due in the period",
                "header": ["Reviews", "On time", "Late", "Not held", "Due", "On time share"],
                "formats": {6: PERCENT},
                "rows": [["Plan reviews"] + grid + [suppress_share(grid[0], grid[3])]],
            },
        ],
        "charts": [],
    }


def _reach_sheet(reach: dict) -> dict:
    """Families by postcode district, language and interpreter need; members by ethnicity."""
    interp = reach["interpreter"]
    return {
        "name": "Reach",
        "title": "Reach: families open at some time in the period",
        "charts": [],
        "blocks": [
            _column_block(
                "Postcode district",
                "District",
                "Families",
                [(r["value"], r["count"]) for r in reach["postcode_district"]],
                reach["families"],
            ),
            _column_block(
                "Main language",
                "Language",
                "Families",
                [(r["value"], r["count"]) for r in reach["language"]],
                reach["families"],
            ),
            _column_block(
                "Interpreter",
                "Interpreter needed",
                "Families",
                [("Yes", interp["needed"]), ("No", interp["not_needed"])],
                reach["families"],
            ),
            _column_block(
                "Ethnicity (family members)",
                "Ethnicity",
                "Members",
                [(r["value"], r["count"]) for r in reach["ethnicity"]],
                reach["members"],
            ),
        ],
    }


def _day(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%b %Y')}"
