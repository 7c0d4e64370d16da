"""core.views on the seed corpus: exact tables the dashboard draws."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core import tables, views
from core.analysis import entity_article_counts, entity_form_counts, load_articles, load_tfidf


@pytest.fixture(scope="module")
def seeds(seed_store):
    articles = load_articles(seed_store)
    ids = {Path(s).name[:3]: i for s, i in zip(articles["source"], articles["id"])}
    return {
        "articles": articles, "ids": ids, "store": seed_store,
        "mention_entities": seed_store.read_derived("mention_entities"),
        "entities": seed_store.read_derived("entities"),
        # the views take the sanctions hits one row per sentence and category
        "sanctions": views.sanctions_by_category(seed_store.read_derived("sanctions")),
        "sentences": seed_store.read("sentences"),
    }


def test_views_date_label():
    assert views.date_label("2023-09") == "Sep 2023"
    assert views.date_label("2023-09-05") == "5 Sep 2023"
    assert views.date_label("2023") == "2023"
    assert views.date_label(None) == "undated"
    assert views.date_label(float("nan")) == "undated"


def test_views_filter_reads_month_dates_as_periods(seeds):
    articles = seeds["articles"]
    assert views.date_bounds(articles) == (dt.date(2023, 9, 1), dt.date(2023, 9, 30))
    one_day = views.filter_articles(articles, start=dt.date(2023, 9, 15), end=dt.date(2023, 9, 15), include_undated=False)
    assert sorted(Path(s).name[:3] for s in one_day["source"]) == ["000", "001", "004"]
    later = views.filter_articles(articles, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    assert sorted(Path(s).name[:3] for s in later["source"]) == ["002", "003"]
    assert len(views.filter_articles(articles, start=dt.date(2023, 10, 1), end=dt.date(2024, 1, 1), include_undated=False)) == 0
    assert len(views.filter_articles(articles, languages=["en"])) == 0
    assert len(views.filter_articles(articles, article_ids={seeds["ids"]["002"]})) == 1


def test_views_articles_per_month_has_undated_bar(seeds):
    table = views.articles_per_month(seeds["articles"])
    assert table.to_dict("records") == [
        {"month": "2023-09", "label": "Sep 2023", "articles": 3},
        {"month": "undated", "label": "undated", "articles": 2},
    ]


def test_views_articles_per_month_fills_gaps_and_years():
    frame = pd.DataFrame({"date": ["2023-09", "2023-11-02", "2024", None]})
    table = views.articles_per_month(frame)
    assert table["month"].tolist() == ["2023-09", "2023-10", "2023-11", "2024", "undated"]
    assert table["articles"].tolist() == [1, 0, 1, 1, 1]


def test_views_newest_first_puts_undated_last(seeds):
    order = views.newest_first(seeds["articles"])
    assert order["date"].isna().tolist() == [False, False, False, True, True]


def test_views_newest_first_orders_periods_by_their_end_then_start():
    frame = pd.DataFrame({
        "id": list("abcdefgh"),
        "date": ["2023-09-12", None, "2023-09", "2023", "2023-12-31", "2023-09", "2024-01-01", float("nan")],
    })
    # 2024-01-01; then three periods ending 2023-12-31 (the day, then the year, which starts
    # earlier); then September (both, in table order); then 12 Sep; undated last, in table order
    assert views.newest_first(frame)["id"].tolist() == ["g", "e", "d", "c", "f", "a", "b", "h"]
    ranked = views.with_newest_rank(frame)  # what the dashboard holds: the same order, from a column
    assert views.newest_first(ranked)["id"].tolist() == ["g", "e", "d", "c", "f", "a", "b", "h"]
    assert views.newest_first(ranked[ranked["id"].isin(list("abcdh"))])["id"].tolist() == ["d", "c", "a", "b", "h"]


def test_views_entity_table_top_entities(seeds):
    table = views.entity_table(seeds["entities"], entity_article_counts(seeds["mention_entities"]), seeds["articles"])
    top = table.head(4)[["name", "label", "mentions", "articles", "first_date", "last_date"]].to_dict("records")
    assert top == [
        {"name": "Kim Jong Un", "label": "PER", "mentions": 60, "articles": 5, "first_date": "2023-09", "last_date": "2023-09"},
        # 46 French mentions, the English caption's "North Korea" (seed 003), one place since country names in
        # other languages are one, and 8 of "le Nord" in articles that name it in full
        {"name": "Corée du Nord", "label": "LOC", "mentions": 55, "articles": 5, "first_date": "2023-09", "last_date": "2023-09"},
        {"name": "Russie", "label": "LOC", "mentions": 52, "articles": 5, "first_date": "2023-09", "last_date": "2023-09"},
        {"name": "Vladimir Poutine", "label": "PER", "mentions": 43, "articles": 5, "first_date": "2023-09", "last_date": "2023-09"},
    ]
    assert table.iloc[0]["forms"] == "Kim (41); Kim Jong Un (14); M. Kim (3); Kim Jong-un (2)"  # as written, whole corpus
    # an entity seen only in undated articles has no first or last date (None, also in a table with dates)
    assert table.set_index("name").loc["Sergueï Lavrov", ["first_date", "last_date"]].tolist() == [None, None]


def test_views_entity_table_counts_only_filtered_articles(seeds):
    undated = seeds["articles"][seeds["articles"]["date"].isna()]
    table = views.entity_table(seeds["entities"], entity_article_counts(seeds["mention_entities"]), undated).set_index("name")
    assert table.loc["Kim Jong Un", "mentions"] == 33
    assert table.loc["Kim Jong Un", "first_date"] is None


def test_views_entity_table_forms_are_those_of_the_filtered_articles(seeds):
    one = seeds["articles"][seeds["articles"]["id"] == seeds["ids"]["000"]]
    stored = seeds["store"].read_derived("entity_forms")
    assert stored.equals(entity_form_counts(seeds["mention_entities"]))
    corpus = views.entity_table(seeds["entities"], entity_article_counts(seeds["mention_entities"]), one).set_index("name")
    within = views.entity_table(seeds["entities"], entity_article_counts(seeds["mention_entities"]), one, stored).set_index("name")
    mentions = seeds["mention_entities"]
    for name in within.index:
        written = mentions[(mentions["entity"] == name) & (mentions["article"] == seeds["ids"]["000"])]["text"].value_counts()
        expected = "; ".join(f"{form} ({count})" for form, count in sorted(written.items(), key=lambda fc: (-fc[1], fc[0])))
        assert within.loc[name, "forms"] == expected
    assert (within["forms"] != corpus["forms"]).any()  # the corpus's forms are no longer shown for one article
    assert within.drop(columns="forms").equals(corpus.drop(columns="forms"))
    nothing = views.entity_table(seeds["entities"], entity_article_counts(mentions), one.iloc[:0], stored)
    assert nothing.empty


def test_views_mentions_over_time(seeds):
    table = views.mentions_over_time(entity_article_counts(seeds["mention_entities"]), seeds["articles"], ["Kim Jong Un"])
    assert table[["month", "mentions"]].to_dict("records") == [{"month": "2023-09", "mentions": 27}, {"month": "undated", "mentions": 33}]


def test_views_cooccurrence_is_capped_and_symmetric(seeds):
    ranking = views.entity_table(seeds["entities"], entity_article_counts(seeds["mention_entities"]), seeds["articles"])["name"]
    matrix = views.cooccurrence(views.sentence_entities(seeds["mention_entities"]), seeds["articles"], ranking.tolist(), top=4)
    assert list(matrix.index) == ["Kim Jong Un", "Corée du Nord", "Russie", "Vladimir Poutine"]  # "le Nord" is North Korea
    assert matrix.loc["Kim Jong Un", "Vladimir Poutine"] == 31 == matrix.loc["Vladimir Poutine", "Kim Jong Un"]
    assert matrix.loc["Kim Jong Un", "Kim Jong Un"] == 58


def test_views_entity_sentences(seeds):
    rows = views.entity_sentences(seeds["mention_entities"], seeds["sentences"], "Dmitri Peskov", seeds["articles"])
    ids = seeds["ids"]
    assert rows[["article", "sent"]].values.tolist() == [
        [ids["001"], 9], [ids["001"], 17], [ids["001"], 23], [ids["001"], 24], [ids["004"], 2], [ids["004"], 16],
    ]
    text = seeds["store"].read_rows("articles", "id", [ids["001"]], ["text"])["text"][0]
    first = rows.iloc[0]
    assert [text[s:e] for s, e in first["spans"]] == ["Dmitri Peskov"]
    assert first["start"] <= first["spans"][0][0] and first["spans"][0][1] <= first["end"]


def test_views_sanctions_matrix_by_article_and_month(seeds):
    articles, ids = seeds["articles"], seeds["ids"]
    by_article = views.sanctions_matrix(seeds["sanctions"], articles)
    assert list(by_article.index) == ["sanctions", "un_resolutions", "violations", "arms", "monitoring"]
    assert by_article[ids["003"]].tolist() == [5, 2, 1, 4, 1]
    assert by_article[ids["000"]].tolist() == [3, 1, 1, 5, 0]
    by_month = views.sanctions_matrix(seeds["sanctions"], articles, by="month")
    assert list(by_month.columns) == ["2023-09", "undated"]
    dated = [ids["000"], ids["001"], ids["004"]]
    assert by_month["2023-09"].tolist() == [5, 6, 5, 12, 0]
    assert by_month["2023-09"].tolist() == by_article[dated].sum(axis=1).tolist()
    assert by_month["undated"].tolist() == [7, 4, 1, 6, 1]
    rates = views.sanctions_matrix(seeds["sanctions"], articles, by="month", per_thousand=True)
    assert rates.loc["arms", "undated"] == pytest.approx(6 * 1000 / (1144 + 986))
    # a cap keeps the articles with the most sanctions sentences, still newest first
    totals = by_article.sum(axis=0)
    capped = views.sanctions_matrix(seeds["sanctions"], articles, cap=2)
    assert set(capped.columns) == set(totals.sort_values(ascending=False).index[:2])
    assert list(capped.columns) == [c for c in by_article.columns if c in set(capped.columns)]
    assert capped.equals(by_article[list(capped.columns)])


def test_views_sanctions_cell_lists_sentences(seeds):
    ids = seeds["ids"]
    cell = views.sanctions_cell(seeds["sanctions"], seeds["articles"], "violations", by="article", column=ids["003"])
    assert cell[["article", "sent"]].values.tolist() == [[ids["003"], 13]]
    text = seeds["store"].read_rows("articles", "id", [ids["003"]], ["text"])["text"][0]
    assert [text[s:e] for s, e in cell.iloc[0]["spans"]] == ["violeraient"]
    undated = views.sanctions_cell(seeds["sanctions"], seeds["articles"], "violations", by="month", column="undated")
    assert len(undated) == 1


def test_views_actors_matrix(seeds):
    matrix = views.actors_matrix(views.sanctions_by_actor(seeds["sanctions"]), seeds["articles"], top=3)
    # North Korea first: "de nouvelles sanctions de l'ONU au Nord" and its like name it as "le Nord"
    assert list(matrix.index) == ["Corée du Nord", "Russie", "Conseil de sécurité de l'ONU"]
    assert matrix.loc["Russie", ["sanctions", "un_resolutions", "arms", "monitoring"]].tolist() == [8, 7, 10, 0]
    actor_cell = views.actor_cell(seeds["sanctions"], views.sanctions_by_actor(seeds["sanctions"]), seeds["articles"], "arms", "Russie")
    assert len(actor_cell) == 10


def test_views_topics_and_similarity(seed_store, seeds):
    ids = views.newest_first(seeds["articles"])["id"].tolist()
    terms = views.topic_terms(seed_store.read_derived("topics"), 5, terms=3)
    assert terms["topic"].tolist() == [0, 1, 2, 3, 4]
    matrix = views.topic_article_matrix(seed_store.read_derived("doc_topics"), 3, ids)
    assert matrix.shape == (3, 5)
    assert matrix[seeds["ids"]["000"]].tolist() == [0.0, 0.0, 1.0]
    distinctive = views.distinctive_terms(seed_store.read_derived("top_terms"), ids, terms=3)
    # nouns and adjectives only, without news filler ("chose" was first before the news stop words)
    assert distinctive.set_index("article").loc[seeds["ids"]["000"], "terms"] == "corée, vieillissant, nord"
    matrix, matrix_ids = load_tfidf(seed_store)
    similarity = views.similarity_matrix(matrix, {a: i for i, a in enumerate(matrix_ids)}, ids, cap=3)
    assert similarity.shape == (3, 3)
    assert similarity.loc[seeds["ids"]["000"], seeds["ids"]["001"]] == pytest.approx(0.323921, abs=1e-6)  # 0.271651 with verbs and filler among the terms
    assert views.wire_groups(seeds["articles"]).empty


def test_views_similar_articles_rank_by_cosine_among_the_shown(seed_store, seeds):
    matrix, matrix_ids = load_tfidf(seed_store)
    row_of = {a: i for i, a in enumerate(matrix_ids)}
    first = seeds["ids"]["000"]
    similar = views.similar_articles(matrix, row_of, first, count=10)
    assert len(similar) == 4 and first not in set(similar["article"])
    assert similar["similarity"].is_monotonic_decreasing
    # the same cosine as the similarity matrix, which normalises the rows itself
    full = views.similarity_matrix(matrix, row_of, matrix_ids, cap=5)
    for other, score in zip(similar["article"], similar["similarity"]):
        assert score == pytest.approx(full.loc[first, other], abs=1e-4)
    assert similar.loc[similar["article"] == seeds["ids"]["001"], "similarity"].item() == pytest.approx(0.3239, abs=1e-4)
    among = {seeds["ids"]["001"], seeds["ids"]["004"], first}
    assert set(views.similar_articles(matrix, row_of, first, among=among)["article"]) == among - {first}
    assert views.similar_articles(matrix, row_of, first, count=2)["article"].tolist() == similar["article"].tolist()[:2]
    assert views.similar_articles(matrix, row_of, "not-analysed").empty
    assert views.similar_articles(matrix, row_of, first, count=0).empty


def test_views_kwic_window_and_case():
    rows = views.kwic("Les sanctions\nde l'ONU. SANCTIONS encore.", "sanctions", window=4)
    assert rows[["start", "left", "match", "right"]].values.tolist() == [
        [4, "Les ", "sanctions", " de "], [24, "NU. ", "SANCTIONS", " enc"],
    ]
    assert views.kwic("abc", "  ").empty
    assert views.kwic("a.b", ".", 1)["match"].tolist() == ["."]


def test_views_removed_lines():
    assert views.removed_lines('[{"line": "Publicité", "rule": "boilerplate"}]').to_dict("records") == [
        {"line": "Publicité", "rule": "boilerplate"}]
    assert views.removed_lines("[]").empty


def test_views_entity_sentences_limit_and_count(seeds):
    args = (seeds["mention_entities"], seeds["sentences"], "Dmitri Peskov", seeds["articles"])
    everything = views.entity_sentences(*args)
    first_two = views.entity_sentences(*args, limit=2)
    assert first_two.equals(everything.head(2))
    assert views.entity_sentences(*args, limit=0).empty
    by_sentence = views.sentence_entities(seeds["mention_entities"])
    assert views.entity_sentence_count(by_sentence, "Dmitri Peskov", seeds["articles"]) == 6 == len(everything)


def test_views_sanctions_functions_never_modify_their_input(seeds):
    long = seeds["sanctions"]
    columns = list(long.columns)
    for by in ("article", "month"):
        views.sanctions_matrix(long, seeds["articles"], by=by)
        views.sanctions_cell(long, seeds["articles"], "sanctions", by=by, column="undated")
    views.actors_matrix(views.sanctions_by_actor(long), seeds["articles"])
    assert list(long.columns) == columns


def _plain(result):
    """A view's result with categoricals turned back into plain values, for comparison."""
    if isinstance(result, pd.DataFrame):
        frame = result.copy()
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.CategoricalDtype):
                frame[column] = frame[column].astype(object)
        frame.index = list(frame.index)
        frame.columns = list(frame.columns)
        return frame.astype(object).where(frame.notna(), None)
    return result


