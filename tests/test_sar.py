"""The subject access export: everything held, hostile text kept literally in JSON
and escaped in HTML, private files, audited, and --member restricting."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from conftest import snapshot
from ehtool.documents.profiles import load_profile

CROYDON = load_profile("croydon")
L2A = next(i.id for i in CROYDON.indicators if i.level == "2a")
HOSTILE = "Tom & Jerry <b> [bold]x[/bold] =1+1 👶 {{ 7*7 }} </td><script>alert(1)</script>"
SECTIONS = {
    "subject_access_export",
    "household",
    "members",
    "assessments",
    "referrals",
    "consent_ledger",
    "plans",
    "panel_items",
    "network",
    "family_group_meetings",
    "retention",
    "audit",
}


@pytest.fixture
def held(run, family, tmp_path):
    """The conftest family with an assessment, consent (family and per member), a plan
    with a review, and a panel decision, hostile text throughout."""
    shown = run("family", "show", family, "--json").json
    child, parent = (m["id"] for m in sorted(shown["members"], key=lambda m: m["role"]))
    assert run("family", "edit", family, "--notes", HOSTILE).code == 0
    assert run("member", "edit", parent, "--nhs-number", "943 476 5919").code == 0
    (tmp_path / "a.json").write_text(json.dumps({"indicators": [L2A], "family_view": HOSTILE}))
    assert run("assess", "run", family, "--answers", tmp_path / "a.json").code == 0
    assert (
        run("consent", "record", family, "--type", "early-help", "--status", "given", "--by", "Jo Testwood").code == 0
    )
    assert (
        run(
            "consent",
            "record",
            family,
            "--type",
            "share:School",
            "--status",
            "refused",
            "--member",
            parent,
            "--reason",
            "Parent's own decision",
        ).code
        == 0
    )
    assert run("consent", "record", family, "--type", "panel", "--status", "given").code == 0
    assert run("consent", "record", family, "--type", "share:Health", "--status", "given", "--member", child).code == 0
    plan = {
        "lead_professional": "Pat Lead",
        "worries": HOSTILE,
        "needs_to_happen": "Calm mornings",
        "outcomes": [
            {
                "area": "education",
                "description": "Attend every day",
                "baseline": 3,
                "target": 8,
                "actions": [{"what": "Routine chart", "who": "Parent", "due": "2026-12-10"}],
            }
        ],
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    assert run("plan", "new", family, "--from", tmp_path / "plan.json").code == 0
    assert run("plan", "review", family, "--date", "2026-11-01", "--score", "1=6", "--notes", HOSTILE).code == 0
    assert run("panel", "schedule", "--locality", "north", "--date", "2026-12-03", "--chair", "Chair Person").code == 0
    assert run("panel", "add", family, "--reason", "review", "--date", "2026-12-03", "--notes", HOSTILE).code == 0
    assert (
        run("panel", "decide", family, "--decision", "allocate", "--notes", HOSTILE, "--allocated-to", "Team A").code
        == 0
    )
    return {"family": family, "child": child, "parent": parent}


def test_sar_holds_everything(run, held, tmp_path):
    out = tmp_path / "sar"
    r = run("family", "sar", held["family"], "--out", out)
    assert r.code == 0, r.err
    paths = r.out.split()
    assert [p.rsplit(".", 1)[1] for p in paths] == ["json", "html"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for p in paths:
        assert stat.S_IMODE(os.stat(p).st_mode) == 0o600
    assert not list(out.glob(".*.part"))
    data = json.loads(Path(paths[0]).read_text(encoding="utf-8"))
    assert set(data) == SECTIONS
    assert data["household"]["id"] == held["family"] and data["household"]["notes"] == HOSTILE
    assert data["household"]["name"] == "Testwood family"
    assert {m["name"] for m in data["members"]} == {"Rowan Testwood", "Jo Testwood"}
    assert any(m["nhs_number"] == "9434765919" for m in data["members"])
    assert len(data["assessments"]) == 1 and data["assessments"][0]["family_view"] == HOSTILE
    assert {c["type"] for c in data["consent_ledger"]} == {"early-help", "share:School", "panel", "share:Health"}
    plan = data["plans"][0]
    assert plan["worries"] == HOSTILE
    assert len(plan["versions"]) == plan["version"] >= 2
    assert [v["version"] for v in plan["versions"]] == list(range(1, plan["version"] + 1))
    assert plan["versions"][0]["content"]["worries"] == HOSTILE
    assert len(plan["reviews"]) == 1 and plan["reviews"][0]["notes"] == HOSTILE
    item = data["panel_items"][0]
    assert (item["decision"], item["decision_notes"], item["notes"]) == ("allocate", HOSTILE, HOSTILE)
    assert item["date"] == "2026-12-03" and item["allocated_to"] == "Team A"
    actions = {e["action"] for e in data["audit"]}
    assert {
        "family.add",
        "member.add",
        "consent.record",
        "assessment.add",
        "plan.new",
        "plan.review",
        "panel.add",
        "panel.decide",
        "family.edit",
    } <= actions
    edit = next(e for e in data["audit"] if e["action"] == "family.edit")
    assert edit["values"]["notes"][1] == HOSTILE
    assert data["retention"]["status"] == "open" and data["retention"]["legal_hold"] is False
    assert data["subject_access_export"]["member_id"] is None

    page = Path(paths[1]).read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>" not in page and "</td><script>" not in page
    assert "Tom &amp; Jerry &lt;b&gt; [bold]x[/bold] =1+1 👶 {{ 7*7 }}" in page
    assert "Testwood family" in page and "OFFICIAL-SENSITIVE" in page
    for title in (
        "Household",
        "Members",
        "Assessments",
        "Consent ledger",
        "One Family Plans",
        "Panels, their decisions",
        "Audit trail",
    ):
        assert title in page


def test_sar_is_audited_as_access(run, held, tmp_path):
    r = run("family", "sar", held["family"], "--out", tmp_path / "sar", "--json")
    assert r.code == 0, r.err
    entries = run("audit", "--family", held["family"], "--action", "family.sar", "--json").json
    assert len(entries) == 1 and entries[0]["kind"] == "access"
    assert entries[0]["values"]["files"] == [p.rsplit("/", 1)[1] for p in (r.json["json"], r.json["html"])]
    assert entries[0]["values"]["member"] is None
    assert run("audit", "verify").code == 0


def test_member_restricts(run, held, tmp_path):
    r = run("family", "sar", held["family"], "--member", held["child"], "--out", tmp_path / "c", "--json")
    assert r.code == 0, r.err
    assert held["child"] in r.json["json"]
    data = json.loads(Path(r.json["json"]).read_text(encoding="utf-8"))
    assert data["subject_access_export"]["member_id"] == held["child"]
    assert [m["id"] for m in data["members"]] == [held["child"]]
    assert data["household"]["id"] == held["family"]  # the family as a whole is included
    assert {c["member_id"] for c in data["consent_ledger"]} == {None, held["child"]}
    assert {c["type"] for c in data["consent_ledger"]} == {"early-help", "panel", "share:Health"}
    assert data["plans"] and data["assessments"] and data["panel_items"]  # family-level records
    text = json.dumps(data, ensure_ascii=False)
    assert "Jo Testwood" not in text.replace('"given_by": "Jo Testwood"', "")  # only as who gave family consent
    assert "9434765919" not in text and "Parent's own decision" not in text
    member_entries = [e for e in data["audit"] if e["entity"] == "member"]
    assert member_entries and {e["entity_id"] for e in member_entries} == {held["child"]}
    entry = run("audit", "--action", "family.sar", "--json").json[-1]
    assert entry["values"]["member"] == held["child"]

    r = run("family", "sar", held["family"], "--member", held["parent"], "--out", tmp_path / "p", "--json")
    data = json.loads(Path(r.json["json"]).read_text(encoding="utf-8"))
    assert [m["nhs_number"] for m in data["members"]] == ["9434765919"]
    assert "Parent's own decision" in json.dumps(data, ensure_ascii=False)


def test_sar_mistakes(run, held, initdb, tmp_path):
    other = run("family", "add", "--name", "Elsewhere family").out.strip()
    stranger = run(
        "member", "add", other, "--name", "Al Elsewhere", "--role", "child", "--dob", "2019-01-01"
    ).out.strip()
    before = snapshot(initdb)
    assert run("family", "sar", held["family"], "--member", stranger, "--out", tmp_path / "x").code == 4
    assert run("family", "sar", "F999999", "--out", tmp_path / "x").code == 3
    assert run("family", "sar", held["family"]).code == 2  # --out is required
    (tmp_path / "afile").write_text("")
    assert run("family", "sar", held["family"], "--out", tmp_path / "afile").code == 4
    assert snapshot(initdb) == before
