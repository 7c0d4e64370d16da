"""Topics: NMF topics and their terms, topic × article weights, distinctive terms,
article similarity and wire-copy groups (all fitted at ingest, only read here)."""

import streamlit as st

from core import views
from core.analysis import default_topic_count, to_csv_bytes
from ui import charts, filters, loaders, render, url, widgets

SIMILARITY_CAP = 40
HEATMAP_CAP = 60
TABLE_ROWS = 500

ctx = filters.context()
widgets.page_header("Topics", ctx)
topics = loaders.derived(ctx.store, "topics")
labels = loaders.article_labels(ctx.store)
newest = views.newest_first(ctx.filtered)
ordered_ids = newest["id"].tolist()

if ctx.filtered.empty:
    st.info("No article matches the filters.")
    url.stop_page()
if topics.empty:
    st.info("No topic model yet: the corpus needs analysed articles.")
else:
    available = sorted(int(k) for k in set(topics["k"]))
    doc_topics = loaders.derived(ctx.store, "doc_topics")
    default_k = default_topic_count(topics, doc_topics)
    k = st.selectbox("Number of topics", available, index=available.index(default_k), key="topics.k", bind="query-params",
                     help="Models for these numbers of topics were fitted when the corpus was built.")
    terms = views.topic_terms(topics, k)
    names = views.topic_labels(terms)  # "2 · sanctions, missile, accord": a topic is named by its terms
    topic_of = {name: topic for topic, name in names.items()}
    st.subheader(f"The {k} topics and their top terms")
    widgets.data_table(terms, "topics.terms", f"topics_k{k}.csv")

    matrix = views.topic_article_matrix(doc_topics, k, newest.head(HEATMAP_CAP))
    if len(ordered_ids) > HEATMAP_CAP:
        st.caption(f"Heatmap of the {HEATMAP_CAP} newest of the {len(ordered_ids)} articles shown; "
                   "the CSV below it has every article.")
    if not matrix.empty:
        # renamed by the labels of these columns only: a mapping of the whole corpus costs more than the chart
        shown = matrix.rename(columns={a: labels.get(a, a) for a in matrix.columns}, index=names)
        figure = charts.heatmap(shown, "Topic share of each article shown (each column, an article, sums to 1)",
                                "Article", "Topic", "Weight", "Purples", ".2f", select="cell")
        shown_topic = st.session_state.get("topics.topic")  # the topic listed below, as the last run left it
        clicked = widgets.new_click("topics.heatmap", "cell", widgets.selectable_chart(
            figure, key="topics.heatmap", params=["cell"], chosen={"cell": {"row": names.get(shown_topic)}})["cell"],
                                    ("row", "column"))
        if clicked:
            st.session_state["topics.cell"] = (clicked["row"], clicked["column"])
            if clicked["row"] in topic_of:
                st.session_state["topics.topic"] = topic_of[clicked["row"]]  # and list that topic's articles below
        cell = st.session_state.get("topics.cell")
        article_of = {labels.get(a, a): a for a in matrix.columns}
        if cell and cell[1] in article_of and cell[0] in topic_of:
            chosen = article_of[cell[1]]
            topic = topic_of[cell[0]]
            top = terms.loc[terms["topic"] == topic, "terms"]
            st.markdown(f"**Topic {topic}** ({render.markdown_literal(top.iloc[0] if len(top) else '')}) "
                        f"weighs {float(matrix.loc[topic, chosen]):.2f} in this article:")
            widgets.article_link(chosen, f"Open {labels.get(chosen, chosen)} in the reading pane", key="topics.open_cell")
        else:
            st.caption("Click a cell to open its article.")

        def weights_table(articles):
            table = views.topic_article_matrix(doc_topics, k, articles).T.rename(columns=names).reset_index(names="article")
            table.insert(1, "title", [labels.get(a) for a in table["article"].tolist()])
            return table

        st.dataframe(weights_table(newest.head(TABLE_ROWS)), hide_index=True, key="topics.matrix.table")
        if len(ordered_ids) > TABLE_ROWS:
            st.caption(f"The {TABLE_ROWS} newest of {len(ordered_ids)} articles shown; the CSV has all of them.")
        widgets.download("Download CSV", lambda: to_csv_bytes(weights_table(newest)), f"topic_article_k{k}.csv", "topics.matrix")

    st.subheader("The articles of one topic")
    url.restore("topics.topic", 0, int)  # by hand: a topic is shown by its terms (ui/url.py)
    if st.session_state["topics.topic"] not in names:
        st.session_state["topics.topic"] = 0
    topic = st.selectbox("Topic", list(names), format_func=names.get, key="topics.topic",
                         help="Or click a row of the heatmap above.")
    url.remember("topics.topic", topic, 0)
    members = views.topic_articles(doc_topics, k, topic, ctx.filtered)
    if members.empty:
        st.caption("No article shown has any weight in this topic.")
    else:
        st.caption(f"{len(members):,} article{'s' if len(members) != 1 else ''} shown, heaviest first "
                   "(the weight is the topic's share of the article).")
        members.insert(1, "title", [labels.get(a) for a in members["article"].tolist()])
        members["date"] = views.per_date(members, views.date_label)
        widgets.data_table(members, "topics.members", f"topic_{topic}_k{k}_articles.csv")
        widgets.article_link(members["article"].iloc[0], f"Open the heaviest, {labels.get(members['article'].iloc[0])}, "
                          "in the reading pane", key="topics.open_member")

    st.subheader("Topic share per month")
    shares, counts = views.topic_share_by_month(doc_topics, k, ctx.filtered)
    if shares.empty or shares.shape[1] == 0:
        st.caption("No modelled article among those shown.")
    else:
        month_names = {m: f"{views.month_key_label(m)} ({counts[m]:,})" for m in shares.columns}
        figure = charts.heatmap(shares.rename(index=names, columns=month_names),
                                "Share of each month's articles per topic (each column, a month, sums to 1; "
                                "articles in brackets)", "Month", "Topic", "Share", "Purples", ".2f", zmin=0, zmax=1)
        widgets.chart(figure, key="topics.by_month")
        table = shares.rename(index=names).T.round(4)
        table.insert(0, "articles", counts.to_numpy())
        widgets.data_table(table.reset_index(names="month").assign(month=lambda f: f["month"].map(views.month_key_label)),
                        "topics.by_month", f"topic_share_by_month_k{k}.csv")

