"""`ehtool network ...`: the family's network, the people around the family who can help."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, make_app, store
from ehtool.commands.views.projections.network import network_json, network_list_json
from ehtool.services import network as service
from ehtool.term import output

app = make_app(
    "The family's network: relatives and people close to the child who can help (not members of the household)."
)


@app.command("add")
def add(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference.", show_default=False)],
    name: Annotated[str, typer.Option("--name", help="Their name.")],
    relationship: Annotated[
        str, typer.Option("--relationship", help="Who they are to the family: aunt, neighbour, football coach...")
    ],
    offer: Annotated[Optional[str], typer.Option("--offer", help="What they can offer.")] = None,
    contact: Annotated[Optional[str], typer.Option("--contact", help="How to reach them.")] = None,
    agreed: Annotated[
        bool, typer.Option("--agreed", help="They agreed to be part of the plan.", show_default=False)
    ] = False,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Add someone to the family's network."""
    row = service.add(
        store(ctx, db), family_id, name=name, relationship=relationship, offer=offer, contact=contact, agreed=agreed
    )
    if json:
        output.emit_json(network_json(row))
        return
    output.line(row["id"])
    output.message(f"Added {row['id']} ({row['relationship']}) to the network of {row['family_id']}.")


@app.command("list")
def list_(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference.", show_default=False)],
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """The people in a family's network."""
    result = service.list_for_family(store(ctx, db), family_id)
    if json:
        output.emit_json(network_list_json(result))
        return
    rows = [{**r, "agreed": "yes" if r["agreed"] else "no"} for r in result["network"]]
    output.emit_table(
        rows,
        [
            ("id", "Id"),
            ("name", "Name"),
            ("relationship", "Relationship"),
            ("offer", "Can offer"),
            ("contact", "Contact"),
            ("agreed", "Agreed to the plan"),
        ],
        empty=f"No one in the network of {result['family_id']} yet.",
    )


@app.command("remove")
def remove(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Their reference in the network, e.g. N000003.", show_default=False)],
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Remove someone from a family's network (audited)."""
    row = service.remove(store(ctx, db), person)
    if json:
        output.emit_json(network_json(row))
        return
    output.message(f"Removed {row['id']} from the network of {row['family_id']}.")
