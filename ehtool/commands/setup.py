"""`ehtool init` and `ehtool demo`: the top-level commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, app_state, db_path
from ehtool.commands.views.demo import TerminalTour
from ehtool.commands.views.projections import init_json
from ehtool.services.demo import run_demo
from ehtool.services.settings import init as do_init
from ehtool.term import output


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)


def init(
    ctx: typer.Context,
    profile: Annotated[
        str,
        typer.Option(
            "--profile",
            help="Threshold profile: london (default), croydon, sutton, "
            "merton, southwark, families-first, or a path to your own .toml.",
        ),
    ] = "london",
    locality: Annotated[
        Optional[list[str]], typer.Option("--locality", help="A locality (repeat for each); default: the profile's.")
    ] = None,
    marking: Annotated[
        Optional[str],
        typer.Option("--marking", help="Protective marking on documents and agendas (default OFFICIAL-SENSITIVE)."),
    ] = None,
    front_door_contact: Annotated[
        Optional[str],
        typer.Option(
            "--front-door-contact",
            help="How to reach the front door (shown in the significant-harm banner); "
            "later: `ehtool settings front-door`.",
        ),
    ] = None,
    organisation: Annotated[
        Optional[str], typer.Option("--organisation", help="The organisation completing assessments.")
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Create the database (file 0600 in a 0700 folder) for a partnership's profile."""

    result = do_init(
        db_path(ctx, db),
        profile_name=profile,
        localities_override=locality,
        marking_text=marking,
        allow_unsafe=app_state(ctx).allow_unsafe,
        front_door_contact=front_door_contact,
        organisation_name=organisation,
    )
    result.pop("store").close()
    if result["warning"]:
        output.warn(result["warning"])
    if json:
        output.emit_json(init_json(result))
        return
    output.line(result["db"])
    locs = ", ".join(result["localities"]) or "none yet (pass --locality)"
    output.message(f"Created the database for {result['profile_name']} (localities: {locs}).")


def demo(
    dir: Annotated[
        Optional[Path],
        typer.Option("--dir", help="Folder for the demo database and files (default: a new temporary folder)."),
    ] = None,
    profile: Annotated[str, typer.Option("--profile", help="Threshold profile for the demo.")] = "croydon",
    families: Annotated[int, typer.Option("--families", min=3, max=5000, help="How many synthetic families.")] = 24,
):
    """Build a throwaway database of synthetic families and walk the main job end to end."""

    run_demo(dir, TerminalTour, profile=profile, n_families=families)
