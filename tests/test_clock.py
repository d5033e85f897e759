"""One clock: EHTOOL_TODAY is the day ehtool takes as today, everywhere, so a report or a
due list can be reproduced and the suite gives the same answers in any year."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import TODAY


def test_the_suite_runs_on_its_own_pinned_day(run, family):
    from ehtool import clock

    assert clock.today() == dt.date.fromisoformat(TODAY)
    entry = run("audit", "--json").json[-1]
    assert entry["at"].startswith(TODAY)  # timestamps fall on the pinned day too


def test_today_decides_the_next_sitting(run, family, monkeypatch):
    run("consent", "record", family, "--type", "panel", "--status", "given")
    assert run("panel", "schedule", "--locality", "north", "--date", "2026-12-03").code == 0
    monkeypatch.setenv("EHTOOL_TODAY", "2031-06-01")
    r = run("panel", "add", family, "--reason", "review")
    assert r.code == 4 and "No Locality allocation panel for North is scheduled from today on" in r.err
    monkeypatch.setenv("EHTOOL_TODAY", "2026-12-03")
    r = run("panel", "add", family, "--reason", "review", "--json")
    assert r.code == 0 and r.json["date"] == "2026-12-03"


def test_today_decides_what_is_due_and_what_is_in_the_future(run, family, monkeypatch):
    monkeypatch.setenv("EHTOOL_TODAY", "2026-09-15")
    r = run("family", "add", "--name", "Later family", "--referral-date", "2026-10-01")
    assert r.code == 4 and "future" in r.err
    monkeypatch.setenv("EHTOOL_TODAY", "2027-03-01")
    due = run("due", "--json").json
    assert any(i["family_id"] == family and i["category"] == "no-assessment" and i["overdue"] for i in due)
    monkeypatch.setenv("EHTOOL_TODAY", "2026-09-02")
    assert not any(i["family_id"] == family and i["overdue"] for i in run("due", "--json").json)


@pytest.mark.parametrize("value", ["tomorrow", "2026-02-30", "02/12/2026", "2026-12-02T10:00"])
def test_a_bad_ehtool_today_is_a_usage_error_naming_the_variable(run, initdb, monkeypatch, value):
    monkeypatch.setenv("EHTOOL_TODAY", value)
    r = run("family", "list")
    assert r.code == 2 and "EHTOOL_TODAY" in r.err and "YYYY-MM-DD" in r.err
