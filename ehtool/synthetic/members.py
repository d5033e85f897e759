"""The people in a synthetic household: its adults and children, drawn for one run.

:class:`_Run` is what a generation run shares (the random stream, NHS numbers, UPNs
used, today); :class:`_Draft` is one household while it is being drawn."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from itertools import accumulate
from typing import TYPE_CHECKING

from ehtool.domain import validators as v
from ehtool.synthetic.data.ethnicities import (
    E_OTHER_MIXED,
    E_OTHER_WHITE,
    E_WHITE_ASIAN,
    E_WHITE_BLACK_AFRICAN,
    E_WHITE_BLACK_CARIBBEAN,
)
from ehtool.synthetic.data.places import _SCHOOLS
from ehtool.synthetic.draws import _ch, _int, _pick
from ehtool.synthetic.identifiers import _NhsNumbers, _upn

if TYPE_CHECKING:
    from ehtool.synthetic.data.communities import _Community

# how many children a household has: 1 to 5, weighted (cumulative, out of 100)
_CHILD_COUNTS = ([1, 2, 3, 4, 5], list(accumulate([35, 30, 20, 10, 5])))


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


def _member(
    rng: random.Random,
    nhs: _NhsNumbers,
    *,
    name: str,
    role: str,
    dob: dt.date,
    female: bool,
    ethnicity: str,
    missing_nhs: float,
) -> dict:
    """A member of the household with a date of birth; some have no ethnicity or NHS number recorded."""
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


def _child(
    rng: random.Random,
    nhs: _NhsNumbers,
    used_upns: set[str],
    *,
    name: str,
    dob: dt.date,
    age: int,
    female: bool,
    ethnicity: str,
    la: str,
    today: dt.date,
    young_carer: bool,
) -> dict:
    """A child: a school (and a UPN) or a nursery by age, SEND and an EHCP now and then."""
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
