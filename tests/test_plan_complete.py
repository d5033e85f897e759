"""The plan, completed: one lead professional (the family's), needs carried from the assessment,
the documents carrying consent, the family's moves and a closing summary."""

from __future__ import annotations

import json

from docx import Document

from test_plan import PLAN, planned, ready, write  # noqa: F401  (fixtures)


def test_the_plan_and_the_family_share_one_lead(run, planned, initdb):
    assert run("family", "show", planned, "--json").json["lead"] == PLAN["lead_professional"]
    assert run("family", "edit", planned, "--lead", "Ali Practitioner").code == 0
    plan = run("plan", "show", planned, "--json").json
    assert plan["lead_professional"] == "Ali Practitioner" and plan["version"] == 2
    assert run("plan", "edit", planned, "--lead", "Bo Keyworker").code == 0
    assert run("family", "show", planned, "--json").json["lead"] == "Bo Keyworker"
    actions = [e["action"] for e in run("audit", "--family", planned, "--json").json]
    assert actions.count("family.edit") >= 2 and actions.count("plan.edit") >= 2


def test_a_panel_allocation_changes_the_plans_lead(run, planned, initdb):
    run("consent", "record", planned, "--type", "panel", "--status", "given")
    assert run("panel", "schedule", "--locality", "north", "--date", "2026-12-02").code == 0
    assert run("panel", "add", planned, "--reason", "review").code == 0
    assert run("panel", "decide", planned, "--decision", "allocate", "--allocated-to", "Cy Worker").code == 0
    assert run("plan", "show", planned, "--json").json["lead_professional"] == "Cy Worker"


def test_needs_propose_one_outcome_per_area_and_load_as_a_plan(run, ready, tmp_path):
    r = run("plan", "needs", ready, "--json")
    assert r.code == 0, r.err
    needs = r.json
    assert needs["family_id"] == ready and needs["lead_professional"] == "Pat Keyworker"
    (outcome,) = needs["outcomes"]
    assert outcome["area"] == "health" and outcome["description"].startswith("Rowan (M000001): ")
    made = run("plan", "new", ready, "--from", write(tmp_path, needs, "needs.json"), "--json")
    assert made.code == 0, made.err
    assert made.json["outcomes"][0]["description"] == outcome["description"]


def test_needs_without_an_assessment_say_what_to_do(run, family):
    r = run("plan", "needs", family)
    assert r.code == 4 and "assess run" in r.err


def test_closing_summary_and_the_document(run, planned, tmp_path):
    r = run(
        "plan", "close", planned, "--reason", "needs-met", "--what-changed", "Attendance up to 96%",
        "--what-helped", "The morning routine", "--family-says", "Mornings are calm now", "--json",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert r.json["closing_summary"] == {
        "what_changed": "Attendance up to 96%",
        "what_helped": "The morning routine",
        "family_says": "Mornings are calm now",
    }
    out = tmp_path / "plan.md"
    assert run("plan", "render", planned, "--format", "md", "--out", out).code == 0
    text = out.read_text()
    assert "**What changed:** Attendance up to 96%" in text
    assert "**What the family says now:** Mornings are calm now" in text
    assert "- early-help: given on" in text  # the consent, with its date


def test_the_documents_carry_the_key_worker_choice_steps_and_the_familys_own_plan(run, planned, tmp_path):
    assert run("plan", "edit", planned, "--from", write(tmp_path, {"key_worker_choice": "Sam, from school"})).code == 0
    assert run("referral", "record", planned, "--to", "front-door", "--date", "2026-11-01").code == 0
    run("fgdm", "offer", planned, "--on", "2026-11-02")
    run("fgdm", "answer", planned, "--accepted", "--on", "2026-11-03")
    run("fgdm", "held", planned, "--on", "2026-11-10", "--family-plan", "Grandad does Tuesdays")
    docx = tmp_path / "plan.docx"
    assert run("plan", "render", planned, "--format", "docx", "--out", docx).code == 0
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    tables = "\n".join(c.text for t in Document(str(docx)).tables for row in t.rows for c in row.cells)
    assert "The family's own plan" in text and "Grandad does Tuesdays" in text
    assert "Sam, from school" in tables and "referred to front-door" in tables
    html = tmp_path / "plan.html"
    assert run("plan", "render", planned, "--format", "html", "--out", html).code == 0
    assert "Step-ups and step-downs" in html.read_text()


def test_old_outcome_area_names_still_find_the_area(run, ready, tmp_path):
    plan = json.loads(json.dumps(PLAN))
    plan["outcomes"] = [{"area": "Crime prevention and tackling crime", "description": "Out of trouble"}]
    r = run("plan", "new", ready, "--from", write(tmp_path, plan), "--json")
    assert r.code == 0, r.err
    assert r.json["outcomes"][0]["area"] == "crime"


def test_an_open_plan_keeps_a_lead(run, planned, initdb):
    from conftest import snapshot

    before = snapshot(initdb)
    r = run("family", "edit", planned, "--lead", "")
    assert r.code == 4 and "open plan" in r.err
    assert snapshot(initdb) == before


def test_needs_are_an_audited_access_and_the_key_worker_choice_has_a_flag(run, planned):
    assert run("plan", "needs", planned).code == 0
    assert "plan.needs" in [e["action"] for e in run("audit", "--family", planned, "--json").json]
    r = run("plan", "edit", planned, "--key-worker-choice", "Sam, from school", "--json")
    assert r.code == 0 and r.json["key_worker_choice"] == "Sam, from school"
    shown = run("plan", "show", planned)
    assert "Sam, from school" in shown.out
