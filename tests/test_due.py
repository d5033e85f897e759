"""`ehtool due`: each category appears exactly when it should (and not a day early),
filters, the JSON/CSV contract, grouping by lead, exit statuses, and a cron-like run.

The history is built through the CLI with dates under the test's control: referral
dates, `assessed_on` in answers files, review and action due dates in plan files,
panel dates; `--on` fixes "today". Synthetic people only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3

import pytest

from conftest import snapshot
from ehtool.documents.profiles import load_profile
from ehtool.domain import due as rules

CROYDON = load_profile("croydon")
S = CROYDON.settings
L2A = next(i.id for i in CROYDON.indicators if i.level == "2a")
HARM = next(i.id for i in CROYDON.indicators if i.significant_harm)
KEYS = ["family_id", "category", "what", "date", "days", "overdue", "lead", "locality"]
TODAY = "2026-06-01"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def plus(text: str, days: int) -> str:
    return (d(text) + dt.timedelta(days=days)).isoformat()


def _family(run, name, *, locality, referral=None, lead=None):
    args = ["family", "add", "--name", name, "--locality", locality]
    if referral:
        args += ["--referral-date", referral]
    if lead:
        args += ["--lead", lead]
    r = run(*args)
    assert r.code == 0, r.err
    return r.out.strip()


def _assess(run, tmp_path, ref, indicators, on, code=0):
    path = tmp_path / f"answers-{ref}-{on}.json"
    path.write_text(json.dumps({"indicators": indicators, "assessed_on": on}))
    r = run("assess", "run", ref, "--answers", path)
    assert r.code == code, r.err


def _plan(run, tmp_path, ref, data):
    path = tmp_path / f"plan-{ref}.json"
    path.write_text(json.dumps(data))
    r = run("plan", "new", ref, "--from", path)
    assert r.code == 0, r.err


PLAN_C = {
    "lead_professional": "Casey Planlead",
    "review_date": "2026-06-10",
    "outcomes": [
        {
            "area": "education",
            "description": "Attend every day",
            "baseline": 3,
            "target": 8,
            "actions": [
                {"what": "Make a morning routine chart", "who": "Parent", "due": "2026-05-15", "status": "not-started"},
                {"what": "Meet the attendance officer", "who": "School", "due": "2026-05-01", "status": "done"},
                {"what": "Apply for a bus pass", "who": "Parent", "due": "2026-05-01", "status": "dropped"},
            ],
        },
        {
            "area": "family-relationships",
            "description": "Fewer arguments",
            "baseline": 4,
            "target": 7,
            "actions": [
                {"what": "Parenting course", "who": "Family hub", "due": "2026-07-01", "status": "in-progress"}
            ],
        },
    ],
}
PLAN_G = {
    "lead_professional": "Gale Planlead",
    "review_date": "2026-07-30",
    "outcomes": [{"area": "housing", "description": "Secure tenancy", "actions": []}],
}


_BUILT: dict = {}


def _copy_db(src, dest) -> None:
    source, target = sqlite3.connect(str(src)), sqlite3.connect(str(dest))
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


@pytest.fixture
def history(run, initdb, tmp_path, tmp_path_factory):
    """Seven synthetic families (Croydon profile: localities North, Central, South).

    Built through the CLI once per session, then copied into each test's own database."""
    if _BUILT:
        _copy_db(_BUILT["db"], initdb)
        return dict(_BUILT["refs"])
    h = _build_history(run, tmp_path)
    template = tmp_path_factory.mktemp("due-history") / "history.db"
    _copy_db(initdb, template)
    _BUILT.update(db=template, refs=dict(h))
    return h