@pytest.mark.parametrize("subset", ["all", "002-003-004", "004"])
def test_views_same_results_on_encoded_tables(seeds, subset):
    """The dashboard holds the large tables with categorical ids (tables.encode) and the
    articles with their corpus-wide newest-first rank; every view gives the same answer
    as on the plain tables, in the same order."""

    def chosen(corpus):
        if subset == "all":
            return corpus
        wanted = {seeds["ids"][n] for n in subset.split("-")}
        return corpus[corpus["id"].isin(wanted)].reset_index(drop=True)

    plain_articles = chosen(seeds["articles"])
    ranked_articles = chosen(views.with_newest_rank(seeds["articles"]))
    corpus = tables.with_positions(views.with_newest_rank(seeds["articles"]))  # as the dashboard holds it
    dashboard_articles = chosen(corpus)
    plain = {name: seeds[name] for name in ("mention_entities", "entities", "sanctions", "sentences")}
    plain["entity_articles"] = entity_article_counts(plain["mention_entities"])
    encoded = {name: tables.encode(frame) for name, frame in plain.items()}
    aligned = {name: tables.encode(frame, tables.article_dtype(corpus)) for name, frame in plain.items()}
    # the dashboard's form takes the positional path: one value per corpus article, by code
    _, per = tables.per_article(aligned["mention_entities"]["article"], dashboard_articles, 1, np.int64, 0)
    assert len(per) == len(corpus) + 1 and per.sum() == len(dashboard_articles)
    assert isinstance(encoded["mention_entities"]["article"].dtype, pd.CategoricalDtype)
    person = "Vladimir Poutine"

    def every_view(t, articles):
        table = views.entity_table(t["entities"], t["entity_articles"], articles)
        return [
            table,
            views.mentions_over_time(t["entity_articles"], articles, table["name"].head(3).tolist()),
            views.cooccurrence(views.sentence_entities(t["mention_entities"]), articles, table["name"].tolist(), top=8),
            views.entity_sentences(t["mention_entities"], t["sentences"], person, articles),
            views.entity_sentences(t["mention_entities"], t["sentences"], person, articles, limit=2),
            views.entity_sentence_count(views.sentence_entities(t["mention_entities"]), person, articles),
            views.sanctions_matrix(t["sanctions"], articles),
            views.sanctions_matrix(t["sanctions"], articles, by="month", per_thousand=True),
            views.actors_matrix(views.sanctions_by_actor(t["sanctions"]), articles),
            views.sanctions_cell(t["sanctions"], articles, "un_resolutions"),
            views.actor_cell(t["sanctions"], views.sanctions_by_actor(t["sanctions"]), articles, "arms", "Russie"),
            sorted(views.entity_articles(t["mention_entities"], person)),
        ]

    expected = every_view(plain, plain_articles)
    assert len(expected[3]) > 0 or subset != "all"
    for got in (every_view(encoded, plain_articles), every_view(encoded, ranked_articles), every_view(plain, ranked_articles),
                every_view(aligned, dashboard_articles)):
        for want, have in zip(expected, got):
            if isinstance(want, pd.DataFrame):
                pd.testing.assert_frame_equal(_plain(have), _plain(want))
            else:
                assert have == want


