"""Publication dates: the ``date YYYY-MM`` header, metadata fields, stamps, datelines and ledes.

A date is kept at the precision it was given (a month stays a month) and with
where it came from. Nothing here looks at the clock except to refuse dates in
the future: an article with no clear date is undated, never dated today.

Every explicit date of a text is found first (:func:`find_dates`: written-out
French and English forms, numeric forms read day-first in French and
month-first in English, with the weekday and time of day that go with them),
then each is judged by where it stands (:func:`date_from_text`):

- a **publication stamp**: after "Publié le", "Mis à jour", "Published",
  "Updated"..., or alone on a short line near the top ("2023-01-26",
  "11 Oct 2023 02:59AM", "Le 14/02/2023 09:41"), or a numeric date with a
  time of day;
- a **dateline** opening a paragraph ("MOSCOU, 14 mars 2024 (Reuters) -");
- the **lead event** of the first paragraphs when the wording ties it to the
  time of writing: "ce lundi 13 décembre" dates the day, a weekday with its
  date ("lundi 13 décembre 2021") or "hier dimanche 30 mai" only the month.

Everything else dates an event, not the piece: a photo caption, a tweet, a
related-articles list, a lede about history ("Le 19 juillet 2000, ..."), a
deadline. A date written without its year is given one only when a named
weekday fits exactly one year next to the latest date the text writes out with
its year (a bare year, "depuis 2019", is more often history); such a
date is recorded with source ``inferred`` and a note saying so.

Why not ``dateparser``: its search mode resolves relative words ("mercredi",
"hier") against today's date, which is exactly the invented date this module
must never produce, and it finds dates anywhere in prose without telling a
stamp from a caption. What it parses well (numeric and written-out forms in
many languages) is covered here for French and English; measured against these
patterns in ``bench/date_methods.py``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import email.utils
import functools
import re
from dataclasses import dataclass

from core.folding import fold_in_place
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
ENGLISH_ONLY_MONTHS = {"mar", "may", "jan", "jun", "jul", "aug", "sep", "apr", "feb"}
"""Month words that are also ordinary English or French words ("may", "mar"): counted only when capitalised."""
WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}

_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_WORDS = "|".join(sorted(WEEKDAYS, key=len, reverse=True))

_HEADER = re.compile(r"\A\s*date\s+(\d{4}(?:-\d{1,2}){0,2})(?=\s|\Z)\s*", re.IGNORECASE)
_HEADER_VALUE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")

# On accent-folded lower-case text of the same length as the original (core.folding.fold_in_place).
_LEAD_WORDS = r"(?:(?P<lead>ce|cette|this|hier|yesterday|le|on)\s+)?"
_WEEKDAY = rf"(?:(?P<weekday>{_WEEKDAY_WORDS})\.?,?\s+(?:(?:le|the)\s+)?)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_DAY_MONTH = rf"(?P<d1>[0-3]?\d)(?:er|st|nd|rd|th|e)?\s+(?:of\s+)?(?P<m1>{_MONTH_WORDS})\b\.?(?:,?\s+{_YEAR})?"
_MONTH_DAY = rf"(?P<m2>{_MONTH_WORDS})\b\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<year2>(?:1[89]|20)\d\d))?"
_MONTH_YEAR = rf"(?P<m3>{_MONTH_WORDS})\b\.?,?\s+(?P<year3>(?:1[89]|20)\d\d)"
_NUMERIC = r"(?P<n1>[0-3]?\d)(?P<sep>[/.\-])(?P<n2>[0-3]?\d)(?P=sep)(?P<n3>(?:1[89]|20)\d\d)"
_ISO = r"(?P<iy>(?:1[89]|20)\d\d)(?P<isep>[/.\-])(?P<im>[01]?\d)(?P=isep)(?P<id>[0-3]?\d)"
_TIME = (
    r"(?P<time>\s{0,3}(?:(?:,|a|at|-|–|—|\||t|@)\s{0,3})?"
    r"(?:[0-2]?\d[:h][0-5]\d(?::[0-5]\d)?(?:\s*(?:am|pm|a\.m\.|p\.m\.))?|[01]?\d\s*(?:am|pm|a\.m\.|p\.m\.))"
    r"(?:\s*(?:gmt|utc|cet|cest|edt|est|pdt|pst|bst|wat|cat|eat|msk|z)\b)?)?"
)
_DATE = re.compile(
    rf"(?<![\w/.\-]){_LEAD_WORDS}{_WEEKDAY}"
    rf"(?:{_ISO}|{_NUMERIC}|{_DAY_MONTH}|{_MONTH_DAY}|{_MONTH_YEAR})(?![\w/]|[.\-]\d){_TIME}"
)

_STAMP_WORDS = re.compile(
    r"(?:publie|publiee|mis a jour|mise a jour|modifie|actualise|cree|date de publication|"
    r"first published|published|updated|last updated|posted|publication)(?:\s+(?:le|on|at))?\s*[:\-–]?\s*\Z"
)
_DATELINE = re.compile(
    r"\A(?:[A-ZÀ-Ý][A-ZÀ-Ý'’ .\-]{1,40}|[A-ZÀ-Ý][\w'’.\-]+(?: [A-ZÀ-Ý][\w'’.\-]+){0,2})"
    r"(?:\s*\([^)\n]{2,30}\))?\s*[,:\-–—]\s*\Z"
)
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)\n]{2,30}\)\s*)?[-–—]")
"""What follows a dateline's date: the agency, then a dash ("(Reuters) -", " –"); a headline's comma does not."""
_SPACE = re.compile(r"\s")
_URL_TOKEN = re.compile(r"https?://|www\.|\.(?:com|org|net|fr|html?|php)\b|/[^\W\d]\w*/")
_WORD = re.compile(r"[^\W\d_]+")
_CAPTION = re.compile(r"\b(?:photos?|file photo|credit|credits|getty images|afp photo|ap photo)\b|©")

TOP_CHARS = 3000
"""Stamps and datelines are looked for up to the third paragraph of prose, at most this far in."""
END_CHARS = 600
"""A stamp with its word ("Publié le ...") is also accepted this close to the end."""
LEAD_CHARS = 700
"""How much of each of the first two paragraphs of prose a lead-event date may stand in."""
PROSE_WORDS = 12
"""A line of at least this many words is prose (a headline, kicker or byline is shorter)."""


@dataclass(frozen=True)
class DateMention:
    """An explicit date written in a text, with what stands around it."""

    start: int
    end: int
    """Offsets of the date (with its weekday and time) in the text."""
    year: int | None
    month: int
    day: int | None
    weekday: int | None
    """The weekday named with it (0 is Monday), if any."""
    lead: str | None
    """The word before it: ``ce``, ``hier``, ``le``, ``this``, ``on``... (folded)."""
    has_time: bool
    numeric: bool
    """Written with digits only ("19/06/2024", "2024-06-19")."""

    @property
    def weekday_fits(self) -> bool:
        """False when the weekday named does not fall on that date."""
        if self.weekday is None or self.year is None or self.day is None:
            return True
        try:
            return dt.date(self.year, self.month, self.day).weekday() == self.weekday
        except ValueError:
            return False


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
    and the date's note then says why it was not used. "Date 12 novembre 2023 :"
    is prose, not a header, and keeps its words.
    """
    match = _HEADER.match(text)
    if not match:
        return HeaderSplit(text, UNDATED, False)
    value = match.group(1)
    body = text[match.end():]
    year, month, day = (int(p) if p else None for p in _HEADER_VALUE.fullmatch(value).groups())
    return HeaderSplit(body, make_date(year, month, day, "header"), True)


