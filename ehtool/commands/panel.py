"""`ehtool panel ...`: panel sittings of each kind, agendas, decisions and their effects."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, make_app, store
from ehtool.commands.views import projections as P
from ehtool.services import panel_decisions, panels
from ehtool.term import output

app = make_app(
    "Panels: schedule sittings of each kind, put families on the agenda, export the agenda workbook, "
    "record the decisions and what they do."
)

PanelArg = Annotated[
    Optional[str],
    typer.Argument(help="Panel reference, e.g. P000003 (or use --locality and --date).", show_default=False),
]
Loc = Annotated[Optional[str], typer.Option("--locality", help="Locality of the sitting.")]
Date = Annotated[Optional[str], typer.Option("--date", help="Date of the sitting (YYYY-MM-DD).")]
Kind = Annotated[
    Optional[str],
    typer.Option("--kind", help="Kind of panel (`ehtool panel kinds`); default the locality allocation panel."),
]
KeepOpen = Annotated[
    bool, typer.Option("--keep-open", help="A signpost, no-further-action or close decision leaves the family open.")
]


def _effects(effects: list[dict]) -> None:
    for e in effects:
        output.message(f"  {e['effect']} ({e['outcome']}): {e['what']}" + (f" [{e['target']}]" if e["target"] else ""))


@app.command("kinds")
def kinds(ctx: typer.Context, json: JsonOpt = False, db: DbOpt = None):
    """The kinds of panel the partnership runs, the decisions each can make and what each decision does."""
    rows = panels.kinds(store(ctx, db))
    if json:
        output.emit_json(P.panel_kinds_json(rows))
        return
    flat = [
        {"kind": k["id"], "decision": d["id"], "label": d["label"], "effect": d["effect"]}
        for k in rows
        for d in k["decisions"]
    ]
    output.emit_table(
        flat, [("kind", "Kind"), ("decision", "Decision"), ("label", "Label"), ("effect", "Effect")], empty=""
    )


@app.command("schedule")
def schedule(
    ctx: typer.Context,
    locality: Annotated[str, typer.Option("--locality", help="Locality of the sitting.")],
    date: Annotated[str, typer.Option("--date", help="Date of the sitting (YYYY-MM-DD).")],
    chair: Annotated[Optional[str], typer.Option("--chair", help="Who chairs it.")] = None,
    kind: Kind = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Create a panel sitting for a locality on a date; families deferred at an earlier sitting
    of the same kind and locality, and waiting for one, go on its agenda."""

    panel = panels.schedule(store(ctx, db), locality, date, chair, kind)
    if json:
        output.emit_json(P.panel_json(panel))
    else:
        output.line(panel["id"])
        carried = f"; carried onto its agenda: {', '.join(panel['carried'])}" if panel["carried"] else ""
        output.message(f"Scheduled the {panel['kind_name']} for {panel['locality']} on {panel['date']}{carried}.")


