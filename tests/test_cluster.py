"""The ingest on a real Dask cluster (a LocalCluster of 2 processes, and a scheduler and a worker
started as the README tells): the same store as the local ingest of the same files."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS
from core import cluster
from core.analysis import export_corpus
from core.ingest import ingest
from core.readers import FIRST_ROW, iter_files
from core.store import Store

CHUNK = 8  # small tasks, so that the files below make many, and tables are cut into ranges


def _generated(n: int) -> list:
    from bench.generate import generate

    articles = list(generate(n, seed=7))
    for article in articles:
        del article.paragraphs[3:]  # short texts: the NLP is not what is tested
    return articles


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Seeds, generated articles as files, a JSONL and a CSV of more than CHUNK rows (with a blank line,
    a broken line, a copy of a seed, a row without text and a text over several lines), an empty file."""
    root = tmp_path_factory.mktemp("cluster-corpus") / "corpus"
    shutil.copytree(SEEDS, root / "seeds")
    generated = _generated(36)
    (root / "files").mkdir()
    for article in generated[:10]:
        (root / "files" / f"{article.name}.txt").write_text(article.txt(), encoding="utf-8")
    (root / "files" / "vide.txt").write_bytes(b"")
    rows = [json.dumps(a.json_row(), ensure_ascii=False) for a in generated[10:28]]
    rows[3:3] = ["", "{pas du JSON"]
    rows.append(json.dumps({"text": sorted(SEEDS.iterdir())[1].read_text(encoding="utf-8")}))
    (root / "fil.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with open(root / "table.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "date", "text"])
        for article in generated[28:]:
            writer.writerow([article.title, article.date or "", article.body()])  # paragraphs: quoted newlines
        writer.writerow(["Sans texte", "2024-06-19", ""])
    return root


@pytest.fixture(scope="module")
def client():
    with cluster.connect("local:2") as client:
        yield client


@pytest.fixture(scope="module")
def local_store(corpus, tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("cluster-local") / "store")
    report = ingest([str(corpus)], store)
    return store, report


def test_the_plan_cuts_large_tables_into_row_ranges_and_gathers_small_files(corpus):
    total, tasks = cluster.plan([str(corpus)], chunk=CHUNK)
    assert total == 18  # 5 seeds, 10 generated files, an empty one, the JSONL, the CSV, and no other
    pieces = [piece for task in tasks for piece in task]
    jsonl = [p for p in pieces if p.path.endswith("fil.jsonl")]
    assert [(p.start.row, p.stop) for p in jsonl] == [(1, 9), (9, 17), (17, None)]  # 21 lines
    assert all(len(task) == 1 for task in tasks if task[0].start is not None)  # a piece is a task of its own
    assert max(len(task) for task in tasks) == CHUNK
    assert [p.source for p in pieces if p.start in (None, FIRST_ROW)] == [source for _, source in iter_files([str(corpus)])]
    assert all(Path(p.path).is_absolute() for p in pieces)


