"""Streamlit glue: which store, cached loaders, the shared filters, the URL, common widgets.

Everything that touches ``st`` and is shared by pages lives here; computation
lives in :mod:`core.views` and HTML in :mod:`ui.render`.

URL rule: every run records the values that define the view (filters and the
page's own selections) and writes them to ``st.query_params`` at the end
(:func:`write_url`), because Streamlit clears the query string on a page
switch. A parameter whose value differs from what the app last wrote came from
outside (a pasted link, a page link) and is applied to its widget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from core import analysis, tables, views
from core.analysis import entity_article_counts, load_articles, load_tfidf, to_csv_bytes
from core.language import language_name
from core.store import Store, StoreBusy
from core.watchlist import MARKS_LEGEND as WATCH_LEGEND
from core.watchlist import marked as watchlist_marked
from ui import charts, render

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEFAULT_STORE = ROOT / ".store" / "seeds"
EARLIEST = dt.date(1800, 1, 1)
PAGES = {
    "overview": "app_pages/overview.py",
    "entities": "app_pages/entities.py",
    "topics": "app_pages/topics.py",
    "reading": "app_pages/reading.py",
    "sanctions": "app_pages/sanctions.py",
    "quotes": "app_pages/quotes.py",
    "watchlist": "app_pages/watchlist.py",
    "search": "app_pages/search.py",
}

_BUILD_LOCK = threading.Lock()


# Which store ------------------------------------------------------------------

def _secret_store() -> str | None:
    """``PRESS_STORE`` from Streamlit's secrets (Community Cloud's Settings → Secrets), if set."""
    try:
        value = st.secrets.get("PRESS_STORE")
    except Exception:  # no secrets file at all: Streamlit raises rather than returning nothing
        return None
    return str(value) if value else None


def base_store_path() -> Path:
    """The store the app opens: ``$PRESS_STORE`` (environment or secrets), else
    ``-- --store DIR``, else ``.store/seeds``. A relative path is read from the
    project folder, as on Community Cloud."""
    configured = os.environ.get("PRESS_STORE") or _secret_store()
    if configured:
        path = Path(configured).expanduser()
        return path if path.is_absolute() else ROOT / path
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--store")
    known, _ = parser.parse_known_args(sys.argv[1:])
    if known.store:
        return Path(known.store).expanduser()
    return DEFAULT_STORE


def ensure_base_store() -> Store | None:
    """The base store, building the seed corpus on the very first run (with a progress bar).

    Returns None (after showing why) when a store given by the user does not exist.
    """
    path = base_store_path()
    store = Store(path)
    if store.exists():
        return store
    if path.resolve() != DEFAULT_STORE.resolve():
        st.error(f"No store at {path}. Build one with `python -m core ingest FOLDER --store {path}`.")
        return None
    with _BUILD_LOCK:  # one session builds, the others wait for it
        if store.exists():
            return store
        from core.ingest import ingest

        bar = st.progress(0.0, text="First run: analysing the seed articles (this happens once)…")

        def progress(done: int, total: int, source: str, documents: int) -> None:
            bar.progress(min(done / max(total, 1), 1.0), text=f"First run: analysing {Path(source).name} ({done} of {total} files)")

        try:
            ingest([str(SEEDS)], store, progress=progress)
        except StoreBusy:
            bar.empty()
            st.warning("Another process is building the seed corpus; reload the page in a few seconds.")
            return None
        bar.empty()
    return store


def init_session_state() -> None:
    """Session-wide values, set once per session."""
    st.session_state.setdefault("store.path", None)
    st.session_state.setdefault("store.private", False)
    st.session_state.setdefault("_url_written", {})
    st.session_state.setdefault("_url", {})


def current_store(base: Store) -> Store:
    """The store this session reads: the shared one, or its private copy once it uploaded files."""
    if st.session_state.get("store.private") and st.session_state.get("store.path"):
        return Store(st.session_state["store.path"])
    return base


def private_store(base: Store) -> Store:
    """This session's own copy of the store, made on its first upload.

    Uploads never reach the shared store, so other viewers never see them.
    The copy costs the size of the store on disk (under 1 MB for the seeds)
    and is deleted when the session's state is garbage-collected.
    """
    if st.session_state.get("store.private"):
        return Store(st.session_state["store.path"])
    holder = tempfile.TemporaryDirectory(prefix="press-session-")
    target = Path(holder.name) / "store"
    shutil.copytree(base.path, target, ignore=shutil.ignore_patterns(".lock"))
    st.session_state["store.tempdir"] = holder
    st.session_state["store.path"] = str(target)
    st.session_state["store.private"] = True
    return Store(target)


def drop_private_store() -> None:
    """Forget this session's private copy (an upload that added nothing): it reads the shared store again."""
    holder = st.session_state.pop("store.tempdir", None)
    st.session_state["store.private"] = False
    st.session_state["store.path"] = None
    if holder is not None:
        holder.cleanup()


