"""Reading a chair's workbook back never loses or forges a decision: blanks leave what is
recorded alone, a different decision needs --overwrite, a second read changes nothing, every row
is read whatever the sheet's stored dimension says, formulas stay text, giants are refused."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from conftest import set_dimension, snapshot
from test_panel import agenda, fill, sitting  # noqa: F401  (fixtures)


def exported(run, sitting, tmp_path) -> Path:
    out = tmp_path / "agenda.xlsx"
    assert run("panel", "export", sitting, "--out", out).code == 0
    return out


def items(run, sitting):
    return run("panel", "show", sitting, "--json").json["items"]


def decisions_recorded(run) -> int:
    return len(run("audit", "--action", "panel.decide", "--json").json)


def test_a_blank_decision_never_erases_a_recorded_one(run, agenda, sitting, tmp_path):
    out = exported(run, sitting, tmp_path)
    first = fill(
        out,
        tmp_path / "first.xlsx",
        {3: {"Decision": "Allocate", "Actions": "Keyworker to visit", "Allocated to": "Early Help North"}},
    )
    assert run("panel", "decisions", first).code == 0
    # An older copy (nothing typed), then one with only Notes typed on that row.
    assert run("panel", "decisions", out).code == 0
    notes_only = fill(out, tmp_path / "notes.xlsx", {3: {"Notes": "Discussed again"}})
    r = run("panel", "decisions", notes_only, "--json")
    assert r.code == 0, r.err
    item = items(run, sitting)[0]
    assert item["decision"] == "allocate"
    assert item["actions"] == "Keyworker to visit" and item["allocated_to"] == "Early Help North"
    assert item["decision_notes"] == "Discussed again"


def test_a_different_decision_is_refused_unless_overwrite(run, agenda, sitting, tmp_path, initdb):
    out = exported(run, sitting, tmp_path)
    assert (
        run(
            "panel",
            "decisions",
            fill(out, tmp_path / "a.xlsx", {3: {"Decision": "Allocate"}, 4: {"Decision": "Defer"}}),
        ).code
        == 0
    )
    changed = fill(out, tmp_path / "b.xlsx", {3: {"Decision": "Close"}, 4: {"Decision": "Defer", "Notes": "new"}})
    before = snapshot(initdb)
    r = run("panel", "decisions", changed)
    assert r.code == 5, r.err
    assert "row 3" in r.err and "'allocate'" in r.err and "'close'" in r.err and "--overwrite" in r.err
    assert snapshot(initdb) == before  # all or nothing: row 4's new notes are not recorded either
    r = run("panel", "decisions", changed, "--overwrite", "--json")
    assert r.code == 0, r.err
    assert [i["decision"] for i in items(run, sitting)] == ["close", "defer"]


def test_reading_the_same_workbook_twice_changes_nothing_the_second_time(
    run,
    agenda,
    sitting,
    tmp_path,
    initdb,
):
    out = exported(run, sitting, tmp_path)
    filled = fill(
        out,
        tmp_path / "f.xlsx",
        {3: {"Decision": "Allocate", "Notes": "Agreed"}, 4: {"Decision": "Signpost to universal services"}},
    )
    r = run("panel", "decisions", filled, "--json")
    assert r.code == 0 and r.json["recorded"] == 2
    audited = decisions_recorded(run)
    before = snapshot(initdb)
    r = run("panel", "decisions", filled, "--json")
    assert r.code == 0, r.err
    assert r.json["recorded"] == 0 and r.json["unchanged"] == 2 and r.json["decisions"] == []
    assert decisions_recorded(run) == audited
    assert snapshot(initdb) == before


def test_decide_by_hand_keeps_notes_it_was_not_given(run, agenda, sitting):
    assert (
        run(
            "panel",
            "decide",
            agenda[1],
            "--decision",
            "defer",
            "--notes",
            "Back next month",
            "--actions",
            "Gather school report",
        ).code
        == 0
    )
    r = run("panel", "decide", agenda[1], "--panel", sitting, "--decision", "allocate", "--json")
    assert r.code == 0, r.err
    item = items(run, sitting)[1]
    assert item["decision"] == "allocate"
    assert item["decision_notes"] == "Back next month" and item["actions"] == "Gather school report"


def test_every_row_is_read_whatever_the_stored_dimension_says(run, agenda, sitting, tmp_path):
    out = exported(run, sitting, tmp_path)
    filled = fill(out, tmp_path / "f.xlsx", {3: {"Decision": "Allocate"}, 4: {"Decision": "Close"}})
    set_dimension(filled, "A1:B2")  # claims the sheet ends before the first item
    r = run("panel", "decisions", filled, "--json")
    assert r.code == 0, r.err
    assert r.json["recorded"] == 2
    assert [i["decision"] for i in items(run, sitting)] == ["allocate", "close"]


def test_formulas_typed_by_the_chair_are_kept_as_the_text_typed(run, agenda, sitting, tmp_path):
    out = exported(run, sitting, tmp_path)
    filled = fill(out, tmp_path / "f.xlsx", {3: {"Decision": "Allocate", "Actions": '=HYPERLINK("http://x","y")'}})
    r = run("panel", "decisions", filled, "--json")
    assert r.code == 0, r.err
    assert any("row 3, Actions" in w and "formula" in w for w in r.json["warnings"])
    assert items(run, sitting)[0]["actions"] == '=HYPERLINK("http://x","y")'
    r = run("panel", "decisions", fill(out, tmp_path / "g.xlsx", {4: {"Decision": "=A1"}}))
    assert r.code == 4 and "row 4" in r.err  # a formula is never a decision


def test_a_giant_note_is_refused_naming_row_and_column(run, agenda, sitting, tmp_path, initdb):
    out = exported(run, sitting, tmp_path)
    filled = fill(out, tmp_path / "f.xlsx", {3: {"Decision": "Allocate", "Notes": "x" * 5000}})
    before = snapshot(initdb)
    r = run("panel", "decisions", filled)
    assert r.code == 4 and "row 3, Notes" in r.err and "5,000" in r.err
    assert snapshot(initdb) == before


def test_the_problem_list_is_capped(run, agenda, sitting, tmp_path):
    out = exported(run, sitting, tmp_path)
    wb = load_workbook(out)
    ws = wb["Agenda"]
    headers = [c.value for c in ws[2]]
    for row in range(10, 400):  # hand-added rows with no item number but a decision
        ws.cell(row=row, column=headers.index("Decision") + 1, value="Allocate")
    wb.save(tmp_path / "many.xlsx")
    r = run("panel", "decisions", tmp_path / "many.xlsx")
    assert r.code == 4
    assert "390 problem(s)" in r.err and "190 more not shown" in r.err
    assert r.err.count("\n  - ") == 200


def test_a_fifo_or_device_is_refused_not_waited_on(run_proc, agenda, sitting, tmp_path):
    import os

    fifo = tmp_path / "agenda.xlsx"
    os.mkfifo(fifo)
    r = run_proc("panel", "decisions", fifo, "--panel", sitting, timeout=30)
    assert r.code == 4 and "not an ordinary file" in r.err
    r = run_proc("panel", "decisions", "/dev/zero", "--panel", sitting, timeout=30)
    assert r.code == 4 and "not an ordinary file" in r.err
