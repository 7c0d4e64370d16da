"""Entities: top entities per label, the entity table, mentions over time, co-occurrence,
an entity's sentences with links to the reading pane, and alias edits."""

import json

import streamlit as st

from core import network, views
from core.analysis import ENTITY_LABELS, NeedsConfirmation, edit_entities, entity_edit_log, to_csv_bytes
from core.store import StoreBusy
from ui import charts, filters, loaders, render, url, widgets

SENTENCE_CAP = 25

ctx = filters.context()
widgets.page_header("Entities", ctx)
mention_entities = loaders.derived(ctx.store, "mention_entities")
table = loaders.entity_table(ctx.store, ctx.filtered, ctx.filters)
if table.empty:
    st.info("No entity is mentioned in the articles shown.")
    url.stop_page()

top_n = st.slider("Entities per chart", 5, 30, 10, key="entities.top_n", bind="query-params")
mark = loaders.marked(ctx.store)
labels = [label for label in ("PER", "LOC", "ORG", "MISC") if label in set(table["label"])]
st.caption("Mentions in the articles shown of the most mentioned entities of each type; "
           "a bar's tooltip gives its articles and surface forms.")
bar_clicks = {}
shown_entity = st.session_state.get("entities.entity")  # the entity of the sentences below, as the last run left it
shown_label = dict(zip(table["name"], table["label"])).get(shown_entity)
for column, label in zip(st.columns(len(labels)), labels):
    top = table[table["label"] == label].head(top_n)
    figure = charts.ranked_bars(top.assign(name=top["name"].map(mark)), charts.LABEL_NAMES[label], compact=True, select="bar")
    with column:
        bar_clicks[label] = widgets.selectable_chart(
            figure, key=f"entities.top_{label}", params=["bar"],
            chosen={"bar": {"name": mark(shown_entity)} if shown_label == label else None})["bar"]
st.caption("Click a bar for the entity's sentences below.")

st.subheader("All entities")
widgets.data_table(loaders.with_watchlist_column(table, ctx.store), "entities.all", "entities.csv")

st.subheader("One entity in context")
names = table["name"].tolist()
by_shown = {mark(n): n for n in names}
clicked_bar = next((point for label in labels
                    if (point := widgets.new_click(f"entities.top_{label}", "bar", bar_clicks[label], ("name",)))), None)
if clicked_bar and clicked_bar["name"] in by_shown:
    st.session_state["entities.entity"] = by_shown[clicked_bar["name"]]
    st.rerun()  # again at once, so that the other charts drop a selection the click made stale
url.restore("entities.entity", names[0])  # by hand: the label carries the watchlist mark (ui/url.py)
if st.session_state["entities.entity"] not in names:
    st.session_state["entities.entity"] = names[0]
entity = st.selectbox("Entity", names, key="entities.entity", format_func=mark)
url.remember("entities.entity", entity)
all_sentences = loaders.table(ctx.store, "sentences")
total = views.entity_sentence_count(loaders.sentence_entities(ctx.store), entity, ctx.filtered)
shown = views.entity_sentences(mention_entities, all_sentences, entity, ctx.filtered, limit=SENTENCE_CAP)
row = table[table["name"] == entity].iloc[0]
mentions_n, articles_n = int(row["mentions"]), int(row["articles"])
st.markdown(f"**{total} sentence{'s' if total != 1 else ''}** mention{'' if total != 1 else 's'} this entity "
            f"({mentions_n} mention{'s' if mentions_n != 1 else ''} in {articles_n} article{'s' if articles_n != 1 else ''}). "
            f"Surface forms: {render.markdown_literal(row['forms'])}")
texts = loaders.texts(ctx.store, shown["article"])
labels_by_id = loaders.article_labels(ctx.store)
dates = dict(zip(ctx.articles["id"], ctx.articles["date"]))
for sentence in shown.itertuples(index=False):
    text = texts[sentence.article]["text"]
    with st.container(border=True):
        st.html(render.sentence_html(text, sentence.start, sentence.end, sentence.spans))
        widgets.article_link(sentence.article, f"{views.date_label(dates.get(sentence.article))} · {labels_by_id.get(sentence.article)} (sentence {sentence.sent + 1})")
if total > SENTENCE_CAP:
    st.caption(f"The {SENTENCE_CAP} sentences of the newest articles shown; the CSV has all {total}.")
store, filtered = ctx.store, ctx.filtered


def all_sentences_csv() -> bytes:
    rows = views.entity_sentences(mention_entities, all_sentences, entity, filtered)
    return to_csv_bytes(views.with_sentence_text(rows, loaders.article_texts(store, rows["article"])))


widgets.download("Download all sentences (CSV)", all_sentences_csv, "entity_sentences.csv", "entities.sentences")

