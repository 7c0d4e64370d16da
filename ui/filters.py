"""The shared filters in the sidebar (dates, undated articles, language, source, wire copies, an
entity) and the context every page reads: the store and the filtered articles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core import analysis, views
from core.language import language_name
from core.store import Store
from core.watchlist import MARKS_LEGEND as WATCH_LEGEND

from ui import render
from ui.loaders import articles, corpus_facts, entity_articles, entity_options, watch_marks
from ui.url import remember


EARLIEST = dt.date(1800, 1, 1)


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


def _date(raw: str) -> dt.date:
    return dt.date.fromisoformat(raw)


def sidebar_filters(store: Store) -> Context:
    """Draw the shared filters in the sidebar and return the filtered articles."""
    corpus = articles(store)
    facts = corpus_facts(str(store.path), store.fingerprint())
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
                                    on_change=lambda: st.session_state.update({"filters.period_error": None}),
                                    help="A month or year date counts when its period overlaps the range. A date "
                                         "typed here applies when the field loses focus; the field below applies on Enter.")
        # Streamlit's date input commits a typed date on blur only, never on Enter: a typed period does
        sidebar.text_input("Or type a period, then Enter", key="filters.period", on_change=_apply_period,
                           args=(lowest, highest), placeholder="2023, juin 2024, 2023-09 – 2024-03",
                           help="A year, a month or a day (in figures, French or English), or two joined by a dash.")
        if st.session_state.get("filters.period_error"):
            sidebar.error(render.markdown_literal(st.session_state["filters.period_error"]))  # it quotes what was typed
        chosen = tuple(chosen) if isinstance(chosen, (tuple, list)) else (chosen,)
        start = chosen[0] if chosen else None
        end = chosen[1] if len(chosen) > 1 else None
        remember("from", start.isoformat() if start else None, bounds[0].isoformat())
        remember("to", end.isoformat() if end else None, bounds[1].isoformat())
    else:
        sidebar.caption("No article has a date yet.")

    # The widgets below keep their values in the URL themselves (bind="query-params", the parameter named
    # by the key): a copied link restores them, values no longer offered are dropped, and being drawn by
    # dashboard.py, they stay in the URL across page switches.
    undated = facts["undated"]
    include_undated = sidebar.checkbox("Include undated articles", value=True, key="filters.include_undated",
                                       bind="query-params")
    sidebar.caption(f"{undated} undated article{'s' if undated != 1 else ''} in the corpus")

    chosen_languages = sidebar.multiselect("Language", facts["languages"], key="filters.languages", bind="query-params",
                                           format_func=lambda c: f"{language_name(c)} ({c})", placeholder="All languages")
    chosen_sources = sidebar.multiselect("Source", facts["sources"], key="filters.sources", placeholder="All sources",
                                         bind="query-params", help="The outlet when the file names one, else the file.")
    fold_wire = sidebar.checkbox("Fold wire copies and duplicates", value=True, key="filters.fold_wire", bind="query-params",
                                 help="Show only the first-seen article of each wire story or identical text.")
    entity = sidebar.selectbox("Articles mentioning", [""] + entity_options(store), key="filters.entity",
                               bind="query-params", format_func=lambda n: n or "any entity")

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


FILTER_DEFAULTS = {"filters.include_undated": True, "filters.languages": [], "filters.sources": [],
                   "filters.fold_wire": True, "filters.entity": ""}
"""The bound filters' values at the start (a bound widget keeps the browser's value over a forgotten one)."""


def _reset_filters() -> None:
    st.session_state.pop("filters.date_range", None)  # set again to the corpus's bounds
    st.session_state["filters.period_error"] = None
    for key, value in FILTER_DEFAULTS.items():
        st.session_state[key] = value


def set_context(context: Context) -> None:
    st.session_state["_context"] = context


def context() -> Context:
    """The store and filtered articles of this run (set by dashboard.py before the page runs)."""
    return st.session_state["_context"]