def test_views_long_forms_are_stored_at_ingest(seed_store):
    """The dashboard reads the long forms the ingest stored (sanctions, sentence entities); they are what the views compute."""
    computed = views.sanctions_by_category(seed_store.read_derived("sanctions"))
    stored = seed_store.read_derived("sanctions_by_category")
    assert len(stored) == len(computed) > 0

    def plain(value):
        value = value.tolist() if hasattr(value, "tolist") else value
        return [plain(item) for item in value] if isinstance(value, list) else value

    def as_lists(frame):
        return [[plain(value) for value in row] for row in frame.itertuples(index=False)]

    assert as_lists(stored) == as_lists(computed)
    actors = seed_store.read_derived("sanctions_by_actor")
    assert as_lists(actors) == as_lists(views.sanctions_by_actor(computed))
    sentences = seed_store.read_derived("sentence_entities")
    assert as_lists(sentences) == as_lists(views.sentence_entities(seed_store.read_derived("mention_entities")))


def test_views_isin_on_categoricals_matches_plain_values():
    """Both ways of testing membership on a categorical column (a few values, or many) agree with pandas."""
    values = pd.Series([f"id{i % 300}" for i in range(1000)] + [None], dtype=object)
    encoded = values.astype("category")
    for wanted in ({"id1", "id299", "absent"}, {f"id{i}" for i in range(0, 300, 2)}, set()):
        assert tables.isin(encoded, wanted).tolist() == values.isin(wanted).tolist()
        assert tables.isin(values, wanted).tolist() == values.isin(wanted).tolist()


