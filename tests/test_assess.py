"""Scripted assessments, the JSON contract, judgement rules, movement, consent, and no hang without a terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from conftest import snapshot
from ehtool.documents.profiles import load_profile

CROYDON = load_profile("croydon")
HARM = next(i.id for i in CROYDON.indicators if i.significant_harm)
L2A = [i for i in CROYDON.indicators if i.level == "2a"]
TWO_DOMAINS = [
    next(i.id for i in L2A if i.domain == "child-development"),
    next(i.id for i in L2A if i.domain == "family-environment"),
    [i.id for i in L2A if i.domain == "child-development"][1],
]


def answers(tmp_path, name="a.json", **data):
    p = tmp_path / name
    if name.endswith(".toml"):
        lines = []
        for k, v in data.items():
            if isinstance(v, dict):
                v = "{ " + ", ".join(f"{a} = {json.dumps(b)}" for a, b in v.items()) + " }"
            else:
                v = json.dumps(v)
            lines.append(f"{k} = {v}")
        p.write_text("\n".join(lines))
    else:
        p.write_text(json.dumps(data))
    return p


def test_scripted_assessment_json_contract(run, family, tmp_path):
    r = run(
        "assess",
        "run",
        family,
        "--answers",
        answers(tmp_path, indicators=[TWO_DOMAINS[0]], family_view="We'd like help", child_view="I like football"),
        "--json",
    )
    assert r.code == 0, r.err
    rec = r.json
    for key in (
        "id",
        "family_id",
        "profile",
        "level",
        "computed_level",
        "significant_harm",
        "front_door",
        "indicators",
        "explanation",
    ):
        assert key in rec
    assert rec["family_id"] == family and rec["profile"] == "croydon"
    assert rec["level"] == rec["computed_level"] == "2a"
    assert rec["significant_harm"] is False and rec["front_door"] is None
    assert rec["indicators"] == [TWO_DOMAINS[0]]
    assert any(e["id"] == TWO_DOMAINS[0] for e in rec["explanation"])
    shown = run("family", "show", family, "--json").json
    assert shown["level"] == "2a" and shown["level_name"].startswith("Level 2a")
    assert [f["id"] for f in run("family", "list", "--level", "2a", "--json").json] == [family]
    assert run("family", "list", "--level", "3", "--json").json == []


def test_rule_lift_is_explained(run, family, tmp_path):
    r = run("assess", "run", family, "--answers", answers(tmp_path, indicators=TWO_DOMAINS), "--json")
    assert r.json["level"] == "2b"
    assert any(e["kind"] == "rule" and e["id"] == "multi-domain-lift" for e in r.json["explanation"])


def test_significant_harm_exit_status_banner_and_front_door(run, family, tmp_path):
    r = run("assess", "run", family, "--answers", answers(tmp_path, indicators=[HARM]), "--json")
    assert r.code == 10
    assert r.json["significant_harm"] is True and r.json["level"] == "4"
    assert r.json["front_door"]["name"] == CROYDON.front_door["name"]
    assert "SIGNIFICANT HARM" in r.err and CROYDON.front_door["name"] in r.err
    assert run("assess", "show", r.json["id"]).code == 0


def test_override_needs_reason_and_cannot_lower_significant_harm(run, family, tmp_path, initdb):
    before = snapshot(initdb)
    r = run(
        "assess",
        "run",
        family,
        "--answers",
        answers(tmp_path, indicators=[HARM], override={"level": "2b", "reason": "x"}),
    )
    assert r.code == 4 and "cannot be overridden" in r.err
    r = run(
        "assess", "run", family, "--answers", answers(tmp_path, indicators=TWO_DOMAINS[:1], override={"level": "3"})
    )
    assert r.code == 4 and "reason" in r.err
    r = run("assess", "run", family, "--answers", answers(tmp_path, indicators=["no-such-indicator"]))
    assert r.code == 4 and "no-such-indicator" in r.err
    assert snapshot(initdb) == before


def test_judgement_below_is_marked_everywhere(run, family, tmp_path):
    r = run(
        "assess",
        "run",
        family,
        "--answers",
        answers(
            tmp_path,
            "a.toml",
            indicators=TWO_DOMAINS,
            override={"level": "2a", "reason": "Family already engaging well"},
        ),
        "--json",
    )
    assert r.code == 0, r.err
    assert r.json["computed_level"] == "2b" and r.json["level"] == "2a"
    assert r.json["override"] == {"level": "2a", "reason": "Family already engaging well", "direction": "below"}
    shown = run("family", "show", family)
    assert "judgement below" in shown.out and "Family already engaging well" in shown.out
    trail = run("audit", "--action", "assessment.add", "--json").json[-1]
    assert trail["values"]["override_direction"] == "below"


def test_step_up_and_step_down_recorded(run, family, tmp_path):
    run("assess", "run", family, "--answers", answers(tmp_path, indicators=TWO_DOMAINS[:1]))
    run("assess", "run", family, "--answers", answers(tmp_path, indicators=TWO_DOMAINS))
    run("assess", "run", family, "--answers", answers(tmp_path, indicators=[]))
    rows = run("assess", "list", family, "--json").json
    assert [r["level"] for r in rows] == ["2a", "2b", "1"]
    assert [r["movement"] for r in rows] == [None, "step-up", "step-down"]
    assert rows[1]["previous_level"] == "2a"


def test_backdated_assessment_does_not_replace_current_level(run, family, tmp_path):
    run("assess", "run", family, "--answers", answers(tmp_path, indicators=TWO_DOMAINS))
    run("assess", "run", family, "--answers", answers(tmp_path, indicators=[], assessed_on="2026-01-05"))
    assert run("family", "show", family, "--json").json["level"] == "2b"


def test_bad_answers_files(run, family, tmp_path):
    (tmp_path / "x.json").write_text("{nope")
    assert run("assess", "run", family, "--answers", tmp_path / "x.json").code == 4
    (tmp_path / "y.json").write_text(json.dumps({"indicators": "edu"}))
    assert run("assess", "run", family, "--answers", tmp_path / "y.json").code == 4
    (tmp_path / "z.json").write_text(json.dumps({"indicator": []}))
    r = run("assess", "run", family, "--answers", tmp_path / "z.json")
    assert r.code == 4 and "indicator" in r.err
    assert run("assess", "run", family, "--answers", tmp_path / "missing.json").code == 3
    assert run("assess", "run", "F000999", "--answers", answers(tmp_path, indicators=[])).code == 3


def test_consent_ledger(run, family):
    assert (
        run(
            "consent",
            "record",
            family,
            "--type",
            "early-help",
            "--status",
            "given",
            "--by",
            "parent",
            "--how",
            "signed form",
            "--date",
            "2026-10-01",
        ).code
        == 0
    )
    assert run("consent", "record", family, "--type", "share:School", "--status", "refused").code == 0
    assert run("consent", "record", family, "--type", "early-help", "--status", "withdrawn").code == 0
    r = run("consent", "show", family, "--json")
    current = {c["type"]: c["status"] for c in r.json["current"]}
    assert current == {"early-help": "withdrawn", "share:School": "refused"}
    assert len(r.json["ledger"]) == 3
    assert run("consent", "record", family, "--type", "gossip", "--status", "given").code == 4
    assert run("consent", "record", family, "--type", "panel", "--status", "lawful-basis").code == 4
    assert (
        run(
            "consent",
            "record",
            family,
            "--type",
            "panel",
            "--status",
            "lawful-basis",
            "--reason",
            "Safeguarding: sibling at risk",
        ).code
        == 0
    )


def test_profile_commands(run, tmp_path):
    ids = [p["id"] for p in run("profile", "list", "--json").json]
    assert ids == ["croydon", "families-first", "london", "merton", "southwark", "sutton"]
    data = run("profile", "show", "sutton", "--json").json
    for key in ("id", "name", "version", "levels", "indicators", "rules", "front_door", "localities"):
        assert key in data
    assert [lv["rank"] for lv in data["levels"]] == [1, 2, 3, 4]
    assert {"id", "name", "rank", "pathway"} <= set(data["levels"][0])
    assert {"id", "domain", "level", "text", "significant_harm"} <= set(data["indicators"][0])
    assert {"name", "contact"} <= set(data["front_door"])
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nversion = "1"\n[[levels]]\nid = "1"\nname = "a"\n')
    r = run("profile", "validate", bad)
    assert r.code == 4 and "levels" in r.err
    assert run("profile", "show", "nowhere").code == 3


@pytest.mark.parametrize("stdin_kind", ["devnull", "silent-pipe"])
def test_questionnaire_never_waits_without_a_terminal(initdb, family, stdin_kind):
    env = dict(os.environ)
    start = time.monotonic()
    if stdin_kind == "devnull":
        cp = subprocess.run(
            [sys.executable, "-m", "ehtool", "assess", "run", family],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
            env=env,
        )
        code, err = cp.returncode, cp.stderr
    else:
        r, w = os.pipe()  # an open pipe that never writes
        try:
            p = subprocess.Popen(
                [sys.executable, "-m", "ehtool", "assess", "run", family],
                stdin=r,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            _, err = p.communicate(timeout=30)
            code = p.returncode
        finally:
            os.close(r)
            os.close(w)
    assert time.monotonic() - start < 30
    assert code == 2
    assert "--answers" in err


def test_no_input_flag_and_env(run, family, monkeypatch):
    assert run("--no-input", "assess", "run", family).code == 2
    monkeypatch.setenv("EHTOOL_NO_INPUT", "1")
    assert run("assess", "run", family).code == 2
