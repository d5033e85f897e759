"""Families First: the family's network, family group decision-making, the families-first
profile and moving a partnership onto it."""

from __future__ import annotations

import zipfile

from conftest import snapshot


def test_network_add_list_remove(run, family, initdb):
    r = run(
        "network", "add", family, "--name", "Testname Aunt", "--relationship", "aunt",
        "--offer", "School runs", "--contact", "07700 900123", "--agreed", "--json",
    )  # fmt: skip
    assert r.code == 0, r.err
    person = r.json
    assert person["id"] == "N000001" and person["agreed"] is True and person["family_id"] == family
    listed = run("network", "list", family, "--json").json
    assert listed == {"family_id": family, "network": [person]}
    shown = run("family", "show", family, "--json").json
    assert shown["network"] == [person]
    assert "Testname Aunt" not in [m["name"] for m in shown["members"]]  # not a member of the household
    assert run("network", "remove", "N000001").code == 0
    assert run("network", "list", family, "--json").json["network"] == []
    actions = [e["action"] for e in run("audit", "--family", family, "--json").json]
    assert "network.add" in actions and "network.remove" in actions


def test_network_bad_input_changes_nothing(run, family, initdb):
    before = snapshot(initdb)
    assert run("network", "add", family, "--name", " ", "--relationship", "aunt").code == 4
    assert run("network", "add", "F999999", "--name", "Testname", "--relationship", "aunt").code == 3
    assert run("network", "add", family, "--name", "Testname", "--relationship", "x" * 300).code == 4
    assert run("network", "remove", "N000009").code == 3
    assert snapshot(initdb) == before


def test_hostile_text_is_kept_literally(run, family, initdb):
    name = '=HYPERLINK("x") [bold]<b>&\'; DROP TABLE families;--'
    r = run("network", "add", family, "--name", name, "--relationship", "friend 🙂", "--json")
    assert r.code == 0 and r.json["name"] == name and r.json["relationship"] == "friend 🙂"


def test_the_network_is_never_on_a_pseudonymised_agenda(run, family, initdb, tmp_path):
    run("network", "add", family, "--name", "Testname Neighbourly", "--relationship", "neighbour")
    run("consent", "record", family, "--type", "panel", "--status", "given")
    assert run("panel", "schedule", "--locality", "north", "--date", "2026-12-03").code == 0
    assert run("panel", "add", family, "--reason", "review").code == 0
    out = tmp_path / "agenda.xlsx"
    assert run("panel", "export", "P000001", "--out", out).code == 0
    with zipfile.ZipFile(out) as z:
        text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "Neighbourly" not in text


def test_family_group_decision_making_offered_answered_held(run, family, initdb):
    assert run("fgdm", "held", family).code == 4  # nothing offered yet
    offered = run("fgdm", "offer", family, "--on", "2026-11-20", "--by", "Pat Keyworker", "--json").json
    assert offered["id"] == "G000001" and offered["offered_on"] == "2026-11-20" and offered["response"] is None
    assert run("fgdm", "offer", family).code == 5  # one offer at a time
    assert run("fgdm", "held", family).code == 4  # not accepted yet
    assert run("fgdm", "answer", family).code == 2  # say which
    assert run("fgdm", "answer", family, "--accepted", "--on", "2026-11-10").code == 4  # before the offer
    assert run("fgdm", "answer", family, "--accepted", "--on", "2026-11-22").code == 0
    held = run(
        "fgdm", "held", family, "--on", "2026-11-29", "--attended", "Mum, aunt",
        "--family-plan", "Aunt does the school runs", "--json",
    ).json  # fmt: skip
    assert held["held_on"] == "2026-11-29" and held["family_plan"] == "Aunt does the school runs"
    assert run("fgdm", "list", family, "--json").json["meetings"] == [held]
    assert run("fgdm", "offer", family, "--on", "2027-01-01").code == 4  # in the future


def test_a_declined_offer_can_be_offered_again(run, family, initdb):
    run("fgdm", "offer", family, "--on", "2026-11-20")
    assert run("fgdm", "answer", family, "--declined").code == 0
    assert run("fgdm", "offer", family).code == 0
    assert len(run("fgdm", "list", family, "--json").json["meetings"]) == 2


