"""What watchlist screening costs at scale: reading a list and matching it against the corpus's entities.

Generated names: first names and surnames drawn from pools (a few thousand first names, tens of thousands
of surnames, Zipf-weighted so that some are common), entities of two words, listed people of three (a
patronymic) with one alias. A share of the listed people are planted in the corpus under another
spelling (a transliteration of one word) or without the patronymic, and surnames alone are added as
entities: the run checks that every planted person is found and that no surname alone matches.

Usage: ``python -m bench.watchlist [--entities 100000] [--listed 60000] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import time

import pandas as pd

from core.entities import spelling_key
from core.watchlist import match_entities, read_watchlist

VOWELS, CONSONANTS = "aeiou", "bcdfgklmnprstvz"


def _word(rng: random.Random) -> str:
    letters = [rng.choice(CONSONANTS if i % 2 == 0 else VOWELS) for i in range(rng.randint(4, 9))]
    return "".join(letters).capitalize()


def _respelt(word: str) -> str:
    """The same name in another transliteration: a "v" written "w", an "u" written "ou", or an "i" written "y"."""
    for written, other in (("v", "w"), ("u", "ou"), ("i", "y")):
        if written in word[1:]:
            return word[0] + word[1:].replace(written, other, 1)
    return word


def make(entities: int, listed: int, seed: int = 1) -> tuple[pd.DataFrame, bytes, set[str]]:
    """(the entities table, an OpenSanctions-format list, the names of the planted people)."""
    rng = random.Random(seed)
    first = list({_word(rng) for _ in range(max(50, entities // 30))})
    last = list({_word(rng) for _ in range(max(200, entities // 3))})
    first_weights = [1 / (rank + 1) for rank in range(len(first))]
    last_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(last))]

    def person() -> tuple[str, str]:
        return rng.choices(first, first_weights)[0], rng.choices(last, last_weights)[0]

    names = {" ".join(person()) for _ in range(entities)}
    rows, planted = [], set()
    for index in range(listed):
        given, surname = person()
        full = f"{given} {_word(rng)}ovich {surname.upper()}"
        if index % 100 == 0:  # planted: in the corpus under another spelling, without the patronymic
            written = f"{_respelt(given)} {surname}"
            names.add(written)
            planted.add(written)
        rows.append([f"NK-{index}", "Person", full, f"{given} {surname}", "", "ru", "", "", "", "", "", "", "bench", "", "", ""])
    names |= {rng.choice(last) for _ in range(entities // 20)}  # surnames alone: never a match
    frame = pd.DataFrame({"name": sorted(names)})
    frame["label"] = "PER"
    frame["forms"] = [json.dumps({n: 1}) for n in frame["name"]]
    frame["keys"] = [json.dumps([spelling_key(n)]) for n in frame["name"]]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "schema", "name", "aliases", "birth_date", "countries", "addresses", "identifiers", "sanctions",
                     "phones", "emails", "program_ids", "dataset", "first_seen", "last_seen", "last_change"])
    writer.writerows(rows)
    return frame, buffer.getvalue().encode("utf-8"), planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--listed", type=int, default=60_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    entities, data, planted = make(args.entities, args.listed)
    reads, matches = [], []
    for _ in range(args.repeats):
        started = time.perf_counter()
        entries = read_watchlist(data, "bench").entries
        reads.append(time.perf_counter() - started)
        spelling_key.cache_clear()  # as in a fresh process: the entities' names are keyed again
        started = time.perf_counter()
        found = match_entities(entities, entries)
        matches.append(time.perf_counter() - started)
    single = [n for n in entities["name"] if " " not in n]
    missed = planted - set(found["entity"])
    wrong = set(found["entity"]) & set(single)
    print(f"{len(entities):,} distinct entities ({len(single):,} of one word), {len(entries):,} listed people "
          f"({len(data) / 1e6:.1f} MB of CSV)")
    print(f"read the list: {sorted(reads)[len(reads) // 2]:.2f} s; match: {sorted(matches)[len(matches) // 2]:.2f} s "
          f"(median of {args.repeats}); {len(found):,} matches")
    print(f"planted people found: {len(planted) - len(missed)} of {len(planted)}; one-word names matched: {len(wrong)}")


if __name__ == "__main__":
    main()
