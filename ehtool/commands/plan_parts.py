"""`ehtool plan outcome|action|team ...`: the parts of a plan, changed one at a time."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, make_app, store
from ehtool.commands.views import projections as P
from ehtool.services import plans as planning
from ehtool.term import output

outcome_app = make_app("Add and change a plan's outcomes.")
action_app = make_app("Add, complete and change a plan's actions.")
team_app = make_app("The Team Around the Family on a plan.")

FamilyArg = Annotated[str, typer.Argument(help="Family reference, e.g. F000123.", show_default=False)]
Opt_area = Annotated[Optional[str], typer.Option("--area", help="Outcome area id.")]
Opt_description = Annotated[Optional[str], typer.Option("--description", help="What we want to achieve.")]
Opt_who = Annotated[Optional[str], typer.Option("--who", help="Who will do it.")]
Opt_due = Annotated[Optional[str], typer.Option("--due", help="By when (date).")]
Opt_status = Annotated[Optional[str], typer.Option("--status", help="not-started, in-progress, done or dropped.")]
Opt_what = Annotated[Optional[str], typer.Option("--what", help="What will be done.")]
Opt_due_14 = Annotated[Optional[str], typer.Option("--due", help="By when.")]
Opt_agency = Annotated[Optional[str], typer.Option("--agency", help="Agency (school, health visiting...).")]
Opt_role = Annotated[Optional[str], typer.Option("--role", help="Role.")]
Opt_contact = Annotated[Optional[str], typer.Option("--contact", help="How to contact them.")]


def show_result(plan: dict, json: bool, message: str) -> None:
    if json:
        output.emit_json(P.plan_json(plan))
    else:
        output.message(message)


@outcome_app.command("add")
def outcome_add(
    ctx: typer.Context,
    family_id: FamilyArg,
    area: Annotated[str, typer.Option("--area", help="Outcome area id (see `ehtool plan areas`).")],
    description: Annotated[str, typer.Option("--description", help="What we want to achieve.")],
    baseline: Annotated[Optional[int], typer.Option("--baseline", min=0, max=10, help="Score now, 0-10.")] = None,
    target: Annotated[Optional[int], typer.Option("--target", min=0, max=10, help="Target score, 0-10.")] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Add an outcome to the open plan."""
    plan = planning.add_outcome(
        store(ctx, db), family_id, {"area": area, "description": description, "baseline": baseline, "target": target}
    )
    show_result(plan, json, f"Added outcome {plan['outcomes'][-1]['id']}.")


@outcome_app.command("edit")
def outcome_edit(
    ctx: typer.Context,
    family_id: FamilyArg,
    outcome_id: Annotated[str, typer.Argument(help="Outcome id, e.g. 2.", show_default=False)],
    area: Opt_area = None,
    description: Opt_description = None,
    baseline: Annotated[Optional[int], typer.Option("--baseline", min=0, max=10, help="Baseline 0-10.")] = None,
    target: Annotated[Optional[int], typer.Option("--target", min=0, max=10, help="Target 0-10.")] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Change an outcome."""
    fields = {
        k: val
        for k, val in (("area", area), ("description", description), ("baseline", baseline), ("target", target))
        if val is not None
    }
    plan = planning.edit_outcome(store(ctx, db), family_id, outcome_id, fields)
    show_result(plan, json, f"Outcome {outcome_id} saved.")


@action_app.command("add")
def action_add(
    ctx: typer.Context,
    family_id: FamilyArg,
    outcome_id: Annotated[str, typer.Argument(help="The outcome the action serves, e.g. 1.", show_default=False)],
    what: Annotated[str, typer.Option("--what", help="What will be done.")],
    who: Opt_who = None,
    due: Opt_due = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Add an action to an outcome."""
    plan = planning.add_action(store(ctx, db), family_id, outcome_id, {"what": what, "who": who, "due": due})
    o = next(o for o in plan["outcomes"] if o["id"] == outcome_id.strip())
    show_result(plan, json, f"Added action {o['actions'][-1]['id']}.")


@action_app.command("done")
def action_done(
    ctx: typer.Context,
    family_id: FamilyArg,
    action_id: Annotated[str, typer.Argument(help="Action id, e.g. 1.2.", show_default=False)],
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Mark an action done."""
    plan = planning.update_action(store(ctx, db), family_id, action_id, {"status": "done"})
    show_result(plan, json, f"Action {action_id} done.")


@action_app.command("update")
def action_update(
    ctx: typer.Context,
    family_id: FamilyArg,
    action_id: Annotated[str, typer.Argument(help="Action id, e.g. 1.2.", show_default=False)],
    status: Opt_status = None,
    what: Opt_what = None,
    who: Opt_who = None,
    due: Opt_due_14 = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Change an action's status, owner, wording or date."""
    fields = {k: val for k, val in (("status", status), ("what", what), ("who", who), ("due", due)) if val is not None}
    plan = planning.update_action(store(ctx, db), family_id, action_id, fields)
    show_result(plan, json, f"Action {action_id} saved.")


@team_app.command("add")
def team_add(
    ctx: typer.Context,
    family_id: FamilyArg,
    name: Annotated[str, typer.Option("--name", help="Name.")],
    agency: Opt_agency = None,
    role: Opt_role = None,
    contact: Opt_contact = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Add someone to the Team Around the Family."""
    plan = planning.add_team_member(
        store(ctx, db), family_id, {"name": name, "agency": agency, "role": role, "contact": contact}
    )
    show_result(plan, json, "Team member added.")
