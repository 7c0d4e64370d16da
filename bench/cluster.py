"""The cluster ingest against the local one, on the same generated corpus, in one run.

Both as an analyst runs them, from the command line in a fresh process: ``python -m core ingest
--workers 2`` and ``python -m core ingest --cluster local:2`` (a 2-process LocalCluster), interleaved,
wall time and peak memory of the whole process tree. Then one cluster ingest in this process, for the
driver's own figures: how long it spent planning, deciding and rebuilding, and its CPU time (the
driver's process also runs the scheduler of a LocalCluster).

Usage: ``python -m bench.cluster [--n 1000] [--repeats 1] [--append-results]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import tempfile
import time
from pathlib import Path

from bench import HISTORY
from bench.run import PY, corpus, du, machine_description, median, timed_subprocess


def command_line_runs(source: Path, work: Path, repeats: int) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {"local, --workers 2": [], "cluster, --cluster local:2": []}
    for repeat in range(repeats):
        order = list(runs) if repeat % 2 == 0 else list(reversed(runs))
        for name in order:
            store = work / f"store-{len(runs[name])}-{'cluster' if 'cluster' in name else 'local'}"
            shutil.rmtree(store, ignore_errors=True)
            how = ["--cluster", "local:2"] if "cluster" in name else ["--workers", "2"]
            result = timed_subprocess([PY, "-m", "core", "ingest", str(source), "--store", str(store), *how, "--quiet"])
            result["store_bytes"] = du(store)
            runs[name].append(result)
            print(f"{name}: {result['wall']:.1f} s, tree peak {result['peak_tree_rss'] / 1e6:.0f} MB", flush=True)
    return runs


def driver_run(source: Path, work: Path) -> dict:
    from core import cluster
    from core.store import Store

    store = Store(work / "store-driver")
    shutil.rmtree(store.path, ignore_errors=True)
    started = time.perf_counter()
    with cluster.connect("local:2") as client:
        connected = time.perf_counter() - started
        before = resource.getrusage(resource.RUSAGE_SELF)
        report = cluster.ingest([str(source)], store, client)
        after = resource.getrusage(resource.RUSAGE_SELF)
        workers = sorted(client.run(_peak_rss).values())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"connect": connected, "timings": report.timings, "driver_cpu": cpu, "articles": report.added,
            "workers_rss": workers, "driver_rss": after.ru_maxrss * 1024}


def _peak_rss() -> int:
    """This process's peak resident memory in bytes (run on each worker)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _walls(runs: list[dict]) -> str:
    return ", ".join(f"{run['wall']:.1f}" for run in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "press-bench"))
    parser.add_argument("--append-results", action="store_true")
    arguments = parser.parse_args(argv)
    work = Path(arguments.work)
    work.mkdir(parents=True, exist_ok=True)
    source, stats = corpus(work, arguments.n)
    runs = command_line_runs(source, work / "cluster-bench", arguments.repeats)
    driver = driver_run(source, work / "cluster-bench")
    local, remote = runs["local, --workers 2"], runs["cluster, --cluster local:2"]
    local_wall, remote_wall = median([r["wall"] for r in local]), median([r["wall"] for r in remote])
    timings = driver["timings"]
    rows = [
        ("corpus", f"{arguments.n:,} generated articles ({stats.get('words', 0):,} words), {source.name}"),
        ("local ingest, --workers 2 (CLI, wall)", f"{local_wall:.1f} s (runs: {_walls(local)})"),
        ("cluster ingest, --cluster local:2 (CLI, wall)", f"{remote_wall:.1f} s (runs: {_walls(remote)})"),
        ("cluster speed / local speed", f"{local_wall / remote_wall:.2f} (goal >= 0.9)"),
        ("peak RSS of the process tree, local / cluster",
         f"{median([r['peak_tree_rss'] for r in local]) / 1e6:.0f} MB / {median([r['peak_tree_rss'] for r in remote]) / 1e6:.0f} MB"),
        ("store size, local / cluster",
         f"{median([r['store_bytes'] for r in local]) / 1e6:.1f} MB / {median([r['store_bytes'] for r in remote]) / 1e6:.1f} MB"),
        ("driver: starting the LocalCluster", f"{driver['connect']:.1f} s"),
        ("driver: plan (listing files, counting table lines)", f"{timings['plan']:.2f} s"),
        ("driver: deciding (duplicates, versions), overlapped with the workers", f"{timings.get('decide', 0):.3f} s"),
        ("driver: waiting on the workers (reading, NLP, writing parts)", f"{timings['workers']:.1f} s"),
        ("driver: corpus-level rebuild and commit", f"{timings['rebuild and commit']:.1f} s"),
        ("driver's share of the ingest (plan + decide + rebuild, of its total)",
         f"{(timings['plan'] + timings.get('decide', 0) + timings['rebuild and commit']) / timings['total']:.0%} of {timings['total']:.1f} s"),
        ("driver process CPU (with the LocalCluster's scheduler)", f"{driver['driver_cpu']:.1f} s"),
        ("peak RSS of the driver process (with the scheduler)", f"{driver['driver_rss'] / 1e6:.0f} MB"),
        ("peak RSS of each worker process", " / ".join(f"{rss / 1e6:.0f} MB" for rss in driver["workers_rss"])),
    ]
    width = max(len(name) for name, _ in rows)
    table = "\n".join([f"| {'Measure'.ljust(width)} | Value |", f"|{'-' * (width + 2)}|-------|"]
                      + [f"| {name.ljust(width)} | {value} |" for name, value in rows])
    print(table)
    if arguments.append_results:
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        with open(HISTORY, "a", encoding="utf-8") as handle:
            handle.write(f"\n## `python -m bench.cluster --n {arguments.n} --repeats {arguments.repeats}`, {stamp}\n\n"
                         f"{machine_description()}\n\n{table}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
