"""Errors a user can cause, each with a documented exit status.

A command raises one of these; ``ehtool.cli`` turns it into one message on
stderr and the exit status below. Messages never carry personal data beyond
what the user typed in the same command (a family reference is fine, a name
is not).
"""

from __future__ import annotations

# Exit statuses (documented in README.md, "Exit statuses").
OK = 0
INTERNAL = 1  # a bug in ehtool: please report it (run again with --debug)
USAGE = 2  # wrong flags, or an answer is needed and there is no terminal
NOT_FOUND = 3  # no such family / member / panel / file / database
INVALID = 4  # the input was read but is not valid
CONFLICT = 5  # duplicate, already exists, stale, or state does not allow it
REFUSED = 6  # refused for safety: consent, unsafe location, newer schema
SYSTEM = 7  # the system refused: disk full, permission denied, database busy too long
OVERDUE = 8  # `due --fail-if-overdue` found overdue items
SIGNIFICANT_HARM = 10  # an assessment indicated possible significant harm


# An error lists at most this many problems (the rest are counted in its hint).
MAX_PROBLEMS_SHOWN = 200


def capped(problems: list[str]) -> tuple[list[str], str]:
    """The problems to list, and a note for the hint counting the ones left out."""
    shown = problems[:MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    return shown, (f" {more} more not shown." if more else "")


class EhtoolError(Exception):
    """Base for every error a user can cause and fix."""

    exit_code = INTERNAL

    def __init__(self, message: str, hint: str | None = None, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.problems = list(problems or [])

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class UsageError(EhtoolError):
    exit_code = USAGE


class NeedsInput(UsageError):
    """An answer is needed but nobody can give one (no terminal, --no-input)."""


class NotFound(EhtoolError):
    exit_code = NOT_FOUND


class InvalidInput(EhtoolError):
    exit_code = INVALID


class Conflict(EhtoolError):
    exit_code = CONFLICT


class Refused(EhtoolError):
    exit_code = REFUSED


class SystemRefusal(EhtoolError):
    """The system said no: permission denied, a read-only database, the disk full."""

    exit_code = SYSTEM


class Cancelled(EhtoolError):
    """The user cancelled (Ctrl-C, or said no at a confirmation). Nothing saved."""

    exit_code = 130
