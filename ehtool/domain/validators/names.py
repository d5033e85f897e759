"""Names: comparison keys and similarity for possible-duplicate checks.

Pure functions, standard library only, no I/O (see :mod:`ehtool.domain.validators`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache, reduce
from operator import or_
from typing import NamedTuple, TypeVar

T = TypeVar("T")

# Letters that NFKD does not decompose into a base letter + accent.
_FOLD_EXTRA = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ŀ": "l"}
)
_APOSTROPHES = str.maketrans("", "", "'’‘`´ʼ")
_NON_WORD = re.compile(r"[\W_]+")
# Words that label a family or address a person rather than name them.
_NAME_STOPWORDS = frozenset({"the", "family", "household", "and", "mr", "mrs", "ms", "miss", "mx", "dr", "baby"})
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


class NameProbe(NamedTuple):
    """A name made ready for comparing: its key, the words taken as surnames, the
    first name, whether it is a label (or has no first name), and the set of its
    letters as bits. Make one per name with :func:`probe`."""

    key: str
    surnames: frozenset[str]
    first: str
    label: bool
    letters: int  # a bit for each letter in the key (ord % 64): see _decided


class _LetterBits(dict[str, int]):
    """A character's bit in :attr:`NameProbe.letters` (its code point mod 64)."""

    def __missing__(self, ch: str) -> int:
        bit = self[ch] = 1 << (ord(ch) & 63)
        return bit


_LETTER_BITS = _LetterBits()


def probe(s: str) -> NameProbe:
    key = name_key(s)
    words = key.split()
    is_label = not _LABEL_WORDS.isdisjoint(words)
    tokens = [w for w in words if w not in _NAME_STOPWORDS]
    if is_label or len(tokens) < 2:
        surnames, first = tokens, ""
    else:
        surnames, first = tokens[1:], tokens[0]
    letters = reduce(or_, map(_LETTER_BITS.__getitem__, set(key)), 0)
    return NameProbe(key, frozenset(t for t in surnames if len(t) >= 2), first, is_label or not first, letters)


@lru_cache(maxsize=4096)
def _counts(key: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in key:
        counts[ch] = counts.get(ch, 0) + 1
    return counts


_parsed = lru_cache(maxsize=65536)(probe)


def surname_tokens(s: str) -> frozenset[str]:
    """The words of a name taken as surnames: for a family label ('Smith-Ahmed
    household', 'Okafor family', a single word) every word; for a person's name
    ('Amina Yusuf-Hassan') every word after the first."""
    return _parsed(s)[1]


def _ratio_bounds_fail(ka: str, kb: str, letters_a: int, letters_b: int) -> bool:
    """True when the ratio of the keys cannot reach SIMILARITY_RATIO, judged by
    upper bounds cheaper than difflib's full ratio: difflib's own from the
    lengths (real_quick_ratio) and from the letters in common (quick_ratio), and
    before that one from the sets of letters. Each letter found in one key and
    not the other leaves at least one character unmatched, and the ratio allows
    at most 15% unmatched; the bit sets (ord % 64) can only undercount the
    letters that differ, so that test never rejects a pair difflib would accept,
    and it rejects most unrelated names in one step."""
    total = len(ka) + len(kb)
    if (letters_a ^ letters_b).bit_count() > (1.0 - SIMILARITY_RATIO) * total + 1e-9:
        return True
    if 2.0 * min(len(ka), len(kb)) / total < SIMILARITY_RATIO:  # difflib's own arithmetic
        return True
    small, large = _counts(ka), _counts(kb)
    if len(small) > len(large):
        small, large = large, small
    common = 0
    for ch, n in small.items():
        m = large.get(ch, 0)
        common += n if n < m else m
    return 2.0 * common / total < SIMILARITY_RATIO


def _decided(pa: NameProbe, pb: NameProbe) -> bool | None:
    """Rules 1 and 2 of :func:`similar_names` and the ratio's upper bounds: True
    or False when they decide, None when the full ratio must."""
    ka, kb = pa.key, pb.key
    if ka == kb:
        return bool(ka)
    if not ka or not kb:
        return False
    if not pa.surnames.isdisjoint(pb.surnames) and (pa.label or pb.label or pa.first[0] == pb.first[0]):
        return True
    if _ratio_bounds_fail(ka, kb, pa.letters, pb.letters):
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
    candidates, :func:`first_similar` with :func:`probe`\\ s made once per name
    also reuses one matcher.
    """
    pa, pb = _parsed(a), _parsed(b)
    decided = _decided(pa, pb)
    if decided is not None:
        return decided
    from difflib import SequenceMatcher  # only when names need comparing

    return SequenceMatcher(None, pa.key, pb.key, autojunk=False).ratio() >= SIMILARITY_RATIO


def first_similar(name: NameProbe, candidates: Iterable[tuple[NameProbe, T]]) -> T | None:
    """The payload of the first (probe, payload) candidate whose name is
    :func:`similar_names` to ``name`` (the same rules, written out inline because
    a large import makes hundreds of thousands of these comparisons), or None.
    One difflib matcher holds ``name`` for every comparison that needs it."""
    kb = name.key
    if not kb:
        return None
    surnames_b, first_b, label_b, letters_b = name.surnames, name.first, name.label, name.letters
    length_b, slack = len(kb), 1.0 - SIMILARITY_RATIO
    matcher = None
    for pa, payload in candidates:
        ka = pa.key
        if ka == kb:
            return payload
        if not ka:
            continue
        if not surnames_b.isdisjoint(pa.surnames) and (label_b or pa.label or pa.first[0] == first_b[0]):
            return payload
        if (pa.letters ^ letters_b).bit_count() > slack * (len(ka) + length_b) + 1e-9:
            continue  # the first of the bounds below, inline: it settles most pairs
        if _ratio_bounds_fail(ka, kb, pa.letters, letters_b):
            continue
        if matcher is None:
            from difflib import SequenceMatcher

            matcher = SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(kb)
        matcher.set_seq1(ka)  # as similar_names(candidate, name)
        if matcher.ratio() >= SIMILARITY_RATIO:
            return payload
    return None
