"""One Family Plans through the CLI: preconditions, contract keys, versions, reviews, closing, rendering."""

from __future__ import annotations

import json
import stat

import pytest

from conftest import snapshot
from ehtool.documents.profiles import load_profile

CROYDON = load_profile("croydon")
L2A = next(i.id for i in CROYDON.indicators if i.level == "2a")
HARM = next(i.id for i in CROYDON.indicators if i.significant_harm)
HOSTILE = "Tom & Jerry <b> [bold]x[/bold] =1+1 👶 {{ 7*7 }}"

PLAN = {
    "lead_professional": "Pat Lead",
    "team": [{"name": "Sam School", "agency": "School", "role": "DSL", "contact": "sam@example.org"}],
    "working_well": "Parent is engaged",
    "worries": HOSTILE,
    "needs_to_happen": "A calmer morning routine",
    "family_voice": "We want things to be calmer",
    "child_voice": "I like maths",
    "outcomes": [
        {
            "area": "education",
            "description": "Attend every day",
            "baseline": 3,
            "target": 8,
            "actions": [{"what": "Routine chart", "who": "Parent", "due": "2026-12-10", "status": "in-progress"}],
        },
        {"area": "family-relationships", "description": "Fewer arguments", "baseline": 4, "target": 7, "actions": []},
    ],
    "contingency": "Bring back to panel",
    "review_date": "2027-01-10",
    "share_with": ["School", "Health visiting"],
}


def write(tmp_path, data, name="plan.json"):
    p = tmp_path / name
    p.write_text(json.dumps(data))
    return p


@pytest.fixture
def ready(run, family, tmp_path):
    """A family assessed below significant harm with consent to early help."""
    (tmp_path / "a.json").write_text(json.dumps({"indicators": [L2A]}))
    assert run("assess", "run", family, "--answers", tmp_path / "a.json").code == 0
    assert run("consent", "record", family, "--type", "early-help", "--status", "given").code == 0
    return family


@pytest.fixture
def planned(run, ready, tmp_path):
    r = run("plan", "new", ready, "--from", write(tmp_path, PLAN))
    assert r.code == 0, r.err
    return ready


def test_plan_needs_assessment_below_harm_and_consent(run, family, tmp_path, initdb):
    r = run("plan", "new", family, "--from", write(tmp_path, PLAN))
    assert r.code == 6 and "assess run" in r.err
    (tmp_path / "h.json").write_text(json.dumps({"indicators": [HARM]}))
    assert run("assess", "run", family, "--answers", tmp_path / "h.json").code == 10
    run("consent", "record", family, "--type", "early-help", "--status", "given")
    r = run("plan", "new", family, "--from", write(tmp_path, PLAN))
    assert r.code == 6 and "significant harm" in r.err
    (tmp_path / "a.json").write_text(json.dumps({"indicators": [L2A]}))
    run("assess", "run", family, "--answers", tmp_path / "a.json")
    run("consent", "record", family, "--type", "early-help", "--status", "refused")
    r = run("plan", "new", family, "--from", write(tmp_path, PLAN))
    assert r.code == 6 and "consent" in r.err
    assert run("plan", "show", family).code == 3


def test_show_json_shares_the_file_keys(run, planned):
    r = run("plan", "show", planned, "--json")
    assert r.code == 0, r.err
    plan = r.json
    for key in list(PLAN) + ["id", "family_id", "status", "version", "reviews"]:
        assert key in plan, key
    assert plan["worries"] == HOSTILE and plan["status"] == "open" and plan["version"] == 1
    assert [o["id"] for o in plan["outcomes"]] == ["1", "2"]
    assert plan["outcomes"][0]["actions"][0]["id"] == "1.1"
    assert plan["team"] == PLAN["team"]


