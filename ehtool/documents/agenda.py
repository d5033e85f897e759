"""The locality panel agenda workbook (.xlsx): writing it, and (through
:mod:`ehtool.documents.agenda_read`) reading the chair's decisions back.

The workbook has four sheets:

* **Agenda** (the one a chair prints and fills in): row 1 the title, merged
  across, with the locality, date, chair and protective marking; row 2 the
  column headers (:data:`HEADERS`); one row per item from row 3. The
  coordinator's own notes for an item go in their own "Coordinator notes"
  column, before the chair's columns, so that the chair's "Notes" column
  starts empty and everything read back from it is the panel's. The chair
  fills in Decision (a dropdown that rejects anything outside
  :data:`ehtool.domain.panels.DECISIONS`), Actions, Allocated to and Notes. Frozen
  below the header, autofilter on the header, wrapped and top-aligned text,
  A4 landscape fitted to one page wide with the header row repeated on every
  printed page, and the marking in the page header and footer. The columns
  add up to about 226 characters, so the page prints at about two thirds of
  full size; each row is given a height worked out from its longest text
  (:data:`ITEM_MIN_LINES` lines at least, room for a chair's pen), because
  neither Excel nor LibreOffice fits rows to wrapped text when opening a
  file.
* **Summary**: how many items by reason and by rung, with totals.
* **Key**: what each column means and who fills it in, the decisions (the
  dropdown's list) with their meanings, the rungs of the partnership's
  continuum of need, and the protective marking.
* **_meta** (very hidden): the panel id, locality and date, and each item's
  number and family reference as exported, with a SHA-256 digest of them, so
  that reading the decisions back can tell the agenda of another panel, an
  edited family reference or an added row. (The digest catches an accidental
  edit of the hidden sheet, not a deliberate forgery.)

Dates are real date cells shown as "3 Dec 2026" (so they sort and filter as
dates); the title uses the same form; the hidden sheet stores ISO dates.
Every free-text value goes through :mod:`ehtool.documents.xlsx_safe`
(control characters removed, overlong text refused, formula-like text kept
as quote-prefixed text). Written with openpyxl's write-only (streaming)
workbook, atomically, mode 0600.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ehtool.documents import agenda_sheets as sheets
from ehtool.documents.agenda_layout import (  # the layout, shared with the sheets and the read-back
    _TEXT_FIELDS,
    AGENDA_SHEET,
    COLUMNS,
    DEFAULT_MARKING,
    FIRST_ITEM_ROW,
    HEADER_ROW,
    HEADERS,
    ITEM_MIN_LINES,
    KEY_SHEET,
    META_SHEET,
    SUMMARY_SHEET,
    TITLE_ROW,
    show_date,
)
from ehtool.documents.agenda_read import read_decisions as _read
from ehtool.documents.xlsx_safe import (
    LineCounter,
    row_height,
    safe_cell_text,
    set_row_height,
    text_cell,
)
from ehtool.domain.decisions import DEFAULT_DECISIONS, Decision
from ehtool.domain.panels import REASONS, is_children_summary, is_initials, reason_id
from ehtool.domain.validators.dates import as_date
from ehtool.errors import InvalidInput
from ehtool.files import atomic_output


def _rung_display(item: dict, levels: dict[str, dict]) -> str:
    level = item.get("level")
    name = item.get("level_name")
    if name:
        return str(name)
    if level is None or level == "":
        return "Not assessed"
    found = levels.get(str(level))
    return str(found.get("name") or level) if found else str(level)


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    return int(value)


def _prepare_items(ws, items: list[dict], levels: dict[str, dict], named: bool, problems: list[str]):
    """The item rows (values ready to append), the (item, reference) pairs
    for the metadata, and each item's reason id; problems are appended."""
    rows = []
    reasons: list[str | None] = []
    pairs: list[tuple[int, str]] = []
    seen: dict[int, int] = {}
    for index, item in enumerate(items, 1):
        number, where = _item_number(item, index, seen, problems)
        text = _item_text(ws, item, where, problems)
        ref = text["family_id"]
        ref_text = _family_ref_text(ref, where, problems)
        where = f"{where} ({ref_text})" if ref_text else where
        if not named:
            _check_pseudonymised(item, where, problems)
        rid = reason_id(item.get("reason"))
        if rid is None:
            problems.append(f"{where}: unknown reason {item.get('reason')!r} (one of: " + ", ".join(REASONS) + ")")
        assessed, days = _item_date_and_days(item, where, problems)
        rung = _item_rung(ws, item, levels, where, problems)
        reasons.append(rid)
        if number is not None and ref_text:
            pairs.append((number, ref_text))
        rows.append(_item_row(number, ref, text, rid, rung, assessed, days))
    return rows, pairs, reasons


