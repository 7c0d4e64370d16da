"""The store: one folder of immutable Parquet parts named by an atomic manifest.

Layout (the one place it is documented)::

    STORE/
      manifest.json        which files make up the current store (replaced atomically)
      parts/               immutable Parquet files appended by ingests (by the ingest's own process, or by
                           the workers of a cluster ingest, ``core.cluster``, for the driver to commit)
        articles-*.parquet     one row per article (schema ARTICLES)
        rejected-*.parquet     one row per file or row that could not be read (REJECTED)
        analyses-*.parquet     per-article NLP output: content lemmas, pipeline version (ANALYSES)
        signatures-*.parquet   MinHash signature and shingle count of each article's text, for wire copies (SIGNATURES)
        sentences-*.parquet    sentence offsets of analysed articles (SENTENCES)
        mentions-*.parquet     raw spaCy entity mentions (MENTIONS)
        sanctions_terms-*.parquet  sanctions-lexicon matches (SANCTIONS_TERMS)
        quotes-*.parquet       direct and indirect quotes with the offsets of their speaker (QUOTES)
        search-*.sqlite        the search index of the articles one write added (SQLite FTS5, core.search;
                               listed under the manifest's "search", never changed once written)
        watchlist-*.parquet    the analyst's watchlists, one row per listed entry (WATCHLIST; replaced
                               whole when a list is added again or removed, never appended to)
      derived/             corpus-level results, rebuilt after every ingest or edit
        entities-N.parquet, mention_entities-N.parquet, entity_articles-N.parquet,
        entity_forms-N.parquet (the same counts by surface form),
        sentence_entities-N.parquet (which entities each sentence mentions),
        sanctions-N.parquet (one row per sentence), sanctions_by_category-N.parquet and
        sanctions_by_actor-N.parquet (the same hits in the long forms the dashboard reads),
        topics-N.parquet, doc_topics-N.parquet, top_terms-N.parquet,
        wire-N.parquet, tfidf-N.npz (the TF-IDF matrix: similar articles are computed from it),
        watchlist_matches-N.parquet (entities matched to listed entries, with the analyst's decisions)
      edits.json           the analyst's own changes: user dates, entity merges,
                           renames and splits, watchlist decisions (kept across re-ingestion)
      .lock                held by the one process writing

Why Parquet parts and a manifest rather than an embedded database: parts are
written once and never changed, so an ingest that dies half-way leaves only
unreferenced files behind and the previous manifest still names a complete,
readable store; readers (the dashboard) never take a lock; a column can be read
without the others (the article list without its texts), which is what keeps
the dashboard's memory small at 100,000 articles; and pyarrow is already a
dependency of Streamlit and pandas.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import functools
import json
import os
import re
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401 - pa.compute
import pyarrow.parquet as pq

FORMAT = 1
SUPERSEDED_GRACE_SECONDS = 600
"""How long a derived file stays on disk after a commit stopped naming it."""

ARTICLES = pa.schema([
    ("id", pa.string()), ("source", pa.string()), ("title", pa.string()),
    ("raw_text", pa.string()), ("text", pa.string()), ("lang", pa.string()),
    ("date", pa.string()), ("date_precision", pa.string()), ("date_source", pa.string()),
    ("date_note", pa.string()), ("words", pa.int64()), ("status", pa.string()),
    ("status_reason", pa.string()), ("duplicate_of", pa.string()), ("content_hash", pa.string()),
    ("encoding", pa.string()), ("url", pa.string()), ("outlet", pa.string()),
    ("removed", pa.string()), ("notes", pa.string()), ("ingested_at", pa.string()), ("title_source", pa.string()),
])
REJECTED = pa.schema([("source", pa.string()), ("reason", pa.string()), ("ingested_at", pa.string())])
ANALYSES = pa.schema([("article", pa.string()), ("pipeline", pa.string()), ("lemmas", pa.string())])
SIGNATURES = pa.schema([("article", pa.string()), ("minhash", pa.list_(pa.uint32())), ("shingles", pa.int32())])
SENTENCES = pa.schema([("article", pa.string()), ("sent", pa.int32()), ("start", pa.int32()), ("end", pa.int32())])
MENTIONS = pa.schema([
    ("article", pa.string()), ("sent", pa.int32()), ("start", pa.int32()), ("end", pa.int32()),
    ("text", pa.string()), ("label", pa.string()),
])
SANCTIONS_TERMS = pa.schema([
    ("article", pa.string()), ("sent", pa.int32()), ("start", pa.int32()), ("end", pa.int32()),
    ("term", pa.string()), ("entry", pa.string()), ("category", pa.string()),
])
QUOTES = pa.schema([
    ("article", pa.string()), ("sent", pa.int32()), ("start", pa.int32()), ("end", pa.int32()), ("kind", pa.string()),
    ("speaker_start", pa.int32()), ("speaker_end", pa.int32()), ("speaker_text", pa.string()), ("cue", pa.string()),
])
WATCHLIST = pa.schema([
    ("list", pa.string()), ("entry", pa.string()), ("list_id", pa.string()), ("name", pa.string()),
    ("aliases", pa.string()), ("kind", pa.string()), ("keys", pa.string()), ("programme", pa.string()), ("country", pa.string()),
    ("format", pa.string()), ("added_at", pa.string()),
])
TABLES = {
    "articles": ARTICLES, "rejected": REJECTED, "analyses": ANALYSES, "signatures": SIGNATURES, "sentences": SENTENCES,
    "mentions": MENTIONS, "sanctions_terms": SANCTIONS_TERMS, "quotes": QUOTES, "watchlist": WATCHLIST,
}


ARTICLE_ROW_GROUP = 256
"""Rows per row group of an articles part: reading one article's text decompresses this many, not the part."""