def _build_history(run, tmp_path) -> dict:
    h = {}
    # A: referred, never assessed (no lead recorded); on a North panel with no decision yet.
    h["A"] = _family(run, "Ashgrove family", locality="north", referral="2026-05-01")
    assert run("panel", "schedule", "--locality", "north", "--date", "2026-05-25").code == 0
    r = run(
        "panel",
        "add",
        h["A"],
        "--reason",
        "new-referral",
        "--date",
        "2026-05-25",
        "--no-consent-reason",
        "Consent being sought",
    )
    assert r.code == 0, r.err
    # B: assessed at an early help rung, no plan.
    h["B"] = _family(run, "Birchley family", locality="north", referral="2026-04-20", lead="Bo Familylead")
    _assess(run, tmp_path, h["B"], [L2A], "2026-04-25")
    # L: assessed at the lowest rung: never needs a plan.
    h["L"] = _family(run, "Larchmoor family", locality="north", referral="2026-01-01", lead="Lee Familylead")
    _assess(run, tmp_path, h["L"], [], "2026-05-30")
    # C: a plan with a review date and actions; consent given.
    h["C"] = _family(run, "Cedarvale family", locality="central", referral="2026-01-05", lead="Robin Familylead")
    _assess(run, tmp_path, h["C"], [L2A], "2026-01-10")
    assert (
        run(
            "consent",
            "record",
            h["C"],
            "--type",
            "early-help",
            "--status",
            "given",
            "--date",
            "2026-01-12",
            "--by",
            "Parent",
        ).code
        == 0
    )
    _plan(run, tmp_path, h["C"], PLAN_C)
    # D: significant harm, no plan, no referral recorded yet.
    h["D"] = _family(run, "Dunmore family", locality="south", referral="2026-03-01", lead="Dana Harmlead")
    _assess(run, tmp_path, h["D"], [HARM], "2026-03-05", code=10)
    # G: significant harm assessed after an early help plan started; the plan is still open.
    h["G"] = _family(run, "Glenholm family", locality="south", referral="2026-02-01", lead="Gil Familylead")
    _assess(run, tmp_path, h["G"], [L2A], "2026-02-02")
    assert (
        run("consent", "record", h["G"], "--type", "early-help", "--status", "given", "--date", "2026-02-03").code == 0
    )
    _plan(run, tmp_path, h["G"], PLAN_G)
    _assess(run, tmp_path, h["G"], [HARM], "2026-02-20", code=10)
    # F: closed; whatever it lacks is not due.
    h["F"] = _family(run, "Fernhill family", locality="north", referral="2026-01-01", lead="Fay Familylead")
    assert run("family", "close", h["F"], "--reason", "needs-met").code == 0
    return h


def due(run, *args):
    r = run("due", "--json", *args)
    assert r.code == 0, r.err
    return r.json


def cats(items, family):
    return sorted(i["category"] for i in items if i["family_id"] == family)


def one(items, family, category):
    found = [i for i in items if i["family_id"] == family and i["category"] == category]
    assert len(found) == 1, (family, category, items)
    return found[0]


def has(run, on, family, category, *extra):
    return any(i["family_id"] == family and i["category"] == category for i in due(run, "--on", on, *extra))


# -- the whole picture on one day ----------------------------------------------------


