"""Locality panels: sittings, agendas, the exported workbook, decisions read back."""

from __future__ import annotations

import re
import stat
import zipfile

import pytest
from openpyxl import load_workbook

from conftest import snapshot

NAMES = ["Testwood family", "Rowan Testwood", "Jo Testwood"]


@pytest.fixture
def sitting(run, initdb):
    r = run("panel", "schedule", "--locality", "north", "--date", "2026-12-03", "--chair", "Chair Person", "--json")
    assert r.code == 0, r.err
    return r.json["id"]


@pytest.fixture
def agenda(run, family, sitting, tmp_path):
    run(
        "member",
        "edit",
        run("family", "show", family, "--json").json["members"][1]["id"],
        "--nhs-number",
        "943 476 5919",
        "--upn",
        "A801200001001",
    )
    run("consent", "record", family, "--type", "panel", "--status", "given")
    r = run(
        "panel",
        "add",
        family,
        "--reason",
        "step-up",
        "--locality",
        "North",
        "--date",
        "2026-12-03",
        "--presenter",
        "Pat Keyworker",
        "--notes",
        "=SUM(A1:A9) attendance",
    )
    assert r.code == 0, r.err
    second = run("family", "add", "--name", "Second Panelfamily", "--locality", "north").out.strip()
    r = run("panel", "add", second, "--reason", "new-referral", "--no-consent-reason", "Consent being sought; urgent")
    assert r.code == 0 and "without consent" in r.err
    return family, second


def test_schedule_list_show_contract(run, sitting):
    rows = run("panel", "list", "--json").json
    assert rows == [
        {
            "id": sitting,
            "kind": "locality",
            "locality": "North",
            "date": "2026-12-03",
            "chair": "Chair Person",
            "items": 0,
        }
    ]
    assert run("panel", "schedule", "--locality", "North", "--date", "2026-12-03").code == 5
    assert run("panel", "schedule", "--locality", "Atlantis", "--date", "2026-12-03").code == 4
    assert run("panel", "schedule", "--locality", "North", "--date", "03/12/26").code == 4


def test_add_needs_consent_or_a_reason(run, family, sitting, initdb):
    before = snapshot(initdb)
    r = run("panel", "add", family, "--reason", "review", "--date", "2026-12-03")
    assert r.code == 6 and "--no-consent-reason" in r.err
    assert run("panel", "add", family, "--reason", "gossip", "--date", "2026-12-03").code == 4
    assert snapshot(initdb) == before


def test_show_items(run, agenda, sitting):
    shown = run("panel", "show", sitting, "--json").json
    assert [i["item"] for i in shown["items"]] == [1, 2]
    item = shown["items"][0]
    assert {"item", "family_id", "reason", "decision", "decision_notes"} <= set(item)
    assert item["decision"] is None and item["reason"] == "step-up"
    assert run("panel", "list", "--json").json[0]["items"] == 2