@functools.lru_cache(maxsize=8)
def _article_row_groups(parts: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """Article id -> (its part's position in ``parts``, its row group), from the id column alone; parts are
    immutable, so the map holds as long as the list of parts does."""
    located: dict[str, tuple[int, int]] = {}
    for index, path in enumerate(parts):
        parquet = pq.ParquetFile(path)
        for group in range(parquet.num_row_groups):
            for article in parquet.read_row_group(group, columns=["id"]).column("id").to_pylist():
                located.setdefault(article, (index, group))
    return located


_FILE_URL = re.compile(r"^file://", re.IGNORECASE)


def url_problem(location: str) -> str | None:
    """Why a store cannot be at ``location`` (a URL of another scheme than ``file://``, or a ``file://``
    URL of another machine or of a relative path), or None."""
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", location)
    if scheme and scheme[1].lower() != "file":
        return (f"a store at {scheme[1]}:// is not supported: a store is a folder (a local or shared "
                "filesystem, or a file:// URL), as its commit needs a lock file and an atomic rename")
    if scheme and urllib.parse.urlsplit(location).netloc not in ("", "localhost"):
        return f"{location}: a file:// URL names a folder by its absolute path, as in file:///srv/stores/korea"
    return None


class StoreError(RuntimeError):
    """A store that cannot be opened or written; the message says why."""


class StoreBusy(StoreError):
    """Another process is writing to the store."""


def _utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _atomic_write(path: Path, payload: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    with contextlib.suppress(OSError):
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


_NOTE_KEY = b"press_note"
_MANIFESTS: dict[Path, tuple[tuple, dict]] = {}
"""Manifest file → (its identity and modification time when parsed, the parsed manifest)."""


class Store:
    """A store folder. Reading needs no lock; writing goes through :meth:`writer`."""

    def __init__(self, path: str | os.PathLike):
        """``path``: a folder, or a ``file://`` URL of one (object stores are refused: see ``url_problem``)."""
        if isinstance(path, str) and _FILE_URL.match(path) and url_problem(path) is None:
            path = urllib.request.url2pathname(urllib.parse.urlsplit(path).path)
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @property
    def manifest_path(self) -> Path:
        return self.path / "manifest.json"

    def exists(self) -> bool:
        return self.manifest_path.is_file()

    def manifest(self) -> dict:
        """The current manifest (an empty store's when none was written yet), to read, not to change.

        Parsed once per manifest file: a commit replaces the file (a new inode), so its
        identity and modification time say whether the parsed copy is still the current one.
        A dashboard run asks for it a dozen times; at 100,000 articles each parse took
        milliseconds."""
        path = self.manifest_path
        try:
            stat = path.stat()
        except FileNotFoundError:
            return {"format": FORMAT, "version": 0, "tables": {}, "derived": {}, "info": {}}
        except OSError as error:
            raise StoreError(f"cannot read {path}: {error}") from error
        stamp = (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)
        cached = _MANIFESTS.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"format": FORMAT, "version": 0, "tables": {}, "derived": {}, "info": {}}
        except (OSError, json.JSONDecodeError) as error:
            raise StoreError(f"cannot read {path}: {error}") from error
        if manifest.get("format") != FORMAT:
            raise StoreError(f"{self.path} is a store of format {manifest.get('format')}, this version reads {FORMAT}")
        _MANIFESTS[path] = (stamp, manifest)
        return manifest

    def version(self) -> int:
        """Increases with every committed write; part of every cache key."""
        return int(self.manifest().get("version", 0))

    def fingerprint(self) -> str:
        """Changes whenever anything readable changes (data or the analyst's edits)."""
        edits = self.path / "edits.json"
        edits_stamp = edits.stat().st_mtime_ns if edits.exists() else 0
        return f"{self.version()}:{edits_stamp}"

    def read(self, table: str, columns: list[str] | None = None, manifest: dict | None = None) -> pd.DataFrame:
        """All rows of an appended table (only the named columns, when given)."""
        schema = TABLES[table]
        manifest = manifest or self.manifest()
        parts = [self.path / part for part in manifest.get("tables", {}).get(table, [])]
        if not parts:
            wanted = schema if columns is None else pa.schema([schema.field(c) for c in columns])
            return wanted.empty_table().to_pandas()
        frame = pq.read_table(parts, columns=columns, schema=schema).to_pandas()
        return frame

    def read_rows(self, table: str, column: str, values: list[str], columns: list[str] | None = None,
                  manifest: dict | None = None) -> pd.DataFrame:
        """Rows of a table whose ``column`` is one of ``values`` (read with a filter, not whole).

        Articles by id are read from their own row groups only (see :func:`_article_row_groups`): a
        few texts of a large corpus cost a few small reads, not a scan of every part."""
        schema = TABLES[table]
        manifest = manifest or self.manifest()
        parts = [self.path / part for part in manifest.get("tables", {}).get(table, [])]
        wanted = schema if columns is None else pa.schema([schema.field(c) for c in columns])
        if not parts or not values:
            return wanted.empty_table().to_pandas()
        if table == "articles" and column == "id":
            located = _article_row_groups(tuple(str(p) for p in parts))
            groups: dict[tuple[int, int], list[str]] = {}
            for value in dict.fromkeys(values):
                if value in located:
                    groups.setdefault(located[value], []).append(value)
            names = list(dict.fromkeys(["id", *(columns or schema.names)]))
            pieces = []
            for (part, group), ids in sorted(groups.items()):
                parquet = pq.ParquetFile(parts[part])
                present = [n for n in names if n in parquet.schema_arrow.names]  # a part written before a column was added
                rows = parquet.read_row_group(group, columns=present)
                for missing in (n for n in names if n not in present):
                    rows = rows.append_column(missing, pa.nulls(len(rows), schema.field(missing).type))
                pieces.append(rows.filter(pa.compute.is_in(rows.column("id"), value_set=pa.array(ids))))
            if not pieces:
                return wanted.empty_table().to_pandas()
            return pa.concat_tables(pieces).select(wanted.names).cast(wanted).to_pandas()
        return pq.read_table(parts, columns=columns, schema=schema, filters=[(column, "in", list(values))]).to_pandas()

    def read_derived(self, name: str, manifest: dict | None = None, columns: list[str] | None = None,
                     categorical: tuple[str, ...] = (), narrow: tuple[str, ...] = (),
                     arrow_lists: bool = False) -> pd.DataFrame | None:
        """A corpus-level result table (only the named columns, when given), or None when it was never built.

        Columns named in ``categorical`` (when present) are read as pandas categoricals
        straight from Parquet's dictionary encoding, without hashing every value again.
        Integer columns named in ``narrow`` are held in 32 bits when their values fit (they are
        cast before pandas sees them, so no 64-bit copy is made). With ``arrow_lists``, list
        columns stay in Arrow's buffers (``pd.ArrowDtype``; a row still reads as a Python
        list) instead of becoming one NumPy array per row: a few times less memory.
        """
        given = manifest is not None
        manifest = manifest or self.manifest()
        relative = manifest.get("derived", {}).get(name)
        if not relative:
            return None
        path = self.path / relative
        if path.suffix != ".parquet":
            raise StoreError(f"derived result {name} is not a table")
        try:
            present = set(pq.read_schema(path).names) & set(columns or pq.read_schema(path).names)
            dictionary = [c for c in categorical if c in present]
            table = pq.read_table(path, columns=columns, read_dictionary=dictionary or None)
        except FileNotFoundError:
            # a commit made since this manifest was read removed the file: read the current one
            if given or self.manifest().get("derived", {}).get(name) == relative:
                raise
            return self.read_derived(name, columns=columns, categorical=categorical, narrow=narrow, arrow_lists=arrow_lists)
        for column in narrow:
            if column in table.column_names and pa.types.is_int64(table.schema.field(column).type):
                bounds = pa.compute.min_max(table[column]).as_py()
                if bounds["min"] is None or (-2 ** 31 <= bounds["min"] and bounds["max"] < 2 ** 31):
                    table = table.set_column(table.column_names.index(column), column, table[column].cast(pa.int32()))
        lists = (lambda kind: pd.ArrowDtype(kind) if pa.types.is_list(kind) or pa.types.is_large_list(kind) else None) if arrow_lists else None
        return table.to_pandas(types_mapper=lists)

    def read_derived_tables(self, names: list[str], manifest: dict | None = None) -> dict[str, pd.DataFrame | None]:
        """:meth:`read_derived` of several tables, read side by side (Parquet's decoding releases the GIL)."""
        manifest = manifest or self.manifest()
        with ThreadPoolExecutor(max_workers=max(1, min(len(names), os.cpu_count() or 1))) as pool:
            reading = {name: pool.submit(self.read_derived, name, manifest) for name in names}
            return {name: future.result() for name, future in reading.items()}

    def derived_note(self, name: str, manifest: dict | None = None) -> dict | None:
        """The note kept with a corpus-level result table, or None (no table, or no note)."""
        path = self.derived_path(name, manifest)
        if path is None or path.suffix != ".parquet":
            return None
        try:
            metadata = pq.read_schema(path).metadata or {}
        except FileNotFoundError:
            return None
        return json.loads(metadata[_NOTE_KEY]) if _NOTE_KEY in metadata else None

    def derived_path(self, name: str, manifest: dict | None = None) -> Path | None:
        """Path of a derived file that is not a table (the TF-IDF matrix)."""
        manifest = manifest or self.manifest()
        relative = manifest.get("derived", {}).get(name)
        return self.path / relative if relative else None

    def info(self) -> dict:
        """Free-form facts the last write recorded (pipeline versions, parameters)."""
        return dict(self.manifest().get("info", {}))

    # The analyst's edits -------------------------------------------------

    def edits(self) -> dict:
        """The analyst's edits: ``dates`` and ``entities`` (merges, renames, splits)."""
        path = self.path / "edits.json"
        try:
            edits = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            edits = {}
        except (OSError, json.JSONDecodeError) as error:
            raise StoreError(f"cannot read {path}: {error}") from error
        edits.setdefault("dates", {})
        edits.setdefault("entities", {"merges": {}, "renames": {}, "splits": []})
        return edits

    def save_edits(self, edits: dict) -> None:
        """Replace the edits file atomically (callers hold the writer lock)."""
        self.path.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(edits, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
        _atomic_write(self.path / "edits.json", payload)

    # Writing -------------------------------------------------------------

    @contextlib.contextmanager
    def writer(self) -> Iterator[StoreWriter]:
        """Hold the store's lock for a write; commit on success, leave no trace on failure.

        Raises :class:`StoreBusy` at once if another process is writing.
        """
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            (self.path / "parts").mkdir(exist_ok=True)
            (self.path / "derived").mkdir(exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create the store at {self.path}: {error.strerror or error}") from error
        lock = open(self.path / ".lock", "a+")
        try:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno in (errno.EAGAIN, errno.EACCES):
                    raise StoreBusy(f"the store at {self.path} is being written by another process; try again when it finishes") from None
                raise
            writer = StoreWriter(self, self.manifest())
            try:
                yield writer
            except BaseException:
                writer.discard()
                raise
            writer.commit()
        finally:
            lock.close()


class StoreWriter:
    """Appends parts and sets derived results; nothing is visible until :meth:`commit`."""

    def __init__(self, store: Store, manifest: dict, version: int | None = None):
        """``manifest``: the store's as this write starts; ``version``: this write's (the next one's)."""
        self.store = store
        self.base = manifest
        self.manifest = json.loads(json.dumps(manifest))
        self.manifest["version"] = version if version is not None else int(manifest.get("version", 0)) + 1
        self._written: list[Path] = []
        self._adopted: list[Path] = []  # written (and put on disk) by other processes for this write
        self._edits: dict | None = None
        self._search = None  # (relative path, open connection) of the search index this write adds to

    @classmethod
    def for_parts(cls, store: Store, version: int) -> StoreWriter:
        """A writer of parts only, for the write of ``version`` that another process holds the lock
        for and commits (a worker of a cluster ingest, ``core.cluster``): it appends parts and indexes
        texts, then :meth:`finish_parts` hands them over to that write's :meth:`adopt`."""
        return cls(store, {"format": FORMAT, "tables": {}}, version=version)

    def finish_parts(self) -> dict:
        """Close this write's search index and put its files on disk; what it added: ``{"tables":
        {table: [part, ...]}, "search": [index, ...]}`` (paths relative to the store)."""
        from core import search

        if self._search is not None:
            search.finish_index(self._search[1])
            self.manifest.setdefault("search", []).append(self._search[0])
            self._search = None
        for path in self._written:
            _fsync(path)
        return {"tables": self.manifest.get("tables", {}), "search": self.manifest.get("search", [])}

    def adopt(self, parts: dict) -> None:
        """Make parts written for this write by another process (:meth:`finish_parts`) part of it, after
        the parts it has: committed with it, deleted if it fails."""
        for table, relatives in parts["tables"].items():
            if table not in TABLES:
                raise StoreError(f"a worker wrote a part of an unknown table {table!r}")
            self.manifest.setdefault("tables", {}).setdefault(table, []).extend(relatives)
            self._adopted.extend(self.store.path / relative for relative in relatives)
        self.manifest.setdefault("search", []).extend(parts["search"])
        self._adopted.extend(self.store.path / relative for relative in parts["search"])

    def append(self, table: str, rows: pd.DataFrame | list[dict]) -> None:
        """Write rows as a new part of ``table`` (no-op for zero rows)."""
        schema = TABLES[table]
        frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=schema.names)
        if frame.empty:
            return
        arrow = pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)
        relative = f"parts/{table}-{self.manifest['version']:06d}-{uuid.uuid4().hex[:8]}.parquet"
        self._write_table(arrow, relative, ARTICLE_ROW_GROUP if table == "articles" else None)
        self.manifest.setdefault("tables", {}).setdefault(table, []).append(relative)

    def index_texts(self, rows) -> int:
        """Add (article id, text) rows to this write's search index (``core.search``; one file per write)."""
        from core import search

        if self._search is None:
            relative = f"parts/search-{self.manifest['version']:06d}-{uuid.uuid4().hex[:8]}.sqlite"
            path = self.store.path / relative
            self._written.append(path)
            self._search = (relative, search.create_index(path))
        return search.add_texts(self._search[1], rows)

    def replace_table(self, table: str, rows: pd.DataFrame) -> None:
        """Make ``rows`` the whole of ``table`` (for small tables the analyst replaces, such as watchlists)."""
        self.manifest.setdefault("tables", {})[table] = []
        self.append(table, rows)

    def _derived_relative(self, name: str, suffix: str) -> str:
        return f"derived/{name}-{self.manifest['version']:06d}{suffix}"

    def set_derived(self, name: str, frame: pd.DataFrame, note: dict | None = None) -> None:
        """Replace a corpus-level result table; ``note`` (JSON) is kept with it (:meth:`Store.derived_note`)."""
        relative = self._derived_relative(name, ".parquet")
        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        if note is not None:
            arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), _NOTE_KEY: json.dumps(note)})
        self._write_table(arrow, relative)
        self.manifest.setdefault("derived", {})[name] = relative

    def set_derived_tables(self, tables: dict[str, pd.DataFrame]) -> None:
        """Replace several corpus-level result tables, written side by side: Parquet's encoding and
        compression release the GIL, so the files of one rebuild take about the time of the largest."""
        arrows = {name: pa.Table.from_pandas(frame, preserve_index=False) for name, frame in tables.items()}
        relatives = {name: self._derived_relative(name, ".parquet") for name in arrows}
        with ThreadPoolExecutor(max_workers=max(1, min(len(arrows), os.cpu_count() or 1))) as pool:
            for done in [pool.submit(self._write_table, arrow, relatives[name]) for name, arrow in arrows.items()]:
                done.result()
        self.manifest.setdefault("derived", {}).update(relatives)

    def set_derived_file(self, name: str, suffix: str, write) -> None:
        """Replace a corpus-level result kept in another format; ``write(path)`` writes it."""
        relative = self._derived_relative(name, suffix)
        path = self.store.path / relative
        write(path)
        self._written.append(path)
        self.manifest.setdefault("derived", {})[name] = relative

    def keep_only_derived_set_here(self) -> None:
        """Forget the corpus-level results this write did not set: after a full rebuild,
        what it no longer makes is stale (the files go with the next clean-up)."""
        derived = self.manifest.setdefault("derived", {})
        for name in [n for n, relative in derived.items() if not relative.startswith(self._derived_relative(n, ""))]:
            del derived[name]

    def retire_articles(self, retired: set[str], renamed: dict[str, str] | None = None,
                        article_fields: dict[str, dict] | None = None) -> None:
        """Take articles out of every table (the old version of a file that changed), as this write.

        ``renamed`` maps a retired id to the id that takes its analysis rows over (an exact duplicate
        that becomes the original); ``article_fields`` sets fields of article rows by id (that
        duplicate's text and status). Only the parts that hold one of these ids are written again;
        the others are untouched.
        """
        renamed = renamed or {}
        article_fields = article_fields or {}
        touched = set(retired) | set(renamed) | set(article_fields)
        if not touched:
            return
        for table, parts in self.manifest.get("tables", {}).items():
            key = "id" if table == "articles" else "article"
            if key not in TABLES[table].names:
                continue
            for index, relative in enumerate(list(parts)):
                path = self.store.path / relative
                present = set(pq.read_table(path, columns=[key]).column(key).to_pylist())
                if not present & touched:
                    continue
                frame = pq.read_table(path, schema=TABLES[table]).to_pandas()
                if table == "articles":  # an article's row goes; the row that takes over gets its fields
                    frame = frame[~frame["id"].isin(retired)]
                    for article, fields in article_fields.items():
                        mask = frame["id"] == article
                        for field, value in fields.items():
                            frame.loc[mask, field] = value
                else:  # its analysis goes, or passes to the article that takes over
                    frame = frame[~frame[key].isin(set(retired) - set(renamed))]
                    frame[key] = frame[key].map(lambda a: renamed.get(a, a))
                replacement = f"parts/{table}-{self.manifest['version']:06d}-{uuid.uuid4().hex[:8]}.parquet"
                self._write_table(pa.Table.from_pandas(frame[TABLES[table].names], schema=TABLES[table], preserve_index=False),
                                  replacement, ARTICLE_ROW_GROUP if table == "articles" else None)
                parts[index] = replacement

    def edits(self) -> dict:
        """The analyst's edits as this write will leave them."""
        return json.loads(json.dumps(self._edits)) if self._edits is not None else self.store.edits()

    def set_edits(self, edits: dict) -> None:
        """Replace the analyst's edits with this write: written at commit, under the lock, so an edit
        that fails leaves the file as it was and never undoes another writer's."""
        self._edits = json.loads(json.dumps(edits))

    def set_info(self, **facts) -> None:
        self.manifest.setdefault("info", {}).update(facts)

    def read(self, table: str, columns: list[str] | None = None) -> pd.DataFrame:
        """Read a table as this write sees it (its own appended parts included)."""
        return self.store.read(table, columns=columns, manifest=self.manifest)

    def read_rows(self, table: str, column: str, values: list[str], columns: list[str] | None = None) -> pd.DataFrame:
        """Rows whose ``column`` is one of ``values``, as this write sees the table."""
        return self.store.read_rows(table, column, values, columns=columns, manifest=self.manifest)

    def _write_table(self, arrow: pa.Table, relative: str, row_group_size: int | None = None) -> None:
        path = self.store.path / relative
        self._written.append(path)
        pq.write_table(arrow, path, compression="zstd", row_group_size=row_group_size)

    def discard(self) -> None:
        if self._search is not None:
            with contextlib.suppress(Exception):
                self._search[1].close()
        for path in self._written + self._adopted:
            with contextlib.suppress(OSError):
                path.unlink()

    def commit(self) -> None:
        if not self.base.get("version"):
            self.manifest.setdefault("search", [])  # a new store: indexed from its first write
        # the files must be on disk before a manifest names them (a crash of the
        # machine must not leave a manifest pointing at truncated parts)
        self.finish_parts()
        for folder in ("parts", "derived"):
            _fsync(self.store.path / folder)
        self.manifest["updated_at"] = _utc_now()
        now = time.time()
        self.manifest["superseded"] = self._superseded(now)
        if self._edits is not None:
            # before the manifest: if the process dies in between, the next rebuild applies the edit
            self.store.save_edits(self._edits)
        payload = json.dumps(self.manifest, indent=1, sort_keys=True).encode("utf-8")
        _atomic_write(self.store.manifest_path, payload)
        self._remove_unreferenced()

    @staticmethod
    def _named(manifest: dict) -> set[str]:
        return ({part for parts in manifest.get("tables", {}).values() for part in parts} | set(manifest.get("derived", {}).values())
                | set(manifest.get("search", [])))

    def _superseded(self, now: float) -> dict[str, float]:
        """Files that earlier commits named and this one does not, with when they stopped being named,
        for ``SUPERSEDED_GRACE_SECONDS``: a reader that opened an older manifest, even several commits
        back, still finds its files."""
        named = self._named(self.manifest)
        superseded = {f: t for f, t in self.base.get("superseded", {}).items() if now - t < SUPERSEDED_GRACE_SECONDS and f not in named}
        for relative in self._named(self.base) - named:
            superseded.setdefault(relative, now)
        return superseded

    def _remove_unreferenced(self) -> None:
        """Delete the files the manifest neither names nor keeps as recently superseded: parts and
        results of crashed writes, and files superseded more than ``SUPERSEDED_GRACE_SECONDS`` ago
        (see also :meth:`Store.read_derived`, which reads the current commit when a file has gone)."""
        keep = self._named(self.manifest) | set(self.manifest.get("superseded", {}))
        for folder in ("parts", "derived"):
            for path in (self.store.path / folder).iterdir():
                if f"{folder}/{path.name}" not in keep:
                    with contextlib.suppress(OSError):
                        path.unlink()
