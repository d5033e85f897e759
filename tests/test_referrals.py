"""The front door is a record: referrals and their outcomes, levels that route to one,
`due` expecting the referral rather than a plan, a step-down back to early help, and the
front door's contact set for a database. Also: each profile routes and cites its seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import snapshot
from ehtool.documents.profiles import list_profiles, load_profile
from ehtool.domain.profile_schema import ROUTES

BUNDLED = [p["id"] for p in list_profiles()]


def answers(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def at_level_3(run, family, tmp_path):
    """The family fixture assessed at Croydon's Level 3, which routes to a referral."""
    r = run("assess", "run", family, "--answers", answers(tmp_path, {"indicators": ["health-disability-specialist"]}))
    assert r.code == 0, r.err
    assert "routes to a referral" in r.err
    return family


def due_of(run, family: str) -> list[dict]:
    r = run("due", "--json")
    assert r.code == 0, r.err
    return [i for i in r.json if i["family_id"] == family]


def test_a_referral_level_expects_a_referral_not_a_plan(run, at_level_3):
    items = due_of(run, at_level_3)
    assert [i["category"] for i in items if i["category"] in ("referral-due", "no-plan")] == ["referral-due"]
    recorded = run("referral", "record", at_level_3, "--to", "front-door", "--reference", "MARF-1", "--json")
    assert recorded.code == 0, recorded.err
    assert recorded.json["member_ids"] == ["M000001"]  # the child at the referral level, by default
    assert recorded.json["level"] == "3" and recorded.json["outcome"] is None
    assert not [i for i in due_of(run, at_level_3) if i["category"] in ("referral-due", "no-plan")]


def test_stepped_down_brings_the_family_back_to_early_help(run, at_level_3):
    rid = run("referral", "record", at_level_3, "--to", "social-care", "--json").json["id"]
    r = run("referral", "outcome", rid, "--outcome", "stepped-down", "--json")
    assert r.code == 0, r.err
    assert r.json["stepped_down_to"] == "2b" and r.json["movement"] == "stepped down from social care"
    assert run("family", "show", at_level_3, "--json").json["level"] == "2b"
    # a plan is now expected, its clock started on the day of the step-down
    assert run("due", "--json", "--on", "2027-01-10").code == 0
    later = [i for i in run("due", "--json", "--on", "2027-01-10").json if i["family_id"] == at_level_3]
    assert any(i["category"] == "no-plan" and "stepped down from social care" in i["what"] for i in later)
    report = run("report", "--from", "2026-12-01", "--to", "2026-12-02", "--json").json
    assert report["steps"]["from_social_care"] == 1 and report["steps"]["step_downs"] >= 1
    twice = run("referral", "outcome", rid, "--outcome", "nfa")
    assert twice.code == 5 and "already has an outcome" in twice.err


def test_referral_list_and_its_errors_change_nothing(run, at_level_3, initdb):
    run("referral", "record", at_level_3, "--to", "front-door", "--member", "M000001", "--reason", "=HYPERLINK()")
    listed = run("referral", "list", at_level_3, "--json")
    assert listed.code == 0 and listed.json["referrals"][0]["reason"] == "=HYPERLINK()"
    plain = run("referral", "list", at_level_3)
    assert "R000001" in plain.out and "awaiting" in plain.out
    before = snapshot(initdb)
    for args, code, words in [
        (("record", at_level_3, "--to", "the-moon"), 4, "not a referral destination"),
        (("record", at_level_3, "--to", "front-door", "--member", "M000002"), 4, "is not a child"),
        (("record", at_level_3, "--to", "front-door", "--member", "M000099"), 4, "is not a member"),
        (("record", at_level_3, "--to", "front-door", "--date", "2099-01-01"), 4, "in the future"),
        (("record", "F000099", "--to", "front-door"), 3, "No family"),
        (("outcome", "R000001", "--outcome", "maybe"), 4, "not a referral outcome"),
        (("outcome", "R000001", "--outcome", "nfa", "--level", "2a"), 4, "only for a stepped-down"),
        (("outcome", "R000001", "--outcome", "stepped-down", "--level", "3"), 4, "does not route to early help"),
        (("outcome", "R000009", "--outcome", "nfa"), 3, "No referral"),
    ]:
        r = run("referral", *args)
        assert r.code == code and words in r.err and "Traceback" not in r.err, (args, r.err)
    assert snapshot(initdb) == before


def test_significant_harm_is_handled_only_once_a_referral_is_recorded(run, family, tmp_path):
    harm = {"indicators": ["health-injury-non-accidental"]}
    assert run("assess", "run", family, "--answers", answers(tmp_path, harm)).code == 10
    assert [i["category"] for i in due_of(run, family)][:1] == ["significant-harm"]
    assert run("referral", "record", family, "--to", "front-door").code == 0
    assert "significant-harm" not in [i["category"] for i in due_of(run, family)]


