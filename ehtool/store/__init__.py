"""Everything that touches SQLite lives in this package.

``open_store`` opens (and migrates) the database; the repository modules
(``families``, ``audit``...) take a :class:`Store` and return plain dicts,
whose shapes are the TypedDicts of :mod:`ehtool.store.rows`.
"""

from ehtool.store.connection import Store, create_store, open_store

__all__ = ["Store", "create_store", "open_store"]
