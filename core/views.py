"""What the dashboard draws, computed from store tables with pandas alone.

Every function takes tables (as returned by :mod:`core.store` and
:func:`core.analysis.load_articles`) and returns a new table; none mutates its
input and none imports streamlit, so each is tested directly on the seeds.

Dates keep their precision: a month-precision date is a period (``2023-09``
covers all of September 2023) and is inside any range that overlaps it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from core.dates import date_overlaps, date_period
from core.folding import fold_words
from core.tables import (
    codes,
    in_articles,
    isin,
    lookup,
    per_article,
    per_code,
    restrict,
)

UNDATED = "undated"
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = re.compile(r"\d{4}-\d{2}")
_YEAR = re.compile(r"\d{4}")
LEXICON = Path(__file__).parent / "data" / "sanctions_lexicon.json"


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and value is not pd.NA and value != ""


def per_date(articles: pd.DataFrame, fn, dtype=object) -> np.ndarray:
    """``fn(date)`` for each article (``fn(None)`` when undated), computed once per distinct date."""
    codes, uniques = pd.factorize(articles["date"])  # undated: code -1, which reads the appended fn(None)
    return np.array([fn(value) for value in uniques.tolist()] + [fn(None)], dtype=dtype)[codes]


# Dates ------------------------------------------------------------------------

def date_label(value: str | None) -> str:
    """A date as an analyst reads it: ``Sep 2023``, ``12 Sep 2023``, ``2023`` or ``undated``."""
    if not _present(value):
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
    periods = [date_period(v) for v in articles["date"].tolist() if _present(v)]
    if not periods:
        return None
    return min(p[0] for p in periods), max(p[1] for p in periods)


def month_key(value: str | None) -> str:
    """The bar an article counts in: ``YYYY-MM``, ``YYYY`` for a year-only date, or ``undated``."""
    if not _present(value):
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
    return articles.iloc[_newest_first_positions(articles)].reset_index(drop=True)


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


def _newest_first_positions(articles: pd.DataFrame) -> np.ndarray:
    return np.argsort(newest_ranks(articles), kind="stable")


def _ranks_by_date(articles: pd.DataFrame) -> np.ndarray:
    def ordinals(value) -> tuple[int, int]:
        if not _present(value):
            return (0, 0)
        first, last = date_period(str(value))
        return (first.toordinal(), last.toordinal())

    periods = per_date(articles, ordinals, np.int64)  # one row (first, last) per article
    order = np.lexsort((-periods[:, 0], -periods[:, 1]))  # stable: equal keys stay in table order; undated (0) sort last
    rank = np.empty(len(articles), dtype=np.int64)
    rank[order] = np.arange(len(articles))
    return rank


# Articles ---------------------------------------------------------------------

def source_labels(articles: pd.DataFrame) -> pd.Series:
    """Where each article comes from: its outlet when known, else its file (without ``#row``)."""
    files = articles["source"].astype(str).str.replace(r"#\d+$", "", regex=True).astype(object)
    outlets = articles["outlet"].astype(object)
    known = np.array([_present(o) for o in outlets.tolist()], dtype=bool)
    return pd.Series(np.where(known, outlets.to_numpy(), files.to_numpy()), index=articles.index, dtype=object)


def article_labels(articles: pd.DataFrame, width: int = 48) -> dict[str, str]:
    """A short, unique display name per article id: its title, else its file name."""
    labels: dict[str, str] = {}
    seen: dict[str, int] = {}
    for article, title, source in zip(articles["id"].tolist(), articles["title"].tolist(), articles["source"].tolist()):
        title = str(title) if _present(title) else Path(str(source)).name
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
    dated = per_date(articles, _present, bool)
    if start is not None or end is not None:
        low = start or dt.date.min
        high = end or dt.date.max
        in_range = per_date(articles, lambda v: _present(v) and date_overlaps(str(v), low, high), bool)
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


# Entities ---------------------------------------------------------------------

def entity_articles(mention_entities: pd.DataFrame, name: str) -> set[str]:
    """Ids of the articles that mention an entity."""
    return set(mention_entities.loc[mention_entities["entity"] == name, "article"])


def entity_table(entities: pd.DataFrame, entity_articles: pd.DataFrame, articles: pd.DataFrame,
                 entity_forms: pd.DataFrame | None = None) -> pd.DataFrame:
    """Canonical entities counted within ``articles``, most mentioned first.

    ``entity_articles`` holds the mentions of each entity in each article
    (``core.analysis.entity_article_counts``). Columns: name, label,
    mentions, articles, first_date, last_date (as stored, e.g. ``2023-09``;
    None when every article is undated), forms (the surface forms as written,
    ``form (count)``, most frequent first: within ``articles`` when
    ``entity_forms`` (``core.analysis.entity_form_counts``) is given, else over
    the whole corpus), note.
    """
    columns = ["name", "label", "mentions", "articles", "first_date", "last_date", "forms", "note"]
    # dates as their rank in sorted order (-1 when undated): min and max of numbers, not strings
    date_rank, sorted_dates = pd.factorize(articles["date"], sort=True)
    article_codes, rank = per_article(entity_articles["article"], articles, date_rank, np.int64, -2)
    rows = rank[article_codes] > -2  # -2: not one of ``articles``
    if not rows.any():
        return pd.DataFrame(columns=columns)
    entity_codes, names = codes(entity_articles["entity"])
    entity_codes, row_rank = entity_codes[rows], rank[article_codes[rows]]
    mentions = np.bincount(entity_codes, weights=entity_articles["mentions"].to_numpy(dtype=float)[rows], minlength=len(names))
    counts = np.bincount(entity_codes, minlength=len(names))
    dated = row_rank >= 0
    first = np.full(len(names), np.iinfo(np.int64).max)
    last = np.full(len(names), -1)
    np.minimum.at(first, entity_codes[dated], row_rank[dated])
    np.maximum.at(last, entity_codes[dated], row_rank[dated])
    present = np.flatnonzero(counts)
    dates = np.append(sorted_dates.to_numpy(dtype=object), None)  # rank -1 (all undated) reads None
    table = pd.DataFrame({
        "name": names[present], "mentions": mentions[present].astype(np.int64), "articles": counts[present],
        # object columns, so that an entity seen only in undated articles has None, not NaN
        "first_date": pd.Series(dates[np.where(first[present] == np.iinfo(np.int64).max, -1, first[present])], dtype=object),
        "last_date": pd.Series(dates[last[present]], dtype=object),
    })
    info = entities[["name", "label", "forms", "note"]].drop_duplicates("name")
    if entity_forms is not None:
        info = info.drop(columns="forms").merge(_forms_within(entity_forms, articles), on="name", how="left")
        info["forms"] = info["forms"].fillna("")
    else:
        info = info.assign(forms=[_forms_text(f) for f in info["forms"]])
    table = table.merge(info.assign(name=info["name"].astype(object)), on="name", how="left")
    table = table.sort_values(["mentions", "articles", "name"], ascending=[False, False, True]).reset_index(drop=True)
    return table[columns]


def _forms_within(entity_forms: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """``form (count)`` of each entity within ``articles``, most frequent first (ties by form): name, forms."""
    article_codes, kept = per_article(entity_forms["article"], articles, True, bool, False)
    rows = entity_forms[kept[article_codes]]
    counts = (rows.groupby([rows["entity"].astype(object), rows["text"].astype(object)])["mentions"].sum()
              .reset_index().sort_values(["entity", "mentions", "text"], ascending=[True, False, True]))
    written = [f"{form} ({count})" for form, count in zip(counts["text"].tolist(), counts["mentions"].tolist())]
    joined = pd.Series(written, index=counts["entity"].to_numpy(), dtype=object).groupby(level=0, sort=False).agg("; ".join)
    return pd.DataFrame({"name": joined.index.astype(object), "forms": joined.to_numpy(dtype=object)})


def _forms_text(forms_json) -> str:
    if not _present(forms_json):
        return ""
    counts = json.loads(forms_json)
    return "; ".join(f"{form} ({count})" for form, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def mentions_over_time(entity_articles: pd.DataFrame, articles: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Mentions of each named entity per month bar (``undated`` included), from the
    per-article counts. Columns: entity, month, label, mentions."""
    months = articles_per_month(articles)["month"].tolist()
    month_of = {m: i for i, m in enumerate(months)}
    month_codes = [month_of[m] for m in per_date(articles, month_key).tolist()]
    article_codes, month = per_article(entity_articles["article"], articles, month_codes, np.int64, -1)
    entity_codes, row = per_code(entity_articles["entity"], {name: i for i, name in enumerate(names)}, np.int64, -1)
    rows = (month[article_codes] >= 0) & (row[entity_codes] >= 0)
    counts = np.zeros((len(names), len(months)), dtype=np.int64)
    np.add.at(counts, (row[entity_codes[rows]], month[article_codes[rows]]), entity_articles["mentions"].to_numpy()[rows])
    return pd.DataFrame({
        "entity": np.repeat(np.array(names, dtype=object), len(months)),
        "month": months * len(names),
        "label": [month_key_label(m) for m in months] * len(names),
        "mentions": counts.ravel(),
    }, columns=["entity", "month", "label", "mentions"])


def sentence_entities(mention_entities: pd.DataFrame) -> pd.DataFrame:
    """Which entities each sentence mentions: one row per (article, sent, entity), in sentence
    order, with ``sentence``, a number unique to the (article, sent) pair that never
    decreases down the table. What sentence counts and co-occurrence read; computed
    once per store version (one sort of integer keys, no hashing of rows)."""
    article_codes, article_values = codes(mention_entities["article"])
    entity_codes, entity_values = codes(mention_entities["entity"])
    sents = mention_entities["sent"].to_numpy(dtype=np.int64)
    known = (article_codes >= 0) & (entity_codes >= 0)
    span, width = (int(sents.max()) + 1 if len(sents) else 1), len(entity_values) + 1
    keys = np.sort((article_codes[known] * span + sents[known]) * width + entity_codes[known])
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys  # (np.unique took 20x longer here)
    sentence_keys, entity = np.divmod(keys, width)
    article, sent = np.divmod(sentence_keys, span)
    sentence = np.cumsum(np.r_[True, sentence_keys[1:] != sentence_keys[:-1]]) - 1 if len(keys) else keys

    def column(found: np.ndarray, values: np.ndarray, series: pd.Series):
        if isinstance(series.dtype, pd.CategoricalDtype):
            return pd.Categorical.from_codes(found, dtype=series.dtype)
        return values[found]

    return pd.DataFrame({
        "article": column(article, article_values, mention_entities["article"]), "sent": sent,
        "entity": column(entity, entity_values, mention_entities["entity"]), "sentence": sentence.astype(np.int64),
    })


MAX_COOCCURRING = 62  # a sentence's chosen entities are the bits of one int64


def cooccurrence(sentence_entities: pd.DataFrame, articles: pd.DataFrame, ranking: list[str], top: int = 15) -> pd.DataFrame:
    """Sentences of ``articles`` in which two entities are both mentioned, for the
    first ``top`` entities of ``ranking`` (the entities most mentioned first, as an entity
    table orders them), from the :func:`sentence_entities` form.

    A square table (entities as index and columns, in ranking order); the
    diagonal holds the number of sentences mentioning the entity.
    """
    chosen = list(ranking[:min(top, MAX_COOCCURRING)])
    entity_codes = lookup(sentence_entities["entity"], {name: i for i, name in enumerate(chosen)}, np.int64, -1)
    rows = (entity_codes >= 0) & in_articles(sentence_entities["article"], articles)
    if not rows.any():
        return pd.DataFrame()
    sentences, columns = sentence_entities["sentence"].to_numpy()[rows], entity_codes[rows]
    # Each sentence's chosen entities as the bits of one integer (the rows are in
    # sentence order, so a sentence's rows are contiguous); then each distinct
    # combination adds its number of sentences to every pair it contains.
    starts = np.flatnonzero(np.r_[True, sentences[1:] != sentences[:-1]])
    combinations = np.bitwise_or.reduceat(np.left_shift(np.int64(1), columns.astype(np.int64)), starts)
    counted = pd.Series(combinations).value_counts()
    present = (counted.index.to_numpy()[:, None] >> np.arange(len(chosen))) & 1  # combinations x entities
    weights = counted.to_numpy()[:, None] * present
    return pd.DataFrame(present.T @ weights, index=chosen, columns=chosen).astype(int)


def entity_sentences(
    mention_entities: pd.DataFrame, sentences: pd.DataFrame, name: str, articles: pd.DataFrame,
    limit: int | None = None,
) -> pd.DataFrame:
    """The sentences of ``articles`` that mention an entity, in article order (newest first) then text order.

    Columns: article, sent, start, end (sentence offsets in the cleaned text),
    spans (list of ``[start, end]`` of the entity's mentions in that sentence).
    With ``limit``, only the first ``limit`` sentences in that order (the work
    is then bounded by the limit, not by how often the entity is mentioned).
    """
    columns = ["article", "sent", "start", "end", "spans"]
    of_entity = (mention_entities["entity"] == name).to_numpy(dtype=bool)
    article_codes, rank = per_article(mention_entities["article"], articles, newest_ranks(articles), np.int64, -1)
    present = np.zeros(len(rank), dtype=bool)
    present[article_codes[of_entity]] = True  # an article of the entity (the slot of code -1 is cleared below)
    present[-1] = False
    candidates = present & (rank >= 0)
    if limit is not None and limit <= 0:
        candidates[:] = False
    elif limit is not None and candidates.any():  # the first ``limit`` sentences lie in the ``limit`` newest articles at most
        candidates &= rank <= np.sort(rank[candidates])[:limit][-1]
    rows = of_entity & candidates[article_codes]
    if not rows.any():
        return pd.DataFrame(columns=columns)
    mentions = mention_entities[rows]
    row_rank = rank[article_codes[rows]]
    sent, start, end = (mentions[c].to_numpy(dtype=np.int64) for c in ("sent", "start", "end"))
    order = np.lexsort((end, start, sent, row_rank))
    row_rank, sent, start, end = row_rank[order], sent[order], start[order], end[order]
    new_sentence = np.ones(len(order), dtype=bool)
    new_sentence[1:] = (row_rank[1:] != row_rank[:-1]) | (sent[1:] != sent[:-1])
    keep = np.cumsum(new_sentence) <= (limit if limit is not None else len(order))
    article_ids = mentions["article"].to_numpy()[order][keep]
    grouped = []
    for (article, sentence), group in itertools.groupby(
        zip(article_ids.tolist(), sent[keep].tolist(), start[keep].tolist(), end[keep].tolist()),
        key=lambda row: (row[0], row[1]),
    ):
        grouped.append((article, sentence, [[first, last] for _, _, first, last in group]))
    spans = pd.DataFrame(grouped, columns=["article", "sent", "spans"])
    sentences = restrict(sentences, "article", set(spans["article"])).astype({"article": object, "sent": "int64"})
    spans = spans.astype({"sent": "int64"}).merge(sentences, on=["article", "sent"], how="left")
    spans["start"] = spans["start"].astype("int64")
    spans["end"] = spans["end"].astype("int64")
    return spans[columns].reset_index(drop=True)


def entity_sentence_count(sentence_entities: pd.DataFrame, name: str, articles: pd.DataFrame) -> int:
    """How many sentences of ``articles`` mention an entity (from the :func:`sentence_entities` form)."""
    of_entity = (sentence_entities["entity"] == name).to_numpy(dtype=bool)
    return int((of_entity & in_articles(sentence_entities["article"], articles)).sum())


def with_sentence_text(rows: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    """``rows`` (article, sent, start, end, ...) with the sentence's text, spans dropped: for CSV exports.
    ``sent`` becomes ``sentence_number``, counted from 1 as the screen shows it."""
    out = rows.drop(columns=[c for c in ("spans",) if c in rows.columns]).assign(
        sentence=[texts[a][s:e] for a, s, e in zip(rows["article"], rows["start"], rows["end"])])
    if "sent" in out.columns:
        out = out.assign(sent=out["sent"] + 1).rename(columns={"sent": "sentence_number"})
    return out


# Sanctions --------------------------------------------------------------------

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
        order = _newest_first_positions(articles)
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


# Topics -----------------------------------------------------------------------

def topic_terms(topics: pd.DataFrame, k: int, terms: int = 10) -> pd.DataFrame:
    """The top terms of each topic of the ``k``-topic model. Columns: topic, terms (joined by ``, ``)."""
    chosen = topics[(topics["k"] == k) & (topics["rank"] < terms)].sort_values(["topic", "rank"])
    table = chosen.groupby("topic")["term"].agg(", ".join).reset_index().rename(columns={"term": "terms"})
    table["topic"] = table["topic"].astype(int)
    return table


def topic_labels(terms: pd.DataFrame, words: int = 3) -> dict[int, str]:
    """A short name for each topic of :func:`topic_terms`' table: its number and first terms ("2 · sanctions,
    missile, accord")."""
    return {int(topic): f"{int(topic)} · " + ", ".join(str(joined).split(", ")[:words])
            for topic, joined in zip(terms["topic"], terms["terms"])}


def topic_articles(doc_topics: pd.DataFrame, k: int, topic: int, articles: pd.DataFrame) -> pd.DataFrame:
    """The given articles in which ``topic`` of the ``k``-topic model has some weight, heaviest first
    (ties newest first). Columns: article, weight, date."""
    ordered = newest_first(articles)
    matrix = topic_article_matrix(doc_topics, k, ordered["id"].tolist())
    if matrix.empty or topic not in matrix.index:
        return pd.DataFrame({"article": pd.Series(dtype=object), "weight": pd.Series(dtype=float), "date": pd.Series(dtype=object)})
    weights = matrix.loc[topic]
    weights = weights[weights > 0]
    order = np.argsort(-weights.to_numpy(), kind="stable")
    date_of = dict(zip(ordered["id"], ordered["date"]))
    chosen = weights.index[order]
    return pd.DataFrame({"article": list(chosen), "weight": weights.to_numpy()[order].round(4),
                         "date": [date_of.get(a) for a in chosen]})


def topic_share_by_month(doc_topics: pd.DataFrame, k: int, articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Each topic's share of each month's modelled articles (rows: topics; columns: month keys as
    :func:`month_key` gives them, in time order, undated last; each column sums to 1, as each article's
    topic weights do), and the number of articles behind each column."""
    matrix = topic_article_matrix(doc_topics, k, articles["id"].tolist())
    if matrix.empty:
        return pd.DataFrame(index=range(k)), pd.Series(dtype=np.int64)
    date_of = dict(zip(articles["id"], articles["date"]))
    months = pd.Series([month_key(date_of.get(a)) for a in matrix.columns], index=matrix.columns)
    order = sorted(set(months), key=lambda m: (m == UNDATED, m))
    shares = matrix.T.groupby(months.to_numpy()).mean().T.reindex(columns=order)
    counts = months.value_counts().reindex(order).astype(np.int64)
    return shares, counts


def topic_article_matrix(doc_topics: pd.DataFrame, k: int, article_ids: list[str]) -> pd.DataFrame:
    """Topic weights (rows: topics 0..k-1) of each article (columns, in the given order); 0 when absent."""
    column_of = {article: i for i, article in enumerate(article_ids)}
    rows = (doc_topics["k"] == k).to_numpy(dtype=bool, copy=True)
    rows[rows] = isin(doc_topics["article"][rows], column_of)
    chosen = doc_topics[rows]
    columns = lookup(chosen["article"], column_of, np.int64, -1)
    weights = np.zeros((k, len(article_ids)))
    np.add.at(weights, (chosen["topic"].to_numpy(dtype=np.int64), columns), chosen["weight"].to_numpy(dtype=float))
    present = np.zeros(len(article_ids), dtype=bool)
    present[columns] = True
    return pd.DataFrame(weights[:, present], index=range(k), columns=[a for a, p in zip(article_ids, present) if p])


def distinctive_terms(top_terms: pd.DataFrame, article_ids: list[str], terms: int = 10) -> pd.DataFrame:
    """Each article's most distinctive TF-IDF terms. Columns: article, terms (joined by ``, ``)."""
    chosen = restrict(top_terms[top_terms["rank"] < terms], "article", set(article_ids)).sort_values(["article", "rank"])
    joined: dict[str, list[str]] = {}
    for article, term in zip(chosen["article"].tolist(), chosen["term"].tolist()):
        joined.setdefault(article, []).append(term)
    present = [a for a in article_ids if a in joined]
    return pd.DataFrame({"article": present, "terms": [", ".join(joined[a]) for a in present]})


def similarity_matrix(matrix, row_of: dict[str, int], article_ids: list[str], cap: int = 40) -> pd.DataFrame:
    """Cosine similarity of the TF-IDF rows (``row_of``: article id -> row of ``matrix``)
    of the first ``cap`` of ``article_ids`` that have a row."""
    chosen = list(itertools.islice((a for a in article_ids if a in row_of), cap))
    if not chosen:
        return pd.DataFrame()
    rows = matrix[[row_of[a] for a in chosen]]
    rows = rows.toarray() if hasattr(rows, "toarray") else np.asarray(rows)
    norms = np.linalg.norm(rows, axis=1)
    norms[norms == 0] = 1.0
    unit = rows / norms[:, None]
    return pd.DataFrame(np.round(unit @ unit.T, 6), index=chosen, columns=chosen)


def similar_articles(matrix, row_of: dict[str, int], article_id: str, among=None, count: int = 10) -> pd.DataFrame:
    """The ``count`` articles most like ``article_id``, by cosine similarity of their
    TF-IDF rows (``row_of``: article id -> row of ``matrix``), among the ids in the
    set ``among`` (every article when None). Columns: article, similarity.

    One row against the matrix: linear in the corpus, so it is computed when
    asked rather than stored for every pair. The vectoriser's rows have unit
    length, so their dot product is the cosine; articles with nothing in
    common (similarity 0) are left out.
    """
    columns = ["article", "similarity"]
    row = row_of.get(article_id)
    if row is None or count <= 0:
        return pd.DataFrame(columns=columns)
    among = among if among is None or isinstance(among, (set, frozenset)) else set(among)
    scores = np.asarray(matrix @ matrix[row].toarray().ravel(), dtype=np.float64)
    scores[row] = 0.0
    related = np.flatnonzero(scores > 0)
    ids = np.empty(matrix.shape[0], dtype=object)
    ids[list(row_of.values())] = list(row_of)
    best = []
    for position in related[np.argsort(-scores[related], kind="stable")].tolist():
        if among is None or ids[position] in among:
            best.append(position)
            if len(best) == count:
                break
    return pd.DataFrame({"article": ids[best], "similarity": np.round(scores[best], 4)}, columns=columns)


def wire_groups(articles: pd.DataFrame) -> pd.DataFrame:
    """Groups of articles sharing a wire story or exact text. Columns: group, article, source, date, role."""
    columns = ["group", "article", "source", "date", "role"]
    rows = []
    exact = articles[articles["duplicate_of"].notna() & articles["wire_group"].isna()]
    copied = set(exact["duplicate_of"])
    for row in articles.itertuples(index=False):
        group = row.wire_group if _present(row.wire_group) else None
        if group is None and row.id in copied:
            group = f"exact:{row.id}"
        if group is None and _present(row.duplicate_of):
            group = f"exact:{row.duplicate_of}"
        if group is None:
            continue
        role = f"copy of {row.duplicate_of}" if _present(row.duplicate_of) else "first seen"
        rows.append({"group": str(group), "article": row.id, "source": row.source, "date": date_label(row.date), "role": role})
    return pd.DataFrame(rows, columns=columns).sort_values(["group", "role"], ascending=[True, False]).reset_index(drop=True) if rows else pd.DataFrame(columns=columns)


# Reading ----------------------------------------------------------------------

def kwic(text: str, keyword: str, window: int = 60) -> pd.DataFrame:
    """Keyword in context: every case-insensitive occurrence of ``keyword`` in ``text``.

    Columns: start, end (offsets of the match), left, match, right (up to
    ``window`` characters each side, line breaks shown as spaces).
    """
    columns = ["start", "end", "left", "match", "right"]
    keyword = keyword.strip()
    if not keyword or not text:
        return pd.DataFrame(columns=columns)
    from core.search import in_context

    spans = [(found.start(), found.end()) for found in re.finditer(re.escape(keyword), text, flags=re.IGNORECASE)]
    return pd.DataFrame(in_context(text, spans, window), columns=columns)


def removed_lines(removed: str | None) -> pd.DataFrame:
    """The lines cleaning removed (from the ``removed`` JSON column). Columns: line, rule."""
    items = json.loads(removed) if _present(removed) else []
    return pd.DataFrame(items, columns=["line", "rule"])


# Quotes -----------------------------------------------------------------------

def quotes_table(quotes: pd.DataFrame, articles: pd.DataFrame, speaker: str | None = None, words: str = "",
                 kind: str | None = None) -> pd.DataFrame:
    """The quotes of the ``articles`` shown, newest article first, by ``speaker`` (``""`` for the
    unattributed), with ``words`` (accent- and case-folded) in the quote, of a ``kind``. Columns:
    article, sent, start, end, kind, speaker, speaker_entity, cue, date, month."""
    if quotes is None or quotes.empty:
        return pd.DataFrame(columns=["article", "sent", "start", "end", "kind", "speaker", "speaker_entity", "cue", "date", "month"])
    dates = dict(zip(articles["id"], articles["date"]))
    shown = quotes[quotes["article"].isin(set(articles["id"]))]
    if speaker is not None:
        shown = shown[shown["speaker"].fillna("") == speaker]
    if kind:
        shown = shown[shown["kind"] == kind]
    shown = shown.assign(date=shown["article"].map(dates))
    shown = shown.assign(month=[month_key(d) for d in shown["date"]])
    order = {article: position for position, article in enumerate(newest_first(articles)["id"])}
    shown = shown.assign(_order=shown["article"].map(order)).sort_values(["_order", "start"], kind="stable").drop(columns="_order")
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
    frame = quotes.assign(speaker=quotes["speaker"].fillna(""))
    table = frame.groupby("speaker")["kind"].agg(quotes="size", direct=lambda k: int((k == "direct").sum()),
                                                 indirect=lambda k: int((k == "indirect").sum())).reset_index()
    return table.sort_values(["quotes", "speaker"], ascending=[False, True]).reset_index(drop=True)


def quotes_per_month(quotes: pd.DataFrame, articles: pd.DataFrame, speakers: list[str]) -> pd.DataFrame:
    """Quotes per month bar (undated included) of each of ``speakers``: speaker, month, label, quotes."""
    months = articles_per_month(articles)["month"].tolist()
    counts = quotes.assign(speaker=quotes["speaker"].fillna("")).groupby(["speaker", "month"]).size()
    rows = [(s, m, month_key_label(m), int(counts.get((s, m), 0))) for s in speakers for m in months]
    return pd.DataFrame(rows, columns=["speaker", "month", "label", "quotes"])
