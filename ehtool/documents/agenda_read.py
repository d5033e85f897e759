"""Reading a chair's decisions back from an agenda workbook.

The workbook may have been through Excel, LibreOffice or openpyxl: columns
are found by their header text (so an inserted or moved column is fine), the
header row is looked for near the top (so a deleted title row is fine), and
rows are matched to items by item number (so sorting and filtering are fine).
Nothing is trusted that the hidden metadata and the database do not agree on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from ehtool.documents.agenda_layout import (
    AGENDA_SHEET,
    CHAIR_HEADERS,
    META_FORMAT,
    META_SHEET,
    META_VERSION,
    meta_digest,
)
from ehtool.documents.inputs import open_workbook, sheet_rows
from ehtool.documents.xlsx_safe import clean_read_text
from ehtool.domain.decisions import DEFAULT_DECISIONS, lookup
from ehtool.domain.panels import MAX_CHAIR_TEXT
from ehtool.errors import InvalidInput, capped

HEADER_SEARCH_ROWS = 20
REQUIRED_HEADERS = ("Item", "Family reference", *CHAIR_HEADERS)
_RESULT_KEYS = {"Decision": "decision", "Actions": "actions", "Allocated to": "allocated_to", "Notes": "notes"}


def _fail(path: Path, message: str, problems: list[str] | None = None, hint: str | None = None) -> NoReturn:
    raise InvalidInput(f"{path.name}: {message}", hint=hint, problems=problems or [message])


def _open(path: Path):
    # From a file object, so that the extension does not matter; bounded and
    # checked before parsing (see ehtool.documents.inputs). A formula cell reads
    # as the text the chair typed ("=SUM(A1)"), never as a computed value.
    return open_workbook(path, what="agenda workbook", data_only=False)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _read_meta(path: Path, wb) -> dict:
    if META_SHEET not in wb.sheetnames:
        _fail(
            path,
            "it has no ehtool agenda metadata (the hidden sheet '_meta'): it was not "
            "exported by ehtool, or it was copied into a new workbook.",
            hint="Record the decisions in the agenda workbook that ehtool exported.",
        )
    ws = wb[META_SHEET]
    meta: dict[str, Any] = {}
    items: list[tuple[int, str]] = []
    bad_item = False  # an item row without a number or a reference: the metadata was changed
    for _, row in sheet_rows(ws, path.name):
        row = tuple(row) + (None, None, None)
        key = clean_read_text(row[0])
        if key == "item":
            number, ref = _as_int(row[1]), clean_read_text(row[2])
            if number is None or not ref:
                bad_item = True
            else:
                items.append((number, ref))
        elif key:
            meta[key] = row[1]
    broken = meta.get("format") != META_FORMAT or _as_int(meta.get("version")) != META_VERSION or bad_item
    panel_id = clean_read_text(meta.get("panel_id")) or ""
    locality = clean_read_text(meta.get("locality")) or ""
    date = clean_read_text(meta.get("date")) or ""
    if broken or meta.get("digest") != meta_digest(panel_id, locality, date, items):
        _fail(
            path,
            "its hidden ehtool metadata has been changed, so its rows cannot be trusted.",
            hint="Export the agenda again and record the decisions in the new copy.",
        )
    return {"panel_id": panel_id, "locality": locality, "date": date, "items": dict(items)}


def panel_id_of(path: Path) -> str:
    """Which panel an exported agenda belongs to (from its hidden metadata)."""
    path = Path(path)
    fh, wb = _open(path)
    try:
        return _read_meta(path, wb)["panel_id"]
    finally:
        wb.close()
        fh.close()


def _find_header(ws, name: str) -> tuple[int, dict[str, int]]:
    best: tuple[int, dict[str, int]] = (0, {})
    for row_no, row in sheet_rows(ws, name, max_row=HEADER_SEARCH_ROWS):
        columns: dict[str, int] = {}
        for index, value in enumerate(row):
            text = clean_read_text(value)
            if text:
                columns.setdefault(" ".join(text.split()).casefold(), index)
        found = {h: columns[h.casefold()] for h in REQUIRED_HEADERS if h.casefold() in columns}
        if len(found) > len(best[1]):
            best = (row_no, found)
        if len(found) == len(REQUIRED_HEADERS):
            break
    return best


def read_decisions(path: Path, *, expected: dict, warnings: list[str] | None = None) -> list[dict]:
    """The decisions a chair recorded in an agenda workbook.

    ``expected`` is what the database says: {"panel_id": "P0003", "items":
    {item number: family reference}, "decisions": the panel's decisions
    (:class:`~ehtool.domain.decisions.Decision`; the bundled ones when absent)}. Returns, for each row where the chair
    wrote something (Decision, Actions, Allocated to or Notes), in row order::

        {"row": 5, "item": 3, "family_id": "F000123", "decision": "allocate",
         "actions": "...", "allocated_to": "...", "notes": "..."}

    with ``decision`` the decision id (or None when blank) and the texts
    cleaned (control characters removed, stripped; None when blank). A cell
    holding a formula is read as the text the chair typed ("=SUM(A1)") and
    noted in ``warnings``; an entry longer than the panel's limit is a problem.

    Every problem is collected and raised as one :class:`InvalidInput` whose
    ``problems`` each name the row; then nothing is returned. Problems: not
    an xlsx workbook, no Agenda sheet, a missing header (named), missing or
    altered metadata, a workbook for another panel (reported alone), an item
    number that is not a number, not on this panel or not on the agenda as
    exported, an item appearing twice, a family reference edited since
    export or not matching the database, and a decision outside the list.
    """
    path = Path(path)
    want_panel = str(expected.get("panel_id") or "")
    want_items = {int(k): str(v) for k, v in (expected.get("items") or {}).items()}
    fh, wb = _open(path)
    try:
        if AGENDA_SHEET not in wb.sheetnames:
            _fail(path, "it is not an ehtool agenda workbook: it has no 'Agenda' sheet.")
        meta = _read_meta(path, wb)
        if meta["panel_id"] != want_panel:
            _fail(
                path,
                f"this is the agenda for panel {meta['panel_id']} ({meta['locality']}, "
                f"{meta['date']}), not panel {want_panel}.",
                hint="Check which panel the file belongs to.",
            )
        ws = wb[AGENDA_SHEET]
        header_row, cols = _find_header(ws, path.name)
        missing = [h for h in REQUIRED_HEADERS if h not in cols]
        if missing:
            _fail(
                path,
                "it is not an ehtool agenda workbook: the Agenda sheet has no "
                + ", ".join(f"'{h}'" for h in missing)
                + " column header"
                + ("s" if len(missing) > 1 else "")
                + ".",
                problems=[f"Agenda sheet: no '{h}' column header" for h in missing],
                hint="Put the column headers back as they were exported (see the Key sheet).",
            )
        return _read_rows(
            path,
            ws,
            header_row,
            cols,
            meta,
            want_panel,
            want_items,
            tuple(expected.get("decisions") or DEFAULT_DECISIONS),
            [] if warnings is None else warnings,
        )
    finally:
        wb.close()
        fh.close()


def _chair_entries(
    row: tuple, cols: dict[str, int], where: str, problems: list[str], warnings: list[str]
) -> dict[str, str | None]:
    entries = {}
    for header in CHAIR_HEADERS:
        raw = row[cols[header]]
        text = clean_read_text(raw)
        if text and isinstance(raw, str) and raw.lstrip().startswith("="):
            warnings.append(f"{where}, {header}: holds a formula; it was read as the text typed, not calculated")
        if text and header != "Decision" and len(text) > MAX_CHAIR_TEXT:
            problems.append(f"{where}, {header}: {len(text):,} characters; at most {MAX_CHAIR_TEXT:,} are kept")
        entries[header] = text
    return entries


def _read_rows(path, ws, header_row, cols, meta, want_panel, want_items, choices, warnings: list[str]) -> list[dict]:
    problems: list[str] = []
    results: list[dict] = []
    first_row_of: dict[int, int] = {}
    exported = meta["items"]
    width = max(cols.values()) + 1
    labels = ", ".join(d.label for d in choices)
    for row_no, row in sheet_rows(ws, path.name, min_row=header_row + 1):
        row = tuple(row) + (None,) * (width - len(row))
        raw_item = row[cols["Item"]]
        ref = clean_read_text(row[cols["Family reference"]])
        chair = _chair_entries(row, cols, f"row {row_no}", problems, warnings)
        written = any(chair.values())
        if clean_read_text(raw_item) is None:
            if written:
                problems.append(f"row {row_no}: has the panel's entries but no item number")
            continue
        item = _as_int(raw_item)
        where = f"row {row_no}"
        if item is None:
            problems.append(f"{where}: the item number {clean_read_text(raw_item)!r} is not a whole number")
            continue
        where = f"row {row_no} (item {item})"
        if item in first_row_of:
            problems.append(f"{where}: item {item} is also on row {first_row_of[item]}")
            continue
        first_row_of[item] = row_no
        if item not in want_items:
            problems.append(
                f"{where}: item {item} is not on panel {want_panel}"
                + (" (it was removed after the agenda was exported)" if item in exported else "")
            )
            continue
        if item not in exported:
            problems.append(
                f"{where}: item {item} was not on the agenda when it was exported (was the row added by hand?)"
            )
            continue
        if ref != exported[item]:
            problems.append(
                f"{where}: the family reference was changed from {exported[item]} to "
                f"{ref or 'nothing'} after the agenda was exported"
            )
        elif ref != want_items[item]:
            problems.append(
                f"{where}: item {item} is family {ref} on this agenda but "
                f"{want_items[item]} in the database (export the agenda again)"
            )
        decision = None
        if chair["Decision"] is not None:
            found = lookup(choices, chair["Decision"])
            decision = found.id if found else None
            if decision is None:
                problems.append(f"{where}: the decision {chair['Decision']!r} is not one of: {labels}")
        if written:
            result = {"row": row_no, "item": item, "family_id": want_items[item], "decision": decision}
            for header, key in _RESULT_KEYS.items():
                if key != "decision":
                    result[key] = chair[header]
            results.append(result)
    if problems:
        shown, more = capped(problems)
        raise InvalidInput(
            f"{path.name}: {len(problems)} problem(s) with the decisions; nothing was recorded.",
            hint="Correct the rows named (the Key sheet lists the decisions) and try again." + more,
            problems=shown,
        )
    return results