def test_the_list_on_one_day(run, history):
    h = history
    items = due(run, "--on", TODAY)
    assert cats(items, h["A"]) == ["no-assessment", "panel-undecided"]
    assert cats(items, h["B"]) == ["no-plan"]
    assert cats(items, h["L"]) == []
    assert cats(items, h["C"]) == ["action-overdue", "review-due"]
    assert cats(items, h["D"]) == ["significant-harm"]
    assert cats(items, h["G"]) == ["significant-harm"]
    assert cats(items, h["F"]) == []
    # significant harm first, then overdue (oldest first), then what is coming up (soonest first)
    assert [i["category"] for i in items[:2]] == ["significant-harm", "significant-harm"]
    assert [i["family_id"] for i in items[:2]] == [h["G"], h["D"]]
    overdue = [i["overdue"] for i in items]
    assert overdue == sorted(overdue, reverse=True)
    late = [i["date"] for i in items[2:] if i["overdue"]]
    assert late == sorted(late)
    coming = [i["date"] for i in items if not i["overdue"]]
    assert coming == sorted(coming)
    action = one(items, h["C"], "action-overdue")
    assert action == {
        "family_id": h["C"],
        "category": "action-overdue",
        "what": "Action 1.1 of plan OFP000001 is overdue: Make a morning routine chart",
        "date": "2026-05-15",
        "days": 17,
        "overdue": True,
        "lead": "Casey Planlead",
        "locality": "Central",
    }
    review = one(items, h["C"], "review-due")
    assert (review["date"], review["days"], review["overdue"]) == ("2026-06-10", -9, False)
    harm = one(items, h["D"], "significant-harm")
    assert harm["date"] == "2026-03-05" and harm["overdue"] is True and harm["lead"] == "Dana Harmlead"
    assert "front door" in harm["what"] and "no referral" in harm["what"]
    assert "still open" in one(items, h["G"], "significant-harm")["what"]
    assert one(items, h["G"], "significant-harm")["lead"] == "Gale Planlead"  # the open plan's lead
    assert one(items, h["B"], "no-plan")["lead"] == "Bo Familylead"  # no plan: the family's lead
    assert one(items, h["A"], "no-assessment")["lead"] is None


def test_no_personal_names_in_what(run, history):
    items = due(run, "--on", "2027-02-01", "--within", "60")
    text = " ".join(i["what"] for i in items)
    for surname in (
        "Ashgrove",
        "Birchley",
        "Larchmoor",
        "Cedarvale",
        "Dunmore",
        "Glenholm",
        "Fernhill",
        "Planlead",
        "Familylead",
        "Harmlead",
    ):
        assert surname not in text


# -- each category, not a day early -----------------------------------------------------


def test_no_assessment_from_the_day_after_the_deadline(run, history):
    deadline = plus("2026-05-01", S["days_to_assessment"])
    assert not has(run, deadline, history["A"], "no-assessment")
    item = one(due(run, "--on", plus(deadline, 1)), history["A"], "no-assessment")
    assert (item["date"], item["days"], item["overdue"]) == (deadline, 1, True)
    assert "referral on 2026-05-01" in item["what"]


def test_no_assessment_counts_from_registration_without_a_referral_date(run, initdb):
    ref = _family(run, "Hollyfield family", locality="north")
    from ehtool.domain.validators import today_london

    today = today_london()
    deadline = (today + dt.timedelta(days=S["days_to_assessment"])).isoformat()
    assert not has(run, deadline, ref, "no-assessment")
    item = one(due(run, "--on", plus(deadline, 1)), ref, "no-assessment")
    assert item["date"] == deadline and "registered on" in item["what"]


def test_no_plan_only_at_an_early_help_rung(run, history):
    deadline = plus("2026-04-20", S["days_to_plan"])
    assert not has(run, deadline, history["B"], "no-plan")
    item = one(due(run, "--on", plus(deadline, 1)), history["B"], "no-plan")
    assert (item["date"], item["days"]) == (deadline, 1)
    assert "Level 2a Targeted" in item["what"]
    later = due(run, "--on", "2026-09-01")
    assert "no-plan" not in cats(later, history["L"])  # the lowest rung
    assert "no-plan" not in cats(later, history["D"])  # significant harm: a referral, not a plan
    assert "no-plan" not in cats(later, history["C"])  # has one


def test_review_due_within_the_window_then_overdue(run, history):
    c = history["C"]
    assert not has(run, "2026-05-26", c, "review-due")  # 15 days before
    item = one(due(run, "--on", "2026-05-27"), c, "review-due")  # 14 days before
    assert (item["days"], item["overdue"]) == (-14, False)
    assert item["what"] == "Review of plan OFP000001 is due."
    item = one(due(run, "--on", "2026-06-10"), c, "review-due")  # on the day: due, not overdue
    assert (item["days"], item["overdue"]) == (0, False)
    assert not has(run, "2026-06-10", c, "review-overdue")
    item = one(due(run, "--on", "2026-06-11"), c, "review-overdue")
    assert (item["date"], item["days"], item["overdue"]) == ("2026-06-10", 1, True)
    assert not has(run, "2026-06-11", c, "review-due")
    # --within moves the window
    assert not has(run, "2026-06-09", c, "review-due", "--within", "0")
    assert has(run, "2026-06-10", c, "review-due", "--within", "0")
    assert has(run, "2026-05-11", c, "review-due", "--within", "30")


