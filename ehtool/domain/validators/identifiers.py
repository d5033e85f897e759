"""People's identifiers: NHS numbers, Unique Pupil Numbers (UPNs) and the LA codes in them.

Pure functions, standard library only, no I/O (see :mod:`ehtool.domain.validators`).
"""

from __future__ import annotations

import re
from operator import mul

from ehtool.errors import InvalidInput

# -- NHS number ------------------------------------------------------------------------

_NHS_SEPARATORS = str.maketrans("", "", " -\t")
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_NHS_HINT = "An NHS number has 10 digits, for example 943 476 5919; spaces and hyphens are fine."


def nhs_check_digit(first9: str) -> int | None:
    """The modulus-11 check digit for the first nine digits (a string of nine
    ASCII digits), or None when the remainder makes the number unusable
    (check value 10: never issued)."""
    if len(first9) != 9 or not (first9.isascii() and first9.isdigit()):
        raise ValueError("nhs_check_digit needs exactly nine digits")
    # Byte values are ord('0') + digit; the weights sum to 54.
    total: int = sum(map(mul, first9.encode("ascii"), _NHS_WEIGHTS)) - 48 * 54
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(s: object) -> str:
    """Return the 10 digits of a valid NHS number.

    Accepts spaces and hyphens ("943 476 5919", "943-476-5919") and an int
    (a spreadsheet cell that lost its formatting; a lost leading zero is put
    back). The last digit must be the modulus-11 check digit of the first nine
    (weights 10..2; 11 means 0; 10 means the number can never be issued).

    Numbers made of one repeated digit (0000000000, 9999999999...) pass the
    check digit arithmetically, but are never issued to a person: they are
    the placeholders people type when the number is unknown (UKHSA's ``epidm``
    rejects them for the same reason). Accepting them would make every
    family with "9999999999" look like a duplicate of every other, so they
    are refused with a hint to leave the field blank.
    """
    if isinstance(s, bool):
        raise InvalidInput("an NHS number must be 10 digits", hint=_NHS_HINT)
    if isinstance(s, float) and s.is_integer():
        s = int(s)
    if isinstance(s, int):
        if s < 0 or s >= 10**10:
            raise InvalidInput(f"NHS number {s} does not have 10 digits", hint=_NHS_HINT)
        text = f"{s:010d}"
    else:
        raw = "" if s is None else str(s)
        text = raw.strip().translate(_NHS_SEPARATORS)
        if not text:
            raise InvalidInput("the NHS number is blank", hint=_NHS_HINT)
        if not (text.isascii() and text.isdigit()):
            raise InvalidInput(f"NHS number {raw.strip()!r} must contain only digits", hint=_NHS_HINT)
        if len(text) != 10:
            raise InvalidInput(f"NHS number {raw.strip()!r} has {len(text)} digits, not 10", hint=_NHS_HINT)
    if text == text[0] * 10:
        raise InvalidInput(
            f"NHS number {format_nhs_number(text)} is a placeholder, not a real NHS number",
            hint="Leave the NHS number blank when it is not known.",
        )
    if nhs_check_digit(text[:9]) != int(text[9]):
        raise InvalidInput(
            f"NHS number {format_nhs_number(text)} fails its check digit",
            hint="Check for a mistyped or swapped digit against a letter or record from the NHS.",
        )
    return text


def format_nhs_number(s: str) -> str:
    """'9434765919' -> '943 476 5919' (3-3-4, as printed on NHS letters)."""
    d = str(s).translate(_NHS_SEPARATORS)
    if len(d) != 10:
        return str(s)
    return f"{d[:3]} {d[3:6]} {d[6:]}"


# -- Unique Pupil Number (UPN) ---------------------------------------------------------

# The 23 letters used by the UPN check letter and a temporary UPN's last
# character (I, O and S are never used). Index = value: A=0 ... Z=22.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_VALUE = {c: i for i, c in enumerate(UPN_LETTERS)} | {str(d): d for d in range(10)}


def _ranges(*spans: tuple[int, int] | int) -> frozenset[str]:
    out: set[str] = set()
    for span in spans:
        lo, hi = (span, span) if isinstance(span, int) else span
        out.update(f"{n:03d}" for n in range(lo, hi + 1))
    return frozenset(out)