said = loaders.quotes_within(ctx.store, ctx.filtered, speaker=entity)
if not said.empty:
    with st.expander(f"What {entity} said ({len(said)} quote{'s' if len(said) != 1 else ''})"):
        listed = said.head(SENTENCE_CAP)
        said_texts = loaders.texts(ctx.store, listed["article"].unique())
        for quote in listed.itertuples(index=False):
            st.markdown(("“" if quote.kind == "direct" else "") + render.markdown_literal(said_texts[quote.article]["text"][quote.start:quote.end])
                        + ("”" if quote.kind == "direct" else " (reported)"))
            widgets.article_link(quote.article, f"{views.date_label(dates.get(quote.article))} · {labels_by_id.get(quote.article)}")
        widgets.page_link_quotes(entity)

st.subheader("Mentions over time")
url.restore("entities.timeline", names[:3], list, multi=True)
st.session_state["entities.timeline"] = [n for n in st.session_state["entities.timeline"] if n in names]
chosen = st.multiselect("Entities to compare", names, key="entities.timeline", format_func=mark)
url.remember("entities.timeline", chosen)
if chosen:
    timeline = views.mentions_over_time(loaders.entity_articles(ctx.store), ctx.filtered, chosen)
    figure = charts.column_bars(timeline, "label", "mentions", "Mentions per month of the chosen entities (undated as its own bar)",
                                "Month", "Mentions", group="entity")
    widgets.chart(figure, key="entities.timeline_chart")
    widgets.data_table(timeline, "entities.timeline_table", "mentions_over_time.csv")

st.subheader("Network and co-occurrence")
cap = st.slider("Most mentioned entities in the network and the matrix", 3, 30, 12, key="entities.cooccurrence_top",
                bind="query-params")
matrix = loaders.cooccurrence(ctx.store, ctx.filtered, ctx.filters, table["name"].tolist(), cap)
if not matrix.empty:
    nodes, edges = network.network(matrix, table)
    shown_kind, _, shown_value = (st.session_state.get("entities.link") or "").partition(":")  # as the last run left it
    shown_pair = json.loads(shown_value) if shown_kind == "pair" else None
    picked = widgets.selectable_chart(
        charts.network(nodes.assign(shown=nodes["name"].map(mark)),
                       edges.assign(source_shown=edges["source"].map(mark), target_shown=edges["target"].map(mark)),
                       "Entities linked by the sentences that mention both (line width: sentences in common; "
                       "circle size: mentions)"),
        key="entities.network", params=["node", "edge"],
        chosen={"node": {"name": shown_value} if shown_kind == "node" else None,
                "edge": {"source": shown_pair[0], "target": shown_pair[1]} if shown_pair else None})
    st.caption("Click an entity for its sentences, or the dot in the middle of a link for the sentences that mention "
               "both; or choose below. The matrix under it holds the same counts as a table.")
    def pair_key(first: str, second: str) -> str:
        return "pair:" + json.dumps([first, second], ensure_ascii=False)  # names may hold any character

    choices = [""] + [pair_key(a, b) for a, b in zip(edges["source"], edges["target"])] + [f"node:{n}" for n in nodes["name"]]
    weights = {pair_key(a, b): w for a, b, w in zip(edges["source"], edges["target"], edges["weight"])}
    weights.update({f"node:{n}": w for n, w in zip(nodes["name"], nodes["sentences"])})
    edge = widgets.new_click("entities.network", "edge", picked["edge"], ("source", "target"))
    node = widgets.new_click("entities.network", "node", picked["node"], ("name",))
    if edge or node:
        st.session_state["entities.link"] = pair_key(edge["source"], edge["target"]) if edge else f"node:{node['name']}"
        st.rerun()  # again at once, so that the network drops the other selection the click made stale
    else:
        url.restore("entities.link", "")  # by hand: the label carries counts that follow the filters
    if st.session_state.get("entities.link") not in choices:
        st.session_state["entities.link"] = ""

    def link_label(choice: str) -> str:
        if not choice:
            return "choose an entity or a pair"
        kind, _, value = choice.partition(":")
        shown = " — ".join(mark(n) for n in json.loads(value)) if kind == "pair" else mark(value)
        return f"{shown} ({weights[choice]} sentence{'s' if weights[choice] != 1 else ''})"

    link = st.selectbox("Sentences behind", choices, key="entities.link", format_func=link_label)
    url.remember("entities.link", link)
    if link:
        kind, _, value = link.partition(":")
        behind = (network.pair_sentences(mention_entities, all_sentences, *json.loads(value), ctx.filtered) if kind == "pair"
                  else views.entity_sentences(mention_entities, all_sentences, value, ctx.filtered))
        link_texts = loaders.texts(ctx.store, behind["article"].head(SENTENCE_CAP))
        for sentence in behind.head(SENTENCE_CAP).itertuples(index=False):
            with st.container(border=True):
                st.html(render.sentence_html(link_texts[sentence.article]["text"], sentence.start, sentence.end, sentence.spans))
                widgets.article_link(sentence.article, f"{views.date_label(dates.get(sentence.article))} · "
                                  f"{labels_by_id.get(sentence.article)} (sentence {sentence.sent + 1})")
        if len(behind) > SENTENCE_CAP:
            st.caption(f"The {SENTENCE_CAP} sentences of the newest articles shown; the CSV has all {len(behind)}.")
        widgets.download("Download these sentences (CSV)",
                      lambda: to_csv_bytes(views.with_sentence_text(behind, loaders.article_texts(store, behind["article"]))),
                      "network_sentences.csv", "entities.link_sentences")
    widgets.data_table(edges[["source", "target", "weight"]].rename(columns={"weight": "sentences"}), "entities.edges",
                    "network_links.csv")
    marked_matrix = matrix.rename(index=mark, columns=mark)
    figure = charts.heatmap(marked_matrix, "Sentences mentioning both entities (diagonal: sentences mentioning the entity)",
                            "Entity", "Entity", "Sentences", "Blues")
    widgets.chart(figure, key="entities.cooccurrence_chart")
    widgets.data_table(matrix.reset_index(names="entity"), "entities.cooccurrence", "cooccurrence.csv")

