"""Cell text safety: cleaning, length limit, formula guard, read-back cleaning."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehtool.documents.xlsx_safe import (
    EXCEL_MAX_CELL_CHARS,
    clean_read_text,
    needs_text_guard,
    safe_cell_text,
    text_cell,
    use_default_alignment,
    write_text_cell,
)
from ehtool.errors import InvalidInput

FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\t=1", "=1+2", "  =cmd|' /C calc'!A0"]


def sheet_xml(path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(
            zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")
        )


def has_formula(xml: str) -> bool:
    return re.search(r"<(?:\w+:)?f[\s>/]", xml) is not None


# --- safe_cell_text -------------------------------------------------------


def test_plain_text_is_unchanged():
    text = "Attendance below 90%; Parental conflict\n\tsecond line — café ✓ 👪"
    assert safe_cell_text(text, field="x") == text


def test_control_characters_are_removed_and_line_breaks_kept():
    assert safe_cell_text("a\x00b\x07c\x1bd\x7fe\x85f\x0bg\x0ch", field="x") == "abcdefgh"
    assert safe_cell_text("one\r\ntwo\rthree\nfour", field="x") == "one\ntwo\nthree\nfour"
    assert safe_cell_text("\r=1", field="x") == "\n=1"
    assert safe_cell_text("x\ufffey\uffffz\ud800", field="x") == "xyz"


def test_none_and_numbers():
    assert safe_cell_text(None, field="x") == ""
    assert safe_cell_text(34, field="x") == "34"


def test_text_at_the_limit_is_kept_whole():
    text = "a" * EXCEL_MAX_CELL_CHARS
    assert safe_cell_text(text, field="x") == text


def test_overlong_text_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as info:
        safe_cell_text("a" * (EXCEL_MAX_CELL_CHARS + 1), field="item 3: What matters most")
    assert "item 3: What matters most" in info.value.message
    assert info.value.problems and "item 3: What matters most" in info.value.problems[0]


def test_length_counts_as_excel_does():
    # An emoji is two UTF-16 units, which is what Excel's limit counts.
    safe_cell_text("👪" * (EXCEL_MAX_CELL_CHARS // 2), field="x")
    with pytest.raises(InvalidInput):
        safe_cell_text("👪" * (EXCEL_MAX_CELL_CHARS // 2 + 1), field="x")


def test_custom_limit():
    with pytest.raises(InvalidInput):
        safe_cell_text("abcdef", field="x", max_len=5)


@pytest.mark.parametrize("text", FORMULA_LIKE + ["\n=1", " -2"])
def test_formula_like_text_needs_the_guard(text):
    assert needs_text_guard(text)


@pytest.mark.parametrize("text", ["", "Allocate", "A.O. (7)", "2026-11-02", "a=b", "Attendance < 90%"])
def test_ordinary_text_needs_no_guard(text):
    assert not needs_text_guard(text)


# --- writing --------------------------------------------------------------


def test_text_cell_fast_path_and_guard():
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    assert text_cell(ws, "plain", field="x") == "plain"
    assert text_cell(ws, "", field="x") is None
    assert text_cell(ws, None, field="x") is None
    cell = text_cell(ws, "=1+2", field="x")
    assert cell.value == "=1+2" and cell.data_type == "s" and cell.quotePrefix
    with pytest.raises(InvalidInput):
        text_cell(ws, "a" * (EXCEL_MAX_CELL_CHARS + 1), field="x")


def test_write_only_sheet_stores_formula_like_text_as_text(tmp_path):
    from openpyxl import Workbook, load_workbook

    wb = Workbook(write_only=True)
    use_default_alignment(wb, wrap_text=True, vertical="top")
    ws = wb.create_sheet("S")
    values = FORMULA_LIKE + ["plain", "\r=1"]
    for value in values:
        ws.append([text_cell(ws, value, field="x")])
    path = tmp_path / "w.xlsx"
    wb.save(path)
    assert not has_formula(sheet_xml(path))
    ws = load_workbook(path)["S"]
    for row, value in enumerate(values, 1):
        cell = ws.cell(row, 1)
        assert cell.value == safe_cell_text(value, field="x")
        assert cell.data_type == "s"
        assert cell.quotePrefix == needs_text_guard(cell.value)
        # guarded cells keep the workbook's default look
        assert cell.alignment.wrap_text and cell.alignment.vertical == "top"


def test_write_text_cell_on_an_ordinary_sheet(tmp_path):
    from openpyxl import Workbook, load_workbook

    wb = Workbook()
    ws = wb.active
    for row, value in enumerate(FORMULA_LIKE, 1):
        write_text_cell(ws, row, 1, value, field="x")
    write_text_cell(ws, 1, 2, "ok\x00", field="x")
    assert write_text_cell(ws, 2, 2, "", field="x").value is None
    path = tmp_path / "n.xlsx"
    wb.save(path)
    assert not has_formula(sheet_xml(path))
    ws = load_workbook(path).active
    assert [ws.cell(r, 1).value for r in range(1, len(FORMULA_LIKE) + 1)] == FORMULA_LIKE
    assert all(ws.cell(r, 1).data_type == "s" and ws.cell(r, 1).quotePrefix for r in range(1, len(FORMULA_LIKE) + 1))
    assert ws["B1"].value == "ok" and not ws["B1"].quotePrefix


def test_default_alignment_reaches_plain_cells(tmp_path):
    from openpyxl import Workbook, load_workbook

    wb = Workbook(write_only=True)
    use_default_alignment(wb, wrap_text=True, vertical="top")
    ws = wb.create_sheet("S")
    ws.append(["plain", 3])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    ws = load_workbook(path)["S"]
    assert ws["A1"].alignment.wrap_text and ws["B1"].alignment.vertical == "top"
    with pytest.raises(RuntimeError):
        use_default_alignment(wb, wrap_text=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=40), min_size=1, max_size=15))
def test_any_text_round_trips_as_its_cleaned_self(tmp_path_factory, texts):
    from openpyxl import Workbook, load_workbook

    path = tmp_path_factory.mktemp("prop") / "p.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    for text in texts:
        ws.append([text_cell(ws, text, field="x")])
    wb.save(path)
    assert not has_formula(sheet_xml(path))
    ws = load_workbook(path)["S"]
    for row, text in enumerate(texts, 1):
        expected = safe_cell_text(text, field="x") or None
        cell = ws.cell(row, 1)
        assert cell.value == expected
        if expected is not None:
            assert cell.data_type == "s"


# --- reading --------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("  Allocate \n", "Allocate"),
        ("a\x01b\r\nc", "ab\nc"),
        (5, "5"),
        (5.0, "5"),
        (2.5, "2.5"),
        (True, "TRUE"),
        (dt.datetime(2026, 12, 12), "2026-12-12"),
        (dt.date(2026, 1, 2), "2026-01-02"),
        (dt.datetime(2026, 12, 12, 9, 30), "2026-12-12 09:30:00"),
    ],
)
def test_clean_read_text(value, expected):
    assert clean_read_text(value) == expected
