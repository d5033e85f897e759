"""The ONS 2021 census ethnic groups (19 categories), and a name for each."""

from __future__ import annotations

_A = "Asian, Asian British or Asian Welsh: "
_B = "Black, Black British, Black Welsh, Caribbean or African: "
_M = "Mixed or Multiple ethnic groups: "
_W = "White: "
_O = "Other ethnic group: "
ETHNICITIES = (
    _A + "Bangladeshi",
    _A + "Chinese",
    _A + "Indian",
    _A + "Pakistani",
    _A + "Other Asian",
    _B + "African",
    _B + "Caribbean",
    _B + "Other Black",
    _M + "White and Asian",
    _M + "White and Black African",
    _M + "White and Black Caribbean",
    _M + "Other Mixed or Multiple ethnic groups",
    _W + "English, Welsh, Scottish, Northern Irish or British",
    _W + "Irish",
    _W + "Gypsy or Irish Traveller",
    _W + "Roma",
    _W + "Other White",
    _O + "Arab",
    _O + "Any other ethnic group",
)
(
    E_BANGLADESHI,
    E_CHINESE,
    E_INDIAN,
    E_PAKISTANI,
    E_OTHER_ASIAN,
    E_AFRICAN,
    E_CARIBBEAN,
    E_OTHER_BLACK,
    E_WHITE_ASIAN,
    E_WHITE_BLACK_AFRICAN,
    E_WHITE_BLACK_CARIBBEAN,
    E_OTHER_MIXED,
    E_WHITE_BRITISH,
    E_IRISH,
    E_TRAVELLER,
    E_ROMA,
    E_OTHER_WHITE,
    E_ARAB,
    E_ANY_OTHER,
) = ETHNICITIES
