"""Field validators: NHS numbers, UPNs, postcodes, dates, flags, free text, names.

Pure functions, standard library only, no I/O. Each ``normalise_*`` / ``parse_*``
function returns the canonical value or raises :class:`ehtool.errors.InvalidInput`
with a message a coordinator can act on. Messages quote only what the user typed
in the same command (an NHS number, a date), never a stored name or note.

The validators live in one module per kind of field; import them from here:

* :mod:`~ehtool.domain.validators.identifiers`: NHS numbers, UPNs and the LA codes in them;
* :mod:`~ehtool.domain.validators.postcodes`: UK postcodes and their districts;
* :mod:`~ehtool.domain.validators.dates`: dates, dates of birth, due dates, today in England, ages;
* :mod:`~ehtool.domain.validators.text`: yes/no flags and free text;
* :mod:`~ehtool.domain.validators.names`: name keys and similarity for possible-duplicate checks.
"""

from __future__ import annotations

from ehtool.domain.validators.dates import (
    DUE_DATE_MAX_AHEAD,
    DUE_DATE_MAX_OVERDUE,
    LONDON,
    MAX_AGE_YEARS,
    age_label,
    age_months,
    age_years,
    as_date,
    london_date,
    parse_date,
    parse_dob,
    parse_due_date,
    today_london,
)
from ehtool.domain.validators.identifiers import (
    ENGLISH_LA_CODES,
    PSEUDO_LA_CODES,
    UPN_LETTERS,
    WELSH_LA_CODES,
    format_nhs_number,
    nhs_check_digit,
    normalise_nhs_number,
    normalise_upn,
    upn_check_letter,
)
from ehtool.domain.validators.names import (
    SIMILARITY_RATIO,
    NameProbe,
    first_similar,
    name_key,
    probe,
    similar_names,
    surname_tokens,
)
from ehtool.domain.validators.postcodes import normalise_postcode, postcode_district
from ehtool.domain.validators.text import clean_text, parse_bool

__all__ = [
    "DUE_DATE_MAX_AHEAD",
    "DUE_DATE_MAX_OVERDUE",
    "ENGLISH_LA_CODES",
    "LONDON",
    "MAX_AGE_YEARS",
    "PSEUDO_LA_CODES",
    "SIMILARITY_RATIO",
    "UPN_LETTERS",
    "WELSH_LA_CODES",
    "NameProbe",
    "age_label",
    "age_months",
    "age_years",
    "as_date",
    "clean_text",
    "first_similar",
    "format_nhs_number",
    "london_date",
    "name_key",
    "nhs_check_digit",
    "normalise_nhs_number",
    "normalise_postcode",
    "normalise_upn",
    "parse_bool",
    "parse_date",
    "parse_dob",
    "parse_due_date",
    "postcode_district",
    "probe",
    "similar_names",
    "surname_tokens",
    "today_london",
    "upn_check_letter",
]
