"""The store: atomic commits, a lock for writers, nothing lost on a crash."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

from core.store import Store, StoreBusy


def test_store_manifest_names_every_part_and_the_layout_is_documented(seed_store):
    manifest = seed_store.manifest()
    for parts in manifest["tables"].values():
        for part in parts:
            assert (seed_store.path / part).is_file()
    assert set(manifest["tables"]) == {"articles", "signatures", "analyses", "sentences", "mentions", "sanctions_terms", "quotes"}
    assert manifest["search"] and all((seed_store.path / part).is_file() for part in manifest["search"])
    assert manifest["info"]["pipeline"].startswith("fr_core_news_md-3.8.0/")


def test_store_failed_write_leaves_the_previous_store_and_no_new_files(seed_store_copy):
    before = seed_store_copy.manifest()
    files_before = sorted(p.name for p in (seed_store_copy.path / "parts").iterdir())
    with pytest.raises(RuntimeError, match="boom"):
        with seed_store_copy.writer() as writer:
            writer.append("rejected", [{"source": "x", "reason": "y", "ingested_at": "z"}])
            raise RuntimeError("boom")
    assert seed_store_copy.manifest() == before
    assert sorted(p.name for p in (seed_store_copy.path / "parts").iterdir()) == files_before


def test_store_second_writer_is_refused_with_a_clear_message(seed_store_copy):
    with seed_store_copy.writer():
        with pytest.raises(StoreBusy, match="being written by another process"):
            with Store(seed_store_copy.path).writer():
                pass


def test_store_ingest_killed_midway_leaves_the_previous_store_readable(seed_store_copy, tmp_path):
    corpus = tmp_path / "many"
    corpus.mkdir()
    text = (SEEDS / "002_f02d0033101d56d6.txt").read_text(encoding="utf-8")
    for index in range(120):
        (corpus / f"{index:03d}.txt").write_text(f"Article numéro {index}.\n\n{text}", encoding="utf-8")
    before = seed_store_copy.manifest()
    process = subprocess.Popen(
        [sys.executable, "-m", "core", "ingest", str(corpus), "--store", str(seed_store_copy.path), "--quiet"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    parts = seed_store_copy.path / "parts"
    deadline = time.monotonic() + 240
    initial = len(list(parts.iterdir()))
    while len(list(parts.iterdir())) == initial and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the ingest finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert seed_store_copy.manifest() == before
    from core.analysis import export_corpus

    exported = export_corpus(seed_store_copy)
    assert len(exported["articles"]) == 5
    # the next ingest cleans up the dead run's parts and succeeds
    from core.ingest import ingest

    report = ingest([str(corpus / "000.txt")], seed_store_copy)
    assert report.added == 1
    manifest = seed_store_copy.manifest()
    referenced = {Path(p).name for parts_ in [*manifest["tables"].values(), manifest["search"]] for p in parts_}
    assert {p.name for p in parts.iterdir()} == referenced


def test_store_edits_file_is_json_and_separate_from_data(seed_store_copy):
    from core.analysis import set_user_date

    article = seed_store_copy.read("articles", columns=["id"])["id"].iloc[0]
    set_user_date(seed_store_copy, article, "2024-06")
    assert json.loads((seed_store_copy.path / "edits.json").read_text())["dates"] == {article: "2024-06"}
    with pytest.raises(ValueError, match="there is no month 13"):
        set_user_date(seed_store_copy, article, "2024-13")
    with pytest.raises(ValueError, match="is not a date"):
        set_user_date(seed_store_copy, article, "juin")


def test_store_edit_that_fails_to_commit_leaves_the_edits_file_as_it_was(seed_store_copy, monkeypatch):
    from core.analysis import edit_entities
    from core.store import StoreWriter

    before = (seed_store_copy.path / "edits.json").read_bytes() if (seed_store_copy.path / "edits.json").exists() else None
    manifest = seed_store_copy.manifest()

    def failing_commit(self):
        raise OSError("disk full")

    monkeypatch.setattr(StoreWriter, "commit", failing_commit)
    with pytest.raises(OSError, match="disk full"):
        edit_entities(seed_store_copy, merge=("Moscou", "Kremlin"))
    after = (seed_store_copy.path / "edits.json").read_bytes() if (seed_store_copy.path / "edits.json").exists() else None
    assert after == before
    assert seed_store_copy.manifest() == manifest


def test_store_derived_tables_read_narrow_and_with_lists_in_arrow(seed_store_copy):
    # what the dashboard holds of a large table: integers that fit in 32 bits, lists in Arrow's
    # buffers (a row still reads as a list); tables written and read side by side are the same
    import pandas as pd

    frame = pd.DataFrame({"small": [1, 2, 3], "large": [1, 2, 2 ** 40], "spans": [[[1, 2]], [], [[3, 4], [5, 6]]]})
    with seed_store_copy.writer() as writer:
        writer.set_derived_tables({"probe": frame, "other": frame.head(1)})
    read = seed_store_copy.read_derived("probe", narrow=("small", "large"), arrow_lists=True)
    assert read["small"].dtype == "int32" and read["large"].dtype == "int64"  # too large for 32 bits: kept
    assert read["small"].tolist() == [1, 2, 3] and read["large"].tolist() == [1, 2, 2 ** 40]
    assert isinstance(read["spans"].dtype, pd.ArrowDtype)
    assert read["spans"].tolist() == [[[1, 2]], [], [[3, 4], [5, 6]]] and read["spans"].iloc[2] == [[3, 4], [5, 6]]
    together = seed_store_copy.read_derived_tables(["probe", "other", "missing"])
    assert together["missing"] is None and together["other"]["small"].tolist() == [1]
    pd.testing.assert_frame_equal(together["probe"], seed_store_copy.read_derived("probe"))


def test_store_full_rebuild_drops_results_it_no_longer_makes(seed_store_copy, monkeypatch):
    """A store written when every pair's neighbours were stored loses that table at its next full rebuild."""
    import pandas as pd

    from core.analysis import rebuild_derived

    with seed_store_copy.writer() as writer:
        writer.set_derived("neighbours", pd.DataFrame({"article": ["a"], "neighbour": ["b"], "score": [0.5]}))
    assert seed_store_copy.read_derived("neighbours") is not None
    with seed_store_copy.writer() as writer:
        rebuild_derived(writer, entities_only=True)
    assert seed_store_copy.read_derived("neighbours") is not None  # an analyst's edit rebuilds entities only
    with seed_store_copy.writer() as writer:
        rebuild_derived(writer)
    assert seed_store_copy.read_derived("neighbours") is None
    assert seed_store_copy.read_derived("topics") is not None and seed_store_copy.derived_path("tfidf").exists()
    with seed_store_copy.writer() as writer:  # superseded files stay a while (a reader may hold them)
        rebuild_derived(writer, entities_only=True)
    assert list((seed_store_copy.path / "derived").glob("neighbours-*"))
    import core.store

    monkeypatch.setattr(core.store, "SUPERSEDED_GRACE_SECONDS", 0)  # past the grace period
    with seed_store_copy.writer() as writer:
        rebuild_derived(writer, entities_only=True)
    assert not list((seed_store_copy.path / "derived").glob("neighbours-*"))


