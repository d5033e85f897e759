"""Field validators: NHS numbers, UPNs, postcodes, dates, flags, free text, names.

Pure functions, standard library only, no I/O. Each ``normalise_*`` / ``parse_*``
function returns the canonical value or raises :class:`ehtool.errors.InvalidInput`
with a message a coordinator can act on. Messages quote only what the user typed
in the same command (an NHS number, a date), never a stored name or note.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from functools import lru_cache
from operator import mul
from zoneinfo import ZoneInfo

from ehtool.errors import InvalidInput

__all__ = [
    "LONDON", "ENGLISH_LA_CODES", "WELSH_LA_CODES", "PSEUDO_LA_CODES", "UPN_LETTERS",
    "nhs_check_digit", "normalise_nhs_number", "format_nhs_number",
    "upn_check_letter", "normalise_upn",
    "normalise_postcode", "postcode_district",
    "parse_date", "parse_dob", "parse_due_date", "today_london", "age_years", "age_months", "age_label",
    "parse_bool", "clean_text", "name_key", "surname_tokens", "similar_names",
]

LONDON = ZoneInfo("Europe/London")

# --------------------------------------------------------------------------------------
# NHS number
# --------------------------------------------------------------------------------------

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
    total = sum(map(mul, first9.encode("ascii"), _NHS_WEIGHTS)) - 48 * 54
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(s) -> str:
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
            raise InvalidInput(
                f"NHS number {raw.strip()!r} has {len(text)} digits, not 10", hint=_NHS_HINT)
    if text == text[0] * 10:
        raise InvalidInput(
            f"NHS number {format_nhs_number(text)} is a placeholder, not a real NHS number",
            hint="Leave the NHS number blank when it is not known.")
    if nhs_check_digit(text[:9]) != int(text[9]):
        raise InvalidInput(
            f"NHS number {format_nhs_number(text)} fails its check digit",
            hint="Check for a mistyped or swapped digit against a letter or record from the NHS.")
    return text


def format_nhs_number(s: str) -> str:
    """'9434765919' -> '943 476 5919' (3-3-4, as printed on NHS letters)."""
    d = str(s).translate(_NHS_SEPARATORS)
    if len(d) != 10:
        return str(s)
    return f"{d[:3]} {d[3:6]} {d[6:]}"


# --------------------------------------------------------------------------------------
# Unique Pupil Number (UPN)
# --------------------------------------------------------------------------------------

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
    (201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373), (380, 384),
    (390, 394), 420, (800, 803), (805, 808), (810, 813), 815, 816, (820, 823), 825, 826,
    830, 831, (835, 839), 840, 841, 845, 846, (850, 852), (855, 857), 860, 861, (865, 874),
    (876, 896), 908, 909, 916, 919, 921, 925, 926, 928, 929, 931, 933, (935, 938),
    (940, 943),
)
# Welsh authorities also issue UPNs (a family may move to England with one).
WELSH_LA_CODES: frozenset[str] = _ranges((660, 681))
# DfE "pseudo-LA" codes accepted by school census validation (for example for
# pupils whose UPN was issued outside the maintained sector).
PSEUDO_LA_CODES: frozenset[str] = _ranges((1, 5), (701, 708))

_UPN_SHAPE = re.compile(r"[A-Z]\d{11}[0-9A-Z]")
_UPN_STRIP = str.maketrans("", "", " -\t")
_UPN_HINT = ("A UPN has 13 characters: a check letter, 11 digits, then a digit "
             "(or a letter for a temporary UPN), for example B801200005001.")


def upn_check_letter(last12: str) -> str:
    """The check letter for characters 2-13 of a UPN (DfE algorithm).

    Each of the 12 characters is multiplied by its position (2..13); a
    temporary UPN's final letter counts as its value in ``UPN_LETTERS``
    (A=0, B=1, ... Z=22). The sum modulo 23 indexes ``UPN_LETTERS``.
    """
    total = sum(_UPN_VALUE[c] * w for w, c in enumerate(last12, 2))
    return UPN_LETTERS[total % 23]


def normalise_upn(s) -> tuple[str, list[str]]:
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
                f"UPN {text} cannot contain the letter {text[pos]} (I, O and S are never used)",
                hint=_UPN_HINT)
    if upn_check_letter(text[1:]) != text[0]:
        raise InvalidInput(
            f"UPN {text} fails its check letter",
            hint="Check each character against the school's record: the first letter "
                 "is calculated from the other twelve.")
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


# --------------------------------------------------------------------------------------
# Postcodes
# --------------------------------------------------------------------------------------

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


def normalise_postcode(s) -> str:
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


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"
                  r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_DMY_SHORT = re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{1,2}")
_DATE_HINT = "Use YYYY-MM-DD (2024-03-31) or DD/MM/YYYY (31/03/2024), day before month, four-digit year."


def parse_date(s, *, field: str = "date") -> _dt.date:
    """Parse a date typed by a person or read from a file.

    Accepted: ISO ``YYYY-MM-DD`` (optionally followed by a time, as some
    exports write it), ``DD/MM/YYYY`` and ``D/M/YYYY`` (day first, as in the UK;
    ``.`` or ``-`` also separate), a :class:`datetime.date`, and a
    :class:`datetime.datetime` (its date: xlsx cells arrive as datetimes).
    Rejected: two-digit years (``01/02/03`` is ambiguous), impossible dates
    (31/02/2024) and anything else.
    """
    if isinstance(s, _dt.datetime):
        return s.date()
    if isinstance(s, _dt.date):
        return s
    raw = "" if s is None else str(s).strip()
    if not raw:
        raise InvalidInput(f"the {field} is blank", hint=_DATE_HINT)
    m = _ISO.fullmatch(raw)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _DMY.fullmatch(raw)
        if m:
            d, mo, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        elif _DMY_SHORT.fullmatch(raw):
            raise InvalidInput(
                f"{field} {raw!r} has a two-digit year, which is ambiguous", hint=_DATE_HINT)
        else:
            raise InvalidInput(f"{field} {raw!r} is not a date ehtool can read", hint=_DATE_HINT)
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        raise InvalidInput(f"{field} {raw!r} is not a real date", hint=_DATE_HINT) from None


def today_london() -> _dt.date:
    """Today's date in England (Europe/London), whatever the machine's zone."""
    return _dt.datetime.now(LONDON).date()


MAX_AGE_YEARS = 120
DUE_DATE_MAX_AHEAD = _dt.timedelta(days=310)  # about ten months
DUE_DATE_MAX_OVERDUE = _dt.timedelta(days=14)  # induction is usually offered by 42 weeks


def _years_before(day: _dt.date, years: int) -> _dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, month=3, day=1)


def parse_dob(s, *, today: _dt.date | None = None, field: str = "date of birth") -> _dt.date:
    """A date of birth: as :func:`parse_date`, not in the future and not more
    than 120 years ago."""
    day = parse_date(s, field=field)
    today = today or today_london()
    if day > today:
        raise InvalidInput(
            f"{field} {day.isoformat()} is in the future",
            hint="For a baby not yet born, record the role 'unborn' with an expected due date.")
    if day < _years_before(today, MAX_AGE_YEARS):
        raise InvalidInput(
            f"{field} {day.isoformat()} is more than {MAX_AGE_YEARS} years ago", hint=_DATE_HINT)
    return day


def parse_due_date(s, *, today: _dt.date | None = None, field: str = "expected due date") -> _dt.date:
    """An unborn child's expected due date: from two weeks ago (a baby may come
    late) to about ten months ahead."""
    day = parse_date(s, field=field)
    today = today or today_london()
    if day < today - DUE_DATE_MAX_OVERDUE:
        raise InvalidInput(
            f"{field} {day.isoformat()} is more than two weeks ago",
            hint="If the baby has been born, record the child with a date of birth instead.")
    if day > today + DUE_DATE_MAX_AHEAD:
        raise InvalidInput(
            f"{field} {day.isoformat()} is more than ten months ahead",
            hint="Check the year of the expected due date.")
    return day


def age_years(dob: _dt.date, on: _dt.date | None = None) -> int:
    """Age in whole years on a day. A 29 February birthday falls on 1 March in
    a year without one (so the person is still the younger age on 28 February)."""
    on = on or today_london()
    if on < dob:
        raise ValueError("the date of birth is after the day the age is wanted for")
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def age_months(dob: _dt.date, on: _dt.date | None = None) -> int:
    """Age in whole months; a monthly birthday on a day the month lacks (the 31st)
    falls on the 1st of the next month, as 29 February does for years."""
    on = on or today_london()
    if on < dob:
        raise ValueError("the date of birth is after the day the age is wanted for")
    return (on.year - dob.year) * 12 + on.month - dob.month - (on.day < dob.day)


def age_label(dob: _dt.date, on: _dt.date | None = None) -> str:
    """'3y', or for a child under two, months: '9m', '0m'. (Unborn children
    have no date of birth: the caller shows 'unborn'.)"""
    on = on or today_london()
    years = age_years(dob, on)
    if years < 2:
        return f"{age_months(dob, on)}m"
    return f"{years}y"


# --------------------------------------------------------------------------------------
# Flags and free text
# --------------------------------------------------------------------------------------

_TRUE = frozenset({"yes", "y", "true", "1"})
_FALSE = frozenset({"no", "n", "false", "0", ""})


def parse_bool(s, *, field: str = "value") -> bool:
    """A yes/no cell from an import: yes/no, y/n, true/false, 1/0 (any case);
    blank or missing means no. Anything else is refused rather than guessed."""
    if s is None:
        return False
    if isinstance(s, bool):
        return s
    if isinstance(s, (int, float)) and s in (0, 1):
        return bool(s)
    text = str(s).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(f"{field} {str(s).strip()!r} is not yes or no",
                       hint="Use yes or no (y/n, true/false and 1/0 also work); blank means no.")


# ASCII control characters: dropped, except that in single-line text the
# whitespace ones (tab, line breaks) become one space rather than gluing words.
_CONTROLS = {c: None for c in range(32)} | {127: None}
_MULTILINE = dict(_CONTROLS) | {ord("\t"): "\t", ord("\n"): "\n"}
_BREAK_RUN = re.compile(r"[\t\n\r\v\f]+")


def clean_text(s, *, field: str, max_len: int | None = None, multiline: bool = False) -> str:
    """Tidy free text without changing what it says.

    Strips surrounding whitespace; removes ASCII control characters (NUL
    always); keeps tab and newline in multi-line text (CRLF and lone CR become
    newline), and in single-line text turns a run of tabs/line breaks into
    one space. Everything else is kept literally: emoji, ``<``, ``&``,
    ``[bold]``, ``=SUM(...)``, quotes; escaping is the job of whoever renders
    it. Text longer than ``max_len`` characters is refused, never cut.
    ``None`` gives ``""``.
    """
    if s is None:
        return ""
    text = s if isinstance(s, str) else str(s)
    if multiline:
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = text.translate(_MULTILINE)
    elif not text.isprintable():  # the common case (plain text) skips this
        text = _BREAK_RUN.sub(" ", text).translate(_CONTROLS)
    text = text.strip()
    if max_len is not None and len(text) > max_len:
        raise InvalidInput(
            f"{field} is too long: {len(text)} characters, at most {max_len} allowed",
            hint="Shorten it; ehtool never cuts text short on its own.")
    return text


# --------------------------------------------------------------------------------------
# Names: keys and similarity for possible-duplicate checks
# --------------------------------------------------------------------------------------

# Letters that NFKD does not decompose into a base letter + accent.
_FOLD_EXTRA = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae",
                             "œ": "oe", "þ": "th", "ð": "d", "ŀ": "l"})
_APOSTROPHES = str.maketrans("", "", "'’‘`´ʼ")
_NON_WORD = re.compile(r"[\W_]+")
# Words that label a family or address a person rather than name them.
_NAME_STOPWORDS = frozenset({"the", "family", "household", "and", "mr", "mrs", "ms", "miss",
                             "mx", "dr", "baby"})
_LABEL_WORDS = frozenset({"family", "household"})
SIMILARITY_RATIO = 0.85


@lru_cache(maxsize=65536)
def name_key(s: str) -> str:
    """A comparison key: case-folded, accents stripped, apostrophes dropped
    (O'Brien = OBrien), other punctuation and whitespace collapsed to single
    spaces. Idempotent: ``name_key(name_key(x)) == name_key(x)``. ``None`` gives ``""``."""
    if s is None:
        return ""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", str(s)).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_FOLD_EXTRA).translate(_APOSTROPHES)
    return _NON_WORD.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def _parsed(s: str) -> tuple[str, frozenset[str], str, bool]:
    key = name_key(s)
    words = key.split()
    is_label = any(w in _LABEL_WORDS for w in words)
    tokens = [w for w in words if w not in _NAME_STOPWORDS]
    if is_label or len(tokens) < 2:
        surnames, first = tokens, ""
    else:
        surnames, first = tokens[1:], tokens[0]
    return key, frozenset(t for t in surnames if len(t) >= 2), first, is_label or not first


def surname_tokens(s: str) -> frozenset[str]:
    """The words of a name taken as surnames: for a family label ('Smith-Ahmed
    household', 'Okafor family', a single word) every word; for a person's name
    ('Amina Yusuf-Hassan') every word after the first."""
    return _parsed(s)[1]


def similar_names(a: str, b: str) -> bool:
    """Could these two names be the same family or person? (A prompt to check
    for a duplicate, never a merge.) Works on names or on their
    :func:`name_key`\\ s. True when:

    1. the keys are equal (case, accents, punctuation and spacing ignored); or
    2. a surname word is shared exactly (after :func:`name_key`): for family
       labels that alone is enough ('Smith-Ahmed household' ~ 'Ahmed family');
       for two people's names the first names must also start with the same
       letter ('Jo Okafor' ~ 'Joanne Okafor', but 'Ada Okafor' is not
       'Obi Okafor': siblings, and twins share a birthday); or
    3. difflib's ratio of the keys is at least 0.85 (one or two typos:
       'Mohammed Ali' ~ 'Muhammad Ali').

    Cheap enough for a loop over candidates: keys and surname sets are cached
    and difflib's quick upper bounds are tried before the full ratio.
    """
    ka, sa, fa, label_a = _parsed(a)
    kb, sb, fb, label_b = _parsed(b)
    if ka == kb:
        return bool(ka)
    if not ka or not kb:
        return False
    if sa & sb and (label_a or label_b or fa[0] == fb[0]):
        return True
    from difflib import SequenceMatcher  # only when names need comparing

    matcher = SequenceMatcher(None, ka, kb, autojunk=False)
    return (matcher.real_quick_ratio() >= SIMILARITY_RATIO
            and matcher.quick_ratio() >= SIMILARITY_RATIO
            and matcher.ratio() >= SIMILARITY_RATIO)
