"""The panel agenda workbook: written for real, read back with openpyxl.

Synthetic people only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ehtool.documents.agenda import read_decisions, write_agenda
from ehtool.documents.agenda_layout import HEADERS, KEY_DECISIONS_FIRST_ROW
from ehtool.domain.decisions import DEFAULT_DECISIONS, lookup
from ehtool.domain.panels import (
    REASONS,
    children_summary,
    initials,
    is_children_summary,
    is_initials,
    reason_id,
)
from ehtool.errors import InvalidInput, NotFound

EXPECTED_HEADERS = [
    "Item",
    "Family reference",
    "Family",
    "Children",
    "Reason",
    "Current rung",
    "Assessed on",
    "What matters most",
    "Lead professional",
    "Agencies (TAF)",
    "Consent to be discussed",
    "Days since referral",
    "Presenter",
    "Coordinator notes",
    "Decision",
    "Actions",
    "Allocated to",
    "Notes",
]
COL = {h: i + 1 for i, h in enumerate(EXPECTED_HEADERS)}
LEVELS = [
    {"id": "1", "name": "Level 1 Universal", "description": "Needs met by universal services."},
    {"id": "2a", "name": "Level 2a Targeted", "description": "Single agency."},
    {"id": "2b", "name": "Level 2b Intensive early help", "description": "Multi-agency, lead professional."},
    {"id": "3", "name": "Level 3 Specialist complex", "description": "Children's social care."},
]
PANEL = {"id": "P0003", "locality": "North", "date": "2026-12-03", "chair": "Chair Synthetic"}
PANEL_DATE = dt.date(2026, 12, 3)
# Synthetic families as the database holds them (full names never go on the agenda).
FAMILIES = [
    (
        "F000101",
        "Zanele Quarrington-Vex",
        [
            ("Zanele Quarrington-Vex", "parent", None),
            ("Yusuf Quarrington-Vex", "child", "2019-05-01"),
            ("Xanthe Quarrington-Vex", "child", "2026-03-01"),
            ("", "unborn", None),
        ],
    ),
    ("F000102", "Wilhelmina Obuya", [("Wilhelmina Obuya", "parent", None), ("Thaddeus Obuya", "child", "2012-01-20")]),
    (
        "F000103",
        "Rosalind Pemberthy",
        [("Rosalind Pemberthy", "carer", None), ("Ignatius Pemberthy", "child", "2016-11-30")],
    ),
]
REASON_OF = ["step-up", "new-referral", "review"]
LEVEL_OF = [("2b", "Level 2b Intensive early help"), ("2a", "Level 2a Targeted"), (None, None)]


def make_items() -> list[dict]:
    items = []
    for n, (ref, name, members) in enumerate(FAMILIES, 1):
        members = [{"name": m, "role": r, "dob": d} for m, r, d in members]
        level, level_name = LEVEL_OF[n - 1]
        items.append(
            {
                "item": n,
                "family_id": ref,
                "family": initials(name),
                "children": children_summary(members, PANEL_DATE),
                "reason": REASON_OF[n - 1],
                "level": level,
                "level_name": level_name,
                "assessed_on": "2026-11-02" if level else None,
                "matters": "Attendance below 90%; Parental conflict",
                "lead_professional": "Worker One",
                "agencies": "School; Health visiting",
                "consent": "Given 2026-10-01",
                "days_since_referral": 30 + n,
                "presenter": "Presenter Two",
                "notes": f"Coordinator note {n}",
            }
        )
    return items


def expected_db(items=None) -> dict:
    items = items if items is not None else make_items()
    return {"panel_id": PANEL["id"], "items": {i["item"]: i["family_id"] for i in items}}


@pytest.fixture
def agenda(tmp_path) -> Path:
    return write_agenda(tmp_path / "agenda.xlsx", PANEL, make_items(), profile_levels=LEVELS)


def load(path, **kw):
    from openpyxl import load_workbook

    return load_workbook(path, **kw)


def all_xml(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml")}


def worksheet_xml(path) -> str:
    return "".join(x for n, x in all_xml(path).items() if n.startswith("xl/worksheets/"))


def inline_strings(xml: str) -> list[str]:
    """Every text (<t>) in a worksheet's XML."""
    import xml.etree.ElementTree as ET

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    return [t.text or "" for t in ET.fromstring(xml).iter(f"{ns}t")]


# --- panels.py ------------------------------------------------------------


