"""A panel decision changes what it says: allocate sets the lead, step-up records a referral,
step-down records the move, signpost and no further action close the family (unless kept open),
defer and more information carry the item to the next sitting. Each effect happens in the
decision's transaction with its audit entry, and never twice."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import snapshot
from test_panel import fill

DAY = "2026-12-02"  # today (the suite's clock): effects are dated the sitting, never the future


@pytest.fixture
def on_panel(run, family):
    """The family on the North locality panel of 3 December, with consent to be discussed."""
    assert run("panel", "schedule", "--locality", "north", "--date", DAY, "--chair", "Chair Person").code == 0
    assert run("consent", "record", family, "--type", "panel", "--status", "given").code == 0
    r = run("panel", "add", family, "--reason", "new-referral", "--date", DAY, "--json")
    assert r.code == 0, r.err
    return family


def decide(run, family, decision, *extra):
    r = run("panel", "decide", family, "--decision", decision, *extra, "--json")
    assert r.code == 0, r.err
    return r.json


def effect_rows(db, family):
    conn = sqlite3.connect(str(db))
    try:
        fid = int(family[1:])
        return conn.execute(
            "SELECT effect, outcome, target FROM panel_effects WHERE family_id = ? ORDER BY id", (fid,)
        ).fetchall()
    finally:
        conn.close()


def audit_actions(run, family):
    return [e["action"] for e in run("audit", "--family", family, "--json").json]


def test_allocate_sets_the_lead_and_makes_a_plan_due(run, on_panel, initdb):
    result = decide(run, on_panel, "allocate", "--allocated-to", "Sam Practitioner")
    assert result["effects"] == [
        {
            "effect": "allocate",
            "outcome": "applied",
            "what": f"lead professional of {on_panel} is Sam Practitioner; a plan is due within 30 days",
            "target": on_panel,
        }
    ]
    assert run("family", "show", on_panel, "--json").json["lead"] == "Sam Practitioner"
    actions = audit_actions(run, on_panel)
    assert {"panel.decide", "family.edit", "panel.effect"} <= set(actions)
    # a plan is due: past days_to_plan from the sitting, with no plan, `due` says so
    due = run("due", "--on", "2027-01-10", "--json").json
    assert any(i["family_id"] == on_panel and i["category"] == "no-plan" for i in due)


def test_allocate_with_no_one_named_goes_to_the_service(run, on_panel, initdb):
    assert run("settings", "organisation", "Testshire Early Help").code == 0
    decide(run, on_panel, "lead-professional")
    assert run("family", "show", on_panel, "--json").json["lead"] == "Testshire Early Help"


def test_step_up_records_one_referral_to_the_front_door(run, on_panel, initdb):
    result = decide(run, on_panel, "step-up")
    (effect,) = result["effects"]
    assert effect["effect"] == "step-up" and effect["outcome"] == "applied" and effect["target"].startswith("R")
    referrals = run("referral", "list", on_panel, "--json").json["referrals"]
    assert len(referrals) == 1
    assert referrals[0]["to"] == "front-door" and referrals[0]["date"] == DAY
    assert "Stepped up at panel P000001#1" in referrals[0]["reason"]
    # the same decision again applies nothing
    again = run("panel", "decide", on_panel, "--decision", "step-up", "--panel", "P000001", "--json").json
    assert again["effects"] == []
    assert len(run("referral", "list", on_panel, "--json").json["referrals"]) == 1


def test_step_down_records_the_receiving_service_and_closes_the_referral(run, on_panel, initdb):
    assert run("referral", "record", on_panel, "--to", "front-door", "--date", "2026-11-20").code == 0
    result = decide(run, on_panel, "step-down", "--allocated-to", "Family Hub North")
    (effect,) = result["effects"]
    assert effect["outcome"] == "applied" and "stepped down to Family Hub North" in effect["what"]
    (referral,) = run("referral", "list", on_panel, "--json").json["referrals"]
    assert referral["outcome"] == "stepped-down" and referral["outcome_date"] == DAY


@pytest.mark.parametrize("decision", ["signpost", "no-further-action", "Close"])
def test_closing_decisions_close_the_family(run, on_panel, initdb, decision):
    result = decide(run, on_panel, decision)
    assert result["effects"][0]["outcome"] == "applied"
    shown = run("family", "show", on_panel, "--json").json
    assert shown["status"] == "closed" and shown["closed_on"] == DAY


def test_keep_open_leaves_the_family_open(run, on_panel, initdb):
    result = decide(run, on_panel, "signpost", "--keep-open")
    assert result["effects"][0]["outcome"] == "skipped" and "--keep-open" in result["effects"][0]["what"]
    assert run("family", "show", on_panel, "--json").json["status"] == "open"


def test_deferred_item_goes_to_the_next_sitting_with_its_history(run, on_panel, initdb):
    assert run("panel", "schedule", "--locality", "north", "--date", "2026-12-17").code == 0
    result = decide(run, on_panel, "defer", "--notes", "Await school report")
    assert result["effects"][0]["target"] == "P000002#1"
    nxt = run("panel", "show", "P000002", "--json").json
    (item,) = nxt["items"]
    assert item["family_id"] == on_panel and item["carried_from"] == "P000001#1" and item["reason"] == "new-referral"
    assert "panel.carry" in audit_actions(run, on_panel)


def test_the_next_sittings_agenda_shows_where_a_carried_item_comes_from(run, on_panel, initdb, tmp_path):
    from openpyxl import load_workbook

    assert run("panel", "schedule", "--locality", "north", "--date", "2026-12-17").code == 0
    decide(run, on_panel, "defer")
    out = tmp_path / "next.xlsx"
    assert run("panel", "export", "P000002", "--out", out).code == 0
    ws = load_workbook(out)["Agenda"]
    headers = [c.value for c in ws[2]]
    notes = ws.cell(3, headers.index("Coordinator notes") + 1).value
    assert notes.startswith(f"Carried from P000001#1 ({DAY}: Defer).")


def test_deferred_with_no_sitting_waits_and_is_carried_when_one_is_scheduled(run, on_panel, initdb):
    result = decide(run, on_panel, "more-information")
    assert result["effects"][0]["outcome"] == "waiting"
    due = run("due", "--on", "2026-12-05", "--json").json
    assert "panel-waiting" in [i["category"] for i in due if i["family_id"] == on_panel]
    # another kind of panel, or another locality, does not take it
    assert run("panel", "schedule", "--locality", "north", "--kind", "attendance", "--date", "2026-12-10").code == 0
    assert run("panel", "show", "P000002", "--json").json["items"] == []
    r = run("panel", "schedule", "--locality", "north", "--date", "2027-01-07", "--json")
    assert r.code == 0 and r.json["carried"] == ["P000003#1"]
    assert r.json["items"][0]["carried_from"] == "P000001#1"
    assert effect_rows(initdb, on_panel) == [("carry", "applied", "P000003#1")]
    due = run("due", "--on", "2026-12-05", "--json").json
    assert not [i for i in due if i["family_id"] == on_panel and i["category"] == "panel-waiting"]


def test_a_workbook_read_twice_applies_each_effect_once(run, on_panel, initdb, tmp_path):
    out = tmp_path / "agenda.xlsx"
    assert run("panel", "export", "P000001", "--out", out).code == 0
    filled = fill(out, tmp_path / "filled.xlsx", {3: {"Decision": "Step up to social care"}})
    dry = run("panel", "decisions", filled, "--dry-run", "--json")
    assert dry.code == 0, dry.err
    assert dry.json["decisions"][0]["effects"][0]["effect"] == "step-up"
    assert run("referral", "list", on_panel, "--json").json["referrals"] == []
    first = run("panel", "decisions", filled, "--json")
    assert first.code == 0 and first.json["decisions"][0]["effects"][0]["outcome"] == "applied"
    before = snapshot(initdb)
    second = run("panel", "decisions", filled, "--json")
    assert second.code == 0 and second.json["decisions"] == [] and second.json["unchanged"] == 1
    assert len(run("referral", "list", on_panel, "--json").json["referrals"]) == 1
    assert [r for r in snapshot(initdb) if "panel_effects" in r] == [r for r in before if "panel_effects" in r]


def test_a_failing_effect_rolls_back_the_decision(run, on_panel, initdb, monkeypatch):
    from ehtool.store import referrals

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(referrals, "record", broken)
    before = snapshot(initdb)
    r = run("panel", "decide", on_panel, "--decision", "step-up")
    assert r.code != 0
    assert snapshot(initdb) == before


def test_a_decision_outside_the_panels_kind_is_refused(run, family, initdb):
    assert run("panel", "schedule", "--locality", "north", "--kind", "attendance", "--date", DAY).code == 0
    run("consent", "record", family, "--type", "panel", "--status", "given")
    assert run("panel", "add", family, "--reason", "review", "--kind", "attendance", "--date", DAY).code == 0
    before = snapshot(initdb)
    r = run("panel", "decide", family, "--decision", "step-down")
    assert r.code == 4 and "Attendance panel" in r.err
    assert snapshot(initdb) == before
    kinds = run("panel", "kinds", "--json").json
    attendance = next(k for k in kinds if k["id"] == "attendance")
    assert "step-down" not in [d["id"] for d in attendance["decisions"]]


def test_two_kinds_on_one_day_need_the_kind(run, initdb):
    assert run("panel", "schedule", "--locality", "north", "--date", DAY).code == 0
    assert run("panel", "schedule", "--locality", "north", "--date", DAY, "--kind", "exploitation").code == 0
    assert run("panel", "schedule", "--locality", "north", "--date", DAY, "--kind", "exploitation").code == 5
    r = run("panel", "show", "--locality", "north", "--date", DAY)
    assert r.code == 4 and "--kind" in r.err
    shown = run("panel", "show", "--locality", "north", "--date", DAY, "--kind", "MARVE", "--json")
    assert shown.code == 4  # a kind is named by its id or its whole name
    shown = run("panel", "show", "--locality", "north", "--date", DAY, "--kind", "exploitation", "--json").json
    assert shown["kind"] == "exploitation" and shown["kind_name"] == "Exploitation panel (MARVE)"
    assert run("panel", "schedule", "--locality", "north", "--date", DAY, "--kind", "gossip").code == 4


def _as_schema_seven(path) -> None:
    """Take a database back to schema 7: panels and items as they were before kinds and effects."""
    conn = sqlite3.connect(str(path))
    conn.executescript(
        """
        PRAGMA foreign_keys = OFF;
        DROP TABLE panel_effects;
        CREATE TABLE p7 (id INTEGER PRIMARY KEY AUTOINCREMENT, locality TEXT NOT NULL, date TEXT NOT NULL,
            chair TEXT, created_at TEXT NOT NULL, UNIQUE (locality, date));
        INSERT INTO p7 SELECT id, locality, date, chair, created_at FROM panels;
        CREATE TABLE i7 (id INTEGER PRIMARY KEY AUTOINCREMENT,
            panel_id INTEGER NOT NULL REFERENCES p7(id) ON DELETE CASCADE, item INTEGER NOT NULL,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE, reason TEXT NOT NULL,
            presenter TEXT, notes TEXT, consent_status TEXT, no_consent_reason TEXT, decision TEXT,
            decision_notes TEXT, actions TEXT, allocated_to TEXT, decided_on TEXT, decided_by TEXT,
            created_at TEXT NOT NULL, UNIQUE (panel_id, item), UNIQUE (panel_id, family_id));
        INSERT INTO i7 SELECT id, panel_id, item, family_id, reason, presenter, notes, consent_status,
            no_consent_reason, decision, decision_notes, actions, allocated_to, decided_on, decided_by, created_at
            FROM panel_items;
        DROP TABLE panel_items; DROP TABLE panels;
        ALTER TABLE p7 RENAME TO panels; ALTER TABLE i7 RENAME TO panel_items;
        CREATE INDEX panel_items_family ON panel_items(family_id);
        DELETE FROM _sqlite_migrations WHERE name = 'm008_panel_kinds_and_effects';
        PRAGMA user_version = 7;
        """
    )
    conn.close()


def test_a_schema_seven_database_keeps_its_sittings_and_decisions(run, on_panel, initdb):
    decide(run, on_panel, "allocate", "--allocated-to", "Sam Practitioner", "--notes", "Agreed")
    before = run("panel", "show", "P000001", "--json").json
    _as_schema_seven(initdb)
    after = run("panel", "show", "P000001", "--json")
    assert after.code == 0, after.err
    assert after.json == before | {"kind": "locality", "kind_name": "Locality allocation panel"}
    conn = sqlite3.connect(str(initdb))
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 8
        assert conn.execute("SELECT COUNT(*) FROM panel_effects").fetchone()[0] == 0  # nothing applied afresh
    finally:
        conn.close()


def test_another_decision_stops_a_deferred_item_waiting(run, on_panel, initdb):
    assert decide(run, on_panel, "defer")["effects"][0]["outcome"] == "waiting"
    decide(run, on_panel, "allocate", "--panel", "P000001", "--allocated-to", "Sam Practitioner")
    due = run("due", "--on", "2026-12-05", "--json").json
    assert "panel-waiting" not in [i["category"] for i in due if i["family_id"] == on_panel]
    r = run("panel", "schedule", "--locality", "north", "--date", "2027-01-07", "--json")
    assert r.json["carried"] == [] and r.json["items"] == []


def test_a_skipped_effect_is_looked_at_again(run, on_panel, initdb):
    assert decide(run, on_panel, "signpost", "--keep-open")["effects"][0]["outcome"] == "skipped"
    result = decide(run, on_panel, "no-further-action", "--panel", "P000001")
    assert result["effects"][0]["outcome"] == "applied"
    assert run("family", "show", on_panel, "--json").json["status"] == "closed"


def test_a_new_allocated_to_updates_the_step_down(run, on_panel, initdb):
    decide(run, on_panel, "step-down")
    again = decide(run, on_panel, "step-down", "--panel", "P000001", "--allocated-to", "Family Hub North")
    assert again["effects"][0]["outcome"] == "applied" and "Family Hub North" in again["effects"][0]["what"]


def test_a_carried_item_reads_consent_afresh(run, on_panel, initdb):
    decide(run, on_panel, "defer")
    assert run("consent", "record", on_panel, "--type", "panel", "--status", "withdrawn").code == 0
    r = run("panel", "schedule", "--locality", "north", "--date", "2027-01-07", "--json")
    (item,) = r.json["items"]
    assert item["consent"].startswith("withdrawn")


def test_effects_of_a_sitting_ahead_are_dated_today(run, family, initdb):
    assert run("panel", "schedule", "--locality", "north", "--date", "2027-03-01").code == 0
    run("consent", "record", family, "--type", "panel", "--status", "given")
    assert run("panel", "add", family, "--reason", "review", "--date", "2027-03-01").code == 0
    decide(run, family, "step-up")
    (referral,) = run("referral", "list", family, "--json").json["referrals"]
    assert referral["date"] == DAY


def test_an_allocation_that_cannot_be_a_lead_is_refused(run, on_panel, initdb):
    before = snapshot(initdb)
    r = run("panel", "decide", on_panel, "--decision", "allocate", "--allocated-to", "x" * 300)
    assert r.code == 4 and "lead professional" in r.err
    assert snapshot(initdb) == before


def test_locality_case_does_not_matter(run, on_panel, initdb):
    decide(run, on_panel, "defer")
    r = run("panel", "schedule", "--locality", "NORTH", "--date", "2027-01-07", "--json")
    assert r.code == 0 and r.json["carried"] == ["P000002#1"]


def test_no_carry_into_a_sitting_already_held(run, family, initdb):
    run("consent", "record", family, "--type", "panel", "--status", "given")
    for day in ("2026-11-01", "2026-11-15"):
        assert run("panel", "schedule", "--locality", "north", "--date", day).code == 0
    assert run("panel", "add", family, "--reason", "review", "--date", "2026-11-01").code == 0
    assert decide(run, family, "defer")["effects"][0]["outcome"] == "waiting"
    assert run("panel", "show", "P000002", "--json").json["items"] == []


def test_a_dry_run_foresees_each_carried_item(run, family, initdb, tmp_path):
    second = run("family", "add", "--name", "Second Testfamily", "--locality", "north").out.strip()
    assert run("panel", "schedule", "--locality", "north", "--date", DAY).code == 0
    assert run("panel", "schedule", "--locality", "north", "--date", "2026-12-16").code == 0
    for ref in (family, second):
        run("consent", "record", ref, "--type", "panel", "--status", "given")
        assert run("panel", "add", ref, "--reason", "review", "--date", DAY).code == 0
    out = tmp_path / "agenda.xlsx"
    assert run("panel", "export", "P000001", "--out", out).code == 0
    filled = fill(out, tmp_path / "filled.xlsx", {3: {"Decision": "Defer"}, 4: {"Decision": "Defer"}})
    dry = run("panel", "decisions", filled, "--dry-run", "--json").json
    foreseen = [d["effects"][0]["target"] for d in dry["decisions"]]
    real = run("panel", "decisions", filled, "--json").json
    assert foreseen == [d["effects"][0]["target"] for d in real["decisions"]] == ["P000002#1", "P000002#2"]
