"""The synthetic family generator: invented households with safe identifiers.

See :mod:`ehtool.synthetic` for what is generated and how identifiers are kept
safe. Everything is drawn from one ``random.Random(seed)``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import random
from bisect import bisect
from collections.abc import Iterable
from itertools import accumulate

from ehtool.domain import validators as v
from ehtool.synthetic.data import (
    _COMMUNITIES,
    _DEFAULT_DISTRICT_POOLS,
    _INWARD_LETTERS,
    _NOTES,
    _REASONS,
    _REASONS_LONE_FATHER,
    _REASONS_UNBORN,
    _REASONS_YOUNG_CARER,
    _REFERRAL_SOURCES,
    _SCHOOLS,
    _STREETS,
    DISTRICTS,
    E_OTHER_MIXED,
    E_OTHER_WHITE,
    E_WHITE_ASIAN,
    E_WHITE_BLACK_AFRICAN,
    E_WHITE_BLACK_CARIBBEAN,
    _cum,
    _household_facts,
)


class _Community:
    __slots__ = ("ethnicities", "female", "group", "key", "languages", "male", "surnames")

    def __init__(self, key, spec):
        _, self.group, female, male, surnames, languages, ethnicities = spec
        self.key = key
        self.female = female.split()
        self.male = male.split()
        self.surnames = surnames.split()
        self.languages = _cum(languages)
        self.ethnicities = _cum(ethnicities)


_COMMUNITY_LIST, _COMMUNITY_CUM = _cum([(_Community(k, spec), spec[0]) for k, spec in _COMMUNITIES.items()])

# -- helpers ---------------------------------------------------------------------------


def _ch(rng, seq):
    """rng.choice, without randrange's overhead (this runs millions of times)."""
    return seq[int(rng.random() * len(seq))]


def _int(rng, lo: int, hi: int) -> int:
    """_int(rng, lo, hi), the fast way."""
    return lo + int(rng.random() * (hi - lo + 1))


def _pick(rng, items_cum):
    items, cum = items_cum
    return items[bisect(cum, rng.random() * cum[-1])]


class _NhsNumbers:
    """Unique valid NHS numbers from the 999 test range, in a seeded order."""

    SPAN = 10**6

    def __init__(self, seed: int):
        r = random.Random(f"nhs-{seed}")
        mult = r.randrange(100_001, 999_999) | 1  # odd and not a multiple of 5:
        self.mult = mult + 2 if mult % 5 == 0 else mult  # a permutation of 0..SPAN-1
        self.offset = r.randrange(self.SPAN)
        self.k = 0

    def next(self) -> str:
        while self.k < self.SPAN:
            n = (self.mult * self.k + self.offset) % self.SPAN
            self.k += 1
            if n == 999_999:  # 9999999999: all nines, a placeholder
                continue
            first9 = f"999{n:06d}"
            check = v.nhs_check_digit(first9)
            if check is not None:
                return f"{first9}{check}"
        return ""  # range exhausted: no NHS number recorded


def _upn(rng, la: str, estab: str, entry_year: int, used: set) -> str:
    while True:
        if rng.random() < 0.01:  # temporary UPN: two digits and a letter
            tail = f"{int(rng.random() * 100):02d}{v.UPN_LETTERS[int(rng.random() * 23)]}"
        else:
            tail = f"{int(rng.random() * 1000):03d}"
        body = f"{la}{estab}{entry_year % 100:02d}{tail}"
        if body not in used:
            used.add(body)
            return v.upn_check_letter(body) + body


def _district_pools(localities):
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
_CHILD_COUNTS = ([1, 2, 3, 4, 5], list(accumulate([35, 30, 20, 10, 5])))


@contextlib.contextmanager
def _gc_paused():
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
    n: int, *, seed: int = 0, today: dt.date | None = None, localities=("north", "central", "south")
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


