"""Sanctions: categories × articles or months, actors × categories, raw or per 1,000 words;
choosing a cell lists the sentences behind it with the matched terms marked."""

import streamlit as st

from core import views
from core.analysis import to_csv_bytes
from ui import charts, filters, loaders, render, url, widgets

SENTENCE_CAP = 25
ARTICLE_COLUMNS_CAP = 60

ctx = filters.context()
widgets.page_header("Sanctions", ctx, "counts are sentences with at least one term of the category")
sanctions = loaders.sanctions_by_category(ctx.store)
categories = views.sanctions_categories()
labels = loaders.article_labels(ctx.store)
dates = dict(zip(ctx.articles["id"], ctx.articles["date"]))
if ctx.filtered.empty:
    st.info("No article matches the filters.")
    url.stop_page()

left, right = st.columns(2)
by = left.segmented_control("Columns", ["article", "month"], default="article", key="sanctions.by", bind="query-params",
                            format_func=lambda v: {"article": "Articles", "month": "Months"}[v]) or "article"
measure = right.segmented_control("Measure", ["count", "per1000"], default="count", key="sanctions.measure", bind="query-params",
                                  format_func=lambda v: {"count": "Sentences", "per1000": "Per 1,000 words"}[v]) or "count"
per_thousand = measure == "per1000"
strict = st.checkbox("Only sentences with sanctions wording", key="sanctions.strict", bind="query-params",
                     help="Sanctions, embargoes and UN resolutions. Unticked, sentences that only mention arms transfers, "
                          "violations or monitoring are counted too.")
if strict:
    sanctions = views.with_sanctions_wording(sanctions)
by_actor = views.with_sanctions_wording(loaders.sanctions_by_actor(ctx.store)) if strict else loaders.sanctions_by_actor(ctx.store)

matrix = views.sanctions_matrix(sanctions, ctx.filtered, by=by, per_thousand=per_thousand, cap=ARTICLE_COLUMNS_CAP)
if by == "article" and len(ctx.filtered) > ARTICLE_COLUMNS_CAP:
    st.caption(f"The {ARTICLE_COLUMNS_CAP} articles with the most sanctions sentences of the {len(ctx.filtered)} shown; "
               "switch to months for the whole set.")
column_names = labels if by == "article" else {m: views.month_key_label(m) for m in matrix.columns}
what = "Sanctions sentences per 1,000 words" if per_thousand else "Sentences with sanctions terms"
figure = charts.heatmap(matrix.rename(index=categories, columns=column_names),
                        f"{what}, by category and {'article' if by == 'article' else 'month'}",
                        "Article" if by == "article" else "Month", "Category",
                        "Per 1,000 words" if per_thousand else "Sentences", "Reds", ".2f" if per_thousand else "d",
                        select="cell")
shown_cell = (st.session_state.get("sanctions.category"), st.session_state.get("sanctions.column"))  # as the last run left it
cell_click = widgets.new_click("sanctions.heatmap", "cell", widgets.selectable_chart(
    figure, key="sanctions.heatmap", params=["cell"],
    chosen={"cell": {"row": categories.get(shown_cell[0]), "column": str(column_names.get(shown_cell[1], shown_cell[1]))}})["cell"],
                               ("row", "column"))
st.caption("Click a cell for the sentences behind it, or choose it below.")
column_titles = loaders.dated_article_labels(ctx.store) if by == "article" else column_names
widgets.data_table(matrix.rename(index=categories, columns=column_titles).reset_index(names="category"), "sanctions.matrix",
                f"sanctions_by_{by}.csv")

st.subheader("Sentences behind a cell")
category_keys = list(categories)
url.restore("sanctions.category", category_keys[0])  # by hand: its label comes from the editable lexicon
if st.session_state["sanctions.category"] not in category_keys:
    st.session_state["sanctions.category"] = category_keys[0]
columns = list(matrix.columns)
nonzero = matrix.sum(axis=0)
url.restore("sanctions.column", next((c for c in columns if nonzero[c] > 0), columns[0]))  # by hand: counts in the label
if st.session_state["sanctions.column"] not in columns:
    st.session_state["sanctions.column"] = columns[0]
if cell_click:  # the labels drawn back to the category and the column they name
    category_of = {label: key for key, label in categories.items()}
    column_of = {str(column_names.get(c, c)): c for c in columns}
    if cell_click["row"] in category_of and cell_click["column"] in column_of:
        st.session_state["sanctions.category"] = category_of[cell_click["row"]]
        st.session_state["sanctions.column"] = column_of[cell_click["column"]]
