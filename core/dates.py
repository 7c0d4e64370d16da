"""Publication dates: the ``date YYYY-MM`` header, metadata fields and datelines.

A date is kept at the precision it was given (a month stays a month) and with
where it came from. Nothing here looks at the clock except to refuse dates in
the future: an article with no clear date is undated, never dated today.

Why not ``dateparser``: its search mode resolves relative words ("mercredi",
"hier") against today's date, which is exactly the invented date this module
must never produce, and it finds dates anywhere in prose (a photo caption's
date is not the article's). The patterns below accept only explicit dates in
the places that date a piece: a header, a metadata field, a dateline at the
start of the body or a "Publié le" stamp.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from core.records import UNDATED, ArticleDate

MIN_YEAR = 1800

MONTHS = {
    # French
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "october": 10, "november": 11, "december": 12,
}
_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAYS = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)

_HEADER = re.compile(r"\A\s*date\s+(\d[\d-]*)(?:\s+|\Z)", re.IGNORECASE)
_HEADER_VALUE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")

# Explicit dates, on accent-folded lower-case text.
_DAY_MONTH_YEAR = rf"(?:(?:{_WEEKDAYS})\s+)?(\d{{1,2}})(?:er)?\s+({_MONTH_WORDS})\.?\s+(\d{{4}})"
_MONTH_DAY_YEAR = rf"(?:(?:{_WEEKDAYS}),?\s+)?({_MONTH_WORDS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})"
_NUMERIC = r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})"
_ISO = r"(\d{4})-(\d{2})-(\d{2})"
_EXPLICIT = re.compile(rf"{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR}|{_NUMERIC}|{_ISO}")

# What may stand before a dateline: a stamp word, "le", or a place name and a separator.
_STAMP = re.compile(
    r"(?:publie|mis a jour|modifie|published|updated|posted)(?:\s+(?:le|on|:))?\s*:?\s*\Z"
)
_DATELINE_PREFIX = re.compile(
    r"\A(?:le\s+|on\s+)?\Z"
    r"|\A[a-z][a-z' .\-]{0,40}(?:\([a-z ]{2,12}\))?\s*[,\-–—:]\s*(?:le\s+)?\Z"
)

DATELINE_WINDOW = 120
STAMP_WINDOW = 600


@dataclass(frozen=True)
class HeaderSplit:
    """The body with a leading ``date ...`` header removed, and the date it gave."""

    body: str
    date: ArticleDate
    had_header: bool


def _today() -> dt.date:
    return dt.date.today()


def make_date(year: int, month: int | None, day: int | None, source: str) -> ArticleDate:
    """Validate parts of a date and return it at its precision, or undated with a note."""
    shown = "-".join(f"{part:02d}" if index else f"{part:04d}" for index, part in enumerate(p for p in (year, month, day) if p is not None))
    if year < MIN_YEAR:
        return ArticleDate(None, None, None, f"{source} date {shown} ignored: before {MIN_YEAR}")
    if month is not None and not 1 <= month <= 12:
        return ArticleDate(None, None, None, f"{source} date {shown} ignored: there is no month {month}")
    if day is not None:
        try:
            value = dt.date(year, month, day)
        except ValueError:
            return ArticleDate(None, None, None, f"{source} date {shown} ignored: no such day")
        if value > _today():
            return ArticleDate(None, None, None, f"{source} date {shown} ignored: it is in the future")
        return ArticleDate(value.isoformat(), "day", source)
    today = _today()
    if (year, month or 1) > (today.year, today.month if month else 1):
        return ArticleDate(None, None, None, f"{source} date {shown} ignored: it is in the future")
    if month is not None:
        return ArticleDate(f"{year:04d}-{month:02d}", "month", source)
    return ArticleDate(f"{year:04d}", "year", source)


def split_header(text: str) -> HeaderSplit:
    """Remove a leading ``date YYYY[-MM[-DD]]`` header and read its date.

    The header is removed even when its date is impossible (it is never prose),
    and the date's note then says why it was not used.
    """
    match = _HEADER.match(text)
    if not match:
        return HeaderSplit(text, UNDATED, False)
    value = match.group(1)
    body = text[match.end():]
    parts = _HEADER_VALUE.fullmatch(value)
    if not parts:
        return HeaderSplit(body, ArticleDate(None, None, None, f"header date {value!r} ignored: not a date"), True)
    year, month, day = (int(p) if p else None for p in parts.groups())
    return HeaderSplit(body, make_date(year, month, day, "header"), True)


def parse_metadata_date(value: str | None) -> ArticleDate:
    """Parse a date given by a file's metadata: ISO forms, ``DD/MM/YYYY`` or written out."""
    if not value or not value.strip():
        return UNDATED
    raw = value.strip()
    iso = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?)?", raw)
    if iso:
        year, month, day = (int(p) if p else None for p in iso.groups())
        return make_date(year, month, day, "metadata")
    found = find_explicit_date(_fold(raw), whole=True)
    if found is not None:
        return make_date(*found, "metadata")
    return ArticleDate(None, None, None, f"metadata date {raw[:40]!r} ignored: not a date")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def find_explicit_date(folded: str, whole: bool = False) -> tuple[int, int, int] | None:
    """Return ``(year, month, day)`` of the first explicit date in accent-folded text."""
    match = _EXPLICIT.fullmatch(folded) if whole else _EXPLICIT.search(folded)
    if not match:
        return None
    return _parts(match)


def _parts(match: re.Match[str]) -> tuple[int, int, int]:
    g = match.groups()
    if g[0]:
        return int(g[2]), MONTHS[g[1]], int(g[0])
    if g[3]:
        return int(g[5]), MONTHS[g[3]], int(g[4])
    if g[6]:
        return int(g[8]), int(g[7]), int(g[6])
    return int(g[9]), int(g[10]), int(g[11])


def date_from_text(body: str) -> ArticleDate:
    """Find a dateline or a publication stamp that clearly dates the piece.

    Accepted: an explicit date opening the body ("Le 29/03/2024, ...",
    "PARIS, 19 juin 2024 (AFP) -", "June 19, 2024"), or one right after a stamp
    word ("Publié le", "Mis à jour le", "Published") near the start or end.
    A date inside a sentence further on (a photo caption, a recalled event)
    dates nothing and is ignored.
    """
    folded = _fold(body)
    head = folded.lstrip()[:DATELINE_WINDOW]
    for match in _EXPLICIT.finditer(head):
        if _DATELINE_PREFIX.match(head[: match.start()]):
            return _checked_text_date(match)
        break
    for window in (folded[:STAMP_WINDOW], folded[-STAMP_WINDOW:]):
        for match in _EXPLICIT.finditer(window):
            before = window[max(0, match.start() - 30): match.start()]
            if _STAMP.search(before):
                return _checked_text_date(match)
    return UNDATED


def _checked_text_date(match: re.Match[str]) -> ArticleDate:
    year, month, day = _parts(match)
    found = make_date(year, month, day, "text")
    return found if found.value else UNDATED


def date_overlaps(value: str | None, start: dt.date, end: dt.date) -> bool:
    """True when a date of any precision, read as a period, overlaps ``[start, end]``."""
    if value is None:
        return False
    first, last = date_period(value)
    return first <= end and last >= start


@functools.lru_cache(maxsize=1 << 16)  # a corpus has a few thousand distinct dates, read on every filter change
def date_period(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date covers."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        first = dt.date(year, month, 1)
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