def parse_metadata_date(value: str | None, lang: str | None = None) -> ArticleDate:
    """Parse a date given by a file's metadata: ISO 8601, RFC 2822 (RSS ``pubDate``),
    numeric (``19/06/2024 10:30``, ``2024/06/19``) or written out."""
    if not value or not value.strip():
        return UNDATED
    raw = value.strip()
    iso = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?)?", raw)
    if iso:
        year, month, day = (int(p) if p else None for p in iso.groups())
        return make_date(year, month, day, "metadata")
    if re.match(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}", raw):
        parsed = email.utils.parsedate_tz(raw)
        if parsed is not None:
            return make_date(parsed[0], parsed[1], parsed[2], "metadata")
    found = [m for m in find_dates(raw, lang) if m.year is not None]
    if len(found) == 1 and found[0].weekday_fits and len(_WORD.findall(_outside(raw, found[0]))) <= 2:
        m = found[0]
        return make_date(m.year, m.month, m.day, "metadata")
    return ArticleDate(None, None, None, f"metadata date {raw[:40]!r} ignored: not a date")


def _outside(text: str, mention: DateMention) -> str:
    return text[:mention.start] + " " + text[mention.end:]


def find_dates(text: str, lang: str | None = None) -> list[DateMention]:
    """Every explicit date written in ``text``, in order.

    Numeric dates are read day-first (French and most languages), month-first
    in English (``7/14/2023``); a first number above 12 is a day either way.
    Dates inside web addresses are skipped.
    """
    folded = fold_in_place(text)
    spaces = [m.start() for m in _SPACE.finditer(text)]
    found = []
    for match in _DATE.finditer(folded):
        mention = _mention(match, text, lang)
        if mention is not None and not _inside_url(text, match.start(), match.end(), spaces):
            found.append(mention)
    return found


