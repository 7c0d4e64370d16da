"""Search the whole corpus: words, quoted phrases and entities, accent- and case-folded, as
keyword-in-context lines.

The index is SQLite's FTS5 (in Python's standard library: nothing to install), built at ingest: each
write adds one immutable index file of the articles it stored (``parts/search-*.sqlite``, named in the
manifest like the Parquet parts), tokenised by ``unicode61`` with diacritics removed, so "securite"
finds "sécurité" and "Ukraine" finds "l'Ukraine". An index is contentless (the texts stay in the
Parquet parts): a query gives the articles that match; the lines in context are then cut from the texts
of the articles shown, found again in Python with the same folding.

Query syntax: words must all occur (``sanctions Pyongyang``); a phrase between double quotes occurs as
written, words in order (``"Conseil de sécurité"``); a word ending in ``*`` is a prefix (``sanction*``);
a word or phrase after ``-`` must not occur (``-Ukraine``). An entity stands for all its surface forms,
any of which may occur.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.folding import fold

SCHEMA = (
    "CREATE VIRTUAL TABLE docs USING fts5(text, content='', detail=full, tokenize='unicode61 remove_diacritics 2');"
    "CREATE TABLE ids (rowid INTEGER PRIMARY KEY, article TEXT NOT NULL);"
)
WINDOW = 60


class QueryError(ValueError):
    """A query that cannot be run; the message says why."""


# Queries -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """A word or a phrase (its words, as typed), ``prefix`` when its last word ends in ``*``."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        quoted = '"' + " ".join(self.words).replace('"', '""') + '"'
        return quoted + ("*" if self.prefix else "")

    def pattern(self) -> str:
        """A regular expression for the term in folded text (words apart by anything that is not a letter or digit)."""
        body = r"[\W_]+".join(re.escape(fold(word)) for word in self.words)
        return r"(?<![^\W_])" + body + (r"[^\W_]*" if self.prefix else r"(?![^\W_])")


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...] = ()
    excluded: tuple[Term, ...] = ()
    entity: str | None = None
    forms: tuple[Term, ...] = field(default=())  # any one of the entity's forms

    @property
    def empty(self) -> bool:
        return not self.terms and not self.forms

    def fts(self) -> str:
        if self.empty:
            raise QueryError("nothing to look for: type a word or a phrase, or choose an entity")
        parts = [term.fts() for term in self.terms]
        if self.forms:
            parts.append("(" + " OR ".join(term.fts() for term in self.forms) + ")")
        expression = " AND ".join(parts)
        if self.excluded:
            expression = f"({expression}) NOT (" + " OR ".join(term.fts() for term in self.excluded) + ")"
        return expression

    def patterns(self) -> re.Pattern | None:
        """One expression for everything the lines in context mark (not the excluded terms)."""
        # longest first: an alternation takes the first that matches ("Kim Jong Un" whole, not "Kim")
        terms = sorted((*self.terms, *self.forms), key=lambda t: (-len(t.words), -len(" ".join(t.words))))
        found = [term.pattern() for term in terms]
        return re.compile("|".join(f"(?:{p})" for p in found)) if found else None

    def describe(self) -> str:
        parts = [("“" + " ".join(t.words) + ("*" if t.prefix else "") + "”") if len(t.words) > 1
                 else " ".join(t.words) + ("*" if t.prefix else "") for t in self.terms]
        if self.entity:
            parts.append(f"{self.entity} (any of its {len(self.forms)} forms)")
        described = " and ".join(parts)
        if self.excluded:
            described += ", without " + ", ".join(" ".join(t.words) for t in self.excluded)
        return described


_TOKEN = re.compile(r'(-?)"([^"]*)"(\*?)|(-?)(\S+)')


def _words(text: str) -> tuple[str, ...]:
    return tuple(word for word in re.findall(r"[^\W_]+", text))


def parse(text: str, entity: str | None = None, forms: Iterable[str] = ()) -> Query:
    """A query from what the analyst typed, and an entity with its surface forms."""
    terms, excluded = [], []
    for match in _TOKEN.finditer(text or ""):
        if match.group(2) is not None:  # a phrase
            negative, words, prefix = match.group(1), _words(match.group(2)), bool(match.group(3))
        else:
            negative, raw = match.group(4), match.group(5)
            prefix = raw.endswith("*")
            words = _words(raw)
        if not words:
            continue
        (excluded if negative else terms).append(Term(words, prefix))
    entity_terms = tuple(dict.fromkeys(Term(_words(form)) for form in forms if _words(form)))
    return Query(tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(excluded)), entity if entity_terms else None, entity_terms)


