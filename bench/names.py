"""Large, deterministic pools of invented names, drawn with a Zipf law, with variant spellings.

Real archives name more people, places and organisations the larger they grow: a few
are everywhere, most appear once or twice. The generated corpus used to recombine the
seeds' sentences only, so its entity vocabulary stopped at the seeds' 129 entities and
the cost of resolving names never showed. These pools give tens of thousands of names
built from syllables (none taken from any corpus), and :class:`Zipf` draws from them so
that distinct names grow with the corpus as in real archives.

A name is sometimes written another way, as transliterations are ("Volkov" / "Wolkow",
"Iouri" / "Yuri"): :func:`variant` rewrites one word of it.
"""

from __future__ import annotations

import bisect
import itertools
import random
from functools import lru_cache

_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "br", "dr", "gr", "kr", "st", "tr", "sl", "vl")
_VOWELS = ("a", "e", "i", "o", "u", "ou", "ai", "ia", "io", "y")
_CODAS = ("", "", "", "n", "r", "l", "s", "m", "k")
_SURNAME_ENDINGS = ("ov", "ev", "ine", "enko", "ski", "ard", "ez", "ini", "sson", "berg", "ian", "oglu", "ani", "ier", "el", "")
_PLACE_ENDINGS = ("grad", "ville", "bourg", "abad", "pour", "sk", "stan", "ia", "haven", "ovo", "mont", "heim")
_ORGANISATION_FORMS = (
    "Banque de {place}", "Groupe {surname}", "{surname} Industries", "Agence {place}", "Compagnie {surname}",
    "Institut {surname}", "Union de {place}", "Fonds {surname}", "{surname} Énergie", "Conseil de {place}",
)
_VARIANTS = (("ou", "u"), ("u", "ou"), ("y", "i"), ("i", "y"), ("k", "c"), ("v", "w"), ("ch", "sh"), ("s", "ss"), ("ie", "ye"))


def _word(rng: random.Random, syllables: tuple[int, int], endings: tuple[str, ...] = ("",)) -> str:
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.randint(*syllables)))
    return (word + rng.choice(endings)).capitalize()


def _distinct(rng: random.Random, n: int, make) -> list[str]:
    seen: dict[str, None] = {}
    for _ in itertools.repeat(None, n * 20):
        if len(seen) >= n:
            break
        seen.setdefault(make(rng))
    return list(seen)


@lru_cache(maxsize=4)
def pools(people: int = 40_000, places: int = 8_000, organisations: int = 6_000, seed: int = 11) -> dict[str, tuple[str, ...]]:
    """``{"people": ..., "places": ..., "organisations": ...}``, each a tuple of distinct names, the same
    for the same arguments. People have a given name and a surname (a few have two given names)."""
    rng = random.Random(seed)
    given = _distinct(rng, max(200, people // 20), lambda r: _word(r, (1, 2), ("", "", "a", "e", "o")))
    surnames = _distinct(rng, people, lambda r: _word(r, (1, 3), _SURNAME_ENDINGS))
    people_names = []
    for surname in surnames:
        first = rng.choice(given)
        people_names.append(f"{first} {rng.choice(given)} {surname}" if rng.random() < 0.05 else f"{first} {surname}")
    place_names = _distinct(rng, places, lambda r: _word(r, (1, 2), _PLACE_ENDINGS))
    organisation_names = _distinct(
        rng, organisations, lambda r: r.choice(_ORGANISATION_FORMS).format(place=r.choice(place_names), surname=r.choice(surnames)))
    return {"people": tuple(people_names), "places": tuple(place_names), "organisations": tuple(organisation_names)}


class Zipf:
    """Draws from ``names`` with probability proportional to ``1 / rank ** exponent``."""

    def __init__(self, names: tuple[str, ...], exponent: float = 1.0):
        self.names = names
        self.cumulative = list(itertools.accumulate(1.0 / (rank ** exponent) for rank in range(1, len(names) + 1)))

    def draw(self, rng: random.Random) -> str:
        return self.names[bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[-1])]


def variant(rng: random.Random, name: str) -> str:
    """``name`` with one word spelt another way (one substitution of a transliteration), or unchanged
    when no substitution applies."""
    words = name.split()
    order = list(range(len(words)))
    rng.shuffle(order)
    for position in order:
        word = words[position]
        options = [(old, new) for old, new in _VARIANTS if old in word[1:]]
        if options:
            old, new = rng.choice(options)
            at = word.index(old, 1)
            words[position] = word[:at] + new + word[at + len(old):]
            return " ".join(words)
    return name


def surname(name: str) -> str:
    return name.split()[-1]