def _mention(match: re.Match[str], text: str, lang: str | None) -> DateMention | None:
    g = match.groupdict()
    year = day = None
    numeric = False
    if g["iy"]:
        year, month, day, numeric = int(g["iy"]), int(g["im"]), int(g["id"]), True
    elif g["n1"]:
        first, second, year, numeric = int(g["n1"]), int(g["n2"]), int(g["n3"]), True
        month_first = (lang == "en" and first <= 12) or second > 12
        day, month = (second, first) if month_first else (first, second)
    else:
        word = g["m1"] or g["m2"] or g["m3"]
        start = match.start("m1") if g["m1"] else match.start("m2") if g["m2"] else match.start("m3")
        if word in ENGLISH_ONLY_MONTHS and not text[start:start + 1].isupper():
            return None  # "may", "mar" in prose
        month = MONTHS[word]
        if g["m1"]:
            day, year = int(g["d1"]), int(g["year"]) if g["year"] else None
        elif g["m2"]:
            day, year = int(g["d2"]), int(g["year2"]) if g["year2"] else None
            if word in {"sept", "mars"} and lang != "en" and not text[start:start + 1].isupper():
                return None  # French numbers and plural forms ("sept 12", "mars 3")
        else:
            year = int(g["year3"])
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    weekday = WEEKDAYS.get(g["weekday"]) if g["weekday"] else None
    return DateMention(
        start=match.start(), end=match.end(), year=year, month=month, day=day, weekday=weekday,
        lead=g["lead"], has_time=bool(g["time"] and g["time"].strip()), numeric=numeric,
    )


def _inside_url(text: str, start: int, end: int, spaces: list[int] | None = None) -> bool:
    """Whether the characters ``start:end`` belong to a web address (``spaces``: the offsets of the
    text's white space, when the caller asks about many places of one text)."""
    if spaces is None:
        spaces = [m.start() for m in _SPACE.finditer(text)]
    at = bisect.bisect_left(spaces, start)
    left = spaces[at - 1] + 1 if at else 0
    after = bisect.bisect_left(spaces, end)
    right = spaces[after] if after < len(spaces) else len(text)
    token = text[left:right]
    return bool(_URL_TOKEN.search(token)) and ("/" in token or "www." in token)


# --- choosing the article's date ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))


def _lines(text: str) -> list[_Line]:
    lines, position = [], 0
    for raw in text.split("\n"):
        lines.append(_Line(position, position + len(raw), raw))
        position += len(raw) + 1
    return lines


def _is_prose(line: _Line) -> bool:
    """A paragraph of the article: long, ending as sentences do (a headline has no final stop), no caption."""
    stripped = line.text.strip()
    if line.words < PROSE_WORDS or _in_junk_line(line) or _CAPTION.search(fold_in_place(stripped)):
        return False
    return stripped[-1:] in ".!?»\"”…)" or line.words >= 3 * PROSE_WORDS


def date_from_text(body: str, lang: str | None = None) -> ArticleDate:
    """The date the text itself gives the piece: a stamp, else a dateline, else its lead event.

    See the module's docstring for what counts. Returns ``UNDATED`` (with a
    note when a date was seen but could not be used) otherwise.
    """
    return _judge(body, lang, stamps_only=False)


def stamp_in_text(body: str, lang: str | None = None) -> ArticleDate:
    """A publication stamp of the text only (it wins over a ``date`` header)."""
    return _judge(body, lang, stamps_only=True)


