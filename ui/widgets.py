"""Widgets the pages share: the page header, tables with their CSV, charts (clickable ones too),
downloads and links between pages.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from core.analysis import to_csv_bytes

from ui import charts, render
from ui.filters import Context
from ui.url import link_params


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


def page_header(title: str, ctx: Context, caption: str | None = None) -> None:
    st.title(title)
    st.caption(showing_text(len(ctx.filtered), len(ctx.articles)) + (f" · {caption}" if caption else ""))


def showing_text(shown: int, total: int) -> str:
    return f"Showing {shown} of {total} article{'s' if total != 1 else ''}"


TABLE_ROWS = 2_000
"""The most rows a table draws: the browser receives every row drawn on every run (at 100,000
articles the entity table has tens of thousands); the CSV has them all."""


def data_table(frame: pd.DataFrame, key: str, file_name: str, **kwargs) -> None:
    """A table with a CSV download of all its rows (written only when clicked); the first
    :data:`TABLE_ROWS` are drawn, and a caption says so when there are more."""
    st.dataframe(frame.head(TABLE_ROWS), hide_index=True, key=f"{key}.table", **kwargs)
    if len(frame) > TABLE_ROWS:
        st.caption(f"The first {TABLE_ROWS:,} rows of {len(frame):,}, in this order (sorting and searching the table "
                   "apply to them); the CSV has them all.")
    st.download_button("Download CSV", functools.partial(to_csv_bytes, frame), file_name=file_name, mime="text/csv",
                       key=f"{key}.csv", on_click="ignore", icon=":material/download:")


def chart(chart: charts.Chart, key: str) -> None:
    """Draw a chart across its container, its title also given as the chart's accessible label."""
    st.vega_lite_chart(chart.data, chart.spec, key=key, width="stretch", alt=chart.title)


def selectable_chart(chart: charts.Chart, key: str, params: list[str],
                     chosen: dict[str, dict | None] | None = None) -> dict[str, list[dict]]:
    """Draw a chart whose point selections (the spec's ``params``) rerun the page; returns what is selected,
    by parameter: a list of the chosen marks' fields (empty when nothing is).

    ``chosen`` gives, by parameter, fields of the mark the page shows now (None: none of this
    chart's; the fields given are those compared). A selection stays selected, and a click on the selected mark changes nothing: once the
    analyst has chosen something else with the page's other widgets, clicking that mark again would
    do nothing. The chart is then drawn afresh, with nothing selected.
    """
    generation = st.session_state.get(f"_generation.{key}", 0)
    if chosen is not None:
        held = _selection(st.session_state.get(_chart_key(key, generation)))
        for param in params:
            applied = st.session_state.get(f"_clicked.{key}.{param}")
            point = (held.get(param) or [None])[0]
            stale = applied is not None and point is not None and all(point.get(f) == v for f, v in applied.items())
            now = chosen.get(param)
            if stale and (now is None or any(applied.get(f) != v for f, v in now.items())):
                generation += 1
                st.session_state[f"_generation.{key}"] = generation
                st.session_state[f"_clicked.{key}.{param}"] = None
    event = st.vega_lite_chart(chart.data, chart.spec, key=_chart_key(key, generation), width="stretch", alt=chart.title,
                               on_select="rerun", selection_mode=params)
    selection = _selection(event)
    return {param: list(selection.get(param) or []) for param in params}


def _chart_key(key: str, generation: int) -> str:
    return key if not generation else f"{key}.{generation}"


def _selection(event) -> dict:
    if event is None:
        return {}
    return dict(event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {}) or {})


def new_click(key: str, param: str, points: list[dict], fields: tuple[str, ...]) -> dict | None:
    """The point the selection ``param`` of chart ``key`` holds, when it is a new click: a selection stays
    selected across reruns, and applying it again would undo what the analyst chose since with the page's
    other widgets."""
    point = next((p for p in points if all(f in p for f in fields)), None)
    value = {f: point[f] for f in fields} if point else None
    last = st.session_state.get(f"_clicked.{key}.{param}")
    st.session_state[f"_clicked.{key}.{param}"] = value
    return point if value is not None and value != last else None


def download(label: str, make_csv, file_name: str, key: str) -> None:
    """A CSV download whose content ``make_csv()`` writes only when clicked (for large exports)."""
    st.download_button(label, make_csv, file_name=file_name, mime="text/csv", key=f"{key}.csv",
                       on_click="ignore", icon=":material/download:")


def page_link_quotes(speaker: str) -> None:
    """A link to the Quotes page showing one speaker's quotes (with the current filters)."""
    st.page_link(PAGES["quotes"], label=render.markdown_literal(f"All quotes of {speaker}"), icon=":material/format_quote:",
                 query_params=link_params({"quotes.speaker": speaker}))


def article_link(article_id: str, label: str, key: str | None = None) -> None:
    """A link that opens an article in the reading pane (with the current filters)."""
    st.page_link(PAGES["reading"], label=render.markdown_literal(label), icon=":material/article:", query_params=link_params({"reading.article": article_id}))
