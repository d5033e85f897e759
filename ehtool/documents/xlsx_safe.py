"""Putting text into spreadsheet cells safely, and reading it back clean.

Used by every spreadsheet ehtool writes (panel agendas, board reports).

Writing:

* :func:`safe_cell_text` removes characters a cell cannot hold or that only
  hide things (C0 control characters except tab and newline, DEL, C1
  controls, U+FFFE/U+FFFF, lone surrogates); turns CR LF and lone CR into LF
  (a line break in a wrapped cell); and refuses, naming the field, text
  longer than Excel's 32,767-character cell limit. Text is never cut short
  and never otherwise changed.
* Formula injection: a value typed by a person that begins with ``=``, ``+``,
  ``-``, ``@``, tab or a line break (or with spaces and then one of those) is
  written as a *text* cell (``t="inlineStr"``, never an ``<f>`` element) with
  Excel's own "quote prefix" flag set: Excel shows the text exactly as typed,
  with an apostrophe in the formula bar, and keeps it as text even if the
  chair edits the cell and presses Enter. The text itself is never altered
  (no added apostrophe or space), so what is read back is what was written.
  :func:`text_cell` (write-only worksheets) and :func:`write_text_cell`
  (ordinary worksheets) do this; use them for every free-text value.

Reading: :func:`clean_read_text` gives the cleaned, stripped text of a cell a
person may have typed in, or None when blank.

openpyxl is imported inside functions only, so importing this module is cheap.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from ehtool.errors import InvalidInput

EXCEL_MAX_CELL_CHARS = 32767

# Removed from cell text: C0 controls except \t and \n (\r is handled first),
# DEL, C1 controls, the XML non-characters U+FFFE/U+FFFF and lone surrogates
# (lxml refuses these; Excel would call the file corrupt).
_REMOVE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_NEEDS_WORK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

# First characters that make a spreadsheet treat typed text as a formula
# (tab and line breaks because some programs strip them and then parse).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
_GUARD_FIRST = frozenset("=+-@\t\r\n ")  # " ": look past leading spaces


def _utf16_len(text: str) -> int:
    # Excel counts UTF-16 code units: an emoji is two of its "characters".
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def safe_cell_text(value: Any, *, field: str, max_len: int = EXCEL_MAX_CELL_CHARS) -> str:
    """The text to put in a cell for ``value`` (None gives "").

    Control characters are removed (tab and newline are kept; CR LF and lone
    CR become newline). Raises :class:`InvalidInput` naming ``field`` if the
    text is longer than ``max_len`` (Excel's cell limit by default): it is
    never silently cut.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _NEEDS_WORK.search(text):
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _REMOVE.sub("", text)
    if len(text) > max_len // 2 and _utf16_len(text) > max_len:
        raise InvalidInput(
            f"{field} is too long for a spreadsheet cell: {_utf16_len(text):,} characters, "
            f"and a cell holds at most {max_len:,}.",
            hint="Shorten it (nothing is cut off automatically), then export again.",
            problems=[f"{field}: {_utf16_len(text):,} characters (at most {max_len:,})"],
        )
    return text


def needs_text_guard(text: str) -> bool:
    """True if a spreadsheet could take ``text`` for a formula."""
    if not text:
        return False
    if text.startswith(FORMULA_PREFIXES):
        return True
    return text[0] == " " and text.lstrip(" ").startswith(FORMULA_PREFIXES)


def _default_style(ws):
    """A copy of the workbook's default cell style (see use_default_alignment)."""
    from openpyxl.styles.cell_style import StyleArray

    return StyleArray(ws.parent._cell_styles[0])


def text_cell(ws, value: Any, *, field: str, max_len: int = EXCEL_MAX_CELL_CHARS):
    """A value for ``WriteOnlyWorksheet.append`` holding ``value`` as text.

    Returns the cleaned ``str`` itself when it is safe (the fast path), else a
    ``WriteOnlyCell`` with data type "s" and the quote prefix set, keeping the
    workbook's default alignment. Blank text gives None (no cell).
    """
    if value.__class__ is str and len(value) <= max_len >> 1 and not _NEEDS_WORK.search(value):
        # fast path: nothing to clean, short enough; most agenda text
        if not value:
            return None
        if value[0] not in _GUARD_FIRST:
            return value
        text = value
    else:
        text = safe_cell_text(value, field=field, max_len=max_len)
    if not text:
        return None
    if not needs_text_guard(text):
        return text
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    cell._style = _default_style(ws)
    cell.value = text
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def guard_text_cell(cell) -> None:
    """Make a cell that holds a str a quote-prefixed text cell if it needs it.

    For cells built by hand (a styled ``WriteOnlyCell``): call after setting
    the value and style.
    """
    value = cell.value
    if isinstance(value, str) and needs_text_guard(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def write_text_cell(ws, row: int, column: int, value: Any, *, field: str,
                    max_len: int = EXCEL_MAX_CELL_CHARS):
    """Put ``value`` as text into cell (row, column) of an ordinary worksheet.

    Same cleaning and formula guard as :func:`text_cell`; returns the cell.
    Blank text leaves the cell empty (None).
    """
    text = safe_cell_text(value, field=field, max_len=max_len)
    cell = ws.cell(row=row, column=column)
    if not text:
        cell.value = None
        return cell
    if needs_text_guard(text) and not cell.has_style:
        cell._style = _default_style(ws)
    cell.value = text
    guard_text_cell(cell)
    return cell


def use_default_alignment(wb, **alignment: Any) -> None:
    """Give every unstyled cell of ``wb`` this alignment (wrap_text, vertical...).

    Cells written without a style use the workbook's first cell format
    (``xf 0``); giving it an alignment wraps and top-aligns every plain cell,
    including the empty ones a chair types into, at no cost per cell. (Styling
    each cell instead doubles openpyxl's write time.) openpyxl only writes an
    alignment for a format whose alignment index is not 0, so the wanted
    alignment is added as index 1 and format 0 points at it. Call before any
    cell is written.
    """
    from openpyxl.styles import Alignment
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.utils.indexed_list import IndexedList

    if len(wb._cell_styles) != 1 or len(wb._alignments) != 1:
        raise RuntimeError("use_default_alignment must be called on a new workbook")
    wb._alignments = IndexedList([Alignment(), Alignment(**alignment)])
    style = StyleArray()
    style.alignmentId = 1
    wb._cell_styles = IndexedList([style])


def clean_read_text(value: Any) -> str | None:
    """Cleaned text of a cell read back from a person's workbook, or None if blank.

    Control characters are removed as on writing, and surrounding white space
    is stripped. Numbers become their text (5.0 -> "5"); dates and times
    become ISO text (a chair's "12/12" turned into a date by Excel reads as
    "2026-12-12").
    """
    if value is None:
        return None
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, _dt.datetime):
        text = value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    elif isinstance(value, (_dt.date, _dt.time)):
        text = value.isoformat()
    else:
        text = str(value)
    if _NEEDS_WORK.search(text):
        text = _REMOVE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.strip()
    return text or None