@app.command("list")
def list_(
    ctx: typer.Context,
    locality: Loc = None,
    upcoming: Annotated[bool, typer.Option("--upcoming", help="Only sittings from today on.")] = False,
    kind: Kind = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Panel sittings, with how many families are on each agenda."""

    rows = panels.list_panels(store(ctx, db), locality, upcoming, kind)
    if json:
        output.emit_json(P.panel_list_json(rows))
    else:
        output.emit_table(
            rows,
            [
                ("id", "Panel"),
                ("date", "Date"),
                ("kind", "Kind"),
                ("locality", "Locality"),
                ("chair", "Chair"),
                ("items", "Items"),
            ],
            empty="No panels scheduled.",
        )


@app.command("show")
def show(
    ctx: typer.Context,
    panel: PanelArg = None,
    locality: Loc = None,
    date: Date = None,
    kind: Kind = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """One sitting's agenda, with decisions once recorded."""
    result = panels.show(store(ctx, db), panel, locality, date, kind)
    if json:
        output.emit_json(P.panel_json(result))
        return
    output.line(
        f"{result['id']}  {result['kind_name']}, {result['locality']}, {result['date']}"
        + (f", chair {result['chair']}" if result["chair"] else "")
    )
    output.emit_table(
        result["items"],
        [
            ("item", "#"),
            ("family_id", "Family"),
            ("reason", "Reason"),
            ("carried_from", "Carried from"),
            ("presenter", "Presenter"),
            ("consent", "Consent"),
            ("decision", "Decision"),
            ("decision_notes", "Notes"),
        ],
        empty="No families on this agenda yet.",
    )


@app.command("add")
def add(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference.", show_default=False)],
    reason: Annotated[
        str, typer.Option("--reason", help="new-referral, step-up, step-down, review, closure or escalation.")
    ],
    locality: Loc = None,
    date: Date = None,
    panel: Annotated[
        Optional[str], typer.Option("--panel", help="Panel reference instead of --locality/--date.")
    ] = None,
    presenter: Annotated[Optional[str], typer.Option("--presenter", help="Who presents the family.")] = None,
    notes: Annotated[Optional[str], typer.Option("--notes", help="Notes for the panel.")] = None,
    no_consent_reason: Annotated[
        Optional[str],
        typer.Option(
            "--no-consent-reason", help="Why the family is discussed without consent to be discussed at panel."
        ),
    ] = None,
    kind: Kind = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Put a family on a sitting's agenda (the next one of the kind for its locality if no date is given)."""
    result = panels.add(
        store(ctx, db),
        family_id,
        reason=reason,
        locality=locality,
        date=date,
        panel=panel,
        presenter=presenter,
        notes=notes,
        no_consent_reason=no_consent_reason,
        kind=kind,
    )
    if result["warning"]:
        output.warn(result["warning"])
    if json:
        output.emit_json(P.panel_add_json(result))
    else:
        output.message(
            f"{result['family_id']} is item {result['item']} on {result['panel_id']} "
            f"({result['locality']}, {result['date']}); consent to be discussed: {result['consent']}."
        )


@app.command("export")
def export(
    ctx: typer.Context,
    panel: PanelArg = None,
    locality: Loc = None,
    date: Date = None,
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", help="The .xlsx to write (default: panel-LOCALITY-DATE.xlsx here).")
    ] = None,
    names: Annotated[
        bool, typer.Option("--names", help="Full names, for the chair's own copy (audited as such).")
    ] = False,
    marking: Annotated[
        Optional[str], typer.Option("--marking", help="Protective marking (default: the partnership's).")
    ] = None,
    kind: Kind = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Write the agenda workbook: pseudonymised (initials and ages) unless --names."""
    result = panels.export(
        store(ctx, db), panel=panel, locality=locality, date=date, out=out, named=names, marking=marking, kind=kind
    )
    if json:
        output.emit_json(P.panel_export_json(result))
    else:
        output.line(result["path"])
        output.message(
            f"Agenda for {result['panel_id']}: {result['items']} items, "
            f"{'NAMED (chair copy)' if result['named'] else 'pseudonymised'}, marked {result['marking']}."
        )


@app.command("decisions")
def decisions(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The filled-in agenda workbook.", show_default=False)],
    panel: Annotated[Optional[str], typer.Option("--panel", help="Check it belongs to this panel.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report; record nothing.")] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Replace decisions (and notes, actions, allocations) already recorded differently "
            "with the workbook's; without it such rows are refused.",
        ),
    ] = False,
    keep_open: KeepOpen = False,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Read the chair's decisions back from the agenda and apply what each does: every row checked,
    all recorded or none. Blank cells leave what is recorded alone; reading the same workbook again
    changes nothing and applies nothing twice. --dry-run shows the effects without recording them."""

    result = panel_decisions.read_back(
        store(ctx, db),
        path,
        panel=panel,
        locality=None,
        date=None,
        dry_run=dry_run,
        overwrite=overwrite,
        keep_open=keep_open,
    )
    if json:
        output.emit_json(P.panel_decisions_json(result))
        return
    for w in result["warnings"]:
        output.warn(w)
    output.emit_table(
        result["decisions"],
        [
            ("item", "#"),
            ("family_id", "Family"),
            ("decision", "Decision"),
            ("allocated_to", "Allocated to"),
            ("actions", "Actions"),
        ],
        empty="Nothing new to record.",
    )
    for d in result["decisions"]:
        if d["effects"]:
            output.message(f"Item {d['item']} ({d['family_id']}), {d['decision']}" + (" would:" if dry_run else ":"))
            _effects(d["effects"])
    unchanged = f"; {result['unchanged']} already recorded as in the workbook" if result["unchanged"] else ""
    output.message(
        ("Checked" if dry_run else "Recorded") + f" {len(result['decisions'])} decisions for "
        f"{result['panel_id']}{unchanged}."
    )


@app.command("decide")
def decide(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference.", show_default=False)],
    decision: Annotated[
        str,
        typer.Option("--decision", help="A decision of the panel's kind (`ehtool panel kinds`), by id or label."),
    ],
    panel: Annotated[
        Optional[str], typer.Option("--panel", help="Panel reference (default: the family's undecided item).")
    ] = None,
    locality: Loc = None,
    date: Date = None,
    notes: Annotated[Optional[str], typer.Option("--notes", help="The panel's notes.")] = None,
    actions: Annotated[Optional[str], typer.Option("--actions", help="Actions agreed.")] = None,
    allocated_to: Annotated[
        Optional[str],
        typer.Option("--allocated-to", help="Who the family is allocated to (for a step-down: the receiving service)."),
    ] = None,
    keep_open: KeepOpen = False,
    kind: Kind = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Record one panel decision by hand, and apply what it does (shown)."""
    result = panel_decisions.decide(
        store(ctx, db),
        family_id,
        decision=decision,
        panel=panel,
        locality=locality,
        date=date,
        notes=notes,
        actions=actions,
        allocated_to=allocated_to,
        keep_open=keep_open,
        kind=kind,
    )
    if json:
        output.emit_json(P.panel_decide_json(result))
    else:
        output.message(
            f"Recorded {result['decision']} for {result['family_id']} ({result['panel_id']} item {result['item']})."
        )
        _effects(result["effects"])