def test_initials():
    assert initials("Amara Okafor-Smith") == "A.O-S."
    assert initials("amara okafor") == "A.O."
    assert initials("Siobhan O'Neill") == "S.O."
    assert initials("A.O-S.") == "A.O-S."  # stable
    assert initials("  Émile   Zola ") == "É.Z."
    assert initials("") == initials(None) == ""
    assert initials("123 !!") == ""


def test_initials_never_show_more_than_first_letters():
    for name in ("Zanele Quarrington-Vex", "Mary-Jane van der Berg", "Ngozi Chukwu-Adebayo Okafor"):
        result = initials(name)
        assert is_initials(result)
        assert len(result.replace(".", "").replace("-", "")) == len(re.findall(r"[^\s.\-]+", name))


def test_children_summary_ages_and_order():
    members = [
        {"name": "Bea Okafor", "role": "child", "dob": "2023-06-10"},
        {"name": "Amara Okafor", "role": "child", "dob": "2019-01-15"},
        {"name": "Parent Okafor", "role": "parent", "dob": "1990-01-01"},
        {"name": "", "role": "unborn", "due_date": "2027-02-01"},
        {"name": "Cal Okafor", "role": "child", "dob": "2026-03-03"},
        {"name": "Dee Okafor", "role": "child", "dob": None},
    ]
    text = children_summary(members, dt.date(2026, 12, 3))
    assert text == "A.O. (7), B.O. (3), C.O. (9m), D.O. (?), unborn"
    assert is_children_summary(text)
    assert children_summary(members[:1], "2025-06-09") == "B.O. (23m)"
    assert children_summary(members[:1], "2025-06-10") == "B.O. (2)"
    named = children_summary(members[:2], "2026-12-03", named=True)
    assert named == "Amara Okafor (7), Bea Okafor (3)" and not is_children_summary(named)


def test_decision_and_reason_lookup():
    assert list(REASONS) == ["new-referral", "step-up", "step-down", "review", "closure", "escalation"]
    assert [d.label for d in DEFAULT_DECISIONS] == [
        "Allocate",
        "Lead professional and TAF",
        "Signpost to universal services",
        "No further action",
        "Step up to social care",
        "Step down",
        "Close",
        "More information needed",
        "Defer",
        "Family group conference",
    ]
    for d in DEFAULT_DECISIONS:
        assert lookup(DEFAULT_DECISIONS, d.label) is d
        assert lookup(DEFAULT_DECISIONS, f"  {d.label.upper()} ") is d
        assert lookup(DEFAULT_DECISIONS, d.id) is d
    assert lookup(DEFAULT_DECISIONS, "Maybe") is None and lookup(DEFAULT_DECISIONS, 3) is None
    assert lookup(DEFAULT_DECISIONS, None) is None
    assert reason_id("Step-up") == reason_id("step-up") == "step-up"
    assert reason_id("nonsense") is None


# --- the workbook ---------------------------------------------------------


def test_import_stays_cheap():
    code = "import sys, ehtool.documents.agenda, ehtool.domain.panels; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_sheets_and_metadata_hidden(agenda):
    wb = load(agenda)
    assert wb.sheetnames[:3] == ["Agenda", "Summary", "Key"]
    assert wb["_meta"].sheet_state == "veryHidden"
    assert [ws.sheet_state for ws in wb.worksheets[:3]] == ["visible"] * 3


def test_file_mode_is_private(agenda):
    assert (agenda.stat().st_mode & 0o777) == 0o600
    assert not [p for p in agenda.parent.iterdir() if p.name.endswith(".part")]


def test_title_and_header_rows(agenda):
    ws = load(agenda)["Agenda"]
    assert list(HEADERS) == EXPECTED_HEADERS
    assert [c.value for c in ws[2]] == EXPECTED_HEADERS
    title = ws["A1"].value
    for part in ("Locality panel", "North", "3 Dec 2026", "Chair: Chair Synthetic", "OFFICIAL-SENSITIVE"):
        assert part in title
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:R1"}
    assert ws["A2"].font.b


def test_item_rows(agenda):
    ws = load(agenda)["Agenda"]
    row = {h: ws.cell(3, COL[h]).value for h in EXPECTED_HEADERS}
    assert row["Item"] == 1 and row["Family reference"] == "F000101"
    assert row["Family"] == "Z.Q-V."
    assert row["Children"] == "Y.Q-V. (7), X.Q-V. (9m), unborn"
    assert row["Reason"] == "Step-up" and row["Current rung"] == "Level 2b Intensive early help"
    assert row["Assessed on"] == dt.datetime(2026, 11, 2)
    assert ws.cell(3, COL["Assessed on"]).number_format == "d mmm yyyy"
    assert row["Days since referral"] == 31
    assert row["Coordinator notes"] == "Coordinator note 1"
    assert all(row[h] is None for h in ("Decision", "Actions", "Allocated to", "Notes"))
    assert ws.cell(5, COL["Current rung"]).value == "Not assessed"
    assert ws.cell(5, COL["Assessed on"]).value is None
    assert ws.max_row == 5
    cell = ws.cell(3, COL["What matters most"])
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top"


