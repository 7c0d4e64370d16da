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
containment and Jaccard similarity: at a rebuild on the exact shingle sets of
the two texts (the estimates from the signatures are off by 0.03-0.05 and only
choose which pairs to check), and the two texts must share at least
``MIN_SHARED`` shingles. The bands are sorted arrays (:func:`candidate_pairs`) rather
than datasketch's indexes, which were measured on the same signatures
(``python -m bench.wire_index``): at 100,000 articles ``MinHashLSH`` with these
bands took 31 s and 2.3 GB, the sorted bands 1.1 s and 248 MB.

Thresholds are measured (``python -m bench.wire_threshold``, figures in
``bench/RESULTS.md``): real republished pairs have containment 0.42-0.94, the
most similar different articles of real corpora 0.05 and the seeds (001 and
002 share one paragraph) 0.04.

Each copy points at the article it copies (``duplicate_of``): the earliest dated,
then first seen, of the originals it copies, else of the copies it copies (a
dispatch inside a live blog that itself copies another dispatch). Its group is
that article's group, named by the group's original. Two texts that share
nothing are never grouped through a third.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from core.folding import fold

SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 20240619
SCHEME = "affine32"
"""datasketch's 32-bit hashing (its default): the values fit the store's uint32 column."""
CONTAINMENT = 0.30
MIN_JACCARD = 0.15
STRONG_CONTAINMENT = 0.80
EXCERPT_MIN_JACCARD = 0.08
LOOSER = 0.10
"""How much below the rule's thresholds the estimates may be for a pair to be checked exactly."""
MIN_SHARED = 80
"""Two texts that share fewer word 5-grams than this (a site's footer, a boilerplate paragraph
of 80 words) are no copies, however short they are."""
MIN_SHINGLES = 20
"""Texts with fewer distinct shingles (a headline, a caption) are never compared."""
LSH_BANDS = (64, 2)
"""Bands and values per band of the candidate index (see above)."""
MAX_CANDIDATES = 500
"""A query returning more candidates than this is a text of boilerplate: it is skipped."""

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


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


def is_copy(jaccard: float, containment: float, shared: float = float("inf")) -> bool:
    """The rule of the module's docstring (``shared``: the number of shingles the two texts share)."""
    if shared < MIN_SHARED:
        return False
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


def wire_groups(signatures: pd.DataFrame, order: list[str],
                texts: Callable[[list[str]], dict[str, str]] | None = None) -> pd.DataFrame:
    """Group wire copies.

    ``signatures`` has columns ``article``, ``minhash`` and ``shingles``;
    ``order`` lists the article ids, the one that should be the original of a
    group first (earliest dated, then first seen). Returns one row per article
    that belongs to a group of two or more: ``article``, ``group`` (the
    original's id), ``duplicate_of`` (the article it copies, None for the original)
    and ``similarity`` (containment of the smaller of it and the article it copies
    in the other; 1.0 for the original).

    ``texts`` gives the texts of a list of article ids: the pairs the signatures
    make likely copies are then judged on their exact shingle sets (a MinHash
    estimate is off by 0.03-0.05), so that a footer shared by short pieces does
    not pass by chance. Without it the estimates are judged.
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
    if texts is None:
        copies = np.flatnonzero([is_copy(j, c, n) for j, c, n in zip(jaccard.tolist(), containment.tolist(), shared.tolist())])
    else:
        likely = np.flatnonzero((containment >= CONTAINMENT - LOOSER) & (jaccard >= EXCERPT_MIN_JACCARD - LOOSER / 2))
        wanted = sorted({ids[i] for i in first[likely].tolist()} | {ids[j] for j in second[likely].tolist()})
        sets = {article: shingles(text) for article, text in texts(wanted).items()} if wanted else {}
        exact = []
        for pair in likely.tolist():
            a, b = sets.get(ids[first[pair]], set()), sets.get(ids[second[pair]], set())
            common = len(a & b)
            exact_containment = common / max(1, min(len(a), len(b)))
            if is_copy(common / max(1, len(a | b)), exact_containment, common):
                containment[pair] = exact_containment
                exact.append(pair)
        copies = np.asarray(exact, dtype=np.int64)

    # each copy points at the article it copies: the earliest original it copies, else the earliest
    # copy it copies (a text inside a live blog that itself copies a dispatch); no transitive chains
    # between texts that share nothing
    position = np.empty(len(ids), dtype=np.int64)
    position[np.argsort([rank.get(a, len(rank)) for a in ids], kind="stable")] = np.arange(len(ids))
    partners: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for i, j, c in zip(first[copies].tolist(), second[copies].tolist(), containment[copies].tolist()):
        later, earlier = (i, j) if position[i] > position[j] else (j, i)
        partners[later].append((earlier, c))
    copy_of: dict[int, tuple[int, float]] = {}
    group_of: dict[int, int] = {}
    for i in sorted(partners, key=position.__getitem__):
        candidates = sorted(partners[i], key=lambda p: (p[0] in copy_of, position[p[0]]))
        earlier, containment_with = candidates[0]
        copy_of[i] = (earlier, containment_with)
        group_of[i] = group_of.get(earlier, earlier)
    members = sorted(set(group_of.values()) | set(copy_of), key=lambda i: (position[group_of.get(i, i)], position[i]))
    rows = [(ids[i], ids[group_of.get(i, i)], ids[copy_of[i][0]] if i in copy_of else None,
             copy_of[i][1] if i in copy_of else 1.0) for i in members]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame["similarity"] = frame["similarity"].astype(float)
    return frame
