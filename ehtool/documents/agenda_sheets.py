"""Pieces of the agenda workbook: styles, print setup, the Summary, Key and
hidden metadata sheets, and the Decision dropdown. Used by
:func:`ehtool.documents.agenda.write_agenda`; openpyxl is imported inside
functions only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ehtool import __version__
from ehtool.documents.agenda_layout import (
    COLUMNS,
    DATE_FORMAT,
    FIRST_ITEM_ROW,
    KEY_DECISIONS_FIRST_ROW,
    KEY_SHEET,
    META_FORMAT,
    META_VERSION,
    meta_digest,
)
from ehtool.documents.xlsx_safe import (
    LineCounter,
    default_style_array,
    guard_text_cell,
    line_room,
    row_height,
    set_row_height,
    text_cell,
    text_lines,
    use_default_alignment,
)
from ehtool.domain.panels import REASONS

if TYPE_CHECKING:
    from ehtool.domain.decisions import Decision

TITLE_SIZE = 13  # points, the sheets' titles


def hf_escape(text: str) -> str:
    """Text for a page header/footer: "&" is a code there, so double it."""
    return text.replace("&", "&&")


def page_setup(ws, marking: str, left: str, *, landscape: bool) -> None:
    """A4, one page wide, gridlines; the marking centred in header and footer,
    ``left`` at the top left and "Page n of m" at the bottom right. The
    header and footer sit 0.3 inch from the edge, clear of the rows."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddHeader.left.text = hf_escape(left)[:100]
    ws.oddHeader.center.text = "&B" + hf_escape(marking)
    ws.oddFooter.center.text = "&B" + hf_escape(marking)
    ws.oddFooter.right.text = "Page &P of &N"


def set_widths(ws, widths) -> None:
    """Column widths; on a write-only sheet, call before the first row.

    The columns keep the workbook's default (wrapped, top-aligned) format, so
    that text a chair types into an empty cell wraps too.
    """
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, 1):
        dim = ws.column_dimensions[get_column_letter(index)]
        dim.width = width
        dim._style = default_style_array(ws.parent)


class FittedRows:
    """Appends rows to a write-only sheet, each as tall as its tallest text.

    ``widths`` are the sheet's column widths; ``row`` the number of the next
    row to be appended.
    """

    def __init__(self, ws, widths, *, row: int = 1) -> None:
        self.ws = ws
        self.widths = list(widths)
        self.row = row
        self._lines = LineCounter(self.widths)
        self._bold_lines = LineCounter(self.widths, bold=True)

    def append(self, values, *, bold: bool = False, min_lines: int = 1) -> None:
        lines = (self._bold_lines if bold else self._lines)(values)
        set_row_height(self.ws, self.row, row_height(max(lines, min_lines)))
        self.ws.append(values)
        self.row += 1

    def title(self, cell, text: str) -> None:
        """A title row: ``cell`` (holding ``text``) merged across every column,
        wrapped if it is longer than the sheet is wide."""
        from openpyxl.utils import get_column_letter

        lines = text_lines([text], [line_room(sum(self.widths), size=TITLE_SIZE)], bold=True)
        if len(self.widths) > 1:
            self.ws.merged_cells.add(f"A{self.row}:{get_column_letter(len(self.widths))}{self.row}")
        set_row_height(self.ws, self.row, 24.0 if lines == 1 else row_height(lines, line_height=20.0))
        self.ws.append([cell])
        self.row += 1


class Styles:
    """Styled cells for titles, headers and dates; plain cells stay unstyled.

    Plain cells use the workbook's default format, which is made wrapped and
    top-aligned (:func:`ehtool.documents.xlsx_safe.use_default_alignment`),
    so only these few kinds of cell carry a style of their own. Create before
    any sheet is written.
    """

    def __init__(self, wb) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        use_default_alignment(wb, wrap_text=True, vertical="top")
        top = Alignment(wrap_text=True, vertical="top")

        def font(**kw):  # the default font (named: LibreOffice would pick a serif)
            return Font(name="Calibri", family=2, scheme="minor", bold=True, **kw)

        self._spec = {
            "title": dict(font=font(size=TITLE_SIZE), alignment=Alignment(wrap_text=True, vertical="center")),
            "header": dict(
                font=font(size=11),
                alignment=top,
                fill=PatternFill("solid", fgColor="D9E1F2"),
                border=Border(bottom=Side(style="thin")),
            ),
            "bold": dict(font=font(size=11), alignment=top),
            "date": dict(number_format=DATE_FORMAT, alignment=top),
        }
        self._arrays: dict[str, Any] = {}

    def cell(self, ws, name: str, value: Any):
        """A ``WriteOnlyCell`` of style ``name`` holding ``value`` (text already cleaned)."""
        from openpyxl.cell import WriteOnlyCell

        array = self._arrays.get(name)
        if array is None:
            probe = WriteOnlyCell(ws)
            for attr, setting in self._spec[name].items():
                setattr(probe, attr, setting)
            array = self._arrays[name] = probe._style
        cell = WriteOnlyCell(ws)
        cell._style = type(array)(array)
        cell.value = value
        guard_text_cell(cell)
        return cell

    def row(self, ws, name: str, *values: Any) -> list:
        return [self.cell(ws, name, v) for v in values]