def _item_number(item: dict, index: int, seen: dict[int, int], problems: list[str]) -> tuple[int | None, str]:
    """The item's number (None if not a whole number) and how problems name the item;
    a missing or repeated number is a problem, and first sightings go in ``seen``."""
    try:
        number = _int_or_none(item.get("item"))
    except (TypeError, ValueError):
        number = None
    where = f"item {item.get('item')!r}" if number is None else f"item {number}"
    if number is None:
        problems.append(f"agenda entry {index}: the item number {item.get('item')!r} is not a whole number")
    elif number in seen:
        problems.append(f"{where}: appears twice (entries {seen[number]} and {index})")
    else:
        seen[number] = index
    return number, where


def _item_text(ws: Any, item: dict, where: str, problems: list[str]) -> dict[str, Any]:
    """The item's free-text fields made safe for cells (None where refused; problems appended)."""
    text: dict[str, Any] = {}
    for key, header in _TEXT_FIELDS:
        try:
            text[key] = text_cell(ws, item.get(key), field=header)
        except InvalidInput as exc:  # the field is named, and the item too
            problems.extend(f"{where}: {p}" for p in exc.problems or [exc.message])
            text[key] = None
    return text


def _family_ref_text(ref: Any, where: str, problems: list[str]) -> str:
    """The family reference's text ("" if there is none); a missing or padded one is a problem."""
    ref_text = ref if isinstance(ref, str) or ref is None else ref.value
    if not ref_text or not ref_text.strip():
        problems.append(f"{where}: no family reference")
        ref_text = ""
    elif ref_text != ref_text.strip():
        problems.append(f"{where}: the family reference has spaces around it")
    return ref_text


def _check_pseudonymised(item: dict, where: str, problems: list[str]) -> None:
    """On a pseudonymised agenda, Family must be initials and Children initials and ages."""
    family = item.get("family")
    if not is_initials(None if family is None else str(family)):
        problems.append(
            f"{where}: Family is not initials, and this agenda is pseudonymised "
            "(export with names only if every reader may see them)"
        )
    children = item.get("children")
    if not is_children_summary(None if children is None else str(children)):
        problems.append(f"{where}: Children are not initials and ages, and this agenda is pseudonymised")


def _item_date_and_days(item: dict, where: str, problems: list[str]) -> tuple[_dt.date | None, int | None]:
    """The assessment date and the days since referral (None where not valid; problems appended)."""
    try:
        assessed = as_date(item.get("assessed_on"), strict=True)
    except (TypeError, ValueError):
        problems.append(f"{where}: Assessed on {item.get('assessed_on')!r} is not a date (YYYY-MM-DD)")
        assessed = None
    try:
        days = _int_or_none(item.get("days_since_referral"))
    except (TypeError, ValueError):
        problems.append(f"{where}: Days since referral {item.get('days_since_referral')!r} is not a whole number")
        days = None
    return assessed, days


def _item_rung(ws: Any, item: dict, levels: dict[str, dict], where: str, problems: list[str]) -> Any:
    """The item's current rung as a cell value (None if refused; problems appended)."""
    try:
        return text_cell(ws, _rung_display(item, levels), field="Current rung")
    except InvalidInput as exc:
        problems.extend(f"{where}: {p}" for p in exc.problems or [exc.message])
        return None


def _item_row(
    number: int | None,
    ref: Any,
    text: dict[str, Any],
    rid: str | None,
    rung: Any,
    assessed: _dt.date | None,
    days: int | None,
) -> list[Any]:
    """The item's row on the Agenda sheet, in column order."""
    return [
        number,
        ref,
        text["family"],
        text["children"],
        None if rid is None else REASONS.get(rid),
        rung,
        assessed,
        text["matters"],
        text["lead_professional"],
        text["agencies"],
        text["consent"],
        days,
        text["presenter"],
        text["notes"],
    ]


