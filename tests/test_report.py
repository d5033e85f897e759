"""`ehtool report`: the board measures against a hand-computed synthetic year.

The history is written through the real CLI with a test clock (the store's
``audit.now_utc``, which stamps records and the audit trail) so that every date
is under test control. Synthetic people only.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from ehtool.documents import board as B
from ehtool.domain import reporting as R

FROM, TO = "2025-11-01", "2026-10-31"
MARKING = "OFFICIAL-SENSITIVE: BOARD"
LEVEL_ANSWERS = {
    "1": [],
    "2a": ["health-missed-checks"],
    "2b": ["health-yp-substance-experimenting"],
    "3": ["health-disability-specialist"],
}


class History:
    """Drives the CLI in-process on one database, with the clock set per step."""

    def __init__(self, folder: Path, clock: dict):
        self.folder, self.clock, self.n = folder, clock, 0

    def cli(self, day: str, *args) -> str:
        from ehtool.cli import main

        self.clock["now"] = f"{day}T12:00:00.000000Z"
        out, err = io.StringIO(), io.StringIO()
        code = 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code or 0
        assert code == 0, (args, err.getvalue())
        return out.getvalue().strip()

    def file(self, data: dict) -> Path:
        self.n += 1
        path = self.folder / f"input{self.n}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    def family(self, name, locality, postcode, language, referral, *, interpreter=False) -> str:
        args = [
            "family",
            "add",
            "--name",
            name,
            "--locality",
            locality,
            "--postcode",
            postcode,
            "--language",
            language,
            "--referral-date",
            referral,
        ]
        return self.cli(referral, *args, "--interpreter" if interpreter else "--no-interpreter")

    def assess(self, ref, level, on):
        self.cli(
            on, "assess", "run", ref, "--answers", self.file({"indicators": LEVEL_ANSWERS[level], "assessed_on": on})
        )

    def plan(self, ref, on, review, outcomes):
        self.cli(
            on, "consent", "record", ref, "--type", "early-help", "--status", "given", "--date", on, "--by", "parent"
        )
        self.cli(
            on,
            "plan",
            "new",
            ref,
            "--from",
            self.file(
                {
                    "lead_professional": "Pat Keyworker",
                    "review_date": review,
                    "outcomes": [
                        {"area": a, "description": f"Synthetic outcome {i}", "baseline": b, "target": 8}
                        for i, (a, b) in enumerate(outcomes, 1)
                    ],
                }
            ),
        )

    def review(self, ref, on, nxt, **scores):
        self.cli(
            on,
            "plan",
            "review",
            ref,
            "--date",
            on,
            "--next-review",
            nxt,
            *[x for k, s in scores.items() for x in ("--score", f"{k[1:]}={s}")],
        )

    def member(self, ref, name, role, dob, ethnicity=None):
        self.cli(
            "2026-11-01",
            "member",
            "add",
            ref,
            "--name",
            name,
            "--role",
            role,
            "--dob",
            dob,
            *(["--ethnicity", ethnicity] if ethnicity else []),
        )


def build_history(h: History) -> dict:
    """The synthetic year (see the hand computation in each test)."""
    f = {}
    f[1] = h.family("Fenwick family", "north", "CR0 1AA", "English", "2025-06-10")
    h.assess(f[1], "2a", "2025-06-20")
    h.assess(f[1], "2b", "2026-01-15")  # step-up, January
    f[2] = h.family("Harrow family", "north", "CR0 2BB", "English", "2025-12-05")
    h.assess(f[2], "2a", "2025-12-12")
    h.plan(f[2], "2025-12-20", "2026-02-01", [("education", 3)])
    h.review(f[2], "2026-01-30", "2026-03-15", o1=6)  # on time
    h.review(f[2], "2026-03-20", "2026-05-01", o1=5)  # late; the 1 May review is never held
    f[3] = h.family("Nowak family", "north", "CR0 3DA", "Polish", "2026-01-10", interpreter=True)
    h.assess(f[3], "2a", "2026-01-20")
    h.plan(f[3], "2026-02-01", "2026-03-15", [("health", 4), ("education", 2)])
    h.assess(f[3], "3", "2026-03-05")  # step-up, March
    h.review(f[3], "2026-03-10", "2026-04-20", o1=4)
    h.review(f[3], "2026-04-20", "2026-06-01", o1=3, o2=5)
    h.assess(f[3], "2a", "2026-05-10")  # step-down, May
    h.review(f[3], "2026-06-01", "2026-07-15")
    h.review(f[3], "2026-07-10", "2026-08-30")
    h.review(f[3], "2026-08-25", "2026-12-01")  # next due after the period
    f[4] = h.family("Iqbal family", "north", "CR7 4DD", "English", "2026-02-02")
    h.assess(f[4], "2a", "2026-02-16")
    f[5] = h.family("Jama family", "north", "CR7 5EE", "Somali", "2026-03-01", interpreter=True)
    h.assess(f[5], "2a", "2026-03-11")
    f[6] = h.family("Kerr family", "central", "CR7 6FF", "English", "2026-04-01")
    h.assess(f[6], "2a", "2026-04-21")
    f[7] = h.family("Loganathan family", "central", "SE25 7GG", "Tamil", "2026-05-04")
    h.assess(f[7], "1", "2026-05-14")  # below the threshold
    h.cli("2026-05-20", "family", "close", f[7], "--reason", "no-further-action", "--date", "2026-05-20")
    f[8] = h.family("Marsh family", "south", "CR2 8HH", "English", "2026-06-01")
    h.assess(f[8], "1", "2026-06-08")  # below the threshold
    h.cli("2026-06-10", "family", "close", f[8], "--reason", "no-further-action", "--date", "2026-06-10")
    f[9] = h.family("Nash family", "south", "CR2 9JJ", "English", "2025-09-01")
    h.assess(f[9], "2b", "2025-09-10")
    h.plan(f[9], "2025-09-20", "2025-11-01", [("housing", 2)])
    h.review(f[9], "2025-10-30", "2025-12-10", o1=5)  # on time (due 1 Nov, in the period)
    h.review(f[9], "2025-12-15", "2026-02-01", o1=7)  # late; the 1 Feb review is never held
    h.cli("2026-02-27", "plan", "close", f[9], "--reason", "needs-met", "--date", "2026-02-27")
    h.cli("2026-02-28", "family", "close", f[9], "--reason", "needs-met", "--date", "2026-02-28")
    h.cli("2026-07-01", "family", "reopen", f[9])  # re-referred 29 June, 121 days after closure
    h.cli("2026-07-01", "family", "edit", f[9], "--referral-date", "2026-06-29")
    h.assess(f[9], "2a", "2026-07-08")  # step-down (from 2b), July
    h.plan(f[9], "2026-07-20", "2026-09-01", [("housing", 3)])
    h.review(f[9], "2026-08-28", "2026-10-10", o1=3)  # on time
    h.review(f[9], "2026-10-12", "2026-11-20", o1=6)  # late
    f[10] = h.family("Oddie family", "south", "CR2 1LL", "English", "2024-10-01")
    h.assess(f[10], "3", "2024-10-10")
    h.cli("2025-10-15", "family", "close", f[10], "--reason", "stepped-up", "--date", "2025-10-15")
    f[11] = h.family("Pryce family", "central", "CR7 8LL", "English", "2025-08-01")
    h.assess(f[11], "2b", "2025-08-05")
    h.plan(f[11], "2025-08-10", "2025-09-20", [("housing", 4)])
    h.cli("2025-12-01", "plan", "close", f[11], "--reason", "needs-met", "--date", "2025-12-01")
    h.plan(f[11], "2026-03-01", "2026-04-15", [("family-relationships", 5), ("family-relationships", 2)])
    h.review(f[11], "2026-04-10", "2026-05-30", o1=4, o2=5)  # on time; -1 and +3 together: improved
    h.cli("2026-05-15", "plan", "close", f[11], "--reason", "stepped-down", "--date", "2026-05-15")
    f[12] = h.family("Quist family", "south", "CR7 2NN", "english", "2024-05-01")
    h.assess(f[12], "2a", "2024-05-05")
    h.cli("2024-09-01", "family", "close", f[12], "--reason", "needs-met", "--date", "2024-09-01")
    h.cli("2026-02-10", "family", "reopen", f[12])  # more than a year after closure
    h.assess(f[12], "2b", "2026-02-20")  # step-up (from 2a), February
    f[13] = h.family("Rahman family", "central", "SE25 9ZZ", "Arabic", "2026-10-20")
    h.member(f[1], "Ash Fenwick", "parent", "1985-03-02", "White British")
    h.member(f[1], "Bo Fenwick", "child", "2015-07-09", "White British")
    h.member(f[2], "Cy Harrow", "parent", "1990-01-15", "Black African")
    h.member(f[2], "Di Harrow", "child", "2016-02-20", "Black African")
    h.member(f[2], "Ed Harrow", "child", "2018-11-30")
    h.member(f[3], "Flo Nowak", "parent", "1988-05-05", "White Other")
    h.member(f[3], "Gus Nowak", "child", "2014-09-09", "white other")
    h.member(f[10], "Hal Oddie", "parent", "1980-04-04", "Asian Indian")
    return f


@pytest.fixture(scope="module")
def history_db(tmp_path_factory):
    """The synthetic year, built once; each test gets a copy."""
    folder = tmp_path_factory.mktemp("history")
    clock = {"now": "2024-01-01T12:00:00.000000Z"}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EHTOOL_HOME", str(folder / "home"))
        mp.setenv("EHTOOL_DB", str(folder / "home" / "ehtool.db"))
        mp.setenv("EHTOOL_USER", "test.coordinator")
        mp.setenv("NO_COLOR", "1")
        mp.setattr("ehtool.store.audit.now_utc", lambda: clock["now"])
        h = History(folder, clock)
        h.cli("2024-01-01", "init", "--profile", "croydon", "--marking", MARKING)
        refs = build_history(h)
    return folder / "home" / "ehtool.db", refs


@pytest.fixture
def db(history_db, db_path):
    source, _ = history_db
    db_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    src, dst = sqlite3.connect(str(source)), sqlite3.connect(str(db_path))
    src.backup(dst)
    src.close()
    dst.close()
    os.chmod(db_path, 0o600)
    return db_path


def report(run, *args):
    r = run("report", "--from", FROM, "--to", TO, "--json", *args)
    assert r.code == 0, r.err
    return r.json


def rungs(**counts):
    return {"1": 0, "2a": 0, "2b": 0, "3": 0, "4": 0, "unassessed": 0, **{k.lstrip("r"): v for k, v in counts.items()}}


# -- the measures, against hand-computed answers -----------------------------------


def test_json_shape(run, db):
    d = report(run)
    assert list(d) == [
        "report",
        "format_version",
        "generated_on",
        "generated_by",
        "period",
        "locality",
        "marking",
        "profile",
        "rungs",
        "open_families",
        "rung_distribution",
        "steps",
        "referrals",
        "re_referrals",
        "plans_closed",
        "progress",
        "timeliness",
        "reach",
    ]
    assert d["report"] == "ehtool-board-report" and d["format_version"] == 1
    assert d["period"] == {"from": FROM, "to": TO} and d["locality"] is None and d["marking"] == MARKING
    assert d["profile"] == {"id": "croydon", "name": d["profile"]["name"], "lowest": "1"}
    assert [r["id"] for r in d["rungs"]] == ["1", "2a", "2b", "3", "4"]
    assert set(d["rungs"][0]) == {"id", "name", "rank"}
    assert set(d["open_families"]) == {"as_of", "total", "by_rung", "by_locality"}
    assert set(d["rung_distribution"][0]) == {"month", "date", "total", "by_rung"}
    assert set(d["steps"]) == {"step_ups", "step_downs", "from_social_care", "by_month"}
    assert set(d["referrals"]) == {
        "new",
        "assessed",
        "below_threshold",
        "met_threshold",
        "not_assessed",
        "below_threshold_percent",
    }
    assert set(d["re_referrals"]) == {"count", "families", "from_reopen", "from_new_plan", "window_days"}
    assert set(d["plans_closed"]) == {"total", "by_reason"}
    assert set(d["progress"][0]) == {"area", "name", "scored", "improved", "improved_percent"}
    assert set(d["timeliness"]) == {"referral_to_assessment_days", "referral_to_plan_days", "reviews"}
    assert set(d["timeliness"]["reviews"]) == {"due", "on_time", "late", "not_held", "on_time_percent"}
    assert set(d["reach"]) == {"families", "members", "postcode_district", "language", "interpreter", "ethnicity"}


def test_open_families_and_rung_distribution(run, db):
    d = report(run)
    o = d["open_families"]
    assert o["as_of"] == TO and o["total"] == 10
    assert o["by_rung"] == rungs(r2a=6, r2b=3, unassessed=1)
    assert o["by_locality"] == [
        {"locality": "Central", "total": 3, "by_rung": rungs(r2a=1, r2b=1, unassessed=1)},
        {"locality": "North", "total": 5, "by_rung": rungs(r2a=4, r2b=1)},
        {"locality": "South", "total": 2, "by_rung": rungs(r2a=1, r2b=1)},
    ]
    expected = [  # month, counted on, rungs
        ("2025-11", "2025-11-30", rungs(r2a=1, r2b=2)),
        ("2025-12", "2025-12-31", rungs(r2a=2, r2b=2)),
        ("2026-01", "2026-01-31", rungs(r2a=2, r2b=3)),
        ("2026-02", "2026-02-28", rungs(r2a=3, r2b=4)),  # family 9 closed that day: still open
        ("2026-03", "2026-03-31", rungs(r2a=3, r2b=3, r3=1)),
        ("2026-04", "2026-04-30", rungs(r2a=4, r2b=3, r3=1)),
        ("2026-05", "2026-05-31", rungs(r2a=5, r2b=3)),
        ("2026-06", "2026-06-30", rungs(r2a=5, r2b=4)),  # family 9 back, rung from its old assessment
        ("2026-07", "2026-07-31", rungs(r2a=6, r2b=3)),
        ("2026-08", "2026-08-31", rungs(r2a=6, r2b=3)),
        ("2026-09", "2026-09-30", rungs(r2a=6, r2b=3)),
        ("2026-10", "2026-10-31", rungs(r2a=6, r2b=3, unassessed=1)),
    ]
    assert d["rung_distribution"] == [
        {"month": m, "date": day, "total": sum(c.values()), "by_rung": c} for m, day, c in expected
    ]


def test_steps_referrals_and_re_referrals(run, db):
    d = report(run)
    months = {m["month"]: (m["step_ups"], m["step_downs"]) for m in d["steps"]["by_month"]}
    assert len(months) == 12
    assert {k: v for k, v in months.items() if v != (0, 0)} == {
        "2026-01": (1, 0),
        "2026-02": (1, 0),
        "2026-03": (1, 0),
        "2026-05": (0, 1),
        "2026-07": (0, 1),
    }
    assert (d["steps"]["step_ups"], d["steps"]["step_downs"]) == (3, 2)
    # families 2-8, 9 (re-referred), 12 (reopened after more than a year) and 13 (not assessed)
    assert d["referrals"] == {
        "new": 10,
        "assessed": 9,
        "below_threshold": 2,
        "met_threshold": 7,
        "not_assessed": 1,
        "below_threshold_percent": 22.2,
    }
    # family 9 reopened 121 days after closure; family 11 started a plan 90 days after its last closed;
    # family 9's second plan is not counted again; family 12 came back after more than 365 days
    assert d["re_referrals"] == {"count": 2, "families": 2, "from_reopen": 1, "from_new_plan": 1, "window_days": 365}


def test_plans_progress_and_timeliness(run, db):
    d = report(run)
    assert d["plans_closed"]["total"] == 3
    assert {r["reason"]: r["count"] for r in d["plans_closed"]["by_reason"] if r["count"]} == {
        "needs-met": 2,
        "stepped-down": 1,
    }
    assert [r["reason"] for r in d["plans_closed"]["by_reason"]][:2] == ["needs-met", "stepped-up"]
    progress = {p["area"]: p for p in d["progress"]}
    assert len(progress) == 10 and progress["education"]["name"] == "Getting a good education"
    assert {a: (p["improved"], p["scored"]) for a, p in progress.items() if p["scored"]} == {
        "education": (2, 2),
        "health": (0, 1),
        "housing": (1, 1),
        "family-relationships": (1, 1),
    }
    assert progress["education"]["improved_percent"] == 100.0 and progress["crime"]["improved_percent"] is None
    t = d["timeliness"]
    # days 7, 10, 14, 10, 20, 10, 7, 9 (family 9's second episode) and 10 (family 12's)
    assert t["referral_to_assessment_days"] == {"count": 9, "median": 10.0, "mean": 10.8}
    # families 2 (15 days), 3 (22) and 9's second episode (21)
    assert t["referral_to_plan_days"] == {"count": 3, "median": 21.0, "mean": 19.3}
    # on time: 2, 3 x5, 9 (first plan), 9 (second), 11 (second); late: 2, 9, 9; not held: 2, 9 (first plan)
    assert t["reviews"] == {"due": 14, "on_time": 9, "late": 3, "not_held": 2, "on_time_percent": 64.3}


def test_reach(run, db):
    r = report(run)["reach"]
    assert (r["families"], r["members"]) == (12, 7)  # family 10 closed before the period
    assert r["postcode_district"] == [
        {"value": "CR7", "count": 5},
        {"value": "CR0", "count": 3},
        {"value": "CR2", "count": 2},
        {"value": "SE25", "count": 2},
    ]
    assert r["language"] == [
        {"value": "English", "count": 8},
        {"value": "Arabic", "count": 1},
        {"value": "Polish", "count": 1},
        {"value": "Somali", "count": 1},
        {"value": "Tamil", "count": 1},
    ]
    assert r["interpreter"] == {"needed": 2, "not_needed": 10}
    assert r["ethnicity"] == [
        {"value": "Black African", "count": 2},
        {"value": "White British", "count": 2},
        {"value": "White Other", "count": 2},
        {"value": "Not recorded", "count": 1},
    ]


def test_locality_filter(run, db):
    d = report(run, "--locality", "NORTH")
    assert d["locality"] == "North"
    assert d["open_families"]["total"] == 5 and len(d["open_families"]["by_locality"]) == 1
    assert d["referrals"]["new"] == 4 and d["reach"]["families"] == 5
    assert (d["steps"]["step_ups"], d["steps"]["step_downs"]) == (2, 1)
    r = run("report", "--to", TO, "--locality", "Atlantis")
    assert r.code == 4 and "Atlantis" in r.err


def test_default_period_is_the_twelve_months_to_today(run, db, monkeypatch):
    import datetime as dt

    monkeypatch.setattr("ehtool.domain.validators.today_london", lambda: dt.date(2026, 10, 31))
    d = run("report", "--json").json
    assert d["period"] == {"from": FROM, "to": TO} and d["generated_on"] == TO
    assert d == report(run)
    assert run("report", "--to", TO, "--json").json["period"]["from"] == FROM
    leap = run("report", "--to", "2024-02-29", "--json").json["period"]
    assert leap == {"from": "2023-03-01", "to": "2024-02-29"}
    r = run("report", "--from", "2026-11-01", "--to", TO)
    assert r.code == 4 and "after it ends" in r.err


def test_terminal_output(run, db):
    r = run("report", "--from", FROM, "--to", TO)
    assert r.code == 0, r.err
    for heading in (
        "Open families on 2026-10-31",
        "Open families by rung at each month end",
        "Referrals",
        "Re-referrals within 365 days",
        "Plans closed (3)",
        "Progress by outcome area",
        "Timeliness",
        "Reach: 12 families",
    ):
        assert heading in r.out
    bars = [line for line in r.out.splitlines() if line.startswith("2026-07  ") and "▓" in line]
    assert bars and bars[0].rstrip().endswith(" 9")
    assert re.search(r"2026-01  up\s+█+ 1\n\s+down\s+0\n", r.out)
    assert re.search(r"2026-05  up\s+0\n\s+down\s+░+ 1\n", r.out)
    assert "Key: █ 1  ▓ 2a  ▒ 2b  ░ 3" in r.out


# -- the board workbook ------------------------------------------------------------


@pytest.fixture
def workbook(run, db, tmp_path):
    dest = tmp_path / "out" / "board.xlsx"
    r = run("report", "--from", FROM, "--to", TO, "--xlsx", dest)
    assert r.code == 0, r.err
    assert r.out.strip() == str(dest)
    return dest


def _cells(path):
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return wb, {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb}


def _row(rows, label):
    return next(r for r in rows if r and r[0] == label)


def test_workbook_sheets_marking_and_mode(workbook):
    assert os.stat(workbook).st_mode & 0o777 == 0o600
    wb, cells = _cells(workbook)
    assert wb.sheetnames == [
        "Summary",
        "Open families",
        "Rung distribution",
        "Steps",
        "Referrals",
        "Re-referrals",
        "Plans closed",
        "Progress",
        "Timeliness",
        "Reach",
    ]
    for ws in wb:
        assert MARKING in ws.oddHeader.center.text and MARKING in ws.oddFooter.center.text
        assert MARKING in ws["A1"].value
    summary = cells["Summary"]
    assert _row(summary, "Period from")[1].date().isoformat() == FROM
    assert _row(summary, "Period to")[1].date().isoformat() == TO
    assert _row(summary, "Locality")[1] == "All localities"
    assert _row(summary, "Protective marking")[1] == MARKING
    assert _row(summary, "Generated on")[1] is not None
    assert not [p for p in workbook.parent.iterdir() if p.name != "board.xlsx"]  # no temporary file left


def test_workbook_has_native_charts(workbook):
    with zipfile.ZipFile(workbook) as z:
        names = set(z.namelist())
        assert {"xl/charts/chart1.xml", "xl/charts/chart2.xml"} <= names
        rels = [z.read(n).decode() for n in names if n.startswith("xl/drawings/_rels/")]
        assert len(rels) == 2 and all("/charts/chart" in r for r in rels)
        sheet_rels = z.read("xl/worksheets/_rels/sheet3.xml.rels").decode()  # Rung distribution
        assert "drawing" in sheet_rels
        charts = [z.read(f"xl/charts/chart{i}.xml").decode() for i in (1, 2)]
    assert 'grouping val="stacked"' in charts[0] and "'Rung distribution'" in charts[0]
    assert 'grouping val="clustered"' in charts[1] and "Steps" in charts[1]


def test_workbook_suppresses_small_numbers(workbook):
    _, cells = _cells(workbook)
    for sheet, rows in cells.items():
        for row in rows:
            for value in row:
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    assert not (value == int(value) and 1 <= value <= 4), (sheet, row)
    opened = cells["Open families"]
    assert _row(opened, "North")[1:] == [0, "<5", "<5", 0, 0, 0, 5]
    assert _row(opened, "All localities")[1:] == [0, 6, "<5", 0, 0, "<5", 10]
    dist = cells["Rung distribution"]
    assert _row(dist, "May 2026")[1:] == [0, "[c]", "<5", 0, 0, 0, 8]  # 5 would give the 3 away
    assert _row(dist, "Jan 2026")[1:] == [0, "<5", "<5", 0, 0, 0, 5]
    reach = cells["Reach"]
    assert _row(reach, "Yes")[1] == "<5" and _row(reach, "No")[1] == "[c]"
    assert _row(reach, "CR7")[1] == 5 and _row(reach, "CR0")[1] == "<5"
    timeliness = cells["Timeliness"]
    assert _row(timeliness, "Referral to first assessment")[1:4] == [9, 10, 10.8]
    assert _row(timeliness, "Referral to plan")[1:4] == ["<5", "[c]", "[c]"]
    reviews = _row(timeliness, "Plan reviews")
    assert reviews[1:5] == [9, "<5", "<5", 14] and reviews[5] == pytest.approx(9 / 14)
    referrals = cells["Referrals"]
    assert _row(referrals, "New referrals")[1] == 10
    assert _row(referrals, "Did not meet the threshold, of those assessed")[1] == "[c]"
    assert _row(cells["Progress"], "Getting a good education")[1:] == ["<5", 0, "<5", "[c]"]


def test_workbook_export_is_audited(run, workbook):
    entries = run("audit", "--action", "report.export", "--json").json
    assert len(entries) == 1
    entry = entries[0]
    assert entry["kind"] == "access" and entry["family_id"] is None
    assert entry["values"]["file"] == "board.xlsx" and entry["values"]["from"] == FROM
    assert entry["values"]["pseudonymised"] is True


def test_json_and_xlsx_together_and_bad_names(run, db, tmp_path):
    dest = tmp_path / "b.xlsx"
    r = run("report", "--from", FROM, "--to", TO, "--json", "--xlsx", dest)
    assert r.code == 0 and r.json["open_families"]["total"] == 10 and dest.exists()
    r = run("report", "--to", TO, "--xlsx", tmp_path / "board.csv")
    assert r.code == 4 and not (tmp_path / "board.csv").exists()
    assert run("audit", "--action", "report.export", "--json").json.__len__() == 1
    r = run("report", "--to", TO, "--xlsx", tmp_path)  # a folder: a name is made up
    assert r.code == 0 and (tmp_path / f"board-report-{FROM}-to-{TO}.xlsx").exists()


def test_empty_database(run, initdb, tmp_path):
    d = run("report", "--to", TO, "--json").json
    assert d["open_families"]["total"] == 0 and d["referrals"]["below_threshold_percent"] is None
    assert d["timeliness"]["referral_to_plan_days"] == {"count": 0, "median": None, "mean": None}
    assert run("report", "--to", TO, "--xlsx", tmp_path / "e.xlsx").code == 0
    assert run("report", "--to", TO).code == 0


# -- the pure parts ----------------------------------------------------------------


def test_suppress_grid_hides_small_counts_and_what_would_give_them_away():
    assert B.suppress_grid([[0, 3, 12, 15]], total_col=True) == [[0, "<5", "[c]", 15]]
    assert B.suppress_grid([[0, 5, 6]]) == [[0, 5, 6]]
    assert B.suppress_grid([[2, 2, 4]], total_col=True) == [["<5", "<5", "<5"]]
    grid = B.suppress_grid([[1, 9, 10], [7, 8, 15], [8, 17, 25]], total_col=True, total_row=True)
    assert grid[0][0] == "<5"
    for line in grid + [list(col) for col in zip(*grid)]:
        assert sum(isinstance(c, str) for c in line) != 1  # never exactly one hidden cell in a line


def test_suppressed_shares_and_statistics():
    assert B.suppress_share(5, 10) == 0.5 and B.suppress_share(6, 10) == B.HIDDEN_TEXT
    assert B.suppress_share(8, 10) == B.HIDDEN_TEXT  # 2 not improved would show
    assert B.suppress_share("<5", 10) == B.HIDDEN_TEXT and B.suppress_share(0, 0) is None
    assert B.suppress_stat(12.5, 3) == B.HIDDEN_TEXT and B.suppress_stat(12.5, 5) == 12.5
    assert B.suppress_stat(None, 0) is None


def test_episodes_from_the_audit_trail():
    import datetime as dt

    d = dt.date.fromisoformat
    fam = {"created": d("2025-01-05"), "referral_date": d("2025-09-01"), "closed_on": None}
    history = [
        {"action": "family.add", "date": d("2025-01-05"), "values": {"referral_date": "2025-01-02"}},
        {"action": "family.close", "date": d("2025-03-01"), "values": {"closed_on": [None, "2025-02-27"]}},
        {"action": "family.reopen", "date": d("2025-06-10"), "values": None},
        {"action": "family.close", "date": d("2025-07-01"), "values": None},
        {"action": "family.reopen", "date": d("2025-09-03"), "values": None},
        {"action": "family.edit", "date": d("2025-09-03"), "values": {"referral_date": ["2025-01-02", "2025-09-01"]}},
    ]
    assert R.episodes(fam, history) == [
        {"start": d("2025-01-02"), "end": d("2025-02-27"), "referred": True, "prev_end": None},
        {"start": d("2025-06-10"), "end": d("2025-07-01"), "referred": True, "prev_end": d("2025-02-27")},
        {"start": d("2025-09-01"), "end": None, "referred": True, "prev_end": d("2025-07-01")},
    ]
    assert R.episodes(dict(fam, referral_date=None), []) == [
        {"start": d("2025-01-05"), "end": None, "referred": False, "prev_end": None}
    ]


def test_month_points_cover_partial_months():
    import datetime as dt

    points = R.month_points(dt.date(2025, 11, 27), dt.date(2026, 2, 10))
    assert points == [
        ("2025-11", dt.date(2025, 11, 30)),
        ("2025-12", dt.date(2025, 12, 31)),
        ("2026-01", dt.date(2026, 1, 31)),
        ("2026-02", dt.date(2026, 2, 10)),
    ]
