"""Opening the database: path checks, file modes, PRAGMAs, transactions.

Reads use the plain ``sqlite3`` connection (fast to import, fast to run);
sqlite-utils is imported only when the schema must be migrated or rows bulk
loaded, so a quick look-up does not pay for it.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
import stat
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeAlias
from urllib.parse import quote

from ehtool.errors import Conflict, NotFound, Refused, SystemRefusal, UsageError
from ehtool.files import PRIVATE_FILE, ensure_private_dir
from ehtool.store import migrations
from ehtool.store.migrations import REQUIRED_TABLES

BUSY_TIMEOUT_MS = 30_000
SQLITE_MAGIC = b"SQLite format 3\x00"
# PRAGMA application_id of an ehtool database ("EHT1"); set by init and by m006.
APPLICATION_ID = 0x45485431
ACTOR_ENV = "EHTOOL_USER"
MAX_ACTOR_CHARS = 64
# Filesystems where SQLite's locking cannot be trusted.
UNSAFE_FS = {
    "nfs",
    "nfs4",
    "cifs",
    "smbfs",
    "smb3",
    "9p",
    "fuse.sshfs",
    "afpfs",
    "davfs",
    "fuse.rclone",
    "fuse.gcsfuse",
    "fuse.s3fs",
    "ncpfs",
    "glusterfs",
    "ceph",
    "lustre",
}
SYNCED_HINTS = ("dropbox", "onedrive", "google drive", "googledrive", "icloud", "nextcloud", "owncloud")

# Bound parameters of a statement: positional (?) or named (:name).
Params: TypeAlias = tuple[Any, ...] | Mapping[str, Any]


class Store:
    """An open ehtool database: the connection plus who is acting.

    ``readonly``: the file is deliberately read-only (no owner write permission),
    so the store serves reads and refuses every write (:meth:`tx`) with exit 7."""

    def __init__(self, conn: sqlite3.Connection, path: Path, actor: str, *, readonly: bool = False):
        self.conn = conn
        self.path = path
        self.actor = actor
        self.readonly = readonly
        self._depth = 0

    # -- reading -----------------------------------------------------------
    # ``one`` and ``all`` return rows as generic dicts (column -> value, whatever the
    # SQL selects); the repository modules give them their shapes (ehtool.store.rows).
    def one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        cur = self.conn.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cur.description], row))

    def all(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- writing -----------------------------------------------------------
    @contextlib.contextmanager
    def tx(self) -> Iterator[Store]:
        """One write transaction, begun IMMEDIATE so a reader that later
        writes can never fail with "database is locked" mid-way. Nested
        calls become savepoints of the outer transaction."""
        if self.readonly:
            raise read_only_error(self.path)
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

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def insert(self, table: str, row: Mapping[str, Any]) -> int:
        """Insert one row (its keys are the columns); the new row's id."""
        return inserted_id(self.execute(insert_sql(table, list(row)), tuple(row.values())))

    def close(self) -> None:
        self.conn.close()


def insert_sql(table: str, columns: Sequence[str]) -> str:
    """``INSERT INTO table (columns) VALUES (?, ...)``: columns are ehtool's own names, never input."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The rowid of the row an INSERT just made (sqlite3 types ``lastrowid`` as
    optional: it is None only before any INSERT)."""
    rowid = cur.lastrowid
    if rowid is None:
        raise RuntimeError("no row was inserted")
    return rowid


def read_only_error(path: Path) -> SystemRefusal:
    return SystemRefusal(
        f"The database {path} is read-only, so nothing was changed.",
        hint="ehtool never makes a read-only database writable. If it should take changes, "
        f"its owner can allow them with: chmod u+w {path}",
    )


def login_name() -> str:
    """The operating system's name for whoever runs this process."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (a container, a cron without USER)
        return f"uid:{os.getuid()}"


def current_actor() -> str:
    """Who the audit trail says did it: ``EHTOOL_USER`` (an identity: trimmed, at
    most 64 characters, no control characters), with the login name beside it
    when the two differ, so the trail also says who really ran the command."""
    login = login_name()
    raw = os.environ.get(ACTOR_ENV)
    name = (raw or "").strip()
    if not name:
        return login
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise UsageError(
            f"{ACTOR_ENV} contains control or formatting characters; it must be a plain name.",
            hint=f"Set {ACTOR_ENV} to the person's or job's name, for example {ACTOR_ENV}=cron.",
        )
    if len(name) > MAX_ACTOR_CHARS:
        raise UsageError(
            f"{ACTOR_ENV} is {len(name)} characters long; at most {MAX_ACTOR_CHARS} are allowed.",
            hint=f"Set {ACTOR_ENV} to a short name, for example {ACTOR_ENV}=cron.",
        )
    return name if name == login else f"{name} (login {login})"


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


def _pragmas(conn: sqlite3.Connection) -> sqlite3.Connection:
    """The connection's own settings; none of them changes the file."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        conn.execute("PRAGMA journal_mode = WAL")


def _connect_plain(path: Path) -> sqlite3.Connection:
    """A connection with ehtool's settings that has not changed the file (no WAL switch yet)."""
    return _pragmas(
        sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    )


