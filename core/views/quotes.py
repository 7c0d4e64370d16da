"""Quotes: the table, the speakers, quotes per month and quotes containing words."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.folding import fold_words
from core.tables import in_articles, per_article
from core.views.articles import articles_per_month, month_key, month_key_label, newest_first_positions, per_date


def quotes_table(quotes: pd.DataFrame, articles: pd.DataFrame, speaker: str | None = None, words: str = "",
                 kind: str | None = None) -> pd.DataFrame:
    """The quotes of the ``articles`` shown, newest article first, by ``speaker`` (``""`` for the
    unattributed), with ``words`` (accent- and case-folded) in the quote, of a ``kind``. Columns:
    article, sent, start, end, kind, speaker, speaker_entity, cue, date, month."""
    if quotes is None or quotes.empty:
        return pd.DataFrame(columns=["article", "sent", "start", "end", "kind", "speaker", "speaker_entity", "cue", "date", "month"])
    shown = quotes
    if speaker is not None:  # the narrow conditions first: at 10,000 articles there are 80,000 quotes
        shown = shown[shown["speaker"].fillna("") == speaker]
    if kind:
        shown = shown[shown["kind"] == kind]
    # each quote's article as its row in ``articles`` (-1: not shown), by array indexing when the
    # quotes are encoded against the corpus (core.tables.per_article)
    found, row_of = per_article(shown["article"], articles, np.arange(len(articles)), np.int64, -1)
    rows = row_of[found]
    shown, rows = shown[rows >= 0], rows[rows >= 0]
    place = np.empty(len(articles), dtype=np.int64)
    place[newest_first_positions(articles)] = np.arange(len(articles))
    months = per_date(articles, month_key)
    # dates as objects, None when undated (a string column would read NaN)
    dates = pd.Series(articles["date"].astype(object).to_numpy()[rows], index=shown.index, dtype=object)
    shown = shown.assign(date=dates, month=pd.Series(months[rows], index=shown.index, dtype=object), _order=place[rows])
    shown = shown.sort_values(["_order", "start"], kind="stable").drop(columns="_order")
    return shown.reset_index(drop=True)


def quotes_within(ordered: pd.DataFrame, articles: pd.DataFrame, speaker: str | None = None, kind: str | None = None) -> pd.DataFrame:
    """:func:`quotes_table` of ``articles`` (rows of the corpus, in its order), from ``ordered``, the
    corpus's own :func:`quotes_table`: a subset of the corpus lists its articles in the same newest-first
    order, so its quotes are chosen, not sorted again (800,000 quotes at 100,000 articles)."""
    if ordered.empty:
        return ordered
    keep = in_articles(ordered["article"], articles)
    if speaker is not None:
        keep &= (ordered["speaker"].fillna("") == speaker).to_numpy(dtype=bool)
    if kind:
        keep &= (ordered["kind"] == kind).to_numpy(dtype=bool)
    return ordered[keep].reset_index(drop=True)


ATTRIBUTIONS = {
    "pronoun": "inferred: a pronoun or a title, taken as the person named before",
    "document": "inferred: a report or an outlet, taken as the body quoted before",
    "continuation": "inferred: continues the quote before",
    "repeated": "inferred: repeats a quote of the body",
    "following": "inferred: attributed in the next sentence",
    "within": "inside reported speech",
    "unnamed": "unnamed source",
}
"""How a quote's speaker was found, when the sentence does not name them outright (the quote's ``cue``)."""


def attribution_label(cue: str) -> str:
    """What the analyst is told of a speaker's attribution: named in the clause, or how it was inferred."""
    return ATTRIBUTIONS.get(str(cue), "named in the sentence")


def quotes_with_words(quotes: pd.DataFrame, texts: dict[str, str], words: str) -> pd.DataFrame:
    """The quotes whose quoted words contain ``words`` (accent- and case-folded)."""
    wanted = fold_words(str(words))
    if not wanted:
        return quotes
    keep = [wanted in fold_words(str(texts[a][s:e])) for a, s, e in zip(quotes["article"], quotes["start"], quotes["end"])]
    return quotes[keep]


def quote_speakers(quotes: pd.DataFrame) -> pd.DataFrame:
    """Speakers by number of quotes: speaker, quotes, direct, indirect (the unattributed as "")."""
    if quotes.empty:
        return pd.DataFrame(columns=["speaker", "quotes", "direct", "indirect"])
    frame = pd.DataFrame({"speaker": quotes["speaker"].fillna("").astype(object).to_numpy(),
                          "direct": (quotes["kind"] == "direct").to_numpy(dtype=np.int64),
                          "indirect": (quotes["kind"] == "indirect").to_numpy(dtype=np.int64)})
    table = frame.groupby("speaker").agg(quotes=("direct", "size"), direct=("direct", "sum"), indirect=("indirect", "sum"))
    table = table.reset_index()[["speaker", "quotes", "direct", "indirect"]]
    return table.sort_values(["quotes", "speaker"], ascending=[False, True]).reset_index(drop=True)


def quotes_per_month(quotes: pd.DataFrame, articles: pd.DataFrame, speakers: list[str]) -> pd.DataFrame:
    """Quotes per month bar (undated included) of each of ``speakers``: speaker, month, label, quotes."""
    months = articles_per_month(articles)["month"].tolist()
    counts = quotes.assign(speaker=quotes["speaker"].fillna("")).groupby(["speaker", "month"]).size()
    rows = [(s, m, month_key_label(m), int(counts.get((s, m), 0))) for s in speakers for m in months]
    return pd.DataFrame(rows, columns=["speaker", "month", "label", "quotes"])
