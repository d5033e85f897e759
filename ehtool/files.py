"""Writing output files safely: temporary name, fsync, rename; mode 0600."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ehtool.errors import InvalidInput

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents; every folder created here is
    0700 whatever the umask. Folders that already exist are left as they are."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and not probe.is_symlink() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:  # made meanwhile by someone else: theirs, not ours
            continue
        os.chmod(folder, PRIVATE_DIR)
    return path


@contextlib.contextmanager
def staging(dest: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``dest`` (0600 from the moment it exists) to write
    into. On leaving, the temporary file is fsynced if it is to be placed, and removed
    if it was not placed (:func:`place`) by then: nothing half-written is ever left."""
    dest = Path(dest)
    refuse_non_regular(dest)
    parent = dest.parent if str(dest.parent) else Path(".")
    ensure_private_dir(parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=parent)
    os.fchmod(fd, PRIVATE_FILE)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, PRIVATE_FILE)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        io_error = as_os_error(exc, dest)
        if io_error is not None:
            raise io_error from None
        raise


def place(tmp: Path, dest: str | os.PathLike) -> Path:
    """Move a staged file into place (one rename) and make the rename durable."""
    dest = Path(dest)
    refuse_non_regular(dest)
    os.replace(tmp, dest)
    parent = dest.parent if str(dest.parent) else Path(".")
    with contextlib.suppress(OSError):
        dfd = os.open(parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return dest


@contextlib.contextmanager
def atomic_output(dest: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success it replaces ``dest``.

    If the body raises (a template error, a full disk) the temporary file is
    removed and ``dest`` is untouched: never a half-written file at the destination.
    """
    with staging(dest) as tmp:
        yield tmp
    place(tmp, dest)


def refuse_non_regular(dest: Path) -> None:
    """Only a regular file (or a symbolic link, which is replaced, never written
    through) is ever replaced: a FIFO, a device or a folder at ``dest`` is refused."""
    try:
        st = os.stat(dest)
    except (FileNotFoundError, NotADirectoryError):
        return
    except PermissionError:
        return  # the write itself will say permission denied
    if stat.S_ISREG(st.st_mode):
        return
    if stat.S_ISDIR(st.st_mode):
        raise InvalidInput(f"{dest} is a folder; give the name of the file to write.")
    raise InvalidInput(
        f"{dest} is not an ordinary file (it is a device, a pipe or a socket); ehtool writes only "
        "ordinary files and never replaces anything else.",
        hint="Give the name of a new file, or of an existing file to replace.",
    )


def as_os_error(exc: BaseException, dest: str | os.PathLike[str]) -> OSError | None:
    """Writers built on lxml report a full disk as ``SerialisationError('IO_ENOSPC')``;
    turn that into the OSError it is, so it is reported as the system's refusal."""
    if isinstance(exc, OSError):
        return None
    text = str(exc)
    if text.startswith("IO_E"):
        code = getattr(errno, text[3:], errno.EIO)
        return OSError(code, os.strerror(code), str(dest))
    return None


def write_bytes_atomic(dest: str | os.PathLike, data: bytes) -> Path:
    with atomic_output(dest) as tmp:
        tmp.write_bytes(data)
    return Path(dest)


def write_text_atomic(dest: str | os.PathLike, text: str) -> Path:
    return write_bytes_atomic(dest, text.encode("utf-8"))
