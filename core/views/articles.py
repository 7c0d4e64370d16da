"""The articles: dates and their labels, the newest-first order, titles, the sidebar filters, counts per month and language."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from core.dates import date_overlaps, date_period


UNDATED = "undated"


MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


_MONTH = re.compile(r"\d{4}-\d{2}")


_YEAR = re.compile(r"\d{4}")


def is_present(value) -> bool:
    """Whether a table cell holds a value (not None, NaN, NA or an empty string)."""
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and value is not pd.NA and value != ""


def per_date(articles: pd.DataFrame, fn, dtype=object) -> np.ndarray:
    """``fn(date)`` for each article (``fn(None)`` when undated), computed once per distinct date."""
    codes, uniques = pd.factorize(articles["date"])  # undated: code -1, which reads the appended fn(None)
    return np.array([fn(value) for value in uniques.tolist()] + [fn(None)], dtype=dtype)[codes]


def date_label(value: str | None) -> str:
    """A date as an analyst reads it: ``Sep 2023``, ``12 Sep 2023``, ``2023`` or ``undated``."""
    if not is_present(value):
        return UNDATED
    parts = str(value).split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTH_NAMES[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def date_bounds(articles: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by the dated articles (None when none is dated)."""
    periods = [date_period(v) for v in articles["date"].tolist() if is_present(v)]
    if not periods:
        return None
    return min(p[0] for p in periods), max(p[1] for p in periods)


def month_key(value: str | None) -> str:
    """The bar an article counts in: ``YYYY-MM``, ``YYYY`` for a year-only date, or ``undated``."""
    if not is_present(value):
        return UNDATED
    parts = str(value).split("-")
    return parts[0] if len(parts) == 1 else f"{parts[0]}-{parts[1]}"


def month_key_label(key: str) -> str:
    if key == UNDATED:
        return UNDATED
    if _YEAR.fullmatch(key):
        return f"{key} (month unknown)"
    return date_label(key)


def newest_first(articles: pd.DataFrame) -> pd.DataFrame:
    """Dated articles from the latest period to the earliest (the later end first, then
    the later start), undated ones last; ties keep their order."""
    return articles.iloc[newest_first_positions(articles)].reset_index(drop=True)


def newest_ranks(articles: pd.DataFrame) -> np.ndarray:
    """A number per row of ``articles`` that orders them as :func:`newest_first` does (smaller is newer)."""
    if NEWEST_RANK in articles.columns:
        return articles[NEWEST_RANK].to_numpy(dtype=np.int64)
    return _ranks_by_date(articles)


# A column the dashboard adds once per store version (``with_newest_rank``): the
# place of each article in the whole corpus's newest-first order. Any subset keeps
# that relative order (ties are broken by table order, which filtering keeps).
NEWEST_RANK = "newest_rank"


def with_newest_rank(articles: pd.DataFrame) -> pd.DataFrame:
    """``articles`` with its newest-first rank as a column, so subsets are ordered without sorting dates again."""
    return articles.assign(**{NEWEST_RANK: _ranks_by_date(articles)})


def newest_first_positions(articles: pd.DataFrame) -> np.ndarray:
    """The rows of ``articles`` in newest-first order."""
    return np.argsort(newest_ranks(articles), kind="stable")


def _ranks_by_date(articles: pd.DataFrame) -> np.ndarray:
    def ordinals(value) -> tuple[int, int]:
        if not is_present(value):
            return (0, 0)
        first, last = date_period(str(value))
        return (first.toordinal(), last.toordinal())

    periods = per_date(articles, ordinals, np.int64)  # one row (first, last) per article
    order = np.lexsort((-periods[:, 0], -periods[:, 1]))  # stable: equal keys stay in table order; undated (0) sort last
    rank = np.empty(len(articles), dtype=np.int64)
    rank[order] = np.arange(len(articles))
    return rank