def test_views_csv_downloads_are_safe_in_spreadsheets_and_read_accents():
    import csv
    import io

    from core.analysis import to_csv_bytes

    frame = pd.DataFrame({
        "title": ['=HYPERLINK("http://x.example","clic")', "+33 1 23", "-2+3", "@SUM(A1)", "\tcaché", "Été à Séoul"],
        "per1000": [1 / 3, 2.0, 12.345678, 0.000123456, 100.0, -1.5],
        "=cmd|' /C calc'!A0": [1, 2, 3, 4, 5, 6],
    })
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel reads the accents
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["title", "per1000", "'=cmd|' /C calc'!A0"]
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x.example\",\"clic\")", "'+33 1 23", "'-2+3", "'@SUM(A1)",
                                        "'\tcaché", "Été à Séoul"]
    assert [r[1] for r in rows[1:]] == ["0.3333", "2", "12.35", "0.0001235", "100", "-1.5"]


def test_views_sentence_csv_numbers_sentences_as_the_screen_does():
    rows = pd.DataFrame({"article": ["a"], "sent": [0], "start": [0], "end": [5], "spans": [[[0, 2]]]})
    out = views.with_sentence_text(rows, {"a": "Hello world"})
    assert out.to_dict("records") == [{"article": "a", "sentence_number": 1, "start": 0, "end": 5, "sentence": "Hello"}]


