"""The partnership board workbook (.xlsx) of `ehtool report --xlsx`.

Pseudonymised, always: counts only, never a name, reference or date of birth;
every count from 1 to 4 is the text "<5" (0 stays 0), and further cells are
hidden as "[c]" where a total would give a small count away, or where a
share, median or mean rests on a small count (the rules are
:func:`suppress_grid`, :func:`suppress_share` and :func:`suppress_stat`). There is no option to turn this off: :func:`write_board`
takes the report with real counts and suppresses them itself.

Sheets: Summary (period, locality, protective marking, generated date, what
the symbols mean, the definitions), then one sheet per measure; the rung
distribution and the step-ups and step-downs have native Excel charts. Every
sheet carries the marking in its title and in the printed page header and
footer. Free text (localities, languages, ethnicities) goes through
:mod:`ehtool.documents.xlsx_safe`. Written atomically, mode 0600; openpyxl is
imported inside functions only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ehtool.documents.xlsx_safe import write_text_cell
from ehtool.domain import reporting as R
from ehtool.files import atomic_output

SMALL_TEXT = "<5"  # a count from 1 to 4
HIDDEN_TEXT = "[c]"  # hidden so a small count cannot be worked out, or computed from one
PERCENT = "0.0%"
DECIMAL = "0.0"
DATE_FORMAT = "d mmm yyyy"
SYMBOLS = [
    (SMALL_TEXT, "A count from 1 to 4 (small numbers are not shown, so no family can be recognised)."),
    (
        HIDDEN_TEXT,
        "Hidden so that a small count cannot be worked out from a total, or a share, median or mean "
        "that rests on a small count.",
    ),
    ("0", "None."),
    ("(blank)", "Nothing to measure (no cases)."),
]
DEFINITIONS = [
    (
        "Open families",
        "Families open on the last day of the period, by their rung then (their latest "
        "assessment on or before that day) and their locality.",
    ),
    (
        "Rung distribution",
        "Families open on the last day of each month (the last month: the period's last day), "
        "by rung. The chart plots '<5' and '[c]' cells as nothing.",
    ),
    ("Step-ups and step-downs", "Assessments dated in the month that moved the family up or down the continuum."),
    (
        "Referrals",
        "Referrals in the period (a reopened family counts). Did not meet the threshold: its first "
        "assessment placed it on the lowest rung.",
    ),
    (
        "Re-referrals",
        "A family reopened within 12 months (365 days) of its previous closure, or a new plan "
        "started within 12 months of the family's previous plan closing.",
    ),
    ("Plans closed", "Plans closed in the period, by the reason recorded."),
    (
        "Progress",
        "Families with a plan open in the period and an outcome in the area with a baseline and a "
        "score at a review: improved when their latest scores in the area, taken together, are "
        "above their baselines.",
    ),
    (
        "Timeliness",
        "Days from referral to the first assessment (assessments in the period) and to the first "
        "plan (plans started in the period). A review is on time when held on or before the date "
        "it was due (set when the plan was written or at the previous review).",
    ),
    ("Reach", "Families open at some time in the period; their members by ethnicity."),
]


# -- small-number suppression ---------------------------------------------------


def is_small(n) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 4


def suppress_grid(grid: list[list[int]], *, total_col: bool = False, total_row: bool = False) -> list[list]:
    """Counts for a pseudonymised table.

    Every count from 1 to 4 becomes ``"<5"`` (0 stays 0). Where the table has
    totals (``total_col``: each row's last cell is its total; ``total_row``:
    the last row holds the column totals), a line (a row or column with its
    total) in which only one cell is hidden would give that cell away by
    subtraction, so its smallest other non-zero cell is hidden too, shown as
    ``"[c]"``; repeated until no line has exactly one hidden cell."""
    rows = len(grid)
    cols = len(grid[0]) if rows else 0
    primary = {(r, c) for r in range(rows) for c in range(cols) if is_small(grid[r][c])}
    hidden = set(primary)
    lines = []
    if total_col:
        lines += [[(r, c) for c in range(cols)] for r in range(rows)]
    if total_row:
        lines += [[(r, c) for r in range(rows)] for c in range(cols)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(p in hidden for p in line) == 1:
                shown = [p for p in line if p not in hidden and grid[p[0]][p[1]] > 0]
                if shown:
                    hidden.add(min(shown, key=lambda p: (grid[p[0]][p[1]], p)))
                    changed = True
    return [
        [SMALL_TEXT if (r, c) in primary else HIDDEN_TEXT if (r, c) in hidden else grid[r][c] for c in range(cols)]
        for r in range(rows)
    ]


def suppress_share(part, whole):
    """A share (0 to 1) of two *displayed* counts: hidden if either is hidden
    or small, or if ``whole - part`` is from 1 to 4; None when ``whole`` is 0."""
    if isinstance(part, str) or isinstance(whole, str):
        return HIDDEN_TEXT
    if whole == 0:
        return None
    if is_small(part) or is_small(whole) or is_small(whole - part):
        return HIDDEN_TEXT
    return part / whole


def suppress_stat(value, count):
    """A median or mean over ``count`` cases: hidden when the count is 1 to 4."""
    if not count:
        return None
    return HIDDEN_TEXT if is_small(count) else value


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


def _hf(text: str) -> str:
    return text.replace("&", "&&")


def _page(ws, marking: str, left: str) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.oddHeader.left.text = _hf(left)[:100]
    ws.oddHeader.center.text = "&B" + _hf(marking)
    ws.oddFooter.center.text = "&B" + _hf(marking)
    ws.oddFooter.right.text = "Page &P of &N"


def _put(ws, row: int, col: int, value, fmt: str | None = None, bold: bool = False):
    from openpyxl.styles import Font

    if isinstance(value, str):
        cell = write_text_cell(ws, row, col, value, field="report cell")
    else:
        cell = ws.cell(row=row, column=col, value=value)
        if fmt and isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
            cell.number_format = fmt
    if bold:
        cell.font = Font(bold=True)
    return cell


def _summary(ws, report: dict, marking: str, names: list[str]) -> None:
    period = report["period"]
    _put(ws, 1, 1, f"Early help partnership board report — {marking}", bold=True)
    rows = [
        ("Protective marking", marking),
        ("Period from", dt.date.fromisoformat(period["from"])),
        ("Period to", dt.date.fromisoformat(period["to"])),
        ("Locality", report["locality"] or "All localities"),
        ("Threshold profile", report["profile"]["name"]),
        ("Generated on", dt.date.fromisoformat(report["generated_on"])),
        ("Generated by", report["generated_by"]),
        ("Contents", "Counts only, pseudonymised: no names, references or dates of birth."),
    ]
    r = 3
    for label, value in rows:
        _put(ws, r, 1, label, bold=True)
        _put(ws, r, 2, value, DATE_FORMAT)
        r += 1
    for heading, pairs in (("Symbols", SYMBOLS), ("Definitions", DEFINITIONS), ("Sheets", [(n, "") for n in names])):
        r += 1
        _put(ws, r, 1, heading, bold=True)
        r += 1
        for a, b in pairs:
            _put(ws, r, 1, a)
            _put(ws, r, 2, b)
            r += 1
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100


def _sheet(ws, spec: dict, marking: str, left: str) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    _put(ws, 1, 1, f"{spec['title']} — {marking}", bold=True)
    r, placed = 3, []
    for block in spec["blocks"]:
        if block.get("heading"):
            _put(ws, r, 1, block["heading"], bold=True)
            r += 1
        for c, text in enumerate(block["header"], 1):
            _put(ws, r, c, text, bold=True)
        placed.append(r)
        for row in block["rows"]:
            r += 1
            for c, value in enumerate(row, 1):
                _put(ws, r, c, value, block.get("formats", {}).get(c))
        r += 2
    widths = max(len(b["header"]) for b in spec["blocks"])
    ws.column_dimensions["A"].width = 44
    for c in range(2, widths + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16
    for chart in spec["charts"]:
        block = spec["blocks"][chart["block"]]
        head = placed[chart["block"]]
        last = head + len(block["rows"]) - block.get("total_rows", 0)
        bar = BarChart()
        bar.type = "col"
        if chart["kind"] == "stacked":
            bar.grouping, bar.overlap = "stacked", 100
        bar.title = chart["title"]
        bar.y_axis.title = chart["y_title"]
        bar.x_axis.delete = bar.y_axis.delete = False
        bar.height, bar.width = 9, 22
        first_col, last_col = chart["cols"]
        bar.add_data(
            Reference(ws, min_col=first_col, max_col=last_col, min_row=head, max_row=last), titles_from_data=True
        )
        bar.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
        ws.add_chart(bar, f"{get_column_letter(chart['anchor_col'])}3")
    ws.freeze_panes = "A2"
    _page(ws, marking, left)


def write_board(report: dict, dest: str | Path, *, marking: str) -> dict:
    """Write the pseudonymised board workbook; returns ``{"path", "sheets"}``."""
    from openpyxl import Workbook

    specs = sheets(report)
    names = ["Summary"] + [s["name"] for s in specs]
    left = f"Board report {report['period']['from']} to {report['period']['to']}"
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    _summary(ws, report, marking, names[1:])
    _page(ws, marking, left)
    for spec in specs:
        _sheet(wb.create_sheet(spec["name"]), spec, marking, left)
    with atomic_output(dest) as tmp:
        wb.save(tmp)
    return {"path": str(dest), "sheets": names}