def test_frozen_filtered_and_sized(agenda):
    ws = load(agenda)["Agenda"]
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:R5"
    assert ws.column_dimensions["H"].width >= 30  # What matters most
    assert ws.column_dimensions["A"].width < 10


def test_decision_dropdown(agenda):
    ws = load(agenda)["Agenda"]
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1
    dv = dvs[0]
    assert dv.type == "list"
    assert str(dv.sqref) == "O3:O5"  # Decision column, item rows only
    assert ws["O2"].value == "Decision"
    labels = [d.label for d in DEFAULT_DECISIONS]
    for label in labels:
        assert label in dv.formula1
    listed = dv.formula1.strip('"').split(",")
    assert listed == labels
    assert dv.showErrorMessage and dv.errorStyle == "stop" and dv.allow_blank


def test_print_setup_and_marking(agenda):
    wb = load(agenda)
    ws = wb["Agenda"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$2:$2"
    for name in ("Agenda", "Summary", "Key"):
        sheet = wb[name]
        assert "OFFICIAL-SENSITIVE" in sheet.oddHeader.center.text
        assert "OFFICIAL-SENSITIVE" in sheet.oddFooter.center.text
        assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text


def test_custom_marking_and_ampersand_in_header(tmp_path):
    panel = dict(PANEL, locality="Cheam & South Sutton")
    path = write_agenda(tmp_path / "a.xlsx", panel, make_items(), profile_levels=LEVELS, marking="OFFICIAL")
    wb = load(path)
    ws = wb["Agenda"]
    assert "OFFICIAL" in ws.oddHeader.center.text and "SENSITIVE" not in ws.oddHeader.center.text
    assert "Cheam && South Sutton" in ws.oddHeader.left.text  # "&" is a code in headers
    assert "Cheam & South Sutton" in ws["A1"].value
    assert wb["Key"]["B3"].value == "OFFICIAL"


def test_summary_counts(agenda):
    ws = load(agenda)["Summary"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    counts = {r[0]: r[1] for r in rows if r[0] is not None and isinstance(r[1], int)}
    assert counts["Step-up"] == 1 and counts["New referral"] == 1 and counts["Review"] == 1
    assert counts["Closure"] == 0
    assert counts["Level 2b Intensive early help"] == 1 and counts["Level 2a Targeted"] == 1
    assert counts["Level 1 Universal"] == 0 and counts["Not assessed"] == 1
    assert [r[1] for r in rows if r[0] == "Total"] == [3, 3]
    labels = [r[0] for r in rows]
    assert labels.index("New referral") < labels.index("Escalation") < labels.index("Level 1 Universal")


def test_key_sheet(agenda):
    ws = load(agenda)["Key"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    first = KEY_DECISIONS_FIRST_ROW
    decisions = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(first, first + len(DEFAULT_DECISIONS))]
    assert decisions == [(d.label, d.meaning) for d in DEFAULT_DECISIONS]
    columns = {r[0]: r[1] for r in rows if r[0] in EXPECTED_HEADERS}
    assert set(columns) == set(EXPECTED_HEADERS) and all(columns.values())
    rungs = [r for r in rows if r[0] in {lv["id"] for lv in LEVELS}]
    assert [(r[0], r[1], r[2]) for r in rungs] == [(lv["id"], lv["name"], lv["description"]) for lv in LEVELS]
    assert ("Protective marking", "OFFICIAL-SENSITIVE", None) in rows
    assert any("Pseudonymised" in (r[1] or "") for r in rows)


def test_pseudonymised_agenda_carries_no_names(agenda):
    xml = all_xml(agenda)
    text = "\n".join(xml.values())
    for _ref, name, members in FAMILIES:
        for full in [name] + [m[0] for m in members if m[0]]:
            for word in re.split(r"[\s\-]+", full):
                assert word not in text, word
    # Every string in the Agenda sheet is one the test passed, or the workbook's own.
    items = make_items()
    passed = {str(v) for item in items for v in item.values() if v is not None}
    own = set(EXPECTED_HEADERS) | set(REASONS.values()) | {lv["name"] for lv in LEVELS} | {"Not assessed"}
    ws = load(agenda)["Agenda"]
    title = ws["A1"].value
    agenda_xml = xml["xl/worksheets/sheet1.xml"]
    for s in inline_strings(agenda_xml):
        assert s in passed or s in own or s == title, s


def test_full_names_refused_on_a_pseudonymised_agenda(tmp_path):
    items = make_items()
    items[1]["family"] = "Wilhelmina Obuya"
    items[2]["children"] = "Ignatius Pemberthy (10)"
    dest = tmp_path / "a.xlsx"
    with pytest.raises(InvalidInput) as info:
        write_agenda(dest, PANEL, items, profile_levels=LEVELS)
    assert len(info.value.problems) == 2
    assert "item 2 (F000102)" in info.value.problems[0]
    assert "item 3 (F000103)" in info.value.problems[1]
    assert "Wilhelmina" not in " ".join(info.value.problems) + info.value.message
    assert not dest.exists()
    # With names, on purpose, it is written.
    write_agenda(dest, PANEL, items, profile_levels=LEVELS, named=True)
    assert load(dest)["Agenda"].cell(4, COL["Family"]).value == "Wilhelmina Obuya"


FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]


def test_formula_prefixed_values_are_stored_as_text(tmp_path):
    items = make_items()
    fields = ["matters", "lead_professional", "agencies", "consent", "presenter", "notes"]
    for field, value in zip(fields, FORMULAS):
        items[0][field] = value
    items[1]["family_id"] = "=1+1"
    items[1]["matters"] = "=cmd|' /C calc'!A0"
    path = write_agenda(tmp_path / "f.xlsx", PANEL, items, profile_levels=LEVELS)
    xml = worksheet_xml(path)
    assert not re.search(r"<(?:\w+:)?f[\s>/]", xml), "a formula element was written"
    ws = load(path)["Agenda"]
    headers = {
        "matters": "What matters most",
        "lead_professional": "Lead professional",
        "agencies": "Agencies (TAF)",
        "consent": "Consent to be discussed",
        "presenter": "Presenter",
        "notes": "Coordinator notes",
    }
    for field, value in zip(fields, FORMULAS):
        cell = ws.cell(3, COL[headers[field]])
        expected = value.replace("\r", "\n")  # a lone CR is a line break in a cell
        assert cell.value == expected and cell.data_type == "s" and cell.quotePrefix, field
    assert ws.cell(4, COL["Family reference"]).value == "=1+1"
    assert ws.cell(4, COL["Family reference"]).data_type == "s"
    assert load(path, read_only=True)["_meta"]["C12"].value == "=1+1"
    # read back after the chair's openpyxl save: still text, still no formula
    wb = load(path)
    wb["Agenda"].cell(3, COL["Decision"]).value = "Allocate"
    wb.save(path)
    assert not re.search(r"<(?:\w+:)?f[\s>/]", worksheet_xml(path))
    db = expected_db(items)
    assert read_decisions(path, expected=db)[0]["decision"] == "allocate"


def test_control_characters_removed(tmp_path):
    items = make_items()
    items[0]["matters"] = "Attendance\x00 below\x07 90%\x1b;\x7f\r\nParental conflict"
    items[0]["notes"] = "note\x0b one"
    path = write_agenda(tmp_path / "c.xlsx", PANEL, items, profile_levels=LEVELS)
    ws = load(path)["Agenda"]
    assert ws.cell(3, COL["What matters most"]).value == "Attendance below 90%;\nParental conflict"
    assert ws.cell(3, COL["Coordinator notes"]).value == "note one"


def test_overlong_text_refused_and_no_file(tmp_path):
    items = make_items()
    items[1]["matters"] = "x" * 40000
    dest = tmp_path / "long.xlsx"
    with pytest.raises(InvalidInput) as info:
        write_agenda(dest, PANEL, items, profile_levels=LEVELS)
    assert "What matters most" in " ".join(info.value.problems)
    assert "item 2" in " ".join(info.value.problems)
    assert not dest.exists()
    assert list(tmp_path.iterdir()) == []


def test_other_bad_input_collected(tmp_path):
    items = make_items()
    items[0]["reason"] = "whim"
    items[1]["assessed_on"] = "03/12/2026"
    items[2]["item"] = 1
    with pytest.raises(InvalidInput) as info:
        write_agenda(tmp_path / "b.xlsx", dict(PANEL, date="soon"), items, profile_levels=LEVELS)
    text = "\n".join(info.value.problems)
    assert "whim" in text and "03/12/2026" in text and "twice" in text and "soon" in text
    assert not list(tmp_path.iterdir())


def test_overwrite_replaces_the_file(agenda):
    items = make_items()[:1]
    write_agenda(agenda, PANEL, items, profile_levels=LEVELS)
    assert load(agenda)["Agenda"].max_row == 3
    assert (agenda.stat().st_mode & 0o777) == 0o600


def test_empty_agenda(tmp_path):
    path = write_agenda(tmp_path / "e.xlsx", PANEL, [], profile_levels=LEVELS)
    ws = load(path)["Agenda"]
    assert [c.value for c in ws[2]] == EXPECTED_HEADERS
    assert read_decisions(path, expected={"panel_id": "P0003", "items": {}}) == []


# --- reading decisions back -----------------------------------------------


def chair_edits(path: Path, edits: dict[tuple[int, str], object]) -> None:
    """What a chair does: open the workbook, type into cells, save."""
    wb = load(path)
    ws = wb["Agenda"]
    for (row, header), value in edits.items():
        ws.cell(row, COL[header]).value = value
    wb.save(path)


def test_round_trip(agenda):
    chair_edits(
        agenda,
        {
            (3, "Decision"): "Allocate",
            (3, "Actions"): "Keyworker to visit by 10 Dec",
            (3, "Allocated to"): "Family Hub North",
            (4, "Notes"): "  Discussed; bring back in January \n",
            (5, "Decision"): "lead professional and tAF",
            (5, "Actions"): "TAF meeting within 2 weeks\r\n",
        },
    )
    got = read_decisions(agenda, expected=expected_db())
    assert got == [
        {
            "row": 3,
            "item": 1,
            "family_id": "F000101",
            "decision": "allocate",
            "actions": "Keyworker to visit by 10 Dec",
            "allocated_to": "Family Hub North",
            "notes": None,
        },
        {
            "row": 4,
            "item": 2,
            "family_id": "F000102",
            "decision": None,
            "actions": None,
            "allocated_to": None,
            "notes": "Discussed; bring back in January",
        },
        {
            "row": 5,
            "item": 3,
            "family_id": "F000103",
            "decision": "lead-professional",
            "actions": "TAF meeting within 2 weeks",
            "allocated_to": None,
            "notes": None,
        },
    ]


def test_nothing_recorded_gives_nothing(agenda):
    assert read_decisions(agenda, expected=expected_db()) == []


def test_sorted_rows_still_match_by_item(agenda):
    wb = load(agenda)
    ws = wb["Agenda"]
    row3 = [c.value for c in ws[3]]
    row5 = [c.value for c in ws[5]]
    for col, (a, b) in enumerate(zip(row5, row3), 1):
        ws.cell(3, col).value, ws.cell(5, col).value = a, b
    ws.cell(3, COL["Decision"]).value = "Defer"  # now item 3's row
    wb.save(agenda)
    got = read_decisions(agenda, expected=expected_db())
    assert [(g["row"], g["item"], g["family_id"], g["decision"]) for g in got] == [(3, 3, "F000103", "defer")]


def test_title_row_deleted_still_reads(agenda):
    wb = load(agenda)
    ws = wb["Agenda"]
    ws.unmerge_cells(str(next(iter(ws.merged_cells.ranges))))
    ws.delete_rows(1)
    ws.cell(2, COL["Decision"]).value = "Close"
    wb.save(agenda)
    got = read_decisions(agenda, expected=expected_db())
    assert [(g["row"], g["item"], g["decision"]) for g in got] == [(2, 1, "close")]


def test_bad_edits_reported_by_row(agenda):
    wb = load(agenda)
    ws = wb["Agenda"]
    ws.cell(3, COL["Decision"]).value = "Maybe"
    ws.cell(4, COL["Family reference"]).value = "F000999"
    ws.cell(4, COL["Decision"]).value = "Close"
    ws.cell(6, COL["Item"]).value = 42
    ws.cell(6, COL["Family reference"]).value = "F000555"
    ws.cell(6, COL["Decision"]).value = "Allocate"
    ws.cell(7, COL["Notes"]).value = "a note with no item"
    wb.save(agenda)
    with pytest.raises(InvalidInput) as info:
        read_decisions(agenda, expected=expected_db())
    problems = info.value.problems
    assert len(problems) == 4, problems
    assert problems[0].startswith("row 3") and "'Maybe'" in problems[0] and "Allocate" in problems[0]
    assert problems[1].startswith("row 4") and "F000102" in problems[1] and "F000999" in problems[1]
    assert problems[2].startswith("row 6") and "42" in problems[2] and "not on panel P0003" in problems[2]
    assert problems[3].startswith("row 7") and "no item number" in problems[3]
    assert "nothing was recorded" in info.value.message


def test_reference_not_matching_the_database(agenda):
    chair_edits(agenda, {(3, "Decision"): "Allocate"})
    db = expected_db()
    db["items"][1] = "F000777"
    with pytest.raises(InvalidInput) as info:
        read_decisions(agenda, expected=db)
    assert info.value.problems == [
        "row 3 (item 1): item 1 is family F000101 on this agenda but F000777 in the database (export the agenda again)"
    ]


def test_item_removed_from_panel_and_row_added_by_hand(agenda):
    chair_edits(agenda, {(6, "Item"): 4, (6, "Family reference"): "F000104", (6, "Decision"): "Close"})
    db = expected_db()
    db["items"] = {1: "F000101", 2: "F000102", 4: "F000104"}  # item 3 removed, 4 added since export
    with pytest.raises(InvalidInput) as info:
        read_decisions(agenda, expected=db)
    problems = info.value.problems
    assert any(p.startswith("row 5") and "removed after" in p for p in problems)
    assert any(p.startswith("row 6") and "not on the agenda when it was exported" in p for p in problems)


def test_duplicate_item_rows(agenda):
    chair_edits(agenda, {(6, "Item"): 2, (6, "Family reference"): "F000102", (6, "Decision"): "Close"})
    with pytest.raises(InvalidInput) as info:
        read_decisions(agenda, expected=expected_db())
    assert info.value.problems == ["row 6 (item 2): item 2 is also on row 4"]


def test_another_panels_workbook(agenda):
    with pytest.raises(InvalidInput) as info:
        read_decisions(agenda, expected={"panel_id": "P0009", "items": {1: "F000101"}})
    assert "P0003" in info.value.message and "P0009" in info.value.message
    assert len(info.value.problems) == 1


def test_missing_header_is_named(agenda):
    chair_edits(agenda, {(2, "Decision"): "What we decided"})
    with pytest.raises(InvalidInput) as info:
        read_decisions(agenda, expected=expected_db())
    assert "'Decision'" in info.value.message
    assert info.value.problems == ["Agenda sheet: no 'Decision' column header"]


def test_no_agenda_sheet(agenda):
    wb = load(agenda)
    wb["Agenda"].title = "Sheet1"
    wb.save(agenda)
    with pytest.raises(InvalidInput) as info:
        read_decisions(agenda, expected=expected_db())
    assert "no 'Agenda' sheet" in info.value.message


def test_metadata_missing_or_altered(agenda, tmp_path):
    wb = load(agenda)
    wb["_meta"]["C12"].value = "F000999"  # item 2's reference
    wb.save(agenda)
    with pytest.raises(InvalidInput) as info:
        read_decisions(agenda, expected=expected_db())
    assert "metadata has been changed" in info.value.message
    del wb["_meta"]
    wb.save(agenda)
    with pytest.raises(InvalidInput) as info:
        read_decisions(agenda, expected=expected_db())
    assert "no ehtool agenda metadata" in info.value.message


def test_not_an_xlsx(tmp_path):
    text = tmp_path / "agenda.xlsx"
    text.write_text("Item,Decision\n1,Allocate\n")
    with pytest.raises(InvalidInput) as info:
        read_decisions(text, expected=expected_db())
    assert "is not an xlsx workbook" in info.value.message
    other_zip = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    with pytest.raises(InvalidInput) as info:
        read_decisions(other_zip, expected=expected_db())
    assert "is not an xlsx workbook" in info.value.message
    with pytest.raises(NotFound):
        read_decisions(tmp_path / "missing.xlsx", expected=expected_db())


def test_extension_does_not_matter(agenda, tmp_path):
    renamed = tmp_path / "agenda-from-email.XLSX.download"
    os.replace(agenda, renamed)
    assert read_decisions(renamed, expected=expected_db()) == []


# --- layout: what a chair prints ---------------------------------------------


def sheet_xml(path, n: int) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(f"xl/worksheets/sheet{n}.xml").decode("utf-8")


def row_attrs(xml: str) -> dict[int, dict[str, str]]:
    """Each <row>'s attributes, by row number."""
    return {
        int(m.group(1)): dict(re.findall(r'(\w+)="([^"]*)"', m.group(0)))
        for m in re.finditer(r'<row r="(\d+)"[^>]*>', xml)
    }


def test_columns_fit_a4_landscape_legibly(agenda):
    from ehtool.documents.agenda_layout import COLUMNS

    total = sum(c[1] for c in COLUMNS)
    assert 200 <= total <= 230, total  # was 356: printed at 38%, now about two thirds
    ws = load(agenda)["Agenda"]
    widths = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(len(COLUMNS))]
    assert widths == [c[1] for c in COLUMNS]
    assert ws.column_dimensions["G"].width >= 12  # "26 Nov 2026" must not show as ####
    assert ws.page_margins.header == ws.page_margins.footer == 0.3  # the header clear of row 1
    assert ws.page_margins.top > ws.page_margins.header + 0.2


