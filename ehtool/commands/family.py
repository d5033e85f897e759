"""`ehtool family ...`: the family register."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ehtool.commands.common import CsvOpt, DbOpt, JsonOpt, RawCsvOpt, given, make_app, store
from ehtool.commands.family_sar import sar
from ehtool.commands.views import projections as P
from ehtool.commands.views.family import render_family
from ehtool.services.families import add_family, close_family, edit_family, list_families, reopen_family, show_family
from ehtool.services.imports import import_file
from ehtool.term import output

app = make_app("Register, find, show, edit, close and import families.")

FamilyArg = Annotated[str, typer.Argument(help="Family reference, e.g. F000123.", show_default=False)]
Name = Annotated[Optional[str], typer.Option("--name", help="Family name or label, e.g. 'Okafor family'.")]
Address = Annotated[Optional[str], typer.Option("--address", help="Household address.")]
Postcode = Annotated[Optional[str], typer.Option("--postcode", help="UK postcode, e.g. CR0 1AB.")]
Locality = Annotated[Optional[str], typer.Option("--locality", help="Locality (one of the profile's).")]
Language = Annotated[Optional[str], typer.Option("--language", help="Main language at home.")]
Interpreter = Annotated[
    Optional[bool],
    typer.Option("--interpreter/--no-interpreter", help="Whether an interpreter is needed.", show_default=False),
]
Source = Annotated[Optional[str], typer.Option("--referral-source", help="Who referred (school, GP, self...).")]
RefDate = Annotated[Optional[str], typer.Option("--referral-date", help="YYYY-MM-DD or DD/MM/YYYY.")]
Reason = Annotated[Optional[str], typer.Option("--referral-reason", help="Why the family was referred.")]
Lead = Annotated[Optional[str], typer.Option("--lead", help="Lead professional.")]
Notes = Annotated[Optional[str], typer.Option("--notes", help="Free-text notes.")]
AllowDup = Annotated[bool, typer.Option("--allow-duplicate", help="Register even if it looks like an existing family.")]

WARNINGS_SHOWN = 50


@app.command("add")
def add(
    ctx: typer.Context,
    name: Name = None,
    address: Address = None,
    postcode: Postcode = None,
    locality: Locality = None,
    language: Language = None,
    interpreter: Interpreter = None,
    referral_source: Source = None,
    referral_date: RefDate = None,
    referral_reason: Reason = None,
    lead: Lead = None,
    notes: Notes = None,
    allow_duplicate: AllowDup = False,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Register a household. Prints its new reference (e.g. F000123)."""

    values = given(
        name=name or "",
        address=address,
        postcode=postcode,
        locality=locality,
        language=language,
        interpreter=interpreter,
        referral_source=referral_source,
        referral_date=referral_date,
        referral_reason=referral_reason,
        lead=lead,
        notes=notes,
    )
    record = add_family(store(ctx, db), values, allow_duplicate=allow_duplicate)
    if json:
        output.emit_json(P.family_json(record))
    else:
        output.line(record["id"])
        output.message(f"Registered {record['id']}. Add members with `ehtool member add {record['id']} ...`.")


@app.command("list")
def list_(
    ctx: typer.Context,
    locality: Annotated[Optional[str], typer.Option("--locality", help="Only this locality.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="open or closed.")] = None,
    level: Annotated[
        Optional[str], typer.Option("--level", help="Only families whose current level is this level id.")
    ] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", help="Lead professional (part of the name).")] = None,
    search: Annotated[
        Optional[str], typer.Option("--search", "-s", help="Text in family or member names, or a reference.")
    ] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="At most this many.")] = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
    raw_csv: RawCsvOpt = False,
    db: DbOpt = None,
):
    """List families, newest last. Filters combine."""

    rows = list_families(
        store(ctx, db), locality=locality, status=status, level=level, lead=lead, search=search, limit=limit
    )
    if json:
        output.emit_json(P.family_list_json(rows))
    elif csv or raw_csv:
        output.emit_csv(
            rows,
            ["id", "name", "postcode", "locality", "status", "level", "lead", "referral_date", "member_count"],
            raw=raw_csv,
        )
    else:
        output.emit_table(
            rows,
            [
                ("id", "Reference"),
                ("name", "Family"),
                ("locality", "Locality"),
                ("status", "Status"),
                ("level", "Level"),
                ("lead", "Lead professional"),
                ("member_count", "Members"),
            ],
            empty="No families match.",
        )


