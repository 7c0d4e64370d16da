"""Which store a session reads: the shared one (built from the seeds on the first run, or named by
``--store``, ``PRESS_STORE`` or a secret), or its private copy once it uploads files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import streamlit as st

from core.store import Store, StoreBusy


ROOT = Path(__file__).resolve().parent.parent


SEEDS = ROOT / "seeds"


DEFAULT_STORE = ROOT / ".store" / "seeds"


_BUILD_LOCK = threading.Lock()


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


def shared_store() -> Store:
    """The store every session opens (not this session's private copy)."""
    return Store(base_store_path())
