"""What quote extraction costs on top of the rest of the per-article analysis.

Generated articles (recombined seed sentences, which carry their quotes and reporting clauses) go through
the ingest pipeline once; the analysis of each Doc is then timed with and without ``find_quotes``, in
alternating repeats, in one process. Also a worst case: one long article made of many short quotes.

Usage: ``python -m bench.quotes [--n 200] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import time

from bench.generate import generate
from core.nlp import SanctionsMatcher, analyse_doc, load_pipeline, read_words
from core.quotes import find_quotes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    nlp = load_pipeline()
    matcher = SanctionsMatcher(nlp)
    texts = ["\n\n".join([a.title, *a.paragraphs]) for a in generate(args.n)]
    docs = list(nlp.pipe(texts, batch_size=32))
    words = sum(len(doc) for doc in docs)
    analysed = [analyse_doc(str(i), doc, matcher, text) for i, (doc, text) in enumerate(zip(docs, texts))]
    quotes = sum(len(a.quotes) for a in analysed)
    whole, only = [], []
    for _ in range(args.repeats):
        started = time.perf_counter()
        for i, (doc, text) in enumerate(zip(docs, texts)):
            analyse_doc(str(i), doc, matcher, text)
        whole.append(time.perf_counter() - started)
        started = time.perf_counter()
        for a, doc, text in zip(analysed, docs, texts):
            spans = [(m.start, m.end, m.label) for m in a.mentions]
            find_quotes(a.article, text, read_words(doc, text), list(a.sentences), spans)
        only.append(time.perf_counter() - started)
    whole_s, only_s = sorted(whole)[len(whole) // 2], sorted(only)[len(only) // 2]
    print(f"{args.n} articles, {words:,} tokens, {quotes:,} quotes found")
    print(f"analysis of the Docs (with quotes): {whole_s * 1000 / args.n:.2f} ms/article")
    print(f"quotes alone (re-reading the words): {only_s * 1000 / args.n:.2f} ms/article "
          f"({only_s / whole_s:.0%} of the analysis)")
    # the worst case: a long article of many short quotes, each with its clause
    long_text = " ".join(f"« Nous livrerons les pièces numéro {i} demain », a déclaré Dmitri Peskov." for i in range(1000))
    doc = nlp(long_text)
    started = time.perf_counter()
    result = analyse_doc("long", doc, matcher, long_text)
    elapsed = time.perf_counter() - started
    print(f"one article of {len(long_text):,} characters and {len(result.quotes):,} quotes: analysis {elapsed:.2f} s")


if __name__ == "__main__":
    main()
