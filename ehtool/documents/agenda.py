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
import hashlib
import json
from pathlib import Path
from typing import Any

from ehtool.documents.xlsx_safe import (
    LineCounter,
    row_height,
    safe_cell_text,
    set_row_height,
    text_cell,
)
from ehtool.domain.panels import REASONS, is_children_summary, is_initials, reason_id
from ehtool.errors import InvalidInput
from ehtool.files import atomic_output

AGENDA_SHEET = "Agenda"
SUMMARY_SHEET = "Summary"
KEY_SHEET = "Key"
META_SHEET = "_meta"
META_FORMAT = "ehtool-agenda"
META_VERSION = 1
TITLE_ROW = 1
HEADER_ROW = 2
FIRST_ITEM_ROW = 3
DATE_FORMAT = "d mmm yyyy"
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"

COORDINATOR = "Coordinator, before the panel"
CHAIR = "Chair, at the panel"
# (header, width, meaning, who fills it in). Widths are in characters and add
# up to 226 (they were 356): on A4 landscape, fitted to one page wide, that
# prints at about two thirds of full size (LibreOffice: 63%, 11-point text
# printed at 7 points; it was 38%). Each column is at least as wide as the
# longest word of its header in bold, so no header word is broken; a date
# needs 12.
COLUMNS: tuple[tuple[str, float, str, str], ...] = (
    ("Item", 6, "The item's number on this panel's agenda.", COORDINATOR),
    ("Family reference", 10, "The family's ehtool reference. Do not change it: decisions are "
     "matched to families by it.", COORDINATOR),
    ("Family", 7, "The family: initials on a pseudonymised agenda, or the name.", COORDINATOR),
    ("Children", 12, "The children, with their ages (years; months under 2).", COORDINATOR),
    ("Reason", 12, "Why the family is on the agenda: " + ", ".join(REASONS.values()) + ".", COORDINATOR),
    ("Current rung", 12, "Where the family sits on the continuum of need (see the rungs below).",
     COORDINATOR),
    ("Assessed on", 12, "The date of the assessment that placed the family on that rung.", COORDINATOR),
    ("What matters most", 30, "The family's main needs.", COORDINATOR),
    ("Lead professional", 13, "The family's lead professional, if there is one.", COORDINATOR),
    ("Agencies (TAF)", 12, "The agencies in the Team Around the Family.", COORDINATOR),
    ("Consent to be discussed", 11, "The family's consent to be discussed at panel, and its date.",
     COORDINATOR),
    ("Days since referral", 9, "Days from the referral to the panel date.", COORDINATOR),
    ("Presenter", 10, "Who presents the family at panel.", COORDINATOR),
    ("Coordinator notes", 15, "The coordinator's notes for the panel.", COORDINATOR),
    ("Decision", 12, "The panel's decision: choose from the list (see Decisions below).", CHAIR),
    ("Actions", 17, "What needs to happen, by whom, by when.", CHAIR),
    ("Allocated to", 11, "The service, team or keyworker the family is allocated to.", CHAIR),
    ("Notes", 15, "The panel's notes.", CHAIR),
)
ITEM_MIN_LINES = 2  # an item row is at least two lines high: room to write a decision by hand
HEADERS: tuple[str, ...] = tuple(c[0] for c in COLUMNS)
# On the Key sheet: title, blank, marking (2 rows), blank, column header,
# one row per column, blank, decisions header; then the decisions in column A.
KEY_DECISIONS_FIRST_ROW = 6 + len(COLUMNS) + 3
CHAIR_HEADERS: tuple[str, ...] = ("Decision", "Actions", "Allocated to", "Notes")
# item dict key -> header, for the free-text columns
_TEXT_FIELDS = (
    ("family_id", "Family reference"), ("family", "Family"), ("children", "Children"),
    ("matters", "What matters most"), ("lead_professional", "Lead professional"),
    ("agencies", "Agencies (TAF)"), ("consent", "Consent to be discussed"),
    ("presenter", "Presenter"), ("notes", "Coordinator notes"),
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def show_date(d: _dt.date) -> str:
    """A date as the agenda shows it: "3 Dec 2026" (the cells' format)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def parse_date(value: Any) -> _dt.date | None:
    """A date from a date/datetime or ISO text; None if blank; ValueError if not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value).strip())