def decision_validation(col: str, last_row: int, labels: list[str]):
    """The Decision dropdown over the item rows: only the decision labels.

    An inline list (it cannot be widened by editing the Key sheet, and every
    spreadsheet program understands it) while it fits Excel's 255
    characters; otherwise the list on the Key sheet.
    """
    from openpyxl.worksheet.datavalidation import DataValidation

    inline = '"' + ",".join(labels) + '"'
    if len(inline) <= 255 and not any("," in label or '"' in label for label in labels):
        formula = inline
    else:  # a partnership's long list: the labels on the Key sheet
        first = KEY_DECISIONS_FIRST_ROW
        formula = f"'{KEY_SHEET}'!$A${first}:$A${first + len(labels) - 1}"
    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Not a panel decision",
        error="Choose one of the decisions in the list (the Key sheet says what each means).",
        showInputMessage=True,
        promptTitle="Decision",
        prompt="Choose the panel's decision from the list.",
    )
    dv.add(f"{col}{FIRST_ITEM_ROW}:{col}{last_row}")
    return dv


def write_summary(
    ws,
    styles: Styles,
    items: list[dict],
    reasons: list[str | None],
    profile_levels: list[dict],
    title: str,
    marking: str,
    left: str,
) -> None:
    """Counts of items by reason and by rung, each with a total."""
    widths = [40, 10]
    set_widths(ws, widths)
    page_setup(ws, marking, left, landscape=False)
    out = FittedRows(ws, widths)
    text = "Summary — " + title
    out.title(styles.cell(ws, "title", text), text)
    out.append([])
    by_reason = Counter(reasons)
    out.append(styles.row(ws, "header", "By reason", "Items"), bold=True)
    for rid, label in REASONS.items():
        out.append([label, by_reason.get(rid, 0)])
    out.append(styles.row(ws, "bold", "Total", len(items)), bold=True)
    out.append([])
    out.append(styles.row(ws, "header", "By rung", "Items"), bold=True)
    by_rung = Counter("" if i.get("level") in (None, "") else str(i.get("level")) for i in items)
    for level in profile_levels:
        lid = str(level.get("id"))
        out.append([text_cell(ws, level.get("name") or lid, field="rung name"), by_rung.pop(lid, 0)])
    for lid, count in sorted(by_rung.items()):
        label = "Not assessed" if lid == "" else f"{lid} (not in the profile)"
        out.append([text_cell(ws, label, field="rung"), count])
    out.append(styles.row(ws, "bold", "Total", len(items)), bold=True)


def write_key(
    ws,
    styles: Styles,
    profile_levels: list[dict],
    title: str,
    marking: str,
    left: str,
    named: bool,
    decisions: Sequence[Decision],
) -> None:
    """What each column means, the decisions, the rungs and the marking.

    The decisions start at row KEY_DECISIONS_FIRST_ROW, column A.
    """
    widths = [28, 52, 48]
    set_widths(ws, widths)
    page_setup(ws, marking, left, landscape=False)
    out = FittedRows(ws, widths)
    text = "Key — " + title
    out.title(styles.cell(ws, "title", text), text)
    out.append([])
    out.append(styles.row(ws, "header", "Protective marking", marking), bold=True)
    handling = (
        "Contains names: share only with people who need them for this panel."
        if named
        else "Pseudonymised: families are shown by reference and initials. Do not add names."
    )
    out.append(["Handling", handling])
    out.append([])
    out.append(styles.row(ws, "header", "Column", "What it means", "Filled in by"), bold=True)
    for header, _width, meaning, who in COLUMNS:
        out.append([header, meaning, who])
    out.append([])
    out.append(styles.row(ws, "header", "Decision (the Decision list)", "What it means"), bold=True)
    for d in decisions:
        out.append([text_cell(ws, d.label, field="decision"), text_cell(ws, d.meaning, field="decision meaning")])
    out.append([])
    out.append(styles.row(ws, "header", "Rung", "Name", "Description"), bold=True)
    for level in profile_levels:
        out.append(
            [
                text_cell(ws, level.get("id"), field="rung id"),
                text_cell(ws, level.get("name"), field="rung name"),
                text_cell(ws, level.get("description"), field="rung description"),
            ]
        )


def write_meta(
    ws, panel_id: str, locality: str, date_iso: str, marking: str, named: bool, pairs: list[tuple[int, str]]
) -> None:
    """The very hidden metadata: key in A, value in B; then one row per item
    ("item", number, family reference) in agenda order."""

    def put(*values):
        ws.append([text_cell(ws, v, field="metadata") if isinstance(v, str) else v for v in values])

    ws.sheet_state = "veryHidden"
    put("format", META_FORMAT)
    put("version", META_VERSION)
    put("ehtool", __version__)
    put("panel_id", panel_id)
    put("locality", locality)
    put("date", date_iso)
    put("marking", marking)
    put("named", "yes" if named else "no")
    put("digest", meta_digest(panel_id, locality, date_iso, pairs))
    put("items", len(pairs))
    for number, ref in pairs:
        put("item", number, ref)
