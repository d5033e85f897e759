"""`ehtool due`: what needs attention today, for a coordinator's morning or a cron job."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ehtool.term import output
from ehtool.commands.common import CsvOpt, DbOpt, JsonOpt, RawCsvOpt, store


def register(app: typer.Typer) -> None:
    app.command("due")(due)


COLUMNS = [("family_id", "Family"), ("category", "Category"), ("what", "What"), ("date", "Date"),
           ("when", "When"), ("locality", "Locality")]


def due(
    within: Annotated[int, typer.Option("--within", min=0, metavar="DAYS",
                                        help="Also list reviews and consent renewals due within this many days.")] = 14,
    locality: Annotated[Optional[str], typer.Option("--locality", help="Only this locality (case-insensitive).",
                                                    show_default=False)] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", metavar="NAME", show_default=False,
                                                help="Only items whose lead professional contains NAME "
                                                     "(case-insensitive).")] = None,
    on: Annotated[Optional[str], typer.Option("--on", metavar="DATE", show_default=False,
                                              help="Treat DATE (YYYY-MM-DD) as today (default: today in London).")] = None,
    json: JsonOpt = False, csv: CsvOpt = False, raw_csv: RawCsvOpt = False,
    fail_if_overdue: Annotated[bool, typer.Option("--fail-if-overdue",
                                                  help="Exit with status 8 when anything is overdue "
                                                       "(after printing the list).")] = False,
    db: DbOpt = None,
):
    """What needs attention, for open families: significant harm, plan reviews and actions, missing assessments
    and plans, out-of-date assessments, consent to renew, undecided panel items.

    Grouped by lead professional; --json / --csv give one flat list (keys: family_id, category, what, date,
    days, overdue, lead, locality; days > 0 is overdue by, < 0 is due in). Exit status 0 whatever is found,
    or 8 with --fail-if-overdue when anything is overdue.
    """
    from ehtool.domain import due as rules
    from ehtool.domain import validators as v
    from ehtool.errors import OVERDUE, UsageError

    if json and (csv or raw_csv):
        raise UsageError("Choose one of --json and --csv (or --raw-csv).")
    day = v.parse_date(on, field="--on") if on else v.today_london()
    items = collect(store(db), day, within=within, locality=locality, lead=lead)
    if json:
        output.emit_json(items)
    elif csv or raw_csv:
        output.emit_csv(items, rules.KEYS, raw=raw_csv)
    else:
        render_due(items, day)
    if fail_if_overdue and any(i["overdue"] for i in items):
        raise typer.Exit(OVERDUE)


def collect(st, day, *, within: int, locality: str | None, lead: str | None) -> list[dict]:
    from ehtool.domain import due as rules
    from ehtool.errors import InvalidInput
    from ehtool.services.settings import localities, profile
    from ehtool.store.due import gather

    prof = profile(st)
    locs = localities(st)
    rows = gather(st, day)
    if locality and locality.strip():
        seen = [f.get("locality") for f in rows.families] + [r.get("locality") for r in rows.retention]
        if not rules.known_locality(locality, locs, seen):
            names = ", ".join(loc["name"] for loc in locs) or "none configured"
            raise InvalidInput(f"{locality!r} is not a locality of this partnership.", hint=f"Localities: {names}.")
    items = rules.compute(rows, day, within=within, settings=rules.Settings.from_profile(prof.settings),
                          early_help_levels=rules.early_help_level_ids(prof.levels),
                          level_names={lv.id: lv.name for lv in prof.levels})
    return rules.select(items, locality=locality, lead=lead, localities=locs)


def render_due(items: list[dict], day) -> None:
    from ehtool.domain import due as rules
    if not items:
        output.message(f"Nothing due as of {day.isoformat()}.")
        return
    for lead, group in rules.by_lead(items):
        late = sum(1 for i in group if i["overdue"])
        output.heading(f"{lead or 'No lead professional recorded'}: {len(group)} item{'s' if len(group) != 1 else ''}"
                       f", {late} overdue")
        output.emit_table([{**i, "when": rules.when(i)} for i in group], COLUMNS)
    late = sum(1 for i in items if i["overdue"])
    harm = sum(1 for i in items if i["category"] == "significant-harm")
    output.message(f"{len(items)} item{'s' if len(items) != 1 else ''} as of {day.isoformat()}: {late} overdue"
                   + (f", {harm} with possible significant harm (contact the front door)" if harm else "") + ".")
