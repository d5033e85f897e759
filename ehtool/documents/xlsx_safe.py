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

Layout: :func:`use_default_alignment` wraps every plain cell; and since
neither Excel nor LibreOffice fits a row to wrapped text when it opens a
file, :func:`wrapped_lines`, :class:`LineCounter` (:func:`text_lines`) and
:func:`set_row_height` give each row a height worked out from its text (see
"Row heights" below).

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


def write_text_cell(ws, row: int, column: int, value: Any, *, field: str, max_len: int = EXCEL_MAX_CELL_CHARS):
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
    # LibreOffice gives a cell with no format of its own the "Normal" cell
    # style (cellStyleXfs), not format 0: give that style the alignment too.
    for named in wb._named_styles:
        if named.name == "Normal":
            named.alignment = Alignment(**alignment)  # already index 1: no new entry


def default_style_array(wb):
    """A copy of format 0 (see use_default_alignment), for a row or column
    dimension: openpyxl would otherwise give each one a new, unaligned format,
    and a column's format is what Excel gives a cell the chair types into."""
    from openpyxl.styles.cell_style import StyleArray

    return StyleArray(wb._cell_styles[0])


# --- Row heights -----------------------------------------------------------
#
# Column widths are in "characters": the width of the widest digit of the
# workbook's font, 7 pixels for 11-point Calibri at 96 dpi, of which about
# 5 pixels go on the cell's padding and gridline. Text is measured with
# Calibri's own character widths (taken from Carlito, its metric-compatible
# free twin), made 5% wider for safety: Excel may wrap a little differently
# on paper than on screen, and LibreOffice without Carlito uses a wider font
# (scaling the columns by that font's digits). Wrapping is greedy at
# spaces, as both programs wrap; a word too long for a line is broken. The
# result: a row is never shorter than its text, and seldom a line taller.

LINE_HEIGHT = 15.0  # points per line of 11-point Calibri (Excel's default row height)
MAX_ROW_HEIGHT = 409.0  # points: the tallest row Excel allows
_SAFETY = 1.05
# Advance widths of the Windows-1252 characters in 11-point Calibri at 96 dpi,
# in eighths of a pixel, rounded up; regular and bold. Control characters count
# as a space, tab as four. Other characters are measured as their "\uXXXX"
# escape, which is wider than any of them.
_CALIBRI = bytes.fromhex(
    "1b1b1b1b1b1b1b1b1b6b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b"
    "1b27303b3c54511a24243b3b1e241e2e3c3c3c3c3c3c3c3c3c3c20203b3b3b37"
    "6944403f493a364b4a1e263d32654c4e3d4f40363a4c43693d3a37242e243b3b"
    "23393e323e3b24383e1b1d361b5e3e3e3e3e292e283e355433362f2537253b3c"
    "3c371e3b32523b3b2f7a362866373737371e1e32323b3b6b353c2e2864372f3a"
    "3c273b3c3b3c3b3b2f62303d3b3c3c2f283b28282341451e251d323d4b4f5037"
    "4444444444445a3f3a3a3a3a1e1e1e1e4a4c4e4e4e4e4e3b4e4c4c4c4c3a3d3e"
    "3939393939395b323b3b3b3b1b1b1b1b3e3e3e3e3e3e3e3b3f3e3e3e3e363e36"
)
_CALIBRI_BOLD = bytes.fromhex(
    "1b1b1b1b1b1b1b1b1b6b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b"
    "1b27343b3c56531c25253b3b1f2420333c3c3c3c3c3c3c3c3c3c21213b3b3b37"
    "6a48423f4a3a364b4b20274132674e503f5143383b4d466b413d392733273b3b"
    "243a3f323f3c26383f1d1e391d603f403f3f2a2f293f385836382f2938293b3c"
    "3c371f3b34543b3b307d382967373937371f1f34343b3b6b353c2f2963372f3d"
    "3c273b3c3b3c3b3b316231403b3c3c2e293b282824434720241e34404e525337"
    "4848484848485b3f3a3a3a3a202020204b4e50505050503b504d4d4d4d3d3f42"
    "3a3a3a3a3a3a5b323c3c3c3c1d1d1d1d3f3f40404040403b403f3f3f3f383f38"
)


def line_room(width: float, *, size: float = 11) -> int:
    """The room on one line of a wrapped cell in a column ``width``
    characters wide, in the units of :func:`text_width`, for ``size``-point
    text; less the safety margin."""
    return max(1, int((7 * width - 5) * 8 * 11 / (size * _SAFETY)))


