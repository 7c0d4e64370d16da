"""The entity network on the seed corpus: nodes and links from the co-occurrence counts, a stable layout,
the sentences behind a link, and the Entities page's network section (AppTest)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core import network, views
from core.analysis import load_articles
from ui import render

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAIR = 'pair:["Kim Jong Un", "Vladimir Poutine"]'  # names as JSON: a name may hold any character


def _inputs(store):
    articles = load_articles(store)
    table = views.entity_table(store.read_derived("entities"), store.read_derived("entity_articles"), articles)
    sentence_entities = store.read_derived("sentence_entities")
    return articles, table, sentence_entities


def test_nodes_and_links_are_the_cooccurrence_counts_and_the_layout_is_stable(seed_store):
    articles, table, sentence_entities = _inputs(seed_store)
    matrix = views.cooccurrence(sentence_entities, articles, table["name"].tolist(), top=10)
    nodes, edges = network.network(matrix, table)
    assert list(nodes["name"]) == list(matrix.index)
    for row in edges.itertuples(index=False):
        assert row.weight == matrix.loc[row.source, row.target] > 0
        assert (row.mx, row.my) == ((row.x + row.x2) / 2, (row.y + row.y2) / 2)
    pairs = {(a, b) for a in matrix.index for b in matrix.columns if a < b and matrix.loc[a, b] > 0}
    assert {tuple(sorted(p)) for p in zip(edges["source"], edges["target"])} == pairs
    assert list(edges["weight"]) == sorted(edges["weight"], reverse=True)
    assert nodes.set_index("name")["sentences"].to_dict() == {n: matrix.loc[n, n] for n in matrix.index}
    again, _ = network.network(matrix, table)
    assert again[["x", "y"]].equals(nodes[["x", "y"]])  # the same articles, the same drawing
    assert nodes["x"].between(-1, 1).all() and nodes["y"].between(-1, 1).all()
    strongest = edges.iloc[0]
    assert {strongest["source"], strongest["target"]} == {"Kim Jong Un", "Vladimir Poutine"}


def test_the_sentences_behind_a_link_mention_both(seed_store):
    articles, _, _ = _inputs(seed_store)
    mention_entities = seed_store.read_derived("mention_entities")
    sentences = seed_store.read("sentences")
    both = network.pair_sentences(mention_entities, sentences, "Kim Jong Un", "Vladimir Poutine", articles)
    matrix = views.cooccurrence(seed_store.read_derived("sentence_entities"), articles, ["Kim Jong Un", "Vladimir Poutine"])
    assert len(both) == matrix.loc["Kim Jong Un", "Vladimir Poutine"]
    texts = dict(zip(*[load_articles(seed_store, with_text=True)[c] for c in ("id", "text")]))
    for row in both.itertuples(index=False):
        entities = set(mention_entities[(mention_entities["article"] == row.article) & (mention_entities["sent"] == row.sent)]["entity"])
        assert {"Kim Jong Un", "Vladimir Poutine"} <= entities
        assert all(row.start <= s < e <= row.end for s, e in row.spans) and len(row.spans) >= 2
        assert texts[row.article][row.start:row.end]
    assert network.pair_sentences(mention_entities, sentences, "Kim Jong Un", "nobody", articles).empty


def test_the_entities_page_lists_a_links_sentences_and_keeps_it_in_the_url(seed_store, monkeypatch):
    monkeypatch.setenv("PRESS_STORE", str(seed_store.path))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("app_pages/entities.py")
    at.query_params["entities.link"] = PAIR
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="entities.link").value == PAIR
    links = next(d.value for d in at.dataframe if {"source", "target", "sentences"} <= set(d.value.columns))
    weight = int(links[(links["source"] == "Kim Jong Un") & (links["target"] == "Vladimir Poutine")]["sentences"].iloc[0])
    assert f"({weight} sentences)" in at.selectbox(key="entities.link").format_func(PAIR)
    behind = network.pair_sentences(seed_store.read_derived("mention_entities"), seed_store.read("sentences"),
                                    "Kim Jong Un", "Vladimir Poutine", load_articles(seed_store))
    shown = "\n".join(h.value for h in at.get("html"))
    texts = dict(zip(*[load_articles(seed_store, with_text=True)[c] for c in ("id", "text")]))
    for row in behind.head(25).itertuples(index=False):  # each drawn with both entities marked
        assert render.sentence_html(texts[row.article], row.start, row.end, row.spans) in shown
    at.selectbox(key="entities.link").set_value("node:Russie").run()
    assert at.query_params["entities.link"] == "node:Russie"
