"""Cached loaders of store tables, keyed by store path and fingerprint (any ingest or edit reloads),
and the small lookups pages make of them.

Whole tables are cached as shared resources, not copied per caller: at 10,000 articles unpickling
a copy of the mentions on every rerun cost more than the page itself. Nothing may modify them: the
view functions in :mod:`core.views` return new tables and never change their inputs.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from core import analysis, tables, views
from core.analysis import entity_article_counts, load_articles, load_tfidf
from core.store import Store
from core.watchlist import marked as watchlist_marked


@st.cache_resource(show_spinner=False, max_entries=16)
def _articles(path: str, fingerprint: str) -> pd.DataFrame:
    """The corpus with each article's row and newest-first rank, which the views use to
    select and order articles by position instead of by id."""
    return tables.with_positions(views.with_newest_rank(load_articles(Store(path))))


@st.cache_resource(show_spinner=False, max_entries=16)
def _article_dtype(path: str, fingerprint: str) -> pd.CategoricalDtype:
    return tables.article_dtype(_articles(path, fingerprint))


# What the pages read of the large derived tables (the rest stays on disk).
DERIVED_COLUMNS = {"mention_entities": ["article", "sent", "start", "end", "entity", "label"]}


# Integer columns of the large derived tables held in 32 bits (the store writes 64): sentence
# numbers, counts of mentions, topic numbers and ranks never come near 2**31, and at 100,000
# articles the four tables hold 17 M rows.
NARROW_COLUMNS = {"sentence_entities": ("sent", "sentence"), "entity_articles": ("mentions",),
                  "entity_forms": ("mentions",), "doc_topics": ("k", "topic"), "top_terms": ("rank",)}


@st.cache_resource(show_spinner=False, max_entries=64)
def _derived(path: str, fingerprint: str, name: str) -> pd.DataFrame:
    categorical = tables.CATEGORICAL_COLUMNS + (("text",) if name == "entity_forms" else ())  # see _entity_forms
    frame = Store(path).read_derived(name, columns=DERIVED_COLUMNS.get(name), categorical=categorical,
                                     narrow=NARROW_COLUMNS.get(name, ()), arrow_lists=True)
    return tables.encode(frame, _article_dtype(path, fingerprint)) if frame is not None else pd.DataFrame()


@st.cache_resource(show_spinner=False, max_entries=32)
def _table(path: str, fingerprint: str, name: str) -> pd.DataFrame:
    return tables.encode(Store(path).read(name), _article_dtype(path, fingerprint))


def _stored_or_computed(path: str, fingerprint: str, name: str, column: str, compute) -> pd.DataFrame:
    """A table the ingest stores (told by its ``column``); ``compute()`` makes it for stores written before it was kept."""
    frame = _derived(path, fingerprint, name)
    return frame if column in frame.columns else tables.encode(compute(), _article_dtype(path, fingerprint))


@st.cache_resource(show_spinner=False, max_entries=8)
def _entity_articles(path: str, fingerprint: str) -> pd.DataFrame:
    return _stored_or_computed(path, fingerprint, "entity_articles", "mentions",
                               lambda: entity_article_counts(_derived(path, fingerprint, "mention_entities")))


@st.cache_resource(show_spinner=False, max_entries=8)
def _entity_forms(path: str, fingerprint: str) -> pd.DataFrame:
    frame = _stored_or_computed(path, fingerprint, "entity_forms", "text", lambda: analysis.entity_form_counts(
        Store(path).read_derived("mention_entities", columns=["article", "entity", "text"], categorical=tables.CATEGORICAL_COLUMNS)))
    # counted on codes by views.entity_table; read so from the store's dictionary, not held twice
    return frame if isinstance(frame["text"].dtype, pd.CategoricalDtype) else frame.assign(text=frame["text"].astype("category"))


@st.cache_resource(show_spinner=False, max_entries=8)
def _sentence_entities(path: str, fingerprint: str) -> pd.DataFrame:
    return _stored_or_computed(path, fingerprint, "sentence_entities", "sentence",
                               lambda: views.sentence_entities(_derived(path, fingerprint, "mention_entities")))


@st.cache_resource(show_spinner=False, max_entries=8)
def _sanctions_long(path: str, fingerprint: str) -> pd.DataFrame:
    return _stored_or_computed(path, fingerprint, "sanctions_by_category", "category",
                               lambda: views.sanctions_by_category(_derived(path, fingerprint, "sanctions")))


@st.cache_resource(show_spinner=False, max_entries=8)
def _sanctions_actors(path: str, fingerprint: str) -> pd.DataFrame:
    return _stored_or_computed(path, fingerprint, "sanctions_by_actor", "actor",
                               lambda: views.sanctions_by_actor(_sanctions_long(path, fingerprint)))


@st.cache_resource(show_spinner=False, max_entries=8)
def corpus_facts(path: str, fingerprint: str) -> dict:
    """What the sidebar and pages read of the whole corpus on every run, computed once per store version."""
    corpus = _articles(path, fingerprint)
    labels = views.article_labels(corpus)
    dates = views.per_date(corpus, views.date_label)
    return {
        "labels": labels,
        "dated_labels": {article: f"{date} · {labels[article]}" for article, date in zip(corpus["id"].tolist(), dates.tolist())},
        "bounds": views.date_bounds(corpus),
        "sources": sorted(set(views.source_labels(corpus))),
        "languages": sorted(corpus["lang"].dropna().unique().tolist()),
        "undated": int(corpus["date"].isna().sum()),
    }


@st.cache_data(show_spinner=False, max_entries=256)
def _texts(path: str, fingerprint: str, ids: tuple[str, ...], columns: tuple[str, ...]) -> pd.DataFrame:
    return Store(path).read_rows("articles", "id", list(ids), ["id", *columns])


@st.cache_resource(show_spinner=False, max_entries=4)
def _tfidf(path: str, fingerprint: str):
    loaded = load_tfidf(Store(path))
    return None if loaded is None else (loaded[0], {article: row for row, article in enumerate(loaded[1])})


@st.cache_resource(show_spinner=False, max_entries=4)
def _wire_groups(path: str, fingerprint: str) -> pd.DataFrame:
    return views.wire_groups(_articles(path, fingerprint))


@st.cache_resource(show_spinner=False, max_entries=8)
def _watch_marks(path: str, fingerprint: str) -> tuple[dict[str, str], dict[str, str]]:
    from core import watchlist

    matches = _derived(path, fingerprint, "watchlist_matches")
    return watchlist.marks(matches), watchlist.watch_column(matches)


@st.cache_resource(show_spinner=False, max_entries=8)
def _watchlists(path: str, fingerprint: str) -> pd.DataFrame:
    from core import watchlist

    return watchlist.list_summary(Store(path))


@st.cache_resource(show_spinner=False, max_entries=64)
def _search(path: str, fingerprint: str, expression: str) -> frozenset[str]:
    from core import search

    store = Store(path)
    return frozenset(search.matching_expression(search.index_paths(store) or [], expression))


def articles(store: Store) -> pd.DataFrame:
    return _articles(str(store.path), store.fingerprint())


def search_articles(store: Store, query) -> frozenset[str]:
    """The ids of the articles matching a ``core.search.Query`` (once per store version and query)."""
    return _search(str(store.path), store.fingerprint(), query.fts())


def entity_forms(store: Store, name: str) -> list[str]:
    """An entity's name and its surface forms as written."""
    entities = derived(store, "entities")
    row = entities[entities["name"] == name]
    return [name] + (list(json.loads(row["forms"].iloc[0])) if len(row) and isinstance(row["forms"].iloc[0], str) else [])


