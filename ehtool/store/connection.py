"""Opening the database: path checks, file modes, PRAGMAs, transactions.

Reads use the plain ``sqlite3`` connection (fast to import, fast to run);
sqlite-utils is imported only when the schema must be migrated or rows bulk
loaded, so a quick look-up does not pay for it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ehtool.errors import NotFound, Refused
from ehtool.files import PRIVATE_DIR, PRIVATE_FILE

BUSY_TIMEOUT_MS = 30_000
# Filesystems where SQLite's locking cannot be trusted.
UNSAFE_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "9p", "fuse.sshfs", "afpfs", "davfs", "fuse.rclone",
             "fuse.gcsfuse", "fuse.s3fs", "ncpfs", "glusterfs", "ceph", "lustre"}
SYNCED_HINTS = ("dropbox", "onedrive", "google drive", "googledrive", "icloud", "nextcloud", "owncloud")


class Store:
    """An open ehtool database: the connection plus who is acting."""

    def __init__(self, conn: sqlite3.Connection, path: Path, actor: str):
        self.conn = conn
        self.path = path
        self.actor = actor
        self._depth = 0

    # -- reading -----------------------------------------------------------
    def one(self, sql: str, params: tuple | dict = ()) -> dict | None:
        cur = self.conn.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cur.description], row))

    def all(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        cur = self.conn.execute(sql, params)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def scalar(self, sql: str, params: tuple | dict = ()):
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- writing -----------------------------------------------------------
    @contextlib.contextmanager
    def tx(self) -> Iterator[Store]:
        """One write transaction, begun IMMEDIATE so a reader that later
        writes can never fail with "database is locked" mid-way. Nested
        calls become savepoints of the outer transaction."""
        if self._depth:
            name = f"sp{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.rollback()
            raise
        else:
            self.conn.commit()
        finally:
            self._depth = 0

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def close(self) -> None:
        self.conn.close()


def current_actor() -> str:
    actor = os.environ.get("EHTOOL_USER")
    if actor:
        return actor
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no login name (a container, a cron without USER)
        return f"uid:{os.getuid()}"


def check_location(path: Path, allow_unsafe: bool = False) -> None:
    """Refuse a symlinked file, or one on a network or synced filesystem."""
    if allow_unsafe:
        return
    if path.is_symlink():
        raise Refused(
            f"The database {path} is a symbolic link; ehtool will not follow it.",
            hint="Point --db at the real file, or pass --allow-unsafe-location if you are sure.",
        )
    folder = path.parent.resolve()
    lowered = str(folder).lower()
    if any(h in lowered for h in SYNCED_HINTS):
        raise Refused(
            f"The database folder {folder} looks like a synced folder; SQLite's locking is unsafe there.",
            hint="Keep the database on a local disk, or pass --allow-unsafe-location if you are sure.",
        )
    fstype = _fstype(folder)
    if fstype in UNSAFE_FS:
        raise Refused(
            f"The database folder {folder} is on a {fstype} filesystem; SQLite's locking is unsafe there.",
            hint="Keep the database on a local disk, or pass --allow-unsafe-location if you are sure.",
        )


def _fstype(folder: Path) -> str | None:
    try:
        with open("/proc/self/mounts", encoding="utf-8") as fh:
            mounts = [line.split()[1:3] for line in fh if len(line.split()) >= 3]
    except OSError:
        return None
    best, kind = "", None
    text = str(folder)
    for mount_point, fstype in mounts:
        mp = mount_point.replace("\\040", " ")
        if (text == mp or text.startswith(mp.rstrip("/") + "/")) and len(mp) > len(best):
            best, kind = mp, fstype
    return kind


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    return conn


def _private_side_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        with contextlib.suppress(FileNotFoundError):
            if p.stat().st_mode & 0o777 != PRIVATE_FILE:
                os.chmod(p, PRIVATE_FILE)


def create_store(path: Path, *, allow_unsafe: bool = False) -> Store:
    """Create a new database at ``path`` (0600 file in a folder made 0700)."""
    from ehtool.store import migrations

    path = Path(path)
    if path.exists():
        raise_exists(path)
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=PRIVATE_DIR, exist_ok=True)
        os.chmod(path.parent, PRIVATE_DIR)
    check_location(path, allow_unsafe)
    old = os.umask(0o077)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
        os.close(fd)
        conn = _connect(path)
    finally:
        os.umask(old)
    store = Store(conn, path, current_actor())
    migrations.migrate(store)
    _private_side_files(path)
    return store


def raise_exists(path: Path):
    from ehtool.errors import Conflict

    raise Conflict(f"A database already exists at {path}.",
                   hint="Use it as it is, or choose another place with --db.")


def open_store(path: Path, *, allow_unsafe: bool = False) -> Store:
    """Open an existing database, applying any pending migrations."""
    from ehtool.store import migrations

    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise NotFound(
            f"No ehtool database at {path}.",
            hint="Run `ehtool init` to create one (or point --db / EHTOOL_DB at an existing one).",
        )
    check_location(path, allow_unsafe)
    old = os.umask(0o077)
    try:
        conn = _connect(path)
    except sqlite3.DatabaseError as exc:
        raise Refused(f"{path} is not an ehtool database ({exc}).") from None
    finally:
        os.umask(old)
    store = Store(conn, path, current_actor())
    try:
        migrations.migrate(store)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise Refused(f"{path} is not a usable ehtool database ({exc}).") from None
    _private_side_files(path)
    return store