def test_a_recorded_review_moves_the_review_date(run, history):
    c = history["C"]
    assert run("plan", "review", c, "--date", "2026-06-05", "--next-review", "2026-08-01").code == 0
    assert not has(run, "2026-06-11", c, "review-overdue")
    assert has(run, "2026-08-02", c, "review-overdue")


def test_action_overdue_one_item_per_unfinished_action(run, history):
    c = history["C"]
    assert not any(i["family_id"] == c and i["category"] == "action-overdue" for i in due(run, "--on", "2026-05-15"))
    items = [i for i in due(run, "--on", "2026-07-02") if i["family_id"] == c and i["category"] == "action-overdue"]
    assert [i["what"].split(" of plan")[0] for i in items] == ["Action 1.1", "Action 2.1"]  # not done/dropped
    assert [i["days"] for i in items] == [48, 1]
    assert run("plan", "action", "done", c, "1.1").code == 0
    items = [i for i in due(run, "--on", "2026-07-02") if i["family_id"] == c and i["category"] == "action-overdue"]
    assert [i["what"].split(" of plan")[0] for i in items] == ["Action 2.1"]


def test_assessment_stale(run, history):
    c = history["C"]
    expires = plus("2026-01-10", S["assessment_valid_days"])
    assert not has(run, expires, c, "assessment-stale")
    item = one(due(run, "--on", plus(expires, 1)), c, "assessment-stale")
    assert (item["date"], item["days"], item["overdue"]) == (expires, 1, True)
    assert "A000" in item["what"]


def test_consent_renewal_window_then_overdue(run, history):
    c = history["C"]
    renew_by = plus("2026-01-12", S["consent_valid_days"])
    assert not has(run, plus(renew_by, -15), c, "consent-renew")
    item = one(due(run, "--on", plus(renew_by, -14)), c, "consent-renew")
    assert (item["date"], item["days"], item["overdue"]) == (renew_by, -14, False)
    item = one(due(run, "--on", renew_by), c, "consent-renew")
    assert item["overdue"] is False
    item = one(due(run, "--on", plus(renew_by, 1)), c, "consent-renew")
    assert (item["days"], item["overdue"]) == (1, True)
    assert has(run, plus(renew_by, -30), c, "consent-renew", "--within", "30")


def test_consent_withdrawn_is_not_a_renewal(run, history):
    c = history["C"]
    renew_by = plus("2026-01-12", S["consent_valid_days"])
    assert (
        run("consent", "record", c, "--type", "early-help", "--status", "withdrawn", "--date", "2026-03-01").code == 0
    )
    assert not has(run, plus(renew_by, 1), c, "consent-renew")


def test_panel_undecided_after_the_sitting_until_decided(run, history):
    a = history["A"]
    assert not has(run, "2026-05-25", a, "panel-undecided")
    item = one(due(run, "--on", "2026-05-26"), a, "panel-undecided")
    assert (item["date"], item["days"], item["overdue"]) == ("2026-05-25", 1, True)
    assert "P000001" in item["what"] and "item 1" in item["what"]
    assert run("panel", "decide", a, "--decision", "defer").code == 0
    assert not has(run, "2026-05-26", a, "panel-undecided")


