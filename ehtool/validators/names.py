"""Names: comparison keys and similarity for possible-duplicate checks.

Pure functions, standard library only, no I/O (see :mod:`ehtool.validators`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
    and difflib's quick upper bounds are tried before the full ratio.
    """
    ka, sa, fa, label_a = _parsed(a)
    kb, sb, fb, label_b = _parsed(b)
    if ka == kb:
        return bool(ka)
    if not ka or not kb:
        return False
    if sa & sb and (label_a or label_b or fa[0] == fb[0]):
        return True
    from difflib import SequenceMatcher  # only when names need comparing

    matcher = SequenceMatcher(None, ka, kb, autojunk=False)
    return (matcher.real_quick_ratio() >= SIMILARITY_RATIO
            and matcher.quick_ratio() >= SIMILARITY_RATIO
            and matcher.ratio() >= SIMILARITY_RATIO)
