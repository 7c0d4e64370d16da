"""Search: words, phrases and entities across every filtered article, as lines in context (newest articles
first), articles with a hit per month, a CSV of every hit, and links into the reading pane."""

import numpy as np
import pandas as pd
import streamlit as st

from core import search, views
from core.analysis import to_csv_bytes
from ui import charts, filters, loaders, render, url, widgets

PAGE_SIZE = 20  # articles per page of results
LINES_PER_ARTICLE = 5

ctx = filters.context()
widgets.page_header("Search", ctx, "words, phrases and entities across the articles shown")

query_column, entity_column = st.columns([3, 2])
typed = query_column.text_input(
    "Words or phrases", key="search.q", placeholder='e.g. sanction* "Conseil de sécurité" -Ukraine', bind="query-params",
    help='All the words must occur. "A phrase" in double quotes occurs as written; word* is a prefix; '
         "-word must not occur. Accents and case do not matter.")
entity_names = loaders.entity_options(ctx.store)
mark = loaders.marked(ctx.store)
url.restore("search.entity", "")  # by hand: the label carries the watchlist mark (ui/url.py)
if st.session_state["search.entity"] not in entity_names:
    st.session_state["search.entity"] = ""
entity = entity_column.selectbox("And an entity (any of its forms)", [""] + entity_names, key="search.entity",
                                 format_func=lambda n: mark(n) if n else "no entity")
url.remember("search.entity", entity)

paths = search.index_paths(ctx.store)
if paths is None:
    st.warning("This store was built before the search index: run `python -m core ingest PATH --store DIR --rebuild` "
               "once to index it.")
    url.stop_page()
forms = loaders.entity_forms(ctx.store, entity) if entity else []
query = search.parse(typed, entity or None, forms)
if query.empty:
    st.caption("Type words or a phrase, or choose an entity, to list every place they occur in the articles shown.")
    url.stop_page()
try:
    matched = loaders.search_articles(ctx.store, query)
except search.QueryError as error:
    st.warning(render.markdown_literal(str(error)))
    url.stop_page()

matched = matched & loaders.article_ids(ctx.store)  # not the older versions of changed files, still in older index files
found = ctx.filtered[ctx.filtered["id"].isin(matched)]
newest = np.argsort(views.newest_ranks(found), kind="stable")  # positions in ``found``, newest article first
st.markdown(f"**{len(found):,} article{'s' if len(found) != 1 else ''}** of those shown contain "
            f"{render.markdown_literal(query.describe())}"
            + (f" ({len(matched) - len(found):,} more outside the filters)" if len(matched) > len(found) else "") + ".")
if found.empty:
    url.stop_page()

per_month = views.articles_per_month(found)
widgets.chart(charts.column_bars(per_month, "label", "articles", "Articles with a hit per month (undated as its own bar)",
                              "Month", "Articles"), key="search.per_month")

pages = max(1, -(-len(found) // PAGE_SIZE))
if st.session_state.get("search.page", 1) > pages:  # fewer hits than before: the last page
    st.session_state["search.page"] = pages
page = st.number_input(f"Page (of {pages}, {PAGE_SIZE} articles each, newest first)", 1, pages, 1, key="search.page",
                       disabled=pages == 1, bind="query-params")
shown = found.iloc[newest[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
texts = {article: value["text"] for article, value in loaders.texts(ctx.store, shown["id"]).items()}
labels = loaders.article_labels(ctx.store)
rows = search.hit_rows(texts, query)
for article, date in zip(shown["id"], shown["date"]):
    lines = rows[rows["article"] == article]
    with st.container(border=True):
        widgets.article_link(article, f"{views.date_label(date)} · {labels.get(article)} ({len(lines)} hit{'s' if len(lines) != 1 else ''})",
                          key=f"search.open.{article}")
        if lines.empty:
            st.caption("The index matched this article, but no line could be cut around the words (a form split by "
                       "the text's punctuation).")
        st.html(render.kwic_html(lines.head(LINES_PER_ARTICLE).to_dict("records")))
        if len(lines) > LINES_PER_ARTICLE:
            st.caption(f"{len(lines) - LINES_PER_ARTICLE} more in this article (all in the CSV).")

store, everything = ctx.store, found.iloc[newest]


def hits_csv() -> bytes:
    chunks = []
    for start in range(0, len(everything), 500):
        ids = everything["id"].iloc[start:start + 500]
        chunks.append(search.hit_rows(loaders.article_texts(store, ids), query))
    table = pd.concat(chunks, ignore_index=True)
    order = {article: rank for rank, article in enumerate(everything["id"])}
    table = table.assign(rank=table["article"].map(order)).sort_values(["rank", "start"], kind="stable")
    dates = dict(zip(everything["id"], everything["date"]))
    table = table.assign(date=table["article"].map(lambda a: views.date_label(dates.get(a))), title=table["article"].map(labels))
    return to_csv_bytes(table[["date", "title", "article", "start", "end", "left", "match", "right"]])


widgets.download(f"Download every hit in the {len(found):,} articles (CSV)", hits_csv, "search_hits.csv", "search.hits")
