"""Rendering an untrusted template within bounds on time, memory and output size.

Partnerships edit plan templates, so a template is untrusted. Jinja's sandbox stops it
reaching Python internals, but not from looping for hours, filling the memory or
writing gigabytes. :func:`run_bounded` runs one render in a child process
(``os.fork``) that limits itself before it starts:

- time: the parent waits at most ``seconds`` of wall-clock time, then kills the child;
  the child also has a CPU limit and an alarm a little later (``RLIMIT_CPU``,
  ``signal.alarm``), so it dies even if the parent does;
- memory: the child's address space may grow by at most ``memory_mb`` beyond what
  the process already used when it was forked (``RLIMIT_AS``; on Linux, where
  ``/proc/self/statm`` tells the current size);
- output: the document may be at most ``output_mb`` (text is counted as it is made,
  see :class:`BoundExceeded`; the parent stops reading from the child past it).

Past a bound the render stops and ``InvalidInput`` (exit 4) names the template file
and the bound ("took longer than 30 seconds"...), so nothing is written. Any other
error the render raises (an ``EhtoolError``, an ``OSError``) comes back to the parent
as the same error with the same message, hint and problems. The child ends with
``os._exit``: no atexit handlers, no second flush of the parent's output.

The bounds (production defaults are generous: a plan renders in well under a second
and is well under 1 MB); each can be changed by an environment variable, e.g. lowered
in tests::

    RENDER_SECONDS   = 30    EHTOOL_RENDER_TIMEOUT    seconds
    RENDER_MEMORY_MB = 1024  EHTOOL_RENDER_MEMORY_MB  MB beyond what ehtool already uses
    RENDER_OUTPUT_MB = 50    EHTOOL_RENDER_OUTPUT_MB  MB of document

Compiling a template is part of the untrusted work, so it happens in the child too.
So that every render does not compile the template again, what a child compiles is
handed back to the parent in a :class:`Memo` (template bytecode, patched Word XML):
the next child starts warm, as an in-process cache would. The parent only keeps
those entries; they are run only in later children. A render costs a fork (a few
milliseconds) on top of the render itself.

Where ``os.fork`` does not exist (Windows) the render runs in this process with the
output bound and ``MemoryError`` reported the same way, but without a time or memory
bound.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import math
import os
import selectors
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ehtool import errors
from ehtool.errors import EhtoolError, InvalidInput, UsageError

try:
    import resource
except ImportError:  # Windows: no fork either, see run_bounded
    resource = None  # type: ignore[assignment]

RENDER_SECONDS = 30.0
RENDER_MEMORY_MB = 1024.0
RENDER_OUTPUT_MB = 50.0

_ENV = {
    "seconds": ("EHTOOL_RENDER_TIMEOUT", RENDER_SECONDS, "seconds"),
    "memory_mb": ("EHTOOL_RENDER_MEMORY_MB", RENDER_MEMORY_MB, "MB"),
    "output_mb": ("EHTOOL_RENDER_OUTPUT_MB", RENDER_OUTPUT_MB, "MB"),
}
MB = 1024 * 1024
# What a child may hand back to warm the parent's caches, beyond the document.
_MAX_LEARNED = 16 * MB
_CHILD_FAILED = 70  # the child's exit status when it could not even report


@dataclass(frozen=True)
class Bounds:
    seconds: float = RENDER_SECONDS
    memory_mb: float = RENDER_MEMORY_MB
    output_mb: float = RENDER_OUTPUT_MB

    @property
    def output_bytes(self) -> int:
        return int(self.output_mb * MB)

    @classmethod
    def from_env(cls) -> Bounds:
        values = {}
        for field, (var, default, unit) in _ENV.items():
            raw = os.environ.get(var, "").strip()
            if not raw:
                values[field] = default
                continue
            try:
                value = float(raw)
            except ValueError:
                value = math.nan
            if not (value > 0 and math.isfinite(value)):
                raise UsageError(f"{var} must be a positive number of {unit}, not {raw!r}.")
            values[field] = value
        return cls(**values)


class BoundExceeded(Exception):
    """Raised inside a render that went past a bound: ``kind`` is "time", "memory"
    or "output"."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def bound_error(kind: str, template: Path | str, bounds: Bounds) -> InvalidInput:
    """The error a user sees when a template went past a bound."""
    where = f"Template {template}"
    if kind == "time":
        what = f"took longer than {bounds.seconds:g} seconds"
        hint = "Look for loops inside loops; a plan renders in well under a second."
    elif kind == "memory":
        what = f"needed more than {bounds.memory_mb:g} MB of memory"
        hint = "Look for text that grows in a loop, or very large widths or counts."
    else:
        what = f"produced more than {bounds.output_mb:g} MB"
        hint = "Look for loops that repeat text; a plan document is rarely over 1 MB."
    return InvalidInput(
        f"{where} {what} and was stopped; nothing was written.",
        hint=hint + " Or render with the bundled template.",
    )


