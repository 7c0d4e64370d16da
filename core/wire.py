"""Wire copies: one agency text republished by other sites, shortened, cut or wrapped.

Each article gets a MinHash signature of its word 5-shingles and the number of
distinct shingles (a pure function of its text, computed at ingest, with
datasketch's ``MinHash``). Sites republish an agency text with the lead
dropped, a paragraph added or a deck of their own, so the Jaccard similarity of
two copies is often low (0.25-0.5 on real pairs) while most of the shorter text
is inside the longer: copies are found by **containment** (shared shingles over
the smaller text's shingles). Candidates come from datasketch's ``MinHashLSH``
banded for low similarity (64 bands of 2 values: a pair with Jaccard 0.25 is a
candidate with probability 0.98, 0.15 with 0.77), so the work grows with the
corpus, not its square; each candidate pair is then checked on its containment
and Jaccard similarity estimated from the signatures and the shingle counts.
datasketch's ``MinHashLSHEnsemble``, made for containment, was measured too: 33 s
and 1 GB for 10,000 articles against 1.8 s for this index.

A pair is a copy when the smaller text is at least ``CONTAINMENT`` inside the
larger and their Jaccard similarity is at least ``MIN_JACCARD``, or when an
excerpt is almost whole inside the larger (``STRONG_CONTAINMENT``, with a lower
Jaccard floor): a short article that reproduces one paragraph of a long one
shares a large part of itself but is no copy.
Thresholds are measured (``python -m bench.wire_threshold``, figures in
``bench/RESULTS.md``): real republished pairs have containment 0.42-0.94, the
most similar different articles of real corpora 0.05 and the seeds (001 and
002 share one paragraph) 0.04.

Copies are grouped transitively; the original of a group is its earliest dated
member, then the first seen, and every other member gets ``duplicate_of`` it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 20240619
SCHEME = "affine32"
"""datasketch's 32-bit hashing (its default): the values fit the store's uint32 column."""
CONTAINMENT = 0.30
MIN_JACCARD = 0.15
STRONG_CONTAINMENT = 0.80
EXCERPT_MIN_JACCARD = 0.08
MIN_SHINGLES = 20
"""Texts with fewer distinct shingles (a headline, a caption) are never compared."""
LSH_BANDS = (64, 2)
"""Bands and values per band of the candidate index (see above)."""
MAX_CANDIDATES = 500
"""A query returning more candidates than this is a text of boilerplate: it is skipped."""

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(folded)


def shingles(text: str) -> set[bytes]:
    """The text's distinct overlapping word 5-grams (case and accents folded)."""
    words = _words(text)
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


@lru_cache(maxsize=1)
def _template():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


def signature(text: str) -> tuple[list[int], int]:
    """``(MinHash values, number of distinct shingles)`` of a text."""
    from datasketch import MinHash

    found = shingles(text)
    template = _template()
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=template.permutations, scheme=SCHEME)
    if found:
        minhash.update_batch(list(found))
    return minhash.hashvalues.astype(np.uint32).tolist(), len(found)


def estimated_similarity(first: Sequence[int], second: Sequence[int]) -> float:
    """Share of equal MinHash values: an estimate of the Jaccard similarity."""
    return float((np.asarray(first) == np.asarray(second)).mean())


def containment_of_smaller(jaccard: float, size_a: int, size_b: int) -> float:
    """Shared shingles over the smaller set's, from a Jaccard similarity and the two set sizes."""
    if min(size_a, size_b) <= 0:
        return 0.0
    shared = jaccard * (size_a + size_b) / (1 + jaccard)
    return min(1.0, shared / min(size_a, size_b))


def is_copy(jaccard: float, containment: float) -> bool:
    """The rule of the module's docstring."""
    return containment >= CONTAINMENT and jaccard >= MIN_JACCARD or (
        containment >= STRONG_CONTAINMENT and jaccard >= EXCERPT_MIN_JACCARD)


def wire_groups(signatures: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Group wire copies.

    ``signatures`` has columns ``article``, ``minhash`` and ``shingles``;
    ``order`` lists the article ids, the one that should be the original of a
    group first (earliest dated, then first seen). Returns one row per article
    that belongs to a group of two or more: ``article``, ``group`` (the
    original's id), ``duplicate_of`` (None for the original) and ``similarity``
    (estimated containment of the smaller of it and the original in the other).
    """
    from datasketch import LeanMinHash, MinHashLSH

    columns = ["article", "group", "duplicate_of", "similarity"]
    usable = signatures[signatures["shingles"].fillna(0) >= MIN_SHINGLES]
    if len(usable) < 2:
        return pd.DataFrame(columns=columns)
    rank = {article: index for index, article in enumerate(order)}
    ids = usable["article"].tolist()
    sizes = usable["shingles"].astype(int).tolist()
    matrix = np.vstack(usable["minhash"].map(np.asarray).tolist()).astype(np.uint64)
    minhashes = [LeanMinHash(seed=SEED, hashvalues=row, scheme=SCHEME) for row in matrix]
    index = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS)
    with index.insertion_session() as session:
        for i, minhash in enumerate(minhashes):
            session.insert(i, minhash, check_duplication=False)

    parent = list(range(len(ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, minhash in enumerate(minhashes):
        candidates = [j for j in index.query(minhash) if j > i]
        if len(candidates) > MAX_CANDIDATES:
            continue
        for j in candidates:
            if find(i) == find(j):
                continue
            jaccard = float((matrix[i] == matrix[j]).mean())
            if is_copy(jaccard, containment_of_smaller(jaccard, sizes[i], sizes[j])):
                parent[find(j)] = find(i)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ids)):
        groups[find(i)].append(i)
    rows = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: rank.get(ids[i], len(rank)))
        first = members[0]
        for position, i in enumerate(members):
            jaccard = float((matrix[i] == matrix[first]).mean())
            similarity = containment_of_smaller(jaccard, sizes[i], sizes[first])
            rows.append((ids[i], ids[first], None if position == 0 else ids[first], similarity))
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame["similarity"] = frame["similarity"].astype(float)
    return frame