def _judge(body: str, lang: str | None, stamps_only: bool) -> ArticleDate:
    mentions = find_dates(body, lang)
    if not mentions:
        return UNDATED
    lines = _lines(body)
    prose = [line for line in lines if _is_prose(line)]
    top_end = min(TOP_CHARS, prose[2].end if len(prose) > 2 else len(body))
    top_end = max(top_end, prose[0].end if prose and prose[0].start < TOP_CHARS else 0)
    years = _years_named(lines, mentions)

    line_starts = [line.start for line in lines]

    def line_of(mention: DateMention) -> _Line:
        return lines[bisect.bisect_right(line_starts, mention.start) - 1]

    stamps: list[tuple[int, int, DateMention, str]] = []  # (zone, rank, mention, why): the top first
    at_end = []
    for mention in mentions:
        line = line_of(mention)
        before = fold_in_place(body[max(line.start, mention.start - 40):mention.start])
        stamp_word = _STAMP_WORDS.search(before)
        near_top, near_end = mention.start < top_end, mention.start >= len(body) - END_CHARS
        if mention.lead in {"hier", "yesterday"}:
            continue  # "publié hier dimanche 30 mai": another piece's date, this one is a day later
        if stamp_word and (near_top or near_end):
            updated = re.search(r"mis[e]? a jour|modifie|actualise|updated", stamp_word.group())
            stamps.append((0 if near_top else 1, 2 if updated else 0, mention, "update stamp" if updated else "publication stamp"))
            if not near_top:
                at_end.append(mention)
        elif near_top and not stamps_only and _alone_on_line(body, line, mention):
            stamps.append((0, 1, mention, "date line"))
        elif near_top and mention.numeric and mention.has_time and not _in_junk_line(line):
            stamps.append((0, 1, mention, "numeric date with a time"))
    if len({(m.year, m.month, m.day) for m in at_end}) > 1:  # stamps of a related-articles list, not this piece's
        stamps = [stamp for stamp in stamps if stamp[0] == 0]
    date_lines = {(m.year, m.month, m.day) for _, _, m, why in stamps if why == "date line"}
    if len(date_lines) > 1:  # several dates alone on their lines: a timeline's headings, not a stamp
        stamps = [stamp for stamp in stamps if stamp[3] != "date line"]
    notes = []
    for _, _, mention, why in sorted(stamps, key=lambda s: (s[0], s[1], s[2].start)):
        found = _resolve(mention, years, "text", why, body)
        if found.value:
            return found
        notes.append(found.note)
    if stamps_only:
        return ArticleDate(None, None, None, notes[0]) if notes else UNDATED

    for mention in mentions:  # datelines: "MOSCOU, 14 mars (Reuters) -" opening a paragraph
        line = line_of(mention)
        if mention.start >= top_end:
            continue
        opening = body[line.start:mention.start]
        if mention.lead in {None, "le"} and _DATELINE.match(opening.lstrip()) and _DATELINE_AFTER.match(body, mention.end) \
                and _line_goes_on(body, line, mention):
            found = _resolve(mention, years, "text", "dateline", body)
            if found.value:
                return found
            notes.append(found.note)
        elif not opening.strip() and mention.lead in {None, "le", "on"} and _line_goes_on(body, line, mention) and (
            mention.weekday is not None or mention.numeric or not _history_lede(body, mention)
        ) and line is _first_text_line(lines):
            found = _resolve(mention, years, "text", "date opening the text", body)
            if found.value:
                return found
            notes.append(found.note)

    for line in prose[:2]:  # the lead event, when the wording ties it to the time of writing
        for mention in mentions:
            if not line.start <= mention.start < min(line.end, line.start + LEAD_CHARS):
                continue
            if mention.day is None or mention.weekday is None and mention.lead not in {"ce", "cette", "this"}:
                continue
            if not mention.weekday_fits:
                notes.append(f"text date {body[mention.start:mention.end].strip()!r} ignored: the weekday does not fit")
                continue
            if mention.lead not in {"ce", "cette", "this"} and _told_as_history(mention, years):
                notes.append(f"text date {body[mention.start:mention.end].strip()!r} not used: the text names later years")
                continue
            if mention.lead in {"ce", "cette", "this"}:
                found = _resolve(mention, years, "text", "lead event of this week", body)
            elif mention.lead in {"hier", "yesterday"}:
                found = _resolve(mention, years, "text", "lead event of the day before", body, shift_days=1, precision="month")
            else:
                found = _resolve(mention, years, "text", "lead event with its weekday", body, precision="month")
            if found.value:
                return found
            notes.append(found.note)
    return ArticleDate(None, None, None, notes[0]) if notes else UNDATED


def _told_as_history(mention: DateMention, years: set[int]) -> bool:
    """A weekday and date in a lede that names later (past) years recalls an event ("le dimanche 9 mai 1945")."""
    return mention.year is not None and any(mention.year + 1 < y <= _today().year for y in years)


def _first_text_line(lines: list[_Line]) -> _Line | None:
    return next((line for line in lines if line.text.strip()), None)


