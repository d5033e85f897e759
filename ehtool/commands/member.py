"""`ehtool member ...`: the people in a household."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, given, make_app, store
from ehtool.commands.views.projections import member_json
from ehtool.services.families import add_member, edit_member, remove_member
from ehtool.term import output

app = make_app("Add, edit and remove the members of a household.")

MemberArg = Annotated[str, typer.Argument(help="Member reference, e.g. M000045.", show_default=False)]
Name = Annotated[Optional[str], typer.Option("--name", help="Full name.")]
Role = Annotated[Optional[str], typer.Option("--role", help="child, parent, carer, other-adult or unborn.")]
Dob = Annotated[Optional[str], typer.Option("--dob", help="Date of birth, YYYY-MM-DD or DD/MM/YYYY.")]
Due = Annotated[Optional[str], typer.Option("--due-date", help="Expected due date (unborn child).")]
Gender = Annotated[Optional[str], typer.Option("--gender", help="Gender, as the person describes it.")]
Ethnicity = Annotated[Optional[str], typer.Option("--ethnicity", help="Ethnicity (census categories).")]
Nhs = Annotated[Optional[str], typer.Option("--nhs-number", help="NHS number (10 digits; checked).")]
Upn = Annotated[Optional[str], typer.Option("--upn", help="Unique Pupil Number (checked).")]
School = Annotated[Optional[str], typer.Option("--school", help="School or early years setting.")]
Send = Annotated[
    Optional[bool],
    typer.Option("--send/--no-send", help="Special educational needs or disability.", show_default=False),
]
Ehcp = Annotated[
    Optional[bool], typer.Option("--ehcp/--no-ehcp", help="Has an Education, Health and Care Plan.", show_default=False)
]
Carer = Annotated[
    Optional[bool], typer.Option("--young-carer/--no-young-carer", help="Is a young carer.", show_default=False)
]


@app.command("add")
def add(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference, e.g. F000123.", show_default=False)],
    name: Name = None,
    role: Role = None,
    dob: Dob = None,
    due_date: Due = None,
    gender: Gender = None,
    ethnicity: Ethnicity = None,
    nhs_number: Nhs = None,
    upn: Upn = None,
    school: School = None,
    send: Send = None,
    ehcp: Ehcp = None,
    young_carer: Carer = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Add even if they look already registered.")
    ] = False,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Add a person to a household. Prints the member's reference."""

    values = given(
        name=name or "",
        role=role or "",
        dob=dob,
        due_date=due_date,
        gender=gender,
        ethnicity=ethnicity,
        nhs_number=nhs_number,
        upn=upn,
        school=school,
        send=send,
        ehcp=ehcp,
        young_carer=young_carer,
    )
    record, warnings = add_member(store(ctx, db), family_id, values, allow_duplicate=allow_duplicate)
    for w in warnings:
        output.warn(w)
    if json:
        output.emit_json(member_json(record))
    else:
        output.line(record["id"])
        output.message(f"Added {record['id']} to {record['family_id']}.")


@app.command("edit")
def edit(
    ctx: typer.Context,
    member_id: MemberArg,
    name: Name = None,
    role: Role = None,
    dob: Dob = None,
    due_date: Due = None,
    gender: Gender = None,
    ethnicity: Ethnicity = None,
    nhs_number: Nhs = None,
    upn: Upn = None,
    school: School = None,
    send: Send = None,
    ehcp: Ehcp = None,
    young_carer: Carer = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Change even if the new details match another registered person.")
    ] = False,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Change a member's details. Only the flags you pass change."""

    values = given(
        name=name,
        role=role,
        dob=dob,
        due_date=due_date,
        gender=gender,
        ethnicity=ethnicity,
        nhs_number=nhs_number,
        upn=upn,
        school=school,
        send=send,
        ehcp=ehcp,
        young_carer=young_carer,
    )
    record, changed, warnings = edit_member(store(ctx, db), member_id, values, allow_duplicate=allow_duplicate)
    for w in warnings:
        output.warn(w)
    if json:
        output.emit_json(member_json(record))
    else:
        output.message(
            f"{record['id']}: changed {', '.join(changed)}." if changed else f"{record['id']}: nothing changed."
        )


@app.command("remove")
def remove(ctx: typer.Context, member_id: MemberArg, json: JsonOpt = False, db: DbOpt = None):
    """Remove a person from a household (recorded in the audit trail)."""

    record = remove_member(store(ctx, db), member_id)
    if json:
        output.emit_json(member_json(record))
    else:
        output.message(f"Removed {record['id']} from {record['family_id']}.")
