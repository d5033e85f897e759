"""`ehtool consent ...`: the consent ledger."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, make_app, store
from ehtool.commands.views.projections import consent_json
from ehtool.services.consent import record as do
from ehtool.services.consent import summary
from ehtool.term import output

app = make_app("Record and show a family's consent: to early help, to be discussed at panel, to share with agencies.")


@app.command("record")
def record(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference.", show_default=False)],
    type: Annotated[str, typer.Option("--type", help="early-help, panel, or share:AGENCY (e.g. 'share:School').")],
    status: Annotated[
        str,
        typer.Option(
            "--status", help="given, refused, withdrawn, or lawful-basis (sharing without consent; needs --reason)."
        ),
    ],
    date: Annotated[Optional[str], typer.Option("--date", help="When (default today).")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Who gave or refused it (e.g. 'mother').")] = None,
    how: Annotated[Optional[str], typer.Option("--how", help="How it was recorded (signed form, verbal...).")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Reason (required for lawful-basis).")] = None,
    member: Annotated[
        Optional[str], typer.Option("--member", help="A member whose consent differs from the family's.")
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Add a decision to the ledger (entries are never edited; the latest counts)."""

    result = do(
        store(ctx, db), family_id, type_=type, status=status, date=date, by=by, how=how, reason=reason, member=member
    )
    if json:
        output.emit_json(consent_json(result))
    else:
        output.message(f"Recorded {type} consent: {status}.")


@app.command("show")
def show(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference.", show_default=False)],
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """The current decision per type, then the whole ledger."""

    result = summary(store(ctx, db), family_id)
    if json:
        output.emit_json(consent_json(result))
        return
    output.emit_table(
        result["current"],
        [("type", "Consent"), ("member_id", "Member"), ("status", "Status"), ("date", "Since"), ("reason", "Reason")],
        title="Current",
        empty="No consent recorded yet.",
    )
    if result["ledger"]:
        output.emit_table(
            result["ledger"],
            [
                ("date", "Date"),
                ("type", "Consent"),
                ("member_id", "Member"),
                ("status", "Status"),
                ("given_by", "By"),
                ("how", "How"),
                ("recorded_by", "Recorded by"),
            ],
            title="Ledger",
        )