def source_labels(articles: pd.DataFrame) -> pd.Series:
    """Where each article comes from: its outlet when known, else its file (without ``#row``)."""
    files = articles["source"].astype(str).str.replace(r"#\d+$", "", regex=True).astype(object)
    outlets = articles["outlet"].astype(object)
    known = np.array([is_present(o) for o in outlets.tolist()], dtype=bool)
    return pd.Series(np.where(known, outlets.to_numpy(), files.to_numpy()), index=articles.index, dtype=object)


def article_labels(articles: pd.DataFrame, width: int = 48) -> dict[str, str]:
    """A short, unique display name per article id: its title, else its file name."""
    labels: dict[str, str] = {}
    seen: dict[str, int] = {}
    for article, title, source in zip(articles["id"].tolist(), articles["title"].tolist(), articles["source"].tolist()):
        title = str(title) if is_present(title) else Path(str(source)).name
        label = title if len(title) <= width else title[: width - 1] + "…"
        count = seen.get(label, 0)
        seen[label] = count + 1
        labels[article] = label if not count else f"{label} ({article[:6]})"
    return labels


def filter_articles(
    articles: pd.DataFrame,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    include_undated: bool = True,
    languages: list[str] | None = None,
    sources: list[str] | None = None,
    fold_wire: bool = True,
    article_ids: set[str] | None = None,
) -> pd.DataFrame:
    """The articles the shared filters keep.

    A date of any precision is kept when its period overlaps ``[start, end]``;
    undated articles are kept only with ``include_undated``. ``fold_wire``
    drops exact duplicates and wire copies (any article with ``duplicate_of``).
    Empty ``languages``/``sources`` lists mean no restriction; ``article_ids``
    (when not None) keeps only those articles.
    """
    keep = np.ones(len(articles), dtype=bool)
    dated = per_date(articles, is_present, bool)
    if start is not None or end is not None:
        low = start or dt.date.min
        high = end or dt.date.max
        in_range = per_date(articles, lambda v: is_present(v) and date_overlaps(str(v), low, high), bool)
        keep &= in_range | ~dated
    if not include_undated:
        keep &= dated
    if languages:
        keep &= articles["lang"].isin(languages).to_numpy()
    if sources:
        keep &= source_labels(articles).isin(sources).to_numpy()
    if fold_wire:
        keep &= articles["duplicate_of"].isna().to_numpy()
    if article_ids is not None:
        keep &= articles["id"].isin(article_ids).to_numpy()
    return articles[keep].reset_index(drop=True)


def articles_per_month(articles: pd.DataFrame) -> pd.DataFrame:
    """Article counts per month, months without articles included, undated as its own last bar.

    Columns: ``month`` (``YYYY-MM``, ``YYYY`` or ``undated``), ``label``, ``articles``.
    """
    counts = pd.Series(per_date(articles, month_key), dtype=object).value_counts()
    months = sorted(k for k in counts.index if _MONTH.fullmatch(k))
    years = sorted(k for k in counts.index if _YEAR.fullmatch(k))
    ordered: list[str] = []
    if months:
        period = pd.period_range(months[0], months[-1], freq="M")
        ordered = [str(p) for p in period]
    ordered = sorted(ordered + years, key=lambda k: (k[:4], k[5:] or "99"))
    if UNDATED in counts.index:
        ordered.append(UNDATED)
    return pd.DataFrame({
        "month": ordered,
        "label": [month_key_label(k) for k in ordered],
        "articles": [int(counts.get(k, 0)) for k in ordered],
    })


def language_counts(articles: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Articles per language code, most frequent first (``name`` from ``names`` when given)."""
    counts = articles["lang"].value_counts()
    frame = pd.DataFrame({"lang": counts.index.astype(str), "articles": counts.to_numpy().astype(int)})
    frame["name"] = [names.get(c, c) if names else c for c in frame["lang"]]
    return frame.sort_values(["articles", "lang"], ascending=[False, True]).reset_index(drop=True)[["lang", "name", "articles"]]
