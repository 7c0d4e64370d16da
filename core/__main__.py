"""Command line: ``python -m core ingest PATH ... --store DIR [--workers N | --cluster ADDRESS]`` (the
cluster ingest is ``core.cluster``), ``python -m core export --store DIR`` and
``python -m core watchlist add FILE | list | remove NAME --store DIR``.

Exit status: 0 when the run completed (even with rejected files), 2 with a
one-line message for unusable arguments, 3 when the store is busy or broken.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported in main(), after the NLP workers' server has started
    from core.store import Store



class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m core", description="Ingest press articles into a store and export it.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ingest = commands.add_parser("ingest", help="read, clean, date and analyse files and folders into a store")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (.txt .md .html .csv .jsonl)")
    ingest.add_argument("--store", required=True, metavar="DIR", help="the store folder (created if missing)")
    ingest.add_argument("--workers", type=int, default=None, metavar="N",
                        help="processes for the NLP step, beside the one that reads and stores (default 1)")
    ingest.add_argument("--cluster", metavar="ADDRESS",
                        help="run the reading and the NLP on a Dask cluster: tcp://HOST:PORT of a running "
                             "dask scheduler, or local:N for N worker processes on this machine; the store "
                             "must be at the same path on every worker")
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")
    ingest.add_argument("--rebuild", action="store_true",
                        help="rebuild the corpus-level results even if nothing new is added: applies an edited "
                             "core/data/entity_rules.json (and the lexicon's categories) to the whole store")
    export = commands.add_parser("export", help="write the store as one JSON object to standard output")
    export.add_argument("--store", required=True, metavar="DIR")
    screening = commands.add_parser("watchlist", help="screen the corpus's entities against lists of names")
    actions = screening.add_subparsers(dest="action", required=True, parser_class=_Parser)
    add = actions.add_parser("add", help="add a list (a CSV with a name column, OpenSanctions' targets.simple.csv "
                                         "or the UN consolidated list as CSV); a list of the same name is replaced")
    add.add_argument("file", metavar="FILE")
    add.add_argument("--store", required=True, metavar="DIR")
    add.add_argument("--name", metavar="NAME", help="the list's name (default: the file name without its suffix)")
    listing = actions.add_parser("list", help="the lists in the store and the entities they match")
    listing.add_argument("--store", required=True, metavar="DIR")
    remove = actions.add_parser("remove", help="take a list out of the store")
    remove.add_argument("name", metavar="NAME")
    remove.add_argument("--store", required=True, metavar="DIR")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "ingest":
        problem = _ingest_arguments_problem(arguments)
        if problem:
            print(f"python -m core: error: {problem}", file=sys.stderr)
            return 2
        local_workers = arguments.cluster is None or arguments.cluster.startswith("local:")
        if local_workers and all(os.path.exists(path) for path in arguments.paths):
            # (else the ingest reports the missing one; a remote cluster's workers load their own model)
            from core.processes import start_worker_server

            start_worker_server()  # the workers' model loads while pandas and the rest import
    from core.readers import InputError
    from core.store import Store, StoreBusy, StoreError

    store = Store(arguments.store)
    try:
        if arguments.command == "ingest":
            return _ingest(arguments, store)
        if arguments.command == "watchlist":
            return _watchlist(arguments, store)
        return _export(store)
    except InputError as error:
        print(f"python -m core: error: {error}", file=sys.stderr)
        return 2
    except StoreBusy as error:
        print(f"python -m core: {error}", file=sys.stderr)
        return 3
    except StoreError as error:
        print(f"python -m core: store error: {error}", file=sys.stderr)
        return 3


def _ingest_arguments_problem(arguments) -> str | None:
    """What makes an ingest's arguments unusable, found before anything starts."""
    if arguments.cluster is not None:
        from core.cluster import address_problem

        if arguments.workers is not None:
            return "--workers and --cluster: choose one (a cluster's workers are its processes)"
        problem = address_problem(arguments.cluster)
        if problem:
            return problem
    elif arguments.workers is not None and arguments.workers < 1:
        return "--workers must be at least 1"
    from core.store import url_problem

    if url_problem(arguments.store):
        return url_problem(arguments.store)
    if os.path.exists(arguments.store) and not os.path.isdir(arguments.store):
        return f"--store {arguments.store} is a file, not a folder"
    return None


def _ingest(arguments, store: Store) -> int:
    from tqdm import tqdm

    from core.ingest import ingest

    bar = None

    def progress(done: int, total: int, source: str, documents: int) -> None:
        nonlocal bar
        if arguments.quiet:
            return
        if bar is None:
            bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True)
        bar.n = done
        bar.set_postfix_str(f"{documents:,} documents · {source[-40:]}", refresh=True)

    if arguments.cluster is not None:
        from core import cluster

        try:
            with cluster.connect(arguments.cluster) as client:
                report = cluster.ingest(arguments.paths, store, client, progress=progress, rebuild=arguments.rebuild)
        except cluster.ClusterError as error:
            print(f"python -m core: error: {error}", file=sys.stderr)
            return 2
    else:
        report = ingest(arguments.paths, store, workers=arguments.workers or 1, progress=progress,
                        rebuild=arguments.rebuild)
    if bar is not None:
        bar.close()
    print(report.summary())
    return 0


def _export(store: Store) -> int:
    from core.analysis import export_corpus

    if not store.exists():
        print(f"python -m core: error: no store at {store.path} (run ingest first)", file=sys.stderr)
        return 2
    json.dump(export_corpus(store), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _watchlist(arguments, store: Store) -> int:
    from core import watchlist

    if not store.exists():
        print(f"python -m core: error: no store at {store.path} (run ingest first)", file=sys.stderr)
        return 2
    if arguments.action == "add":
        try:
            with open(arguments.file, "rb") as handle:
                data = handle.read(watchlist.MAX_WATCHLIST_BYTES + 1)
        except OSError as error:
            print(f"python -m core: error: cannot read {arguments.file}: {error.strerror or error}", file=sys.stderr)
            return 2
        report = watchlist.add_list(store, data, arguments.name or watchlist.list_name_of(arguments.file))
        print(report.summary())
        return 0
    if arguments.action == "remove":
        removed = watchlist.remove_list(store, arguments.name)
        if not removed:
            print(f"python -m core: error: no watchlist named {arguments.name!r} in {store.path}", file=sys.stderr)
            return 2
        print(f"watchlist {arguments.name!r} removed ({removed:,} entries)")
        return 0
    lists = watchlist.list_summary(store)
    if lists.empty:
        print("no watchlist in this store (add one with: python -m core watchlist add FILE --store DIR)")
        return 0
    matches = store.read_derived("watchlist_matches")
    for row in lists.itertuples(index=False):
        print(f"{row.list}: {row.entries:,} entries ({row.format}), {row.matches:,} matches "
              f"({row.confirmed} confirmed, {row.rejected} rejected), added {row.added}")
        for match in matches[matches["list"] == row.list].itertuples(index=False):
            listed = match.listed_name if match.matched == match.listed_name else f"{match.listed_name} (as {match.matched})"
            print(f"  {match.entity} = {listed} [{match.list_id or '-'}] score {match.score:.2f}, {match.status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
