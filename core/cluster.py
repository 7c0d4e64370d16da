"""The ingest on a Dask cluster: ``python -m core ingest PATH... --store DIR --cluster ADDRESS``.

The same ingest as :func:`core.ingest.ingest`, the same store at the end, with the per-article work
on the cluster's workers and only the decisions and the commit here, on the driver:

1. The driver lists the files and cuts the work into tasks of up to ``CHUNK`` documents or
   ``TASK_BYTES``: several small files, or a piece of a large CSV or JSONL file, read from its own
   byte offset (:func:`plan`, :func:`core.readers.row_starts`).
2. A worker reads, cleans and dates its task's documents and keeps them (a Dask future); the driver
   receives only their keys (source, content hash, id, status).
3. The driver decides, in document order, what becomes of each (already present, an exact duplicate,
   a new version of a file, new) with the very code of the local ingest
   (:class:`core.ingest.Decisions`), which is why the two stores are equal.
4. The worker that holds the documents analyses the ones to keep (spaCy, sanctions, quotes,
   signatures), writes their Parquet parts and search index into the store's ``parts/`` folder, and
   returns the parts' names.
5. The driver names the parts in the manifest in task order, rebuilds the corpus-level results and
   commits, as the local ingest does: one atomic manifest write, under the store's lock.

A worker lost mid-run costs its tasks only: Dask runs them again elsewhere from their inputs (the
task's files), and the parts a lost task had written are named by no manifest and deleted by the
commit. A killed driver commits nothing: the previous manifest names a complete store.

The corpus-level rebuild (entity resolution, wire groups, topics, sanctions hits) stays on the driver,
as in a local ingest: it works on the whole corpus at once, and is not partitioned. It costs
a few milliseconds and about 100 KB of memory per article, which bounds the corpus one driver can finish
(figures and a cost model in ``bench/RESULTS.md``).

The store's folder must be the same path on the driver and on every worker (one machine, or a shared
filesystem mounted at the same place). Object stores are not supported: the store's commit relies on a
lock file and an atomic rename, which S3 and its peers do not offer.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core import readers
from core.ingest import BATCH_SIZE, Decisions, IngestReport, Progress, Batch, exact_duplicate, utc_now, prepared
from core.records import Article, RawDocument, Rejection
from core.store import Store, StoreWriter

CHUNK = 2048
"""Documents per task at most: a task's fixed costs (scheduling, a part per table, a search index file)
are small beside its NLP (about 0.1 s per article), and a large corpus makes few enough files (about
5,000 tasks for 10 million articles)."""
TASK_BYTES = 64 * 1024 * 1024
"""Bytes of input per task at most (a task of long articles holds fewer), so that what a worker holds
stays bounded by bytes as well as by documents."""
MIN_CHUNK = 8
TASKS_PER_THREAD = 16
"""A small corpus is cut finer than ``CHUNK``: tasks enough that no worker idles long at the end."""
IN_FLIGHT_PER_THREAD = 3
"""Tasks read and not yet written, per worker thread: bounds what the workers hold in memory."""

WORKER_WAIT_SECONDS = 60
ADDRESS = re.compile(r"^(?:local:(?P<local>\d+)|(?P<url>(?:tcp|tls)://\S+:\d+))$")


class ClusterError(RuntimeError):
    """A cluster that cannot be reached or started; the message says why."""


def address_problem(address: str) -> str | None:
    """What is wrong with a ``--cluster`` value, or None."""
    match = ADDRESS.match(address)
    if not match:
        return (f"--cluster {address!r}: expected tcp://HOST:PORT (a running dask scheduler) "
                "or local:N (N worker processes on this machine)")
    if match["local"] is not None and int(match["local"]) < 1:
        return "--cluster local:N needs at least 1 worker"
    return None


@contextlib.contextmanager
def connect(address: str) -> Iterator:
    """A Dask client of the scheduler at ``tcp://HOST:PORT``, or of a ``LocalCluster`` of N worker
    processes (one thread each) for ``local:N``, closed (and the local cluster stopped) on exit."""
    import dask
    from distributed import Client, LocalCluster

    problem = address_problem(address)
    if problem:
        raise ClusterError(problem)
    local = ADDRESS.match(address)["local"]
    if local is not None:
        with dask.config.set(_local_worker_config()), \
                LocalCluster(n_workers=int(local), threads_per_worker=1, processes=True, dashboard_address=None,
                             silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(address, timeout="10s")
    except OSError as error:
        raise ClusterError(f"cannot reach the dask scheduler at {address}: {error}") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except TimeoutError:
            raise ClusterError(f"the dask scheduler at {address} has no worker (none joined within "
                               f"{WORKER_WAIT_SECONDS} s): start some with python -m distributed.cli.dask_worker "
                               f"{address}") from None
        yield client


def _local_worker_config() -> dict:
    """How this machine's worker processes start, measured on 2 cores (200 articles, 2 workers):

    - forked from the server that has the pipeline loaded (``core.processes.start_worker_server``, as the local
      ingest's workers are) rather than spawned, so no worker spends seconds loading its own copy;
    - without Dask's ``MALLOC_TRIM_THRESHOLD_=65536``, which made the allocator hand memory back to the
      system after every batch: 8.4 s of system time against 3.8 s, 29-30 s of wall time against 26-27 s;
    - without Dask's profiler, which samples every worker's stack every 10 ms for its dashboard (none
      here): 25.9-26.6 s against 26.4-28.5 s.
    """
    import dask
    import distributed  # noqa: F401 - loads Dask's distributed defaults, which are changed here

    from core.processes import start_worker_server

    environment = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
    environment.pop("MALLOC_TRIM_THRESHOLD_", None)
    settings = {"distributed.nanny.pre-spawn-environ": environment, "distributed.worker.profile.enabled": False}
    if start_worker_server():
        settings["distributed.worker.multiprocessing-method"] = "forkserver"
    return settings


def check_workers(client) -> None:
    """Refuse workers whose analysis would differ from this process's: another model, another version of
    this project's analysis code or another sanctions lexicon (a worker installed from other files)."""
    from core.nlp import pipeline_version

    mine = pipeline_version()
    other = {worker: version for worker, version in client.run(_pipeline_version).items() if version != mine}
    if other:
        worker, version = next(iter(other.items()))
        raise ClusterError(f"{len(other)} worker(s) would analyse with {version}, this ingest with {mine} (first: "
                           f"{worker}): install the same project files and requirements on every machine")


def _pipeline_version() -> str:
    from core.nlp import pipeline_version

    return pipeline_version()


@dataclass(frozen=True)
class Piece:
    """One file, or the rows of a large table from ``start`` up to row ``stop`` (excluded; None: to the
    end). A piece of a table carries the file's size and time of change when it was planned: a file
    that changed since is not read in pieces that no longer fit together."""

    path: str
    source: str
    start: readers.RowStart | None = None
    stop: int | None = None
    stamp: tuple[int, int] | None = None

    @property
    def rows(self) -> str:
        return f"{self.start.row}-{self.stop - 1 if self.stop else ''}" if self.start else ""

    def documents(self) -> Iterator[RawDocument | Rejection]:
        path = Path(self.path)
        if self.stamp is not None:
            try:
                changed = _stamp(path) != self.stamp
            except OSError:
                changed = False  # the reader says why it cannot be read
            if changed:
                return iter([Rejection(f"{self.source}#{self.rows}", f"rows {self.rows} not read: the file changed "
                                                                     "while it was being ingested; ingest it again")])
        return readers.read_path(path, self.source, self.start, self.stop)


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def plan(paths: Iterable[str], chunk: int | None = None, threads: int = 1) -> tuple[int, list[list[Piece]]]:
    """The files under ``paths`` and the tasks that read them, in the local ingest's order: small files
    gathered up to ``chunk`` documents or ``TASK_BYTES`` to a task; a CSV or JSONL file of more than
    ``chunk`` lines cut into pieces of ``chunk`` rows or ``TASK_BYTES`` (one reading of the file finds
    where, :func:`core.readers.row_starts`). Without ``chunk``, ``CHUNK`` or less, so that each of the
    cluster's ``threads`` gets about ``TASKS_PER_THREAD`` tasks. Paths are made absolute (not resolved:
    the workers see the same mounts). Raises :class:`~core.readers.InputError` for a path that does not
    exist."""
    files = []
    for path, source in readers.iter_files(paths):
        path = Path(os.path.abspath(path))
        table = path.suffix.lower() in readers.TABLE_SUFFIXES
        files.append((path, source, _lines(path) if table else 1, _size(path)))
    if chunk is None:
        documents = sum(lines for _, _, lines, _ in files)
        chunk = max(MIN_CHUNK, min(CHUNK, -(-documents // (TASKS_PER_THREAD * threads))))
    tasks: list[list[Piece]] = []
    current: list[Piece] = []
    count = size = 0
    for path, source, lines, nbytes in files:
        starts = readers.row_starts(path, chunk, TASK_BYTES) if lines > chunk or nbytes > TASK_BYTES else [readers.FIRST_ROW]
        if len(starts) > 1:
            if current:
                tasks.append(current)
                current, count, size = [], 0, 0
            stamp = _stamp(path)
            stops = [start.row for start in starts[1:]] + [None]
            tasks += [[Piece(str(path), source, start, stop, stamp)] for start, stop in zip(starts, stops)]
            continue
        current.append(Piece(str(path), source))
        count, size = count + lines, size + nbytes
        if count >= chunk or size >= TASK_BYTES:
            tasks.append(current)
            current, count, size = [], 0, 0
    if current:
        tasks.append(current)
    return len(files), tasks


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _lines(path: Path) -> int:
    """The lines of a file (a last line without a newline counts), read at disk speed; 1 when unreadable
    (the reader says why)."""
    count, last = 0, b"\n"
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 24):
                count += block.count(b"\n")
                last = block[-1:]
    except OSError:
        return 1
    return max(1, count + (last != b"\n"))


# On the workers ----------------------------------------------------------------------------------

_ANALYSIS = threading.Lock()  # a worker started with several threads runs one analysis at a time


def read_task(pieces: list[Piece], ingested_at: str) -> list[Article | Rejection]:
    """Read, clean and date a task's documents (kept on the worker until written)."""
    return [prepared(item, ingested_at) for piece in pieces for item in piece.documents()]


def keys_of(items: list[Article | Rejection]) -> list[tuple]:
    """What the driver needs to decide: ``("rejected", source, reason)`` or ``("article", source,
    content hash, id, status, status reason)`` per document."""
    return [("rejected", item.source, item.reason) if isinstance(item, Rejection)
            else ("article", item.source, item.content_hash, item.id, item.status, item.status_reason) for item in items]


def text_at(items: list[Article | Rejection], position: int) -> str:
    return items[position].text


def write_task(items: list[Article | Rejection], verdicts: list[tuple[int, str]], store_path: str, version: int,
               pipeline: str) -> dict:
    """Analyse and store the documents the driver kept (``(position, verdict)``: "" to store as read, an
    original's id to store as its exact duplicate) as parts of write ``version``; returns their names
    and counts. Refuses to when this worker's ``pipeline_version`` is not the driver's (a worker that
    joined after :func:`check_workers`)."""
    from core.nlp import Analyser, pipeline_version

    if pipeline_version() != pipeline:
        raise ClusterError(f"a worker would analyse with {pipeline_version()}, this ingest with {pipeline}: "
                           "install the same project files and requirements on every machine")

    articles = [exact_duplicate(items[position], verdict) if verdict else items[position] for position, verdict in verdicts]
    if not articles:  # every document already stored, or rejected: no model to load
        return {"parts": {"tables": {}, "search": []}, "analysed": 0, "unanalysed": 0}
    writer = StoreWriter.for_parts(Store(store_path), version)
    report = IngestReport()
    with _ANALYSIS, Analyser(0) as analyser:
        for start in range(0, len(articles), BATCH_SIZE):
            Batch(articles[start:start + BATCH_SIZE], analyser).write(writer, report)
    return {"parts": writer.finish_parts(), "analysed": report.analysed, "unanalysed": report.unanalysed}


# On the driver -----------------------------------------------------------------------------------

def ingest(paths: Iterable[str], store: Store, client, progress: Progress | None = None, rebuild: bool = False,
           chunk: int | None = None) -> IngestReport:
    """Ingest files and folders into ``store`` on the cluster of ``client`` (see the module's notes);
    the report and the store are those of :func:`core.ingest.ingest` on the same files."""
    from distributed import as_completed

    from core.nlp import pipeline_version

    started = time.perf_counter()
    check_workers(client)
    pipeline = pipeline_version()
    threads = max(1, sum(client.nthreads().values()))
    total, tasks = plan(paths, chunk, threads)
    report = IngestReport()
    report.timings["plan"] = time.perf_counter() - started
    ingested_at = utc_now()
    files_done = _files_finished(tasks)
    window = IN_FLIGHT_PER_THREAD * threads
    with store.writer() as writer:
        decisions = Decisions(writer, report, ingested_at)
        store_path, version = os.path.abspath(writer.store.path), writer.manifest["version"]
        read: dict[int, object] = {}  # task: the future of its prepared documents, until written
        keys: dict[int, list[tuple]] = {}  # task: its documents' keys, until decided
        written: dict[int, dict] = {}
        role: dict[str, tuple[str, int, object]] = {}  # a future's key: (what it is, its task, the future)
        pending = as_completed()
        submitted = decided = documents = 0

        def submit_reads() -> None:
            nonlocal submitted
            while submitted < len(tasks) and submitted - len(written) < window:
                future = client.submit(read_task, tasks[submitted], ingested_at, pure=False)
                summary = client.submit(keys_of, future, pure=False)
                read[submitted] = future
                role[summary.key] = ("keys", submitted, summary)
                pending.add(summary)
                submitted += 1

        try:
            submit_reads()
            if progress and tasks:
                progress(0, total, tasks[0][0].source, 0)
            for future in pending:
                kind, task, _ = role.pop(future.key)
                if kind == "written":
                    written[task] = future.result()
                    read.pop(task, None)  # the worker may let the documents go
                    submit_reads()
                    continue
                keys[task] = future.result()
                while decided in keys:  # decide in document order, as the local ingest does
                    task_keys = keys.pop(decided)
                    deciding = time.perf_counter()
                    verdicts = _decide(decisions, task_keys, read[decided], client)
                    report.timings["decide"] = report.timings.get("decide", 0.0) + time.perf_counter() - deciding
                    write = client.submit(write_task, read[decided], verdicts, store_path, version, pipeline, pure=False)
                    role[write.key] = ("written", decided, write)
                    pending.add(write)
                    documents += len(task_keys)
                    if progress:
                        progress(files_done[decided], total, tasks[decided][-1].source, documents)
                    decided += 1
        except BaseException:
            # what is still queued stops; what is running finishes on its worker, and its parts, like
            # those written so far, are named by no manifest: deleted now, or by the next commit
            client.cancel([*read.values(), *(future for _, _, future in role.values())], force=True)
            for result in written.values():
                writer.adopt(result["parts"])
            raise
        for task in range(len(tasks)):
            writer.adopt(written[task]["parts"])
            report.analysed += written[task]["analysed"]
            report.unanalysed += written[task]["unanalysed"]
        if progress and tasks:
            progress(total, total, "analysing the corpus", documents)
        report.timings["workers"] = time.perf_counter() - started - report.timings["plan"]
        finishing = time.perf_counter()
        decisions.finish(rebuild)
    report.timings["rebuild and commit"] = time.perf_counter() - finishing
    report.timings["total"] = time.perf_counter() - started
    return report


def _decide(decisions: Decisions, keys: list[tuple], items, client) -> list[tuple[int, str]]:
    verdicts = []
    for position, key in enumerate(keys):
        if key[0] == "rejected":
            decisions.reject(Rejection(key[1], key[2]))
            continue
        _, source, content_hash, article_id, status, status_reason = key
        verdict = decisions.decide(source, content_hash, article_id, status, status_reason,
                                   lambda: client.submit(text_at, items, position, pure=False).result())
        if verdict is not None:
            verdicts.append((position, verdict))
    return verdicts


def _files_finished(tasks: list[list[Piece]]) -> list[int]:
    """For each task, how many files are wholly read once it and those before it are."""
    finished, done = [], 0
    for pieces in tasks:
        done += sum(1 for piece in pieces if piece.stop is None)  # a file, or the last piece of one
        finished.append(done)
    return finished