def test_significant_harm_until_a_referral_is_recorded(run, history):
    dref, g = history["D"], history["G"]
    assert has(run, "2026-03-05", dref, "significant-harm")  # at once, on the day
    assert run("panel", "schedule", "--locality", "south", "--date", "2026-03-10").code == 0
    for ref in (dref, g):
        assert (
            run(
                "panel",
                "add",
                ref,
                "--reason",
                "escalation",
                "--date",
                "2026-03-10",
                "--no-consent-reason",
                "Safeguarding",
            ).code
            == 0
        )
        assert run("panel", "decide", ref, "--decision", "step-up").code == 0
        assert run("referral", "record", ref, "--to", "front-door", "--date", "2026-03-10").code == 0
    items = due(run, "--on", TODAY)
    assert "significant-harm" not in cats(items, dref)  # referred, no plan
    assert "significant-harm" in cats(items, g)  # referred, but the early help plan is still open
    assert run("plan", "close", g, "--reason", "stepped-up").code == 0
    assert "significant-harm" not in cats(due(run, "--on", TODAY), g)


def test_a_panel_step_up_alone_does_not_clear_significant_harm(run, history):
    dref = history["D"]
    assert run("panel", "schedule", "--locality", "south", "--date", "2026-03-10").code == 0
    assert run("panel", "add", dref, "--reason", "escalation", "--date", "2026-03-10").code in (0, 6)
    run("panel", "decide", dref, "--decision", "step-up")
    assert "significant-harm" in cats(due(run, "--on", TODAY), dref)  # the record is the referral


def test_closed_families_are_left_out(run, history):
    f = history["F"]
    assert cats(due(run, "--on", "2027-06-01", "--within", "365"), f) == []
    assert run("family", "close", history["D"], "--reason", "stepped-up").code == 0
    assert cats(due(run, "--on", TODAY), history["D"]) == []


# -- retention hook ----------------------------------------------------------------------


def test_retention_due_for_closed_families_past_their_date(run, history):
    """retain_until is computed from the retention policy (youngest child's 25th birthday,
    counted from closure), so a family closed with grown-up children is due the day after closure."""

    def closed_family(name, child_dob, closed):
        ref = run("family", "add", "--name", name, "--lead", "Rita Retention", "--locality", "north").out.strip()
        assert run("member", "add", ref, "--name", f"Grown {name}", "--role", "child", "--dob", child_dob).code == 0
        assert run("family", "close", ref, "--reason", "needs-met", "--date", closed).code == 0
        return ref

    past = closed_family("Retentionpast family", "1995-01-01", "2026-05-01")
    young = closed_family("Retentionyoung family", "2015-01-01", "2026-05-01")
    held = closed_family("Retentionheld family", "1990-01-01", "2026-01-01")
    assert run("retention", "hold", held, "--reason", "Court proceedings").code == 0
    items = due(run, "--on", TODAY)
    item = one(items, past, "retention-due")
    assert (item["date"], item["overdue"]) == ("2026-05-01", True)
    assert item["lead"] == "Rita Retention" and "closed" in item["what"]
    assert "retention-due" not in cats(due(run, "--on", "2026-05-01"), past)  # on the day: not yet
    assert "retention-due" not in cats(items, young)  # kept until 2040
    assert "retention-due" in cats(due(run, "--on", "2040-01-02"), young)
    assert "retention-due" not in cats(due(run, "--on", "2099-01-01"), held)  # legal hold


# -- filters -------------------------------------------------------------------------------


def test_locality_filter_is_case_insensitive(run, history):
    for spelling in ("central", "CENTRAL", "Central"):
        items = due(run, "--on", TODAY, "--locality", spelling)
        assert items and {i["family_id"] for i in items} == {history["C"]}
    assert {i["locality"] for i in due(run, "--on", TODAY, "--locality", "south")} == {"South"}
    r = run("due", "--on", TODAY, "--locality", "Atlantis")
    assert r.code == 4 and "Atlantis" in r.err and "Traceback" not in r.err


