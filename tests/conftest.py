"""Session fixtures: the real French pipeline and the seed corpus, built once per run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    """The French pipeline exactly as ingest uses it."""
    from core.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory):
    """A store holding the five seed articles, ingested once. Do not modify it."""
    from core.ingest import ingest
    from core.store import Store

    store = Store(tmp_path_factory.mktemp("seed-store") / "store")
    ingest([str(SEEDS)], store)
    return store


@pytest.fixture
def seed_store_copy(seed_store, tmp_path):
    """A private copy of the seed store, for tests that edit it."""
    from core.store import Store

    target = tmp_path / "store"
    shutil.copytree(seed_store.path, target, ignore=shutil.ignore_patterns(".lock"))
    return Store(target)


@pytest.fixture(scope="session")
def seed_export(seed_store):
    from core.analysis import export_corpus

    return export_corpus(seed_store)


def seed_id(export: dict, prefix: str) -> str:
    """Id of the seed article whose file name starts with ``prefix`` (e.g. "004")."""
    return next(a["id"] for a in export["articles"] if Path(a["source"]).name.startswith(prefix))


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind():
    """After the run, no process that a test started is left orphaned (a forkserver or NLP worker of a
    killed ingest, a Streamlit server, a Chromium): each test stops what it starts."""
    import time

    import psutil

    started = time.time()
    yield
    time.sleep(1)  # what a test ended at its last line has a moment to exit
    mine = ("multiprocessing.forkserver", "multiprocessing.resource_tracker", "streamlit", "chromium", "core ingest")
    orphans = []
    for process in psutil.process_iter(["pid", "ppid", "create_time", "cmdline"]):
        info = process.info
        command = " ".join(info["cmdline"] or [])
        if info["ppid"] == 1 and (info["create_time"] or 0) >= started and str(ROOT) in command and any(m in command for m in mine):
            orphans.append(process)
    for process in orphans:
        process.kill()
    assert not orphans, [" ".join(p.info["cmdline"][:4]) for p in orphans]
