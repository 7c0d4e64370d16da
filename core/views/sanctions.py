"""Sanctions sentences by category, actor and article or month: the heatmaps and the sentences of a cell."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from core.tables import codes, in_articles, lookup, per_article
from core.views.articles import articles_per_month, month_key, newest_first_positions, newest_ranks, per_date


LEXICON = Path(__file__).parent.parent / "data" / "sanctions_lexicon.json"


@lru_cache(maxsize=1)
def sanctions_categories() -> dict[str, str]:
    """Category key -> label, in the lexicon's order."""
    lexicon = json.loads(LEXICON.read_text(encoding="utf-8"))
    return {key: entry.get("label", key) for key, entry in lexicon["categories"].items()}


def sanctions_by_category(sanctions: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, category): article, sent, start, end, category, spans (that category's term spans),
    actors, and ``wording``: whether the sentence has sanctions wording (False for a sentence that only mentions
    arms transfers, violations or monitoring, see ``core.nlp.sanctions_wording``).

    The functions below take this long form, which a caller computes once per
    store version and may cache.
    """
    columns = ["article", "sent", "start", "end", "category", "spans", "actors", "wording"]
    if sanctions.empty:
        return pd.DataFrame(columns=columns)
    categories = [list(c) for c in sanctions["categories"]]
    repeat = np.array([len(c) for c in categories], dtype=np.int64)
    row = np.repeat(np.arange(len(sanctions)), repeat)  # the sentence of each (sentence, category) row
    spans_of = [json.loads(spans) for spans in sanctions["term_spans"].tolist()]
    category = [c for cs in categories for c in cs]
    actors = sanctions["actors"].to_numpy(dtype=object)
    return pd.DataFrame({
        "article": sanctions["article"].iloc[row].reset_index(drop=True),
        "sent": sanctions["sent"].to_numpy(dtype=np.int64)[row],
        "start": sanctions["start"].to_numpy(dtype=np.int64)[row],
        "end": sanctions["end"].to_numpy(dtype=np.int64)[row],
        "category": category,
        "spans": [[[int(s), int(e)] for s, e, c in spans_of[i] if c == cat] for i, cat in zip(row.tolist(), category)],
        "actors": [list(actors[i]) for i in row.tolist()],
        "wording": (sanctions["wording"].to_numpy(dtype=bool)[row] if "wording" in sanctions.columns
                    else np.ones(len(row), dtype=bool)),  # stores built before the flag
    }, columns=columns)


def sanctions_by_actor(by_category: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, category, actor) of the ``sanctions_by_category`` form:
    article, sent, category, actor, wording, and ``first``, true on the first row of each
    (sentence, actor). What :func:`actors_matrix` counts; computed once per store
    version, like its input."""
    wanted = ["article", "sent", "category", "actors"] + (["wording"] if "wording" in by_category.columns else [])
    long = by_category[wanted].explode("actors").dropna(subset=["actors"])
    long = long.rename(columns={"actors": "actor"}).astype({"actor": object}).reset_index(drop=True)
    return long.assign(first=~long.duplicated(["article", "sent", "actor"]))


def _columns(articles: pd.DataFrame, by: str) -> tuple[list[str], np.ndarray]:
    """A heatmap's columns (article ids newest first, or month bars) and the column of each row of ``articles``."""
    if by == "article":
        order = newest_first_positions(articles)
        column = np.empty(len(articles), dtype=np.int64)
        column[order] = np.arange(len(articles))
        return articles["id"].to_numpy(dtype=object)[order].tolist(), column
    if by == "month":
        months = articles_per_month(articles)["month"].tolist()
        index = {month: i for i, month in enumerate(months)}
        return months, np.array([index[m] for m in per_date(articles, month_key).tolist()], dtype=np.int64)
    raise ValueError(f"unknown heatmap column {by!r}: choose 'article' or 'month'")


def with_sanctions_wording(long: pd.DataFrame) -> pd.DataFrame:
    """The rows of a long form (by category or by actor) whose sentence has sanctions wording."""
    if "wording" not in long.columns:
        return long
    return long[long["wording"].astype(bool)]


def sanctions_matrix(
    sanctions: pd.DataFrame, articles: pd.DataFrame, by: str = "article", per_thousand: bool = False,
    cap: int | None = None,
) -> pd.DataFrame:
    """Sentences per category (rows, lexicon order) and article or month bar (columns).

    Every category and every article (or month bar of the articles) is a
    column even with no hit. With ``per_thousand`` each count is divided by the
    words of that article (or of the month's articles) and multiplied by 1,000.
    With ``cap`` and ``by="article"``, only the ``cap`` articles with the most
    sanctions sentences are kept (newest first among them), so the heatmap stays
    readable and its cost bounded on large corpora.
    """
    columns, column_of_article = _columns(articles, by)
    words = np.bincount(column_of_article, weights=articles["words"].to_numpy(dtype=float), minlength=len(columns))
    categories = list(sanctions_categories())
    row = lookup(sanctions["category"], {c: i for i, c in enumerate(categories)}, np.int64, -1)
    article_codes, column_of_code = per_article(sanctions["article"], articles, column_of_article, np.int64, -1)
    column = column_of_code[article_codes]
    keep = (row >= 0) & (column >= 0)
    counts = np.bincount(row[keep] * len(columns) + column[keep], minlength=len(categories) * len(columns))
    counts = counts.reshape(len(categories), len(columns))
    chosen = np.arange(len(columns))
    if cap is not None and by == "article" and len(columns) > cap:
        chosen = np.sort(np.argsort(-counts.sum(axis=0), kind="stable")[:cap])  # the most hits, kept in column order
    counts = counts[:, chosen]
    if per_thousand:
        column_words = words[chosen]
        values = np.divide(counts * 1000.0, column_words, out=np.zeros(counts.shape), where=column_words > 0)
    else:
        values = counts.astype(int)
    return pd.DataFrame(values, index=categories, columns=[columns[i] for i in chosen])


def actors_matrix(by_actor: pd.DataFrame, articles: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """Sentences of ``articles`` per actor (canonical entity in a sanctions sentence) and
    category, for the ``top`` actors, from the :func:`sanctions_by_actor` form."""
    categories = list(sanctions_categories())
    rows = in_articles(by_actor["article"], articles)
    if not rows.any():
        return pd.DataFrame(columns=categories)
    actor_codes, actors = codes(by_actor["actor"])
    sentences = np.bincount(actor_codes[rows & by_actor["first"].to_numpy(dtype=bool)], minlength=len(actors))
    ranked = sorted((-n, name) for n, name in zip(sentences.tolist(), actors.tolist()) if n)  # most sentences, then name
    chosen = [name for _, name in ranked[:top]]
    row_of = np.full(len(actors) + 1, -1)  # the last slot answers code -1
    row_of[[actors.tolist().index(name) for name in chosen]] = np.arange(len(chosen))
    row = row_of[actor_codes]
    column = lookup(by_actor["category"], {c: i for i, c in enumerate(categories)}, np.int64, -1)
    keep = rows & (row >= 0) & (column >= 0)
    counts = np.zeros((len(chosen), len(categories)), dtype=np.int64)
    np.add.at(counts, (row[keep], column[keep]), 1)
    return pd.DataFrame(counts, index=chosen, columns=categories)


def sanctions_cell(
    sanctions: pd.DataFrame, articles: pd.DataFrame, category: str, *, by: str = "article", column: str | None = None,
) -> pd.DataFrame:
    """The sentences behind one heatmap cell: a category and, with ``column``, one article or month bar (``by``).

    Columns: article, sent, start, end, category, spans (the category's term
    spans), actors; newest article first, then text order.
    """
    columns, column_of_article = _columns(articles, by)
    article_codes, column_of_code = per_article(sanctions["article"], articles, column_of_article, np.int64, -1)
    keep = (sanctions["category"] == category).to_numpy(dtype=bool) & (column_of_code[article_codes] >= 0)
    if column is not None:
        wanted = columns.index(column) if column in columns else -2
        keep &= column_of_code[article_codes] == wanted
    return _newest_sentences_first(sanctions[keep], articles)


def actor_cell(sanctions: pd.DataFrame, by_actor: pd.DataFrame, articles: pd.DataFrame, category: str, actor: str) -> pd.DataFrame:
    """The sentences behind one cell of the actors heatmap: the sanctions sentences of
    ``articles`` with a term of ``category`` that mention ``actor``, as :func:`sanctions_cell` lists them."""
    chosen = by_actor[(by_actor["actor"] == actor).to_numpy(dtype=bool) & (by_actor["category"] == category).to_numpy(dtype=bool)]
    keep = (sanctions["category"] == category).to_numpy(dtype=bool) & in_articles(sanctions["article"], articles)
    rows = sanctions[keep].merge(chosen[["article", "sent"]].drop_duplicates(), on=["article", "sent"])
    return _newest_sentences_first(rows, articles)


def _newest_sentences_first(rows: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    found, rank = per_article(rows["article"], articles, newest_ranks(articles), np.int64, -1)
    order = np.lexsort((rows["sent"].to_numpy(), rank[found]))
    return rows.iloc[order].reset_index(drop=True)
