"""Turn files into raw documents: one per text file, one per CSV or JSONL row.

Every problem becomes a :class:`~core.records.Rejection` naming the file (or row)
and the reason; a reader never raises for bad content, so a batch goes on.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.records import RawDocument, Rejection

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TABLE_SUFFIXES = {".csv", ".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES

MAX_FILE_BYTES = 20_000_000
"""A single-article file larger than this is refused (CSV and JSONL are streamed and exempt)."""
MAX_TABLE_BYTES = 2_000_000_000

# Column names accepted for each field of a CSV or JSONL row, first match wins.
COLUMN_NAMES = {
    "text": ("text", "body", "content", "texte", "article", "contenu"),
    "title": ("title", "titre", "headline"),
    "date": ("date", "published", "published_at", "publication_date", "date_publication"),
    "source": ("source", "site", "media", "outlet"),
    "url": ("url", "link", "lien"),
    "lang": ("language", "lang", "langue"),
}

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InputError(ValueError):
    """Bytes or arguments that cannot be read as articles; the message says why."""


def printable_name(name: str) -> str:
    """Return ``name`` with control characters shown as ``\\xNN`` escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def decode_bytes(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode article bytes, returning ``(text, encoding, notes)``.

    Order: a byte-order mark; then strict UTF-8; then the best guess of
    charset-normalizer, falling back to cp1252 (the usual encoding of French
    text not in UTF-8). Raises :class:`InputError` for binary content.
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"binary content: this is {what}, not text")
    notes: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _normalise_newlines(data.decode(encoding)), encoding, ()
            except UnicodeDecodeError as error:
                raise InputError(f"not valid {encoding} despite its byte-order mark ({error.reason})")
    nul_count = data.count(b"\x00")
    if nul_count:
        if nul_count > max(8, len(data) // 100):
            raise InputError("binary content: the file is full of NUL bytes")
        data = data.replace(b"\x00", b"")
        notes.append(f"{nul_count} NUL byte(s) removed")
    try:
        return _normalise_newlines(data.decode("utf-8")), "utf-8", tuple(notes)
    except UnicodeDecodeError:
        pass
    encoding = _guess_encoding(data)
    text = data.decode(encoding, errors="replace")
    if _looks_binary(text):
        raise InputError("binary content: the bytes do not decode to text")
    return _normalise_newlines(text), encoding, tuple(notes)


def _guess_encoding(data: bytes) -> str:
    """Encoding of non-UTF-8 bytes: cp1252 for Western text, else charset-normalizer's guess.

    Statistical detectors misjudge short French text (an "à" read as Czech "ŕ"),
    so cp1252 is tried first and kept unless most letters come out non-ASCII,
    which is what another alphabet decoded as cp1252 looks like.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        letters = [ch for ch in text[:20_000] if ch.isalpha()]
        foreign = sum(1 for ch in letters if not ch.isascii())
        if not letters or foreign <= len(letters) * 0.3:
            return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None:
        return best.encoding
    return "latin-1"


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    if not sample:
        return False
    controls = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    return controls > len(sample) * 0.05


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def has_letters(text: str) -> bool:
    """True when ``text`` holds at least one letter in any script."""
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[Path, str]]:
    """Yield ``(path, source)`` for every file under the given files and folders.

    A file given directly keeps its path as given; a file found in a folder is
    named by the folder's name and its path relative to the folder, so two
    ``article.txt`` in different sub-folders stay distinct. Hidden files and
    folders (``.git``, ``.DS_Store``) are skipped. Raises :class:`InputError`
    for a path that does not exist.
    """
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError(f"no such file or folder: {printable_name(str(given))}")
        if path.is_file():
            yield path, printable_name(str(given))
            continue
        base = path.resolve().name or "corpus"
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                found = Path(root) / name
                relative = found.relative_to(path).as_posix()
                yield found, printable_name(f"{base}/{relative}")


@dataclass(frozen=True)
class RowStart:
    """Where a row of a CSV or JSONL file begins: its number (as in ``file.csv#12``), the lines before
    it and its byte offset, found by :func:`row_starts`, so that a piece of a large table is read from
    there rather than from the top."""

    row: int
    line: int
    offset: int


FIRST_ROW = RowStart(1, 0, 0)


def read_path(path: Path, source: str, start: RowStart | None = None,
              stop: int | None = None) -> Iterator[RawDocument | Rejection]:
    """Read one file into raw documents, yielding a rejection for what cannot be read.

    ``start`` and ``stop`` read a piece of a large CSV or JSONL file: its rows numbered from
    ``start.row`` up to ``stop`` (excluded), from ``start.offset`` on. What concerns the whole file (no
    text column, too large) comes with the piece that holds row 1, so it is said once; a piece that
    cannot be read is rejected with its rows (``file.csv#2049-4096``)."""
    if start is None or start.row == 1:
        yield from _read_path(path, source, start, stop, source)
        return
    rows = f"{source}#{start.row}-{stop - 1}" if stop is not None else f"{source}#{start.row}-"
    for item in _read_path(path, source, start, stop, rows):
        if item.source != source:
            yield item


def _read_path(path: Path, source: str, start: RowStart | None, stop: int | None,
               where: str) -> Iterator[RawDocument | Rejection]:
    """``where``: what a read error is said of (the file, or the piece of it being read)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(no extension)"
        yield Rejection(source, f"unsupported file type {shown}: expected .txt, .md, .html, .csv or .jsonl")
        return
    try:
        size = path.stat().st_size
    except OSError as error:
        yield Rejection(where, f"cannot read the file: {error.strerror}")
        return
    limit = MAX_TABLE_BYTES if suffix in TABLE_SUFFIXES else MAX_FILE_BYTES
    if size > limit:
        yield Rejection(source, f"file too large: {size / 1e6:.1f} MB, the limit for one {suffix} file is {limit / 1e6:.0f} MB")
        return
    try:
        if suffix in TABLE_SUFFIXES:
            with path.open("rb") as handle:
                yield from read_table(handle, source, suffix, start, stop)
        else:
            yield from read_bytes(path.read_bytes(), source, suffix)
    except OSError as error:
        yield Rejection(where, f"cannot read the file: {error.strerror or error}")


def row_starts(path: Path, every: int, max_bytes: int) -> list[RowStart]:
    """Where to cut a CSV or JSONL file into pieces of ``every`` rows, or fewer where rows are long
    (about ``max_bytes`` a piece), found in one reading (JSONL: its lines; CSV: parsed, as a row may
    hold line breaks). ``[FIRST_ROW]`` alone for a file read whole: too small, not a table, UTF-16, or
    unreadable (the reader says why)."""
    try:
        with path.open("rb") as handle:
            if path.suffix.lower() not in TABLE_SUFFIXES or any(handle.read(8).startswith(m) for m, _ in _MAGIC):
                return [FIRST_ROW]
            handle.seek(0)
            encoding = _table_encoding(handle)
            if encoding == "utf-16":  # lines end at any of \r, \n, \r\n there, and offsets are not byte counts
                return [FIRST_ROW]
            starts = [FIRST_ROW]
            if path.suffix.lower() != ".csv":
                line = 0
                while True:
                    offset = handle.tell()
                    raw = handle.readline()
                    if not raw:
                        break
                    line += 1
                    # cut at a row, never at a blank line: the first piece then holds the first row, if any
                    if raw.strip() and (line - starts[-1].row >= every or offset - starts[-1].offset >= max_bytes):
                        starts.append(RowStart(line, line - 1, offset))
                return starts
            stream = _LineDecoder(handle, encoding)
            opened = _csv_reader(stream, path.name)
            if isinstance(opened, Rejection):
                return [FIRST_ROW]
            reader = opened[0]
            row = 1  # the row about to be read
            while True:
                offset, line = handle.tell(), stream.line
                if row - starts[-1].row >= every or offset - starts[-1].offset >= max_bytes:
                    starts.append(RowStart(row, line, offset))
                try:
                    next(reader)
                except StopIteration:
                    if len(starts) > 1 and starts[-1].row == row:  # no row there
                        starts.pop()
                    return starts
                except csv.Error:  # the piece it falls in reports it
                    return starts
                row += 1
    except OSError:
        return [FIRST_ROW]


def read_bytes(data: bytes, source: str, suffix: str) -> Iterator[RawDocument | Rejection]:
    """Read an in-memory file (an upload, or a file already read) of the given suffix.

    ``source`` is only a label (control characters are escaped); it is never
    used as a path, so an uploaded name like ``../../x.txt`` is harmless.
    """
    source = printable_name(source)
    suffix = suffix.lower()
    if suffix in TABLE_SUFFIXES:
        yield from read_table(io.BytesIO(data), source, suffix)
        return
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        yield Rejection(source, f"unsupported file type {suffix or '(no extension)'}: expected .txt, .md, .html, .csv or .jsonl")
        return
    if len(data) > MAX_FILE_BYTES:
        yield Rejection(source, f"file too large: {len(data) / 1e6:.1f} MB, the limit for one {suffix} file is {MAX_FILE_BYTES / 1e6:.0f} MB")
        return
    try:
        text, encoding, notes = decode_bytes(data)
    except InputError as error:
        yield Rejection(source, str(error))
        return
    if suffix in HTML_SUFFIXES:
        yield _from_html(text, source, encoding, notes)
    elif suffix in {".md", ".markdown"}:
        yield _checked(_from_markdown(text, source, encoding, notes))
    else:
        yield _checked(RawDocument(source=source, raw_text=text, encoding=encoding, notes=notes))


def _checked(document: RawDocument) -> RawDocument | Rejection:
    if not document.raw_text.strip():
        return Rejection(document.source, "empty: the file holds no text" if not document.raw_text else "empty: the file holds only white space")
    if not has_letters(document.raw_text):
        return Rejection(document.source, "no words: the file holds only numbers, punctuation or symbols")
    return document


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def _from_markdown(text: str, source: str, encoding: str, notes: tuple[str, ...]) -> RawDocument:
    """Keep the Markdown as raw text; take the first heading as the title."""
    title = None
    for line in text.split("\n"):
        match = _MD_HEADING.match(line)
        if match:
            title = _MD_LINK.sub(r"\1", match.group(1)).strip() or None
            break
        if line.strip():
            break
    return RawDocument(source=source, raw_text=text, encoding=encoding, title=title, notes=notes)


def markdown_to_text(text: str) -> str:
    """Plain text of a Markdown article: headings unmarked, links replaced by their words."""
    lines = []
    for line in text.split("\n"):
        match = _MD_HEADING.match(line)
        if match:
            line = match.group(1)
        line = _MD_LINK.sub(r"\1", line)
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        lines.append(line)
    return "\n".join(lines)


def _from_html(html: str, source: str, encoding: str, notes: tuple[str, ...]) -> RawDocument | Rejection:
    """Extract the article from a web page with trafilatura, falling back to the page's text."""
    import trafilatura

    extracted = None
    try:
        extracted = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # trafilatura raises many kinds on broken markup
        notes = notes + (f"article extractor failed ({type(error).__name__}); page text used",)
    body = getattr(extracted, "text", None) if extracted is not None else None
    title = getattr(extracted, "title", None) if extracted is not None else None
    date = getattr(extracted, "date", None) if extracted is not None else None
    url = getattr(extracted, "url", None) if extracted is not None else None
    outlet = getattr(extracted, "sitename", None) if extracted is not None else None
    if not body or not body.strip():
        body, title = _html_page_text(html, title)
        if body.strip():
            notes = notes + ("no article block found; the page's visible text was kept",)
    if not body or not body.strip():
        return Rejection(source, "empty: the web page holds no visible text")
    document = RawDocument(
        source=source, raw_text=_normalise_newlines(body), encoding=encoding,
        title=title or None, date=date or None, url=url or None, outlet=outlet or None, notes=notes,
    )
    return _checked(document)


def _html_page_text(html: str, title: str | None) -> tuple[str, str | None]:
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return "", title
    for node in tree.xpath("//script|//style|//noscript|//template|//nav|//header|//footer"):
        node.drop_tree()
    if title is None:
        found = tree.findtext(".//title")
        title = found.strip() if found else None
    text = "\n".join(line.strip() for line in tree.text_content().split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip(), title


def _pick_column(columns: Iterable[str], field: str) -> str | None:
    by_name = {column.strip().lower(): column for column in columns if column is not None}
    for name in COLUMN_NAMES[field]:
        if name in by_name:
            return by_name[name]
    return None


def _row_document(row: dict, columns: dict[str, str | None], source: str, encoding: str,
                  notes: tuple[str, ...] = ()) -> RawDocument | Rejection:
    def value(field: str) -> str | None:
        column = columns.get(field)
        found = row.get(column) if column else None
        if found is None:
            return None
        found = str(found).strip()
        return found or None

    text = row.get(columns["text"])
    if not isinstance(text, str):
        return Rejection(source, "the text field is missing or not a string")
    text = _normalise_newlines(text.replace("\x00", ""))
    document = RawDocument(
        source=source, raw_text=text, encoding=encoding, title=value("title"),
        date=value("date"), url=value("url"), lang=value("lang"), outlet=value("source"), notes=notes + _replaced_note(text),
    )
    return _checked(document)


def read_table(handle: io.BufferedIOBase, source: str, suffix: str, start: RowStart | None = None,
               stop: int | None = None) -> Iterator[RawDocument | Rejection]:
    """Stream a CSV or JSONL file, one raw document per row, one rejection per bad row (from the row
    at ``start`` up to row ``stop`` excluded, when given: see :func:`read_path`)."""
    head = handle.read(8)
    handle.seek(0)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            yield Rejection(source, f"binary content: this is {what}, not {suffix[1:].upper()}")
            return
    encoding = _table_encoding(handle)
    if encoding == "utf-16":
        text_stream = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")
    else:
        text_stream = _LineDecoder(handle, encoding)
    if suffix == ".csv":
        yield from _read_csv(text_stream, source, encoding, start, stop)
    else:
        yield from _read_jsonl(text_stream, source, encoding, start, stop)


TABLE_SAMPLE_BYTES = 1_000_000
"""How much of a CSV or JSONL file is read to tell its encoding."""


def _table_encoding(handle: io.BufferedIOBase) -> str:
    """The encoding a CSV or JSONL file falls back to where a line is not UTF-8, told from its first
    megabyte as a text file's is (cp1252 for Western text, else charset-normalizer's guess), or
    ``utf-16`` for a file with that byte-order mark. Each line is read as UTF-8 when it decodes
    (:class:`_LineDecoder`): a file that mixes rows of both is common in exports."""
    sample = handle.read(TABLE_SAMPLE_BYTES)
    handle.seek(0)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    legacy = []
    for line in sample.split(b"\n"):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(line)
    return _guess_encoding(b"\n".join(legacy)) if legacy else "cp1252"


class _LineDecoder:
    """The lines of a byte stream as text: each line UTF-8 when it decodes (or when it holds UTF-8
    accents and a few stray bytes, shown as \ufffd), else in the file's legacy encoding
    (``legacy_lines`` holds their numbers, from 1), so that one cp1252 row garbles neither itself
    nor the UTF-8 rows around it. Enough of a text stream for ``csv`` and JSONL."""

    def __init__(self, handle: io.BufferedIOBase, legacy: str):
        self.handle, self.legacy = handle, legacy
        self.line = 0
        self.legacy_lines: set[int] = set()

    def __iter__(self):
        return self

    def __next__(self) -> str:
        raw = self.handle.readline()
        if not raw:
            raise StopIteration
        self.line += 1
        return self._decode(raw, self.line)

    def read(self, size: int = -1) -> str:
        data = self.handle.read(size)
        return "".join(self._decode(raw, None) for raw in data.splitlines(keepends=True))

    def seek(self, offset: int, whence: int = 0) -> int:
        self.line = 0
        return self.handle.seek(offset, whence)

    def _decode(self, raw: bytes, number: int | None) -> str:
        if number == 1 or (number is None and self.handle.tell() - len(raw) <= 3):
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            as_utf8 = raw.decode("utf-8", errors="replace")
            bad = as_utf8.count("\ufffd")
            if sum(1 for ch in as_utf8 if not ch.isascii()) - bad >= bad:  # UTF-8 accents and a few stray bytes
                return as_utf8
            if number is not None:
                self.legacy_lines.add(number)
            return raw.decode(self.legacy, errors="replace")


def _row_encoding(encoding: str, notes: tuple[str, ...]) -> str:
    """A row's encoding: the file's legacy one where the row was read so, else UTF-8."""
    return encoding if encoding == "utf-16" or notes else "utf-8"


def _legacy_note(stream, lines: range) -> tuple[str, ...]:
    legacy = getattr(stream, "legacy_lines", None)
    if legacy and any(line in legacy for line in lines):
        return (f"not UTF-8: read as {stream.legacy}",)
    return ()


def _replaced_note(text: str) -> tuple[str, ...]:
    count = text.count("\ufffd")
    return (f"{count} byte(s) that are not text in the file's encoding shown as \ufffd",) if count else ()


def _csv_reader(stream, source: str) -> tuple[csv.DictReader, dict[str, str | None]] | Rejection:
    """A CSV file's reader, its header read, and the columns it holds each field in; or why it cannot be read."""
    sample = stream.read(65_536)
    stream.seek(0)
    if not sample.strip():
        return Rejection(source, "empty: the CSV file holds no rows")
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.DictReader(stream, dialect=dialect)
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        return Rejection(source, f"unreadable CSV header: {error}")
    columns = {field: _pick_column(header, field) for field in COLUMN_NAMES}
    if columns["text"] is None:
        shown = ", ".join(printable_name(str(h)) for h in header[:12]) or "none"
        expected = ", ".join(COLUMN_NAMES["text"])
        return Rejection(source, f"no text column: expected one of {expected}; found {shown}")
    return reader, columns


def _read_csv(stream: io.TextIOBase, source: str, encoding: str, start: RowStart | None = None,
              stop: int | None = None) -> Iterator[RawDocument | Rejection]:
    opened = _csv_reader(stream, source)
    if isinstance(opened, Rejection):
        yield opened
        return
    reader, columns = opened
    row_number, lines_skipped = 0, 0
    if start is not None and start.row > 1:  # a piece: on from its first row, the header read above
        lines_skipped = start.line - reader.line_num
        stream.seek(start.offset)
        stream.line = start.line
        row_number = start.row - 1
    while True:
        row_number += 1
        row_source = f"{source}#{row_number}"
        first_line = reader.line_num + lines_skipped + 1
        if stop is not None and row_number >= stop:
            return
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Rejection(row_source, f"unreadable CSV row: {error}")
            return
        notes = _legacy_note(stream, range(first_line, reader.line_num + lines_skipped + 1))
        yield _row_document(row, columns, row_source, _row_encoding(encoding, notes), notes)


def _read_jsonl(stream: io.TextIOBase, source: str, encoding: str, start: RowStart | None = None,
                stop: int | None = None) -> Iterator[RawDocument | Rejection]:
    seen_any = False
    first = 1
    if start is not None and start.row > 1:  # a piece: on from its first line
        stream.seek(start.offset)
        stream.line = start.line
        first, seen_any = start.row, True
    cut = False  # stopped before the end of the file: what follows is another piece's
    for line_number, line in enumerate(stream, start=first):
        if stop is not None and line_number >= stop:
            cut = True
            break
        if not line.strip():
            continue
        seen_any = True
        row_source = f"{source}#{line_number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield Rejection(row_source, f"invalid JSON on line {line_number}: {error.msg} (column {error.colno})")
            continue
        except RecursionError:
            yield Rejection(row_source, f"unreadable JSON on line {line_number}: nested too deep")
            continue
        except ValueError as error:  # e.g. an integer of thousands of digits
            yield Rejection(row_source, f"unreadable JSON on line {line_number}: {str(error)[:120]}")
            continue
        if not isinstance(row, dict):
            yield Rejection(row_source, f"line {line_number} is a JSON {type(row).__name__}, not an object")
            continue
        columns = {field: _pick_column(row.keys(), field) for field in COLUMN_NAMES}
        if columns["text"] is None:
            expected = ", ".join(COLUMN_NAMES["text"])
            yield Rejection(row_source, f"no text field on line {line_number}: expected one of {expected}")
            continue
        notes = _legacy_note(stream, range(line_number, line_number + 1))
        yield _row_document(row, columns, row_source, _row_encoding(encoding, notes), notes)
    if not seen_any and not cut:
        yield Rejection(source, "empty: the JSONL file holds no rows")