# Cached loaders: keyed by path and fingerprint, so any ingest or edit reloads --

# Whole tables are cached as shared resources, not copied per caller: at 10,000
# articles unpickling a copy of the mentions on every rerun cost more than the
# page itself. Nothing may modify them: the view functions in core.views return
# new tables and never change their inputs.

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


@st.cache_resource(show_spinner=False, max_entries=64)
def _derived(path: str, fingerprint: str, name: str) -> pd.DataFrame:
    frame = Store(path).read_derived(name, columns=DERIVED_COLUMNS.get(name), categorical=tables.CATEGORICAL_COLUMNS)
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
    return _stored_or_computed(path, fingerprint, "entity_forms", "text", lambda: analysis.entity_form_counts(
        Store(path).read_derived("mention_entities", columns=["article", "entity", "text"], categorical=tables.CATEGORICAL_COLUMNS)))


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
def _corpus_facts(path: str, fingerprint: str) -> dict:
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


def shared_store() -> Store:
    """The store every session opens (not this session's private copy)."""
    return Store(base_store_path())


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
    """A function giving a name with its watchlist mark (for labels and ``format_func``)."""
    entity_marks = watch_marks(store)
    return lambda name: watchlist_marked(name, entity_marks)


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
    return _corpus_facts(str(store.path), store.fingerprint())["labels"]


def dated_article_labels(store: Store) -> dict[str, str]:
    """Article id -> "date · short name", as the reading pane lists articles, once per store version."""
    return _corpus_facts(str(store.path), store.fingerprint())["dated_labels"]


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


# The URL ----------------------------------------------------------------------

def restore(key: str, param: str, parse=str, default=None, multi: bool = False) -> None:
    """Before a widget is drawn: give it the URL's value when the URL changed, else its default."""
    raw = st.query_params.get_all(param) if multi else st.query_params.get(param)
    written = st.session_state.get("_url_written", {}).get(param)
    if raw and raw != written:
        try:
            st.session_state[key] = parse(raw)
            return
        except (ValueError, TypeError):
            pass
    if key not in st.session_state and default is not None:
        st.session_state[key] = default


def remember(param: str, value, default=None) -> None:
    """Record a view value for the URL (left out when it is the default)."""
    url = st.session_state.setdefault("_url", {})
    if value is None or value == default or value == [] or value == "":
        url.pop(param, None)
        return
    url[param] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)


def start_run() -> None:
    st.session_state["_url"] = {}


def write_url() -> None:
    """Write this run's view values to the query string (after the page ran)."""
    wanted = dict(st.session_state.get("_url", {}))
    current = {k: (st.query_params.get_all(k) if isinstance(wanted.get(k), list) else st.query_params.get(k)) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)
    st.session_state["_url_written"] = wanted


def stop_page() -> None:
    """End the page's run early (nothing to show), with the view written into the URL first: after
    ``st.stop`` nothing more runs, and a copied link would lose the filters that emptied the view."""
    write_url()
    st.stop()


def link_params(**extra) -> dict:
    """The current view's URL values plus ``extra``: for links to another page."""
    params = {k: v for k, v in st.session_state.get("_url", {}).items() if k in FILTER_PARAMS}
    params.update({k: str(v) for k, v in extra.items() if v is not None})
    return params


# The shared filters ------------------------------------------------------------

FILTER_PARAMS = ("from", "to", "undated", "lang", "source", "wire", "mentions")


@dataclass(frozen=True)
class Filters:
    start: dt.date | None
    end: dt.date | None
    include_undated: bool
    languages: tuple[str, ...]
    sources: tuple[str, ...]
    fold_wire: bool
    entity: str


@dataclass
class Context:
    """What every page receives: the store, all articles, the filtered ones and their ids."""

    store: Store
    articles: pd.DataFrame
    filtered: pd.DataFrame
    filters: Filters
    ids: frozenset[str]


def flag(raw: str) -> bool:
    """A URL flag: ``1`` or ``0``."""
    if raw not in ("0", "1"):
        raise ValueError(raw)
    return raw == "1"


def _date(raw: str) -> dt.date:
    return dt.date.fromisoformat(raw)


