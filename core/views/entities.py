"""Entities counted within the shown articles: the entity table with its forms, mentions over time, sentences and co-occurrence."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd

from core.tables import codes, in_articles, lookup, per_article, per_code, restrict
from core.views.articles import (
    articles_per_month,
    is_present,
    month_key,
    month_key_label,
    newest_ranks,
    per_date,
)


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
    """``form (count)`` of each entity within ``articles``, most frequent first (ties by form): name, forms.

    Counted on integer codes (the table may hold millions of rows); strings are made for the
    (entity, form) pairs found only."""
    article_codes, kept = per_article(entity_forms["article"], articles, True, bool, False)
    rows = kept[article_codes]
    entity_codes, entities = codes(entity_forms["entity"])
    text_codes, texts = codes(entity_forms["text"])
    entity_codes, text_codes = entity_codes[rows], text_codes[rows]
    # pairs numbered by hashing, in order of appearance (the order below does not depend on theirs):
    # a few times faster than sorting millions of them
    inverse, pairs = pd.factorize(entity_codes * len(texts) + text_codes)
    pairs = np.asarray(pairs, dtype=np.int64)
    mentions = np.bincount(inverse, weights=entity_forms["mentions"].to_numpy(dtype=float)[rows]).astype(np.int64)
    pair_entity, pair_text = pairs // max(len(texts), 1), pairs % max(len(texts), 1)
    # by entity, then most mentioned first, then by form (as written, in the order of its text)
    text_rank = np.argsort(np.argsort(texts.astype(str), kind="stable"), kind="stable")
    order = np.lexsort((text_rank[pair_text], -mentions, pair_entity))
    written = [f"{form} ({count})" for form, count in zip(texts[pair_text[order]].tolist(), mentions[order].tolist())]
    starts = np.flatnonzero(np.r_[True, np.diff(pair_entity[order]) != 0])
    bounds = np.r_[starts, len(order)].tolist()
    return pd.DataFrame({
        "name": entities[pair_entity[order][starts]].astype(object),
        "forms": ["; ".join(written[a:b]) for a, b in zip(bounds[:-1], bounds[1:])],
    }, columns=["name", "forms"])


def _forms_text(forms_json) -> str:
    if not is_present(forms_json):
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
    order (entities by name within a sentence), with ``sentence``, a number unique to the
    (article, sent) pair that never decreases down the table. What sentence counts and
    co-occurrence read; computed once per store version (one sort of integer keys, no hashing
    of rows). An entity edit renumbers nothing: the sentences are those that name an entity."""
    article_codes, article_values = codes(mention_entities["article"])
    entity_codes, entity_values = codes(mention_entities["entity"])
    if not isinstance(mention_entities["entity"].dtype, pd.CategoricalDtype) and len(entity_values):
        by_name = np.argsort(entity_values.astype(str), kind="stable")
        rank = np.empty(len(by_name), dtype=np.int64)
        rank[by_name] = np.arange(len(by_name))
        entity_codes = np.where(entity_codes >= 0, rank[np.maximum(entity_codes, 0)], -1)
        entity_values = entity_values[by_name]
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