def test_every_row_has_a_height_for_its_text(tmp_path):
    from ehtool.documents.agenda_layout import ITEM_MIN_LINES
    from ehtool.documents.xlsx_safe import LINE_HEIGHT, MAX_ROW_HEIGHT

    items = make_items()
    items[0]["matters"] = (
        "Behaviour at home that parents find very hard to manage (aggression, "
        "defiance, outbursts beyond what is usual for the child's age)."
    )
    items[1]["notes"] = "one\ntwo\nthree\nfour\nfive"
    items[2]["matters"] = "x" * 5000  # one enormous word
    path = write_agenda(tmp_path / "h.xlsx", PANEL, items, profile_levels=LEVELS)
    rows = row_attrs(sheet_xml(path, 1))
    assert set(rows) == {1, 2, 3, 4, 5}
    for r, attrs in rows.items():
        # a height, as Excel writes a row it has fitted (so Excel refits it
        # when the chair types), never a hand-set one
        assert "ht" in attrs and "customHeight" not in attrs, (r, attrs)
    heights = {r: float(a["ht"]) for r, a in rows.items()}
    assert heights[1] == 24  # the title
    assert heights[2] >= 3 * LINE_HEIGHT  # "Consent to be discussed" wraps in its column
    assert heights[3] >= 4 * LINE_HEIGHT  # 90 characters in "What matters most"
    assert heights[4] == 5 * LINE_HEIGHT  # five lines typed
    assert heights[5] == MAX_ROW_HEIGHT  # capped at Excel's largest
    short = write_agenda(
        tmp_path / "s.xlsx",
        PANEL,
        [
            dict(
                make_items()[0],
                matters="Low mood",
                children="A.B. (3)",
                agencies="School",
                consent="Given",
                level_name="Level 1",
            )
        ],
        profile_levels=LEVELS,
    )
    assert float(row_attrs(sheet_xml(short, 1))[3]["ht"]) == ITEM_MIN_LINES * LINE_HEIGHT
    # openpyxl reads the heights back
    ws = load(path)["Agenda"]
    assert ws.row_dimensions[4].height == 5 * LINE_HEIGHT