# Folding ----------------------------------------------------------------------------

def _fold_char(ch: str) -> str:
    return fold(ch) or ch  # a lone accent stays: every character of the text has a place in the folded one


def _folded_with_positions(text: str) -> tuple[str, list[int] | range]:
    """The folded text and, for each of its characters, the position of the character it came from."""
    folds = {ch: _fold_char(ch) for ch in set(text)}
    if all(len(folded) == 1 for folded in folds.values()):  # the usual case: one character each, same places
        return text.translate({ord(ch): folded for ch, folded in folds.items()}), range(len(text) + 1)
    pieces, positions = [], []
    for index, ch in enumerate(text):
        folded = _fold_char(ch) if not ch.isascii() else ch.lower()
        pieces.append(folded)
        positions.extend([index] * len(folded))
    positions.append(len(text))
    return "".join(pieces), positions


def hits(text: str, query: Query) -> list[tuple[int, int]]:
    """Where the query's words, phrases and forms occur in ``text`` (offsets in ``text``), in order."""
    pattern = query.patterns()
    if pattern is None or not text:
        return []
    folded, positions = _folded_with_positions(text)
    return [(positions[m.start()], positions[m.end() - 1] + 1) for m in pattern.finditer(folded) if m.end() > m.start()]


def in_context(text: str, spans: list[tuple[int, int]], window: int = WINDOW) -> list[dict]:
    """Keyword-in-context rows of the spans: start, end, left, match, right (line breaks as spaces)."""
    rows = []
    for start, end in spans:
        rows.append({"start": start, "end": end,
                     "left": re.sub(r"\s+", " ", text[max(0, start - window):start]),
                     "match": re.sub(r"\s+", " ", text[start:end]),
                     "right": re.sub(r"\s+", " ", text[end:end + window])})
    return rows


# The index ---------------------------------------------------------------------------

def create_index(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
    connection.execute("BEGIN")
    return connection


def add_texts(connection: sqlite3.Connection, rows: Iterable[tuple[str, str]]) -> int:
    """Index (article id, text) rows; returns how many."""
    count = 0
    for article, text in rows:
        if not isinstance(text, str) or not text:
            continue
        cursor = connection.execute("INSERT INTO ids (article) VALUES (?)", (article,))
        connection.execute("INSERT INTO docs (rowid, text) VALUES (?, ?)", (cursor.lastrowid, text))
        count += 1
    return count


def finish_index(connection: sqlite3.Connection) -> None:
    """Commit, merge the index's segments into one (faster queries), and close."""
    connection.execute("COMMIT")
    connection.execute("INSERT INTO docs (docs) VALUES ('optimize')")
    connection.close()


@contextlib.contextmanager
def _open(path: Path) -> Iterator[sqlite3.Connection]:
    # immutable: the file never changes once committed, so SQLite takes no lock and keeps no journal
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def matching_articles(paths: Iterable[Path], query: Query) -> set[str]:
    """The ids of the articles whose text matches ``query``, over every index file."""
    return matching_expression(paths, query.fts())


def matching_expression(paths: Iterable[Path], expression: str) -> set[str]:
    """The ids of the articles whose text matches an FTS5 expression (``Query.fts``)."""
    found: set[str] = set()
    for path in paths:
        with _open(path) as connection:
            try:
                rows = connection.execute(
                    "SELECT ids.article FROM docs JOIN ids ON ids.rowid = docs.rowid WHERE docs MATCH ?", (expression,))
                found.update(article for (article,) in rows)
            except sqlite3.OperationalError as error:
                raise QueryError(f"the search index cannot run this query ({error})") from None
    return found


def index_paths(store, manifest: dict | None = None) -> list[Path] | None:
    """The store's index files, or None for a store built before the index existed."""
    manifest = manifest or store.manifest()
    if "search" not in manifest:
        return None
    return [store.path / relative for relative in manifest["search"]]


def hit_rows(texts: dict[str, str], query: Query, window: int = WINDOW) -> pd.DataFrame:
    """Every hit of the query in the given articles' texts, in text order per article: article, start, end,
    left, match, right."""
    columns = ["article", "start", "end", "left", "match", "right"]
    rows = [{"article": article, **row} for article, text in texts.items() for row in in_context(text, hits(text, query), window)]
    return pd.DataFrame(rows, columns=columns)
