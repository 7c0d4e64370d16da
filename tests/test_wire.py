"""Wire copies: republished agency texts grouped by containment, partial overlap not."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from conftest import SEEDS

from core.wire import (
    CONTAINMENT, containment_of_smaller, estimated_similarity, is_copy, shingles, signature, wire_groups,
)


def _seed(prefix):
    return next(p for p in SEEDS.iterdir() if p.name.startswith(prefix)).read_text(encoding="utf-8")


def _paragraphs(text):
    return [p for p in text.split("\n\n") if p.strip()]


def _republished(text):
    """What a site does to an agency text: its own deck, the lead dropped, the end cut, a paragraph
    of its own, page chrome around it."""
    paragraphs = _paragraphs(text)
    kept = paragraphs[1:10]
    kept.insert(2, "Notre rédaction rappelle que le sujet fait l'objet de nombreuses controverses depuis des mois, "
                   "et que les deux capitales n'ont rien confirmé officiellement.")
    chrome = ["Accueil | International | Politique", "Partager sur Facebook", "Notre deck : un sommet sous haute tension"]
    return "\n\n".join(chrome + kept + ["Tous droits réservés. Publicité. Suivez-nous."])


def _frame(texts: dict[str, str]) -> pd.DataFrame:
    rows = [(name, *signature(text)) for name, text in texts.items()]
    return pd.DataFrame(rows, columns=["article", "minhash", "shingles"])


def _exact(a, b):
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb), len(sa & sb) / min(len(sa), len(sb))


def test_wire_republished_copy_has_low_jaccard_but_high_containment():
    original = _seed("002")
    copy = _republished(original)
    jaccard, containment = _exact(original, copy)
    assert jaccard < 0.45 < containment  # the old whole-text Jaccard rule missed such copies
    (sig_a, size_a), (sig_b, size_b) = signature(original), signature(copy)
    estimate = estimated_similarity(sig_a, sig_b)
    assert abs(estimate - jaccard) < 0.12
    assert abs(containment_of_smaller(estimate, size_a, size_b) - containment) < 0.15
    assert is_copy(estimate, containment_of_smaller(estimate, size_a, size_b))


def test_wire_one_shared_paragraph_is_no_copy():
    # seeds 001 and 002 share one paragraph
    jaccard, containment = _exact(_seed("001"), _seed("002"))
    assert containment < 0.1 and not is_copy(jaccard, containment)
    # a short piece that reproduces one paragraph of a long one shares a large part of itself
    long_text = _seed("002")
    shared = max(_paragraphs(long_text), key=len)
    brief = ("Un bref article local, écrit par notre correspondant, sur un tout autre aspect de la rencontre et "
             "de ses suites économiques pour la région frontalière.\n\n" + shared)
    jaccard, containment = _exact(long_text, brief)
    assert containment >= CONTAINMENT and not is_copy(jaccard, containment)


def test_wire_groups_mark_copies_with_their_original():
    texts = {"first": _seed("002"), "other": _seed("001"), "copy": _republished(_seed("002")),
             "headline": "Un titre seul"}
    groups = wire_groups(_frame(texts), order=["first", "other", "copy", "headline"])
    assert groups[["article", "group", "duplicate_of"]].values.tolist() == [["first", "first", None], ["copy", "first", "first"]]
    assert groups["similarity"].iloc[1] > 0.6


def test_wire_seed_corpus_has_no_copies(seed_store):
    assert seed_store.read_derived("wire").empty


def test_wire_original_is_the_earliest_dated_then_the_first_seen(seed_store_copy, tmp_path):
    from core.analysis import load_articles
    from core.ingest import ingest

    # seed 002 is undated: a dated copy ingested after it becomes the original
    copy = tmp_path / "reprise.txt"
    copy.write_text(" date 2023-09 " + _republished(_seed("002")), encoding="utf-8")
    ingest([str(copy)], seed_store_copy)
    articles = load_articles(seed_store_copy).set_index("source")
    seed_002 = "seeds/002_f02d0033101d56d6.txt"
    assert articles.loc[seed_002, "duplicate_of"] == articles.loc[str(copy), "id"]
    assert articles.loc[str(copy), "duplicate_of"] is None
    assert articles.loc[seed_002, "wire_group"] == articles.loc[str(copy), "wire_group"]
    assert articles.loc[str(copy), "status"] == "analysed"


def test_wire_signatures_of_an_older_store_are_computed_again(seed_store_copy):
    from core.analysis import rebuild_derived
    from core.store import TABLES

    # an older store kept 64 values and no shingle count
    with seed_store_copy.writer() as writer:
        old = writer.read("signatures")
        writer.manifest["tables"]["signatures"] = []
        writer.append("signatures", old.assign(minhash=old["minhash"].map(lambda v: v[:64]), shingles=None))
        rebuild_derived(writer)
    signatures = seed_store_copy.read("signatures").drop_duplicates("article", keep="last")
    assert set(signatures["minhash"].map(len)) == {128} and signatures["shingles"].notna().all()
    assert len(signatures) == 5 and list(TABLES["signatures"].names) == ["article", "minhash", "shingles"]
    assert Path(seed_store_copy.path).exists()


def test_wire_candidate_pairs_are_rows_sharing_a_band_and_crowded_buckets_give_none():
    import numpy as np

    from core.wire import MAX_CANDIDATES, NUM_PERM, candidate_pairs

    rng = np.random.default_rng(7)
    matrix = rng.integers(0, 2**32, size=(6, NUM_PERM), dtype=np.uint64).astype(np.uint32)
    matrix[4, 10:12] = matrix[1, 10:12]  # one band of two values in common
    matrix[5, 11:13] = matrix[2, 11:13]  # two values in common across two bands: no band whole
    first, second = candidate_pairs(matrix)
    assert list(zip(first.tolist(), second.tolist())) == [(1, 4)]
    crowded = np.repeat(matrix[:1], MAX_CANDIDATES + 1, axis=0)
    assert len(candidate_pairs(crowded)[0]) == 0


def _words(rng, n):
    vocabulary = [f"mot{i}" for i in range(5000)]
    return " ".join(rng.choice(vocabulary) for _ in range(n))


def test_wire_a_site_footer_shared_by_short_pieces_makes_no_copies():
    import random

    rng = random.Random(3)
    footer = _words(rng, 70)  # the same site paragraph under every brief
    texts = {f"brief{i}": _words(rng, 150) + "\n\n" + footer for i in range(60)}
    # judged on the exact shingles (as a rebuild does): the signatures' estimates alone would let
    # some pairs through by chance
    assert wire_groups(_frame(texts), order=list(texts), texts=lambda ids: {i: texts[i] for i in ids}).empty


def test_wire_two_dispatches_inside_one_live_blog_are_not_copies_of_each_other():
    import random

    rng = random.Random(4)
    first, second = _words(rng, 300), _words(rng, 300)
    blog = "\n\n".join([_words(rng, 200), first, _words(rng, 200), second, _words(rng, 200)])
    texts = {"first": first, "second": second, "blog": blog}
    groups = wire_groups(_frame(texts), order=list(texts), texts=lambda ids: {i: texts[i] for i in ids})
    rows = groups.set_index("article")
    # the blog carries the first dispatch whole; the second dispatch stays an original of its own
    assert rows.loc["blog", "duplicate_of"] == "first"
    assert "second" not in rows.index or rows.loc["second", "duplicate_of"] is None
    assert (groups["similarity"] >= 0.3).all()
