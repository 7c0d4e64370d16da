"""Quotes: the table, the speakers, quotes per month and quotes containing words."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.folding import fold_words
from core.views.articles import articles_per_month, month_key, month_key_label, newest_first_positions


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
    ids = articles["id"].astype(object).to_numpy()
    shown = shown[shown["article"].isin(set(ids))]
    place = np.empty(len(ids), dtype=np.int64)
    place[newest_first_positions(articles)] = np.arange(len(ids))
    article_codes = pd.Index(ids).get_indexer(shown["article"].astype(object))
    dates = articles["date"].astype(object).to_numpy()[article_codes]
    months = {d: month_key(d) for d in set(dates.tolist())}
    shown = shown.assign(date=dates, month=[months[d] for d in dates.tolist()], _order=place[article_codes])
    shown = shown.sort_values(["_order", "start"], kind="stable").drop(columns="_order")
    return shown.reset_index(drop=True)


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