def write_agenda(
    dest: Path,
    panel: dict,
    items: list[dict],
    *,
    profile_levels: list[dict],
    marking: str = DEFAULT_MARKING,
    named: bool = False,
    decisions: Sequence[Decision] = DEFAULT_DECISIONS,
) -> Path:
    """Write the agenda workbook for ``panel`` to ``dest`` (atomically, mode 0600).

    ``panel``: {"id", "locality", "date" (ISO text or date), "chair"}.
    ``items``: one dict per family, keys "item", "family_id", "family",
    "children", "reason" (an id or label of REASONS), "level", "level_name",
    "assessed_on", "matters", "lead_professional", "agencies", "consent",
    "days_since_referral", "presenter", "notes" (the coordinator's).
    ``profile_levels``: [{"id", "name", "description"}] of the partnership's
    threshold profile. ``decisions``: what this kind of panel can decide (the
    Decision dropdown and the Key). ``panel`` may name its kind ("kind_name",
    for the title; "Locality panel" when absent). Unless ``named``, "family" and "children" must be
    initials (see :func:`ehtool.domain.panels.initials`). Every problem with the
    input is collected and raised as one :class:`InvalidInput`, and then no
    file is written.
    """
    from openpyxl import Workbook

    dest = Path(dest)
    problems: list[str] = []
    wb = Workbook(write_only=True)
    wb.properties.creator = "ehtool"
    wb.properties.title = "Locality panel agenda"
    styles = sheets.Styles(wb)  # before any sheet is written
    ws = wb.create_sheet(AGENDA_SHEET)
    panel_id, locality, chair, marking, date = _panel_details(panel, marking, problems)
    levels = {str(level.get("id")): level for level in profile_levels}
    rows, pairs, reasons = _prepare_items(ws, items, levels, named, problems)
    if problems or date is None:
        raise InvalidInput(
            f"Cannot write the agenda for panel {panel_id or '?'}: {len(problems)} problem(s).",
            hint="Correct what is named, then export again.",
            problems=problems,
        )

    when = show_date(date)
    kind = safe_cell_text(panel.get("kind_name") or "Locality panel", field="panel kind", max_len=200).strip()
    title = f"{kind} — {locality} — {when} — Chair: {chair or 'not set'} — {marking}"
    left = f"{kind}: {locality}, {when}"
    _write_agenda_sheet(ws, styles, rows, title, marking, left, [d.label for d in decisions])
    sheets.write_summary(wb.create_sheet(SUMMARY_SHEET), styles, items, reasons, profile_levels, title, marking, left)
    sheets.write_key(wb.create_sheet(KEY_SHEET), styles, profile_levels, title, marking, left, named, decisions)
    sheets.write_meta(wb.create_sheet(META_SHEET), panel_id, locality, date.isoformat(), marking, named, pairs)
    with atomic_output(dest) as tmp:
        wb.save(tmp)
    return dest


def _panel_details(panel: dict, marking: str, problems: list[str]) -> tuple[str, str, str, str, _dt.date | None]:
    """The panel's id, locality, chair, the marking (all made safe for cells) and the
    panel date (None if not a date); problems are appended."""

    def clean(value: Any, field: str, max_len: int) -> str:
        try:
            return safe_cell_text(value, field=field, max_len=max_len).strip()
        except InvalidInput as exc:
            problems.extend(exc.problems or [exc.message])
            return ""

    panel_id = clean(panel.get("id"), "panel id", 100)
    locality = clean(panel.get("locality"), "panel locality", 200)
    chair = clean(panel.get("chair"), "panel chair", 500)
    marking = clean(marking, "protective marking", 100)
    if not panel_id:
        problems.append("the panel has no id")
    try:
        date = as_date(panel.get("date"), strict=True)
    except (TypeError, ValueError):
        date = None
    if date is None:
        problems.append(f"the panel date {panel.get('date')!r} is not a date (YYYY-MM-DD)")
    return panel_id, locality, chair, marking, date


def _write_agenda_sheet(
    ws: Any, styles: Any, rows: list[list[Any]], title: str, marking: str, left: str, labels: list[str]
) -> None:
    """The Agenda sheet: its settings (first: a write-only sheet streams from its first
    row), then the title, the header and the item rows."""
    from openpyxl.utils import get_column_letter

    last_col = get_column_letter(len(HEADERS))
    last_row = HEADER_ROW + len(rows)
    widths = [c[1] for c in COLUMNS]
    sheets.set_widths(ws, widths)
    ws.freeze_panes = f"A{FIRST_ITEM_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last_row}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheets.page_setup(ws, marking, left, landscape=True)
    if rows:
        decision_col = get_column_letter(HEADERS.index("Decision") + 1)
        ws.data_validations.append(sheets.decision_validation(decision_col, last_row, labels))

    out = sheets.FittedRows(ws, widths, row=TITLE_ROW)
    out.title(styles.cell(ws, "title", title), title)
    out.append(styles.row(ws, "header", *HEADERS), bold=True)
    # The item rows, each one's height set just before it is written. A row
    # is written as it is appended, so one date cell serves every row.
    date_col = HEADERS.index("Assessed on")
    date_cell = styles.cell(ws, "date", None)
    lines = LineCounter(widths)
    for number, row in enumerate(rows, FIRST_ITEM_ROW):
        set_row_height(ws, number, row_height(max(ITEM_MIN_LINES, lines(row))))
        if row[date_col] is not None:
            date_cell.value = row[date_col]
            row[date_col] = date_cell
        ws.append(row)


def read_decisions(path: Path, *, expected: dict, warnings: list[str] | None = None) -> list[dict]:
    """Read the chair's decisions back; see :func:`ehtool.documents.agenda_read.read_decisions`."""

    return _read(path, expected=expected, warnings=warnings)
