"""How the demo's tour looks: numbered steps, what each did, the files written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ehtool.commands.views.assess import harm_banner
from ehtool.commands.views.due import render_due
from ehtool.term import output

if TYPE_CHECKING:
    from ehtool.domain.due import DueItem
    from ehtool.domain.thresholds import Profile


class TerminalTour:
    """The demo's :class:`~ehtool.services.demo.Tour`, shown on stdout."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: list[tuple[str, Path]] = []
        output.line("ehtool demo: synthetic families only (invented people, test-range NHS numbers).")
        output.line(f"Working in {folder}")

    def step(self, text: str) -> None:
        output.line(f"\n== {text}")

    def say(self, text: str) -> None:
        output.line(f"   {text}")

    def file(self, label: str, path: Path) -> None:
        self.files.append((label, Path(path)))
        self.say(f"{label}: {path}")

    def harm(self, profile: Profile, indicators: list, child: str | None = None) -> None:
        harm_banner(profile, indicators, child)

    def due(self, items: list[DueItem], day: dt.date) -> None:
        render_due(items, day)

    def done(self, db: Path) -> None:
        output.line("\n== Files written")
        for label, path in self.files:
            output.line(f"   {label:<28} {path}")
        output.line(f"\nTry it yourself: export EHTOOL_DB={db}  then  ehtool family list")
