"""How this run talks to a person: quiet or not, prompting allowed or not.

Set once per command by the root callback (from ``--quiet`` and ``--no-input``)
and read by :mod:`ehtool.term.output` and :mod:`ehtool.term.prompts`. Held in a
context variable, not a module global: two runs in one process (the tests) never
see each other's settings.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Session:
    quiet: bool = False
    no_input: bool = False
    # The one seam for interactive input: tests put prompt_toolkit's pipe input here.
    input: Any = None
    output: Any = None


_DEFAULT = Session()
_current: contextvars.ContextVar[Session] = contextvars.ContextVar("ehtool_term_session")


def current() -> Session:
    return _current.get(_DEFAULT)


def begin(*, quiet: bool, no_input: bool) -> contextvars.Token[Session]:
    """Start a command's session, keeping any piped input a test has set up."""
    now = current()
    return _current.set(Session(quiet=quiet, no_input=no_input, input=now.input, output=now.output))


def end(token: contextvars.Token[Session]) -> None:
    _current.reset(token)


@contextmanager
def piped(inp: Any, out: Any) -> Iterator[None]:
    """Answer prompts from ``inp`` (prompt_toolkit pipe input) and draw them on ``out``."""
    token = _current.set(Session(input=inp, output=out))
    try:
        yield
    finally:
        _current.reset(token)
