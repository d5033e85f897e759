"""UK postcodes: shape check, canonical spelling and the outward code (district).

Pure functions, standard library only, no I/O (see :mod:`ehtool.domain.validators`).
"""

from __future__ import annotations

import re

from ehtool.errors import InvalidInput

# The shape of a UK postcode (the widely used government pattern): an outward
# code of area + district (A9, A99, AA9, AA99, A9A, AA9A with the letters each
# position allows), then the inward code: a digit and two letters (never C, I,
# K, M, O or V). GIR 0AA is the one historic exception.
_POSTCODE = re.compile(
    r"(?:GIR0AA|"
    r"(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})"
)
_POSTCODE_STRIP = str.maketrans("", "", " \t-")
_POSTCODE_HINT = "A UK postcode looks like CR0 1AB or SW19 2RR."


def normalise_postcode(s: object) -> str:
    """'cr0 1ab' -> 'CR0 1AB', 'SM11AA' -> 'SM1 1AA'. Upper case, exactly one
    space before the three-character inward code; the shape must be a UK
    postcode's (whether it exists is not checked)."""
    raw = "" if s is None else str(s).strip()
    text = raw.upper().translate(_POSTCODE_STRIP)
    if not text:
        raise InvalidInput("the postcode is blank", hint=_POSTCODE_HINT)
    if not (text.isascii() and 5 <= len(text) <= 7 and _POSTCODE.fullmatch(text)):
        raise InvalidInput(f"postcode {raw!r} is not a UK postcode", hint=_POSTCODE_HINT)
    return f"{text[:-3]} {text[-3:]}"


def postcode_district(pc: str) -> str:
    """The outward code: 'CR0 1AB' -> 'CR0' (normalises first)."""
    return normalise_postcode(pc).split(" ", 1)[0]
