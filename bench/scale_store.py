"""A larger store made of copies of a built one, to measure the dashboard at 100,000 articles.

``python -m bench.scale_store SRC DST --factor 10`` writes to DST a store holding every
article of SRC ``factor`` times: copy 0 keeps its ids, copy ``c`` gets new ones
(``sha256("id:c")[:16]``) in every table that names an article, wire groups
become per-copy groups, each corpus-level count (entity mentions and articles)
is multiplied by the factor, and the analyst's dates apply to every copy. Dates
are kept, so the corpus covers the same period ``factor`` times as densely,
which is how press corpora grow.

The result is for reading (the dashboard): texts, content hashes and MinHash
signatures are copied as they are, so an ingest into it would fold the copies
together as duplicates of each other.

Only the dashboard's reading side is measured on it: building 100,000 articles
through the NLP pipeline takes about two hours on two cores (12 min 47 s for
10,000 measured), while the dashboard reads only the store. What a scaled store
does not reproduce: entity resolution, topic fitting and wire detection over
100,000 distinct texts (their cost is an ingest cost, measured by the growth
runs), and the spread of distinct values (names, dates, terms) that a real
100,000-article corpus would have.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

# Columns that hold an article id, per table (appended parts and derived results alike).
ID_COLUMNS = {
    "articles": ("id", "duplicate_of"),
    "analyses": ("article",), "signatures": ("article",), "sentences": ("article",),
    "mentions": ("article",), "sanctions_terms": ("article",),
    "mention_entities": ("article",), "entity_articles": ("article",), "entity_forms": ("article",), "sentence_entities": ("article",),
    "sanctions": ("article",),
    "sanctions_by_category": ("article",), "sanctions_by_actor": ("article",), "doc_topics": ("article",), "top_terms": ("article",),
    "wire": ("article", "duplicate_of"), "quotes": ("article",),
}
REPEATED = {"mention_keys"}  # row by row beside mention_entities: copied as many times, in the same order
PER_COPY_GROUPS = {"wire": ("group",)}  # group names that must not join copies together
PER_COPY_NUMBERS = {"sentence_entities": ("sentence",)}  # numbers unique across the corpus, offset per copy
SCALED_COUNTS = {"entities": ("mentions", "articles")}  # corpus-wide totals


def copy_id(article: str, copy: int) -> str:
    return article if copy == 0 else hashlib.sha256(f"{article}:{copy}".encode()).hexdigest()[:16]


def _scaled(frame: pd.DataFrame, name: str, factor: int) -> pd.DataFrame:
    """``frame`` repeated ``factor`` times with the ids of each copy, or scaled in place for totals."""
    if name in SCALED_COUNTS:
        return frame.assign(**{c: frame[c] * factor for c in SCALED_COUNTS[name] if c in frame.columns})
    if name in REPEATED:
        return pd.concat([frame] * factor, ignore_index=True)
    columns = [c for c in ID_COLUMNS.get(name, ()) if c in frame.columns]
    if not columns:
        return frame
    copies = []
    for copy in range(factor):
        piece = frame.copy()
        for column in columns:
            values = piece[column].astype(object)
            distinct = {v: copy_id(v, copy) for v in values.dropna().unique()}
            piece[column] = values.map(distinct)  # every non-null value is a key; nulls stay null
        for column in PER_COPY_GROUPS.get(name, ()):
            if column in piece.columns and copy:
                piece[column] = piece[column].astype(object).map(lambda v, c=copy: v if pd.isna(v) else f"{v}~{c}")
        for column in PER_COPY_NUMBERS.get(name, ()):
            if column in piece.columns and len(frame):
                piece[column] = piece[column] + copy * (int(frame[column].max()) + 1)
        copies.append(piece)
    return pd.concat(copies, ignore_index=True)


def _table_name(relative: str) -> str:
    """``parts/articles-000001-ab12.parquet`` -> ``articles``; ``derived/top_terms-000002.parquet`` -> ``top_terms``."""
    stem = Path(relative).name.split(".")[0]
    return stem.split("-")[0]


def scale(source: Path, target: Path, factor: int) -> dict:
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    if target.exists():
        shutil.rmtree(target)
    (target / "parts").mkdir(parents=True)
    (target / "derived").mkdir()
    started = time.perf_counter()
    rows: dict[str, int] = {}
    for table, parts in manifest.get("tables", {}).items():
        for relative in parts:
            arrow = pq.read_table(source / relative)
            if table != "rejected":
                arrow = pa.Table.from_pandas(_scaled(arrow.to_pandas(), table, factor), schema=arrow.schema, preserve_index=False)
            pq.write_table(arrow, target / relative)
            rows[table] = rows.get(table, 0) + arrow.num_rows
    for name, relative in manifest.get("derived", {}).items():
        if relative.endswith(".parquet"):
            arrow = pq.read_table(source / relative)
            frame = _scaled(arrow.to_pandas(), _table_name(relative), factor)
            scaled = pa.Table.from_pandas(frame, preserve_index=False)
            note = (arrow.schema.metadata or {}).get(b"press_note")  # what the table was made from (core.store)
            if note is not None:
                scaled = scaled.replace_schema_metadata({**(scaled.schema.metadata or {}), b"press_note": note})
            pq.write_table(scaled, target / relative)
            rows[name] = len(frame)
        elif relative.endswith(".npz"):
            with np.load(source / relative, allow_pickle=False) as data:
                matrix = {k: data[k] for k in data.files}
            import scipy.sparse as sp

            base = sp.csr_matrix((matrix["data"], matrix["indices"], matrix["indptr"]), shape=tuple(matrix["shape"]))
            stacked = sp.vstack([base] * factor, format="csr")
            ids = [copy_id(str(i), c) for c in range(factor) for i in matrix["ids"].tolist()]
            np.savez(target / relative, data=stacked.data, indices=stacked.indices, indptr=stacked.indptr,
                     shape=np.array(stacked.shape), ids=np.array(ids))
            rows[name] = stacked.shape[0]
    if (source / "edits.json").exists():
        edits = json.loads((source / "edits.json").read_text(encoding="utf-8"))
        edits["dates"] = {copy_id(article, copy): date for article, date in edits.get("dates", {}).items() for copy in range(factor)}
        (target / "edits.json").write_text(json.dumps(edits, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    manifest["info"] = {**manifest.get("info", {}), "scaled_from": str(source), "factor": factor}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return {"rows": rows, "seconds": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_store", description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a store built by python -m core ingest")
    parser.add_argument("target", type=Path, help="where to write the larger store (replaced)")
    parser.add_argument("--factor", type=int, default=10)
    arguments = parser.parse_args(argv)
    if not (arguments.source / "manifest.json").exists():
        print(f"no store at {arguments.source}", file=sys.stderr)
        return 2
    if arguments.factor < 1:
        print("--factor must be at least 1", file=sys.stderr)
        return 2
    result = scale(arguments.source, arguments.target, arguments.factor)
    print(f"wrote {arguments.target} in {result['seconds']:.0f} s: "
          + ", ".join(f"{name} {count:,}" for name, count in sorted(result["rows"].items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
