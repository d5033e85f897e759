"""`ehtool retention ...`: the retention policy, legal holds, families due for
destruction, and purging a family."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, make_app, store
from ehtool.commands.views import projections as P
from ehtool.domain import families as fam
from ehtool.domain import validators as v
from ehtool.services import retention
from ehtool.term import output, prompts

app = make_app(
    "Retention and erasure: the policy (by default until the youngest child is 25), legal holds, "
    "families due for destruction, and purging a family with everything held about it."
)

FamilyArg = Annotated[str, typer.Argument(help="Family reference, e.g. F000123.", show_default=False)]
TABLE_ORDER = (
    "families",
    "members",
    "assessments",
    "consents",
    "plans",
    "plan_versions",
    "plan_reviews",
    "panel_items",
    "audit_values",
)


@app.command("policy")
def policy(
    ctx: typer.Context,
    age: Annotated[
        Optional[int], typer.Option("--age", help="Keep until the youngest child reaches this age (default 25).")
    ] = None,
    no_children_years: Annotated[
        Optional[int],
        typer.Option("--no-children-years", help="Years after closure to keep a family with no children (default 6)."),
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Show the retention policy, or change it with --age / --no-children-years (audited)."""

    if age is None and no_children_years is None:
        result = retention.policy_view(store(ctx, db))
    else:
        result = retention.set_policy(store(ctx, db), age=age, no_children_years=no_children_years)
    if json:
        output.emit_json(P.policy_json(result))
    else:
        output.emit_record(
            result,
            [
                ("basis", "Basis"),
                ("age", "Youngest child's age"),
                ("no_children_years", "No children: years"),
                ("default", "Default"),
                ("rule", "Rule"),
            ],
        )


@app.command("hold")
def hold(
    ctx: typer.Context,
    family_id: FamilyArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the records must be kept (no names).")],
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Put a family on legal hold: never due for destruction, never purged, until released."""

    result = retention.hold(store(ctx, db), family_id, reason)
    if json:
        output.emit_json(P.retention_status_json(result))
    else:
        output.message(f"{result['family_id']} is on legal hold.")


@app.command("release")
def release(ctx: typer.Context, family_id: FamilyArg, json: JsonOpt = False, db: DbOpt = None):
    """Release a family's legal hold; the retention policy applies again."""

    result = retention.release(store(ctx, db), family_id)
    if json:
        output.emit_json(P.retention_status_json(result))
    else:
        output.message(
            f"{result['family_id']}: legal hold released; kept until "
            f"{result['retain_until'] or 'it closes and its date passes'}."
        )


@app.command("due")
def due(
    ctx: typer.Context,
    on: Annotated[Optional[str], typer.Option("--on", help="As on this date (default today).")] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Closed families past their retention date and not on legal hold (references, no names)."""

    day = v.parse_date(on, field="--on date") if on else None
    rows = retention.due(store(ctx, db), day)
    if json:
        output.emit_json(P.retention_due_json(rows))
    else:
        output.emit_table(
            rows,
            [("family_id", "Family"), ("closed_on", "Closed on"), ("retain_until", "Kept until"), ("reason", "Why")],
            empty="No families are due for destruction.",
        )


@app.command("purge")
def purge(
    ctx: typer.Context,
    family_id: FamilyArg,
    confirm: Annotated[
        Optional[str],
        typer.Option("--confirm", help="The family reference again, to confirm (asked for on a terminal)."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be deleted; delete nothing.")] = False,
    force_before_date: Annotated[
        bool,
        typer.Option(
            "--force-before-date", help="Purge before the retention date (an erasure request); needs --reason."
        ),
    ] = False,
    reason: Annotated[
        Optional[str], typer.Option("--reason", help="Why, with --force-before-date (audited; no names).")
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Delete a family and everything held about it, for good. The audit trail keeps
    a `family.purge` entry (reference, date, counts); the personal values in it go."""

    ref = fam.family_ref(fam.parse_ref(family_id))
    if confirm is None and not dry_run:
        prompts.require_terminal(f"Purging {ref}", f"--confirm {ref}")

    def ask(preview: dict) -> str:
        output.tell(f"This deletes {ref} and everything held about it, permanently:")
        for table in TABLE_ORDER:
            output.tell(f"  {table}: {preview['would_delete'].get(table, 0)}")
        return prompts.text(f"Type {ref} to confirm:")

    result = retention.purge(
        store(ctx, db), family_id, confirm=confirm, ask=ask, force=force_before_date, reason=reason, dry_run=dry_run
    )
    counts = result["would_delete"] if dry_run else result["deleted"]
    if json:
        output.emit_json(P.purge_json(result))
    else:
        rows = [{"table": t, "rows": counts.get(t, 0)} for t in TABLE_ORDER]
        output.emit_table(rows, [("table", "Table"), ("rows", "Would delete" if dry_run else "Deleted")])
    if dry_run:
        output.message(
            f"Dry run: nothing was deleted. {result['audit_entries_kept']} audit entries about "
            f"{result['family_id']} would stay (without their values)."
        )
        return
    output.message(f"Purged {result['family_id']}. The audit trail keeps its entries, without their values.")
    if not result["scrubbed"]:
        output.warn(
            "another process kept the write-ahead log open: the deleted text leaves the -wal file at its "
            "next checkpoint (close other ehtool sessions, then run any ehtool command)."
        )
    for path in result["backups"]:
        output.warn(f"{path} is a copy made before a schema upgrade and may still hold this family.")