def test_summary_and_key_rows_have_heights_and_merged_titles(agenda):
    wb = load(agenda)
    assert {str(r) for r in wb["Summary"].merged_cells.ranges} == {"A1:B1"}
    assert {str(r) for r in wb["Key"].merged_cells.ranges} == {"A1:C1"}
    for n in (2, 3):
        rows = row_attrs(sheet_xml(agenda, n))
        assert rows and all("ht" in a and "customHeight" not in a for a in rows.values())
    levels = [dict(lv) for lv in LEVELS]
    levels[2]["description"] = (
        "Intensive needs that call for a joined-up, multi-agency package "
        "coordinated by a lead professional, without statutory social work."
    )
    path = write_agenda(agenda.parent / "k.xlsx", PANEL, make_items(), profile_levels=levels)
    key = load(path)["Key"]
    rung_rows = [r for r in range(1, key.max_row + 1) if key.cell(r, 1).value in ("2a", "2b")]
    heights = [key.row_dimensions[r].height for r in rung_rows]
    assert heights[0] == 15 and heights[1] >= 3 * 15  # the long description wraps


def test_plain_cells_wrap_in_libreoffice_and_typed_cells_wrap_too(agenda):
    with zipfile.ZipFile(agenda) as zf:
        styles = zf.read("xl/styles.xml").decode("utf-8")
    # LibreOffice gives a cell without a format the "Normal" style: it wraps too
    named = re.search(r"<cellStyleXfs[^>]*>(.*?)</cellStyleXfs>", styles).group(1)
    assert 'wrapText="1"' in named and 'vertical="top"' in named
    # the columns keep format 0 (wrapped), so what a chair types into an empty cell wraps
    cols = re.search(r"<cols>(.*?)</cols>", sheet_xml(agenda, 1)).group(1)
    assert "style=" not in cols
    # bold cells name their font (LibreOffice otherwise picks a serif one)
    ws = load(agenda)["Agenda"]
    assert ws["A2"].font.name == "Calibri" and ws["A1"].font.name == "Calibri"
    assert ws["A1"].alignment.wrap_text


