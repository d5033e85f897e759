"""The interactive questionnaire, driven through prompt_toolkit's pipe input,
and once end to end in a real pseudo-terminal."""

from __future__ import annotations

import os
import sys

import pytest

from conftest import snapshot
from ehtool.documents.profiles import load_profile
from ehtool.domain.children import Child, offered_for_child

DOWN, ENTER, SPACE, CTRL_C = "\x1b[B", "\r", " ", "\x03"
CROYDON = load_profile("croydon")
# The family fixture's one child, Rowan, is 9 on the pinned day: the questions offered to them.
CHILD = offered_for_child(CROYDON, Child("M000001", "Rowan", 9))
HOUSEHOLD = ENTER * 2  # parenting capacity, family and environment: none


def tick(index: int) -> str:
    return DOWN * index + SPACE + ENTER


def test_full_flow_saves_only_when_confirmed(run, family, keys):
    first_2a = next(n for n, i in enumerate(CHILD) if i.level == "2a")
    keys.send_text(HOUSEHOLD)
    keys.send_text(tick(first_2a))  # Rowan's developmental needs
    keys.send_text("We want things calmer" + ENTER)
    keys.send_text("I want to go to school" + ENTER)
    keys.send_text("n")  # no different judgement
    keys.send_text("y")  # save
    r = run("assess", "run", family, "--json")
    assert r.code == 0, r.err
    assert r.json["indicators"] == [CHILD[first_2a].id]
    assert r.json["family_view"] == "We want things calmer"
    [rowan] = r.json["children"]
    assert rowan["child_view"] == "I want to go to school" and r.json["child_view"] is None
    assert rowan["indicators"] == [CHILD[first_2a].id] and rowan["level"] == "2a"
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
    keys.send_text(HOUSEHOLD + tick(harm))  # tick a significant-harm indicator for Rowan
    keys.send_text(CTRL_C)  # then abandon at the next question
    r = run("assess", "run", family)
    assert "SIGNIFICANT HARM" in r.err and CROYDON.front_door["name"] in r.err
    assert "M000001 Rowan: may be suffering" in r.err  # names the child on a terminal
    assert "NOT CONFIGURED" in r.err  # the placeholder contact is not passed off as a number to call
    assert r.err.index("SIGNIFICANT HARM") < r.err.index("Nothing was saved")
    assert r.code == 130
    assert snapshot(initdb) == before


def test_significant_harm_flow_ends_with_its_exit_status(run, family, keys):
    harm = next(n for n, i in enumerate(CHILD) if i.significant_harm)
    keys.send_text(HOUSEHOLD + tick(harm) + ENTER * 2 + "n" + "y")
    r = run("assess", "run", family, "--json")
    assert r.code == 10
    assert r.json["significant_harm"] is True and r.json["level"] == CROYDON.top.id
    assert r.json["children"][0]["significant_harm"] is True
    assert "Rowan" not in r.out  # reference only in JSON


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
        child.expect("Parenting capacity")
        child.send(ENTER)
        child.expect("Family and environmental factors")
        child.send(ENTER)
        child.expect("Child's developmental needs: Rowan")
        child.send(DOWN * next(n for n, i in enumerate(CHILD) if i.level == "2a") + SPACE + ENTER)
        child.expect("family's view")
        child.send("Happy to work with you" + ENTER)
        child.expect("Rowan's own words")
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


def test_each_child_in_turn_only_questions_their_age_allows(run, family, keys):
    baby = run("member", "add", family, "--name", "Ivy Testwood", "--role", "child", "--dob", "2026-05-01").out.strip()
    baby_qs = offered_for_child(CROYDON, Child(baby, "Ivy", 0))
    assert all(i.id not in {q.id for q in baby_qs} for i in CHILD if i.age_band and i.age_band.startswith("5-"))
    first_2a = next(n for n, i in enumerate(CHILD) if i.level == "2a")
    keys.send_text(HOUSEHOLD)
    keys.send_text(tick(first_2a))  # Rowan (the older child comes first)
    keys.send_text(ENTER)  # Ivy: none
    keys.send_text(ENTER)  # family's view
    keys.send_text("Rowan's words" + ENTER + "Ivy's words" + ENTER)
    keys.send_text("n" + "y")
    r = run("assess", "run", family, "--json")
    assert r.code == 0, r.err
    levels = {c["member_id"]: (c["level"], c["child_view"]) for c in r.json["children"]}
    assert levels == {"M000001": ("2a", "Rowan's words"), baby: ("1", "Ivy's words")}
    assert r.json["level"] == "2a"