def sidebar_filters(store: Store) -> Context:
    """Draw the shared filters in the sidebar and return the filtered articles."""
    corpus = articles(store)
    facts = _corpus_facts(str(store.path), store.fingerprint())
    bounds = facts["bounds"]
    sidebar = st.sidebar
    sidebar.header("Filters")

    start = end = None
    if bounds:
        if st.session_state.get("filters._range_default") not in (None, bounds) and tuple(st.session_state.get("filters.date_range", ())) == st.session_state["filters._range_default"]:
            st.session_state["filters.date_range"] = bounds  # the corpus grew: follow it unless the user chose a range
        st.session_state["filters._range_default"] = bounds
        # a month or year of the current period ends after today: the widget must allow it
        lowest, highest = min(EARLIEST, bounds[0]), max(dt.date.today(), bounds[1])

        def clamp(day: dt.date) -> dt.date:
            return min(max(day, lowest), highest)

        url_from, url_to = st.query_params.get("from"), st.query_params.get("to")
        written = st.session_state["_url_written"]
        if (url_from or url_to) and (url_from, url_to) != (written.get("from"), written.get("to")):
            try:
                first = clamp(_date(url_from)) if url_from else bounds[0]
                last = clamp(_date(url_to)) if url_to else bounds[1]
                st.session_state["filters.date_range"] = (min(first, last), max(first, last))
            except ValueError:
                pass
        st.session_state.setdefault("filters.date_range", bounds)
        current = st.session_state["filters.date_range"]
        if isinstance(current, (tuple, list)):
            st.session_state["filters.date_range"] = tuple(clamp(day) for day in current if day is not None)
        chosen = sidebar.date_input("Date range", key="filters.date_range", min_value=lowest, max_value=highest,
                                    help="A month or year date counts when its period overlaps the range. A date "
                                         "typed here applies when the field loses focus; the field below applies on Enter.")
        # Streamlit's date input commits a typed date on blur only, never on Enter: a typed period does
        sidebar.text_input("Or type a period, then Enter", key="filters.period", on_change=_apply_period,
                           args=(lowest, highest), placeholder="2023, juin 2024, 2023-09 – 2024-03",
                           help="A year, a month or a day (in figures, French or English), or two joined by a dash.")
        if st.session_state.get("filters.period_error"):
            sidebar.error(st.session_state["filters.period_error"])
        chosen = tuple(chosen) if isinstance(chosen, (tuple, list)) else (chosen,)
        start = chosen[0] if chosen else None
        end = chosen[1] if len(chosen) > 1 else None
        remember("from", start.isoformat() if start else None, bounds[0].isoformat())
        remember("to", end.isoformat() if end else None, bounds[1].isoformat())
    else:
        sidebar.caption("No article has a date yet.")

    undated = facts["undated"]
    restore("filters.include_undated", "undated", flag, True)
    include_undated = sidebar.checkbox("Include undated articles", key="filters.include_undated")
    sidebar.caption(f"{undated} undated article{'s' if undated != 1 else ''} in the corpus")
    remember("undated", "1" if include_undated else "0", "1")

    languages = facts["languages"]
    restore("filters.languages", "lang", list, [], multi=True)
    st.session_state["filters.languages"] = [v for v in st.session_state["filters.languages"] if v in languages]
    chosen_languages = sidebar.multiselect("Language", languages, key="filters.languages",
                                           format_func=lambda c: f"{language_name(c)} ({c})", placeholder="All languages")
    remember("lang", chosen_languages)

    sources = facts["sources"]
    restore("filters.sources", "source", list, [], multi=True)
    st.session_state["filters.sources"] = [v for v in st.session_state["filters.sources"] if v in sources]
    chosen_sources = sidebar.multiselect("Source", sources, key="filters.sources", placeholder="All sources",
                                         help="The outlet when the file names one, else the file.")
    remember("source", chosen_sources)

    restore("filters.fold_wire", "wire", flag, True)
    fold_wire = sidebar.checkbox("Fold wire copies and duplicates", key="filters.fold_wire",
                                 help="Show only the first-seen article of each wire story or identical text.")
    remember("wire", "1" if fold_wire else "0", "1")

    entity_names = entity_options(store)
    restore("filters.entity", "mentions", str, "")
    if st.session_state["filters.entity"] not in entity_names:
        st.session_state["filters.entity"] = ""
    entity = sidebar.selectbox("Articles mentioning", [""] + entity_names, key="filters.entity",
                               format_func=lambda n: n or "any entity")
    remember("mentions", entity)

    filters = Filters(start, end, include_undated, tuple(chosen_languages), tuple(chosen_sources), fold_wire, entity)
    ids = views.entity_articles(entity_articles(store), entity) if entity else None
    filtered = views.filter_articles(
        corpus, start=start, end=end, include_undated=include_undated, languages=list(chosen_languages),
        sources=list(chosen_sources), fold_wire=fold_wire, article_ids=ids,
    )
    sidebar.button("Reset filters", key="filters.reset", on_click=_reset_filters)
    if watch_marks(store):
        sidebar.caption(WATCH_LEGEND)
    if st.session_state.get("store.private"):
        sidebar.caption("Your uploads are in a private copy of the corpus, visible only in this session.")
    return Context(store, corpus, filtered, filters, frozenset(filtered["id"]))


