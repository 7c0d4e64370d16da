"""The view in the URL.

Widgets keep their own values in the URL (``bind="query-params"``, the parameter named by the
widget's key): a copied link restores them, values the page no longer offers are dropped, a page
that stops early still has them written, and the sidebar's, drawn by ``dashboard.py``, survive
page switches. What is written by hand here is what the binding cannot do:

- the date range as ``from`` and ``to``, which follows the corpus as it grows unless the analyst
  chose a range (a bound widget's default is fixed) and is clamped to the dates the widget accepts;
- the select boxes whose choices are shown with more than their value: a bound select box writes
  the label it shows, not the value, so a link would break when the label changes while the
  choice does not: an entity with its watchlist mark (``⚑ Kim Jong Un``), an article with its date
  and title, a topic with its terms, a sanctions category named by the editable lexicon, a speaker,
  a heatmap column or a network link with counts that follow the filters. These keep their value (an entity's name, an article's id) in the parameter
  named by their key.

Each run records those values (:func:`remember`) and writes them at its end (:func:`write_url`),
since Streamlit drops unbound parameters on a page switch. A value that differs from what the app
last wrote came from outside (a pasted link, a page link) and is applied to the widget
(:func:`restore`).
"""

from __future__ import annotations

import streamlit as st


def restore(key: str, default=None, parse=str, multi: bool = False) -> None:
    """Before a hand-kept widget is drawn: give it the URL's value (parameter ``key``) when the URL
    changed since the app wrote it, else its default."""
    raw = st.query_params.get_all(key) if multi else st.query_params.get(key)
    written = st.session_state.get("_url_written", {}).get(key)
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
    """Write this run's hand-kept view values to the query string (after the page ran), leaving the
    parameters of bound widgets alone."""
    wanted = dict(st.session_state.get("_url", {}))
    for key in set(st.session_state.get("_url_written", {})) - set(wanted):
        if key in st.query_params:
            del st.query_params[key]
    for key, value in wanted.items():
        current = st.query_params.get_all(key) if isinstance(value, list) else st.query_params.get(key)
        if current != value:
            st.query_params[key] = value
    st.session_state["_url_written"] = wanted


def stop_page() -> None:
    """End the page's run early (nothing to show), with the view written into the URL first: after
    ``st.stop`` nothing more runs, and a copied link would lose the filters that emptied the view."""
    write_url()
    st.stop()


def link_params(extra: dict | None = None) -> dict:
    """The shared filters' URL values plus ``extra`` (parameter: value): for links to another page."""
    params = {k: v for k, v in st.session_state.get("_url", {}).items() if k in HAND_FILTER_PARAMS}
    for key in BOUND_FILTER_PARAMS:
        if key in st.query_params:
            values = st.query_params.get_all(key)
            params[key] = values if len(values) > 1 else values[0]
    params.update({k: str(v) for k, v in (extra or {}).items() if v is not None})
    return params


HAND_FILTER_PARAMS = ("from", "to")
BOUND_FILTER_PARAMS = ("filters.include_undated", "filters.languages", "filters.sources", "filters.fold_wire",
                       "filters.entity")