@app.command("show")
def show(ctx: typer.Context, family_id: FamilyArg, json: JsonOpt = False, db: DbOpt = None):
    """Show a family: household, members with ages, and what is attached to it."""

    record = show_family(store(ctx, db), family_id)
    if json:
        output.emit_json(P.family_show_json(record))
        return

    render_family(record)


@app.command("edit")
def edit(
    ctx: typer.Context,
    family_id: FamilyArg,
    name: Name = None,
    address: Address = None,
    postcode: Postcode = None,
    locality: Locality = None,
    language: Language = None,
    interpreter: Interpreter = None,
    referral_source: Source = None,
    referral_date: RefDate = None,
    referral_reason: Reason = None,
    lead: Lead = None,
    notes: Notes = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Change a family's details. Only the flags you pass change."""

    values = given(
        name=name,
        address=address,
        postcode=postcode,
        locality=locality,
        language=language,
        interpreter=interpreter,
        referral_source=referral_source,
        referral_date=referral_date,
        referral_reason=referral_reason,
        lead=lead,
        notes=notes,
    )
    record, changed = edit_family(store(ctx, db), family_id, values)
    if json:
        output.emit_json(P.family_json(record))
    else:
        output.message(
            f"{record['id']}: changed {', '.join(changed)}." if changed else f"{record['id']}: nothing changed."
        )


@app.command("close")
def close(
    ctx: typer.Context,
    family_id: FamilyArg,
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help="needs-met, stepped-up, stepped-down, moved-away, "
            "consent-withdrawn, no-further-action, duplicate, or other text.",
        ),
    ],
    date: Annotated[Optional[str], typer.Option("--date", help="Closure date (default today).")] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Close a family's episode of early help, with a reason."""

    record = close_family(store(ctx, db), family_id, reason, date)
    if json:
        output.emit_json(P.family_json(record))
    else:
        output.message(f"Closed {record['id']} ({record['closed_reason']}).")


@app.command("reopen")
def reopen(ctx: typer.Context, family_id: FamilyArg, json: JsonOpt = False, db: DbOpt = None):
    """Reopen a closed family (a re-referral)."""

    record = reopen_family(store(ctx, db), family_id)
    if json:
        output.emit_json(P.family_json(record))
    else:
        output.message(f"Reopened {record['id']}.")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="CSV, TSV, JSON or xlsx file (layout in the README).", show_default=False)
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and report; write nothing.")] = False,
    allow_duplicate: AllowDup = False,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Load families (and members) from a file: every row is checked first, and
    one bad row means nothing is written."""

    with output.progress() as report:
        result = import_file(store(ctx, db), file, dry_run=dry_run, allow_duplicate=allow_duplicate, on_progress=report)
    if json:
        output.emit_json(P.import_json(result))
        return
    warnings = result["warnings"]
    for w in warnings[:WARNINGS_SHOWN]:
        output.warn(w)
    if len(warnings) > WARNINGS_SHOWN:
        output.warn(f"... and {len(warnings) - WARNINGS_SHOWN} more (`--json` lists them all).")
    verb = "Would import" if dry_run else "Imported"
    output.message(f"{verb} {result['families']} families and {result['members']} members from {result['rows']} rows.")
    if result["first_id"] and not dry_run:
        output.line(f"{result['first_id']}..{result['last_id']}")


app.command("sar")(sar)
