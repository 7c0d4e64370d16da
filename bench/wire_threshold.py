"""Measure the containment and Jaccard similarity that ``core.wire`` judges copies by.

Texts go through core's own cleaning (``core.ingest.prepare_article``) exactly
as at ingest, then ``core.wire.signature``; estimates from the signatures are
compared with the exact values of the shingle sets. Measured:

(a) generated wire copies against their originals, per edit strength
    (``bench.generate.wire_copy``: light, medium, heavy, republished, rewrite);
(b) every pair of seed articles, seeds 001 and 002 (one shared paragraph) in
    particular;
(c) unrelated generated articles (random pairs of originals), and for each
    original its most similar unrelated article among a sample;
(d) end to end: ``core.wire.wire_groups`` (LSH candidates + the copy rule) on a
    generated corpus, recall and precision against the generator's truth, and
    its time.

Usage: ``python -m bench.wire_threshold [--n 400] [--corpus 2000] [--append-results]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sys
import time

import numpy as np
import pandas as pd

from bench import HISTORY
from bench import generate as gen
from core.ingest import prepare_article
from core.records import RawDocument
from core.wire import (
    CONTAINMENT, MIN_JACCARD, containment_of_smaller, estimated_similarity, is_copy, shingles, signature, wire_groups,
)



def cleaned(raw_text: str, source: str = "bench.txt") -> str:
    return prepare_article(RawDocument(source=source, raw_text=raw_text, encoding="utf-8"), "1970-01-01T00:00:00+00:00").text


def exact(a: str, b: str) -> tuple[float, float]:
    """Exact Jaccard similarity and containment of the smaller shingle set."""
    sa, sb = shingles(a), shingles(b)
    shared = len(sa & sb)
    return shared / max(1, len(sa | sb)), shared / max(1, min(len(sa), len(sb)))


def estimate(first, second) -> tuple[float, float]:
    (sig_a, size_a), (sig_b, size_b) = first, second
    jaccard = estimated_similarity(sig_a, sig_b)
    return jaccard, containment_of_smaller(jaccard, size_a, size_b)


def describe(values: list[float]) -> dict:
    array = np.asarray(values, dtype=float)
    return {"n": len(array), "min": array.min(), "p1": np.percentile(array, 1), "median": np.median(array),
            "p99": np.percentile(array, 99), "max": array.max()}


def row(name: str, pairs: list[tuple[float, float]], copies_wanted: bool | None) -> str:
    jaccards, containments = [p[0] for p in pairs], [p[1] for p in pairs]
    dj, dc = describe(jaccards), describe(containments)
    share = float(np.mean([is_copy(j, c) for j, c in pairs]))
    if copies_wanted is None:
        verdict = "(beyond wire edits; informative)"
    else:
        verdict = "ok" if (share >= 0.99 if copies_wanted else share <= 0.001) else "CHECK"
    return (f"| {name} | {dj['n']} | {dj['min']:.3f} / {dj['median']:.3f} / {dj['max']:.3f} "
            f"| {dc['min']:.3f} / {dc['p1']:.3f} / {dc['median']:.3f} / {dc['max']:.3f} | {share:.1%} | {verdict} |")


def measure(n: int, corpus_size: int, seed: int) -> tuple[list[str], dict]:
    sentences, _ = gen.seed_material()
    rng = random.Random(seed)
    originals = list(itertools.islice((a for a in gen.generate(n * 3, seed) if a.wire_of is None), n))
    texts = [cleaned(a.txt()) for a in originals]
    sigs = [signature(t) for t in texts]
    lines = [
        f"Rule: containment of the smaller text >= {CONTAINMENT} and Jaccard >= {MIN_JACCARD} (or an excerpt almost "
        "whole inside the larger); word 5-shingles, 128 MinHash values (estimates below)",
        "",
        "| pairs | n | Jaccard min / median / max | containment min / p1 / median / max | judged copies | verdict |",
        "|---|---|---|---|---|---|",
    ]
    figures: dict = {}
    errors: list[float] = []
    titles = [a.title for a in originals]
    for strength in gen.STRENGTHS:
        pairs = []
        for original, text, sig in zip(originals, texts, sigs):
            copy_text = cleaned(gen.wire_copy(rng, original, 10**6, strength, sentences, titles).txt())
            got = estimate(sig, signature(copy_text))
            pairs.append(got)
            errors.append(got[1] - exact(text, copy_text)[1])
        figures[f"wire {strength}"] = pairs
        lines.append(row(f"(a) wire copy, {strength} edits", pairs, True if strength != "rewrite" else None))

    seed_paths = sorted(gen.SEEDS_DIR.glob("*.txt"))
    seed_texts = {p.name[:3]: cleaned(p.read_text(encoding="utf-8"), p.name) for p in seed_paths}
    seed_sigs = {k: signature(v) for k, v in seed_texts.items()}
    seed_pairs = {f"{a}-{b}": (estimate(seed_sigs[a], seed_sigs[b]), exact(seed_texts[a], seed_texts[b]))
                  for a, b in itertools.combinations(sorted(seed_texts), 2)}
    lines.append(row("(b) seed pairs (all 10)", [v[0] for v in seed_pairs.values()], False))
    unrelated = [estimate(sigs[i], sigs[j]) for i, j in (rng.sample(range(len(originals)), 2) for _ in range(min(5000, n * (n - 1) // 2)))]
    lines.append(row("(c) unrelated generated articles, random pairs", unrelated, False))
    nearest = []
    for i in range(len(originals)):
        others = [estimate(sigs[i], sigs[j]) for j in range(len(originals)) if j != i]
        nearest.append(max(others, key=lambda p: p[1]))
    lines.append(row(f"(c) each original's most contained other original (of {n})", nearest, False))
    lines += ["", "Seed pairs (estimated / exact containment):", ""]
    lines += [f"- {pair}: {est[1]:.3f} / {ex[1]:.3f}" + ("  <- share one paragraph; must not be a copy" if pair == "001-002" else "")
              for pair, (est, ex) in seed_pairs.items()]
    err = np.abs(errors)
    lines += ["", f"Estimated minus exact containment over the {len(errors)} wire pairs: mean {np.mean(errors):+.3f}, "
              f"mean |error| {err.mean():.3f}, p99 |error| {np.percentile(err, 99):.3f}"]

    # (d) end to end on a generated corpus, the LSH candidates included.
    articles = list(gen.generate(corpus_size, seed + 1))
    signed = [signature(cleaned(a.txt())) for a in articles]
    frame = pd.DataFrame({"article": [a.name for a in articles], "minhash": [s[0] for s in signed], "shingles": [s[1] for s in signed]})
    started = time.perf_counter()
    groups = wire_groups(frame, [a.name for a in articles])
    seconds = time.perf_counter() - started
    by_name = {a.name: a for a in articles}
    root = {a.index: a.index for a in articles}
    for a in articles:
        if a.wire_of is not None:
            root[a.index] = root[a.wire_of]
    flagged = groups.dropna(subset=["duplicate_of"])
    true_copies = {a.name for a in articles if a.wire_of is not None}
    correct = sum(1 for _, r in flagged.iterrows() if root[by_name[r["article"]].index] == root[by_name[r["duplicate_of"]].index])
    detected = set(flagged["article"]) & true_copies
    recall = len(detected) / max(1, len(true_copies))
    precision = correct / max(1, len(flagged))
    lines += ["", f"(d) wire_groups on a generated corpus of {corpus_size} articles ({len(true_copies)} wire copies): "
              f"recall {recall:.1%}, precision {precision:.1%} ({len(flagged)} flagged, {correct} with the right "
              f"original group), {seconds:.1f} s"]
    figures["end to end"] = {"recall": recall, "precision": precision, "seconds": seconds}
    return lines, figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.wire_threshold")
    parser.add_argument("--n", type=int, default=400, help="originals per edit strength (default 400)")
    parser.add_argument("--corpus", type=int, default=2000, help="articles in the end-to-end corpus (default 2000)")
    parser.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    parser.add_argument("--append-results", action="store_true", help=f"append the figures to {HISTORY}")
    arguments = parser.parse_args(argv)
    lines, _ = measure(arguments.n, arguments.corpus, arguments.seed)
    print("\n".join(lines))
    if arguments.append_results:
        from bench.run import machine_description

        with open(HISTORY, "a", encoding="utf-8") as handle:
            handle.write(f"\n## Wire-copy threshold, {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}\n\n")
            handle.write(machine_description() + "\n\n")
            handle.write(f"`python -m bench.wire_threshold --n {arguments.n} --corpus {arguments.corpus}`\n\n")
            handle.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