# English local-authority numbers as used in UPNs and LAESTAB numbers (DfE), current
# and former (a child keeps the UPN issued before a reorganisation):
# 201-213 inner London (201 City of London ... 210 Southwark, 213 Westminster),
# 301-320 outer London (306 Croydon, 315 Merton, 319 Sutton...), 330-394
# metropolitan districts, 420 Isles of Scilly, 800-896 and 908-938 unitary and
# county councils, 838/839 Dorset and BCP (2019), 940/941 North and West
# Northamptonshire (2021), 942/943 Cumberland and Westmorland & Furness (2023);
# 820 Bedfordshire, 835-837 old Dorset/Poole/Bournemouth, 909 Cumbria and 928
# Northamptonshire are former codes still found on older UPNs.
ENGLISH_LA_CODES: frozenset[str] = _ranges(
    (201, 213),
    (301, 320),
    (330, 336),
    (340, 344),
    (350, 359),
    (370, 373),
    (380, 384),
    (390, 394),
    420,
    (800, 803),
    (805, 808),
    (810, 813),
    815,
    816,
    (820, 823),
    825,
    826,
    830,
    831,
    (835, 839),
    840,
    841,
    845,
    846,
    (850, 852),
    (855, 857),
    860,
    861,
    (865, 874),
    (876, 896),
    908,
    909,
    916,
    919,
    921,
    925,
    926,
    928,
    929,
    931,
    933,
    (935, 938),
    (940, 943),
)
# Welsh authorities also issue UPNs (a family may move to England with one).
WELSH_LA_CODES: frozenset[str] = _ranges((660, 681))
# DfE "pseudo-LA" codes accepted by school census validation (for example for
# pupils whose UPN was issued outside the maintained sector).
PSEUDO_LA_CODES: frozenset[str] = _ranges((1, 5), (701, 708))

_UPN_SHAPE = re.compile(r"[A-Z]\d{11}[0-9A-Z]")
_UPN_STRIP = str.maketrans("", "", " -\t")
_UPN_HINT = (
    "A UPN has 13 characters: a check letter, 11 digits, then a digit "
    "(or a letter for a temporary UPN), for example B801200005001."
)


def upn_check_letter(last12: str) -> str:
    """The check letter for characters 2-13 of a UPN (DfE algorithm).

    Each of the 12 characters is multiplied by its position (2..13); a
    temporary UPN's final letter counts as its value in ``UPN_LETTERS``
    (A=0, B=1, ... Z=22). The sum modulo 23 indexes ``UPN_LETTERS``.
    """
    total = sum(_UPN_VALUE[c] * w for w, c in enumerate(last12, 2))
    return UPN_LETTERS[total % 23]


def normalise_upn(s: object) -> tuple[str, list[str]]:
    """Return (the upper-cased UPN, warnings).

    Rejected: wrong length or shape, a letter I, O or S where a letter goes, and a
    wrong check letter. Warnings (the UPN is kept): an LA number (characters 2-4)
    that is not a known English authority, and a temporary UPN.
    """
    raw = "" if s is None else str(s).strip()
    text = raw.upper().translate(_UPN_STRIP)
    if not text:
        raise InvalidInput("the UPN is blank", hint=_UPN_HINT)
    if len(text) != 13:
        raise InvalidInput(f"UPN {raw!r} has {len(text)} characters, not 13", hint=_UPN_HINT)
    if not (text.isascii() and _UPN_SHAPE.fullmatch(text)):
        raise InvalidInput(f"UPN {raw!r} is not in the UPN format", hint=_UPN_HINT)
    for pos in (0, 12):
        if text[pos] in "IOS":
            raise InvalidInput(
                f"UPN {text} cannot contain the letter {text[pos]} (I, O and S are never used)", hint=_UPN_HINT
            )
    if upn_check_letter(text[1:]) != text[0]:
        raise InvalidInput(
            f"UPN {text} fails its check letter",
            hint="Check each character against the school's record: the first letter "
            "is calculated from the other twelve.",
        )
    warnings: list[str] = []
    la = text[1:4]
    if la in ENGLISH_LA_CODES:
        pass
    elif la in WELSH_LA_CODES:
        warnings.append(f"UPN {text} was issued by a Welsh authority (LA number {la}), not an English one")
    elif la in PSEUDO_LA_CODES:
        warnings.append(f"UPN {text} has a DfE pseudo-LA number ({la}), not an English local authority's")
    else:
        warnings.append(f"UPN {text} has LA number {la}, which is not a known English local authority")
    if text[12].isalpha():
        warnings.append(f"UPN {text} is a temporary UPN; ask the school for the permanent one")
    return text, warnings
