"""How the views read large tables fast: categorical ids, codes and positions.

The dashboard holds its large tables (mentions, per-article counts, sanctions
hits) with repeated strings as categoricals (:func:`encode`), and the article
ids coded by their row in the corpus table (:func:`article_dtype`), while the
articles carry that row as ``position`` (:func:`with_positions`). The functions
here then select rows and look up per-article values with array indexing
instead of comparing strings row by row; on plain tables (as the tests also
pass them) they give the same answers, one distinct value at a time.

At 100,000 articles this is the difference between 2-3 s and under 1 s for a
page run after a filter change (``bench/RESULTS.md``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Columns repeated on many rows of the large derived tables: held as categoricals
# (see ``encode``), so that selecting the rows of some articles tests each distinct
# id once instead of comparing a string per row.
CATEGORICAL_COLUMNS = ("article", "entity", "label", "category", "actor")


def encode(frame: pd.DataFrame, articles: pd.CategoricalDtype | None = None) -> pd.DataFrame:
    """``frame`` with its repeated string columns (``CATEGORICAL_COLUMNS``) as categoricals.

    With ``articles`` (``article_dtype`` of the corpus), the ``article`` column's
    codes are the articles' rows in the corpus table, which lets the functions
    here select and look up by position when given articles with their
    ``position`` (see :func:`per_article`). Values and results are unchanged;
    only the cost drops.
    """
    columns = [c for c in CATEGORICAL_COLUMNS if c in frame.columns and not isinstance(frame[c].dtype, pd.CategoricalDtype)]
    frame = frame.astype({c: "category" for c in columns}) if columns else frame
    if articles is not None and "article" in frame.columns and frame["article"].dtype is not articles:
        local = frame["article"].cat
        position = np.append(articles.categories.get_indexer(local.categories), -1)
        frame = frame.assign(article=pd.Categorical.from_codes(position[local.codes.to_numpy()], dtype=articles))
    return frame


# The row of each article in the corpus table, added by ``with_positions``.
POSITION = "position"


def article_dtype(corpus: pd.DataFrame) -> pd.CategoricalDtype:
    """The corpus's article ids in table order, as the categories of ``encode``d tables."""
    return pd.CategoricalDtype(pd.Index(corpus["id"].to_numpy(dtype=object)))


def with_positions(corpus: pd.DataFrame) -> pd.DataFrame:
    """The corpus table with each article's row number (kept by any subset of it)."""
    return corpus.assign(**{POSITION: np.arange(len(corpus))})


def per_article(series: pd.Series, articles: pd.DataFrame, values, dtype=object, default=None) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, per-code values)`` for a column of article ids, from ``values`` given per row
    of ``articles`` (``default`` for articles not among them), as :func:`per_code` returns.

    When the column is encoded against the corpus and ``articles`` carry their
    ``position``, this is array indexing; otherwise each id is looked up once.
    """
    values = np.asarray(values, dtype=dtype) if not np.isscalar(values) else np.full(len(articles), values, dtype=dtype)
    if POSITION in articles.columns and isinstance(series.dtype, pd.CategoricalDtype):
        positions = articles[POSITION].to_numpy(dtype=np.int64)
        categories = series.cat.categories
        aligned = not len(positions) or (
            positions.max() < len(categories)
            and (categories.to_numpy(dtype=object)[positions] == articles["id"].to_numpy(dtype=object)).all()
        )
        if aligned:
            per = np.full(len(categories) + 1, default, dtype=dtype)
            per[positions] = values
            return series.cat.codes.to_numpy(dtype=np.int64), per
    return per_code(series, dict(zip(articles["id"].tolist(), values.tolist())), dtype, default)


def in_articles(series: pd.Series, articles: pd.DataFrame) -> np.ndarray:
    """Which values of a column of article ids are among ``articles`` (a boolean array)."""
    found, kept = per_article(series, articles, True, bool, False)
    return kept[found]


def isin(series: pd.Series, values) -> np.ndarray:
    """Which values of ``series`` are in ``values`` (a boolean array); on a categorical
    column each distinct value is tested once. Missing values are never in ``values``."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        wanted = values if isinstance(values, (set, frozenset, dict, type({}.keys()))) else set(values)
        if len(wanted) * 50 < len(series.cat.categories):  # a few values: find their codes through the index's hash table
            found = series.cat.categories.get_indexer(list(wanted))
            return np.isin(series.cat.codes.to_numpy(), found[found >= 0])
        categories = series.cat.categories.tolist()
        kept = np.fromiter((c in wanted for c in categories), dtype=bool, count=len(categories))
        return np.append(kept, False)[series.cat.codes.to_numpy()]  # code -1 (missing) reads the appended False
    return series.isin(values).to_numpy()


def codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """An integer code per value (-1 when missing) and the distinct values the codes index."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(dtype=np.int64), series.cat.categories.to_numpy(dtype=object)
    found, uniques = pd.factorize(series)
    return found.astype(np.int64), np.asarray(uniques, dtype=object)


def restrict(frame: pd.DataFrame, column: str, values) -> pd.DataFrame:
    """Rows of ``frame`` whose ``column`` is in ``values``; the frame itself (no copy)
    when nothing is excluded, which on large tables is most of the cost."""
    mask = isin(frame[column], values)
    return frame if mask.all() else frame[mask]


def per_code(series: pd.Series, mapping: dict, dtype=object, default=None) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, values)``: an integer code per row of ``series`` and ``mapping.get(value, default)``
    per code, with one more slot at the end for code -1 (a missing value), so that
    ``values[codes]`` is the value of each row. Each distinct value is looked up once."""
    found, distinct = codes(series)
    return found, np.array([mapping.get(v, default) for v in distinct.tolist()] + [default], dtype=dtype)


def lookup(series: pd.Series, mapping: dict, dtype=object, default=None) -> np.ndarray:
    """``mapping.get(value, default)`` for each value of ``series``, as a plain array of ``dtype``.

    Each distinct value is looked up once. (``Series.map`` would return a
    categorical on a categorical column, which sorts by category order, not by value.)
    """
    found, values = per_code(series, mapping, dtype, default)
    return values[found]
