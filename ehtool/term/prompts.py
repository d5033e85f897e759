"""The one seam for interactive input. Nothing else imports questionary.

No prompt ever blocks a script: with no terminal on stdin or stdout, or with
``--no-input`` / ``EHTOOL_NO_INPUT``, :func:`require_terminal` fails at once
naming the flag that answers the question.
"""

from __future__ import annotations

import os
import sys

from ehtool.errors import Cancelled, NeedsInput
from ehtool.term import session


def interactive() -> bool:
    now = session.current()
    if now.input is not None:
        return True
    if now.no_input or os.environ.get("EHTOOL_NO_INPUT", "").strip() not in ("", "0"):
        return False
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def require_terminal(what: str, flag: str) -> None:
    if not interactive():
        raise NeedsInput(f"{what} needs an answer, and there is no terminal to ask on.", hint=f"Pass {flag}.")


def _run(factory, *args, **kwargs):
    now = session.current()
    if now.input is not None:
        kwargs.setdefault("input", now.input)
        kwargs.setdefault("output", now.output)
    try:
        question = factory(*args, **kwargs)
        return question.unsafe_ask()
    except KeyboardInterrupt:
        raise Cancelled("Cancelled. Nothing was saved.") from None
    except EOFError:
        raise Cancelled("Input ended. Nothing was saved.") from None


def text(message: str, *, default: str = "", multiline: bool = False, instruction: str | None = None) -> str:
    import questionary

    return _run(questionary.text, message, default=default, multiline=multiline, instruction=instruction)


def confirm(message: str, *, default: bool = False) -> bool:
    import questionary

    return _run(questionary.confirm, message, default=default)


def select(
    message: str, choices: list[tuple[str, str]], *, default: str | None = None, instruction: str | None = None
) -> str:
    """choices: (value, title) pairs."""
    import questionary

    qchoices = [questionary.Choice(title=title, value=value) for value, title in choices]
    dflt = next((c for c in qchoices if c.value == default), None)
    return _run(questionary.select, message, choices=qchoices, default=dflt, instruction=instruction)


def checkbox(message: str, choices: list[tuple[str, str]], *, instruction: str | None = None) -> list[str]:
    import questionary

    qchoices = [questionary.Choice(title=title, value=value) for value, title in choices]
    return _run(questionary.checkbox, message, choices=qchoices, instruction=instruction)
