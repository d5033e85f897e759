"""Worker processes for the concurrency tests: real processes on one database file."""

from __future__ import annotations

import sys


def add_families(db: str, worker: int, count: int) -> None:
    from ehtool.services.families import add_family
    from ehtool.store import open_store

    store = open_store(db)
    for i in range(count):
        add_family(store, {"name": f"Worker{worker} family {i}", "postcode": f"CR{worker % 9} {i % 9}AB"},
                   allow_duplicate=True)
    store.close()


def increment(db: str, family_ref: str, count: int) -> None:
    """Read-modify-write: each round reads the notes and appends one character."""
    from ehtool.domain.families import parse_ref
    from ehtool.store import open_store
    from ehtool.store import families as repo

    store = open_store(db)
    fid = parse_ref(family_ref)
    for _ in range(count):
        with store.tx():
            notes = store.scalar("SELECT notes FROM families WHERE id = ?", (fid,)) or ""
            repo.edit_family(store, fid, {"notes": notes + "x"})
    store.close()


if __name__ == "__main__":
    name, *args = sys.argv[1:]
    {"add": lambda db, w, n: add_families(db, int(w), int(n)),
     "increment": lambda db, ref, n: increment(db, ref, int(n))}[name](*args)
