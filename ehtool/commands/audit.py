"""`ehtool audit`: who did what, when; and checking the trail has not been edited."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ehtool.commands.common import CsvOpt, DbOpt, JsonOpt, RawCsvOpt, make_app, store
from ehtool.commands.views import projections as P
from ehtool.errors import REFUSED
from ehtool.services import audit
from ehtool.term import output

app = make_app(
    "Show the audit trail (`ehtool audit`), verify its hash chain, print its head.",
    invoke_without_command=True,
    no_args_is_help=False,
)


@app.callback()
def show(
    ctx: typer.Context,
    family: Annotated[Optional[str], typer.Option("--family", help="Only entries about this family.")] = None,
    action: Annotated[
        Optional[str], typer.Option("--action", help="Only this action (family.add, plan.* ...).")
    ] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="Only the newest N entries.")] = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
    raw_csv: RawCsvOpt = False,
    db: DbOpt = None,
):
    """List audit entries, oldest first: when, who, what, which record, which fields."""
    if ctx.invoked_subcommand:
        return
    rows = audit.entries(store(ctx, db), family=family, action=action, limit=limit)
    if json:
        output.emit_json(P.audit_json(rows))
    elif csv or raw_csv:
        output.emit_csv(rows, ["id", "at", "actor", "kind", "action", "entity_id", "family_id", "fields"], raw=raw_csv)
    else:
        for r in rows:
            r["fields_text"] = ", ".join(r["fields"])
        output.emit_table(
            rows,
            [
                ("id", "#"),
                ("at", "When (UTC)"),
                ("actor", "Who"),
                ("action", "What"),
                ("entity_id", "Record"),
                ("fields_text", "Fields"),
            ],
            empty="No audit entries.",
        )


@app.command("verify")
def verify(
    ctx: typer.Context,
    head: Annotated[
        Optional[str],
        typer.Option("--head", help="A head hash stored earlier; also detects entries removed from the end."),
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Recompute the hash chain; report the first broken entry. Exit 6 if broken."""
    result = audit.verify(store(ctx, db), expected_head=head)
    if json:
        output.emit_json(P.verify_json(result))
    elif result["ok"]:
        output.line(f"ok: {result['entries']} entries, chain intact.")
        if result["reason"]:
            output.message(result["reason"])
    else:
        where = f" at entry {result['broken_at']}" if result["broken_at"] else ""
        output.line(f"BROKEN{where}: {result['reason']}.")
    if not result["ok"]:
        raise typer.Exit(REFUSED)


@app.command("head")
def head(ctx: typer.Context, json: JsonOpt = False, db: DbOpt = None):
    """Print the newest entry's hash, to store somewhere else for `verify --head`."""
    row = audit.head(store(ctx, db))
    if json:
        output.emit_json(P.head_json(row))
    else:
        output.line(row["hash"] if row else audit.GENESIS)
