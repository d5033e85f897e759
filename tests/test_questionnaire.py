"""The interactive questionnaire, driven through prompt_toolkit's pipe input,
and once end to end in a real pseudo-terminal."""

from __future__ import annotations

import os
import sys

import pytest

from conftest import snapshot
from ehtool.documents.profiles import load_profile

DOWN, ENTER, SPACE, CTRL_C = "\x1b[B", "\r", " ", "\x03"
CROYDON = load_profile("croydon")
CHILD = [i for i in CROYDON.indicators if i.domain == "child-development"]


def tick(index: int) -> str:
    return DOWN * index + SPACE + ENTER


def test_full_flow_saves_only_when_confirmed(run, family, keys):
    first_2a = next(n for n, i in enumerate(CHILD) if i.level == "2a")
    keys.send_text(tick(first_2a))  # child's developmental needs
    keys.send_text(ENTER)  # parenting capacity: none
    keys.send_text(ENTER)  # family and environment: none
    keys.send_text("We want things calmer" + ENTER)
    keys.send_text("I want to go to school" + ENTER)
    keys.send_text("n")  # no different judgement
    keys.send_text("y")  # save
    r = run("assess", "run", family, "--json")
    assert r.code == 0, r.err
    assert r.json["indicators"] == [CHILD[first_2a].id]
    assert r.json["family_view"] == "We want things calmer"
    assert r.json["child_view"] == "I want to go to school"
    assert "Result: Level 2a" in r.err


def test_judgement_recorded_with_reason(run, family, keys):
    keys.send_text(ENTER * 3)  # no indicators: level 1
    keys.send_text(ENTER * 2)  # no views
    keys.send_text("y")  # record a different judgement
    keys.send_text(DOWN + ENTER)  # level 2a (one below the default, the lowest)
    keys.send_text("Known to school nurse" + ENTER)
    keys.send_text("y")
    r = run("assess", "run", family, "--json")
    assert r.code == 0, r.err
    assert r.json["computed_level"] == "1" and r.json["level"] == "2a"
    assert r.json["override"]["reason"] == "Known to school nurse"


def test_declining_to_save_saves_nothing(run, family, keys, initdb):
    before = snapshot(initdb)
    keys.send_text(ENTER * 5 + "n" + "n")
    r = run("assess", "run", family)
    assert r.code == 130 and "Not saved" in r.err
    assert snapshot(initdb) == before


def test_banner_shows_the_moment_harm_is_ticked_and_ctrl_c_saves_nothing(run, family, keys, initdb):
    before = snapshot(initdb)
    harm = next(n for n, i in enumerate(CHILD) if i.significant_harm)
    keys.send_text(tick(harm))  # tick a significant-harm indicator in the first domain
    keys.send_text(CTRL_C)  # then abandon at the next question
    r = run("assess", "run", family)
    assert "SIGNIFICANT HARM" in r.err and CROYDON.front_door["name"] in r.err
    assert r.err.index("SIGNIFICANT HARM") < r.err.index("Nothing was saved")
    assert r.code == 130
    assert snapshot(initdb) == before


def test_significant_harm_flow_ends_with_its_exit_status(run, family, keys):
    harm = next(n for n, i in enumerate(CHILD) if i.significant_harm)
    keys.send_text(tick(harm) + ENTER * 2 + ENTER * 2 + "n" + "y")
    r = run("assess", "run", family, "--json")
    assert r.code == 10
    assert r.json["significant_harm"] is True and r.json["level"] == CROYDON.top.id


@pytest.mark.slow
def test_in_a_real_terminal(family, db_path):
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, TERM="xterm", COLUMNS="120", LINES="40")
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ehtool", "assess", "run", family],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    try:
        child.expect("Child's developmental needs")
        child.send(DOWN * next(n for n, i in enumerate(CHILD) if i.level == "2a") + SPACE + ENTER)
        child.expect("Parenting capacity")
        child.send(ENTER)
        child.expect("Family and environmental factors")
        child.send(ENTER)
        child.expect("family's view")
        child.send("Happy to work with you" + ENTER)
        child.expect("child's own words")
        child.send(ENTER)
        child.expect("different level")
        child.send("n")
        child.expect("Save this assessment")
        child.send("y")
        child.expect("Saved A0000")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    import sqlite3

    conn = sqlite3.connect(str(db_path))
    assert conn.execute("SELECT level, family_view FROM assessments").fetchall() == [("2a", "Happy to work with you")]
    conn.close()