def test_without_a_size_tasks_are_cut_for_the_cluster_and_capped(tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"text": "Un."}\n' * 100_000, encoding="utf-8")

    def tasks(threads: int, lines: int | None = None) -> list:
        if lines:
            (tmp_path / "few.jsonl").write_text('{"text": "Un."}\n' * lines, encoding="utf-8")
        return cluster.plan([str(tmp_path / ("few.jsonl" if lines else "rows.jsonl"))], threads=threads)[1]

    assert len(tasks(1)) == -(-100_000 // cluster.CHUNK)  # a task holds CHUNK documents at most
    assert len(tasks(4, lines=2000)) == -(-2000 // 32)  # about 16 tasks per worker thread, so that none idles long at the end
    assert len(tasks(1000, lines=2000)) == 2000 // cluster.MIN_CHUNK


@pytest.fixture(scope="module")
def cluster_store(corpus, client, tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("cluster-built") / "store")
    seen = []
    report = cluster.ingest([str(corpus)], store, client, chunk=CHUNK, progress=lambda *p: seen.append(p))
    return store, report, seen


def test_a_cluster_ingest_makes_the_store_a_local_ingest_makes(corpus, client, local_store, cluster_store):
    expected_store, expected = local_store
    store, report, seen = cluster_store
    assert report.outcomes == expected.outcomes
    assert (report.analysed, report.unanalysed) == (expected.analysed, expected.unanalysed)
    # 5 seeds, 10 files, 18 + 1 JSONL rows, 8 CSV rows; the JSONL is read first, so the seed is the copy
    assert (report.added, report.duplicates) == (41, 1)
    assert {o.source.rsplit("/", 1)[-1] for o in report.rejected} == {"vide.txt", "fil.jsonl#5", "table.csv#9"}
    assert export_corpus(store) == export_corpus(expected_store)
    assert seen[-1][0] == seen[-1][1] == 18 and seen[-1][3] == sum(1 for _ in report.outcomes)
    # more parts than a local ingest (one set per task), the same rows
    assert len(store.manifest()["tables"]["articles"]) > len(expected_store.manifest()["tables"]["articles"])
    assert len(store.manifest()["search"]) > 1



def test_ingesting_the_same_files_again_adds_nothing(corpus, client, cluster_store, tmp_path):
    built, report, _ = cluster_store
    store = Store(tmp_path / "store")
    shutil.copytree(built.path, store.path)
    version = store.version()
    again = cluster.ingest([str(corpus)], store, client, chunk=CHUNK)
    assert (again.already_present, again.added, again.duplicates) == (report.added + report.duplicates, 0, 0)
    assert store.manifest()["tables"]["articles"] == built.manifest()["tables"]["articles"]
    assert store.version() == version + 1


def test_the_dashboard_opens_a_store_built_on_a_cluster(cluster_store, local_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    shown = {}
    for way, store in (("cluster", cluster_store[0]), ("local", local_store[0])):
        monkeypatch.setenv("PRESS_STORE", str(store.path))
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
        assert not at.exception
        shown[way] = [(m.label, m.value) for m in at.metric]
        at.switch_page("app_pages/entities.py").run()
        assert not at.exception
        shown[way].append(at.dataframe[0].value.to_csv())
    assert shown["cluster"] == shown["local"]
    assert ("Articles shown", "39") in shown["cluster"]  # 41 articles, two of them wire copies folded


def test_a_changed_file_and_a_copy_are_decided_as_locally(corpus, client, tmp_path):
    """A new version of a file (its text fetched from the worker that read it) and a new copy of an
    article: the same outcomes and store as the local ingest."""
    stores = {}
    for way in ("local", "cluster"):
        folder = tmp_path / way / "corpus"  # the same name: sources are named after it
        shutil.copytree(corpus / "seeds", folder / "seeds")
        store = Store(tmp_path / f"{way}-store")
        first = sorted((folder / "seeds").iterdir())[0]
        ingest([str(folder)], store) if way == "local" else cluster.ingest([str(folder)], store, client, chunk=2)
        first.write_text(first.read_text(encoding="utf-8") + "\n\nUne dernière phrase ajoutée à la mise à jour.\n",
                         encoding="utf-8")
        shutil.copy(sorted((folder / "seeds").iterdir())[2], folder / "seeds" / "zz-copie.txt")
        report = (ingest([str(folder)], store) if way == "local"
                  else cluster.ingest([str(folder)], store, client, chunk=2))
        stores[way] = (store, report)
    (local, local_report), (remote, remote_report) = stores["local"], stores["cluster"]
    assert remote_report.outcomes == local_report.outcomes
    assert (remote_report.updated, remote_report.duplicates) == (1, 1)
    assert export_corpus(remote) == export_corpus(local)


def test_a_worker_killed_mid_run_costs_only_its_tasks(corpus, client, local_store, tmp_path):
    expected_store, expected = local_store
    pids = client.run(os.getpid)
    killed = []

    def progress(files, total, source, documents):
        if not documents or killed:
            return
        deadline = time.time() + 30
        while time.time() < deadline:  # the first analysis has been submitted: kill the worker running it
            busy = [worker for worker, keys in client.processing().items() if any("write_task" in str(k) for k in keys)]
            if busy:
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(busy[0])
                return
            time.sleep(0.05)

    store = Store(tmp_path / "store")
    report = cluster.ingest([str(corpus)], store, client, chunk=CHUNK, progress=progress)
    assert killed
    assert report.outcomes == expected.outcomes
    assert export_corpus(store) == export_corpus(expected_store)
    named = {p for parts in store.manifest()["tables"].values() for p in parts} | set(store.manifest()["search"])
    assert {f"parts/{p.name}" for p in (store.path / "parts").iterdir()} == named  # what a lost task wrote is gone
    client.wait_for_workers(2, timeout=60)  # the nanny started another


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _core(*arguments, timeout=300):
    return subprocess.run([sys.executable, "-m", "core", *arguments], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


@contextlib.contextmanager
def _scheduler_and_worker(tmp_path, project=ROOT):
    """A dask scheduler and one worker process on loopback, started as the README says, the worker from
    ``project`` (a folder holding ``core/``); both stopped on exit, and with this test run if it is killed."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    environment = {**os.environ, "PYTHONPATH": str(project)}
    helper = [sys.executable, str(ROOT / "tests" / "cluster_process.py"), str(os.getpid())]
    started = [subprocess.Popen([*helper, "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port),
                                 "--no-dashboard"], cwd=tmp_path, env=environment,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        time.sleep(1)
        started.append(subprocess.Popen(
            [*helper, "distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
            cwd=project, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_the_command_line_on_a_scheduler_and_a_worker_started_as_the_readme_says(seed_export, tmp_path):
    with _scheduler_and_worker(tmp_path) as address:
        store = tmp_path / "store"
        result = _core("ingest", str(SEEDS), "--store", f"file://{store}", "--cluster", address, "--quiet")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("added: 5 (5 analysed")
    exported = _core("export", "--store", str(store))
    assert json.loads(exported.stdout) == seed_export


def test_a_worker_installed_from_other_files_is_refused(tmp_path):
    """A worker whose sanctions lexicon differs would store other analyses under this store's version."""
    other = tmp_path / "other-project"
    shutil.copytree(ROOT / "core", other / "core", ignore=shutil.ignore_patterns("__pycache__"))
    lexicon = other / "core" / "data" / "sanctions_lexicon.json"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with _scheduler_and_worker(tmp_path, other) as address:
        result = _core("ingest", str(SEEDS), "--store", str(tmp_path / "store"), "--cluster", address, timeout=120)
    assert result.returncode == 2
    assert "1 worker(s) would analyse with" in result.stderr and "install the same project files" in result.stderr
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize(("arguments", "message"), [
    (["--store", "{store}", "--cluster", "scheduler:8786"], "expected tcp://HOST:PORT"),
    (["--store", "{store}", "--cluster", "local:0"], "at least 1 worker"),
    (["--store", "{store}", "--cluster", "local:2", "--workers", "2"], "choose one"),
    (["--store", "s3://bucket/store", "--cluster", "local:1"], "s3:// is not supported"),
    (["--store", "file://relative/store", "--cluster", "local:1"], "names a folder by its absolute path"),
])
def test_unusable_cluster_arguments_exit_2_with_a_reason(arguments, message, tmp_path):
    result = _core("ingest", str(SEEDS), *[a.format(store=tmp_path / "store") for a in arguments], timeout=60)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "store").exists()


def test_a_scheduler_that_does_not_answer_is_an_error_not_a_hang(tmp_path):
    result = _core("ingest", str(SEEDS), "--store", str(tmp_path / "store"), "--cluster",
                   f"tcp://127.0.0.1:{_free_port()}", timeout=120)
    assert result.returncode == 2
    assert "cannot reach the dask scheduler" in result.stderr
    assert not (tmp_path / "store" / "manifest.json").exists()
