"""Synthetic families for tests, demos and benchmarks: never real people.

Households are invented combinations of common first names and surnames from
the communities of south London, at invented addresses in real postcode
districts (with random inward codes). Identifiers are safe by construction:

* NHS numbers come from the 999 000 0000 - 999 999 9999 range, which is kept
  for test data and never issued to a patient; each is unique within a run
  (about 909,000 are available; beyond that members get no NHS number);
* UPNs carry the LA number of the local authority the postcode is in and the
  establishment number of an invented school, with a valid check letter.

Everything is drawn from one ``random.Random(seed)``: the same seed and
``today`` give the same families. Standard library only (plus
``ehtool.domain.validators`` for the check digits), so it starts fast:

    python -m ehtool.synthetic --families 100000 --seed 1 --format csv --out bench/out/families.csv

The generator is in :mod:`~ehtool.synthetic.generator` (households) and
:mod:`~ehtool.synthetic.members` (their adults and children), with the safe
identifiers in :mod:`~ehtool.synthetic.identifiers` and the seeded draws in
:mod:`~ehtool.synthetic.draws`; the import layout (columns, flattening to rows,
writing csv/tsv/json) is in :mod:`~ehtool.synthetic.rows`, the command line in
:mod:`~ehtool.synthetic.cli` and the raw material (names, places, referral
reasons) in the :mod:`~ehtool.synthetic.data` package.
"""

from __future__ import annotations

from ehtool.synthetic import generator as _generator
from ehtool.synthetic.cli import main
from ehtool.synthetic.data import DISTRICTS, ETHNICITIES
from ehtool.synthetic.generator import generate_families
from ehtool.synthetic.rows import (
    BOOL_COLUMNS,
    FAMILY_COLUMNS,
    MEMBER_COLUMNS,
    MEMBER_FIELDS,
    ROLES,
    to_family_rows,
    to_rows,
    write_rows,
)

__all__ = [
    "BOOL_COLUMNS",
    "DISTRICTS",
    "ETHNICITIES",
    "FAMILY_COLUMNS",
    "MEMBER_COLUMNS",
    "MEMBER_FIELDS",
    "ROLES",
    "generate_families",
    "main",
    "to_family_rows",
    "to_rows",
    "write_rows",
]

_COMMUNITY_LIST = _generator._COMMUNITY_LIST  # the name pools (the tests check their size)
