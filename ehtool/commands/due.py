"""`ehtool due`: what needs attention today, for a coordinator's morning or a cron job."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ehtool.commands.common import CsvOpt, DbOpt, JsonOpt, RawCsvOpt, store
from ehtool.commands.views.due import render_due
from ehtool.commands.views.projections import due_json
from ehtool.domain import due as rules
from ehtool.domain import validators as v
from ehtool.errors import OVERDUE, UsageError
from ehtool.services.due import collect
from ehtool.term import output


def register(app: typer.Typer) -> None:
    app.command("due")(due)


def due(
    ctx: typer.Context,
    within: Annotated[
        int,
        typer.Option(
            "--within", min=0, metavar="DAYS", help="Also list reviews and consent renewals due within this many days."
        ),
    ] = 14,
    locality: Annotated[
        Optional[str], typer.Option("--locality", help="Only this locality (case-insensitive).", show_default=False)
    ] = None,
    lead: Annotated[
        Optional[str],
        typer.Option(
            "--lead",
            metavar="NAME",
            show_default=False,
            help="Only items whose lead professional contains NAME (case-insensitive).",
        ),
    ] = None,
    on: Annotated[
        Optional[str],
        typer.Option(
            "--on",
            metavar="DATE",
            show_default=False,
            help="Treat DATE (YYYY-MM-DD) as today (default: today in London).",
        ),
    ] = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
    raw_csv: RawCsvOpt = False,
    fail_if_overdue: Annotated[
        bool,
        typer.Option(
            "--fail-if-overdue", help="Exit with status 8 when anything is overdue (after printing the list)."
        ),
    ] = False,
    db: DbOpt = None,
):
    """What needs attention, for open families: significant harm, plan reviews and actions, missing assessments
    and plans, out-of-date assessments, consent to renew, undecided panel items.

    Grouped by lead professional; --json / --csv give one flat list (keys: family_id, category, what, date,
    days, overdue, lead, locality; days > 0 is overdue by, < 0 is due in). Exit status 0 whatever is found,
    or 8 with --fail-if-overdue when anything is overdue.
    """

    if json and (csv or raw_csv):
        raise UsageError("Choose one of --json and --csv (or --raw-csv).")
    day = v.parse_date(on, field="--on") if on else v.today_london()
    items = collect(store(ctx, db), day, within=within, locality=locality, lead=lead)
    if json:
        output.emit_json(due_json(items))
    elif csv or raw_csv:
        output.emit_csv(items, rules.KEYS, raw=raw_csv)
    else:
        render_due(items, day)
    if fail_if_overdue and any(i["overdue"] for i in items):
        raise typer.Exit(OVERDUE)