def _history_lede(body: str, mention: DateMention) -> bool:
    """"Le 19 juillet 2000, Vladimir Poutine devenait..." opens with an event, not a dateline."""
    after = body[mention.end:mention.end + 2]
    return mention.lead == "le" or after.startswith(",")


def _line_goes_on(body: str, line: _Line, mention: DateMention) -> bool:
    return bool(_WORD.search(body[mention.end:line.end]))


def _alone_on_line(body: str, line: _Line, mention: DateMention) -> bool:
    """A date (with its time) alone on a short line, or with only stamp words and separators."""
    if _in_junk_line(line) or len(line.text) > 100:
        return False
    rest = fold_in_place(body[line.start:mention.start] + " " + body[mention.end:line.end])
    rest = re.sub(r"\b(?:publie|publiee|le|on|at|a|par|by|mis a jour|updated|published|posted|lecture|min|minutes?|read|"
                  r"temps de lecture|am|pm|gmt|utc|cet|cest|edt|est|pdt|pst|bst|msk|heure de paris|\d+)\b", " ", rest)
    return len(_WORD.findall(rest)) == 0 or (
        "|" in line.text and len(_WORD.findall(rest)) <= 4)  # "By Jane Doe | June 19, 2024"


def _in_junk_line(line: _Line) -> bool:
    stripped = line.text.strip()
    return stripped.startswith(("-", "•", "*", "·", "—", "–")) or "@" in stripped or "©" in stripped


def _years_named(lines: list[_Line], mentions: list[DateMention]) -> set[int]:
    """Years of the dates the article's own lines write out with their month ("le 5 décembre 2024",
    "en mars 2024"): a bare year ("depuis 2019") is more often history. List items, tweets and
    captions are left out: related links carry other years."""
    line_starts = [line.start for line in lines]
    named = set()
    for mention in mentions:
        if mention.year is None:
            continue
        line = lines[bisect.bisect_right(line_starts, mention.start) - 1]
        if not _in_junk_line(line) and not _CAPTION.search(fold_in_place(line.text)):
            named.add(mention.year)
    return named


def _resolve(mention: DateMention, years: set[int], source: str, why: str, body: str,
             shift_days: int = 0, precision: str = "day") -> ArticleDate:
    """The date a mention gives, with its year inferred from the weekday when it has none."""
    shown = " ".join(body[mention.start:mention.end].split())
    if not mention.weekday_fits:
        return ArticleDate(None, None, None, f"{why} {shown!r} ignored: the weekday does not fit the date")
    year, note = mention.year, f"{why}: {shown!r}"
    if year is None:
        if mention.day is None or mention.weekday is None:
            return ArticleDate(None, None, None, f"{why} {shown!r} ignored: it has no year")
        # a piece is written about when the latest date it writes out (older ones are history)
        latest = max(years) if years else None
        fitting = [] if latest is None else [
            y for y in (latest - 1, latest, latest + 1)
            if _weekday_of(y, mention.month, mention.day) == mention.weekday and dt.date(y, mention.month, mention.day) <= _today()
        ]
        if len(fitting) != 1:
            reason = ("the text names no year" if latest is None else f"no year next to {latest}, the latest year of a date the text writes out, fits its weekday"
                      if not fitting else f"years {fitting} all fit its weekday")
            return ArticleDate(None, None, None, f"{why} {shown!r} ignored: it has no year and {reason}")
        year, source = fitting[0], "inferred"
        note += (f"; year {year} inferred: of the years next to {latest}, the latest year of a date the text writes out, the only one"
                 f" where {mention.day} {_MONTH_NAMES[mention.month - 1]} is a {_WEEKDAY_NAMES[mention.weekday]}")
    day = mention.day
    month = mention.month
    if shift_days and day is not None:
        try:
            shifted = dt.date(year, month, day) + dt.timedelta(days=shift_days)
        except ValueError:
            return ArticleDate(None, None, None, f"{why} {shown!r} ignored: no such day")
        year, month, day = shifted.year, shifted.month, shifted.day
        note += f" (written the day after: {shifted.isoformat()})"
    if precision == "month" or day is None:
        found = make_date(year, month, None, source)
        if day is not None and found.value:
            note += "; kept to its month, as the piece may be from a later day"
    else:
        found = make_date(year, month, day, source)
    if not found.value:
        return ArticleDate(None, None, None, f"{why} {shown!r} ignored: {found.note.split(': ', 1)[-1]}")
    return ArticleDate(found.value, found.precision, found.source, note)


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _weekday_of(year: int, month: int, day: int) -> int | None:
    try:
        return dt.date(year, month, day).weekday()
    except ValueError:
        return None


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