class _Run:
    """What one generation run shares: the random stream, the NHS numbers, the UPNs
    used so far and today (``t0`` is its ordinal)."""

    __slots__ = ("nhs", "rng", "t0", "today", "used_upns")

    def __init__(self, rng: random.Random, nhs: _NhsNumbers, today: dt.date) -> None:
        self.rng = rng
        self.nhs = nhs
        self.today = today
        self.t0 = today.toordinal()
        self.used_upns: set[str] = set()

    def person_name(self, comm: _Community, female: bool) -> str:
        """A first name from the community."""
        return _ch(self.rng, comm.female if female else comm.male)

    def dob_for_age(self, age_years: int) -> dt.date:
        """A date of birth for someone ``age_years`` old today."""
        return dt.date.fromordinal(self.t0 - age_years * 365 - int(self.rng.random() * 365) - age_years // 4)

    def adult(self, c: _Community, sname: str, female: bool, age: int, role: str) -> dict:
        """An adult member of the household."""
        rng = self.rng
        return _member(
            rng,
            self.nhs,
            name=f"{self.person_name(c, female)} {sname}",
            role=role,
            dob=self.dob_for_age(age),
            female=female,
            ethnicity=_pick(rng, c.ethnicities),
            missing_nhs=0.12,
        )


class _Draft:
    """One household while it is being drawn: its communities, surnames, composition,
    main carer's age and the members so far."""

    __slots__ = (
        "child_surnames",
        "comm",
        "composition",
        "la",
        "main_age",
        "members",
        "partner_comm",
        "partner_surname",
        "surname",
    )

    def __init__(
        self, comm: _Community, la: str, composition: str, surname: str, partner_comm: _Community, partner_surname: str
    ) -> None:
        self.comm = comm
        self.la = la
        self.composition = composition
        self.surname = surname
        self.partner_comm = partner_comm
        self.partner_surname = partner_surname
        self.members: list[dict] = []
        self.main_age = 0
        self.child_surnames = [surname]


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


def _add_adults(run: _Run, d: _Draft) -> None:
    """The main parent or carer, then a partner or another adult as the composition has
    them; sets the main carer's age and the children's surname."""
    rng, composition, comm, surname = run.rng, d.composition, d.comm, d.surname
    partner_comm, partner_surname, members = d.partner_comm, d.partner_surname, d.members
    main_female = composition not in ("lone-father",)
    if composition == "young-parent":
        main_age = _int(rng, 16, 20)
    elif composition == "kinship":
        main_age = _int(rng, 50, 72)
    else:
        main_age = _int(rng, 20, 48)
    d.main_age = main_age
    main_role = "carer" if composition == "kinship" else "parent"
    members.append(run.adult(comm, surname, main_female, main_age, main_role))
    if composition in ("two-parents", "expecting") and (composition == "two-parents" or rng.random() < 0.5):
        partner_female = composition == "two-parents" and rng.random() < 0.03  # some same-sex couples
        members.append(run.adult(partner_comm, partner_surname, partner_female, main_age + _int(rng, -3, 8), "parent"))
        d.child_surnames = [partner_surname] if rng.random() < 0.6 else [surname]
        if partner_surname != surname and rng.random() < 0.3:
            d.child_surnames = [f"{surname}-{partner_surname}"]
    elif composition == "step":
        members.append(run.adult(partner_comm, partner_surname, not main_female, main_age + _int(rng, -5, 6), "parent"))
    elif composition == "extended":
        members.append(run.adult(comm, surname, rng.random() < 0.6, main_age + _int(rng, 20, 28), "other-adult"))
    elif composition == "young-parent":
        members.append(run.adult(comm, surname, True, main_age + _int(rng, 18, 26), "other-adult"))


def _child_count(rng: random.Random, composition: str, main_age: int) -> tuple[int, int]:
    """How many children to draw, and the eldest's greatest age."""
    if composition == "young-parent":
        n_children = 1
        max_age = max(0, min(2, main_age - 16))
    elif composition == "kinship":
        n_children = _ch(rng, (1, 1, 2, 2, 3))
        max_age = 17
    else:
        n_children = _CHILD_COUNTS[0][bisect(_CHILD_COUNTS[1], rng.random() * 100)]
        max_age = max(0, min(17, main_age - 17))
    if composition == "expecting":
        n_children = _ch(rng, (0, 0, 1, 2))
    return n_children, max_age


def _child_dobs(rng: random.Random, t0: int, n_children: int, max_age: int) -> list[dt.date]:
    """Eldest first, then siblings 11 months to 5 years apart (now and then twins);
    children who would not be born yet are not generated."""
    dobs = []
    born = t0 - int(rng.random() * ((max_age + 1) * 365 - 1)) if n_children else t0
    for k in range(n_children):
        if k:
            born += 0 if rng.random() < 0.02 else _int(rng, 335, 1800)
        if born > t0:
            break
        dobs.append(dt.date.fromordinal(born))
    return dobs


def _add_children(run: _Run, d: _Draft) -> None:
    """The household's children: ages, ethnicity, names (no first name shared), schools."""
    rng, composition, comm, partner_comm, members = run.rng, d.composition, d.comm, d.partner_comm, d.members
    n_children, max_age = _child_count(rng, composition, d.main_age)
    main_eth = members[0]["ethnicity"] or _pick(rng, comm.ethnicities)
    other_comm = partner_comm if len(members) > 1 and members[1]["role"] == "parent" else comm
    child_eth = main_eth if other_comm is comm else _child_ethnicity(comm, other_comm)
    dobs = _child_dobs(rng, run.t0, n_children, max_age)
    young_carer_possible = composition in ("lone-mother", "lone-father", "kinship") and rng.random() < 0.12
    firsts = {m["name"].split(" ", 1)[0] for m in members}
    for dob in dobs:
        age = v.age_years(dob, run.today)
        female = rng.random() < 0.49
        child_comm = comm if rng.random() < (0.6 if other_comm is not comm else 0.9) else partner_comm
        first = run.person_name(child_comm, female)
        for _ in range(6):  # nobody shares a first name with someone in the household
            if first not in firsts:
                break
            first = run.person_name(child_comm, female)
        firsts.add(first)
        sname = d.child_surnames[0] if composition != "step" else _ch(rng, (d.surname, d.partner_surname))
        members.append(
            _child(
                rng,
                run.nhs,
                run.used_upns,
                name=f"{first} {sname}",
                dob=dob,
                age=age,
                female=female,
                ethnicity=child_eth,
                la=d.la,
                today=run.today,
                young_carer=young_carer_possible and age >= 8 and rng.random() < 0.6,
            )
        )


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


def _child_ethnicity(a: _Community, b: _Community) -> str:
    """A child of parents from two different communities."""
    groups = {a.group, b.group}
    if groups == {"W"}:
        return E_OTHER_WHITE
    if "W" in groups and "B" in groups:
        black = a if a.group == "B" else b
        return E_WHITE_BLACK_CARIBBEAN if black.key == "caribbean" else E_WHITE_BLACK_AFRICAN
    if "W" in groups and "A" in groups:
        return E_WHITE_ASIAN
    return E_OTHER_MIXED


def _member(rng, nhs, *, name, role, dob, female, ethnicity, missing_nhs):
    return {
        "name": name,
        "role": role,
        "dob": dob.isoformat(),
        "due_date": "",
        "gender": "Female" if female else "Male",
        "ethnicity": ethnicity if rng.random() > 0.03 else "",
        "nhs_number": "" if rng.random() < missing_nhs else nhs.next(),
        "upn": "",
        "school": "",
        "send": False,
        "ehcp": False,
        "young_carer": False,
    }


def _child(rng, nhs, used_upns, *, name, dob, age, female, ethnicity, la, today, young_carer):
    m = _member(rng, nhs, name=name, role="child", dob=dob, female=female, ethnicity=ethnicity, missing_nhs=0.04)
    primaries, secondaries, nurseries = _SCHOOLS[la]
    # Reception starts in the September after the fourth birthday.
    start_year = dob.year + 4 + (dob.month >= 9)
    if today >= dt.date(start_year, 9, 1) and age >= 4:
        school, estab = _ch(rng, primaries if age <= 10 else secondaries)
        m["school"] = school
        if rng.random() > 0.05:  # a few new arrivals have no UPN yet
            m["upn"] = _upn(rng, la, estab, start_year, used_upns)
        send = rng.random() < 0.15
        m["send"] = send
        m["ehcp"] = send and rng.random() < 0.28
    elif age >= 2 and rng.random() < 0.6:
        m["school"] = _ch(rng, nurseries)
        m["send"] = rng.random() < 0.03
    m["young_carer"] = young_carer
    m["_age"] = age  # for choosing a fitting referral reason; removed before returning
    return m