# --- caches a child fills for its parent ---------------------------------------------

_MEMOS: dict[str, Memo] = {}
_in_child = False


class Memo:
    """A small cache (cleared when full) of what compiling a template makes. In a
    child, what is added is also noted, and handed back to the parent with the
    document; keys and values must be what ``marshal`` can carry (str, bytes, code,
    tuples of them)."""

    def __init__(self, name: str, size: int = 64):
        self.name = name
        self.size = size
        self._items: dict[Any, Any] = {}
        self._fresh: list[tuple[Any, Any]] = []
        _MEMOS[name] = self

    def get(self, key: Any) -> Any:
        return self._items.get(key)

    def put(self, key: Any, value: Any) -> None:
        if len(self._items) >= self.size:
            self._items.clear()
        self._items[key] = value
        if _in_child:
            self._fresh.append((key, value))

    def clear(self) -> None:
        self._items.clear()
        self._fresh.clear()


def _learned() -> dict[str, list]:
    return {name: memo._fresh for name, memo in _MEMOS.items() if memo._fresh}


def _learn(learned: Any) -> None:
    if not isinstance(learned, dict):
        return
    for name, entries in learned.items():
        memo = _MEMOS.get(name)
        if memo is None or not isinstance(entries, list):
            continue
        for entry in entries:
            if isinstance(entry, tuple) and len(entry) == 2:
                memo.put(*entry)


# --- running a render ---------------------------------------------------------------


def run_bounded(render: Callable[[], bytes], template: Path | str, bounds: Bounds | None = None) -> bytes:
    """``render()`` in a child process within ``bounds`` (from the environment if not
    given); its bytes, or ``InvalidInput`` naming ``template`` past a bound."""
    bounds = bounds or Bounds.from_env()
    if not hasattr(os, "fork"):
        return _run_here(render, template, bounds)
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
        with contextlib.suppress(Exception):
            stream.flush()
    address_space = _address_space()  # here: reading it in the child is slower
    read_end, write_end = os.pipe()
    # The child's garbage collector leaves the parent's objects alone (no finaliser of
    # the parent's runs in the child), and fewer pages are copied.
    thaw = gc.get_freeze_count() == 0  # (leave alone what someone else froze)
    gc.freeze()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns when a process with threads forks. The child takes no
            # lock another thread may hold, and is killed at the deadline regardless.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except BaseException:
        if thaw:
            gc.unfreeze()
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:  # the child: never returns
        status = _CHILD_FAILED
        try:
            os.close(read_end)
            _child(render, write_end, bounds, address_space)
            status = 0
        except BaseException:
            pass
        finally:
            os._exit(status)
    if thaw:
        gc.unfreeze()
    os.close(write_end)
    reaped = False
    try:
        raw, timed_out = _read_reply(read_end, bounds)
        if timed_out or raw is None:
            os.kill(pid, signal.SIGKILL)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:  # SIGCHLD ignored: reaped already; judge by the reply
            status = 0
        reaped = True
    finally:
        os.close(read_end)
        if not reaped:  # interrupted (Ctrl-C)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
    if timed_out:
        raise bound_error("time", template, bounds)
    if raw is None:
        raise bound_error("output", template, bounds)
    return _outcome(raw, status, template, bounds)


def _run_here(render: Callable[[], bytes], template: Path | str, bounds: Bounds) -> bytes:
    try:
        data = render()
    except BoundExceeded as exc:
        raise bound_error(exc.kind, template, bounds) from None
    except MemoryError:
        raise bound_error("memory", template, bounds) from None
    if len(data) > bounds.output_bytes:
        raise bound_error("output", template, bounds)
    return data


