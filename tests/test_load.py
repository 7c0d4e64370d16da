"""Many people at once, small: 4 concurrent browser sessions on one dashboard (the bench entry
``python -m bench.load`` runs 20 for two minutes)."""

from __future__ import annotations

import pytest

from browser_support import App, require_chromium

pytestmark = pytest.mark.browser


def test_load_four_sessions_change_pages_and_filters_without_errors(seed_store, tmp_path):
    require_chromium()
    from bench.load import run_load

    app = App(seed_store.path, tmp_path / "streamlit.log")
    try:
        app.wait_healthy()
        figures = run_load(app.url, app.process.pid, sessions=4, seconds=20)
    finally:
        app.stop()
    assert figures["sessions_loaded"] == 4
    assert figures["errors"] == []
    assert figures["actions"] >= 8  # every session went round pages and filters
    # the corpus tables are cached once for all sessions: a session costs far less than a copy of them
    assert figures["rss_per_extra_session_mb"] < 40