def test_each_row_keeps_its_own_date(tmp_path):
    items = make_items()
    for n, item in enumerate(items, 1):
        item["assessed_on"] = f"2026-10-0{n}"
    items[1]["assessed_on"] = None
    path = write_agenda(tmp_path / "d.xlsx", PANEL, items, profile_levels=LEVELS)
    ws = load(path)["Agenda"]
    assert [ws.cell(r, COL["Assessed on"]).value for r in (3, 4, 5)] == [
        dt.datetime(2026, 10, 1),
        None,
        dt.datetime(2026, 10, 3),
    ]
    assert ws.cell(5, COL["Assessed on"]).number_format == "d mmm yyyy"


def test_wrapped_lines():
    from ehtool.documents.xlsx_safe import LineCounter, line_room, text_lines, text_width, wrapped_lines

    room = line_room(30)
    assert wrapped_lines("", room) == wrapped_lines("Low mood", room) == 1
    assert wrapped_lines("one\ntwo\n\nfour", room) == 4
    long = "Behaviour at home that parents find very hard to manage."
    assert wrapped_lines(long, line_room(60)) == 1 and wrapped_lines(long, room) == 2
    assert wrapped_lines("x" * 1000, room) >= 1000 * text_width("x") // room
    assert text_width("WWW") > text_width("iii")
    assert text_width("Items", bold=True) >= text_width("Items")
    # characters outside Windows-1252 are measured generously, never as nothing
    assert text_width("家族") > text_width("WW")
    assert wrapped_lines("家族 " * 40, room) > 1
    # headers: no word of a header is broken in its column
    from ehtool.documents.agenda_layout import COLUMNS

    for header, width, _meaning, _who in COLUMNS:
        for word in header.split():
            assert text_width(word, bold=True) <= line_room(width), header
    # text_lines: the tallest value; numbers, dates, None and cells count too
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    ws = Workbook(write_only=True).create_sheet("x")
    cell = WriteOnlyCell(ws, value="a\nb\nc")
    assert text_lines([1, None, dt.date(2026, 1, 1), "x"], [room] * 4) == 1
    assert text_lines(["a\nb", cell], [room, room]) == 3
    counter = LineCounter([30, 6])
    assert counter([long, 12]) == 2 and counter([long, None]) == 2 and counter(["a", "b"]) == 1
    assert counter(["x", "W" * 40]) > 1  # W is wide: 40 of them are over 6 columns


