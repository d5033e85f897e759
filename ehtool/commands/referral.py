"""`ehtool referral ...`: referrals to the front door and what came back."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, make_app, store
from ehtool.commands.views.projections import referral_json, referral_list_json
from ehtool.services import referrals as service
from ehtool.term import output

app = make_app(
    "Referrals to the front door: record one (the record a referral level calls for), its outcome, a family's list."
)

_COLUMNS = [
    ("id", "Referral"),
    ("date", "Date"),
    ("to", "To"),
    ("members", "Children"),
    ("reference", "Reference"),
    ("outcome_text", "Outcome"),
]


@app.command("record")
def record(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference.", show_default=False)],
    to: Annotated[str, typer.Option("--to", help="front-door, social-care or other-service.")],
    member: Annotated[
        Optional[list[str]],
        typer.Option(
            "--member",
            help="A child the referral is about (repeat for each; default: the children at a referral level "
            "in the latest assessment, else every child).",
        ),
    ] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="When it was made (default today).")] = None,
    reference: Annotated[
        Optional[str], typer.Option("--reference", help="The front door's reference (e.g. the MARF number).")
    ] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why the family was referred.")] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Record a referral to the front door (or another service)."""
    result = service.record(
        store(ctx, db), family_id, to=to, members=member, date=date, reference=reference, reason=reason
    )
    if json:
        output.emit_json(referral_json(result))
        return
    output.line(result["id"])
    children = ", ".join(result["member_ids"]) or "no child named"
    output.message(f"Recorded referral {result['id']} to {result['to']} on {result['date']} ({children}).")


@app.command("outcome")
def outcome(
    ctx: typer.Context,
    referral_id: Annotated[str, typer.Argument(help="Referral reference, e.g. R000001.", show_default=False)],
    outcome: Annotated[str, typer.Option("--outcome", help="accepted, nfa, stepped-down, signposted or other.")],
    date: Annotated[Optional[str], typer.Option("--date", help="When it came back (default today).")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What the front door said.")] = None,
    level: Annotated[
        Optional[str],
        typer.Option("--level", help="stepped-down only: the early help level to return to (default the highest one)."),
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Record what came back; stepped-down brings the family back to early help."""
    result = service.outcome(store(ctx, db), referral_id, outcome=outcome, date=date, note=note, level=level)
    if json:
        output.emit_json(referral_json(result))
        return
    output.message(f"Recorded the outcome of {result['id']}: {result['outcome_label']}.")
    if result["stepped_down_to"]:
        output.message(
            f"{result['family_id']} is back at early help (level {result['stepped_down_to']}): "
            f"a plan is now expected (`ehtool plan new {result['family_id']}`)."
        )


@app.command("list")
def list_(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference.", show_default=False)],
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """A family's referrals, oldest first, with their outcomes."""
    result = service.for_family(store(ctx, db), family_id)
    if json:
        output.emit_json(referral_list_json(result))
        return
    rows = [
        {
            **r,
            "members": ", ".join(r["member_ids"]),
            "outcome_text": f"{r['outcome']} ({r['outcome_date']})" if r["outcome"] else "awaiting",
        }
        for r in result["referrals"]
    ]
    output.emit_table(rows, _COLUMNS, empty="No referrals recorded.")
