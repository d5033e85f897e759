"""Safe identifiers for synthetic members: NHS numbers from the test range, UPNs of invented schools.

See :mod:`ehtool.synthetic` for why they are safe."""

from __future__ import annotations

import random

from ehtool.domain import validators as v


class _NhsNumbers:
    """Unique valid NHS numbers from the 999 test range, in a seeded order."""

    SPAN = 10**6

    def __init__(self, seed: int) -> None:
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


def _upn(rng: random.Random, la: str, estab: str, entry_year: int, used: set[str]) -> str:
    """A unique UPN with a valid check letter (now and then a temporary one)."""
    while True:
        if rng.random() < 0.01:  # temporary UPN: two digits and a letter
            tail = f"{int(rng.random() * 100):02d}{v.UPN_LETTERS[int(rng.random() * 23)]}"
        else:
            tail = f"{int(rng.random() * 1000):03d}"
        body = f"{la}{estab}{entry_year % 100:02d}{tail}"
        if body not in used:
            used.add(body)
            return v.upn_check_letter(body) + body
