"""Wire copies: one agency text republished by other sites, shortened, cut or wrapped.

Each article gets a MinHash signature of its word 5-shingles and the number of
distinct shingles (a pure function of its text, computed at ingest, with
datasketch's ``MinHash``). Sites republish an agency text with the lead
dropped, a paragraph added or a deck of their own, so the Jaccard similarity of
two copies is often low (0.25-0.5 on real pairs) while most of the shorter text
is inside the longer: copies are found by **containment** (shared shingles over
the smaller text's shingles). Candidates are pairs whose signatures agree on one
band of 2 values out of 64 (banded for low similarity: a pair with Jaccard 0.25
is a candidate with probability 0.98, 0.15 with 0.77), so the work grows with
the corpus, not its square; each candidate pair is then checked on its
containment and Jaccard similarity estimated from the signatures and the
shingle counts. The bands are sorted arrays (:func:`candidate_pairs`) rather
than datasketch's indexes, which were measured on the same signatures
(``python -m bench.wire_index``): at 100,000 articles ``MinHashLSH`` with these
bands took 31 s and 2.3 GB, the sorted bands 1.1 s and 248 MB.

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


def candidate_pairs(matrix: np.ndarray, bands: tuple[int, int] = LSH_BANDS) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of rows ``(i, j)``, ``i < j``, whose signatures agree on every value of at least one band.

    Each band's values are mixed into one integer and sorted, so that a bucket is a run of
    equal keys (no dictionary per band, which is what costs memory in an LSH index). A bucket
    of more than ``MAX_CANDIDATES`` rows (boilerplate that many pages share) gives no pairs.
    """
    count, rows = bands
    n = len(matrix)
    pairs = []
    for band in range(count):
        block = matrix[:, band * rows:(band + 1) * rows].astype(np.uint64)
        key = block[:, 0]
        for column in range(1, rows):
            key = (key << np.uint64(32)) | block[:, column]  # exact for two 32-bit values per band
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        lengths = np.diff(np.append(starts, n))
        wanted = (lengths > 1) & (lengths <= MAX_CANDIDATES)
        for start, length in zip(starts[wanted].tolist(), lengths[wanted].tolist()):
            members = np.sort(order[start:start + length]).astype(np.int64)
            i, j = np.triu_indices(length, k=1)
            pairs.append(members[i] * n + members[j])
    if not pairs:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    unique = np.unique(np.concatenate(pairs))
    return unique // n, unique % n


def wire_groups(signatures: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Group wire copies.

    ``signatures`` has columns ``article``, ``minhash`` and ``shingles``;
    ``order`` lists the article ids, the one that should be the original of a
    group first (earliest dated, then first seen). Returns one row per article
    that belongs to a group of two or more: ``article``, ``group`` (the
    original's id), ``duplicate_of`` (None for the original) and ``similarity``
    (estimated containment of the smaller of it and the original in the other).
    """
    columns = ["article", "group", "duplicate_of", "similarity"]
    usable = signatures[signatures["shingles"].fillna(0) >= MIN_SHINGLES]
    if len(usable) < 2:
        return pd.DataFrame(columns=columns)
    rank = {article: index for index, article in enumerate(order)}
    ids = usable["article"].tolist()
    sizes = usable["shingles"].to_numpy(dtype=np.int64)
    matrix = np.vstack(usable["minhash"].map(np.asarray).tolist()).astype(np.uint32)
    first, second = candidate_pairs(matrix)
    jaccard = np.concatenate([(matrix[first[k:k + 4096]] == matrix[second[k:k + 4096]]).mean(axis=1)
                              for k in range(0, len(first), 4096)] or [np.empty(0)])
    shared = jaccard * (sizes[first] + sizes[second]) / (1 + jaccard)
    containment = np.minimum(1.0, shared / np.maximum(1, np.minimum(sizes[first], sizes[second])))
    copies = np.flatnonzero([is_copy(j, c) for j, c in zip(jaccard.tolist(), containment.tolist())])

    parent = list(range(len(ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(first[copies].tolist(), second[copies].tolist()):
        if find(i) != find(j):
            parent[find(j)] = find(i)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ids)):
        groups[find(i)].append(i)
    rows = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: rank.get(ids[i], len(rank)))
        original = members[0]
        for position, i in enumerate(members):
            estimate = float((matrix[i] == matrix[original]).mean())
            similarity = containment_of_smaller(estimate, int(sizes[i]), int(sizes[original]))
            rows.append((ids[i], ids[original], None if position == 0 else ids[original], similarity))
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame["similarity"] = frame["similarity"].astype(float)
    return frame