def test_folding_wire_copies_drops_every_article_that_copies_another():
    import pandas as pd

    from core.views import filter_articles

    articles = pd.DataFrame({"id": ["a", "b", "c"], "date": [None, None, None], "lang": ["fr"] * 3,
                             "source": ["x", "y", "z"], "outlet": [None] * 3, "duplicate_of": [None, "a", None]})
    assert filter_articles(articles, fold_wire=True)["id"].tolist() == ["a", "c"]
    assert filter_articles(articles, fold_wire=False)["id"].tolist() == ["a", "b", "c"]


def test_views_topics_are_named_by_their_terms_listed_by_weight_and_shared_per_month(seed_store, seeds):
    topics, doc_topics = seed_store.read_derived("topics"), seed_store.read_derived("doc_topics")
    names = views.topic_labels(views.topic_terms(topics, 3))
    assert list(names) == [0, 1, 2]
    assert all(name.startswith(f"{t} · ") and name.count(", ") == 2 for t, name in names.items())
    articles = seeds["articles"]
    matrix = views.topic_article_matrix(doc_topics, 3, articles["id"].tolist())
    from core.tables import with_positions  # the articles as rows of the corpus table: found by position, same weights

    newest_two = views.newest_first(with_positions(articles)).head(2)
    pd.testing.assert_frame_equal(views.topic_article_matrix(doc_topics, 3, newest_two),
                                  views.topic_article_matrix(doc_topics, 3, newest_two["id"].tolist()))
    assert list(views.topic_article_matrix(doc_topics, 3, newest_two).columns) == newest_two["id"].tolist()
    for topic in range(3):
        members = views.topic_articles(doc_topics, 3, topic, articles)
        expected = matrix.loc[topic][matrix.loc[topic] > 0]
        assert set(members["article"]) == set(expected.index)
        assert members["weight"].is_monotonic_decreasing and (members["weight"] > 0).all()
    shares, counts = views.topic_share_by_month(doc_topics, 3, articles)
    assert list(shares.columns) == ["2023-09", "undated"] and counts.tolist() == [3, 2]
    assert shares.sum().round(6).tolist() == [1.0, 1.0]  # each month's articles are shared out whole
    september = [seeds["ids"][n] for n in ("000", "001", "004")]
    assert shares["2023-09"].tolist() == pytest.approx(matrix[september].mean(axis=1).tolist())
    # a month-precision date counts in its month, a year-only date in a bar of its own, never in a month
    dated = articles.assign(date=["2024", "2023-09-13", None, "2023-09", None][:len(articles)])
    assert list(views.topic_share_by_month(doc_topics, 3, dated)[0].columns) == ["2023-09", "2024", "undated"]
    assert views.topic_articles(doc_topics, 3, 0, articles.iloc[:0]).empty


