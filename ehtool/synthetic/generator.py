"""The synthetic family generator: invented households with safe identifiers.

See :mod:`ehtool.synthetic` for what is generated and how identifiers are kept
safe. Everything is drawn from one ``random.Random(seed)``. This module draws the
household (where it lives, its make-up, why it was referred); its members are
drawn in :mod:`~ehtool.synthetic.members`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import random
from collections.abc import Iterable, Iterator

from ehtool.domain import validators as v
from ehtool.synthetic.data.communities import _COMMUNITY_CUM, _COMMUNITY_LIST
from ehtool.synthetic.data.places import _DEFAULT_DISTRICT_POOLS, _INWARD_LETTERS, _STREETS, DISTRICTS
from ehtool.synthetic.data.referrals import (
    _NOTES,
    _REASONS,
    _REASONS_LONE_FATHER,
    _REASONS_UNBORN,
    _REASONS_YOUNG_CARER,
    _REFERRAL_SOURCES,
    _household_facts,
)
from ehtool.synthetic.draws import _ch, _cum, _int, _pick
from ehtool.synthetic.identifiers import _NhsNumbers
from ehtool.synthetic.members import _add_adults, _add_children, _Draft, _Run


def _district_pools(localities: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The postcode districts each locality draws from."""
    if tuple(localities) == tuple(_DEFAULT_DISTRICT_POOLS):
        return {loc: _DEFAULT_DISTRICT_POOLS[loc] for loc in localities}
    names = list(DISTRICTS)
    pools = {loc: tuple(names[i :: len(localities)]) or (names[i % len(names)],) for i, loc in enumerate(localities)}
    return pools


# -- the generator ---------------------------------------------------------------------

_COMPOSITIONS = _cum(
    [
        ("lone-mother", 34),
        ("two-parents", 28),
        ("lone-father", 5),
        ("kinship", 5),
        ("extended", 8),
        ("expecting", 10),
        ("young-parent", 3),
        ("step", 7),
    ]
)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Building hundreds of thousands of small acyclic dicts: the cyclic
    garbage collector would only rescan them over and over."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def generate_families(
    n: int, *, seed: int = 0, today: dt.date | None = None, localities: Iterable[str] = ("north", "central", "south")
) -> list[dict]:
    """``n`` synthetic households (see :mod:`ehtool.synthetic`). Deterministic for
    (seed, today, localities). ``today`` defaults to today in London."""
    with _gc_paused():
        return _generate(n, seed=seed, today=today, localities=localities)


def _generate(n: int, *, seed: int, today: dt.date | None, localities: Iterable[str]) -> list[dict]:
    """The households of :func:`generate_families`, drawn in order from one seeded stream."""
    if n < 0:
        raise ValueError("n must be at least 0")
    localities = tuple(localities)
    if not localities:
        raise ValueError("at least one locality is needed")
    run = _Run(random.Random(seed), _NhsNumbers(seed), today or v.today_london())
    pools = _district_pools(localities)
    leads = _lead_pool(seed)
    return [_family(run, i, localities, pools, leads) for i in range(n)]


def _lead_pool(seed: int) -> list[str]:
    """A fixed pool of lead professionals, from its own stream so that the
    first k families are the same whatever n is."""
    lead_rng = random.Random(f"leads-{seed}")
    leads = []
    for _ in range(40):
        c = _pick(lead_rng, (_COMMUNITY_LIST, _COMMUNITY_CUM))
        first = _ch(lead_rng, c.female if lead_rng.random() < 0.8 else c.male)
        leads.append(f"{first} {_ch(lead_rng, c.surnames)}")
    return leads