def test_store_a_killed_ingest_leaves_no_process_running(tmp_path):
    """SIGKILL runs no cleanup: the NLP workers (forked from a forkserver, their pool's pipes open in
    themselves) must notice on their own that the ingest is gone, and the forkserver with them."""
    import psutil

    corpus = tmp_path / "many"
    corpus.mkdir()
    text = (SEEDS / "002_f02d0033101d56d6.txt").read_text(encoding="utf-8")
    for index in range(60):
        (corpus / f"{index:03d}.txt").write_text(f"Article numéro {index}.\n\n{text}", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "core", "ingest", str(corpus), "--store", str(tmp_path / "store"), "--quiet"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    main = psutil.Process(process.pid)
    deadline = time.monotonic() + 120
    helpers = []
    while time.monotonic() < deadline and process.poll() is None:
        helpers = main.children(recursive=True)
        if any(child.ppid() != process.pid for child in helpers):  # a worker, forked by the forkserver
            break
        time.sleep(0.1)
    assert any(child.ppid() != process.pid for child in helpers), "no worker process started"
    time.sleep(8)  # the worker has loaded, analysed its chunk and waits for the next one
    assert process.poll() is None, "the ingest finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    _, alive = psutil.wait_procs(helpers, timeout=20)
    for leftover in alive:
        leftover.kill()
    assert not alive, [p.cmdline()[:4] for p in alive]


def test_store_a_failed_edit_never_undoes_a_concurrent_one(seed_store_copy, seed_export, monkeypatch):
    """Forced interleaving: another analyst's date is committed just before this edit takes the lock,
    and this edit then fails. The other analyst's date must survive."""
    from conftest import seed_id

    from core.analysis import edit_entities, load_articles, set_user_date
    from core.store import Store

    first, second = seed_id(seed_export, "002"), seed_id(seed_export, "003")
    real_writer = Store.writer
    calls = []

    def writer_after_another_edit(self):
        calls.append(1)
        if len(calls) == 1:  # the failing edit's own lock: the other edit commits first
            set_user_date(Store(self.path), first, "2024-06")
        return real_writer(self)

    monkeypatch.setattr(Store, "writer", writer_after_another_edit)
    with pytest.raises(ValueError, match="no entity named 'Nobody'"):
        edit_entities(seed_store_copy, merge=("Nobody", "Kremlin"))
    monkeypatch.setattr(Store, "writer", real_writer)
    assert seed_store_copy.edits()["dates"] == {first: "2024-06"}
    set_user_date(seed_store_copy, second, "2023-10")
    dates = load_articles(seed_store_copy).set_index("id")["date"]
    assert (dates[first], dates[second]) == ("2024-06", "2023-10")


def test_store_a_reader_two_commits_behind_still_reads_its_results(seed_store_copy):
    from core.analysis import edit_entities

    old = seed_store_copy.manifest()
    edit_entities(seed_store_copy, merge=("Moscou", "Kremlin"))  # two commits after the reader opened
    edit_entities(seed_store_copy, split="Moscou")               # the store, each rebuilding entities
    assert seed_store_copy.manifest()["version"] == old["version"] + 2
    entities = seed_store_copy.read_derived("entities", manifest=old)
    assert len(entities) > 0


def test_store_a_reader_whose_file_was_removed_reads_the_current_commit(seed_store_copy, monkeypatch):
    """Past the grace period the superseded files go; a reader that read the old manifest
    just before retries on the current one."""
    import core.store
    from core.analysis import edit_entities

    old = seed_store_copy.manifest()
    stale = seed_store_copy.path / old["derived"]["entities"]
    edit_entities(seed_store_copy, merge=("Moscou", "Kremlin"))
    edit_entities(seed_store_copy, split="Moscou")
    assert stale.exists()  # superseded two commits ago, within the grace period
    monkeypatch.setattr(core.store, "SUPERSEDED_GRACE_SECONDS", 0)  # long superseded
    edit_entities(seed_store_copy, undo_split="Moscou")
    assert not stale.exists()
    real_manifest = type(seed_store_copy).manifest
    served = []

    def first_the_old_manifest(self):
        served.append(1)
        return old if len(served) == 1 else real_manifest(self)

    type(seed_store_copy).manifest = first_the_old_manifest
    try:
        entities = seed_store_copy.read_derived("entities")
    finally:
        type(seed_store_copy).manifest = real_manifest
    assert "Moscou" not in set(entities["name"]) and len(served) >= 2


def test_store_grace_counts_from_when_a_file_stopped_being_named(seed_store_copy):
    """A result written long ago and superseded by the last commit stays for the grace period, even
    through further commits that do not touch it."""
    import os

    from core.analysis import edit_entities, set_user_date

    old = seed_store_copy.manifest()
    stale = seed_store_copy.path / old["derived"]["entities"]
    os.utime(stale, (0, 0))  # written long ago
    edit_entities(seed_store_copy, merge=("Moscou", "Kremlin"))  # supersedes it now
    articles = seed_store_copy.read("articles", columns=["id"])["id"].tolist()
    set_user_date(seed_store_copy, articles[0], "2024-01")  # a commit that touches no result
    assert stale.exists() and seed_store_copy.read_derived("entities", manifest=old) is not None


def test_store_manifest_read_again_after_a_commit_by_another_store_object(tmp_path):
    # the parsed manifest is kept between reads; a commit made through another object (another
    # process, in the dashboard's case) is seen at the next read
    reader, writer_side = Store(tmp_path / "s"), Store(tmp_path / "s")
    assert reader.version() == 0
    for expected in (1, 2, 3):
        with writer_side.writer() as writer:
            writer.append("articles", [{"id": f"a{expected}"}])
        assert reader.version() == expected
        assert len(reader.manifest()["tables"]["articles"]) == expected
