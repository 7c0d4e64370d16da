"""From files to a committed store: read, clean, date, deduplicate, analyse, keep.

``prepare_article`` is a pure function of one raw document. ``ingest`` streams
documents in batches (memory is bounded by the batch, not the corpus), runs
the NLP step only on new French articles, then rebuilds the corpus-level
results and commits everything in one atomic manifest write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core import readers
from core.cleaning import clean_body, count_words
from core.dates import date_from_text, parse_metadata_date, split_header, stamp_in_text
from core.language import HOW_ANALYSED, PIPELINES, detect_language, language_name
from core.nlp import MAX_ANALYSED_CHARS, Analyser, pipeline_version
from core.records import ANALYSED, DUPLICATE, UNANALYSED, Article, RawDocument, Rejection
from core.store import Store
from core.wire import signature

BATCH_SIZE = 256
TITLE_MAX_CHARS = 160

Progress = Callable[[int, int, str, int], None]
"""Called as ``progress(files done, total files, current source, documents done)`` when a file starts
and after each batch is stored, so a large CSV or JSONL file shows progress within it."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one file or row."""

    source: str
    outcome: str
    """``added``, ``already present``, ``duplicate`` or ``rejected``."""
    detail: str
    article: str | None = None


@dataclass
class IngestReport:
    """Counts and per-source outcomes of one ingest run."""

    outcomes: list[Outcome] = field(default_factory=list)
    analysed: int = 0
    unanalysed: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds this process spent in each of its steps (the cluster ingest's driver records them)."""

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def already_present(self) -> int:
        return self.count("already present")

    @property
    def duplicates(self) -> int:
        return self.count("duplicate")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def rejected(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.outcome == "rejected"]

    def summary(self) -> str:
        lines = [
            f"added: {self.added} ({self.analysed} analysed, {self.unanalysed} kept without analysis)",
            f"updated (a new version of a file ingested before): {self.updated}",
            f"already present: {self.already_present}",
            f"exact duplicates of another file: {self.duplicates}",
            f"rejected: {len(self.rejected)}",
        ]
        lines += [f"  {o.source}: {o.detail}" for o in self.rejected]
        return "\n".join(lines)


def content_hash(raw_text: str) -> str:
    """Stable hash of an article's text (white space at the ends ignored)."""
    return hashlib.sha256(raw_text.strip().encode("utf-8")).hexdigest()[:16]


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def guess_title(text: str) -> str | None:
    """The headline of a plain-text article, when it has one.

    Articles pasted from the web often open with short lines (a photo caption,
    a byline, a publication stamp) before the headline and then prose; the
    headline is the last of those short, unpunctuated lines that is neither a
    stamp nor a byline. A body that opens with prose has none.
    """
    leading = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if len(stripped) > TITLE_MAX_CHARS or stripped[-1] in ".!?»\"…:;,":
            break
        leading.append(stripped)
        if len(leading) == 4:
            break
    candidates = [line for line in leading if len(line.split()) >= 3 and not _stamp_or_byline(line)]
    return candidates[-1] if candidates else None


FIRST_WORDS = 12


def first_words(text: str) -> str | None:
    """A title for a text with no headline: its first sentence, or its first words when that is long
    (never a publication stamp or a byline)."""
    for line in text.split("\n"):
        line = line.strip()
        if not line or _stamp_or_byline(line) or not re.search(r"[^\W\d_]", line):
            continue
        sentence = re.split(r"(?<=[.!?…])\s", line, maxsplit=1)[0]
        words = sentence.split()
        return " ".join(words) if len(words) <= FIRST_WORDS else " ".join(words[:FIRST_WORDS]).rstrip(",;:") + "…"
    return None


_BYLINE = re.compile(r"^(?:par|by|de notre (?:envoyé|correspondant)|avec|with)\b", re.IGNORECASE)


def _stamp_or_byline(line: str) -> bool:
    """A publication stamp ("Publié le 12/03/2024 à 10h05", "Updated June 19, 2024") or a byline is no headline."""
    from core.dates import find_dates

    if _BYLINE.match(line):
        return True
    dates = find_dates(line)
    if not dates:
        return False
    rest = line[:dates[0].start] + line[dates[0].end:]
    return len(re.findall(r"[^\W\d_]+", rest)) <= 4


def _metadata_language(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def prepare_article(raw: RawDocument, ingested_at: str) -> Article:
    """Clean, date and classify one raw document (no NLP)."""
    split = split_header(raw.raw_text)
    body = split.body
    if re.search(r"\.(md|markdown)(#\d+)?$", raw.source, re.IGNORECASE):
        body = readers.markdown_to_text(body)
    cleaned = clean_body(body)
    # composed accents ("é" as one character, NFC), as the patterns, rules and model expect; the raw
    # text keeps the file's own form
    text = unicodedata.normalize("NFC", cleaned.text)
    notes = list(raw.notes)
    lang = _metadata_language(raw.lang) or detect_language(text)
    date = split.date
    if date.value is not None:
        stamp = stamp_in_text(text, lang)  # a publication stamp in the text is more precise than the header
        if stamp.value:
            notes.append(f"header date {date.value} replaced by the text's publication stamp")
            date = stamp
    if date.value is None and raw.date:
        metadata = parse_metadata_date(raw.date, lang)
        date = metadata if metadata.value else date
        if metadata.note:
            notes.append(metadata.note)
    if date.value is None:
        in_text = date_from_text(text, lang)
        date = in_text if in_text.value or in_text.note else date
    if split.date.note:
        notes.append(split.date.note)
    status, reason = ANALYSED, HOW_ANALYSED.get(lang)
    if not text.strip():
        status, reason = UNANALYSED, "nothing left after removing boilerplate"
    elif lang not in PIPELINES:
        status, reason = UNANALYSED, f"language {language_name(lang)} ({lang}): no analysis pipeline installed"
    elif len(text) > MAX_ANALYSED_CHARS:
        status, reason = UNANALYSED, f"longer than {MAX_ANALYSED_CHARS:,} characters: kept and readable, not analysed"
    hashed = content_hash(raw.raw_text)
    title, title_source = raw.title, "metadata"
    if not title:
        title, title_source = guess_title(text), "headline"
    if not title:
        title, title_source = first_words(text), "first words"
    return Article(
        id=hashed, source=raw.source, title=title, title_source=title_source if title else None, raw_text=raw.raw_text,
        text=text, lang=lang, date=date.value, date_precision=date.precision, date_source=date.source,
        date_note=date.note, words=count_words(text), status=status, status_reason=reason,
        duplicate_of=None, content_hash=hashed, encoding=raw.encoding, url=raw.url, outlet=raw.outlet,
        removed=json.dumps([{"line": line, "rule": rule} for line, rule in cleaned.removed], ensure_ascii=False),
        notes="; ".join(notes), ingested_at=ingested_at,
    )


def duplicate_id(content_hash: str, source: str) -> str:
    """The id of the article of ``source`` whose text is an exact copy of another's."""
    return hashlib.sha256(f"{content_hash}\0{source}".encode("utf-8")).hexdigest()[:16]


def exact_duplicate(article: Article, original_id: str) -> Article:
    return Article(**{
        **article.__dict__, "id": duplicate_id(article.content_hash, article.source), "raw_text": "", "text": "", "status": DUPLICATE,
        "status_reason": "same text as another file", "duplicate_of": original_id,
    })


def iter_documents(paths: Iterable[str]) -> tuple[int, Iterator[RawDocument | Rejection]]:
    """Count the files under ``paths`` and stream their documents.

    Raises :class:`~core.readers.InputError` for a path that does not exist,
    before anything is read.
    """
    files = list(readers.iter_files(paths))

    def documents() -> Iterator[tuple[str, RawDocument | Rejection]]:
        for path, source in files:
            for item in readers.read_path(path, source):
                yield source, item

    return len(files), documents()


def ingest(
    paths: Iterable[str],
    store: Store,
    workers: int = 0,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    rebuild: bool = False,
) -> IngestReport:
    """Ingest files and folders into ``store`` and rebuild its corpus-level results.

    ``workers`` processes run the NLP while this one reads and stores the other
    batches; with 0 (the default here) the NLP runs in this process, which keeps
    its model loaded for the next call (the app, the tests). The command line
    uses 1 worker by default.
    """
    total, documents = iter_documents(paths)
    return ingest_documents(documents, store, total=total, workers=workers, progress=progress, batch_size=batch_size,
                            rebuild=rebuild)


def ingest_uploads(files: list[tuple[str, bytes]], store: Store, progress: Progress | None = None) -> IngestReport:
    """Ingest files given as ``(name, content)`` (the dashboard's uploads), read by the suffix of their
    name; the name is only a label, never a path."""
    documents = ((name, item) for name, data in files for item in readers.read_bytes(data, name, Path(name).suffix))
    return ingest_documents(documents, store, total=len(files), progress=progress)


def ingest_documents(
    documents: Iterable[tuple[str, RawDocument | Rejection]],
    store: Store,
    total: int = 0,
    workers: int = 0,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    rebuild: bool = False,
) -> IngestReport:
    """Ingest ``(file source, document or rejection)`` pairs; see :func:`ingest`. With ``rebuild``
    the corpus-level results are rebuilt even when nothing was added (edited entity rules apply)."""
    report = IngestReport()
    ingested_at = utc_now()
    with store.writer() as writer:
        decisions = Decisions(writer, report, ingested_at)
        batch: list[Article] = []
        files_done, documents_done, current = 0, 0, None
        analyser = Analyser(workers)
        pending: Batch | None = None
        with analyser:
            for file_source, item in documents:
                if file_source != current:
                    if current is not None:
                        files_done += 1
                    current = file_source
                    if progress:
                        progress(files_done, total, file_source, documents_done)
                documents_done += 1
                article = prepared(item, ingested_at)
                if isinstance(article, Rejection):
                    decisions.reject(article)
                    continue
                verdict = decisions.decide(article.source, article.content_hash, article.id, article.status,
                                           article.status_reason, lambda: article.text)
                if verdict is None:
                    continue
                batch.append(exact_duplicate(article, verdict) if verdict else article)
                if len(batch) >= batch_size:
                    pending = _next_batch(writer, batch, analyser, report, pending)
                    batch = []
                    if progress:
                        progress(files_done, total, file_source, documents_done)
            if batch:
                pending = _next_batch(writer, batch, analyser, report, pending)
            if pending is not None:
                if analyser.in_other_processes:
                    import core.topics  # noqa: F401 - scikit-learn loads here while the workers finish
                pending.write(writer, report)
        if progress and current is not None:
            progress(files_done + 1, max(total, files_done + 1), "analysing the corpus", documents_done)
        decisions.finish(rebuild)
    return report


def prepared(item: RawDocument | Rejection, ingested_at: str) -> Article | Rejection:
    """A read document cleaned, dated and classified, or the reason it could not be (one bad row, not
    the batch)."""
    if isinstance(item, Rejection):
        return item
    try:
        return prepare_article(item, ingested_at)
    except (RecursionError, ValueError, TypeError, OverflowError) as error:
        return Rejection(item.source, f"could not be prepared ({type(error).__name__}: {str(error)[:120]})")


class Decisions:
    """What becomes of each prepared article, decided in document order against the store and the
    articles before it: already present, an exact duplicate of another article, a new version of a
    file ingested before (which it replaces), or new. The outcomes go to the report; :meth:`finish`
    stores the rejections, retires replaced versions and rebuilds the corpus-level results.

    Only the article's keys are needed, and its text only for a file ingested before: the cluster
    ingest decides here while the articles stay on the workers."""

    def __init__(self, writer, report: IngestReport, ingested_at: str):
        self.writer, self.report, self.ingested_at = writer, report, ingested_at
        if "search" not in writer.manifest and writer.store.exists():
            _index_stored_articles(writer)  # a store made before the search index: index it once, as it was
        known = writer.read("articles", columns=["id", "source", "content_hash", "status", "duplicate_of"])
        self.known = known
        self.present = set(zip(known["source"], known["content_hash"]))
        originals = known[known["status"] != DUPLICATE]
        self.originals = dict(zip(originals["content_hash"], originals["id"]))
        self.versions_of: dict[str, list[str]] = {}  # a file's articles: the versions it had
        for source, article_id in zip(known["source"], known["id"]):
            if "#" not in source.rsplit("/", 1)[-1]:  # a CSV or JSONL row is known by its position only: no versions
                self.versions_of.setdefault(source, []).append(article_id)
        self.replaced: dict[str, str] = {}  # old article id: the new version's id
        self.rejected: list[dict] = []

    def reject(self, rejection: Rejection) -> None:
        self.report.outcomes.append(Outcome(rejection.source, "rejected", rejection.reason))
        self.rejected.append({"source": rejection.source, "reason": rejection.reason, "ingested_at": self.ingested_at})

    def decide(self, source: str, content_hash: str, article_id: str, status: str, status_reason: str | None,
               text: Callable[[], str]) -> str | None:
        """None for an article already present (not stored again); the original's id for an exact
        duplicate (stored as one); "" for an article to store as it is."""
        if (source, content_hash) in self.present:
            self.report.outcomes.append(Outcome(source, "already present", "ingested before", self.originals.get(content_hash)))
            return None
        self.present.add((source, content_hash))
        # a changed file whose new text is an edit of the old one is a new version: it replaces the old
        # one (a different text under the same name, two files that swapped texts, are new articles)
        old_versions = [v for v in self.versions_of.get(source, ()) if v not in self.replaced]
        previous = _earlier_version(self.writer, old_versions, text()) if old_versions else None
        original = self.originals.get(content_hash)
        if original is not None:
            self.report.outcomes.append(Outcome(source, "duplicate", f"same text as article {original}",
                                                duplicate_id(content_hash, source)))
            verdict = original
        else:
            self.originals[content_hash] = article_id
            if status == ANALYSED:
                detail = f"analysed ({status_reason})" if status_reason else "analysed"
            else:
                detail = f"kept, not analysed: {status_reason}"
            outcome = "updated" if previous is not None else "added"
            if outcome == "updated":
                detail = f"new version of a file ingested before, which it replaces; {detail}"
            self.report.outcomes.append(Outcome(source, outcome, detail, article_id))
            verdict = ""
        if previous is not None:
            self.replaced[previous] = duplicate_id(content_hash, source) if verdict else article_id
        return verdict

    def finish(self, rebuild: bool = False) -> None:
        """Store the rejections, retire the replaced versions, rebuild what the corpus changed."""
        from core.analysis import rebuild_derived

        writer, report = self.writer, self.report
        writer.append("rejected", self.rejected)
        if self.replaced:
            _retire_old_versions(writer, self.known, self.replaced)
        if report.added or report.updated or report.duplicates or rebuild or not writer.store.exists():
            rebuild_derived(writer)
        writer.set_info(pipeline=pipeline_version())


VERSION_CONTAINMENT = 0.8
VERSION_JACCARD = 0.5


def _earlier_version(writer, candidates: list[str], text: str) -> str | None:
    """The stored article of the same file that ``text`` is a new version of: the old text mostly
    inside the new one (an update that adds), or the two mostly alike (a correction)."""
    from core.wire import shingles

    new = shingles(text)
    rows = writer.read_rows("articles", "id", candidates, ["id", "text", "raw_text", "status"])
    for row in rows.itertuples(index=False):
        old = shingles(row.text or "") if row.status != DUPLICATE else shingles(_text_of_duplicate(writer, row.id))
        if not old or not new:
            continue
        shared = len(old & new)
        if shared / len(old) >= VERSION_CONTAINMENT or shared / len(old | new) >= VERSION_JACCARD:
            return row.id
    return None


def _text_of_duplicate(writer, article_id: str) -> str:
    rows = writer.read_rows("articles", "id", [article_id], ["duplicate_of"])
    original = rows["duplicate_of"].iloc[0] if len(rows) else None
    texts = writer.read_rows("articles", "id", [original], ["text"]) if isinstance(original, str) else None
    return texts["text"].iloc[0] if texts is not None and len(texts) else ""


def _index_stored_articles(writer) -> None:
    """Add every stored article with a text of its own to the search index, one part at a time."""
    import pyarrow.parquet as pq

    for relative in writer.manifest.get("tables", {}).get("articles", []):
        part = pq.read_table(writer.store.path / relative, columns=["id", "text", "status"]).to_pandas()
        part = part[part["status"] != DUPLICATE]
        writer.index_texts(zip(part["id"], part["text"]))
    writer.manifest.setdefault("search", [])


def _retire_old_versions(writer, known: pd.DataFrame, replaced: dict[str, str]) -> None:
    """Take the old versions of changed files out of the store. An exact duplicate of an old version
    (another file with that text) becomes the original and takes its text and analysis over. The
    analyst's date of an old version passes to the new one."""
    everything = writer.read("articles", columns=["id", "status", "duplicate_of"])
    copies = everything[everything["status"] == DUPLICATE]
    renamed, fields = {}, {}
    old_rows = writer.read_rows("articles", "id", list(replaced), ["id", "raw_text", "text", "status", "status_reason", "removed"])
    for row in old_rows.itertuples(index=False):
        heirs = copies.loc[(copies["duplicate_of"] == row.id) & ~copies["id"].isin(replaced), "id"].tolist()
        if not heirs:
            continue
        heir = heirs[0]
        renamed[row.id] = heir
        fields[heir] = {"raw_text": row.raw_text, "text": row.text, "status": row.status,
                        "status_reason": row.status_reason, "removed": row.removed, "duplicate_of": None}
        for other in heirs[1:]:
            fields[other] = {"duplicate_of": heir}
    writer.retire_articles(set(replaced), renamed, fields)
    writer.index_texts((heir, values["text"]) for heir, values in fields.items() if "text" in values)  # now an original
    edits = writer.edits()
    dates = edits.get("dates", {})
    moved = {new: dates[old] for old, new in replaced.items() if old in dates and new not in dates}
    changed = bool(moved) or any(old in dates for old in replaced)
    for old in replaced:
        dates.pop(old, None)
    dates.update(moved)
    # entity edits hold on to mentions by "article:start": the heir's mentions are the old version's
    for entry in edits.get("entities", {}).get("log", []):
        for side in ("source", "target", "entity"):
            refs = entry.get(side, {}).get("refs")
            if refs:
                moved_refs = [f"{renamed[a]}:{start}" if a in renamed else ref
                              for ref in refs for a, start in [ref.rsplit(":", 1)]]
                changed |= moved_refs != refs
                entry[side]["refs"] = moved_refs
    if changed:
        writer.set_edits(edits)


class Batch:
    """A batch whose analysis has started: what does not depend on it is ready to store."""

    def __init__(self, batch: list[Article], analyser: Analyser):
        self.batch = batch
        self.analyses = analyser.submit([(a.id, a.text, a.lang) for a in batch if a.status == ANALYSED])
        self.signatures = [
            dict(zip(("article", "minhash", "shingles"), (a.id, *signature(a.text))))
            for a in batch if a.status != DUPLICATE and a.text
        ]

    def write(self, writer, report: IngestReport) -> None:
        """Wait for the analyses and append every table's rows."""
        analyses = self.analyses()
        report.analysed += len(analyses)
        report.unanalysed += sum(1 for a in self.batch if a.status == UNANALYSED)
        version = pipeline_version()
        writer.append("articles", pd.DataFrame([a.__dict__ for a in self.batch]))
        writer.index_texts((a.id, a.text) for a in self.batch if a.status != DUPLICATE)
        writer.append("signatures", self.signatures)
        writer.append("analyses", [{"article": r.article, "pipeline": version, "lemmas": r.lemmas} for r in analyses])
        writer.append("sentences", [s.__dict__ for r in analyses for s in r.sentences])
        writer.append("mentions", [m.__dict__ for r in analyses for m in r.mentions])
        writer.append("sanctions_terms", [t.__dict__ for r in analyses for t in r.sanctions_terms])
        writer.append("quotes", [q.__dict__ for r in analyses for q in r.quotes])


def _next_batch(writer, batch: list[Article], analyser: Analyser, report: IngestReport, pending: Batch | None) -> Batch:
    """Start analysing ``batch``, then store the batch before it: with worker
    processes, this process stores one batch (and reads the next) while the
    workers analyse another."""
    started = Batch(batch, analyser)
    if pending is not None:
        pending.write(writer, report)
    return started
