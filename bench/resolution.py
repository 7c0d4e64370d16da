"""What entity resolution costs as the names of a corpus grow (issue 17).

The mentions are made without the NLP pipeline, from the name pools of :mod:`bench.names`: each
article names a few people (Zipf-drawn), once in full and then by surname, sometimes with a
variant spelling or a surname the recogniser misread as a place, and a few places and
organisations. ``core.entities.resolve_entities`` is timed on growing corpora, so the growth
(linear or not) is read from the table::

    python -m bench.resolution --articles 10000 20000 40000 80000
    python -m bench.resolution --store /tmp/press-bench/s10k   # an analyst's edits on a copy of a built store
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench import HISTORY
from bench.names import Zipf, pools, surname, variant


def mentions_frame(articles: int, seed: int = 5, people_pool: int = 200_000) -> pd.DataFrame:
    """``article, sent, start, end, text, label`` of a corpus of ``articles`` articles."""
    rng = random.Random(seed)
    names = pools(people=people_pool, places=people_pool // 5, organisations=people_pool // 8)
    people, places, organisations = (Zipf(names[kind], 0.8) for kind in ("people", "places", "organisations"))
    rows: list[tuple] = []
    for index in range(articles):
        article = f"a{index:07d}"
        offset = 0

        def mention(text: str, label: str, sentence: int) -> None:
            nonlocal offset
            rows.append((article, sentence, offset, offset + len(text), text, label))
            offset += len(text) + 40

        for _ in range(rng.randint(2, 6)):
            person = people.draw(rng)
            if rng.random() < 0.05:
                person = variant(rng, person)
            mention(person, "PER", rng.randrange(3))
            for _ in range(rng.randint(0, 4)):
                short = surname(person)
                mention(short, "LOC" if rng.random() < 0.03 else "PER", 3 + rng.randrange(20))
        for _ in range(rng.randint(1, 4)):
            mention(places.draw(rng), "LOC", rng.randrange(25))
        for _ in range(rng.randint(0, 3)):
            mention(organisations.draw(rng), "ORG", rng.randrange(25))
    return pd.DataFrame(rows, columns=["article", "sent", "start", "end", "text", "label"])


def time_edits(store_path: Path, out=print) -> None:
    """Time an analyst's edits on a copy of a built store: a merge, a rename and a type change of
    entities ranked about 300th by mentions (what an edit usually touches: a few dozen articles), then
    a merge of the two most mentioned people (it touches most articles) and a split."""
    from core.analysis import edit_entities
    from core.store import Store

    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / "store"
        shutil.copytree(store_path, copy, ignore=shutil.ignore_patterns(".lock"))
        store = Store(copy)
        entities = store.read_derived("entities")
        people = entities[entities["label"] == "PER"]["name"].tolist()
        places = entities[entities["label"] == "LOC"]["name"].tolist()
        out(f"{store_path}: {len(entities):,} entities, {len(store.read_derived('mention_entities')):,} mentions")
        started = time.perf_counter()
        edit_entities(store, rename=(people[-1], "Warm Up"))  # stored keys of older code are made again here
        out(f"first edit (keys made again if stale): {time.perf_counter() - started:.2f} s")
        out("| edit | articles touched | time |\n|---|---|---|")
        for label, edit in (("merge (about 300th)", {"merge": (people[301], people[300])}),
                            ("rename (about 300th)", {"rename": (people[310], "Renamed Person")}),
                            ("type change (about 300th)", {"relabel": (places[300], "ORG")}),
                            ("merge of the two most mentioned", {"merge": (people[1], people[0])}),
                            ("split", {"split": people[3]})):
            before = store.read_derived("mention_entities", columns=["article", "entity", "label"])
            started = time.perf_counter()
            edit_entities(store, confirm=True, **edit)
            elapsed = time.perf_counter() - started
            after = store.read_derived("mention_entities", columns=["article", "entity", "label"])
            touched = "(keys made again)"
            if len(after) == len(before):
                moved = (after["entity"].array != before["entity"].array) | (after["label"].array != before["label"].array)
                touched = f"{after['article'][moved].nunique():,}"
            out(f"| {label} | {touched} | {elapsed:.2f} s |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.resolution", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000, 20_000, 40_000])
    parser.add_argument("--store", type=Path, help="time an analyst's edits on a copy of this store instead")
    parser.add_argument("--append-results", action="store_true", help=f"append the edits' table to {HISTORY}")
    arguments = parser.parse_args(argv)
    if arguments.store:
        lines: list[str] = []

        def out(line: str) -> None:
            print(line, flush=True)
            lines.append(line)

        time_edits(arguments.store, out)
        if arguments.append_results:
            commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
            when = time.strftime("%Y-%m-%d %H:%M")
            with open(HISTORY, "a", encoding="utf-8") as handle:
                handle.write(f"\n## `python -m bench.resolution --store {arguments.store}`, {when}\n\nRepo at {commit}; "
                             f"load average at end {', '.join(f'{x:.2f}' for x in os.getloadavg())}.\n\n" + "\n".join(lines) + "\n")
        return 0
    from core.entities import resolve_entities

    print("| articles | mentions | distinct texts | entities | people | resolve | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for articles in arguments.articles:
        frame = mentions_frame(articles)
        started = time.perf_counter()
        _, entities = resolve_entities(frame)
        elapsed = time.perf_counter() - started
        people = int((entities["label"] == "PER").sum())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| {articles:,} | {len(frame):,} | {frame['text'].nunique():,} | {len(entities):,} | {people:,} | "
              f"{elapsed:.1f} s | {peak:.0f} MB |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
