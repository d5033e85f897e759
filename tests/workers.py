"""Worker processes for the concurrency and crash tests: real processes on one database file."""

from __future__ import annotations

import sys

# More families than any test waits for: `add-until-killed` is stopped by kill -9, this only bounds it.
UNTIL_KILLED = 1_000_000


def add_families(db: str, worker: int, count: int) -> None:
    from ehtool.services.families import add_family
    from ehtool.store import open_store

    store = open_store(db)
    for i in range(count):
        add_family(
            store, {"name": f"Worker{worker} family {i}", "postcode": f"CR{worker % 9} {i % 9}AB"}, allow_duplicate=True
        )
    store.close()


def add_until_killed(db: str, tag: str) -> None:
    """Many small write transactions, one after another, until killed: each registers
    family ``{tag} family {i}`` (i = 0, 1, 2...) with its audit entry, as `family add`
    does. Prints "ready" once the store is open, so a kill is aimed at the writes,
    not at start-up."""
    from ehtool.services.families import add_family
    from ehtool.store import open_store

    store = open_store(db)
    print("ready", flush=True)
    for i in range(UNTIL_KILLED):
        add_family(store, {"name": f"{tag} family {i}", "postcode": f"CR0 {i % 9}AB"}, allow_duplicate=True)
    store.close()


def increment(db: str, family_ref: str, count: int) -> None:
    """Read-modify-write: each round reads the notes and appends one character."""
    from ehtool.domain.families import parse_ref
    from ehtool.store import families as repo
    from ehtool.store import open_store

    store = open_store(db)
    fid = parse_ref(family_ref)
    for _ in range(count):
        with store.tx():
            notes = store.scalar("SELECT notes FROM families WHERE id = ?", (fid,)) or ""
            repo.edit_family(store, fid, {"notes": notes + "x"})
    store.close()


if __name__ == "__main__":
    name, *args = sys.argv[1:]
    {
        "add": lambda db, w, n: add_families(db, int(w), int(n)),
        "add-until-killed": add_until_killed,
        "increment": lambda db, ref, n: increment(db, ref, int(n)),
    }[name](*args)