def test_the_panel_can_offer_family_group_decision_making(run, family, initdb):
    run("consent", "record", family, "--type", "panel", "--status", "given")
    assert run("panel", "schedule", "--locality", "north", "--date", "2026-12-02", "--chair", "Chair").code == 0
    assert run("panel", "add", family, "--reason", "review").code == 0
    r = run("panel", "decide", family, "--decision", "Family group conference", "--json")
    assert r.code == 0 and r.json["effects"][0]["target"] == "G000001"
    (meeting,) = run("fgdm", "list", family, "--json").json["meetings"]
    assert meeting["source"] == "P000001#1" and meeting["offered_by"] == "Chair"


def test_switching_profile_is_audited_and_old_assessments_keep_theirs(run, family, initdb, tmp_path):
    assert run("assess", "run", family, "--answers", _answers(tmp_path, ["income-debt"])).code == 0
    (old,) = run("assess", "list", family, "--json").json
    r = run("profile", "switch", "families-first", "--json")
    assert r.code == 0, r.err
    assert r.json["profile"] == "families-first" and r.json["previous_profile"] == "croydon"
    # Croydon's 2a is one of Family Help's former ids: the family keeps its place until reassessed
    assert r.json["families_to_reassess"] == 0 and r.json["warning"] is None
    assert run("family", "show", family, "--json").json["level_name"] == "Family Help (targeted)"
    (kept,) = run("assess", "list", family, "--json").json
    assert kept["profile"] == "croydon" and kept["level_name"] == old["level_name"]
    assert [e["action"] for e in run("audit", "--action", "profile.switch", "--json").json] == ["profile.switch"]
    before = snapshot(initdb)
    assert run("profile", "switch", "families-first").code == 4
    assert run("profile", "switch", "atlantis").code == 3
    assert snapshot(initdb) == before
    # a partnership's own profile without those ids: the families to reassess are counted
    from test_profiles import GOOD

    ours = tmp_path / "ours.toml"
    ours.write_text(GOOD)
    r = run("profile", "switch", ours, "--json")
    assert r.code == 0 and r.json["families_to_reassess"] == 1 and "assess them again" in r.json["warning"]


def _answers(tmp_path, indicators):
    import json

    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"indicators": indicators}))
    return path


def test_families_first_names_the_plan_and_carries_the_network(run, tmp_path):
    """Under the families-first profile the plan is the Family Help plan, led by the Family Help
    Lead Practitioner, with the family's network in it; `due` asks for family group decision-making."""
    import json

    from test_plan import PLAN

    db = tmp_path / "ff.db"
    assert run("init", "--profile", "families-first", "--db", db).code == 0
    ref = run("family", "add", "--name", "Firstly Testfamily", "--locality", "north", "--db", db).out.strip()
    assert (
        run("member", "add", ref, "--name", "Ada Firstly", "--role", "child", "--dob", "2016-05-01", "--db", db).code
        == 0
    )
    r = run("assess", "run", ref, "--answers", _answers(tmp_path, ["income-debt"]), "--json", "--db", db)
    assert r.code == 0 and r.json["level"] == "family-help", r.err
    due = run("due", "--db", db, "--on", "2026-12-30", "--json").json
    assert "family-group-due" in [i["category"] for i in due if i["family_id"] == ref]
    run("consent", "record", ref, "--type", "early-help", "--status", "given", "--db", db)
    (tmp_path / "plan.json").write_text(json.dumps(PLAN))
    assert run("plan", "new", ref, "--from", tmp_path / "plan.json", "--db", db).code == 0
    run("network", "add", ref, "--name", "Testname Aunt", "--relationship", "aunt", "--agreed", "--db", db)
    out = tmp_path / "plan.md"
    assert run("plan", "render", ref, "--format", "md", "--out", out, "--db", db).code == 0
    text = out.read_text()
    assert "# Family Help plan" in text and "**Family Help Lead Practitioner:**" in text
    assert "## The family's network" in text and "Testname Aunt, aunt; agreed to be part of the plan" in text
    run("fgdm", "offer", ref, "--db", db)
    due = run("due", "--db", db, "--on", "2026-12-30", "--json").json
    assert "family-group-due" not in [i["category"] for i in due if i["family_id"] == ref]
