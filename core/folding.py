"""One way to compare written words: case, accents and typographic apostrophes folded.

Every module that matches words written in articles (dates, the NLP step,
entities, quotes, search, wire copies, the views) folds them here, so that
"Corée", "COREE" and "coree" are one word everywhere and "l’ONU" is "l'onu".
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


MEMOISED_LENGTH = 64
"""Strings up to this length are folded once and remembered (words and names recur in every
article); longer ones, whole texts, are folded each time, so that no text stays in memory."""


def fold(text: str) -> str:
    """Case-folded, accent-free, with typographic apostrophes as ``'``. "ß" becomes "ss" and
    "ﬁ" "fi", so the result may be longer than ``text``."""
    return _fold_short(text) if len(text) <= MEMOISED_LENGTH else _fold(text)


def fold_words(text: str) -> str:
    """:func:`fold`, with each run of white space as one space and none at the ends."""
    return _fold_words_short(text) if len(text) <= MEMOISED_LENGTH else " ".join(_fold(text).split())


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()  # no accent, no typographic apostrophe: folding is lower-casing
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_fold_short = lru_cache(maxsize=200_000)(_fold)


@lru_cache(maxsize=200_000)
def _fold_words_short(text: str) -> str:
    return " ".join(_fold(text).split())


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
