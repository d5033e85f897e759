"""Drawing from the seeded stream: weighted lists and the fast choices the generator makes.

These run millions of times for a large file, so they skip ``random``'s argument checks."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")


def _cum(pairs: Sequence[tuple[T, int]]) -> tuple[list[T], list[int]]:
    """``[(item, weight)]`` as ``(items, cumulative weights)``, for :func:`_pick`."""
    items = [p[0] for p in pairs]
    cum = list(accumulate(p[1] for p in pairs))
    return items, cum


def _ch(rng: random.Random, seq: Sequence[T]) -> T:
    """rng.choice, without randrange's overhead (this runs millions of times)."""
    return seq[int(rng.random() * len(seq))]


def _int(rng: random.Random, lo: int, hi: int) -> int:
    """_int(rng, lo, hi), the fast way."""
    return lo + int(rng.random() * (hi - lo + 1))


def _pick(rng: random.Random, items_cum: tuple[Sequence[T], Sequence[int]]) -> T:
    """A weighted choice from ``_cum``'s ``(items, cumulative weights)``."""
    items, cum = items_cum
    return items[bisect(cum, rng.random() * cum[-1])]