def test_lead_filter_is_a_case_insensitive_substring(run, history):
    items = due(run, "--on", TODAY, "--lead", "CASEY")
    assert items and {i["family_id"] for i in items} == {history["C"]}
    assert {i["family_id"] for i in due(run, "--on", TODAY, "--lead", "planlead")} == {history["C"], history["G"]}
    # the open plan's lead professional counts, not the family's recorded lead
    assert due(run, "--on", TODAY, "--lead", "Robin") == []
    assert {i["family_id"] for i in due(run, "--on", TODAY, "--lead", "bo fam")} == {history["B"]}
    assert due(run, "--on", TODAY, "--lead", "nobody") == []
    items = due(run, "--on", TODAY, "--lead", "planlead", "--locality", "south")
    assert {i["family_id"] for i in items} == {history["G"]}


# -- contracts ------------------------------------------------------------------------------


def test_json_shape_and_keys(run, history):
    items = due(run, "--on", TODAY)
    assert isinstance(items, list) and items
    for i in items:
        assert list(i) == KEYS
        assert i["category"] in rules.CATEGORIES
        assert isinstance(i["days"], int) and isinstance(i["overdue"], bool)
        assert dt.date.fromisoformat(i["date"])
        assert i["overdue"] == (i["days"] > 0) or i["category"] == "significant-harm"
        assert i["family_id"].startswith("F")
    assert due(run, "--on", "2026-01-01", "--locality", "central") == []


def test_csv_has_the_same_columns(run, history):
    r = run("due", "--on", TODAY, "--csv")
    assert r.code == 0, r.err
    rows = list(csv.reader(io.StringIO(r.out)))
    assert rows[0] == KEYS
    assert len(rows) - 1 == len(due(run, "--on", TODAY))
    empty = run("due", "--on", "2026-01-01", "--locality", "central", "--csv")
    assert empty.out.splitlines() == [",".join(KEYS)]


def test_plain_output_is_grouped_by_lead(run, history):
    r = run("due", "--on", TODAY)
    assert r.code == 0, r.err
    out = r.out
    headings = [line for line in out.splitlines() if line and not line.startswith(("Family ", "F0"))]
    assert headings[0].startswith("Dana Harmlead:") and headings[1].startswith("Gale Planlead:")
    assert headings[-1].startswith("No lead professional recorded:")
    assert out.index("Bo Familylead:") < out.index("Casey Planlead:") < out.index("No lead professional")
    casey = out[out.index("Casey Planlead:") : out.index("No lead professional")]
    assert "action-overdue" in casey and "review-due" in casey and "due in 9 days" in casey
    assert "17 days overdue" in casey
    assert "\x1b" not in out and "item" in r.err


def test_nothing_due(run, initdb):
    r = run("due", "--on", TODAY)
    assert r.code == 0 and r.out == "" and "Nothing due" in r.err
    assert run("due", "--on", TODAY, "--json").json == []
    assert run("due", "--on", TODAY, "--fail-if-overdue").code == 0


def test_fail_if_overdue(run, history):
    r = run("due", "--on", TODAY, "--fail-if-overdue")
    assert r.code == 8 and "Casey Planlead" in r.out  # the list is printed first
    r = run("due", "--on", TODAY, "--json", "--fail-if-overdue")
    assert r.code == 8 and r.json
    # only items not yet overdue: 0
    r = run("due", "--on", "2026-05-10", "--within", "40", "--locality", "central", "--json", "--fail-if-overdue")
    assert r.code == 0 and r.json and not any(i["overdue"] for i in r.json)
    assert run("due", "--on", TODAY).code == 0  # without the flag, 0 whatever is found


def test_bad_flags(run, history):
    assert run("due", "--json", "--csv").code == 2
    assert run("due", "--within", "-1").code == 2
    r = run("due", "--on", "31/31/2026")
    assert r.code == 4 and "Traceback" not in r.err


def test_reading_the_list_changes_nothing(run, history, db_path):
    before = snapshot(db_path)
    run("due", "--on", TODAY)
    run("due", "--on", TODAY, "--json")
    assert snapshot(db_path) == before


