"""Synthetic families' raw material: communities (names, languages, ethnic groups), places, referral reasons.

Invented combinations only; never real people. Each kind of material has its module:
:mod:`~ehtool.synthetic.data.ethnicities` (the ONS 2021 census groups),
:mod:`~ehtool.synthetic.data.communities` (first names, surnames, languages),
:mod:`~ehtool.synthetic.data.places` (postcode districts, streets, schools) and
:mod:`~ehtool.synthetic.data.referrals` (sources, reasons, notes). They are all
importable from here too."""

from __future__ import annotations

from ehtool.synthetic.data.communities import _COMMUNITIES
from ehtool.synthetic.data.ethnicities import (
    E_AFRICAN,
    E_ANY_OTHER,
    E_ARAB,
    E_BANGLADESHI,
    E_CARIBBEAN,
    E_CHINESE,
    E_INDIAN,
    E_IRISH,
    E_OTHER_ASIAN,
    E_OTHER_BLACK,
    E_OTHER_MIXED,
    E_OTHER_WHITE,
    E_PAKISTANI,
    E_ROMA,
    E_TRAVELLER,
    E_WHITE_ASIAN,
    E_WHITE_BLACK_AFRICAN,
    E_WHITE_BLACK_CARIBBEAN,
    E_WHITE_BRITISH,
    ETHNICITIES,
)
from ehtool.synthetic.data.places import _DEFAULT_DISTRICT_POOLS, _INWARD_LETTERS, _SCHOOLS, _STREETS, DISTRICTS
from ehtool.synthetic.data.referrals import (
    _NOTES,
    _REASONS,
    _REASONS_LONE_FATHER,
    _REASONS_UNBORN,
    _REASONS_YOUNG_CARER,
    _REFERRAL_SOURCES,
    Reason,
    _household_facts,
)
from ehtool.synthetic.draws import _cum

__all__ = [
    "DISTRICTS",
    "ETHNICITIES",
    "E_AFRICAN",
    "E_ANY_OTHER",
    "E_ARAB",
    "E_BANGLADESHI",
    "E_CARIBBEAN",
    "E_CHINESE",
    "E_INDIAN",
    "E_IRISH",
    "E_OTHER_ASIAN",
    "E_OTHER_BLACK",
    "E_OTHER_MIXED",
    "E_OTHER_WHITE",
    "E_PAKISTANI",
    "E_ROMA",
    "E_TRAVELLER",
    "E_WHITE_ASIAN",
    "E_WHITE_BLACK_AFRICAN",
    "E_WHITE_BLACK_CARIBBEAN",
    "E_WHITE_BRITISH",
    "_COMMUNITIES",
    "_DEFAULT_DISTRICT_POOLS",
    "_INWARD_LETTERS",
    "_NOTES",
    "_REASONS",
    "_REASONS_LONE_FATHER",
    "_REASONS_UNBORN",
    "_REASONS_YOUNG_CARER",
    "_REFERRAL_SOURCES",
    "_SCHOOLS",
    "_STREETS",
    "Reason",
    "_cum",
    "_household_facts",
]
