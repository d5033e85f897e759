"""Backing up, checking and restoring the database: what `ehtool db` does."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ehtool import paths
from ehtool.errors import Conflict, InvalidInput
from ehtool.services import exports
from ehtool.store.backup import DEFAULT_KEEP, backup_name, copy_database, prune
from ehtool.store.db_check import check_database
from ehtool.store.restore import inspect_candidate, restore_database

if TYPE_CHECKING:
    from ehtool.store.connection import Store

__all__ = [
    "DEFAULT_KEEP",
    "backup_database",
    "check_database",
    "default_folder",
    "inspect_candidate",
    "restore_database",
]


def default_folder() -> Path:
    """Where `db backup` writes when given neither a file nor a folder."""
    return paths.home() / "backups"


def backup_database(
    store: Store, *, path: Path | None = None, folder: Path | None = None, keep: int | None = None
) -> dict:
    """Copy the open database to ``path`` (never overwritten), or to a dated
    ehtool-YYYYMMDDTHHMMSSZ.db in ``folder`` keeping the newest ``keep``.
    Audited as an access (the file name only). Returns
    {path, bytes, integrity, schema_version, removed}."""
    if (path is None) == (folder is None):
        raise ValueError("give exactly one of path and folder")
    if path is not None:
        path = Path(path).expanduser()
        if path.is_dir():
            raise InvalidInput(f"{path} is a folder.", hint="Give a file name, or use --dir FOLDER for dated names.")
        if path.exists() or path.is_symlink():
            raise Conflict(
                f"{path} already exists; it was not overwritten.",
                hint="Choose a new file name, or use --dir for dated names.",
            )
        dest, numbered = path, False
    else:
        assert folder is not None  # exactly one of path and folder (checked above)
        folder = Path(folder).expanduser()
        if folder.exists() and not folder.is_dir():
            raise InvalidInput(f"{folder} is not a folder.")
        dest, numbered = folder / backup_name(), True
    final, version = copy_database(store, dest, numbered=numbered)
    exports.adopt(store, exports.Entry("db.backup", "backup", entity_id=final.name, values={}), final)
    removed = prune(folder, keep, exclude=final) if folder is not None and keep else []
    return {
        "path": str(final),
        "bytes": final.stat().st_size,
        "integrity": "ok",
        "schema_version": version,
        "removed": removed,
    }