@st.cache_resource(show_spinner=False, max_entries=8)
def _article_ids(path: str, fingerprint: str) -> frozenset[str]:
    return frozenset(_articles(path, fingerprint)["id"])


def article_ids(store: Store) -> frozenset[str]:
    """The ids of every current article (once per store version)."""
    return _article_ids(str(store.path), store.fingerprint())


def watchlists(store: Store) -> pd.DataFrame:
    """The store's watchlists (``core.watchlist.list_summary``), once per store version."""
    return _watchlists(str(store.path), store.fingerprint())


def watch_marks(store: Store) -> dict[str, str]:
    """Entity name -> its watchlist mark (``core.watchlist.marks``), once per store version."""
    return _watch_marks(str(store.path), store.fingerprint())[0]


def watch_descriptions(store: Store) -> dict[str, str]:
    """Entity name -> the listed names it matched, in words, for tables."""
    return _watch_marks(str(store.path), store.fingerprint())[1]


def with_watchlist_column(frame: pd.DataFrame, store: Store, column: str = "name") -> pd.DataFrame:
    """``frame`` with a ``watchlist`` column saying what each entity of ``column`` matched (when any list matches)."""
    described = watch_descriptions(store)
    if not described:
        return frame
    return frame.assign(watchlist=frame[column].map(described).fillna(""))


def marked(store: Store):
    """A function giving a name with its watchlist mark (for labels and ``format_func``); the name
    as it is when nothing is marked (a select box calls it once per option, for every entity)."""
    entity_marks = watch_marks(store)
    if not entity_marks:
        return _as_shown
    return lambda name: watchlist_marked(name, entity_marks)


def _as_shown(name):
    return name


@st.cache_resource(show_spinner=False, max_entries=16)
def _entity_table(path: str, fingerprint: str, filters: str, with_forms: bool, _filtered: pd.DataFrame) -> pd.DataFrame:
    return views.entity_table(_derived(path, fingerprint, "entities"), _entity_articles(path, fingerprint), _filtered,
                              _entity_forms(path, fingerprint) if with_forms else None)


