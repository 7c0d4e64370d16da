"""Record kinds that flow from files to the store.

Each record is a frozen dataclass whose fields are documented where they are
declared. Functions in ``core`` build new records; none mutates one it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Status codes of an article record.
ANALYSED = "analysed"
DUPLICATE = "duplicate"
UNANALYSED = "unanalysed"


@dataclass(frozen=True)
class RawDocument:
    """One article as a reader found it, before cleaning and dating."""

    source: str
    """Where it came from: the path as given (or relative to the ingested folder),
    with ``#N`` appended for the N-th data row of a CSV or JSONL file."""
    raw_text: str
    """The text exactly as decoded, line endings normalised to ``\\n``."""
    encoding: str
    """The character encoding the bytes were decoded with."""
    title: str | None = None
    """A title given by the file itself (HTML title, Markdown heading, a CSV column)."""
    date: str | None = None
    """A date given by the file's metadata, unparsed (a CSV/JSONL column, HTML meta)."""
    url: str | None = None
    """An address given by the file's metadata."""
    lang: str | None = None
    """A language code given by the file's metadata."""
    outlet: str | None = None
    """The publication named by the file's metadata (a CSV ``source`` column, a site name)."""
    notes: tuple[str, ...] = ()
    """Things the reader changed or noticed, in plain words (e.g. NUL bytes removed)."""


@dataclass(frozen=True)
class Rejection:
    """A file or row that could not become an article, with the reason."""

    source: str
    reason: str


@dataclass(frozen=True)
class ArticleDate:
    """A publication date with the precision it was known to."""

    value: str | None
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; None when undated."""
    precision: str | None
    """``day``, ``month`` or ``year``; None when undated."""
    source: str | None
    """``header``, ``metadata``, ``text``, ``inferred`` (from the text, its year inferred) or
    ``user``; None when undated."""
    note: str | None = None
    """What dated it ("publication stamp: 'Publié le 3 mars 2024'"), how a year was inferred,
    or why a date that was seen was not used."""
    """Why a date-looking header or field was not used, when that happened."""


UNDATED = ArticleDate(None, None, None)


@dataclass(frozen=True)
class Article:
    """One article as kept in the store."""

    id: str
    """Stable identifier: a hash of the raw text (and of the source, for an exact duplicate)."""
    source: str
    title: str | None
    raw_text: str
    """The text as read; empty for an exact duplicate, whose text is that of ``duplicate_of``."""
    text: str
    """The cleaned body that analysis reads: header, boilerplate and repeated lines removed."""
    lang: str
    """ISO 639-1 code from the detector (or the file's metadata), ``und`` when unknown."""
    date: str | None
    date_precision: str | None
    date_source: str | None
    date_note: str | None
    words: int
    """Number of words in the cleaned body."""
    status: str
    """``analysed``, ``duplicate`` (exact copy of another file) or ``unanalysed``."""
    status_reason: str | None
    """Why an article was not analysed, or how when its language has no model of its own, in plain words."""
    duplicate_of: str | None
    """The first-seen article this one copies (exactly, or as a wire copy)."""
    content_hash: str
    """Hash of the raw text; two files with the same text share it."""
    encoding: str
    url: str | None
    outlet: str | None
    """The publication, when the file's metadata names one."""
    removed: str
    """JSON list of the lines cleaning removed, each ``{"line": ..., "rule": ...}``."""
    notes: str
    """Reader and cleaning notes joined by ``; `` (empty when none)."""
    ingested_at: str
    """UTC time of the ingest run that added it (ISO 8601)."""
    title_source: str | None = None
    """Where the title comes from: ``metadata`` (a title column, an HTML title), ``headline`` (a short line
    before the body), ``first words`` (of the text, when it has no headline), or ``user``."""


@dataclass(frozen=True)
class Sentence:
    """A sentence of an analysed article, as character offsets into its cleaned body."""

    article: str
    sent: int
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A named-entity mention found by the French pipeline."""

    article: str
    sent: int
    """Index of the sentence that holds it."""
    start: int
    end: int
    text: str
    """The surface form as written."""
    label: str
    """spaCy's label: PER, LOC, ORG or MISC."""


@dataclass(frozen=True)
class SanctionsTerm:
    """A sanctions-lexicon term matched in a sentence."""

    article: str
    sent: int
    start: int
    end: int
    term: str
    """The matched text as written."""
    entry: str
    """The lexicon entry it matched (its canonical wording)."""
    category: str


@dataclass(frozen=True)
class Quote:
    """Reported speech in an article: a direct quote (between quotation marks) or an indirect one."""

    article: str
    sent: int
    """Index of the sentence where it starts."""
    start: int
    end: int
    """The quoted words (the content of the marks, or the reported clause), as offsets into the cleaned text."""
    kind: str
    """``direct`` or ``indirect``."""
    speaker_start: int
    speaker_end: int
    """Offsets of the words that name the speaker (-1 when the text names none)."""
    speaker_text: str
    """Those words as written ("Dmitri Peskov", "le porte-parole du Kremlin"); empty when none."""
    cue: str
    """How it was attributed: ``after`` (« … », a déclaré X), ``before`` (X a déclaré : « … »), ``colon``,
    ``selon``, ``que`` (X a dit que …), ``pronoun``, ``continuation`` or ``repeated`` (a headline)."""


@dataclass(frozen=True)
class ArticleAnalysis:
    """Everything the per-article NLP step produces for one article."""

    article: str
    lemmas: str
    """Content lemmas joined by spaces (no stop words, punctuation or numbers)."""
    sentences: tuple[Sentence, ...] = field(default_factory=tuple)
    mentions: tuple[Mention, ...] = field(default_factory=tuple)
    sanctions_terms: tuple[SanctionsTerm, ...] = field(default_factory=tuple)
    quotes: tuple[Quote, ...] = field(default_factory=tuple)
