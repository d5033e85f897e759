"""`ehtool assess ...`: the threshold questionnaire and its results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, make_app, store
from ehtool.commands.views.assess import harm_after, harm_banner, render_result
from ehtool.commands.views.projections import assessment_json
from ehtool.errors import SIGNIFICANT_HARM
from ehtool.services import assessments as assessing
from ehtool.services.assessments import list_for_family, show_one
from ehtool.services.consent import early_help_consent
from ehtool.services.settings import organisation as default_organisation
from ehtool.services.settings import profile
from ehtool.term import output, questionnaire

app = make_app(
    "Place each child and the family on the continuum of need: run the questionnaire, complete, list and show "
    "assessments."
)


@app.command("run")
def run(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference, e.g. F000123.", show_default=False)],
    answers: Annotated[
        Optional[Path],
        typer.Option(
            "--answers",
            help="JSON or TOML file: children {M...: {indicators, child_view}}, household {indicators, affects}, "
            "family_view, notes, override {level, reason}, started_on, completed_on, organisation (no prompts).",
        ),
    ] = None,
    start: Annotated[
        bool, typer.Option("--start", help="Open the assessment to finish later with `ehtool assess complete`.")
    ] = False,
    organisation: Annotated[
        Optional[str],
        typer.Option("--organisation", help="The organisation completing it (default: `ehtool settings`)."),
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Run the questionnaire (interactive), or score an answers file (scripted); each
    child gets a level and the family the highest. Exits 10 when significant harm is indicated."""
    s = store(ctx, db)
    if answers is not None:
        record = assessing.run_scripted(s, family_id, answers, start=start, organisation=organisation)
    else:
        prof, kids = assessing.profile_for(s, family_id)
        values = questionnaire.ask(prof, kids, on_harm=harm_banner, show_result=render_result, complete=not start)
        if organisation or not values.get("organisation"):
            values["organisation"] = organisation or default_organisation(s)
        record = assessing.save(s, family_id, values)
    if answers is not None and record["significant_harm"]:
        harm_after(profile(s), record, _names(s, family_id))
    _saved(s, record, json)


def _names(s, family_id: str) -> dict[str, str]:
    """First names for the banner, only for a person at a terminal (references only in logs)."""
    return assessing.names_of(s, family_id) if output.stderr_is_terminal() else {}


def _saved(s, record: dict, json: bool) -> None:
    if json:
        output.emit_json(assessment_json(record))
    else:
        output.line(record["id"])
        state = "Started" if record["status"] == "open" else "Saved"
        output.message(
            f"{state} {record['id']} for {record['family_id']}: {record['level_name']}"
            + (f" ({record['movement']})" if record.get("movement") else "")
            + "."
        )
        for child in record["children"]:
            output.message(
                f"  {child['member_id']}: {child['level_name']}"
                + (f" ({child['movement']})" if child.get("movement") else "")
            )
        _next_step(s, record)
    if record["significant_harm"]:
        raise typer.Exit(SIGNIFICANT_HARM)


def _next_step(s, record: dict) -> None:
    if record["status"] == "open":
        output.message(f"Complete it with `ehtool assess complete {record['id']}`.")
    elif record["route"] == "referral" and not record["significant_harm"]:
        output.message(
            f"{record['level_name']} routes to a referral: record it with "
            f"`ehtool referral record {record['family_id']} --to front-door`."
        )
    elif not record["significant_harm"] and early_help_consent(s, record["family_id"]) is None:
        output.message(
            "Consent to early help is not recorded yet: "
            f"`ehtool consent record {record['family_id']} --type early-help --status given`."
        )


@app.command("complete")
def complete(
    ctx: typer.Context,
    assessment_id: Annotated[str, typer.Argument(help="Assessment reference, e.g. A000012.", show_default=False)],
    answers: Annotated[
        Optional[Path],
        typer.Option("--answers", help="The final answers (default: the answers saved when it was started)."),
    ] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Completion date (default today).")] = None,
    organisation: Annotated[
        Optional[str], typer.Option("--organisation", help="The organisation completing it.")
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Complete an assessment opened with `assess run --start`; it then places the family.
    Exits 10 when significant harm is indicated."""
    s = store(ctx, db)
    record = assessing.complete(s, assessment_id, answers_path=answers, on=date, organisation=organisation)
    if record["significant_harm"]:
        harm_after(profile(s), record, _names(s, record["family_id"]))
    _saved(s, record, json)


@app.command("list")
def list_(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference.", show_default=False)],
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """A family's assessments, oldest first, with step-ups and step-downs."""

    rows = list_for_family(store(ctx, db), family_id)
    if json:
        output.emit_json([assessment_json(r) for r in rows])
        return
    for r in rows:
        r["flags"] = ", ".join(
            x
            for x in (
                "SIGNIFICANT HARM" if r["significant_harm"] else "",
                f"judged {r['override_direction']}" if r["override_direction"] else "",
                r["movement"] or "",
            )
            if x
        )
    output.emit_table(
        rows,
        [
            ("id", "Assessment"),
            ("assessed_on", "Date"),
            ("level_name", "Level"),
            ("flags", "Notes"),
            ("assessor", "By"),
        ],
        empty="No assessments yet.",
    )


@app.command("show")
def show(
    ctx: typer.Context,
    assessment_id: Annotated[str, typer.Argument(help="Assessment reference, e.g. A000012.", show_default=False)],
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """One assessment: level, indicators, explanation, views, judgement."""

    s = store(ctx, db)
    record = show_one(s, assessment_id)
    if json:
        output.emit_json(assessment_json(record))
        return
    output.emit_record(
        record,
        [
            ("id", "Assessment"),
            ("family_id", "Family"),
            ("status", "Status"),
            ("started_on", "Started"),
            ("completed_on", "Completed"),
            ("organisation", "Organisation"),
            ("level_name", "Level"),
            ("computed_level_name", "Threshold result"),
            ("override_reason", "Judgement reason"),
            ("movement", "Movement"),
            ("family_view", "Family's view"),
            ("child_view", "Child's words"),
            ("notes", "Notes"),
            ("assessor", "Assessed by"),
        ],
    )
    if record["significant_harm"]:
        door = record["front_door"]
        harmed = ", ".join(c["member_id"] for c in record["children"] if c["significant_harm"])
        output.line(
            "SIGNIFICANT HARM INDICATED"
            + (f" ({harmed})" if harmed else "")
            + f": contact {door['name']}"
            + (f": {door['contact']}" if record["front_door_configured"] else " (its contact is not configured)")
        )
    if record["children"]:
        output.heading("Children")
        for c in record["children"]:
            output.line(
                f"  {c['member_id']}: {c['level_name']}"
                + ("  SIGNIFICANT HARM" if c["significant_harm"] else "")
                + (f" ({c['movement']})" if c["movement"] else "")
                + (f"; indicators: {', '.join(c['indicators'])}" if c["indicators"] else "")
                + (f"; judged {c['override_direction']}: {c['override_reason']}" if c["override_direction"] else "")
            )
            if c["child_view"]:
                output.line(f"    In their words: {c['child_view']}")
    output.heading("Why")
    for e in record["explanation"]:
        if e["kind"] != "child":
            output.line(f"  - {e['text']}")