def _apply_period(lowest: dt.date, highest: dt.date) -> None:
    """Set the date range to the period typed in the sidebar (a callback: it runs before the widgets are drawn)."""
    typed = st.session_state.get("filters.period", "").strip()
    st.session_state["filters.period_error"] = None
    if not typed:
        return
    try:
        first, last = analysis.typed_period(typed)
    except ValueError as error:
        st.session_state["filters.period_error"] = str(error)
        return
    st.session_state["filters.date_range"] = (min(max(first, lowest), highest), min(max(last, lowest), highest))
    st.session_state["filters.period"] = ""


def _reset_filters() -> None:
    for key in ("filters.date_range", "filters.include_undated", "filters.languages", "filters.sources",
                "filters.fold_wire", "filters.entity"):
        st.session_state.pop(key, None)


def entity_options(store: Store) -> list[str]:
    entities = derived(store, "entities")
    if entities.empty:
        return []
    return entities.sort_values(["mentions", "name"], ascending=[False, True])["name"].tolist()


def set_context(context: Context) -> None:
    st.session_state["_context"] = context


def context() -> Context:
    """The store and filtered articles of this run (set by dashboard.py before the page runs)."""
    return st.session_state["_context"]


# Common widgets ---------------------------------------------------------------

def page_header(title: str, ctx: Context, caption: str | None = None) -> None:
    st.title(title)
    st.caption(showing_text(len(ctx.filtered), len(ctx.articles)) + (f" · {caption}" if caption else ""))


def showing_text(shown: int, total: int) -> str:
    return f"Showing {shown} of {total} article{'s' if total != 1 else ''}"


def data_table(frame: pd.DataFrame, key: str, file_name: str, **kwargs) -> None:
    """A table with a CSV download of exactly what is shown (written only when clicked)."""
    st.dataframe(frame, hide_index=True, key=f"{key}.table", **kwargs)
    st.download_button("Download CSV", functools.partial(to_csv_bytes, frame), file_name=file_name, mime="text/csv",
                       key=f"{key}.csv", on_click="ignore", icon=":material/download:")


def chart(chart: charts.Chart, key: str) -> None:
    """Draw a chart across its container, its title also given as the chart's accessible label."""
    st.vega_lite_chart(chart.data, chart.spec, key=key, width="stretch", alt=chart.title)


def selectable_chart(chart: charts.Chart, key: str, params: list[str]) -> dict[str, list[dict]]:
    """Draw a chart whose point selections (the spec's ``params``) rerun the page; returns what is selected,
    by parameter: a list of the chosen marks' fields (empty when nothing is)."""
    event = st.vega_lite_chart(chart.data, chart.spec, key=key, width="stretch", alt=chart.title, on_select="rerun",
                               selection_mode=params)
    selection = (event or {}).get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    return {param: list(selection.get(param) or []) for param in params}


def new_click(key: str, points: list[dict], fields: tuple[str, ...]) -> dict | None:
    """The point a chart's selection holds, when it is a new click: a selection stays selected across
    reruns, and applying it again would undo what the analyst chose since with the page's other widgets."""
    point = next((p for p in points if all(f in p for f in fields)), None)
    value = tuple(point[f] for f in fields) if point else None
    last = st.session_state.get(f"_clicked.{key}")
    st.session_state[f"_clicked.{key}"] = value
    return point if value is not None and value != last else None


def download(label: str, make_csv, file_name: str, key: str) -> None:
    """A CSV download whose content ``make_csv()`` writes only when clicked (for large exports)."""
    st.download_button(label, make_csv, file_name=file_name, mime="text/csv", key=f"{key}.csv",
                       on_click="ignore", icon=":material/download:")


def article_texts(store: Store, ids) -> dict[str, str]:
    """Cleaned texts of some articles, read from the store without Streamlit's cache
    (for downloads, whose data is written outside the script run)."""
    frame = store.read_rows("articles", "id", sorted(set(ids)), ["id", "text"])
    return dict(zip(frame["id"], frame["text"]))


def page_link_quotes(speaker: str) -> None:
    """A link to the Quotes page showing one speaker's quotes (with the current filters)."""
    st.page_link(PAGES["quotes"], label=render.markdown_literal(f"All quotes of {speaker}"), icon=":material/format_quote:",
                 query_params=link_params(speaker=speaker))


def article_link(article_id: str, label: str, key: str | None = None) -> None:
    """A link that opens an article in the reading pane (with the current filters)."""
    st.page_link(PAGES["reading"], label=render.markdown_literal(label), icon=":material/article:", query_params=link_params(article=article_id))
