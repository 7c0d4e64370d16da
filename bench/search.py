"""What corpus-wide search costs: indexing at ingest, and the first page of hits at 100,000 articles.

A store of generated articles (``bench.generate``: recombined seed sentences, about 860 words each) is
written directly, articles and search index only (the NLP step is not what is measured here), in parts of
5,000 articles as an ingest writes them. Then each query runs as the Search page runs it: the index gives
the matching articles, they are ordered newest first among all articles, the first page's 20 texts are
read from the Parquet parts and their lines in context cut. The generated vocabulary is small (every
article draws on the same 155 sentences), so common words match most of the corpus: the worst case for
the size of the result.

Usage: ``python -m bench.search [--n 100000] [--repeats 5] [--work /tmp/press-bench/search]``
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.generate import generate
from core import search, views
from core.analysis import load_articles
from core.store import ARTICLES, Store

QUERIES = ["Pyongyang", '"Conseil de sécurité"', "sanction*", "Choïgou missiles", '"Kim Jong Un" -Ukraine', "cosmodrome"]
PART = 5000
PAGE = 20


def build(n: int, folder: Path) -> tuple[Store, float, int]:
    """The store, the seconds spent indexing, and the bytes of text indexed."""
    if folder.exists():
        shutil.rmtree(folder)
    store = Store(folder)
    indexing, characters = 0.0, 0
    with store.writer() as writer:
        rows = []
        for article in generate(n):
            text = "\n\n".join([article.title, *article.paragraphs])
            row = dict.fromkeys(ARTICLES.names)
            row.update(id=f"a{article.index:07d}", source=f"bench/{article.index}.txt", title=article.title, text=text,
                       date=article.date, words=len(text.split()), status="analysed", content_hash=str(article.index))
            rows.append(row)
            characters += len(text)
            if len(rows) == PART:
                indexing += _write(writer, rows)
                rows = []
        if rows:
            indexing += _write(writer, rows)
        started = time.perf_counter()
    return store, indexing + (time.perf_counter() - started), characters  # the commit merges the index


def _write(writer, rows: list[dict]) -> float:
    writer.append("articles", pd.DataFrame(rows))
    started = time.perf_counter()
    writer.index_texts((row["id"], row["text"]) for row in rows)
    return time.perf_counter() - started


def first_page(store: Store, articles: pd.DataFrame, query: search.Query) -> tuple[dict[str, float], int, int]:
    times = {}
    started = time.perf_counter()
    matched = search.matching_articles(search.index_paths(store), query)
    times["index"] = time.perf_counter() - started
    found = articles[articles["id"].isin(matched)]
    newest = np.argsort(views.newest_ranks(found), kind="stable")
    times["order"] = time.perf_counter() - started - times["index"]
    ids = found["id"].to_numpy()[newest[:PAGE]].tolist()
    rows = store.read_rows("articles", "id", ids, ["id", "text"])
    times["texts"] = time.perf_counter() - started - times["index"] - times["order"]
    lines = search.hit_rows(dict(zip(rows["id"], rows["text"])), query)
    times["total"] = time.perf_counter() - started
    return times, len(found), len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--work", default="/tmp/press-bench/search")
    args = parser.parse_args()
    folder = Path(args.work) / f"store-{args.n}"
    store, indexing, characters = build(args.n, folder)
    index_bytes = sum(p.stat().st_size for p in search.index_paths(store))
    text_bytes = sum((store.path / p).stat().st_size for p in store.manifest()["tables"]["articles"])
    print(f"{args.n:,} articles, {characters / 1e6:,.0f} M characters: indexing {indexing:.1f} s "
          f"({indexing * 1000 / args.n:.2f} ms/article); index {index_bytes / 1e6:,.0f} MB beside "
          f"{text_bytes / 1e6:,.0f} MB of article parts")
    articles = views.with_newest_rank(load_articles(store))  # what the dashboard holds in its cache
    print(f"{'query':28} {'articles':>9} {'lines':>6} {'index':>7} {'order':>7} {'texts':>7} {'first page':>11}")
    for typed in QUERIES:
        query = search.parse(typed)
        runs = [first_page(store, articles, query) for _ in range(args.repeats)]
        median = {k: sorted(r[0][k] for r in runs)[len(runs) // 2] for k in runs[0][0]}
        print(f"{typed:28} {runs[0][1]:>9,} {runs[0][2]:>6} {median['index'] * 1000:>6.0f}ms {median['order'] * 1000:>6.0f}ms "
              f"{median['texts'] * 1000:>6.0f}ms {median['total'] * 1000:>9.0f}ms (first run {runs[0][0]['total'] * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
