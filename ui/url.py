"""The view in the URL, written by hand where the widgets' own ``bind="query-params"`` cannot do it.

Every run records the values that define the view and writes them to ``st.query_params`` at the
end (:func:`write_url`), because Streamlit clears the query string on a page switch. A parameter
whose value differs from what the app last wrote came from outside (a pasted link, a page link) and
is applied to its widget.
"""

from __future__ import annotations

import streamlit as st


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


FILTER_PARAMS = ("from", "to", "undated", "lang", "source", "wire", "mentions")
