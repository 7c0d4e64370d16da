"""Wire copies: near-duplicates grouped, partial overlap not."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from conftest import SEEDS

from core.wire import THRESHOLD, estimated_similarity, minhash_signature, wire_groups


def _seed(prefix):
    return next(p for p in SEEDS.iterdir() if p.name.startswith(prefix)).read_text(encoding="utf-8")


def _edited_copy(text):
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    paragraphs[0] = "Titre réécrit par le site : " + paragraphs[0]
    del paragraphs[3]
    paragraphs.insert(5, "Une phrase ajoutée par la rédaction locale pour le contexte.")
    return "Lire aussi : un autre article\n\n" + "\n\n".join(paragraphs) + "\n\nLaisser un commentaire"


def test_wire_edited_copy_is_above_threshold_and_partial_overlap_below():
    original = _seed("002")
    assert estimated_similarity(minhash_signature(original), minhash_signature(_edited_copy(original))) >= 0.7
    assert estimated_similarity(minhash_signature(_seed("001")), minhash_signature(_seed("002"))) < 0.1
    assert THRESHOLD == 0.45


def test_wire_groups_mark_later_copies_with_the_first_seen():
    texts = {"first": _seed("002"), "other": _seed("001"), "copy": _edited_copy(_seed("002"))}
    signatures = pd.DataFrame({"article": list(texts), "minhash": [minhash_signature(t) for t in texts.values()]})
    groups = wire_groups(signatures, order=["first", "other", "copy"])
    assert groups[["article", "group", "duplicate_of"]].values.tolist() == [["first", "first", None], ["copy", "first", "first"]]


def test_wire_seed_corpus_has_no_copies(seed_store):
    assert seed_store.read_derived("wire").empty


def test_wire_copy_ingested_is_folded_onto_the_original(seed_store_copy, tmp_path):
    from core.analysis import load_articles
    from core.ingest import ingest

    copy = tmp_path / "reprise.txt"
    copy.write_text(_edited_copy(_seed("002")), encoding="utf-8")
    ingest([str(copy)], seed_store_copy)
    articles = load_articles(seed_store_copy).set_index("source")
    original_id = articles.loc["seeds/002_f02d0033101d56d6.txt", "id"]
    assert articles.loc[str(copy), "duplicate_of"] == original_id
    assert articles.loc[str(copy), "status"] == "analysed"
    assert Path(str(copy)).exists()