def test_front_door_contact_set_at_init_and_changed_later(run, tmp_path):
    db = tmp_path / "door.db"
    r = run("init", "--profile", "sutton", "--db", db, "--front-door-contact", "0000 000 0000 (test line)")
    assert r.code == 0 and "not configured" not in r.err
    shown = run("settings", "show", "--db", db, "--json").json
    assert shown["front_door"]["contact"] == "0000 000 0000 (test line)" and shown["front_door_configured"] is True
    bare = tmp_path / "bare.db"
    warned = run("init", "--profile", "sutton", "--db", bare)
    assert warned.code == 0 and "front door's contact is not configured" in warned.err
    assert "placeholder" in run("profile", "show", "sutton").err
    changed = run("settings", "front-door", "--db", bare, "--contact", "Test hub [b]line[/b]", "--json")
    assert changed.code == 0 and changed.json["front_door"]["contact"] == "Test hub [b]line[/b]"
    audit = run("audit", "--db", bare, "--json").json
    assert audit[-1]["action"] == "settings.change" and "front_door" in json.dumps(audit[-1]["values"])
    assert run("settings", "front-door", "--db", bare).code == 4  # nothing to change
    shown = run("settings", "organisation", "--db", bare, "Test Early Help")
    assert shown.code == 0 and "Test Early Help" in shown.out
    assert run("settings", "show", "--db", bare, "--json").json["organisation"] == "Test Early Help"


@pytest.mark.parametrize("pid", BUNDLED)
def test_each_level_routes_and_each_indicator_and_rule_cites_its_source(pid):
    prof = load_profile(pid)
    routes = [lv.route for lv in prof.levels]
    assert routes[0] == "universal" and routes[-1] == "referral"
    assert all(ROUTES.index(a) <= ROUTES.index(b) for a, b in zip(routes, routes[1:]))
    assert all(i.source for i in prof.indicators) and all(r.source for r in prof.rules)
    assert any(i.source != "ehtool default" for i in prof.indicators)
    by_id = {i.id: i for i in prof.indicators}
    assert prof.route_of(by_id["housing-temporary-accommodation"].level) == "early-help"
    homeless = by_id["housing-homeless-tonight"]
    assert not homeless.significant_harm and homeless.level != prof.top.id
    # section 17 support is part of Family Help under Families First; elsewhere it is a referral
    expected = "early-help" if pid == "families-first" else "referral"
    assert prof.route_of(homeless.level) == expected
    for need in ("radicalisation", "returned-home-from-care", "privately-fostered", "bereavement", "in-prison"):
        assert any(need in i.id for i in prof.indicators), (pid, need)
    assert any((i.age_band or "").startswith("unborn") for i in prof.indicators)


def test_london_uses_the_pan_london_levels_and_old_level_2_still_resolves():
    london = load_profile("london")
    assert london.level_ids() == ["1", "2a", "2b", "3", "4"]
    assert london.level("2").id == "2a"  # an assessment saved at the old "2" still has a level


def test_southwark_classes_these_children_in_need():
    southwark = load_profile("southwark")
    for ident in ("rel-privately-fostered", "social-refugee-asylum", "fam-parent-in-prison"):
        assert southwark.indicator(ident).level == "3", ident


def test_a_referral_made_while_the_assessment_was_under_way_counts(run, family, tmp_path):
    harm = {"indicators": ["health-injury-non-accidental"], "started_on": "2026-11-01"}
    opened = run("assess", "run", family, "--start", "--answers", answers(tmp_path, harm), "--json")
    assert opened.code == 10 and opened.json["status"] == "open"
    items = due_of(run, family)
    assert items[0]["category"] == "significant-harm" and "Open assessment" in items[0]["what"]
    assert run("referral", "record", family, "--to", "front-door", "--date", "2026-11-01").code == 0
    assert "significant-harm" not in [i["category"] for i in due_of(run, family)]
    assert run("assess", "complete", opened.json["id"], "--date", "2026-11-10").code == 10
    assert "significant-harm" not in [i["category"] for i in due_of(run, family)]


def test_only_a_referral_to_the_front_door_or_social_care_steps_down_and_never_up(run, family, tmp_path):
    other = run("referral", "record", family, "--to", "other-service", "--json").json["id"]
    r = run("referral", "outcome", other, "--outcome", "stepped-down")
    assert r.code == 4 and "only a referral to the front door" in r.err
    assert run("assess", "run", family, "--answers", answers(tmp_path, {"indicators": ["income-debt"]})).code == 0
    referred = run("referral", "record", family, "--to", "front-door", "--json").json["id"]
    stepped = run("referral", "outcome", referred, "--outcome", "stepped-down", "--json").json
    assert stepped["stepped_down_to"] == "2a"  # at 2a already: a step-down never raises the family
    assert run("family", "show", family, "--json").json["level"] == "2a"