@pytest.mark.parametrize("typed, period", [
    ("2023", (dt.date(2023, 1, 1), dt.date(2023, 12, 31))),
    ("juin 2024", (dt.date(2024, 6, 1), dt.date(2024, 6, 30))),
    ("12 June 2024", (dt.date(2024, 6, 12), dt.date(2024, 6, 12))),
    ("2023-09 – 2024-03", (dt.date(2023, 9, 1), dt.date(2024, 3, 31))),
    ("2023-09-01..2023-09-15", (dt.date(2023, 9, 1), dt.date(2023, 9, 15))),
    ("2023-2024", (dt.date(2023, 1, 1), dt.date(2024, 12, 31))),
    ("2023-09-2024-03", (dt.date(2023, 9, 1), dt.date(2024, 3, 31))),
    ("septembre 2023 au 2 octobre 2023", (dt.date(2023, 9, 1), dt.date(2023, 10, 2))),
])
def test_views_a_typed_period_reads_as_its_first_and_last_day(typed, period):
    from core.analysis import typed_period

    assert typed_period(typed) == period


@pytest.mark.parametrize("typed", ["hier", "2024 – 2023", "2023 – 2024 – 2025", "2023-13"])
def test_views_a_typed_period_that_is_none_says_why(typed):
    from core.analysis import typed_period

    with pytest.raises(ValueError):
        typed_period(typed)


def test_quotes_of_a_selection_chosen_from_the_corpus_order_equal_those_sorted_for_it(seed_store):
    # the Quotes page sorts the corpus's quotes once and chooses from them: any subset of the corpus
    # (in its order) gets the same table as sorting its own quotes, with a speaker or a kind or not
    from core import tables
    from core.analysis import load_articles

    corpus = tables.with_positions(views.with_newest_rank(load_articles(seed_store)))
    quotes = seed_store.read_derived("quotes")
    speaker = quotes["speaker"].dropna().value_counts().index[0]
    for encoded in (quotes, tables.encode(quotes, tables.article_dtype(corpus))):
        ordered = views.quotes_table(encoded, corpus)
        for subset in (corpus, corpus.iloc[1::2], corpus.iloc[:0]):
            for who, kind in ((None, None), (speaker, None), ("", None), (None, "direct")):
                expected = views.quotes_table(encoded, subset, speaker=who, kind=kind)
                chosen = views.quotes_within(ordered, subset, who, kind)
                pd.testing.assert_frame_equal(chosen.astype({"article": object}), expected.astype({"article": object}),
                                              check_dtype=False)
    assert len(views.quotes_within(ordered, corpus)) == len(quotes.drop_duplicates()) > 10
