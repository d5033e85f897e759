"""Validators: worked examples and properties that must hold for all inputs."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ehtool.domain import validators as v
from ehtool.errors import InvalidInput

PROPS = settings(max_examples=150, deadline=None)

# -- NHS numbers -------------------------------------------------------------------------

# A public worked example and numbers from the 999 test range (never issued).
VALID_NHS = ["9434765919", "9990000018", "9991942505"]


def _nhs(first9: str) -> str | None:
    check = v.nhs_check_digit(first9)
    return None if check is None else first9 + str(check)


@pytest.mark.parametrize("raw", ["943 476 5919", "943-476-5919", " 9434765919 ", "943 4765919", 9434765919])
def test_nhs_number_accepts_spacing_and_ints(raw):
    assert v.normalise_nhs_number(raw) == "9434765919"


@pytest.mark.parametrize("number", VALID_NHS)
def test_known_valid_nhs_numbers(number):
    assert v.normalise_nhs_number(number) == number


def test_nhs_check_digit_arithmetic():
    # 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 299; 299 % 11 = 2; 11 - 2 = 9
    assert v.nhs_check_digit("943476591") == 9
    # a remainder of 0 gives 11, which is written 0
    assert v.nhs_check_digit("943476587") == 0
    assert v.normalise_nhs_number("943 476 5870") == "9434765870"


def test_int_nhs_number_gets_its_leading_zero_back():
    number = _nhs("012345678")
    assert number is not None
    assert v.normalise_nhs_number(int(number)) == number
    assert v.normalise_nhs_number(float(int(number))) == number


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ("943 476 5918", "fails its check digit"),
        ("987 654 4321", "fails its check digit"),  # the NHS's *format* example is not check-valid
        ("943476591", "9 digits, not 10"),
        ("94347659190", "11 digits"),
        ("943 476 591X", "only digits"),
        ("", "blank"),
        ("   ", "blank"),
        (None, "blank"),
        ("٩٤٣٤٧٦٥٩١٩", "only digits"),  # Arabic-Indic digits are not accepted silently
    ],
)
def test_nhs_number_rejections(raw, fragment):
    with pytest.raises(InvalidInput) as exc:
        v.normalise_nhs_number(raw)
    assert fragment in exc.value.message
    assert exc.value.hint


def test_nhs_message_says_which_number():
    with pytest.raises(InvalidInput) as exc:
        v.normalise_nhs_number("9434765918")
    assert exc.value.message == "NHS number 943 476 5918 fails its check digit"


@pytest.mark.parametrize("digit", "0123456789")
def test_repeated_digit_placeholders_are_refused(digit):
    number = digit * 10
    # they all pass the arithmetic...
    assert _nhs(number[:9]) == number
    # ...but are placeholders, never issued
    with pytest.raises(InvalidInput, match="placeholder"):
        v.normalise_nhs_number(number)


def test_format_nhs_number():
    assert v.format_nhs_number("9434765919") == "943 476 5919"
    assert v.format_nhs_number("943-476-5919") == "943 476 5919"


first9s = st.integers(0, 10**9 - 1).map(lambda n: f"{n:09d}")
valid_nhs = first9s.map(_nhs).filter(lambda n: n is not None and len(set(n)) > 1)


@PROPS
@given(valid_nhs, st.sampled_from(["{}", "{} {} {}", "{}-{}-{}", " {}  {} {} ", "{}{}{}"]))
def test_valid_nhs_numbers_pass_and_round_trip(number, layout):
    if layout == "{}":
        typed = number
    else:
        typed = layout.format(number[:3], number[3:6], number[6:])
    assert v.normalise_nhs_number(typed) == number
    formatted = v.format_nhs_number(number)
    assert re.fullmatch(r"\d{3} \d{3} \d{4}", formatted)
    assert v.normalise_nhs_number(formatted) == number
    assert v.normalise_nhs_number(formatted.replace(" ", "-")) == number


@PROPS
@given(valid_nhs, st.integers(0, 9), st.integers(1, 9))
def test_changing_any_single_digit_makes_it_invalid(number, position, delta):
    # The weights 2..10 (and 1 for the check digit itself) are all coprime
    # with 11, so any single-digit change alters the sum mod 11.
    new_digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(new_digit) + number[position + 1 :]
    with pytest.raises(InvalidInput):
        v.normalise_nhs_number(changed)


def _check_is_10(n8: int) -> str | None:
    """Complete eight digits with the ninth that makes the check value 10 (if any)."""
    for d9 in "0123456789":
        first9 = f"{n8:08d}{d9}"
        if v.nhs_check_digit(first9) is None:
            return first9
    return None


@PROPS
@given(st.integers(0, 10**8 - 1).map(_check_is_10).filter(lambda d: d is not None), st.integers(0, 9))
def test_numbers_whose_check_computes_to_10_are_rejected(first9, last):
    with pytest.raises(InvalidInput):
        v.normalise_nhs_number(first9 + str(last))


def test_check_of_10_example():
    # 100000001: 1*10 + 1*2 = 12; 12 % 11 = 1; 11 - 1 = 10 -> never issued
    assert v.nhs_check_digit("100000001") is None
    for last in "0123456789":
        with pytest.raises(InvalidInput):
            v.normalise_nhs_number("100000001" + last)


# -- UPNs ----------------------------------------------------------------------------------


def test_upn_worked_examples():
    # python-stdnum's documented example; 8*2 + 1*4 + 2*5 + 5*10 + 1*13 = 93; 93 % 23 = 1 -> B
    assert v.upn_check_letter("801200005001") == "B"
    assert v.normalise_upn("B801200005001") == ("B801200005001", [])
    assert v.normalise_upn(" b801200005001 ") == ("B801200005001", [])
    # a published (school census) example: 2*2 + 7*4 + 1*9 + 6*10 + 4*12 + 9*13 = 266;
    # 266 % 23 = 13 -> P (A=0 ... H=7, J=8 ... N=12, P=13)
    assert v.upn_check_letter("207000016049") == "P"
    assert v.normalise_upn("P207000016049")[0] == "P207000016049"


def test_upn_letters_table():
    assert v.UPN_LETTERS == "ABCDEFGHJKLMNPQRTUVWXYZ"
    assert len(v.UPN_LETTERS) == 23
    assert not set("IOS") & set(v.UPN_LETTERS)


def test_temporary_upn_letter_counts_as_its_value():
    body = "30610002512A"  # final A = 0
    assert v.upn_check_letter(body) == v.upn_check_letter("306100025120")
    upn, warnings = v.normalise_upn(v.upn_check_letter(body) + body)
    assert upn.endswith("A")
    assert any("temporary" in w for w in warnings)


def test_upn_unknown_la_is_a_warning_not_a_rejection():
    body = "999123423001"
    upn, warnings = v.normalise_upn(v.upn_check_letter(body) + body)
    assert upn[1:] == body
    assert len(warnings) == 1 and "999" in warnings[0] and "not a known English" in warnings[0]
    welsh = "661123423001"
    _, warnings = v.normalise_upn(v.upn_check_letter(welsh) + welsh)
    assert "Welsh" in warnings[0]


def test_la_codes():
    for code in ["201", "213", "301", "306", "315", "319", "320", "210", "936", "943"]:
        assert code in v.ENGLISH_LA_CODES
    for code in ["000", "200", "214", "321", "999", "661"]:
        assert code not in v.ENGLISH_LA_CODES
    assert all(len(c) == 3 and c.isdigit() for c in v.ENGLISH_LA_CODES)
    assert len(v.ENGLISH_LA_CODES) > 150


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ("A801200005001", "fails its check letter"),
        ("B80120000500", "12 characters"),
        ("B80120A005001", "not in the UPN format"),
        ("1801200005001", "not in the UPN format"),
        ("", "blank"),
    ],
)
def test_upn_rejections(raw, fragment):
    with pytest.raises(InvalidInput) as exc:
        v.normalise_upn(raw)
    assert fragment in exc.value.message


def test_upn_letters_i_o_s_refused():
    for letter in "IOS":
        body = "80120000500" + letter
        with pytest.raises(InvalidInput, match="never used"):
            v.normalise_upn("A" + body)
    with pytest.raises(InvalidInput, match="never used"):
        v.normalise_upn("S801200005001")


upn_last = st.one_of(st.sampled_from("0123456789"), st.sampled_from(v.UPN_LETTERS))
upn_bodies = st.builds(lambda d, last: d + last, st.text("0123456789", min_size=11, max_size=11), upn_last)


@PROPS
@given(upn_bodies)
def test_generated_upns_pass(body):
    upn = v.upn_check_letter(body) + body
    assert v.normalise_upn(upn)[0] == upn
    assert v.normalise_upn(upn.lower())[0] == upn


@PROPS
@given(upn_bodies, st.integers(0, 12), st.data())
def test_single_character_changes_fail(body, position, data):
    upn = v.upn_check_letter(body) + body
    old = upn[position]
    if position == 0 or (position == 12 and old.isalpha()):
        pool = v.UPN_LETTERS
    else:
        pool = "0123456789"
    # Same kind of character, different value (a digit 0 and the letter A both
    # count 0 at the end of a temporary UPN: that is the DfE algorithm).
    new = data.draw(st.sampled_from([c for c in pool if c != old]))
    changed = upn[:position] + new + upn[position + 1 :]
    with pytest.raises(InvalidInput):
        v.normalise_upn(changed)


# -- postcodes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("cr0 1ab", "CR0 1AB"),
        ("SM11AA", "SM1 1AA"),
        ("  sw19   2rr ", "SW19 2RR"),
        ("se15 5dq", "SE15 5DQ"),
        ("EC1A1BB", "EC1A 1BB"),
        ("w1a 0ax", "W1A 0AX"),
        ("m1 1ae", "M1 1AE"),
        ("gir0aa", "GIR 0AA"),
        ("CR0-1AB", "CR0 1AB"),
    ],
)
def test_postcode_normalises(raw, expected):
    assert v.normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["", "CR0", "CR0 1A", "CR01ABC", "QR0 1AB", "CR0 1AC", "12345", "CR0 1ÅB", "ZZ99 9ZZZ"])
def test_postcode_rejections(raw):
    with pytest.raises(InvalidInput):
        v.normalise_postcode(raw)


def test_postcode_district():
    assert v.postcode_district("CR0 1AB") == "CR0"
    assert v.postcode_district("sw19 2rr") == "SW19"
    assert v.postcode_district("EC1A 1BB") == "EC1A"


_AREA1, _AREA2 = "ABCDEFGHIJKLMNOPRSTUWYZ", "ABCDEFGHKLMNOPQRSTUVWXY"
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"
outward = st.one_of(
    st.builds(lambda a, n: a + n, st.sampled_from(_AREA1), st.integers(0, 99).map(str)),
    st.builds(lambda a, b, n: a + b + n, st.sampled_from(_AREA1), st.sampled_from(_AREA2), st.integers(0, 99).map(str)),
    st.builds(
        lambda a, n, c: a + n + c,
        st.sampled_from(_AREA1),
        st.integers(0, 9).map(str),
        st.sampled_from("ABCDEFGHJKPSTUW"),
    ),
    st.builds(
        lambda a, b, n, c: a + b + n + c,
        st.sampled_from(_AREA1),
        st.sampled_from(_AREA2),
        st.integers(0, 9).map(str),
        st.sampled_from("ABEHMNPRVWXY"),
    ),
)
postcodes = st.builds(
    lambda o, d, x, y: f"{o} {d}{x}{y}",
    outward,
    st.integers(0, 9).map(str),
    st.sampled_from(_INWARD),
    st.sampled_from(_INWARD),
)


@PROPS
@given(postcodes, st.sampled_from(["", " ", "  "]), st.booleans())
def test_valid_postcodes_normalise_idempotently(pc, gap, lower):
    typed = pc.replace(" ", gap)
    typed = typed.lower() if lower else typed
    once = v.normalise_postcode(typed)
    assert once == pc
    assert v.normalise_postcode(once) == once
    assert once.count(" ") == 1 and len(once.split(" ")[1]) == 3


@PROPS
@given(st.text(max_size=12))
def test_any_text_is_normalised_idempotently_or_refused(text):
    try:
        once = v.normalise_postcode(text)
    except InvalidInput:
        return
    assert v.normalise_postcode(once) == once


# -- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2024-03-31", dt.date(2024, 3, 31)),
        ("31/03/2024", dt.date(2024, 3, 31)),
        ("1/3/2024", dt.date(2024, 3, 1)),
        ("01/03/2024", dt.date(2024, 3, 1)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        ("2024-3-1", dt.date(2024, 3, 1)),
        ("1.3.2024", dt.date(2024, 3, 1)),
        ("01-03-2024", dt.date(2024, 3, 1)),
        ("2024-03-31T00:00:00", dt.date(2024, 3, 31)),
        ("2024-03-31 00:00:00", dt.date(2024, 3, 31)),
        ("2024-03-31T00:00:00Z", dt.date(2024, 3, 31)),
        ("2024-03-31T00:00:00+01:00", dt.date(2024, 3, 31)),
        (dt.date(2024, 3, 31), dt.date(2024, 3, 31)),
        (dt.datetime(2024, 3, 31, 0, 0), dt.date(2024, 3, 31)),
    ],
)
def test_parse_date_accepts(raw, expected):
    got = v.parse_date(raw)
    assert got == expected and type(got) is dt.date


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ("01/02/03", "two-digit year"),
        ("1/2/24", "two-digit year"),
        ("31/02/2024", "not a real date"),
        ("2023-02-29", "not a real date"),
        ("13/13/2024", "not a real date"),
        ("2024/03/31", "not a date"),
        ("March 3rd", "not a date"),
        ("", "blank"),
        (None, "blank"),
        ("03/31/2024", "not a real date"),
    ],
)
def test_parse_date_rejects(raw, fragment):
    with pytest.raises(InvalidInput) as exc:
        v.parse_date(raw, field="referral date")
    assert fragment in exc.value.message
    assert "YYYY-MM-DD" in exc.value.hint and "DD/MM/YYYY" in exc.value.hint


def test_parse_date_names_the_field():
    with pytest.raises(InvalidInput, match=r"^date of birth '31/02/2024'"):
        v.parse_date("31/02/2024", field="date of birth")


@PROPS
@given(st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)))
def test_parse_date_round_trips(day):
    assert v.parse_date(day.isoformat()) == day
    assert v.parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}") == day
    assert v.parse_date(f"{day.day}/{day.month}/{day.year}") == day


@PROPS
@given(st.integers(1, 31), st.integers(1, 12), st.integers(0, 99), st.sampled_from("/.-"))
def test_two_digit_years_always_rejected(d, m, y, sep):
    with pytest.raises(InvalidInput):
        v.parse_date(f"{d:02d}{sep}{m:02d}{sep}{y:02d}")


TODAY = dt.date(2026, 11, 26)


def test_parse_dob_limits():
    assert v.parse_dob("2026-11-26", today=TODAY) == TODAY
    assert v.parse_dob("26/11/1906", today=TODAY) == dt.date(1906, 11, 26)
    with pytest.raises(InvalidInput, match="in the future"):
        v.parse_dob("2026-11-27", today=TODAY)
    with pytest.raises(InvalidInput, match="more than 120 years"):
        v.parse_dob("25/11/1906", today=TODAY)


def test_parse_due_date_limits():
    assert v.parse_due_date("2026-11-26", today=TODAY) == TODAY
    assert v.parse_due_date("2026-11-12", today=TODAY) == dt.date(2026, 11, 12)  # two weeks overdue
    assert v.parse_due_date("2027-09-01", today=TODAY) == dt.date(2027, 9, 1)
    with pytest.raises(InvalidInput, match="more than two weeks ago"):
        v.parse_due_date("2026-11-11", today=TODAY)
    with pytest.raises(InvalidInput, match="ten months"):
        v.parse_due_date("2027-11-26", today=TODAY)


def test_today_london_is_the_one_clock(monkeypatch):
    from ehtool import clock

    assert v.today_london() == dt.date(2026, 12, 2)  # pinned by the tests' EHTOOL_TODAY
    monkeypatch.delenv("EHTOOL_TODAY")
    today = v.today_london()
    assert type(today) is dt.date
    assert today == dt.datetime.now(clock.LONDON).date()


# -- ages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dob, on, years",
    [
        (dt.date(2020, 5, 10), dt.date(2026, 5, 9), 5),
        (dt.date(2020, 5, 10), dt.date(2026, 5, 10), 6),
        (dt.date(2020, 2, 29), dt.date(2025, 2, 28), 4),  # no 29 Feb in 2025: birthday is 1 March
        (dt.date(2020, 2, 29), dt.date(2025, 3, 1), 5),
        (dt.date(2020, 2, 29), dt.date(2024, 2, 28), 3),
        (dt.date(2020, 2, 29), dt.date(2024, 2, 29), 4),
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1), 0),
        (dt.date(2008, 12, 31), dt.date(2026, 12, 30), 17),
        (dt.date(2008, 12, 31), dt.date(2026, 12, 31), 18),
    ],
)
def test_age_years(dob, on, years):
    assert v.age_years(dob, on) == years


def test_age_before_birth_is_an_error():
    with pytest.raises(ValueError):
        v.age_years(dt.date(2026, 1, 2), dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    "dob, on, label",
    [
        (dt.date(2026, 11, 1), dt.date(2026, 11, 26), "0m"),
        (dt.date(2026, 2, 26), dt.date(2026, 11, 26), "9m"),
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28), "0m"),
        (dt.date(2026, 1, 31), dt.date(2026, 3, 1), "1m"),
        (dt.date(2024, 11, 27), dt.date(2026, 11, 26), "23m"),
        (dt.date(2024, 11, 26), dt.date(2026, 11, 26), "2y"),
        (dt.date(2023, 6, 1), dt.date(2026, 11, 26), "3y"),
        (dt.date(1990, 6, 1), dt.date(2026, 11, 26), "36y"),
    ],
)
def test_age_label(dob, on, label):
    assert v.age_label(dob, on) == label


def _age_by_counting(dob: dt.date, on: dt.date) -> int:
    """Independent reference: count the birthdays that have happened."""
    years = 0
    while True:
        y = dob.year + years + 1
        try:
            birthday = dob.replace(year=y)
        except ValueError:
            birthday = dt.date(y, 3, 1)
        if birthday > on:
            return years
        years += 1


@PROPS
@given(st.dates(dt.date(1900, 1, 1), dt.date(2030, 12, 31)), st.integers(0, 120 * 366))
def test_age_years_matches_counting_birthdays(dob, days):
    on = dob + dt.timedelta(days=days)
    assume(on <= dt.date(9999, 12, 31))
    assert v.age_years(dob, on) == _age_by_counting(dob, on)


# -- flags --------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["yes", "Y", "TRUE", "true", "1", " Yes ", True, 1, 1.0])
def test_parse_bool_true(raw):
    assert v.parse_bool(raw) is True


@pytest.mark.parametrize("raw", ["no", "N", "False", "0", "", "  ", None, False, 0])
def test_parse_bool_false(raw):
    assert v.parse_bool(raw) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "yess", "on", 2])
def test_parse_bool_rejects(raw):
    with pytest.raises(InvalidInput, match="not yes or no"):
        v.parse_bool(raw, field="interpreter")


# -- free text ------------------------------------------------------------------------------------

LITERALS = [
    "<script>alert(1)</script>",
    "Tom & Jerry",
    "[bold]red[/bold]",
    "=SUM(A1:A9)",
    "+44 20 7946 0000",
    "Robert'); DROP TABLE families;--",
    "Zoë Ñúñez 😀👨‍👩‍👧",
    "{{ name }}",
    "%s %(x)s",
    "\\n not a newline",
]


@pytest.mark.parametrize("text", LITERALS)
def test_clean_text_keeps_text_literally(text):
    assert v.clean_text(text, field="notes") == text
    assert v.clean_text(f"  {text}\n", field="notes", multiline=True) == text


def test_clean_text_controls():
    assert v.clean_text("a\x00b", field="name") == "ab"
    assert v.clean_text("a\x00b", field="notes", multiline=True) == "ab"
    assert v.clean_text("Smith\tJones", field="name") == "Smith Jones"
    assert v.clean_text("line one\r\nline two", field="name") == "line one line two"
    assert (
        v.clean_text("line one\r\nline two\rthree\tx\x07\x1b[31m", field="notes", multiline=True)
        == "line one\nline two\nthree\tx[31m"
    )
    assert v.clean_text("  \n padded \t ", field="name") == "padded"
    assert v.clean_text(None, field="name") == ""
    assert v.clean_text(42, field="name") == "42"


def test_clean_text_refuses_over_long_text_without_echoing_it():
    secret = "Private detail " * 10
    assert v.clean_text(secret, field="name", max_len=150) == secret.strip()
    with pytest.raises(InvalidInput) as exc:
        v.clean_text(secret + "more", field="name", max_len=150)
    assert "Private" not in exc.value.message and "154 characters" in exc.value.message
    assert exc.value.message.startswith("name is too long")


@PROPS
@given(st.text(max_size=60), st.booleans())
def test_clean_text_properties(text, multiline):
    once = v.clean_text(text, field="notes", multiline=multiline)
    allowed = {"\n", "\t"} if multiline else set()
    assert not any((ord(c) < 32 or ord(c) == 127) and c not in allowed for c in once)
    assert once == once.strip()
    assert v.clean_text(once, field="notes", multiline=multiline) == once


# -- names -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, key",
    [
        ("  Okafor   Family ", "okafor family"),
        ("ZOË O'Brien", "zoe obrien"),
        ("O’Brien", "obrien"),
        ("Smith-Ahmed household", "smith ahmed household"),
        ("Łukasz Wiśniewski", "lukasz wisniewski"),
        ("Straße", "strasse"),
        ("Nguyễn Thị", "nguyen thi"),
        ("", ""),
        (None, ""),
    ],
)
def test_name_key(raw, key):
    assert v.name_key(raw) == key


@PROPS
@given(st.text(max_size=40))
def test_name_key_is_idempotent(text):
    key = v.name_key(text)
    assert v.name_key(key) == key
    assert key == key.strip() and "  " not in key


@pytest.mark.parametrize(
    "a, b",
    [
        ("Okafor family", "OKAFOR FAMILY"),
        ("Okafor family", "Okafor household"),
        ("Smith-Ahmed household", "Ahmed family"),
        ("Smith-Ahmed household", "smith ahmed"),
        ("Mohammed Ali", "Muhammad Ali"),
        ("Zoë Brown", "Zoe Brown"),
        ("Jo Okafor", "Joanne Okafor"),
        ("Amina Yusuf", "Amina Yusuf-Hassan"),
        ("Catherine Smith", "Katherine Smith"),
        ("Baby Okafor", "Okafor family"),
    ],
)
def test_similar_names(a, b):
    assert v.similar_names(a, b)
    assert v.similar_names(b, a)
    assert v.similar_names(v.name_key(a), v.name_key(b))  # works on stored keys too


@pytest.mark.parametrize(
    "a, b",
    [
        ("Okafor family", "Mensah family"),
        ("Ada Okafor", "Obi Okafor"),  # siblings/twins
        ("John Smith", "Mary Jones"),
        ("", "Smith family"),
        ("Lee family", "Li family"),
    ],
)
def test_not_similar_names(a, b):
    assert not v.similar_names(a, b)


@PROPS
@given(st.text(max_size=30), st.text(max_size=30))
def test_similar_names_is_symmetric(a, b):
    assert v.similar_names(a, b) == v.similar_names(b, a)
    if v.name_key(a):
        assert v.similar_names(a, a)


NAMEISH = st.text(alphabet="abcdeilmnorsty ’-'ÉéøAO", max_size=24)


@PROPS
@given(NAMEISH, st.lists(NAMEISH, max_size=6))
def test_first_similar_is_similar_names_over_a_block(name, others):
    """The import's fast path (letter bits, one matcher per name) decides exactly as similar_names."""
    block = [(v.probe(o), i) for i, o in enumerate(others)]
    expected = next((i for i, o in enumerate(others) if v.similar_names(o, name)), None)
    assert v.first_similar(v.probe(name), block) == expected


def test_first_similar_keeps_the_typo_rule():
    block = [(v.probe("Sam Adeyemi"), "M1"), (v.probe("Jo Okafor"), "M2")]
    assert v.first_similar(v.probe("Jo Okafour"), block) == "M2"  # no shared surname: difflib's ratio
    assert v.first_similar(v.probe("Quentin Zed"), block) is None


# -- house rules -------------------------------------------------------------------------------------


def test_validators_import_nothing_heavy():
    code = (
        "import sys, ehtool.domain.validators; "
        "print(sorted(m for m in ('typer', 'rich', 'openpyxl', 'jinja2', 'sqlite_utils', 'questionary')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
