"""`plan new` interactively, through prompt_toolkit's pipe input: nothing saved until confirmed."""

from __future__ import annotations

import json

import pytest

from conftest import snapshot
from ehtool.documents.profiles import load_profile

ENTER, DOWN, CTRL_C = "\r", "\x1b[B", "\x03"
L2A = next(i.id for i in load_profile("croydon").indicators if i.level == "2a")


@pytest.fixture
def ready(run, family, tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"indicators": [L2A]}))
    run("assess", "run", family, "--answers", tmp_path / "a.json")
    run("consent", "record", family, "--type", "early-help", "--status", "given")
    return family


def answers(confirm_save: str) -> str:
    return "".join(
        [
            "Pat Lead" + ENTER,  # lead professional
            "Sam, whom they know from school" + ENTER,  # the family's choice of key worker
            "Mum is keen" + ENTER,  # working well
            "Mornings" + ENTER,  # worries
            "Routine" + ENTER,  # needs to happen
            "We want calm" + ENTER,  # family's words
            "I like school" + ENTER,  # child's words
            "y",
            "Sam School" + ENTER,
            "School" + ENTER,
            "DSL" + ENTER,
            ENTER,  # one team member
            "n",  # no more team
            ENTER,  # the assessment's proposed outcome: keep it
            ENTER,  # its score now: skip
            ENTER,  # its target: skip
            "y",
            ENTER,  # add an outcome; first area (education)
            "Attend every day" + ENTER,
            "3" + ENTER,
            "8" + ENTER,
            "y",
            "Routine chart" + ENTER,
            "Mum" + ENTER,
            "2026-12-10" + ENTER,
            "n",  # no more actions
            "n",  # no more outcomes
            "Back to panel" + ENTER,  # contingency
            ENTER,  # review date: default
            "School, Health visiting" + ENTER,  # shared with
            confirm_save,
        ]
    )


def test_interactive_plan_saved_when_confirmed(run, ready, keys):
    keys.send_text(answers("y"))
    r = run("plan", "new", ready, "--json")
    assert r.code == 0, r.err
    plan = r.json
    assert plan["lead_professional"] == "Pat Lead" and plan["child_voice"] == "I like school"
    assert plan["team"] == [{"name": "Sam School", "agency": "School", "role": "DSL", "contact": None}]
    proposed, added = plan["outcomes"]
    assert proposed["area"] == "health" and proposed["description"].startswith("Rowan (M000001): ")
    assert added["area"] == "education" and added["baseline"] == 3
    assert added["actions"][0]["what"] == "Routine chart"
    assert plan["share_with"] == ["School", "Health visiting"]


def test_interactive_plan_not_confirmed_saves_nothing(run, ready, keys, initdb):
    before = snapshot(initdb)
    keys.send_text(answers("n"))
    r = run("plan", "new", ready)
    assert r.code == 130 and "Not saved" in r.err
    assert snapshot(initdb) == before


def test_ctrl_c_part_way_saves_nothing(run, ready, keys, initdb):
    before = snapshot(initdb)
    keys.send_text("Pat Lead" + ENTER + CTRL_C)
    r = run("plan", "new", ready)
    assert r.code == 130 and "Nothing was saved" in r.err
    assert snapshot(initdb) == before


def test_no_terminal_names_the_flag(run, ready):
    r = run("--no-input", "plan", "new", ready)
    assert r.code == 2 and "--from" in r.err


def test_review_interactive_and_scripted_without_flags(run, ready, keys, tmp_path):
    plan = {
        "lead_professional": "Pat Lead",
        "outcomes": [
            {
                "area": "education",
                "description": "Attend every day",
                "baseline": 3,
                "target": 8,
                "actions": [{"what": "Routine chart"}, {"what": "Meet teacher"}],
            }
        ],
    }
    (tmp_path / "p.json").write_text(json.dumps(plan))
    assert run("plan", "new", ready, "--from", tmp_path / "p.json").code == 0
    keys.send_text(
        "Parent, Pat Lead" + ENTER + "6" + ENTER + DOWN + " " + ENTER + "Better mornings" + ENTER + ENTER + "y"
    )
    r = run("plan", "review", ready, "--json")
    assert r.code == 0, r.err
    review = r.json["reviews"][-1]
    assert review["attended"] == ["Parent", "Pat Lead"] and review["scores"] == {"1": 6}
    assert review["notes"] == "Better mornings"
    assert [a["status"] for a in r.json["outcomes"][0]["actions"]] == ["not-started", "done"]


def test_review_without_flags_or_terminal_names_the_flags(run, ready, tmp_path):
    (tmp_path / "p.json").write_text(json.dumps({"lead_professional": "Pat Lead"}))
    run("plan", "new", ready, "--from", tmp_path / "p.json")
    r = run("--no-input", "plan", "review", ready)
    assert r.code == 2 and "--score" in r.err


def test_a_proposed_outcome_can_be_edited_or_dropped(run, ready, keys):
    start = "Pat Lead" + ENTER + ENTER + ENTER * 3 + ENTER * 2 + "n"  # lead, key worker, texts, voices, no team
    keys.send_text(start + DOWN + ENTER + " now" + ENTER + ENTER + ENTER + "n" + ENTER * 3 + "y")
    r = run("plan", "new", ready, "--json")
    assert r.code == 0, r.err
    (outcome,) = r.json["outcomes"]
    assert outcome["description"].endswith(" now")  # edited: the proposal's words, with " now" typed after


def test_a_dropped_proposal_leaves_no_outcome(run, ready, keys):
    start = "Pat Lead" + ENTER + ENTER + ENTER * 3 + ENTER * 2 + "n"
    keys.send_text(start + DOWN + DOWN + ENTER + "n" + ENTER * 3 + "y")
    r = run("plan", "new", ready, "--json")
    assert r.code == 0, r.err
    assert r.json["outcomes"] == []
