"""Small-number suppression for the board workbook (:mod:`ehtool.documents.board`).

Every count from 1 to 4 is shown as "<5" (0 stays 0); further cells are hidden as
"[c]" where a total would give a small count away, or where a share, median or
mean rests on a small count."""

from __future__ import annotations

from typing import Any

SMALL_TEXT = "<5"  # a count from 1 to 4
HIDDEN_TEXT = "[c]"  # hidden so a small count cannot be worked out, or computed from one


def is_small(n: object) -> bool:
    """A count from 1 to 4 (not a bool)."""
    return isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 4


def suppress_grid(grid: list[list[int]], *, total_col: bool = False, total_row: bool = False) -> list[list[Any]]:
    """Counts for a pseudonymised table.

    Every count from 1 to 4 becomes ``"<5"`` (0 stays 0). Where the table has
    totals (``total_col``: each row's last cell is its total; ``total_row``:
    the last row holds the column totals), a line (a row or column with its
    total) in which only one cell is hidden would give that cell away by
    subtraction, so its smallest other non-zero cell is hidden too, shown as
    ``"[c]"``; repeated until no line has exactly one hidden cell."""
    rows = len(grid)
    cols = len(grid[0]) if rows else 0
    primary = {(r, c) for r in range(rows) for c in range(cols) if is_small(grid[r][c])}
    hidden = set(primary)
    lines = []
    if total_col:
        lines += [[(r, c) for c in range(cols)] for r in range(rows)]
    if total_row:
        lines += [[(r, c) for r in range(rows)] for c in range(cols)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(p in hidden for p in line) == 1:
                shown = [p for p in line if p not in hidden and grid[p[0]][p[1]] > 0]
                if shown:
                    hidden.add(min(shown, key=lambda p: (grid[p[0]][p[1]], p)))
                    changed = True
    return [
        [SMALL_TEXT if (r, c) in primary else HIDDEN_TEXT if (r, c) in hidden else grid[r][c] for c in range(cols)]
        for r in range(rows)
    ]


def suppress_share(part: int | str, whole: int | str) -> float | str | None:
    """A share (0 to 1) of two *displayed* counts: hidden if either is hidden
    or small, or if ``whole - part`` is from 1 to 4; None when ``whole`` is 0."""
    if isinstance(part, str) or isinstance(whole, str):
        return HIDDEN_TEXT
    if whole == 0:
        return None
    if is_small(part) or is_small(whole) or is_small(whole - part):
        return HIDDEN_TEXT
    return part / whole


def suppress_stat(value: float | None, count: int | None) -> float | str | None:
    """A median or mean over ``count`` cases: hidden when the count is 1 to 4."""
    if not count:
        return None
    return HIDDEN_TEXT if is_small(count) else value