st.subheader("Distinctive terms per article")
top_terms = loaders.derived(ctx.store, "top_terms")
distinctive = views.distinctive_terms(top_terms, ordered_ids[:TABLE_ROWS])
distinctive.insert(1, "title", [labels.get(a) for a in distinctive["article"].tolist()])
st.dataframe(distinctive, hide_index=True, key="topics.distinctive.table")
if len(ordered_ids) > TABLE_ROWS:
    st.caption(f"The {TABLE_ROWS} newest of {len(ordered_ids)} articles shown; the CSV has all of them.")


def distinctive_csv() -> bytes:
    table = views.distinctive_terms(top_terms, ordered_ids)
    table.insert(1, "title", [labels.get(a) for a in table["article"].tolist()])
    return to_csv_bytes(table)


widgets.download("Download CSV", distinctive_csv, "distinctive_terms.csv", "topics.distinctive")

st.subheader("Article similarity")
loaded = loaders.tfidf(ctx.store)
if loaded is not None:
    similarity = views.similarity_matrix(loaded[0], loaded[1], ordered_ids, cap=SIMILARITY_CAP)
    if similarity.empty:
        st.caption("No analysed article among those shown: nothing to compare.")
    else:
        if len(ordered_ids) > SIMILARITY_CAP:
            st.caption(f"The {SIMILARITY_CAP} newest articles of {len(ordered_ids)} shown.")
        shown_labels = {a: labels.get(a, a) for a in similarity.index}  # its rows and columns are the same articles
        figure = charts.heatmap(similarity.rename(index=shown_labels, columns=shown_labels),
                                "Cosine similarity of article TF-IDF vectors (1 = same vocabulary)",
                                "Article", "Article", "Similarity", "Viridis", ".2f", zmin=0, zmax=1, show_values=False)
        widgets.chart(figure, key="topics.similarity")
        titled = loaders.dated_article_labels(ctx.store)
        widgets.data_table(similarity.rename(index=titled, columns=titled).reset_index(names="article"),
                        "topics.similarity_table", "similarity.csv")

st.subheader("Wire copies and duplicates")
groups = loaders.wire_groups(ctx.store)
if groups.empty:
    st.caption("No two articles share a wire story or an identical text.")
else:
    widgets.data_table(groups, "topics.wire", "wire_groups.csv")
