"""Consent: the decisions a family can record, and which of them let work go ahead.

Early help is consensual. The latest decision of a type counts (the ledger keeps
every one). ``given`` and ``lawful-basis`` (another lawful basis, such as
safeguarding, recorded with its reason) permit the work; ``refused`` and
``withdrawn`` stop it.
"""

from __future__ import annotations

import re

from ehtool.domain import validators as v
from ehtool.errors import InvalidInput

STATUSES = ("given", "refused", "withdrawn", "lawful-basis")
PERMITTING = ("given", "lawful-basis")
STOPPING = ("refused", "withdrawn")
BASE_TYPES = ("early-help", "panel")
EARLY_HELP = "early-help"
PANEL = "panel"
_SHARE = re.compile(r"^share:(.+)$", re.IGNORECASE)


def permits(status: str | None) -> bool:
    """Whether the latest decision lets the work go ahead."""
    return status in PERMITTING


def stops(status: str | None) -> bool:
    """Whether the latest decision stops the work (refused, or withdrawn)."""
    return status in STOPPING


def parse_status(text: str | None) -> str:
    status = (text or "").strip().casefold()
    if status not in STATUSES:
        raise InvalidInput(f"status {status!r} is not one of {', '.join(STATUSES)}.")
    return status


def parse_type(text: str) -> str:
    """``early-help``, ``panel`` or ``share:AGENCY`` (the agency as typed, tidied)."""
    t = (text or "").strip()
    low = t.casefold()
    if low in BASE_TYPES:
        return low
    m = _SHARE.match(t)
    if m and m.group(1).strip():
        agency = v.clean_text(m.group(1), field="agency", max_len=120)
        return f"share:{agency}"
    raise InvalidInput(
        f"consent type {text!r} is not early-help, panel or share:AGENCY.",
        hint="For example --type early-help, --type panel or --type 'share:School'.",
    )
