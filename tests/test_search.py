"""Corpus-wide search: the query syntax, folding, the FTS5 index built at ingest (and agreeing with the lines
cut in Python), old stores indexed once, new versions of a file, and the Search page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import search
from core.analysis import load_articles
from core.ingest import ingest
from core.search import Query, QueryError, Term, hits, parse
from core.store import Store

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def _texts(store: Store) -> dict[str, str]:
    articles = load_articles(store, with_text=True)
    articles = articles[articles["status"] != "duplicate"]
    return dict(zip(articles["id"], articles["text"]))


def test_the_query_syntax():
    query = parse('sanction* "Conseil de sécurité" -Ukraine Jong-un')
    assert query.terms == (Term(("sanction",), True), Term(("Conseil", "de", "sécurité")), Term(("Jong", "un")))
    assert query.excluded == (Term(("Ukraine",)),)
    assert query.fts() == '("sanction"* AND "Conseil de sécurité" AND "Jong un") NOT ("Ukraine")'
    entity = parse("", "Kim Jong Un", ["Kim Jong Un", "Kim", "M. Kim"])
    assert entity.fts() == '("Kim Jong Un" OR "Kim" OR "M Kim")'
    with pytest.raises(QueryError, match="nothing to look for"):
        parse("-Ukraine").fts()
    assert parse('   "" * - ').empty


def test_folding_and_word_boundaries():
    text = "La SÉCURITÉ de l’Ukraine ; Kim Jong-un sanctionne. Des sanctions, une sanction."
    found = lambda q: [text[s:e] for s, e in hits(text, parse(q))]  # noqa: E731
    assert found("securite") == ["SÉCURITÉ"]
    assert found("ukraine") == ["Ukraine"]
    assert found('"kim jong un"') == ["Kim Jong-un"]
    assert found("sanction") == ["sanction"]  # a whole word: not "sanctionne", not "sanctions"
    assert found("sanction*") == ["sanctionne", "sanctions", "sanction"]
    assert found('"de l ukraine"') == ["de l’Ukraine"]
    forms = parse("", "Kim Jong Un", ["Kim", "Kim Jong Un"])  # the longest form is marked whole
    assert [text[s:e] for s, e in hits(text, forms)] == ["Kim Jong-un"]
    ligature = "Un vote de conﬁance à Straße."  # characters that fold into two
    assert [ligature[s:e] for s, e in hits(ligature, parse("confiance strasse"))] == ["conﬁance", "Straße"]


def test_fts_syntax_typed_by_the_analyst_is_only_words(seed_store):
    paths = search.index_paths(seed_store)
    for typed in ['AND OR NOT', 'NEAR(kim poutine)', 'kim:jong', '"unclosed', "^kim", "{x} + (y)", "*", "1e5 -- ;DROP"]:
        query = parse(typed)
        if not query.empty:
            search.matching_articles(paths, query)  # no syntax error reaches the analyst


@pytest.mark.parametrize("typed", ["securite", '"Conseil de sécurité"', "sanction*", "Pyongyang -Blinken", "jong-un",
                                   '"Vladimir Poutine" missiles'])
def test_the_index_agrees_with_the_texts(seed_store, typed):
    query = parse(typed)
    matched = search.matching_articles(search.index_paths(seed_store), query)
    texts = _texts(seed_store)

    def has(text: str, term: Term) -> bool:
        return bool(hits(text, Query(terms=(term,))))

    expected = {article for article, text in texts.items()
                if all(has(text, term) for term in query.terms) and not any(has(text, term) for term in query.excluded)}
    assert matched == expected and matched, typed
    for article in matched:
        assert hits(texts[article], query)  # every article found has a line to show


def test_an_old_store_is_indexed_once_and_a_new_version_replaces_the_old(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    article = folder / "note.txt"
    article.write_text("Le ministre a parlé des sanctions contre Pyongyang.\n\n" + "Une phrase de plus sur le sujet. " * 20,
                       encoding="utf-8")
    store = Store(tmp_path / "store")
    ingest([str(folder)], store)
    manifest = json.loads((store.path / "manifest.json").read_text(encoding="utf-8"))
    del manifest["search"]  # as a store written before the index
    (store.path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert search.index_paths(store) is None
    ingest([str(folder)], store)  # nothing new, but the index is made
    first = load_articles(store)["id"].iloc[0]
    assert search.matching_articles(search.index_paths(store), parse("pyongyang")) == {first}
    article.write_text(article.read_text(encoding="utf-8") + "\n\nAjout : Séoul a réagi.", encoding="utf-8")
    ingest([str(folder)], store)
    current = set(load_articles(store)["id"])
    found = search.matching_articles(search.index_paths(store), parse("seoul")) & current
    assert len(current) == 1 and found == current and first not in current
    files = sorted(p.name for p in (store.path / "parts").glob("search-*.sqlite"))
    assert len(files) == 2 and len(search.index_paths(store)) == 2


def _page(store: Store, monkeypatch, query: dict) -> AppTest:
    monkeypatch.setenv("PRESS_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("app_pages/search.py")
    at.query_params.update(query)
    return at.run()


def test_the_search_page_lists_lines_in_context_newest_first(seed_store, monkeypatch):
    at = _page(seed_store, monkeypatch, {"search.q": '"conseil de securite"'})
    assert not at.exception, [e.message for e in at.exception]
    summary = next(m.value for m in at.markdown if "of those shown contain" in m.value)
    count = len(search.matching_articles(search.index_paths(seed_store), parse('"conseil de securite"')))
    assert summary.startswith(f"**{count} articles**")
    lines = [h.value for h in at.get("html") if 'class="kwic"' in h.value]
    assert len(lines) == count and all("Conseil de sécurité" in line for line in lines)
    links = [link.label for link in at.get("page_link")]
    dates = [label.split(" · ")[0] for label in links if "hit" in label]
    assert dates == sorted([d for d in dates if d != "undated"], reverse=True) + [d for d in dates if d == "undated"]
    at.text_input(key="search.q").set_value("").run()
    at.selectbox(key="search.entity").set_value("Sergueï Choïgou").run()
    assert at.query_params["search.entity"] == "Sergueï Choïgou"
    assert at.text_input(key="search.q").proto.query_param_key == "search.q"  # kept in the URL by Streamlit
    summary = next(m.value for m in at.markdown if "of those shown contain" in m.value).replace("\\", "")
    assert summary.startswith("**2 articles** of those shown contain Sergueï Choïgou (any of its")


def test_the_search_page_says_why_with_nothing_to_search(seed_store, monkeypatch):
    at = _page(seed_store, monkeypatch, {"search.q": "-Ukraine"})
    assert not at.exception
    assert any("Type words or a phrase" in c.value for c in at.caption)