def entity_table(store: Store, filtered: pd.DataFrame, filters, with_forms: bool = True) -> pd.DataFrame:
    """``views.entity_table`` of the articles shown (``filtered``, chosen by ``filters``), made once per
    store version and filters: a click or a slider on a page reruns it without counting again (the
    surface forms within 100,000 articles take a second)."""
    return _entity_table(str(store.path), store.fingerprint(), repr(filters), with_forms, filtered)


@st.cache_resource(show_spinner=False, max_entries=16)
def _cooccurrence(path: str, fingerprint: str, filters: str, top: int, _filtered: pd.DataFrame, _ranking: list[str]) -> pd.DataFrame:
    return views.cooccurrence(_sentence_entities(path, fingerprint), _filtered, _ranking, top=top)


def cooccurrence(store: Store, filtered: pd.DataFrame, filters, ranking: list[str], top: int) -> pd.DataFrame:
    """``views.cooccurrence`` of the articles shown, once per store version, filters and ``top``
    (``ranking`` is the entity table of those filters, so it is theirs too): it reads every
    sentence's entities, millions of rows at 100,000 articles."""
    return _cooccurrence(str(store.path), store.fingerprint(), repr(filters), top, filtered, ranking)


@st.cache_resource(show_spinner=False, max_entries=8)
def _ordered_quotes(path: str, fingerprint: str) -> pd.DataFrame:
    return views.quotes_table(_derived(path, fingerprint, "quotes"), _articles(path, fingerprint))


def quotes_within(store: Store, filtered: pd.DataFrame, speaker: str | None = None, kind: str | None = None) -> pd.DataFrame:
    """``views.quotes_table`` of the articles shown, chosen from the corpus's quotes ordered once per
    store version (``views.quotes_within``)."""
    return views.quotes_within(_ordered_quotes(str(store.path), store.fingerprint()), filtered, speaker, kind)


@st.cache_resource(show_spinner=False, max_entries=8)
def _entity_options(path: str, fingerprint: str) -> list[str]:
    entities = _derived(path, fingerprint, "entities")
    if entities.empty:
        return []
    return entities.sort_values(["mentions", "name"], ascending=[False, True])["name"].astype(object).tolist()


def entity_options(store: Store) -> list[str]:
    """Every entity's name, most mentioned first (once per store version)."""
    return _entity_options(str(store.path), store.fingerprint())


def entity_articles(store: Store) -> pd.DataFrame:
    """Mentions of each entity in each article (entity, article, mentions)."""
    return _entity_articles(str(store.path), store.fingerprint())


def entity_form_counts(store: Store) -> pd.DataFrame:
    """Mentions of each entity in each article by surface form (entity, article, text, mentions)."""
    return _entity_forms(str(store.path), store.fingerprint())


def sanctions_by_category(store: Store) -> pd.DataFrame:
    """The sanctions hits, one row per sentence and category (computed once per store version)."""
    return _sanctions_long(str(store.path), store.fingerprint())


def sentence_entities(store: Store) -> pd.DataFrame:
    """Which entities each sentence mentions (``views.sentence_entities``), once per store version."""
    return _sentence_entities(str(store.path), store.fingerprint())


def sanctions_by_actor(store: Store) -> pd.DataFrame:
    """The sanctions hits, one row per sentence, category and actor (computed once per store version)."""
    return _sanctions_actors(str(store.path), store.fingerprint())


def article_labels(store: Store) -> dict[str, str]:
    """Article id -> short unique display name (``views.article_labels``), once per store version."""
    return corpus_facts(str(store.path), store.fingerprint())["labels"]


def dated_article_labels(store: Store) -> dict[str, str]:
    """Article id -> "date · short name", as the reading pane lists articles, once per store version."""
    return corpus_facts(str(store.path), store.fingerprint())["dated_labels"]


def derived(store: Store, name: str) -> pd.DataFrame:
    return _derived(str(store.path), store.fingerprint(), name)


def table(store: Store, name: str) -> pd.DataFrame:
    return _table(str(store.path), store.fingerprint(), name)


def texts(store: Store, ids, columns=("text",)) -> dict[str, dict]:
    """Article id -> {column: value} for a few articles (texts are never loaded whole)."""
    ids = tuple(sorted(set(ids)))
    frame = _texts(str(store.path), store.fingerprint(), ids, tuple(columns))
    return {row["id"]: row for row in frame.to_dict("records")}


def tfidf(store: Store):
    """The TF-IDF matrix and each article's row in it (None before any analysis)."""
    return _tfidf(str(store.path), store.fingerprint())


def wire_groups(store: Store) -> pd.DataFrame:
    """Groups of wire copies and identical texts in the whole corpus (``views.wire_groups``)."""
    return _wire_groups(str(store.path), store.fingerprint())


def article_texts(store: Store, ids) -> dict[str, str]:
    """Cleaned texts of some articles, read from the store without Streamlit's cache
    (for downloads, whose data is written outside the script run)."""
    frame = store.read_rows("articles", "id", sorted(set(ids)), ["id", "text"])
    return dict(zip(frame["id"], frame["text"]))