def _read_reply(fd: int, bounds: Bounds) -> tuple[bytes | None, bool]:
    """Everything the child writes: (bytes, False); (None, False) past the size
    allowed; (b"", True) when the deadline passed first."""
    cap = bounds.output_bytes + _MAX_LEARNED + MB
    deadline = time.monotonic() + bounds.seconds
    chunks: list[bytes] = []
    total = 0
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return b"", True
            if not selector.select(min(remaining, 3600)):
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks), False
            total += len(chunk)
            if total > cap:
                return None, False
            chunks.append(chunk)


def _outcome(raw: bytes, status: int, template: Path | str, bounds: Bounds) -> bytes:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in (signal.SIGXCPU, signal.SIGALRM):
            raise bound_error("time", template, bounds)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        raise InvalidInput(
            f"Template {template} stopped while rendering ({name}); it may have needed "
            f"more than {bounds.memory_mb:g} MB of memory. Nothing was written.",
            hint="Render with the bundled template, or check the template.",
        )
    try:
        reply = marshal.loads(raw) if raw else None
    except (EOFError, ValueError, TypeError):
        reply = None
    if not isinstance(reply, dict):
        raise RuntimeError(
            f"rendering {template} failed in the child process (exit status "
            f"{os.waitstatus_to_exitcode(status)}, no reply)"
        )
    if "ok" in reply:
        _learn(reply.get("learned"))
        return reply["ok"]
    if "bound" in reply:
        raise bound_error(reply["bound"], template, bounds)
    if "error" in reply:
        cls = getattr(errors, reply["error"], None)
        if not (isinstance(cls, type) and issubclass(cls, EhtoolError)):
            cls = InvalidInput
        raise cls(reply["message"], hint=reply["hint"], problems=reply["problems"])
    if "oserror" in reply:
        number, text, filename = reply["oserror"]
        raise OSError(number, text, filename)
    raise RuntimeError(f"rendering {template} failed in the child process:\n{reply.get('crash')}")


# --- in the child --------------------------------------------------------------------


def _child(render: Callable[[], bytes], fd: int, bounds: Bounds, address_space: int | None) -> None:
    global _in_child
    _in_child = True
    for memo in _MEMOS.values():
        memo._fresh.clear()
    _limit_self(bounds, address_space)
    reply: dict[str, Any]
    try:
        data = render()
        if len(data) > bounds.output_bytes:
            reply = {"bound": "output"}
        else:
            reply = {"ok": data}
            learned = _learned()
            if learned and len(marshal.dumps(learned)) <= _MAX_LEARNED:
                reply["learned"] = learned
    except BoundExceeded as exc:
        reply = {"bound": exc.kind}
    except MemoryError:
        reply = {"bound": "memory"}
    except EhtoolError as exc:
        reply = {
            "error": type(exc).__name__,
            "message": str(exc.message),
            "hint": None if exc.hint is None else str(exc.hint),
            "problems": [str(p) for p in exc.problems],
        }
    except OSError as exc:
        reply = {"oserror": (exc.errno, exc.strerror, None if exc.filename is None else str(exc.filename))}
    except Exception:
        reply = {"crash": traceback.format_exc()}
    payload = marshal.dumps(reply)
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]
    os.close(fd)


def _limit_self(bounds: Bounds, address_space: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the child
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # not a handler the parent installed
    seconds = min(math.ceil(bounds.seconds) + 1, 2**31 - 2)  # alarm() takes an unsigned int
    signal.alarm(seconds + 1)
    _set_limit(resource.RLIMIT_CORE, 0)
    _set_limit(resource.RLIMIT_CPU, seconds, seconds + 1)
    if address_space is not None:
        _set_limit(resource.RLIMIT_AS, address_space + int(bounds.memory_mb * MB))


def _set_limit(which: int, soft: int, hard: int | None = None) -> None:
    hard = soft if hard is None else hard
    with contextlib.suppress(ValueError, OverflowError, OSError):  # then: no such limit
        _, old_hard = resource.getrlimit(which)
        if old_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, old_hard), min(hard, old_hard)
        resource.setrlimit(which, (soft, hard))


def _address_space() -> int | None:
    """The process's address space now, in bytes (Linux); None where not known."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None