st.subheader("Fix entities")
st.caption("Merges, renames, type changes and splits are saved with the corpus and change every page. "
           "Each edit holds on to the mentions it was made on, so it keeps its meaning when new articles arrive.")
merge_tab, rename_tab, type_tab, split_tab = st.tabs(["Merge", "Rename", "Change type", "Split a surface form"])


def apply(**edit) -> None:
    try:
        with st.spinner("Resolving the entities of the whole corpus again…"):
            edit_entities(ctx.store, **edit)
    except NeedsConfirmation as question:
        st.session_state["entities.pending"] = edit
        st.session_state["entities.question"] = str(question)
        st.rerun()
    except ValueError as error:
        st.session_state.pop("entities.pending", None)
        st.error(render.markdown_literal(str(error)))
    except StoreBusy as error:
        st.warning(render.markdown_literal(str(error)))
    else:
        st.session_state.pop("entities.pending", None)
        st.session_state["entities.edit_message"] = "Saved."
        st.rerun()


with merge_tab:
    source = st.selectbox("Fold this entity…", names, key="entities.merge_source")
    target = st.selectbox("…into this one", names, index=min(1, len(names) - 1), key="entities.merge_target")
    if st.button("Merge", key="entities.merge"):
        apply(merge=(source, target))
    if "entities.pending" in st.session_state:
        st.warning(render.markdown_literal(st.session_state["entities.question"]))
        confirm, cancel = st.columns(2)
        if confirm.button("Merge anyway", key="entities.merge_confirm"):
            apply(**st.session_state["entities.pending"], confirm=True)
        if cancel.button("Cancel", key="entities.merge_cancel"):
            st.session_state.pop("entities.pending", None)
            st.rerun()
with rename_tab:
    old = st.selectbox("Entity", names, key="entities.rename_source")
    new = st.text_input("New name", key="entities.rename_new")
    if st.button("Rename", key="entities.rename"):
        apply(rename=(old, new))
with type_tab:
    retyped = st.selectbox("Entity", names, key="entities.relabel_source")
    kind = st.selectbox("Type", list(ENTITY_LABELS), key="entities.relabel_label", format_func=charts.LABEL_NAMES.get)
    if st.button("Change type", key="entities.relabel"):
        apply(relabel=(retyped, kind))
with split_tab:
    form = st.text_input("Surface form that is another entity (e.g. \"Kim Jong Il\")", key="entities.split_form")
    if st.button("Split", key="entities.split"):
        apply(split=form)
if st.session_state.pop("entities.edit_message", None):
    st.success("Saved: the tables above now include your change.")

log = entity_edit_log(ctx.store)
with st.expander(f"Your edits ({len(log)})", expanded=False):
    if log.empty:
        st.caption("No entity edit yet.")
    for row in log.itertuples(index=False):
        text, undo = st.columns([5, 1])
        status = "" if row.applies else " — no longer applies: nothing left of the entity it named"
        text.markdown(render.markdown_literal(f"{row.edit}{status}") + (f"  \n:gray[{row.at}]" if isinstance(row.at, str) else ""))
        if isinstance(row.id, str) and undo.button("Undo", key=f"entities.undo.{row.id}"):
            apply(undo=row.id)
    widgets.download("Download CSV", lambda: to_csv_bytes(log), "entity_edits.csv", "entities.log")
    if not log.empty and st.button("Undo all entity edits", key="entities.reset"):
        apply(reset=True)