def _xml(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def test_export_pseudonymised_workbook(run, agenda, sitting, tmp_path):
    out = tmp_path / "agenda.xlsx"
    r = run("panel", "export", "--locality", "north", "--date", "2026-12-03", "--out", out, "--json")
    assert r.code == 0, r.err
    assert r.json["named"] is False and r.json["items"] == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    wb = load_workbook(out)
    assert {"Agenda", "Summary", "Key"} <= set(wb.sheetnames)
    ws = wb["Agenda"]
    headers = [c.value for c in ws[2]]
    assert "Family reference" in headers and "Decision" in headers
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows
    assert "OFFICIAL-SENSITIVE" in (ws.oddHeader.center.text or "")
    dv = [d for d in ws.data_validations.dataValidation if d.type == "list"]
    assert dv and "Allocate" in dv[0].formula1
    row = {h: c.value for h, c in zip(headers, ws[3])}
    assert row["Family"] == "T.F." and row["Family reference"] == agenda[0]
    assert "R.T." in row["Children"]
    xml = "\n".join(_xml(out).values())
    for forbidden in NAMES + ["2017-04-02", "9434765919", "943 476 5919", "A801200001001", "CR0 2AB"]:
        assert forbidden not in xml, forbidden
    assert "<f>" not in xml.replace("<f>SUM", "")  # no formula from data
    assert not re.search(r"<f>[^<]*SUM\(A1:A9\)", xml)
    assert run("audit", "--action", "panel.export", "--json").json[-1]["values"]["named"] is False


def test_named_export_is_audited_and_refused_after_withdrawal(run, agenda, sitting, tmp_path):
    out = tmp_path / "named.xlsx"
    assert run("panel", "export", sitting, "--out", out, "--names").code == 0
    xml = "\n".join(_xml(out).values())
    assert "Testwood family" in xml
    assert run("audit", "--action", "panel.export", "--json").json[-1]["values"]["named"] is True
    run("consent", "record", agenda[0], "--type", "early-help", "--status", "withdrawn")
    out2 = tmp_path / "named2.xlsx"
    r = run("panel", "export", sitting, "--out", out2, "--names")
    assert r.code == 6 and agenda[0] in r.err and not out2.exists()
    assert run("panel", "export", sitting, "--out", out2).code == 0  # pseudonymised still fine


def fill(path, dest, entries):
    wb = load_workbook(path)
    ws = wb["Agenda"]
    headers = [c.value for c in ws[2]]
    for row, values in entries.items():
        for header, value in values.items():
            ws.cell(row=row, column=headers.index(header) + 1, value=value)
    wb.save(dest)
    return dest


def test_round_trip_decisions(run, agenda, sitting, tmp_path):
    out = tmp_path / "agenda.xlsx"
    run("panel", "export", sitting, "--out", out)
    filled = fill(
        out,
        tmp_path / "filled.xlsx",
        {
            3: {
                "Decision": "Allocate",
                "Actions": "Keyworker to visit",
                "Allocated to": "Early Help North",
                "Notes": "=cmd",
            },
            4: {"Decision": "Signpost to universal services"},
        },
    )
    r = run("panel", "decisions", filled, "--dry-run", "--json")
    assert r.code == 0 and r.json["recorded"] == 0
    assert run("panel", "show", sitting, "--json").json["items"][0]["decision"] is None
    r = run("panel", "decisions", filled, "--json")
    assert r.code == 0, r.err
    items = run("panel", "show", sitting, "--json").json["items"]
    assert [i["decision"] for i in items] == ["allocate", "signpost"]
    assert items[0]["decision_notes"] == "=cmd" and items[0]["allocated_to"] == "Early Help North"
    shown = run("family", "show", agenda[0], "--json").json
    assert shown["panel_items"][0]["decision"] == "allocate"
    assert "allocate" in run("family", "show", agenda[0]).out


def test_bad_edits_reported_by_row_and_nothing_recorded(run, agenda, sitting, tmp_path, initdb):
    out = tmp_path / "agenda.xlsx"
    run("panel", "export", sitting, "--out", out)
    filled = fill(
        out,
        tmp_path / "bad.xlsx",
        {
            3: {"Decision": "Maybe later"},
            4: {"Family reference": "F999999", "Decision": "Close"},
        },
    )
    before = snapshot(initdb)
    r = run("panel", "decisions", filled)
    assert r.code == 4
    assert "row 3" in r.err and "row 4" in r.err
    assert snapshot(initdb) == before
    (tmp_path / "junk.xlsx").write_text("not a workbook")
    assert run("panel", "decisions", tmp_path / "junk.xlsx").code == 4


def test_decide_by_hand(run, agenda, sitting):
    r = run("panel", "decide", agenda[1], "--decision", "defer", "--notes", "Back next month", "--json")
    assert r.code == 0, r.err
    assert run("panel", "show", sitting, "--json").json["items"][1]["decision"] == "defer"
    assert run("panel", "decide", agenda[1], "--decision", "defer").code == 4  # nothing waiting now
    assert run("panel", "decide", agenda[0], "--decision", "banish").code == 4