def test_round_trip_show_json_back_into_edit(run, planned, tmp_path):
    shown = run("plan", "show", planned, "--json").json
    shown["worries"] = "Changed worry"
    r = run("plan", "edit", planned, "--from", write(tmp_path, shown, "back.json"), "--json")
    assert r.code == 0, r.err
    assert r.json["worries"] == "Changed worry" and r.json["version"] == 2
    assert r.json["outcomes"] == shown["outcomes"]
    old = run("plan", "show", planned, "--version", "1", "--json").json
    assert old["worries"] == HOSTILE


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"outcomes": [{"area": "astrology", "description": "x"}]}, "outcomes[0].area"),
        ({"outcomes": [{"area": "education", "description": "x", "baseline": 11}]}, "outcomes[0].baseline"),
        (
            {"outcomes": [{"area": "education", "description": "x", "actions": [{"who": "me"}]}]},
            "outcomes[0].actions[0].what",
        ),
        ({"review_date": "31/31/2026"}, "review_date"),
        ({"lead_professional": ""}, "lead_professional"),
        ({"team": [{"agency": "School"}]}, "team[0].name"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_plan_files_name_the_field_and_save_nothing(run, ready, tmp_path, initdb, bad, field):
    before = snapshot(initdb)
    r = run("plan", "new", ready, "--from", write(tmp_path, {**PLAN, **bad}))
    assert r.code == 4 and field in r.err, r.err
    assert snapshot(initdb) == before


def test_toml_plan_file(run, ready, tmp_path):
    (tmp_path / "p.toml").write_text(
        'lead_professional = "Toml Lead"\n[[outcomes]]\narea = "housing"\n'
        'description = "Stay in the flat"\nbaseline = 2\ntarget = 6\n'
    )
    r = run("plan", "new", ready, "--from", tmp_path / "p.toml", "--json")
    assert r.code == 0, r.err
    assert r.json["outcomes"][0]["area"] == "housing"
    assert r.json["review_date"]  # defaulted from the profile's interval


def test_one_open_plan(run, planned, tmp_path):
    r = run("plan", "new", planned, "--from", write(tmp_path, PLAN))
    assert r.code == 5


def test_outcomes_actions_team(run, planned):
    r = run(
        "plan",
        "outcome",
        "add",
        planned,
        "--area",
        "housing",
        "--description",
        "Secure tenancy",
        "--baseline",
        "2",
        "--target",
        "6",
        "--json",
    )
    assert r.code == 0 and r.json["outcomes"][-1]["id"] == "3"
    r = run(
        "plan",
        "action",
        "add",
        planned,
        "3",
        "--what",
        "Housing options meeting",
        "--who",
        "Pat",
        "--due",
        "2026-12-20",
        "--json",
    )
    assert r.json["outcomes"][2]["actions"][0]["id"] == "3.1"
    assert run("plan", "action", "done", planned, "3.1").code == 0
    assert run("plan", "action", "update", planned, "1.1", "--status", "dropped").code == 0
    plan = run("plan", "show", planned, "--json").json
    assert plan["outcomes"][2]["actions"][0]["status"] == "done"
    assert plan["outcomes"][0]["actions"][0]["status"] == "dropped"
    assert run("plan", "action", "done", planned, "9.9").code == 4
    assert run("plan", "action", "update", planned, "1.1", "--status", "sort-of").code == 4
    assert run("plan", "team", "add", planned, "--name", "Hana Health", "--agency", "Health visiting").code == 0
    assert len(run("plan", "show", planned, "--json").json["team"]) == 2
    assert run("plan", "show", planned, "--json").json["version"] == 6


def test_review_keeps_history_and_progress(run, planned):
    r = run(
        "plan",
        "review",
        planned,
        "--date",
        "2026-11-01",
        "--attended",
        "Parent",
        "--attended",
        "Pat Lead",
        "--score",
        "1=5",
        "--score",
        "2=4",
        "--done",
        "1.1",
        "--notes",
        "Good start",
        "--json",
    )
    assert r.code == 0, r.err
    assert r.json["review_date"] == "2026-12-13"  # 42 days after the review (Croydon profile)
    r = run(
        "plan", "review", planned, "--date", "2026-11-20", "--score", "1=7", "--next-review", "2027-01-05", "--json"
    )
    plan = r.json
    assert len(plan["reviews"]) == 2 and plan["reviews"][0]["attended"] == ["Parent", "Pat Lead"]
    progress = {p["outcome"]: p for p in plan["progress"]}
    assert progress["1"]["latest"] == 7 and progress["1"]["change"] == 4 and progress["1"]["improved"]
    assert progress["2"]["latest"] == 4 and progress["2"]["change"] == 0 and not progress["2"]["improved"]
    assert plan["outcomes"][0]["actions"][0]["status"] == "done"
    assert plan["review_date"] == "2027-01-05"
    assert run("plan", "review", planned, "--score", "1=11").code == 4
    assert run("plan", "review", planned, "--score", "7=3").code == 4
    assert run("plan", "review", planned, "--score", "oops").code == 4


def test_close_with_reason(run, planned):
    assert run("plan", "close", planned, "--reason", "sort of done").code == 4
    assert run("plan", "close", planned, "--reason", "other").code == 4
    r = run("plan", "close", planned, "--reason", "stepped-down", "--date", "2026-11-20", "--json")
    assert r.code == 0 and r.json["status"] == "closed" and r.json["closed_reason"] == "stepped-down"
    assert run("plan", "edit", planned, "--worries", "x").code == 3
    shown = run("plan", "show", planned, "--json").json
    assert shown["status"] == "closed"


def test_areas_and_templates(run, initdb):
    areas = run("plan", "areas", "--json").json
    assert {"id", "name"} <= set(areas[0]) and len(areas) == 10
    assert "education" in {a["id"] for a in areas}
    names = {(t["name"], t["format"]) for t in run("plan", "templates", "--json").json}
    assert {("one-family-plan", "md"), ("one-family-plan", "html"), ("one-family-plan", "docx")} <= names


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_render_each_format(run, planned, tmp_path, fmt):
    out = tmp_path / f"plan.{fmt}"
    r = run("plan", "render", planned, "--format", fmt, "--out", out)
    assert r.code == 0, r.err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    if fmt == "docx":
        import docx

        d = docx.Document(str(out))
        text = "\n".join(p.text for p in d.paragraphs) + "\n".join(
            c.text for t in d.tables for row in t.rows for c in row.cells
        )
        assert HOSTILE in text and "Attend every day" in text and planned in text
    elif fmt == "html":
        html = out.read_text()
        assert "Tom &amp; Jerry &lt;b&gt;" in html and "<b> [bold]" not in html
    else:
        assert HOSTILE in out.read_text()
    entry = run("audit", "--action", "plan.render", "--json").json[-1]
    assert entry["kind"] == "access" and entry["family_id"] == planned


def test_render_refused_after_consent_withdrawn_unless_lawful_basis(run, planned, tmp_path):
    run("consent", "record", planned, "--type", "early-help", "--status", "withdrawn")
    out = tmp_path / "p.md"
    r = run("plan", "render", planned, "--format", "md", "--out", out)
    assert r.code == 6 and "withdrawn" in r.err and not out.exists()
    run(
        "consent",
        "record",
        planned,
        "--type",
        "early-help",
        "--status",
        "lawful-basis",
        "--reason",
        "Safeguarding: shared with school DSL",
    )
    assert run("plan", "render", planned, "--format", "md", "--out", out).code == 0
    entry = run("audit", "--action", "plan.render", "--json").json[-1]
    assert entry["values"]["lawful_basis"].startswith("Safeguarding")


def test_bulk_render(run, planned, tmp_path):
    r = run("plan", "render", "--all-open", "--out-dir", tmp_path / "all", "--format", "html", "--json")
    assert r.code == 0, r.err
    assert len(r.json["written"]) == 1
    assert run("plan", "render", "--all-open").code == 2


def test_render_with_broken_partnership_template_writes_nothing(run, planned, tmp_path):
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "one-family-plan.md.j2").write_text("{{ plan.no_such_field }}")
    out = tmp_path / "p.md"
    r = run("plan", "render", planned, "--format", "md", "--out", out, "--template-dir", tdir)
    assert r.code == 4 and "no_such_field" in r.err
    assert not out.exists() and list(tmp_path.glob(".p.md*")) == []


def test_yaml_plan_file(run, ready, tmp_path):
    (tmp_path / "p.yaml").write_text(
        "lead_professional: Yaml Lead\noutcomes:\n  - area: health\n"
        "    description: Sleep better\n    baseline: 2\n    target: 7\n"
        "    actions:\n      - what: Bedtime routine\n        due: 2026-12-20\n"
    )
    r = run("plan", "new", ready, "--from", tmp_path / "p.yaml", "--json")
    assert r.code == 0, r.err
    assert r.json["outcomes"][0]["actions"][0]["due"] == "2026-12-20"
    (tmp_path / "bad.yaml").write_text("lead_professional: [unclosed\n")
    assert run("plan", "edit", ready, "--from", tmp_path / "bad.yaml").code == 4


def test_rendered_plan_shows_review_scores(run, planned, tmp_path):
    run("plan", "review", planned, "--date", "2026-11-01", "--score", "1=6", "--score", "2=5")
    out = tmp_path / "p.md"
    assert run("plan", "render", planned, "--format", "md", "--out", out).code == 0
    text = out.read_text()
    assert "6/10" in text and "5/10" in text
    assert "not yet scored" not in text
