"""`ehtool settings ...`: the partnership's settings held in the database."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, make_app, store
from ehtool.commands.views.projections import settings_json
from ehtool.services import settings as service
from ehtool.term import output

app = make_app("Show and change the partnership's settings: the front door's contact, the assessing organisation.")


def _show(result: dict, json: bool) -> None:
    if json:
        output.emit_json(settings_json(result))
        return
    door = result["front_door"]
    output.emit_record(
        {**result, "door": f"{door['name']}: {door['contact']}", "locs": ", ".join(result["localities"])},
        [
            ("profile_name", "Profile"),
            ("door", "Front door"),
            ("organisation", "Organisation"),
            ("locs", "Localities"),
            ("marking", "Marking"),
            ("framework", "Outcomes"),
        ],
    )
    if not result["front_door_configured"]:
        output.warn("the front door's contact is not configured: `ehtool settings front-door --contact TEXT`.")


@app.command("show")
def show(ctx: typer.Context, json: JsonOpt = False, db: DbOpt = None):
    """The settings this database holds."""
    _show(service.show(store(ctx, db)), json)


@app.command("front-door")
def front_door(
    ctx: typer.Context,
    contact: Annotated[
        Optional[str], typer.Option("--contact", help="How to reach the front door (phone, email, hours).")
    ] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="The front door's name, if it differs.")] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Set the front door's contact (shown in the significant-harm banner); audited."""
    _show(service.change(store(ctx, db), contact=contact, door_name=name), json)


@app.command("organisation")
def organisation(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The organisation completing assessments.", show_default=False)],
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Set the organisation completing assessments (Annex A); audited."""
    _show(service.change(store(ctx, db), organisation_name=name), json)