def text_width(text: str, *, bold: bool = False) -> int:
    """The width of ``text`` on one line, in eighths of a pixel of 11-point Calibri."""
    return sum(_cp1252(text).translate(_CALIBRI_BOLD if bold else _CALIBRI))


def _cp1252(text: str) -> bytes:
    # ASCII text (most of it) takes the codec's fast path
    return text.encode() if text.isascii() else text.encode("cp1252", "backslashreplace")


def wrapped_lines(text: str, room: int, *, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapped cell with ``room`` on a
    line (see :func:`line_room`): line breaks kept, words wrapped at spaces,
    a word too long for a line broken."""
    table = _CALIBRI_BOLD if bold else _CALIBRI
    data = _cp1252(text)
    if b"\n" not in data and sum(data.translate(table)) <= room:
        return 1
    space = table[32]
    lines = 0
    for para in data.split(b"\n"):
        lines += 1
        used = -space  # on the current line, less the space before the next word
        for word in para.split(b" "):
            size = sum(word.translate(table))
            if used + space + size <= room:
                used += space + size
                continue
            if used > 0:  # the word goes to a new line
                lines += 1
            if size > room:  # broken over lines of its own
                lines += (size - 1) // room
                used = size - (size - 1) // room * room
            else:
                used = size
    return lines


def text_lines(values, rooms, *, bold: bool = False) -> int:
    """The lines of the tallest of ``values`` (text, cells or other values)
    in columns with ``rooms`` on a line (see :func:`line_room`); at least 1.

    Values other than text (numbers, dates) are taken to fit on one line.
    For many rows, a :class:`LineCounter` is quicker.
    """
    return LineCounter(rooms=rooms, bold=bold)(values)


class LineCounter:
    """Counts the lines of the tallest text in a row of values, for columns
    ``widths`` characters wide (or with ``rooms`` on a line); remembers the
    texts it has measured (a rung, a reason, an agency list come again).

    ``counter(values)`` is :func:`text_lines` for those columns.
    """

    MAX_REMEMBERED = 20000  # texts per column

    def __init__(self, widths=None, *, rooms=None, bold: bool = False, size: float = 11) -> None:
        self.rooms = list(rooms) if rooms is not None else [line_room(w, size=size) for w in widths]
        self.bold = bold
        self._seen: list[dict[str, int]] = [{} for _ in self.rooms]

    def __call__(self, values) -> int:
        lines = 1
        bold = self.bold
        for value, room, seen in zip(values, self.rooms, self._seen):
            if value.__class__ is not str:
                if value is None:
                    continue
                value = getattr(value, "value", value)  # a WriteOnlyCell
                if not isinstance(value, str):
                    continue
            n = seen.get(value)
            if n is None:
                n = wrapped_lines(value, room, bold=bold)
                if len(seen) < self.MAX_REMEMBERED:
                    seen[value] = n
            if n > lines:
                lines = n
        return lines


def row_height(lines: int, *, line_height: float = LINE_HEIGHT) -> float:
    """The height in points of a row of ``lines`` lines, at most Excel's largest."""
    return min(MAX_ROW_HEIGHT, lines * line_height)


_FITTED_ROW = None
_HEIGHT_ATTRS: dict[float, dict[str, str]] = {}


def set_row_height(ws, row: int, height: float) -> None:
    """Give row ``row`` of ``ws`` the height ``height`` (points).

    On a write-only sheet, call before the row is appended. The height is
    written as Excel writes a row it has fitted to its text (``ht`` without
    ``customHeight``): both programs show it as it is, and Excel still refits
    the row when a cell in it is edited, so what a chair types is not hidden.
    """
    global _FITTED_ROW
    if ws.__class__.__name__ == "WriteOnlyWorksheet":
        # openpyxl's streaming writer only reads a row's dimension as the
        # attributes of its <row> element (``dict(dimension)``), copying
        # them: a plain dict of them, shared by rows of the same height, is
        # all it needs, at a fraction of a RowDimension's cost.
        attrs = _HEIGHT_ATTRS.get(height)
        if attrs is None:
            attrs = {"ht": f"{height:.16g}"}
            if len(_HEIGHT_ATTRS) < 256:
                _HEIGHT_ATTRS[height] = attrs
        ws.row_dimensions[row] = attrs
        return
    if _FITTED_ROW is None:
        from openpyxl.worksheet.dimensions import RowDimension

        class FittedRow(RowDimension):
            customHeight = None  # a height, but not one set by hand
            s = None  # no row format: cells keep their own (or format 0)

        _FITTED_ROW = FittedRow
    ws.row_dimensions[row] = _FITTED_ROW(ws, index=row, ht=height)


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
