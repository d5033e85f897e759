"""The agenda workbook's layout: its sheets, rows and columns, and the metadata
digest the read-back trusts. Shared by the writer (``agenda``), its sheets
(``agenda_sheets``) and the reader (``agenda_read``)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json

from ehtool.domain.panels import REASONS

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
    (
        "Family reference",
        10,
        "The family's ehtool reference. Do not change it: decisions are matched to families by it.",
        COORDINATOR,
    ),
    ("Family", 7, "The family: initials on a pseudonymised agenda, or the name.", COORDINATOR),
    ("Children", 12, "The children, with their ages (years; months under 2).", COORDINATOR),
    ("Reason", 12, "Why the family is on the agenda: " + ", ".join(REASONS.values()) + ".", COORDINATOR),
    ("Current rung", 12, "Where the family sits on the continuum of need (see the rungs below).", COORDINATOR),
    ("Assessed on", 12, "The date of the assessment that placed the family on that rung.", COORDINATOR),
    ("What matters most", 30, "The family's main needs.", COORDINATOR),
    ("Lead professional", 13, "The family's lead professional, if there is one.", COORDINATOR),
    ("Agencies (TAF)", 12, "The agencies in the Team Around the Family.", COORDINATOR),
    ("Consent to be discussed", 11, "The family's consent to be discussed at panel, and its date.", COORDINATOR),
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
    ("family_id", "Family reference"),
    ("family", "Family"),
    ("children", "Children"),
    ("matters", "What matters most"),
    ("lead_professional", "Lead professional"),
    ("agencies", "Agencies (TAF)"),
    ("consent", "Consent to be discussed"),
    ("presenter", "Presenter"),
    ("notes", "Coordinator notes"),
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def show_date(d: _dt.date) -> str:
    """A date as the agenda shows it: "3 Dec 2026" (the cells' format)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def meta_digest(panel_id: str, locality: str, date_iso: str, items: list[tuple[int, str]]) -> str:
    """SHA-256 over the metadata the read-back trusts (canonical JSON)."""
    doc = {
        "format": META_FORMAT,
        "version": META_VERSION,
        "panel_id": panel_id,
        "locality": locality,
        "date": date_iso,
        "items": [[n, ref] for n, ref in items],
    }
    blob = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
