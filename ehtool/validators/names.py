"""Names: comparison keys and similarity for possible-duplicate checks.

Pure functions, standard library only, no I/O (see :mod:`ehtool.validators`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

# Letters that NFKD does not decompose into a base letter + accent.
_FOLD_EXTRA = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae",
                             "œ": "oe", "þ": "th", "ð": "d", "ŀ": "l"})
_APOSTROPHES = str.maketrans("", "", "'’‘`´ʼ")
_NON_WORD = re.compile(r"[\W_]+")
# Words that label a family or address a person rather than name them.
_NAME_STOPWORDS = frozenset({"the", "family", "household", "and", "mr", "mrs", "ms", "miss",
                             "mx", "dr", "baby"})
_LABEL_WORDS = frozenset({"family", "household"})
SIMILARITY_RATIO = 0.85


@lru_cache(maxsize=65536)
def name_key(s: str) -> str:
    """A comparison key: case-folded, accents stripped, apostrophes dropped
    (O'Brien = OBrien), other punctuation and whitespace collapsed to single
    spaces. Idempotent: ``name_key(name_key(x)) == name_key(x)``. ``None`` gives ``""``."""
    if s is None:
        return ""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", str(s)).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_FOLD_EXTRA).translate(_APOSTROPHES)
    return _NON_WORD.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def _parsed(s: str) -> tuple[str, frozenset[str], str, bool]:
    key = name_key(s)
    words = key.split()
    is_label = any(w in _LABEL_WORDS for w in words)
    tokens = [w for w in words if w not in _NAME_STOPWORDS]
    if is_label or len(tokens) < 2:
        surnames, first = tokens, ""
    else:
        surnames, first = tokens[1:], tokens[0]
    return key, frozenset(t for t in surnames if len(t) >= 2), first, is_label or not first


def surname_tokens(s: str) -> frozenset[str]:
    """The words of a name taken as surnames: for a family label ('Smith-Ahmed
    household', 'Okafor family', a single word) every word; for a person's name
    ('Amina Yusuf-Hassan') every word after the first."""
    return _parsed(s)[1]


def _decided(pa: tuple, pb: tuple) -> bool | None:
    """Rules 1 and 2 of :func:`similar_names`, and difflib's length bound (its
    real_quick_ratio): True or False when they decide, None when the full
    ratio must."""
    ka, sa, fa, label_a = pa
    kb, sb, fb, label_b = pb
    if ka == kb:
        return bool(ka)
    if not ka or not kb:
        return False
    if sa & sb and (label_a or label_b or fa[0] == fb[0]):
        return True
    if 2.0 * min(len(ka), len(kb)) / (len(ka) + len(kb)) < SIMILARITY_RATIO:
        return False
    return None


def similar_names(a: str, b: str) -> bool:
    """Could these two names be the same family or person? (A prompt to check
    for a duplicate, never a merge.) Works on names or on their
    :func:`name_key`\\ s. True when:

    1. the keys are equal (case, accents, punctuation and spacing ignored); or
    2. a surname word is shared exactly (after :func:`name_key`): for family
       labels that alone is enough ('Smith-Ahmed household' ~ 'Ahmed family');
       for two people's names the first names must also start with the same
       letter ('Jo Okafor' ~ 'Joanne Okafor', but 'Ada Okafor' is not
       'Obi Okafor': siblings, and twins share a birthday); or
    3. difflib's ratio of the keys is at least 0.85 (one or two typos:
       'Mohammed Ali' ~ 'Muhammad Ali').

    Cheap enough for a loop over candidates: keys and surname sets are cached
    and difflib's quick upper bounds are tried before the full ratio; for many
    candidates, :func:`first_similar` also reuses one matcher.
    """
    pa, pb = _parsed(a), _parsed(b)
    decided = _decided(pa, pb)
    if decided is not None:
        return decided
    from difflib import SequenceMatcher  # only when names need comparing

    matcher = SequenceMatcher(None, pa[0], pb[0], autojunk=False)
    return matcher.quick_ratio() >= SIMILARITY_RATIO and matcher.ratio() >= SIMILARITY_RATIO


def first_similar(name: str, candidates: Iterable[T], key: Callable[[T], str]) -> T | None:
    """The first candidate whose ``key(candidate)`` is :func:`similar_names` to
    ``name`` (the same rule), or None. One difflib matcher holds ``name`` for
    every comparison, so a block of candidates costs little more than one."""
    pb = _parsed(name)
    matcher = None
    for candidate in candidates:
        pa = _parsed(key(candidate))
        decided = _decided(pa, pb)
        if decided is None:
            if matcher is None:
                from difflib import SequenceMatcher

                matcher = SequenceMatcher(None, autojunk=False)
                matcher.set_seq2(pb[0])
            matcher.set_seq1(pa[0])  # as similar_names(candidate, name)
            decided = matcher.quick_ratio() >= SIMILARITY_RATIO and matcher.ratio() >= SIMILARITY_RATIO
        if decided:
            return candidate
    return None