def test_as_a_cron_job(run_proc, history, db_path, ehtool_env, tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "NO_COLOR": "1",
        "HOME": str(tmp_path / "cronhome"),
        "EHTOOL_DB": str(db_path),
        "EHTOOL_HOME": str(ehtool_env),
    }
    r = run_proc("due", "--on", TODAY, "--fail-if-overdue", env=env, timeout=60)
    assert r.code == 8, r.err
    assert "\x1b" not in r.out and "\x1b" not in r.err
    assert "Dana Harmlead:" in r.out and "significant-harm" in r.out
    assert "?" not in r.err  # nothing asked
    r = run_proc("due", "--on", TODAY, "--json", env=env)
    assert r.code == 0 and json.loads(r.out)[0]["category"] == "significant-harm"
    r = run_proc("due", "--on", "2026-01-01", "--locality", "central", "--fail-if-overdue", env=env)
    assert r.code == 0 and "\x1b" not in r.err


# -- the pure rules -----------------------------------------------------------------------


def _rows(**kw):
    base = {
        "families": [
            {
                "id": 1,
                "ref": "F000001",
                "locality": "North",
                "lead": "Pat Lead",
                "referral_date": None,
                "created_at": "2026-06-30T23:30:00.000000Z",
            }
        ]
    }
    base.update(kw)
    return rules.Rows(**base)


def test_registration_date_is_the_london_date():
    rows = _rows()
    settings = rules.Settings(days_to_assessment=20)
    assert rules.compute(rows, d("2026-07-21"), settings=settings) == []  # 1 July in London (BST)
    [item] = rules.compute(rows, d("2026-07-22"), settings=settings)
    assert item["date"] == "2026-07-21" and item["category"] == "no-assessment"


@pytest.mark.parametrize(
    "referral_on, plan, listed",
    [
        (None, False, True),
        ("2026-03-01", False, True),  # before the harm was assessed: not a referral for it
        ("2026-03-05", False, False),
        ("2026-03-05", True, True),
    ],
)
def test_significant_harm_rule(referral_on, plan, listed):
    rows = _rows(
        assessments=[
            {"ref": "A000001", "family_id": 1, "assessed_on": "2026-03-05", "level": "4", "significant_harm": True}
        ],
        referrals=[{"family_id": 1, "date": referral_on}] if referral_on else [],
        plans=[{"id": 1, "ref": "OFP000001", "family_id": 1, "review_date": None, "lead_professional": "Kim Plan"}]
        if plan
        else [],
    )
    items = rules.compute(rows, d("2026-03-06"), settings=rules.Settings(assessment_valid_days=365))
    harm = [i for i in items if i["category"] == "significant-harm"]
    assert bool(harm) == listed
    if harm:
        assert harm[0]["overdue"] is True and harm[0]["lead"] == ("Kim Plan" if plan else "Pat Lead")


def test_levels_route_to_early_help_or_a_referral():
    assert rules.early_help_level_ids(CROYDON.levels) == ["2a", "2b"]
    assert rules.referral_level_ids(CROYDON.levels) == ["3", "4"]
    assert rules.early_help_level_ids(load_profile("london").levels) == ["2a", "2b"]


def test_sort_puts_harm_then_overdue_then_date():
    items = [
        {"family_id": "F2", "category": "review-due", "date": "2026-01-02", "overdue": False, "what": "x"},
        {"family_id": "F1", "category": "action-overdue", "date": "2026-01-05", "overdue": True, "what": "x"},
        {"family_id": "F3", "category": "significant-harm", "date": "2026-01-09", "overdue": True, "what": "x"},
        {"family_id": "F1", "category": "no-plan", "date": "2026-01-01", "overdue": True, "what": "x"},
    ]
    assert [(i["family_id"], i["category"]) for i in rules.sort_items(items)] == [
        ("F3", "significant-harm"),
        ("F1", "no-plan"),
        ("F1", "action-overdue"),
        ("F2", "review-due"),
    ]