@pytest.mark.parametrize("width", [6, 9, 12, 17, 30])
def test_wrapped_lines_never_undercounts(width):
    """Against a pixel-by-pixel greedy wrap with Calibri's widths and Excel's
    text area (7 px a character less 5 px), as Excel wraps on screen."""
    import random

    from ehtool.documents import xlsx_safe as X

    def pixel_wrap(text: str, px: float) -> int:
        width = lambda s: X.text_width(s) / 8  # noqa: E731
        lines = 0
        for para in text.split("\n"):
            lines += 1
            used = None
            for word in para.split(" "):
                w = width(word)
                nxt = w if used is None else used + width(" ") + w
                if nxt <= px:
                    used = nxt
                    continue
                if used is not None:
                    lines += 1
                while w > px:
                    lines += 1
                    w -= px
                used = w
        return lines

    rnd = random.Random(width)
    words = (
        "Attendance below 90%; Parental conflict; Rent arrears; WWW MMM; Multi-agency "
        "Safeguarding Hub (MASH); a i l; Speech and language delay; A.O-S. (12), B.O. (9m);"
        " Given 2026-11-26; Health visiting; School; CAMHS; mmmmmmmmmmmmm"
    ).split()
    room = X.line_room(width)
    for _ in range(400):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 30)))
        assert X.wrapped_lines(text, room) >= pixel_wrap(text, 7 * width - 5), text


def test_a_label_with_a_quote_is_listed_from_the_key_sheet(tmp_path):
    from ehtool.domain.decisions import Decision

    decisions = (*DEFAULT_DECISIONS, Decision("hello", 'Say "hello"', "A partnership's own."))
    path = write_agenda(tmp_path / "q.xlsx", PANEL, make_items(), profile_levels=LEVELS, decisions=decisions)
    (dv,) = load(path)["Agenda"].data_validations.dataValidation
    first = KEY_DECISIONS_FIRST_ROW
    assert dv.formula1 == f"'Key'!$A${first}:$A${first + len(decisions) - 1}"
    key = load(path)["Key"]
    assert [key.cell(r, 1).value for r in range(first, first + len(decisions))] == [d.label for d in decisions]
