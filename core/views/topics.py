"""Topics (their terms, names, articles and share per month), distinctive terms and article similarity."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from core.tables import POSITION, per_article, restrict
from core.views.articles import UNDATED, month_key, newest_first_positions, per_date


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
    ordered = articles[[c for c in ("id", "date", POSITION) if c in articles.columns]].iloc[newest_first_positions(articles)]
    weights, present = _topic_weights(doc_topics, k, ordered)
    if not present.any() or not 0 <= topic < k:
        return pd.DataFrame({"article": pd.Series(dtype=object), "weight": pd.Series(dtype=float), "date": pd.Series(dtype=object)})
    row = weights[topic]
    held = np.flatnonzero(present & (row > 0))
    held = held[np.argsort(-row[held], kind="stable")]
    return pd.DataFrame({"article": ordered["id"].astype(object).to_numpy()[held], "weight": row[held].round(4),
                         "date": ordered["date"].astype(object).to_numpy()[held]})


def topic_share_by_month(doc_topics: pd.DataFrame, k: int, articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Each topic's share of each month's modelled articles (rows: topics; columns: month keys as
    :func:`month_key` gives them, in time order, undated last; each column sums to 1, as each article's
    topic weights do), and the number of articles behind each column."""
    weights, present = _topic_weights(doc_topics, k, articles)
    if not present.any():
        return pd.DataFrame(index=range(k)), pd.Series(dtype=np.int64)
    months = per_date(articles, month_key)[present]  # once per distinct date, not per article
    order = sorted(set(months.tolist()), key=lambda m: (m == UNDATED, m))
    column_of = {m: i for i, m in enumerate(order)}
    columns = np.array([column_of[m] for m in months.tolist()], dtype=np.int64)
    counts = np.bincount(columns, minlength=len(order))
    sums = np.zeros((k, len(order)))
    np.add.at(sums, (slice(None), columns), weights[:, present])
    shares = pd.DataFrame(sums / counts, index=range(k), columns=order)
    return shares, pd.Series(counts.astype(np.int64), index=order)


def topic_article_matrix(doc_topics: pd.DataFrame, k: int, articles: list[str] | pd.DataFrame) -> pd.DataFrame:
    """Topic weights (rows: topics 0..k-1) of each article (columns, in the given order); 0 when absent.
    ``articles``: their ids, or rows of the corpus table (found by their positions, faster)."""
    frame = articles if isinstance(articles, pd.DataFrame) else pd.DataFrame({"id": list(articles)})
    weights, present = _topic_weights(doc_topics, k, frame)
    ids = frame["id"].tolist()
    return pd.DataFrame(weights[:, present], index=range(k), columns=[a for a, p in zip(ids, present) if p])


def _topic_weights(doc_topics: pd.DataFrame, k: int, articles: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``(weights, present)``: the topic weights of each of ``articles`` in their order (a k ×
    articles array, 0 when absent) and whether the model holds the article. Articles that carry
    their corpus position are found by array indexing (``core.tables.per_article``)."""
    rows = (doc_topics["k"] == k).to_numpy(dtype=bool, copy=True)
    found, column_of = per_article(doc_topics["article"][rows], articles, np.arange(len(articles)), np.int64, -1)
    columns = column_of[found]
    rows[rows] = columns >= 0
    columns = columns[columns >= 0]
    chosen = doc_topics[rows]
    weights = np.zeros((k, len(articles)))
    np.add.at(weights, (chosen["topic"].to_numpy(dtype=np.int64), columns), chosen["weight"].to_numpy(dtype=float))
    present = np.zeros(len(articles), dtype=bool)
    present[columns] = True
    return weights, present


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