def _family(
    run: _Run, i: int, localities: tuple[str, ...], pools: dict[str, tuple[str, ...]], leads: list[str]
) -> dict:
    """Household ``i``: where it lives, who is in it, and why it was referred."""
    rng = run.rng
    comm = _pick(rng, (_COMMUNITY_LIST, _COMMUNITY_CUM))
    locality, la, postcode, address = _address(rng, localities, pools)
    language = _pick(rng, comm.languages)
    interpreter = language != "English" and rng.random() < 0.5

    composition = _pick(rng, _COMPOSITIONS)
    surname = _ch(rng, comm.surnames)
    # a second community for a mixed couple
    partner_comm = comm
    if rng.random() < 0.14:
        partner_comm = _pick(rng, (_COMMUNITY_LIST, _COMMUNITY_CUM))
    partner_surname = surname if partner_comm is comm and rng.random() < 0.8 else _ch(rng, partner_comm.surnames)
    d = _Draft(comm, la, composition, surname, partner_comm, partner_surname)
    _add_adults(run, d)
    _add_children(run, d)
    if composition == "expecting":
        due = dt.date.fromordinal(run.t0 + _int(rng, 7, 240))
        d.members.append(
            {
                "name": f"Baby {d.child_surnames[0]}",
                "role": "unborn",
                "dob": "",
                "due_date": due.isoformat(),
                "gender": "",
                "ethnicity": "",
                "nhs_number": "",
                "upn": "",
                "school": "",
                "send": False,
                "ehcp": False,
                "young_carer": False,
            }
        )
    label = _family_label(rng, d.members)
    reason, source, notes = _referral(rng, d.members, composition, interpreter, language)
    return {
        "household": f"H{i + 1:06d}",
        "name": label,
        "address": address,
        "postcode": postcode,
        "locality": locality,
        "language": language,
        "interpreter": interpreter,
        "referral_source": source,
        "referral_date": dt.date.fromordinal(run.t0 - int(rng.random() * 730)).isoformat(),
        "referral_reason": reason,
        "lead": _ch(rng, leads),
        "notes": notes,
        "members": d.members,
    }


def _address(
    rng: random.Random, localities: tuple[str, ...], pools: dict[str, tuple[str, ...]]
) -> tuple[str, str, str, str]:
    """The household's locality, local authority code, postcode and address."""
    locality = localities[int(rng.random() * len(localities))]
    district = _ch(rng, pools[locality])
    town, la = DISTRICTS[district]
    postcode = (
        f"{district} {int(rng.random() * 10)}"
        f"{_INWARD_LETTERS[int(rng.random() * 20)]}{_INWARD_LETTERS[int(rng.random() * 20)]}"
    )
    street = f"{_int(rng, 1, 239)} {_ch(rng, _STREETS)}"
    address = f"Flat {_int(rng, 1, 39)}, {street}, {town}" if rng.random() < 0.35 else f"{street}, {town}"
    return locality, la, postcode, address


def _family_label(rng: random.Random, members: list[dict]) -> str:
    """The family label, from the parents' and carers' surnames."""
    surnames = []
    for m in members:
        if m["role"] in ("parent", "carer"):
            s = m["name"].split(" ", 1)[1]
            if s not in surnames:
                surnames.append(s)
    if len(surnames) > 1 and rng.random() < 0.5:
        return f"{surnames[0]}-{surnames[1]} household"
    if len(surnames) > 1:
        return f"{surnames[0]} / {surnames[1]} family"
    return f"{surnames[0]} family"


def _referral(
    rng: random.Random, members: list[dict], composition: str, interpreter: bool, language: str
) -> tuple[str, str, str]:
    """A referral reason that fits the household, its source and a note (often none);
    removes the members' working ``_age``."""
    facts = _household_facts(members, interpreter, language)
    for m in members:
        m.pop("_age", None)
    if any(m["young_carer"] for m in members) and rng.random() < 0.7:
        options = _REASONS_YOUNG_CARER
    elif composition == "expecting" and rng.random() < 0.7:
        options = _REASONS_UNBORN
    elif composition == "lone-father" and rng.random() < 0.5:
        options = _REASONS_LONE_FATHER
    else:
        options = _REASONS
    fitting = [r for r in options if r[2] in facts] or [r for r in _REASONS if r[2] in facts]
    reason, usual, _ = _ch(rng, fitting)
    source = _ch(rng, usual) if rng.random() < 0.85 else _pick(rng, _REFERRAL_SOURCES)
    notes = ""
    if rng.random() < 0.35:
        notes = _ch(rng, [n for n, need in _NOTES if need in facts])
    return reason, source, notes
