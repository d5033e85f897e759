"""`ehtool plan ...`: One Family Plans: start, change, review, close, render."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, db_path, make_app, store
from ehtool.commands.plan_parts import FamilyArg, action_app, outcome_app, show_result, team_app
from ehtool.commands.views import projections as P
from ehtool.commands.views.plan import render_plan
from ehtool.documents.plans import list_templates
from ehtool.domain.families import parse_ref
from ehtool.errors import InvalidInput, UsageError
from ehtool.services import plan_documents
from ehtool.services import plans as planning
from ehtool.term import output
from ehtool.term.plan_flow import ask_closing_summary, ask_new_plan, ask_review
from ehtool.term.prompts import interactive

app = make_app("One Family Plans: start, change, review, close and render them.")
app.add_typer(outcome_app, name="outcome")
app.add_typer(action_app, name="action")
app.add_typer(team_app, name="team")

FromOpt = Annotated[
    Optional[Path],
    typer.Option("--from", help="A JSON, TOML or YAML file with the plan's fields (the keys of `plan show --json`)."),
]
Opt_lead = Annotated[Optional[str], typer.Option("--lead", help="Lead professional.")]
Opt_working_well = Annotated[Optional[str], typer.Option("--working-well", help="What is working well.")]
Opt_worries = Annotated[Optional[str], typer.Option("--worries", help="What we are worried about.")]
Opt_needs_to_happen = Annotated[Optional[str], typer.Option("--needs-to-happen", help="What needs to happen.")]
Opt_family_voice = Annotated[Optional[str], typer.Option("--family-voice", help="The family's own words.")]
Opt_child_voice = Annotated[Optional[str], typer.Option("--child-voice", help="The child's own words.")]
Opt_contingency = Annotated[Optional[str], typer.Option("--contingency", help="What happens if things don't improve.")]
Opt_review_date = Annotated[Optional[str], typer.Option("--review-date", help="Next review date.")]
Opt_date = Annotated[Optional[str], typer.Option("--date", help="Review date (default today).")]
Opt_notes = Annotated[Optional[str], typer.Option("--notes", help="What the review found.")]
Opt_next_review = Annotated[
    Optional[str], typer.Option("--next-review", help="Next review date (default: the profile's interval).")
]
Opt_note = Annotated[Optional[str], typer.Option("--note", help="More about why.")]
Opt_date_22 = Annotated[Optional[str], typer.Option("--date", help="Closure date (default today).")]


@app.command("new")
def new(ctx: typer.Context, family_id: FamilyArg, from_: FromOpt = None, json: JsonOpt = False, db: DbOpt = None):
    """Start the family's One Family Plan (interactive, or --from FILE). Needs an
    assessment below significant harm and consent to early help."""
    s = store(ctx, db)
    if from_ is not None:
        data = planning.read_plan_file(from_)
    else:
        planning.check_can_start(s, parse_ref(family_id))
        # the interactive plan starts from them; `plan.new` is what is audited (a cancelled one leaves no trace)
        data = ask_new_plan(planning.areas(s), planning.needs(s, family_id, audit_access=False))
    plan = planning.new_plan(s, family_id, data)
    if json:
        output.emit_json(P.plan_json(plan))
    else:
        output.line(plan["id"])
        output.message(f"Started {plan['id']} for {plan['family_id']}; review due {plan['review_date']}.")


@app.command("needs")
def needs(ctx: typer.Context, family_id: FamilyArg, json: JsonOpt = False, db: DbOpt = None):
    """What the latest assessment proposes for the plan: one outcome per outcome area its answers touched
    (per child for a child's own needs), and the family's and the children's words. --json is a plan file
    to edit and load with `plan new --from`."""
    result = planning.needs(store(ctx, db), family_id)
    if json:
        output.emit_json(P.plan_needs_json(result))
        return
    output.line(f"From {result['assessment_id']}: {len(result['outcomes'])} proposed outcome(s)")
    output.emit_table(result["outcomes"], [("area", "Area"), ("description", "What we want to achieve")], empty="")


@app.command("show")
def show(
    ctx: typer.Context,
    family_id: FamilyArg,
    version: Annotated[Optional[int], typer.Option("--version", min=1, help="Show an earlier version.")] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """The family's open plan (or latest closed one): outcomes, actions, reviews, progress."""
    plan = planning.show(store(ctx, db), family_id, version=version)
    if json:
        output.emit_json(P.plan_json(plan))
        return

    render_plan(plan)


@app.command("edit")
def edit(
    ctx: typer.Context,
    family_id: FamilyArg,
    from_: FromOpt = None,
    lead: Opt_lead = None,
    key_worker_choice: Annotated[
        Optional[str], typer.Option("--key-worker-choice", help="The family's choice of key worker, if offered one.")
    ] = None,
    working_well: Opt_working_well = None,
    worries: Opt_worries = None,
    needs_to_happen: Opt_needs_to_happen = None,
    family_voice: Opt_family_voice = None,
    child_voice: Opt_child_voice = None,
    contingency: Opt_contingency = None,
    review_date: Opt_review_date = None,
    share_with: Annotated[
        Optional[list[str]],
        typer.Option("--share-with", help="An agency the plan is shared with (repeat; replaces the list)."),
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Change the open plan's fields (only those passed), or replace them from a file. Saved as a new version."""
    changes = planning.read_plan_file(from_) if from_ else {}
    for key, value in (
        ("lead_professional", lead),
        ("key_worker_choice", key_worker_choice),
        ("working_well", working_well),
        ("worries", worries),
        ("needs_to_happen", needs_to_happen),
        ("family_voice", family_voice),
        ("child_voice", child_voice),
        ("contingency", contingency),
        ("review_date", review_date),
        ("share_with", share_with),
    ):
        if value is not None:
            changes[key] = value
    plan = planning.edit(store(ctx, db), family_id, changes)
    show_result(plan, json, f"Saved {plan['id']} version {plan['version']}.")


@app.command("review")
def review(
    ctx: typer.Context,
    family_id: FamilyArg,
    date: Opt_date = None,
    attended: Annotated[Optional[list[str]], typer.Option("--attended", help="Who attended (repeat).")] = None,
    score: Annotated[Optional[list[str]], typer.Option("--score", help="OUTCOME=SCORE, e.g. 1=6 (repeat).")] = None,
    done: Annotated[Optional[list[str]], typer.Option("--done", help="An action completed, e.g. 1.2 (repeat).")] = None,
    notes: Opt_notes = None,
    next_review: Opt_next_review = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Record a review: who attended, a score per outcome, actions done, notes, next review date."""

    scores = {}
    for item in score or []:
        if "=" not in item:
            raise InvalidInput(f"--score {item!r} should be OUTCOME=SCORE, e.g. --score 1=6.")
        oid, val = item.split("=", 1)
        scores[oid.strip()] = val.strip()
    s = store(ctx, db)
    if not (scores or attended or done or notes or date or next_review):
        # Nothing said on the command line: ask (on a terminal), or name the flags (in a script).

        current = planning.show_open(s, family_id)
        answers = ask_review(current, planning.next_review_default(s, date))
        attended, scores, done, notes = answers["attended"], answers["scores"], answers["done"], answers["notes"]
        next_review = next_review or answers["next_review"]
    plan = planning.review(
        s,
        family_id,
        date=date,
        attended=attended or [],
        scores=scores,
        done=done or [],
        notes=notes,
        next_review=next_review,
    )
    show_result(plan, json, f"Review recorded; next review {plan['review_date']}.")


@app.command("close")
def close(
    ctx: typer.Context,
    family_id: FamilyArg,
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help="needs-met, stepped-up, stepped-down, moved-away, consent-withdrawn or other (with --note).",
        ),
    ],
    note: Opt_note = None,
    date: Opt_date_22 = None,
    what_changed: Annotated[
        Optional[str], typer.Option("--what-changed", help="Closing summary: what changed.")
    ] = None,
    what_helped: Annotated[Optional[str], typer.Option("--what-helped", help="Closing summary: what helped.")] = None,
    family_says: Annotated[
        Optional[str], typer.Option("--family-says", help="Closing summary: what the family says now.")
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Close the open plan with a reason and a closing summary (what changed, what helped, what the family
    says now). On a terminal with no summary given, it asks for one (each part can be skipped)."""
    s = store(ctx, db)
    summary = {"what_changed": what_changed, "what_helped": what_helped, "family_says": family_says}
    if not any(summary.values()) and interactive():
        planning.check_close(s, family_id, reason, note)  # nothing asked for a close that cannot happen
        summary = ask_closing_summary()
    plan = planning.close(s, family_id, reason, note, date, summary)
    show_result(plan, json, f"Closed {plan['id']} ({plan['closed_reason']}).")


@app.command("render")
def render(
    ctx: typer.Context,
    family_id: Annotated[
        Optional[str], typer.Argument(help="Family reference (or use --all-open).", show_default=False)
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="md, html or docx.")] = "docx",
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", help="Output file (default: F000123-one-family-plan.EXT here).")
    ] = None,
    template: Annotated[
        str, typer.Option("--template", help="Template name (see `ehtool plan templates`).")
    ] = "one-family-plan",
    template_dir: Annotated[
        Optional[Path], typer.Option("--template-dir", help="Look here for templates first.")
    ] = None,
    all_open: Annotated[bool, typer.Option("--all-open", help="Render every open plan into --out-dir.")] = False,
    out_dir: Annotated[Optional[Path], typer.Option("--out-dir", help="Folder for --all-open.")] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Write the plan as a document a family would be given (file 0600, written whole or not at all)."""

    s = store(ctx, db)
    if all_open:
        if family_id or out:
            raise UsageError("--all-open renders every open plan: give --out-dir, not a family or --out.")
        if not out_dir:
            raise UsageError("--all-open needs --out-dir DIR.")
        progress = None
        if output.stderr_is_terminal():
            from rich.progress import track

            progress = lambda items: track(items, description="Rendering plans", console=output.err_console())  # noqa: E731
        result = plan_documents.render_all_open(
            s, format, out_dir, template=template, template_dir=template_dir, progress=progress
        )
        if json:
            output.emit_json(P.render_all_json(result))
            return
        for path in result["written"]:
            output.line(path)
        for skip in result["skipped"]:
            output.warn(f"{skip['family_id']}: {skip['reason']}")
        return
    if not family_id:
        raise UsageError("Give a family reference, or --all-open --out-dir DIR.")
    path = plan_documents.render(s, family_id, format, out, template=template, template_dir=template_dir)
    if json:
        output.emit_json(P.render_json(path, format))
    else:
        output.line(str(path))


@app.command("areas")
def areas(ctx: typer.Context, json: JsonOpt = False, db: DbOpt = None):
    """The outcome framework's areas (ids for --area and plan files)."""

    s = store(ctx, db) if db_path(ctx, db).exists() else None
    rows = planning.areas(s)
    if json:
        output.emit_json(P.areas_json(rows))
    else:
        output.emit_table(rows, [("id", "Id"), ("name", "Outcome area")])


@app.command("templates")
def templates(
    template_dir: Annotated[Optional[Path], typer.Option("--template-dir", help="Also look here first.")] = None,
    json: JsonOpt = False,
):
    """The plan templates available, and where each comes from."""

    rows = list_templates(template_dir)
    if json:
        output.emit_json(P.templates_json(rows))
    else:
        output.emit_table(
            [{**r, "note": "shadowed" if r.get("shadowed") else ""} for r in rows],
            [("name", "Name"), ("format", "Format"), ("source", "From"), ("path", "Path"), ("note", "")],
        )
