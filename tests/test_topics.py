"""TF-IDF and NMF topics over stored lemmas: deterministic, sparse."""

from __future__ import annotations

import scipy.sparse as sp
from sklearn.exceptions import NotFittedError

import pytest

from core.topics import LemmaTfidfVectorizer, fit_topics


def _lemmas(store):
    analyses = store.read("analyses", columns=["article", "lemmas"])
    return analyses["article"].tolist(), analyses["lemmas"].tolist()


def test_topics_vectorizer_is_a_scikit_learn_estimator(seed_store):
    ids, lemmas = _lemmas(seed_store)
    vectorizer = LemmaTfidfVectorizer()
    with pytest.raises(NotFittedError):
        vectorizer.transform(lemmas)
    assert vectorizer.fit(lemmas) is vectorizer
    matrix = vectorizer.transform(lemmas)
    assert sp.issparse(matrix) and matrix.shape == (5, len(vectorizer.get_feature_names_out()))
    assert vectorizer.get_params() == {"max_df": None, "max_features": 50000, "min_df": None, "sublinear_tf": True}


def test_topics_lemmas_have_no_stop_words_punctuation_or_numbers(seed_store):
    _, lemmas = _lemmas(seed_store)
    words = set(" ".join(lemmas).split())
    assert not words & {"le", "de", "et", "être", "avoir", "2023", ",", "«"}
    assert {"sanction", "munition", "sommet"} <= words


def test_topics_identical_across_two_runs(seed_store):
    ids, lemmas = _lemmas(seed_store)
    vectorizer = LemmaTfidfVectorizer().fit(lemmas)
    matrix, terms = vectorizer.transform(lemmas), vectorizer.get_feature_names_out()
    first = fit_topics(matrix, terms, ids, 3)
    second = fit_topics(matrix, terms, ids, 3)
    assert first[0].equals(second[0]) and first[1].equals(second[1])
    stored = seed_store.read_derived("topics")
    assert stored[stored["k"] == 3].reset_index(drop=True).equals(first[0])


def test_topics_as_many_topics_as_articles_fits_without_warnings(seed_store):
    """Two articles and two topics fit exactly; the ingest of a tiny corpus prints no numpy warning."""
    import warnings

    analyses = seed_store.read("analyses", columns=["article", "lemmas"]).head(2)
    lemmas, ids = analyses["lemmas"].tolist(), analyses["article"].tolist()
    vectorizer = LemmaTfidfVectorizer().fit(lemmas)
    matrix = vectorizer.transform(lemmas).tocsr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        topics, doc_topics = fit_topics(matrix, vectorizer.get_feature_names_out(), ids, 2)
    assert set(doc_topics["article"]) == set(ids)
    assert topics["weight"].notna().all() and (topics["weight"] > 0).all()


@pytest.mark.parametrize("articles, expected", [(5, 3), (8, 3), (12, 5), (100, 5), (2, 3)])
def test_the_default_topic_count_is_never_more_than_half_the_articles(articles, expected):
    import pandas as pd

    from core.analysis import default_topic_count

    topics = pd.DataFrame({"k": [3, 5, 8, 12]})
    doc_topics = pd.DataFrame({"article": [f"a{i}" for i in range(articles)]})
    assert default_topic_count(topics, doc_topics) == expected
    assert default_topic_count(topics) == 5
