"""Measure the MinHash similarity that ``core.wire`` compares with ``THRESHOLD``.

Texts go through core's own cleaning (``core.ingest.prepare_article``) exactly
as at ingest, then ``core.wire.minhash_signature``; the estimate is compared
with the exact Jaccard similarity of the shingle sets. Measured:

(a) generated wire copies against their originals, per edit strength
    (``bench.generate.wire_copy``: light, medium, heavy, rewrite);
(b) every pair of seed articles, seeds 001 and 002 (one shared paragraph) in
    particular;
(c) unrelated generated articles (random pairs of originals), and for each
    original its most similar unrelated article among a sample;
(d) end to end: ``core.wire.wire_groups`` (LSH bands + threshold) on a
    generated corpus, recall and precision against the generator's truth.

Usage: ``python -m bench.wire_threshold [--n 400] [--corpus 2000] [--append-results]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from bench import generate as gen
from core.ingest import prepare_article
from core.records import RawDocument
from core.wire import THRESHOLD, estimated_similarity, minhash_signature, shingles, wire_groups

RESULTS = Path(__file__).parent / "RESULTS.md"


def cleaned(raw_text: str, source: str = "bench.txt") -> str:
    return prepare_article(RawDocument(source=source, raw_text=raw_text, encoding="utf-8"), "1970-01-01T00:00:00+00:00").text


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def describe(values: list[float]) -> dict:
    array = np.asarray(values, dtype=float)
    return {
        "n": len(array), "min": array.min(), "p1": np.percentile(array, 1), "p5": np.percentile(array, 5),
        "median": np.median(array), "p95": np.percentile(array, 95), "max": array.max(),
    }


def row(name: str, values: list[float], threshold: float, above_is_good: bool | None) -> str:
    d = describe(values)
    share = float(np.mean(np.asarray(values) >= threshold))
    wanted = share if above_is_good else 1 - share
    verdict = "(beyond wire edits; informative)" if above_is_good is None else "ok" if wanted >= (0.99 if above_is_good else 0.999) else "CHECK"
    return (f"| {name} | {d['n']} | {d['min']:.3f} | {d['p5']:.3f} | {d['median']:.3f} | {d['p95']:.3f} | {d['max']:.3f} "
            f"| {share:.1%} | {verdict} |")


def measure(n: int, corpus_size: int, seed: int) -> tuple[list[str], dict]:
    sentences, _ = gen.seed_material()
    rng = random.Random(seed)
    originals = list(itertools.islice((a for a in gen.generate(n * 3, seed) if a.wire_of is None), n))
    texts = [cleaned(a.txt()) for a in originals]
    sigs = [minhash_signature(t) for t in texts]
    lines = [
        f"THRESHOLD = {THRESHOLD} (estimated Jaccard of word 5-shingles, 64 MinHash values)",
        "",
        "| pairs | n | min | p5 | median | p95 | max | share >= threshold | verdict |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    figures: dict = {}
    errors: list[float] = []
    titles = [a.title for a in originals]
    for strength in gen.STRENGTHS:
        estimates = []
        for original, text, sig in zip(originals, texts, sigs):
            copy = gen.wire_copy(rng, original, 10**6, strength, sentences, titles)
            copy_text = cleaned(copy.txt())
            estimate = estimated_similarity(sig, minhash_signature(copy_text))
            estimates.append(estimate)
            errors.append(estimate - jaccard(text, copy_text))
        figures[f"wire {strength}"] = describe(estimates)
        above = True if strength != "rewrite" else None
        lines.append(row(f"(a) wire copy, {strength} edits", estimates, THRESHOLD, above_is_good=above))

    seed_paths = sorted(gen.SEEDS_DIR.glob("*.txt"))
    seed_texts = {p.name[:3]: cleaned(p.read_text(encoding="utf-8"), p.name) for p in seed_paths}
    seed_sigs = {k: minhash_signature(v) for k, v in seed_texts.items()}
    seed_pairs = {}
    for a, b in itertools.combinations(sorted(seed_texts), 2):
        seed_pairs[f"{a}-{b}"] = (estimated_similarity(seed_sigs[a], seed_sigs[b]), jaccard(seed_texts[a], seed_texts[b]))
    lines.append(row("(b) seed pairs (all 10)", [v[0] for v in seed_pairs.values()], THRESHOLD, above_is_good=False))
    unrelated = []
    for _ in range(min(5000, n * (n - 1) // 2)):
        i, j = rng.sample(range(len(originals)), 2)
        unrelated.append(estimated_similarity(sigs[i], sigs[j]))
    lines.append(row("(c) unrelated generated articles, random pairs", unrelated, THRESHOLD, above_is_good=False))
    matrix = np.asarray(sigs)
    nearest = []
    for i in range(len(originals)):
        same = (matrix == matrix[i]).mean(axis=1)
        same[i] = 0
        nearest.append(float(same.max()))
    lines.append(row(f"(c) each original's most similar other original (of {n})", nearest, THRESHOLD, above_is_good=False))
    figures["seed pairs"] = seed_pairs
    figures["unrelated"] = describe(unrelated)
    figures["nearest unrelated"] = describe(nearest)

    lines += ["", "Seed pairs (estimated / exact Jaccard):", ""]
    lines += [f"- {pair}: {est:.3f} / {exact:.3f}" + ("  <- share one paragraph; must stay below the threshold" if pair == "001-002" else "")
              for pair, (est, exact) in seed_pairs.items()]
    err = np.abs(errors)
    lines += ["", f"MinHash estimate minus exact Jaccard over the {len(errors)} wire pairs: mean {np.mean(errors):+.3f}, "
              f"mean |error| {err.mean():.3f}, p95 |error| {np.percentile(err, 95):.3f}, max |error| {err.max():.3f}"]

    # (d) end to end on a generated corpus, the LSH banding included.
    articles = list(gen.generate(corpus_size, seed + 1))
    signatures = pd.DataFrame({"article": [a.name for a in articles], "minhash": [minhash_signature(cleaned(a.txt())) for a in articles]})
    by_name = {a.name: a for a in articles}
    groups = wire_groups(signatures, [a.name for a in articles])
    root = {a.index: a.index for a in articles}
    for a in articles:
        if a.wire_of is not None:
            root[a.index] = root[a.wire_of]
    flagged = groups.dropna(subset=["duplicate_of"])
    true_copies = {a.name for a in articles if a.wire_of is not None}
    correct = sum(1 for _, r in flagged.iterrows() if root[by_name[r["article"]].index] == root[by_name[r["duplicate_of"]].index])
    detected = set(flagged["article"]) & true_copies
    per_strength = {}
    for a in articles:
        if a.wire_of is not None:
            strength = "heavy" if "last paragraph cut" in a.edits else "medium" if "sentence added" in a.edits else "light"
            hit = per_strength.setdefault(strength, [0, 0])
            hit[0] += a.name in detected
            hit[1] += 1
    recall = len(detected) / max(1, len(true_copies))
    precision = correct / max(1, len(flagged))
    lines += ["", f"(d) wire_groups on a generated corpus of {corpus_size} articles ({len(true_copies)} wire copies, light/medium/heavy edits): "
              f"recall {recall:.1%}, precision {precision:.1%} ({len(flagged)} flagged, {correct} with the right original group); "
              + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(per_strength.items()))]
    figures["end to end"] = {"recall": recall, "precision": precision}

    low_copy = min(figures["wire heavy"]["p1"], figures["wire medium"]["p1"])
    high_other = max(figures["nearest unrelated"]["max"], max(v[0] for v in seed_pairs.values()))
    verdict = (f"Margin: the highest non-copy pair scores {high_other:.3f}, the 1st percentile of medium/heavy copies {low_copy:.3f}; "
               f"any threshold in ({high_other:.2f}, {low_copy:.2f}) separates them, and the midpoint is {(high_other + low_copy) / 2:.2f}. ")
    if high_other < THRESHOLD < low_copy:
        verdict += f"THRESHOLD = {THRESHOLD} lies inside the gap: validated."
    else:
        verdict += f"THRESHOLD = {THRESHOLD} is OUTSIDE the gap: change it."
    lines += ["", verdict]
    figures["verdict"] = verdict
    return lines, figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.wire_threshold")
    parser.add_argument("--n", type=int, default=400, help="originals per edit strength (default 400)")
    parser.add_argument("--corpus", type=int, default=2000, help="articles in the end-to-end corpus (default 2000)")
    parser.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    parser.add_argument("--append-results", action="store_true", help=f"append the figures to {RESULTS}")
    arguments = parser.parse_args(argv)
    lines, _ = measure(arguments.n, arguments.corpus, arguments.seed)
    print("\n".join(lines))
    if arguments.append_results:
        from bench.run import machine_description

        with open(RESULTS, "a", encoding="utf-8") as handle:
            handle.write(f"\n## Wire-copy threshold, {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}\n\n")
            handle.write(machine_description() + "\n\n")
            handle.write(f"`python -m bench.wire_threshold --n {arguments.n} --corpus {arguments.corpus}`\n\n")
            handle.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