pick_category, pick_column = st.columns(2)
category = pick_category.selectbox("Category (row)", category_keys, key="sanctions.category", format_func=categories.get)
url.remember("sanctions.category", category)
column = pick_column.selectbox("Article" if by == "article" else "Month (column)", columns, key="sanctions.column",
                               format_func=lambda c: f"{column_names.get(c, c)} ({matrix.loc[category, c]:g})")
url.remember("sanctions.column", column)


def list_sentences(cell, key: str, file_name: str) -> None:
    """The cell's first sentences on screen, all of them in a CSV written when clicked."""
    shown = cell.head(SENTENCE_CAP)
    texts = loaders.texts(ctx.store, shown["article"])
    for row in shown.itertuples(index=False):
        with st.container(border=True):
            st.html(render.sentence_html(texts[row.article]["text"], row.start, row.end, row.spans, kind="term"))
            widgets.article_link(row.article, f"{views.date_label(dates.get(row.article))} · {labels.get(row.article)} (sentence {row.sent + 1})")
    if len(cell) > SENTENCE_CAP:
        st.caption(f"First {SENTENCE_CAP} sentences shown; the CSV has all {len(cell)}.")
    store = ctx.store

    def cell_csv() -> bytes:
        rows = views.with_sentence_text(cell, loaders.article_texts(store, cell["article"]))
        return to_csv_bytes(rows.assign(actors=["; ".join(a) for a in rows["actors"]]))

    widgets.download("Download these sentences (CSV)", cell_csv, file_name, key)


cell = views.sanctions_cell(sanctions, ctx.filtered, category, by=by, column=column)
st.markdown(f"**{len(cell)} sentence{'s' if len(cell) != 1 else ''}** in category *{categories[category]}*, "
            f"{'article' if by == 'article' else 'month'} {render.markdown_literal(column_names.get(column, column))}")
if not cell.empty:
    list_sentences(cell, "sanctions.cell", "sanctions_cell.csv")

st.subheader("Actors and categories")
actors = views.actors_matrix(by_actor, ctx.filtered)
if actors.empty:
    st.caption("No entity appears in a sanctions sentence of the articles shown.")
else:
    mark = loaders.marked(ctx.store)
    figure = charts.heatmap(actors.rename(index=mark, columns=categories),
                            "Sanctions sentences mentioning each actor, by category (15 most frequent actors)",
                            "Category", "Actor", "Sentences", "Oranges", select="cell")
    shown_actor = (st.session_state.get("sanctions.actor"), st.session_state.get("sanctions.actor_category"))
    actor_click = widgets.new_click("sanctions.actors", "cell", widgets.selectable_chart(
        figure, key="sanctions.actors", params=["cell"],
        chosen={"cell": {"row": mark(shown_actor[0]) if shown_actor[0] else None, "column": categories.get(shown_actor[1])}})["cell"],
                                    ("row", "column"))
    widgets.data_table(loaders.with_watchlist_column(actors.rename(columns=categories).reset_index(names="actor"), ctx.store, "actor"),
                    "sanctions.actors_table", "sanctions_actors.csv")
    actor_names = list(actors.index)
    # by hand: the actor's label carries its watchlist mark, the category's a count (ui/url.py)
    url.restore("sanctions.actor", actor_names[0])
    if st.session_state["sanctions.actor"] not in actor_names:
        st.session_state["sanctions.actor"] = actor_names[0]
    url.restore("sanctions.actor_category", category_keys[0])
    if st.session_state["sanctions.actor_category"] not in category_keys:
        st.session_state["sanctions.actor_category"] = category_keys[0]
    if actor_click:
        actor_of = {str(mark(a)): a for a in actor_names}
        category_of = {label: key for key, label in categories.items()}
        if actor_click["row"] in actor_of and actor_click["column"] in category_of:
            st.session_state["sanctions.actor"] = actor_of[actor_click["row"]]
            st.session_state["sanctions.actor_category"] = category_of[actor_click["column"]]
    pick_actor, pick_actor_category = st.columns(2)
    actor = pick_actor.selectbox("Actor (row)", actor_names, key="sanctions.actor", format_func=mark)
    actor_category = pick_actor_category.selectbox("Category (column)", category_keys, key="sanctions.actor_category",
                                                   format_func=lambda c: f"{categories[c]} ({actors.loc[actor, c]})")
    url.remember("sanctions.actor", actor)
    url.remember("sanctions.actor_category", actor_category)
    actor_cell = views.actor_cell(sanctions, by_actor, ctx.filtered, actor_category, actor)
    st.markdown(f"**{len(actor_cell)} sentence{'s' if len(actor_cell) != 1 else ''}** mention {render.markdown_literal(actor)} "
                f"with a term of *{categories[actor_category]}*")
    if not actor_cell.empty:
        list_sentences(actor_cell, "sanctions.actor_cell", "sanctions_actor_cell.csv")