def meta_digest(panel_id: str, locality: str, date_iso: str, items: list[tuple[int, str]]) -> str:
    """SHA-256 over the metadata the read-back trusts (canonical JSON)."""
    doc = {"format": META_FORMAT, "version": META_VERSION, "panel_id": panel_id,
           "locality": locality, "date": date_iso, "items": [[n, ref] for n, ref in items]}
    blob = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


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
        text: dict[str, Any] = {}
        for key, header in _TEXT_FIELDS:
            try:
                text[key] = text_cell(ws, item.get(key), field=header)
            except InvalidInput as exc:  # the field is named, and the item too
                problems.extend(f"{where}: {p}" for p in exc.problems or [exc.message])
                text[key] = None
        ref = text["family_id"]
        ref_text = ref if isinstance(ref, str) or ref is None else ref.value
        if not ref_text or not ref_text.strip():
            problems.append(f"{where}: no family reference")
            ref_text = ""
        elif ref_text != ref_text.strip():
            problems.append(f"{where}: the family reference has spaces around it")
        where = f"{where} ({ref_text})" if ref_text else where
        if not named:
            family = item.get("family")
            if not is_initials(None if family is None else str(family)):
                problems.append(f"{where}: Family is not initials, and this agenda is pseudonymised "
                                "(export with names only if every reader may see them)")
            children = item.get("children")
            if not is_children_summary(None if children is None else str(children)):
                problems.append(f"{where}: Children are not initials and ages, and this agenda "
                                "is pseudonymised")
        rid = reason_id(item.get("reason"))
        if rid is None:
            problems.append(f"{where}: unknown reason {item.get('reason')!r} (one of: "
                            + ", ".join(REASONS) + ")")
        try:
            assessed = parse_date(item.get("assessed_on"))
        except (TypeError, ValueError):
            problems.append(f"{where}: Assessed on {item.get('assessed_on')!r} is not a date (YYYY-MM-DD)")
            assessed = None
        try:
            days = _int_or_none(item.get("days_since_referral"))
        except (TypeError, ValueError):
            problems.append(f"{where}: Days since referral {item.get('days_since_referral')!r} "
                            "is not a whole number")
            days = None
        try:
            rung = text_cell(ws, _rung_display(item, levels), field="Current rung")
        except InvalidInput as exc:
            problems.extend(f"{where}: {p}" for p in exc.problems or [exc.message])
            rung = None
        reasons.append(rid)
        if number is not None and ref_text:
            pairs.append((number, ref_text))
        rows.append([
            number, ref, text["family"], text["children"], REASONS.get(rid), rung, assessed,
            text["matters"], text["lead_professional"], text["agencies"], text["consent"], days,
            text["presenter"], text["notes"],
        ])
    return rows, pairs, reasons


def write_agenda(dest: Path, panel: dict, items: list[dict], *, profile_levels: list[dict],
                 marking: str = DEFAULT_MARKING, named: bool = False) -> Path:
    """Write the agenda workbook for ``panel`` to ``dest`` (atomically, mode 0600).

    ``panel``: {"id", "locality", "date" (ISO text or date), "chair"}.
    ``items``: one dict per family, keys "item", "family_id", "family",
    "children", "reason" (an id or label of REASONS), "level", "level_name",
    "assessed_on", "matters", "lead_professional", "agencies", "consent",
    "days_since_referral", "presenter", "notes" (the coordinator's).
    ``profile_levels``: [{"id", "name", "description"}] of the partnership's
    threshold profile. Unless ``named``, "family" and "children" must be
    initials (see :func:`ehtool.domain.panels.initials`). Every problem with the
    input is collected and raised as one :class:`InvalidInput`, and then no
    file is written.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from ehtool.documents import agenda_sheets as sheets

    dest = Path(dest)
    problems: list[str] = []
    wb = Workbook(write_only=True)
    wb.properties.creator = "ehtool"
    wb.properties.title = "Locality panel agenda"
    styles = sheets.Styles(wb)  # before any sheet is written
    ws = wb.create_sheet(AGENDA_SHEET)

    def clean(value, field, max_len):
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
        date = parse_date(panel.get("date"))
    except (TypeError, ValueError):
        date = None
    if date is None:
        problems.append(f"the panel date {panel.get('date')!r} is not a date (YYYY-MM-DD)")
    levels = {str(level.get("id")): level for level in profile_levels}
    rows, pairs, reasons = _prepare_items(ws, items, levels, named, problems)
    if problems:
        raise InvalidInput(f"Cannot write the agenda for panel {panel_id or '?'}: "
                           f"{len(problems)} problem(s).",
                           hint="Correct what is named, then export again.", problems=problems)

    when = show_date(date)
    title = f"Locality panel — {locality} — {when} — Chair: {chair or 'not set'} — {marking}"
    left = f"Locality panel: {locality}, {when}"
    last_col = get_column_letter(len(HEADERS))
    last_row = HEADER_ROW + len(rows)

    # Settings first: a write-only sheet streams from its first row.
    widths = [c[1] for c in COLUMNS]
    sheets.set_widths(ws, widths)
    ws.freeze_panes = f"A{FIRST_ITEM_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last_row}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheets.page_setup(ws, marking, left, landscape=True)
    if rows:
        decision_col = get_column_letter(HEADERS.index("Decision") + 1)
        ws.data_validations.append(sheets.decision_validation(decision_col, last_row))

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

    sheets.write_summary(wb.create_sheet(SUMMARY_SHEET), styles, items, reasons, profile_levels,
                         title, marking, left)
    sheets.write_key(wb.create_sheet(KEY_SHEET), styles, profile_levels, title, marking, left, named)
    sheets.write_meta(wb.create_sheet(META_SHEET), panel_id, locality, date.isoformat(), marking,
                      named, pairs)
    with atomic_output(dest) as tmp:
        wb.save(tmp)
    return dest


def read_decisions(path: Path, *, expected: dict, warnings: list[str] | None = None) -> list[dict]:
    """Read the chair's decisions back; see :func:`ehtool.documents.agenda_read.read_decisions`."""
    from ehtool.documents.agenda_read import read_decisions as _read

    return _read(path, expected=expected, warnings=warnings)
