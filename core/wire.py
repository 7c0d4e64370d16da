"""Wire copies: the same agency text republished with small edits.

Each article gets a MinHash signature of its word 5-shingles (a pure function
of its text, computed at ingest). Candidate pairs come from locality-sensitive
hashing over bands of the signature, so the work grows with the corpus, not its
square; a candidate is a copy when the estimated Jaccard similarity of the two
shingle sets is at least ``THRESHOLD``. Copies are grouped (transitively) and
every member but the first-seen gets ``duplicate_of`` the first-seen article.

The threshold is measured, not guessed (``python -m bench.wire_threshold``,
figures in ``bench/RESULTS.md``): on 1,600 generated wire copies and 2,000
originals, the most similar pair of different articles scored 0.42 and the 1st
percentile of copies with medium or heavy edits 0.48, so the threshold sits in
that gap at 0.45. The seeds share at most 0.05 (seeds 001 and 002, which share
one paragraph, score 0.00).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict

import numpy as np
import pandas as pd

SHINGLE_WORDS = 5
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
THRESHOLD = 0.45

_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20240619)
_A = _rng.integers(1, (1 << 61) - 1, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, (1 << 61) - 1, size=PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(folded)


def shingles(text: str) -> set[int]:
    """Hashes of the text's overlapping word 5-grams (case and accents folded)."""
    words = _words(text)
    if len(words) < SHINGLE_WORDS:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i:i + SHINGLE_WORDS]).encode()) for i in range(len(words) - SHINGLE_WORDS + 1)}


def minhash_signature(text: str) -> list[int]:
    """MinHash signature (``PERMUTATIONS`` values) of the text's shingle set."""
    hashed = np.fromiter(shingles(text), dtype=np.uint64)
    if hashed.size == 0:
        return [0xFFFFFFFF] * PERMUTATIONS
    # (a * x + b) mod p with x < 2**32 and a, b < 2**61 would overflow 64 bits:
    # fold a to 32 bits first so the product stays exact.
    a = (_A & np.uint64(0xFFFFFFFF))[:, None]
    values = (a * hashed[None, :] + _B[:, None]) % _PRIME
    return (values.min(axis=1) & np.uint64(0xFFFFFFFF)).astype(np.uint32).tolist()


def estimated_similarity(first: list[int], second: list[int]) -> float:
    """Share of equal MinHash values: an estimate of the Jaccard similarity."""
    a, b = np.asarray(first), np.asarray(second)
    return float((a == b).mean())


def wire_groups(signatures: pd.DataFrame, order: list[str], threshold: float = THRESHOLD) -> pd.DataFrame:
    """Group near-duplicate articles.

    ``signatures`` has columns ``article`` and ``minhash``; ``order`` lists the
    article ids first-seen first. Returns one row per article that belongs to
    a group of two or more: ``article``, ``group`` (the first-seen member's
    id), ``duplicate_of`` (None for the first-seen member) and ``similarity``
    (estimated Jaccard similarity with the first-seen member).
    """
    columns = ["article", "group", "duplicate_of", "similarity"]
    if len(signatures) < 2:
        return pd.DataFrame(columns=columns)
    rank = {article: index for index, article in enumerate(order)}
    ids = signatures["article"].tolist()
    matrix = np.vstack(signatures["minhash"].map(np.asarray).tolist()).astype(np.uint32)
    parent = list(range(len(ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    checked: set[tuple[int, int]] = set()
    for band in range(BANDS):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        block = matrix[:, band * ROWS:(band + 1) * ROWS]
        for index, row in enumerate(block):
            buckets[row.tobytes()].append(index)
        for members in buckets.values():
            if len(members) < 2 or len(members) > 500:
                continue
            for i in members:
                for j in members:
                    if i < j and (i, j) not in checked:
                        checked.add((i, j))
                        if (matrix[i] == matrix[j]).mean() >= threshold:
                            parent[find(j)] = find(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(ids)):
        groups[find(index)].append(index)
    rows = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: rank.get(ids[i], len(rank)))
        first = members[0]
        for position, index in enumerate(members):
            similarity = float((matrix[index] == matrix[first]).mean())
            rows.append((ids[index], ids[first], None if position == 0 else ids[first], similarity))
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame["similarity"] = frame["similarity"].astype(float)
    return frame
