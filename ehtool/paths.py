"""Where ehtool keeps things. Overridable by environment for tests and cron.

- ``EHTOOL_DB``: the database file (``--db`` overrides it).
- ``EHTOOL_HOME``: ehtool's folder (default: the platform's user data folder);
  holds the default database, ``templates/`` (the partnership's templates,
  searched before the bundled ones) and ``backups/``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def home() -> Path:
    env = os.environ.get("EHTOOL_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("ehtool", appauthor=False))


def default_db() -> Path:
    env = os.environ.get("EHTOOL_DB")
    if env:
        return Path(env).expanduser()
    return home() / "ehtool.db"


def bundled_templates() -> Path:
    """The templates shipped with ehtool: inside the wheel, or the checkout's ``templates/``."""
    installed = PACKAGE_DIR / "templates"
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / "templates"


def partnership_templates() -> Path:
    env = os.environ.get("EHTOOL_TEMPLATES")
    if env:
        return Path(env).expanduser()
    return home() / "templates"


def bundled_profiles() -> Path:
    return PACKAGE_DIR / "profiles"


def bundled_frameworks() -> Path:
    return PACKAGE_DIR / "frameworks"
