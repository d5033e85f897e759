"""The partnership board workbook (.xlsx) of `ehtool report --xlsx`.

Pseudonymised, always: counts only, never a name, reference or date of birth;
every count from 1 to 4 is the text "<5" (0 stays 0), and further cells are
hidden as "[c]" where a total would give a small count away, or where a
share, median or mean rests on a small count (the rules are
:func:`suppress_grid`, :func:`suppress_share` and :func:`suppress_stat`, in
:mod:`ehtool.documents.board_suppress`). There is no option to turn this off:
:func:`write_board` takes the report with real counts and suppresses them itself.

Sheets: Summary (period, locality, protective marking, generated date, what
the symbols mean, the definitions), then one sheet per measure (built in
:mod:`ehtool.documents.board_sheets`); the rung distribution and the step-ups
and step-downs have native Excel charts. This module writes them. Every
sheet carries the marking in its title and in the printed page header and
footer. Free text (localities, languages, ethnicities) goes through
:mod:`ehtool.documents.xlsx_safe`. Written atomically, mode 0600; openpyxl is
imported inside functions only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ehtool.documents.board_sheets import DECIMAL, PERCENT, sheets
from ehtool.documents.board_suppress import (
    HIDDEN_TEXT,
    SMALL_TEXT,
    is_small,
    suppress_grid,
    suppress_share,
    suppress_stat,
)
from ehtool.documents.xlsx_safe import write_text_cell
from ehtool.files import atomic_output

__all__ = [
    "DATE_FORMAT",
    "DECIMAL",
    "DEFINITIONS",
    "HIDDEN_TEXT",
    "PERCENT",
    "SMALL_TEXT",
    "SYMBOLS",
    "is_small",
    "sheets",
    "suppress_grid",
    "suppress_share",
    "suppress_stat",
    "write_board",
]

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


def _hf(text: str) -> str:
    return text.replace("&", "&&")


def _page(ws: Any, marking: str, left: str) -> None:
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


def _put(ws: Any, row: int, col: int, value: object, fmt: str | None = None, bold: bool = False) -> Any:
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


def _summary(ws: Any, report: dict, marking: str, names: list[str]) -> None:
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


def _sheet(ws: Any, spec: dict, marking: str, left: str) -> None:
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
