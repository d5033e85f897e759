"""Yes/no flags and free text: parsing import cells and tidying what people type.

Pure functions, standard library only, no I/O (see :mod:`ehtool.domain.validators`).
"""

from __future__ import annotations

import re

from ehtool.errors import InvalidInput

_TRUE = frozenset({"yes", "y", "true", "1"})
_FALSE = frozenset({"no", "n", "false", "0", ""})


def parse_bool(s: object, *, field: str = "value") -> bool:
    """A yes/no cell from an import: yes/no, y/n, true/false, 1/0 (any case);
    blank or missing means no. Anything else is refused rather than guessed."""
    if s is None:
        return False
    if isinstance(s, bool):
        return s
    if isinstance(s, (int, float)) and s in (0, 1):
        return bool(s)
    text = str(s).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(
        f"{field} {str(s).strip()!r} is not yes or no",
        hint="Use yes or no (y/n, true/false and 1/0 also work); blank means no.",
    )


# ASCII control characters: dropped, except that in single-line text the
# whitespace ones (tab, line breaks) become one space rather than gluing words.
_CONTROLS = {c: None for c in range(32)} | {127: None}
_MULTILINE = dict(_CONTROLS) | {ord("\t"): "\t", ord("\n"): "\n"}
_BREAK_RUN = re.compile(r"[\t\n\r\v\f]+")


def clean_text(s: object, *, field: str, max_len: int | None = None, multiline: bool = False) -> str:
    """Tidy free text without changing what it says.

    Strips surrounding whitespace; removes ASCII control characters (NUL
    always); keeps tab and newline in multi-line text (CRLF and lone CR become
    newline), and in single-line text turns a run of tabs/line breaks into
    one space. Everything else is kept literally: emoji, ``<``, ``&``,
    ``[bold]``, ``=SUM(...)``, quotes; escaping is the job of whoever renders
    it. Text longer than ``max_len`` characters is refused, never cut.
    ``None`` gives ``""``.
    """
    if s is None:
        return ""
    text = s if isinstance(s, str) else str(s)
    if multiline:
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = text.translate(_MULTILINE)
    elif not text.isprintable():  # the common case (plain text) skips this
        text = _BREAK_RUN.sub(" ", text).translate(_CONTROLS)
    text = text.strip()
    if max_len is not None and len(text) > max_len:
        raise InvalidInput(
            f"{field} is too long: {len(text)} characters, at most {max_len} allowed",
            hint="Shorten it; ehtool never cuts text short on its own.",
        )
    return text
