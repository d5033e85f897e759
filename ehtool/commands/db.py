"""`ehtool db`: back up, check and restore the database file; safe while others
are using it, and written for cron as much as for people."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, YesOpt, app_state, db_path, make_app, store
from ehtool.commands.views import projections as P
from ehtool.errors import Cancelled, Refused, UsageError
from ehtool.services import backups
from ehtool.term import output, prompts

app = make_app("Back up, check and restore the database (safe while others are using it).")


@app.command("backup")
def backup(
    ctx: typer.Context,
    path: Annotated[
        Optional[Path],
        typer.Argument(
            help="Write the backup to this new file (an existing file is never overwritten).", show_default=False
        ),
    ] = None,
    dir: Annotated[
        Optional[Path],
        typer.Option(
            "--dir",
            help="Write ehtool-YYYYMMDDTHHMMSSZ.db (UTC) into this folder (created 0700). "
            "Default when no PATH is given: <EHTOOL_HOME>/backups.",
            show_default=False,
        ),
    ] = None,
    keep: Annotated[
        Optional[int],
        typer.Option(
            "--keep",
            min=1,
            help="Keep only the newest N ehtool-*.db backups in the folder, deleting older ones "
            "(no other file is touched). Default: 14 in the default folder; with --dir, "
            "nothing is deleted unless --keep is given.",
            show_default=False,
        ),
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Copy the database consistently while others write, check the copy, print its path."""

    if path is not None and (dir is not None or keep is not None):
        raise UsageError(
            "Give either PATH or --dir/--keep, not both.",
            hint="`ehtool db backup FILE` writes one file; `ehtool db backup --dir FOLDER --keep N` "
            "writes dated files and keeps the newest N.",
        )
    if path is None and dir is None:
        dir = backups.default_folder()
        keep = backups.DEFAULT_KEEP if keep is None else keep
    result = backups.backup_database(store(ctx, db), path=path, folder=dir, keep=keep)
    if json:
        output.emit_json(P.backup_json(result))
        return
    output.line(result["path"])
    note = f"Backed up: {result['bytes']} bytes, integrity ok, schema {result['schema_version']}."
    if result["removed"]:
        note += f" Removed {len(result['removed'])} older backup(s)."
    output.message(note)


@app.command("check")
def check(ctx: typer.Context, json: JsonOpt = False, db: DbOpt = None):
    """Check integrity, foreign keys, the audit chain, schema version and file mode. Exit 6 if anything is wrong."""
    report = backups.check_database(db_path(ctx, db), allow_unsafe=app_state(ctx).allow_unsafe)
    if json:
        output.emit_json(P.check_json(report))
    else:
        audit_text = ""
        if report["audit"] is not None:
            a = report["audit"]
            audit_text = f"ok ({a['entries']} entries)" if a["ok"] else f"BROKEN at entry {a['broken_at']}"
        shown = {
            "path": report["path"],
            "mode": report["mode"] + ("" if report["mode_ok"] else " (should be 0600)"),
            "size": f"{report['bytes']} bytes (WAL {report['wal_bytes']} bytes)",
            "pages": (
                f"{report['page_count']} x {report['page_size']} bytes" if report["page_count"] is not None else ""
            ),
            "schema": (
                f"{report['schema_version']} (this ehtool knows up to {report['latest_schema']})"
                if report["schema_version"] is not None
                else ""
            ),
            "integrity": "ok" if report["integrity"] == ["ok"] else ("FAILED" if report["integrity"] else ""),
            "foreign_keys": ("ok" if not report["foreign_keys"] else "FAILED") if report["integrity"] else "",
            "audit": audit_text,
            "result": "ok" if report["ok"] else f"{len(report['problems'])} problem(s)",
        }
        output.emit_record(
            shown,
            [
                ("path", "Database"),
                ("mode", "File mode"),
                ("size", "Size"),
                ("pages", "Pages"),
                ("schema", "Schema"),
                ("integrity", "Integrity"),
                ("foreign_keys", "Foreign keys"),
                ("audit", "Audit chain"),
                ("result", "Result"),
            ],
        )
    for warning in report["warnings"]:
        output.warn(warning)
    if not report["ok"]:
        raise Refused(f"The database check found {len(report['problems'])} problem(s).", problems=report["problems"])


@app.command("restore")
def restore(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The backup file to put back.", show_default=False)],
    yes: YesOpt = False,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Replace the database's content with a checked backup, keeping the current one as <db>.replaced-<UTC time>."""
    live = db_path(ctx, db)
    if not yes:
        prompts.require_terminal("Replacing the database", "--yes")
    info = backups.inspect_candidate(path)  # refuses (exit 6) a backup whose audit trail fails the check
    if not yes:
        when = f", last change {info['last_change_at']}" if info["last_change_at"] else ""
        question = (
            f"Replace the content of {live} with the backup {path} (schema {info['schema_version']}"
            f"{when})? The current content is kept as {live.name}.replaced-<time>."
        )
        if not prompts.confirm(question, default=False):
            raise Cancelled("Not restored; nothing was changed.")
    result = backups.restore_database(live, path, allow_unsafe=app_state(ctx).allow_unsafe)
    if result["written_meanwhile"]:
        output.warn(
            "another process wrote to the database while it was being restored; that change may be "
            "in neither the restored database nor the replaced copy."
        )
    if json:
        output.emit_json(P.restore_json(result))
        return
    output.line(result["db"])
    kept = f" The previous content is kept at {result['replaced']}." if result["replaced"] else ""
    output.message(f"Restored from {result['restored_from']}; integrity ok.{kept}")
