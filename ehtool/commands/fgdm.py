"""`ehtool fgdm ...`: family group decision-making, offered, answered and held."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, make_app, store
from ehtool.commands.views.projections.network import meeting_json, meeting_list_json
from ehtool.errors import UsageError
from ehtool.services import meetings as service
from ehtool.term import output

app = make_app(
    "Family group decision-making (a family group conference): offer it, record the family's answer, "
    "the meeting and the family's own plan."
)

FamilyArg = Annotated[str, typer.Argument(help="Family reference.", show_default=False)]
On = Annotated[Optional[str], typer.Option("--on", help="The date (default today).")]


def _done(row: dict, json: bool, said: str) -> None:
    if json:
        output.emit_json(meeting_json(row))
    else:
        output.line(row["id"])
        output.message(said)


@app.command("offer")
def offer(
    ctx: typer.Context,
    family_id: FamilyArg,
    on: On = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Who offered it.")] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Record that family group decision-making was offered."""
    row = service.offer(store(ctx, db), family_id, on=on, by=by)
    _done(row, json, f"Offered family group decision-making to {row['family_id']} on {row['offered_on']}.")


@app.command("answer")
def answer(
    ctx: typer.Context,
    family_id: FamilyArg,
    accepted: Annotated[
        Optional[bool], typer.Option("--accepted/--declined", help="The family's answer.", show_default=False)
    ] = None,
    on: On = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Record the family's answer to the offer: --accepted or --declined."""
    if accepted is None:
        raise UsageError("Say the family's answer: --accepted or --declined.")
    row = service.answer(store(ctx, db), family_id, accepted=accepted, on=on)
    _done(row, json, f"{row['family_id']} {row['response']} family group decision-making ({row['id']}).")


@app.command("held")
def held(
    ctx: typer.Context,
    family_id: FamilyArg,
    on: On = None,
    attended: Annotated[Optional[str], typer.Option("--attended", help="Who came.")] = None,
    family_plan: Annotated[
        Optional[str], typer.Option("--family-plan", help="The family's own plan from the meeting.")
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Record the meeting: when, who came, and the family's own plan (linked to the open plan)."""
    row = service.held(store(ctx, db), family_id, on=on, attended=attended, family_plan=family_plan)
    linked = f", linked to {row['plan_id']}" if row["plan_id"] else ""
    _done(row, json, f"Family group decision-making {row['id']} held on {row['held_on']}{linked}.")


@app.command("list")
def list_(ctx: typer.Context, family_id: FamilyArg, json: JsonOpt = False, db: DbOpt = None):
    """A family's family group decision-making, offered, answered and held."""
    result = service.list_for_family(store(ctx, db), family_id)
    if json:
        output.emit_json(meeting_list_json(result))
        return
    output.emit_table(
        result["meetings"],
        [
            ("id", "Id"),
            ("offered_on", "Offered"),
            ("offered_by", "By"),
            ("response", "Answer"),
            ("held_on", "Held"),
            ("attended", "Who came"),
            ("plan_id", "Plan"),
        ],
        empty=f"No family group decision-making offered to {result['family_id']} yet.",
    )
