"""One way to compare written words: case, accents and typographic apostrophes folded.

Every module that matches words written in articles (dates, the NLP step,
entities, quotes, search, wire copies, the views) folds them here, so that
"Corée", "COREE" and "coree" are one word everywhere and "l’ONU" is "l'onu".
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Case-folded, accent-free, with typographic apostrophes as ``'`` (memoised: the same
    few thousand word forms recur in every article). "ß" becomes "ss" and "ﬁ" "fi", so
    the result may be longer than ``text``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def fold_words(text: str) -> str:
    """:func:`fold`, with each run of white space as one space and none at the ends."""
    return " ".join(fold(text).split())


def fold_in_place(text: str) -> str:
    """:func:`fold` with each character in its place, so that offsets into ``text`` stay
    valid: a character that folds to several ("ß") or to none (a lone accent) is only
    lower-cased."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch.lower())
            continue
        folded = fold(ch)
        out.append(folded if len(folded) == 1 else ch.lower()[:1] or ch)
    return "".join(out)
