"""Schema changes, only through named migrations applied when the store opens.

Each migration is a function ``mNNN_what_it_does(db)`` registered with
sqlite-utils' :class:`Migrations` and ends by setting ``PRAGMA user_version``
to its number, so opening an up-to-date database costs one PRAGMA and never
imports sqlite-utils. A database whose ``user_version`` is newer than this
ehtool is refused, never modified. Before migrating a database that already
holds data, a backup copy is written beside it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehtool.errors import Refused
from ehtool.files import PRIVATE_FILE
from ehtool.store import migrations_children, migrations_network, migrations_panels, migrations_v1

if TYPE_CHECKING:
    from ehtool.store.connection import Store

MIGRATION_SET = "ehtool"
# Tables every ehtool database has had since the first migration.
REQUIRED_TABLES = ("meta", "families", "members", "audit", "audit_values")
Migration = Callable[[sqlite3.Connection], None]
# (number, function), in order; each function is named mNNN_what_it_does.
_REGISTRY: list[tuple[int, Migration]] = [
    (int(fn.__name__[1:4]), fn)
    for fn in (
        *migrations_v1.MIGRATIONS,
        *migrations_children.MIGRATIONS,
        *migrations_panels.MIGRATIONS,
        *migrations_network.MIGRATIONS,
    )
]


def latest_version() -> int:
    return max(n for n, _ in _REGISTRY)


def user_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def refuse_newer(version: int, path: Path) -> None:
    latest = latest_version()
    if version > latest:
        raise Refused(
            f"The database {path} was written by a newer ehtool (schema {version}; "
            f"this ehtool knows up to {latest}). It has not been changed.",
            hint="Upgrade ehtool (pip install -U ehtool) to use it.",
        )


def migrate(store: Store) -> list[str]:
    """Bring ``store`` up to date; return the names of migrations applied."""
    conn = store.conn
    current = user_version(conn)
    latest = latest_version()
    if current == latest:
        return []
    refuse_newer(current, store.path)
    if current > 0:
        backup_before_migration(store, current)
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for number, fn in _REGISTRY:
        migrations(name=fn.__name__)(_stamped(fn, number))
    db = Database(conn, recursive_triggers=False, execute_plugins=False)
    conn.execute("BEGIN IMMEDIATE")  # one migrator at a time
    try:
        pending = [m.name for m in migrations.pending(db)]
        migrations.apply(db)
        conn.commit()
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
    return pending


def _stamped(fn: Migration, number: int) -> Callable[[Any], None]:
    """``fn`` as sqlite-utils calls a migration (with its untyped ``Database``),
    then stamped with its number."""

    def run(db: Any) -> None:
        fn(db.conn)
        db.conn.execute(f"PRAGMA user_version = {number}")

    run.__name__ = fn.__name__
    return run


def backup_before_migration(store: Store, version: int) -> Path:
    dest = Path(f"{store.path}.schema{version}.bak")
    old = os.umask(0o077)
    try:
        target = sqlite3.connect(str(dest))
        try:
            store.conn.backup(target)
        finally:
            target.close()
    finally:
        os.umask(old)
    os.chmod(dest, PRIVATE_FILE)
    return dest
