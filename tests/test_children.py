"""Each child, not only the family: per-child placement for every bundled profile (the
engine's promises as properties), age bands, the answers file in both forms, an
assessment started and completed later, and old household assessments migrated."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import snapshot
from ehtool.documents.profiles import list_profiles, load_profile
from ehtool.domain.children import AGE_BAND, Answers, Child, check, fits, offered_for_child, place
from ehtool.errors import InvalidInput

BUNDLED = [p["id"] for p in list_profiles()]
PROFILES = {pid: load_profile(pid) for pid in BUNDLED}


def age_inside(band: str | None) -> Child:
    """A child whose age fits the band (an unborn child for an "unborn-" band)."""
    m = AGE_BAND.match(band or "0-18")
    assert m
    if m.group(1) == "unborn":
        return Child("M000001", "Test", None, unborn=True)
    return Child("M000001", "Test", int(m.group(1)))


SIBLING = Child("M000002", "Sib", 10)


@pytest.mark.parametrize("pid", BUNDLED)
def test_no_answers_gives_every_child_the_lowest_level(pid):
    prof = PROFILES[pid]
    kids = [Child("M000001", "A", 0), Child("M000002", "B", 15), Child("M000003", "C", None, unborn=True)]
    placed = place(prof, Answers(), kids)
    assert {r.level for r in placed.children.values()} == {prof.lowest.id}
    assert placed.family.level == prof.lowest.id and not placed.family.significant_harm


@pytest.mark.parametrize("pid", BUNDLED)
def test_significant_harm_for_one_child_tops_that_child_and_the_family_only(pid):
    prof = PROFILES[pid]
    harms = [i for i in prof.indicators if i.significant_harm and i.child_level]
    assert harms, pid
    for ind in harms:
        child = age_inside(ind.age_band)
        placed = place(prof, Answers(children={child.member_id: [ind.id]}), [child, SIBLING])
        mine, sibling = placed.children[child.member_id], placed.children[SIBLING.member_id]
        assert mine.level == prof.top.id and mine.significant_harm and mine.front_door, ind.id
        assert placed.family.level == prof.top.id and placed.family.significant_harm
        assert placed.family.front_door == prof.front_door
        assert sibling.level == prof.lowest.id and not sibling.significant_harm  # child-level: theirs alone
        assert any(e["kind"] == "significant-harm" and child.member_id in e["text"] for e in mine.explanation)


@pytest.mark.parametrize("pid", BUNDLED)
def test_a_household_answer_affects_only_the_children_it_names(pid):
    prof = PROFILES[pid]
    ind = next(i for i in prof.indicators if not i.child_level and not i.age_band and i.level != prof.lowest.id)
    one, two = Child("M000001", "A", 7), SIBLING
    placed = place(prof, Answers(household=[ind.id], affects={ind.id: [one.member_id]}), [one, two])
    assert placed.children[one.member_id].level == ind.level
    assert placed.children[two.member_id].level == prof.lowest.id
    everyone = place(prof, Answers(household=[ind.id]), [one, two])
    assert {r.level for r in everyone.children.values()} == {ind.level}


@pytest.mark.parametrize("pid", BUNDLED)
def test_no_child_level_indicator_can_be_answered_outside_its_age_band(pid):
    prof = PROFILES[pid]
    banded = [i for i in prof.indicators if i.child_level and i.age_band]
    assert banded and all(i.age_band for i in prof.indicators if i.child_level), pid
    for ind in banded:
        m = AGE_BAND.match(ind.age_band or "")
        assert m, ind.id
        outside = Child("M000001", "Test", int(m.group(2)) + 1)
        assert not fits(ind.age_band, outside)
        assert ind not in offered_for_child(prof, outside)
        with pytest.raises(InvalidInput) as err:
            check(prof, Answers(children={"M000001": [ind.id]}), [outside])
        assert "M000001" in str(err.value) and ind.id in str(err.value)
        if m.group(1) != "unborn":  # an unborn child fits only the "unborn-" bands
            with pytest.raises(InvalidInput):
                check(prof, Answers(children={"M000001": [ind.id]}), [Child("M000001", "U", None, unborn=True)])


def test_a_baby_is_never_offered_school_or_neet():
    for prof in PROFILES.values():
        offered = {i.id for i in offered_for_child(prof, Child("M000001", "Baby", 0))}
        assert "edu-permanent-exclusion" not in offered and "edu-not-in-education-16-plus" not in offered


@pytest.mark.parametrize("pid", BUNDLED)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_adding_an_answer_never_lowers_any_childs_level(pid, data):
    prof = PROFILES[pid]
    kids = [Child("M000001", "A", data.draw(st.integers(0, 17))), Child("M000002", "B", 9)]
    household = [i.id for i in prof.indicators if not i.child_level and not i.age_band]
    own = [i.id for i in offered_for_child(prof, kids[0])]
    answers = Answers(
        children={"M000001": data.draw(st.lists(st.sampled_from(own), max_size=4, unique=True))},
        household=data.draw(st.lists(st.sampled_from(household), max_size=3, unique=True)),
    )
    before = place(prof, answers, kids)
    if data.draw(st.booleans()):
        extra = data.draw(st.sampled_from(own))
        answers.children["M000001"] = sorted({*answers.children["M000001"], extra})
    else:
        answers.household = sorted({*answers.household, data.draw(st.sampled_from(household))})
    after = place(prof, answers, kids)
    for member in before.children:
        assert after.children[member].rank >= before.children[member].rank
    assert after.family.rank >= before.family.rank


# -- through the CLI ----------------------------------------------------------------------


def answers(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def two_children(run, family):
    """The family fixture (Rowan, 9) with a baby (Ivy, born this year)."""
    baby = run("member", "add", family, "--name", "Ivy Testwood", "--role", "child", "--dob", "2026-06-01")
    assert baby.code == 0, baby.err
    return family, "M000001", baby.out.strip()


def test_flat_answers_are_refused_for_two_children_naming_the_ids(run, two_children, tmp_path, initdb):
    fam, _, _ = two_children
    before = snapshot(initdb)
    r = run("assess", "run", fam, "--answers", answers(tmp_path, {"indicators": ["edu-attendance-below-90"]}))
    assert r.code == 4 and "2 children" in r.err and '"edu-attendance-below-90"' in r.err
    assert "Traceback" not in r.err and snapshot(initdb) == before


def test_flat_answers_still_work_for_one_child(run, family, tmp_path):
    r = run(
        "assess",
        "run",
        family,
        "--answers",
        answers(tmp_path, {"indicators": ["edu-attendance-below-90", "income-debt"], "child_view": "Hi"}),
        "--json",
    )
    assert r.code == 0, r.err
    [rowan] = r.json["children"]
    assert rowan["indicators"] == ["edu-attendance-below-90", "income-debt"] and rowan["child_view"] == "Hi"


def test_siblings_get_their_own_levels_words_and_steps(run, two_children, tmp_path):
    fam, rowan, ivy = two_children
    first = {
        "children": {
            rowan: {"indicators": ["edu-attendance-below-90"], "child_view": "School is hard"},
            ivy: {"indicators": ["health-missed-checks"]},
        },
        "family_view": "We are tired",
        "organisation": "Testbrook Children's Centre",
    }
    r = run("assess", "run", fam, "--answers", answers(tmp_path, first), "--json")
    assert r.code == 0, r.err
    assert r.json["organisation"] == "Testbrook Children's Centre" and r.json["completed_on"] == "2026-12-02"
    views = {c["member_id"]: c["child_view"] for c in r.json["children"]}
    assert views == {rowan: "School is hard", ivy: None} and r.json["family_view"] == "We are tired"
    second = {"children": {rowan: {"indicators": ["health-disability-specialist"]}}}
    r = run("assess", "run", fam, "--answers", answers(tmp_path, second), "--json")
    levels = {c["member_id"]: c["level"] for c in r.json["children"]}
    assert levels == {rowan: "3", ivy: "1"} and r.json["level"] == "3" and r.json["movement"] == "step-up"


def test_child_movements_are_recorded(run, two_children, tmp_path, db_path):
    fam, rowan, ivy = two_children
    run(
        "assess",
        "run",
        fam,
        "--answers",
        answers(tmp_path, {"children": {ivy: {"indicators": ["health-missed-checks"]}}}),
    )
    run(
        "assess",
        "run",
        fam,
        "--answers",
        answers(tmp_path, {"children": {rowan: {"indicators": ["edu-attendance-below-90"]}}}),
    )
    conn = sqlite3.connect(str(db_path))
    moves = dict(conn.execute("SELECT member_id, movement FROM assessment_children WHERE assessment_id = 2"))
    conn.close()
    assert moves == {1: "step-up", 3: "step-down"}


def test_out_of_band_and_misplaced_answers_are_refused_naming_child_and_indicator(run, two_children, tmp_path, initdb):
    fam, rowan, ivy = two_children
    before = snapshot(initdb)
    bad = {
        "children": {ivy: {"indicators": ["edu-attendance-below-90"]}, rowan: {"indicators": ["income-debt"]}},
        "household": {"indicators": ["beh-early-asb"], "affects": {"beh-early-asb": ["M000099"]}},
    }
    r = run("assess", "run", fam, "--answers", answers(tmp_path, bad))
    assert r.code == 4
    assert f'"edu-attendance-below-90" (ages 5-16) does not fit {ivy} (age 0)' in r.err
    assert '"income-debt" is a household indicator' in r.err and "M000099 is not a child" in r.err
    assert "Ivy" not in r.err and "Rowan" not in r.err  # references only in errors
    assert snapshot(initdb) == before


def test_significant_harm_names_the_child_by_reference_in_json(run, two_children, tmp_path):
    fam, rowan, _ = two_children
    harm = {"children": {rowan: {"indicators": ["health-injury-non-accidental"]}}}
    r = run("assess", "run", fam, "--answers", answers(tmp_path, harm), "--json")
    assert r.code == 10
    assert "M000001: may be suffering" in r.err  # the banner; stderr is no terminal here: no names in logs
    assert "Rowan" not in r.err and "Rowan" not in r.out
    assert [c["significant_harm"] for c in r.json["children"]] == [True, False]
    assert r.json["front_door"]["name"]
    audit = [e for e in run("audit", "--family", fam, "--json").json if e["action"].startswith("assessment")]
    assert audit and "Rowan" not in json.dumps(audit)
    assert audit[-1]["values"]["children"][0] == {"member_id": rowan, "level": "4", "significant_harm": True}


def test_started_then_completed_later(run, family, tmp_path, db_path):
    started = run(
        "assess", "run", family, "--start", "--answers", answers(tmp_path, {"indicators": ["income-debt"]}), "--json"
    )
    assert started.code == 0, started.err
    assert started.json["status"] == "open" and started.json["completed_on"] is None
    assert run("family", "show", family, "--json").json["level"] is None  # an open assessment places no one
    done = run("assess", "complete", started.json["id"], "--date", "2026-12-02", "--json")
    assert done.code == 0, done.err
    assert done.json["status"] == "complete" and done.json["started_on"] == "2026-12-02"
    assert done.json["children"][0]["indicators"] == ["income-debt"]
    assert run("family", "show", family, "--json").json["level"] == "2a"
    again = run("assess", "complete", started.json["id"])
    assert again.code == 5 and "was completed" in again.err


def test_a_child_born_after_a_backdated_assessment_counts_as_unborn_on_that_day(run, two_children, tmp_path):
    fam, rowan, ivy = two_children
    backdated = {"children": {rowan: {"indicators": ["edu-attendance-below-90"]}}, "completed_on": "2026-01-10"}
    r = run("assess", "run", fam, "--answers", answers(tmp_path, backdated), "--json")
    assert r.code == 0, r.err
    too_early = {"children": {ivy: {"indicators": ["health-missed-checks"]}}, "completed_on": "2026-01-10"}
    r = run("assess", "run", fam, "--answers", answers(tmp_path, too_early))
    assert r.code == 4 and f"does not fit {ivy} (unborn)" in r.err


def test_completion_before_the_start_is_refused(run, family, tmp_path):
    bad = {"indicators": [], "started_on": "2026-11-20", "completed_on": "2026-11-10"}
    r = run("assess", "run", family, "--answers", answers(tmp_path, bad))
    assert r.code == 4 and "before started_on" in r.err


def _as_schema_six(path: Path) -> None:
    """Take a database back to schema 6: drop what migration 7 added, as a release-6 file would be."""
    six = sqlite3.connect(str(path))
    six.executescript(
        """
        DROP TABLE referral_members; DROP TABLE referrals; DROP TABLE assessment_children;
        DROP TABLE assessment_answers; DROP INDEX assessments_open;
        ALTER TABLE assessments DROP COLUMN organisation; ALTER TABLE assessments DROP COLUMN completed_on;
        ALTER TABLE assessments DROP COLUMN started_on;
        DELETE FROM _sqlite_migrations WHERE name = 'm007_children_and_referrals';
        PRAGMA user_version = 6;
        """
    )
    six.close()


def test_a_london_database_keeps_its_level_2_families_as_2a(run, tmp_path):
    db = tmp_path / "london.db"
    assert run("init", "--profile", "london", "--db", db).code == 0
    _as_schema_six(db)
    conn = sqlite3.connect(str(db))
    conn.executescript(
        """
        INSERT INTO families (name, name_key, status, level, referral_date, created_at, updated_at)
            VALUES ('Leveltwo family', 'leveltwo family', 'open', '2', '2026-01-01', '2026-01-01T00:00:00Z',
                    '2026-01-01T00:00:00Z');
        INSERT INTO assessments (family_id, assessed_on, profile, indicators, computed_level, level,
            significant_harm, explanation, assessor, created_at)
            VALUES (1, '2026-01-05', 'london', '["income-debt"]', '2', '2', 0, '[]', 'tester', '2026-01-05T00:00:00Z');
        """
    )
    conn.commit()
    conn.close()
    assert run("family", "list", "--db", db, "--level", "2a", "--json").json[0]["level"] == "2a"
    [old] = run("assess", "list", "F000001", "--db", db, "--json").json
    assert (old["level"], old["computed_level"], old["level_name"]) == ("2a", "2a", "Level 2a Targeted")
    items = run("due", "--db", db, "--json").json
    assert "no-plan" in [i["category"] for i in items]  # still expected to have a plan


def test_old_household_assessments_migrate_and_keep_their_results(run, tmp_path):
    """A schema-6 database (before children were assessed one by one) opens at schema 7:
    each assessment keeps its level, and its indicators become household answers."""
    db = tmp_path / "six.db"
    assert run("init", "--profile", "croydon", "--db", db).code == 0
    conn = sqlite3.connect(str(db))
    conn.executescript(
        """
        INSERT INTO families (name, name_key, status, level, created_at, updated_at)
            VALUES ('Oldway family', 'oldway family', 'open', '2b', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
        INSERT INTO assessments (family_id, assessed_on, profile, indicators, computed_level, level,
            significant_harm, explanation, assessor, created_at)
            VALUES (1, '2026-01-05', 'croydon', '["income-debt","beh-early-asb"]', '2a', '2b', 0, '[]',
                    'tester', '2026-01-05T00:00:00Z');
        """
    )
    conn.commit()
    conn.close()
    shutil.copy(db, tmp_path / "copy.db")
    _as_schema_six(tmp_path / "copy.db")
    r = run("assess", "list", "F000001", "--db", tmp_path / "copy.db", "--json")
    assert r.code == 0, r.err
    [old] = r.json
    assert (old["level"], old["computed_level"], old["status"]) == ("2b", "2a", "complete")
    assert old["started_on"] == old["completed_on"] == "2026-01-05" and old["children"] == []
    conn = sqlite3.connect(str(tmp_path / "copy.db"))
    rows = conn.execute("SELECT indicator, scope, member_id FROM assessment_answers ORDER BY indicator").fetchall()
    conn.close()
    assert rows == [("beh-early-asb", "household", None), ("income-debt", "household", None)]


def test_an_empty_affects_list_means_every_child(run, two_children, tmp_path):
    fam, _, _ = two_children
    data = {"household": {"indicators": ["income-debt"], "affects": {"income-debt": []}}}
    r = run("assess", "run", fam, "--answers", answers(tmp_path, data), "--json")
    assert r.code == 0, r.err
    assert {c["level"] for c in r.json["children"]} == {"2a"}


def test_a_household_answer_with_an_age_band_reaches_only_the_children_it_fits(run, two_children, tmp_path):
    fam, rowan, ivy = two_children
    ind = next(i for i in PROFILES["croydon"].indicators if not i.child_level and i.age_band == "unborn-2")
    r = run("assess", "run", fam, "--answers", answers(tmp_path, {"household": {"indicators": [ind.id]}}), "--json")
    assert r.code == 0, r.err
    levels = {c["member_id"]: c["level"] for c in r.json["children"]}
    assert levels[rowan] == "1" and levels[ivy] == ind.level  # Rowan is 9: the first 1,001 days are Ivy's
    named = {"household": {"indicators": [ind.id], "affects": {ind.id: [rowan]}}}
    refused = run("assess", "run", fam, "--answers", answers(tmp_path, named))
    assert refused.code == 4 and f"does not fit {rowan} (age 9)" in refused.err


def test_whose_words_a_top_level_child_view_is_must_be_clear(run, two_children, tmp_path):
    fam, _, _ = two_children
    for data in ({"indicators": ["income-debt"], "child_view": "I am scared"}, {"children": {}, "child_view": "x"}):
        r = run("assess", "run", fam, "--answers", answers(tmp_path, data))
        assert r.code == 4 and "Whose words" in r.err


def test_values_that_are_not_text_are_refused(run, family, tmp_path):
    for key, value in (("organisation", 7), ("family_view", ["a"]), ("notes", {"a": 1})):
        r = run("assess", "run", family, "--answers", answers(tmp_path, {"indicators": [], key: value}))
        assert r.code == 4 and f"'{key}' must be text" in r.err


def test_judgements_for_a_child_and_the_family(run, two_children, tmp_path):
    fam, rowan, _ = two_children
    judged = {
        "children": {rowan: {"indicators": ["edu-attendance-below-90"], "override": {"level": "3", "reason": "Known"}}},
    }
    r = run("assess", "run", fam, "--answers", answers(tmp_path, judged), "--json")
    assert r.code == 0, r.err
    assert (r.json["level"], r.json["computed_level"]) == ("3", "2a")
    assert any(e["kind"] == "judgement" and e["id"] == rowan and "Known" in e["text"] for e in r.json["explanation"])
    below = {**judged, "override": {"level": "2a", "reason": "Family copes"}}
    refused = run("assess", "run", fam, "--answers", answers(tmp_path, below))
    assert refused.code == 4 and "cannot be below it" in refused.err
    started = run("assess", "run", fam, "--start", "--answers", answers(tmp_path, judged), "--json").json
    done = run("assess", "complete", started["id"], "--json").json  # the judgement is kept on completion
    assert done["level"] == "3" and done["children"][0]["level"] == "3"


def test_a_child_named_in_records_is_not_removed(run, family, tmp_path, initdb):
    assert run("assess", "run", family, "--answers", answers(tmp_path, {"indicators": ["income-debt"]})).code == 0
    before = snapshot(initdb)
    r = run("member", "remove", "M000001")
    assert r.code == 5 and "named in records already made" in r.err and snapshot(initdb) == before
    assert run("member", "remove", "M000002").code == 0  # the parent is in no child's record


def test_a_one_member_subject_access_export_leaves_siblings_out(run, two_children, tmp_path):
    fam, rowan, ivy = two_children
    data = {
        "children": {rowan: {"indicators": ["beh-early-asb"]}, ivy: {"indicators": ["health-missed-checks"]}},
        "household": {"indicators": ["income-debt"]},
    }
    assert run("assess", "run", fam, "--answers", answers(tmp_path, data)).code == 0
    r = run("family", "sar", fam, "--member", ivy, "--out", tmp_path / "sar")
    assert r.code == 0, r.err
    export = json.loads(Path(r.out.split()[0]).read_text(encoding="utf-8"))
    [assessment] = export["assessments"]
    assert assessment["indicators"] == ["health-missed-checks", "income-debt"]
    assert [c["member_id"] for c in assessment["children"]] == [ivy]
    assert rowan not in json.dumps(assessment) and "beh-early-asb" not in json.dumps(assessment)
