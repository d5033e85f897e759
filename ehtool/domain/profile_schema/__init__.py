"""Threshold profiles: the data model and its validation.

A threshold profile is a partnership's continuum of need as data: the rungs
(``levels``), the indicators of need, the rules that lift a family up the ladder,
the front door and the localities, and a few timing settings used elsewhere.
This package turns the parsed TOML (a plain dict) into a :class:`Profile`, or
raises :class:`~ehtool.errors.InvalidInput` listing *every* problem found, each
naming its place in the file. No I/O here: loading lives in ``ehtool.domain.thresholds``.

* :mod:`~ehtool.domain.profile_schema.model`: the vocabulary (domains, outcome areas,
  settings) and the dataclasses :class:`Level`, :class:`Indicator`, :class:`Rule`
  and :class:`Profile`;
* :mod:`~ehtool.domain.profile_schema.validation`: :func:`validate_profile_data`.
"""

from __future__ import annotations

from ehtool.domain.profile_schema.model import (
    DOMAINS,
    OUTCOME_AREAS,
    ROUTES,
    RULE_KINDS,
    SETTINGS_DEFAULTS,
    SUBDOMAINS,
    Indicator,
    Level,
    Profile,
    Rule,
)
from ehtool.domain.profile_schema.validation import validate_profile_data

__all__ = [
    "DOMAINS",
    "OUTCOME_AREAS",
    "ROUTES",
    "RULE_KINDS",
    "SETTINGS_DEFAULTS",
    "SUBDOMAINS",
    "Indicator",
    "Level",
    "Profile",
    "Rule",
    "validate_profile_data",
]