def _connect(path: Path) -> sqlite3.Connection:
    conn = _connect_plain(path)
    _use_wal(conn)
    return conn


def _connect_readonly(path: Path) -> sqlite3.Connection:
    uri = "file:" + quote(str(Path(path).absolute())) + "?mode=ro"
    return _pragmas(
        sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    )


def _private_side_files(path: Path) -> None:
    """Take group and other permissions away from the database and its side
    files. Never adds a permission: a read-only file stays read-only."""
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        with contextlib.suppress(OSError):
            mode = stat.S_IMODE(p.stat().st_mode)
            if mode & ~PRIVATE_FILE:
                os.chmod(p, mode & PRIVATE_FILE)


def create_store(path: Path, *, allow_unsafe: bool = False) -> Store:
    """Create a new database at ``path`` (0600 file in a folder made 0700).
    The only way a database comes into being."""
    path = Path(path)
    actor = current_actor()
    if path.exists() or path.is_symlink():
        raise_exists(path)
    ensure_private_dir(path.parent)
    check_location(path, allow_unsafe)
    old = os.umask(0o077)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
        os.close(fd)
        conn = _connect(path)
    finally:
        os.umask(old)
    store = Store(conn, path, actor)
    migrations.migrate(store)
    _private_side_files(path)
    return store


def raise_exists(path: Path) -> NoReturn:

    raise Conflict(f"A database already exists at {path}.", hint="Use it as it is, or choose another place with --db.")


_NOT_OURS_HINT = (
    "Only `ehtool init` creates a database: point --db / EHTOOL_DB at your ehtool database, "
    "or run `ehtool init` to create one."
)


def _refuse_foreign(path: Path, why: str) -> Refused:
    return Refused(f"{path} is not an ehtool database ({why}); it was left as it was.", hint=_NOT_OURS_HINT)


def _check_file(path: Path) -> bool:
    """Refuse what cannot be an ehtool database before SQLite touches it; return
    whether the file is deliberately read-only (its owner may not write it)."""
    try:
        st = os.stat(path)
    except PermissionError:
        raise SystemRefusal(
            f"Permission denied: {path} cannot be reached.",
            hint="Ask the database's owner, or point --db at a database you may use.",
        ) from None
    if not stat.S_ISREG(st.st_mode):
        raise _refuse_foreign(path, "not an ordinary file")
    if not os.access(path, os.R_OK):
        raise SystemRefusal(
            f"Permission denied: {path} cannot be read by this user.",
            hint="Ask the database's owner, or point --db at a database you may use.",
        )
    if st.st_size == 0:
        raise _refuse_foreign(path, "the file is empty")
    with open(path, "rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise _refuse_foreign(path, "not an SQLite database")
    return not (st.st_mode & stat.S_IWUSR) or not os.access(path, os.W_OK)


def _identify(conn: sqlite3.Connection, path: Path) -> int:
    """Is this an ehtool database? Read-only questions only. Returns its schema version."""
    app_id: int = conn.execute("PRAGMA application_id").fetchone()[0]
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id == APPLICATION_ID:
        return version
    if app_id != 0:
        raise _refuse_foreign(path, "it belongs to another application")
    if version < 1:
        raise _refuse_foreign(path, "it has no ehtool schema")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise _refuse_foreign(path, "no " + ", ".join(missing) + " table" + ("s" if len(missing) > 1 else ""))
    return version


def open_store(path: Path, *, allow_unsafe: bool = False) -> Store:
    """Open an existing ehtool database, applying any pending migrations.

    Anything that is not an ehtool database (an empty file, another program's
    SQLite file) is refused before anything about it changes, journal mode
    included. A deliberately read-only database serves reads and refuses writes."""
    path = Path(path)
    actor = current_actor()
    if not path.exists() and not path.is_symlink():
        raise NotFound(
            f"No ehtool database at {path}.",
            hint="Run `ehtool init` to create one (or point --db / EHTOOL_DB at an existing one).",
        )
    check_location(path, allow_unsafe)
    readonly = _check_file(path)
    old = os.umask(0o077)
    try:
        conn = _connect_readonly(path) if readonly else _connect_plain(path)
        try:
            version = _identify(conn, path)
            if readonly:
                if version < migrations.latest_version():
                    raise SystemRefusal(
                        f"The database {path} is read-only and needs an upgrade to schema "
                        f"{migrations.latest_version()} before this ehtool can read it.",
                        hint="Upgrade it once with write permission, or read it with the ehtool that wrote it.",
                    )
                migrations.refuse_newer(version, path)
            else:
                _use_wal(conn)
        except BaseException:
            conn.close()
            raise
    except sqlite3.DatabaseError as exc:
        raise Refused(
            f"{path} is not a usable ehtool database ({exc}); it was left as it was.",
            hint="`ehtool db check` reports what is wrong; `ehtool db restore` puts a backup back.",
        ) from None
    finally:
        os.umask(old)
    store = Store(conn, path, actor, readonly=readonly)
    if not readonly:
        try:
            migrations.migrate(store)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise Refused(f"{path} is not a usable ehtool database ({exc}).") from None
    _private_side_files(path)
    return store
