"""`ehtool assess ...`: the threshold questionnaire and its results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, make_app, store
from ehtool.commands.views.assess import harm_banner, render_result
from ehtool.commands.views.projections import assessment_json
from ehtool.errors import SIGNIFICANT_HARM
from ehtool.services import assessments as assessing
from ehtool.services.assessments import list_for_family, show_one
from ehtool.services.consent import early_help_consent
from ehtool.services.settings import profile
from ehtool.term import output, questionnaire

app = make_app("Place a family on the continuum of need: run the questionnaire, list and show assessments.")


@app.command("run")
def run(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference, e.g. F000123.", show_default=False)],
    answers: Annotated[
        Optional[Path],
        typer.Option(
            "--answers",
            help="JSON or TOML file: indicators, family_view, "
            "child_view, notes, override {level, reason} (no prompts).",
        ),
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Run the questionnaire (interactive), or score an answers file (scripted).
    Exits 10 when significant harm is indicated."""
    s = store(ctx, db)
    if answers is not None:
        record = assessing.run_scripted(s, family_id, answers)
        if record["significant_harm"]:
            harm_banner(
                _profile(s),
                [_profile(s).indicator(i) for i in record["indicators"] if _profile(s).indicator(i).significant_harm],
            )
    else:
        values = questionnaire.ask(assessing.profile_for(s, family_id), on_harm=harm_banner, show_result=render_result)
        record = assessing.save(s, family_id, values)
    if json:
        output.emit_json(assessment_json(record))
    else:
        output.line(record["id"])
        output.message(
            f"Saved {record['id']} for {record['family_id']}: {record['level_name']}"
            + (f" ({record['movement']})" if record.get("movement") else "")
            + "."
        )
        if not record["significant_harm"]:
            if early_help_consent(s, family_id) is None:
                output.message(
                    "Consent to early help is not recorded yet: "
                    f"`ehtool consent record {record['family_id']} --type early-help --status given`."
                )
    if record["significant_harm"]:
        raise typer.Exit(SIGNIFICANT_HARM)


def _profile(s):

    return profile(s)


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
            ("assessed_on", "Date"),
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
        output.line(
            f"SIGNIFICANT HARM INDICATED: contact {record['front_door']['name']}: {record['front_door']['contact']}"
        )
    output.heading("Why")
    for e in record["explanation"]:
        output.line(f"  - {e['text']}")
