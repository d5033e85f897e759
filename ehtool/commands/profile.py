"""`ehtool profile ...`: the threshold profiles (continua of need) as data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ehtool.commands.common import DbOpt, JsonOpt, make_app, store
from ehtool.commands.views import projections as P
from ehtool.documents.profiles import list_profiles, load_profile, validate_profile_file
from ehtool.services import settings as settings_service
from ehtool.term import output

app = make_app("List, show, validate and switch threshold profiles (the partnership's continuum of need).")


@app.command("switch")
def switch(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="A bundled profile id, or a path to a .toml profile.", show_default=False)
    ],
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Move the partnership to another profile (audited); earlier assessments keep the profile they were made under."""
    result = settings_service.switch_profile(store(ctx, db), name)
    if result["warning"]:
        output.warn(result["warning"])
    if json:
        output.emit_json(P.profile_switch_json(result))
        return
    output.message(f"The partnership now uses {result['profile_name']} (was {result['previous_profile']}).")


@app.command("list")
def list_(json: JsonOpt = False):
    """The bundled profiles."""

    rows = list_profiles()
    if json:
        output.emit_json(P.profile_list_json(rows))
    else:
        output.emit_table(rows, [("id", "Id"), ("name", "Name"), ("version", "Version")])


@app.command("show")
def show(
    name: Annotated[
        str, typer.Argument(help="A bundled profile id, or a path to a .toml profile.", show_default=False)
    ],
    json: JsonOpt = False,
):
    """Levels, front door, localities, rules and indicators of one profile."""

    data = load_profile(name).to_dict()
    if json:
        output.emit_json(P.profile_json(data))
        return
    output.emit_record(data, [("id", "Id"), ("name", "Name"), ("version", "Version"), ("description", "About")])
    output.emit_table(
        data["levels"],
        [("rank", "Rank"), ("id", "Level"), ("name", "Name"), ("route", "Route"), ("pathway", "Pathway")],
        title="Levels",
    )
    output.line(f"Front door: {data['front_door']['name']} - {data['front_door']['contact']}")
    output.line("Localities: " + ", ".join(loc["name"] for loc in data["localities"]))
    output.emit_table(
        data["rules"],
        [("id", "Rule"), ("lift_to", "Lifts to"), ("description", "When"), ("source", "Source")],
        title="Rules",
    )
    rows = [
        {**i, "harm": "SIGNIFICANT HARM" if i["significant_harm"] else "", "ages": i["age_band"] or ""}
        for i in data["indicators"]
    ]
    output.emit_table(
        rows,
        [
            ("id", "Indicator"),
            ("domain", "Domain"),
            ("level", "Level"),
            ("ages", "Ages"),
            ("text", "Wording"),
            ("harm", ""),
            ("source", "Source"),
        ],
        title="Indicators",
    )
    if not data["front_door_configured"]:
        output.warn(
            "this profile's front door contact is a placeholder: set it for your database with "
            "`ehtool init --front-door-contact TEXT` or `ehtool settings front-door --contact TEXT`."
        )


@app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="A profile .toml file to check.", show_default=False)],
    json: JsonOpt = False,
):
    """Check a profile file; every problem is named with its place in the file. Exit 4 if invalid."""

    profile = validate_profile_file(file)
    summary = {
        "ok": True,
        "id": profile.id,
        "name": profile.name,
        "levels": len(profile.levels),
        "indicators": len(profile.indicators),
        "rules": len(profile.rules),
    }
    if json:
        output.emit_json(P.profile_validate_json(summary))
    else:
        output.line(
            f"ok: {profile.id} ({profile.name}): {summary['levels']} levels, "
            f"{summary['indicators']} indicators, {summary['rules']} rules."
        )
