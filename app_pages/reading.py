"""Reading pane: the filtered articles newest first, one article with entities and sanctions
terms marked, cleaned or raw text, removed lines, a concordance, and the analyst's date and title."""

import numpy as np
import streamlit as st

from core import views
from core.analysis import set_user_date, set_user_title, to_csv_bytes
from core.store import StoreBusy
from ui import filters, loaders, render, url, widgets

ctx = filters.context()
widgets.page_header("Reading pane", ctx)
listing = views.newest_first(ctx.filtered)
labels = loaders.article_labels(ctx.store)
by_id = ctx.articles.set_index("id", drop=False)

shown_ids = ctx.ids
options = listing["id"].tolist()
url.restore("reading.article", options[0] if options else None)  # by hand: the label is the date and title
chosen = st.session_state.get("reading.article")
opened_outside = chosen in by_id.index and chosen not in shown_ids
if opened_outside:
    options = [chosen] + options  # opened by a link: show it even if the filters hide it
if not options:
    st.info("No article matches the filters.")
    url.stop_page()
if chosen not in shown_ids and not opened_outside:
    st.session_state["reading.article"] = options[0]

dated_labels = loaders.dated_article_labels(ctx.store)


def describe(article_id: str) -> str:
    return dated_labels[article_id] + ("" if article_id in shown_ids else " (outside the filters)")


article_id = st.selectbox("Article (newest first)", options, key="reading.article", format_func=describe)
url.remember("reading.article", article_id)
row = by_id.loc[article_id]
if article_id not in shown_ids:
    st.warning("This article is outside the sidebar's filters (it was opened by a link, or the filters changed "
               "since): it is shown here but counted on no other page.", icon=":material/filter_alt_off:")

LISTING_ROWS = 500
with st.expander("Articles in the filtered window", expanded=False):
    head = listing.head(LISTING_ROWS)
    st.dataframe(head.assign(date=head["date"].map(views.date_label), title=[labels[a] for a in head["id"]])[
        ["id", "date", "title", "source", "lang", "words", "status"]], hide_index=True, key="reading.list.table")
    if len(listing) > LISTING_ROWS:
        st.caption(f"The {LISTING_ROWS} newest of {len(listing)} articles shown; the CSV has all of them.")

    def listing_csv() -> bytes:
        return to_csv_bytes(listing.assign(date=listing["date"].map(views.date_label), title=listing["id"].map(labels))[
            ["id", "date", "title", "source", "lang", "words", "status"]])

    widgets.download("Download CSV", listing_csv, "articles.csv", "reading.list")

meta = {
    "Date": views.date_label(row["date"]) + (f" ({row['date_precision']}, from {row['date_source']})" if isinstance(row["date"], str) else ""),
    "Source": row["source"], "Outlet": row["outlet"], "Language": row["lang"], "Words": row["words"],
    "Status": row["status"] + (f": {row['status_reason']}" if isinstance(row["status_reason"], str) else ""),
    "Copy of": (f"{labels.get(row['duplicate_of'], row['duplicate_of'])} ({views.date_label(by_id.loc[row['duplicate_of'], 'date'])})"
                if isinstance(row["duplicate_of"], str) and row["duplicate_of"] in by_id.index else row["duplicate_of"]),
    "URL": row["url"], "Date note": row["date_note"], "Notes": row["notes"],
}
st.html("<dl style='display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0'>" + "".join(
    f"<dt style='font-weight:600'>{render.escape(k)}</dt><dd style='margin:0'>{render.escape(v)}</dd>"
    for k, v in meta.items() if isinstance(v, (str, int, np.integer)) and str(v) != "") + "</dl>")
st.subheader(render.markdown_literal(row["title"] if isinstance(row["title"], str) else labels[article_id]))

# an exact duplicate keeps no text of its own: show the original's, and say so
text_of = article_id
if row["status"] == "duplicate" and isinstance(row["duplicate_of"], str) and row["duplicate_of"] in by_id.index:
    text_of = row["duplicate_of"]
    st.info(f"This file has exactly the same text as {render.markdown_literal(labels.get(text_of, text_of))}: "
            "that article's text, entities and terms are shown, and only the original is counted.")
    widgets.article_link(text_of, f"Open the original: {labels.get(text_of, text_of)}")
elif isinstance(row["duplicate_of"], str) and row["duplicate_of"] in by_id.index:  # a wire copy
    original = row["duplicate_of"]
    st.info(f"A republished copy of {render.markdown_literal(labels.get(original, original))} "
            f"({views.date_label(by_id.loc[original, 'date'])}): it is left out of the counts while "
            "\"Fold wire copies\" is ticked in the sidebar.")
    widgets.article_link(original, f"Open the original: {labels.get(original, original)}")
copies = ctx.articles.loc[ctx.articles["duplicate_of"] == article_id, "id"].tolist()
if copies:
    with st.expander(f"Copies of this article ({len(copies)})"):
        for copy in copies:
            widgets.article_link(copy, f"{views.date_label(by_id.loc[copy, 'date'])} · {labels.get(copy, copy)}")
loaded = loaders.texts(ctx.store, [text_of], ("text", "raw_text", "removed"))[text_of]
version = st.segmented_control("Text", ["cleaned", "raw"], default="cleaned", key="reading.version", bind="query-params",
                               help="Cleaned: what was analysed. Raw: the file as read.") or "cleaned"
if version == "raw":
    st.html(render.article_html(loaded["raw_text"] or ""))
else:
    mentions = loaders.derived(ctx.store, "mention_entities")
    mentions = mentions[mentions["article"] == text_of]
    # the sanctions terms from the long form the Sanctions page holds too: the sentence table, with
    # its lists and JSON per row, is not loaded for one article's marks
    hits = loaders.sanctions_by_category(ctx.store)
    hits = hits[(hits["article"] == text_of).to_numpy(dtype=bool)]
    terms = sorted((s, e, category) for spans, category in zip(hits["spans"], hits["category"].astype(str)) for s, e in spans)
    st.html(render.legend_html())
    listed = sorted({name for name in mentions["entity"].astype(str) if name in loaders.watch_marks(ctx.store)})
    if listed:
        st.caption("On a watchlist: " + render.markdown_literal(", ".join(loaders.marked(ctx.store)(name) for name in listed)))
    st.html(render.article_html(loaded["text"] or "", zip(mentions["start"], mentions["end"], mentions["label"], mentions["entity"]), terms))
article_quotes = views.quotes_table(loaders.derived(ctx.store, "quotes"), by_id.loc[[text_of]].reset_index(drop=True))
if not article_quotes.empty:
    with st.expander(f"Quotes in this article ({len(article_quotes)})"):
        for quote in article_quotes.itertuples(index=False):
            who = quote.speaker if isinstance(quote.speaker, str) else "not attributed"
            st.markdown(f"**{render.markdown_literal(who)}** ({views.attribution_label(quote.cue)}): " + ("“" if quote.kind == "direct" else "")
                        + render.markdown_literal(loaded["text"][quote.start:quote.end]) + ("”" if quote.kind == "direct" else " (reported)"))
removed = views.removed_lines(loaded["removed"])
with st.expander(f"Lines removed by cleaning ({len(removed)})"):
    if removed.empty:
        st.caption("Cleaning removed no line.")
    else:
        widgets.data_table(removed, "reading.removed", "removed_lines.csv")

st.subheader("Similar articles")
SIMILAR = 10
tfidf = loaders.tfidf(ctx.store)
similar = views.similar_articles(*tfidf, article_id, among=shown_ids, count=SIMILAR) if tfidf else None
if similar is None or article_id not in tfidf[1]:
    st.caption("This article was not analysed, so it has no vocabulary to compare.")
elif similar.empty:
    st.caption("No other article shown by the filters shares its content words.")
else:
    st.caption(f"The {len(similar)} articles shown by the filters whose content words are most like this one's "
               "(cosine similarity of their TF-IDF vectors: 1 is the same vocabulary, 0 nothing in common).")

    def open_article(target: str) -> None:
        st.session_state["reading.article"] = target

    # buttons, not page links: a link to the page already open leaves the browser's address unchanged
    for similar_id, score in zip(similar["article"], similar["similarity"]):
        st.button(render.markdown_literal(f"{dated_labels[similar_id]} (similarity {score:.2f})"),
                  key=f"reading.similar.{similar_id}", on_click=open_article, args=(similar_id,), type="tertiary", icon=":material/article:")
    similar_table = similar.assign(
        date=[views.date_label(by_id.at[a, "date"]) for a in similar["article"]], title=[labels[a] for a in similar["article"]],
        source=[by_id.at[a, "source"] for a in similar["article"]])[["article", "date", "title", "source", "similarity"]]
    widgets.download("Download CSV", lambda: to_csv_bytes(similar_table), "similar_articles.csv", "reading.similar")

st.subheader("Search this article")
query = st.text_input("Keyword", key="reading.query", placeholder="e.g. sanctions", bind="query-params")
window = st.slider("Context (characters each side)", 10, 200, 60, key="reading.window", bind="query-params")
if query.strip():
    source_text = loaded["raw_text"] if version == "raw" else loaded["text"]
    concordance = views.kwic(source_text or "", query, window)
    st.caption(f"{len(concordance)} occurrence{'s' if len(concordance) != 1 else ''} of “{render.markdown_literal(query.strip())}” in the {version} text")
    if not concordance.empty:
        st.html(render.kwic_html(concordance.to_dict("records")))
        widgets.data_table(concordance, "reading.kwic", "concordance.csv")

st.subheader("Date and title of this article")
current = row["date"] if isinstance(row["date"], str) else None
DATE_SOURCES = {"header": "the file's date header", "metadata": "the file's metadata", "text": "the text",
                "inferred": "the text, with its year inferred (see the date note above)"}
TITLE_SOURCES = {"metadata": "the file's title", "headline": "the headline above the text",
                 "first words": "the first words of the text (it has no headline)", "user": "an analyst"}
if current and row["date_source"] != "user":
    st.caption(f"Dated {views.date_label(current)} from {DATE_SOURCES.get(row['date_source'], render.markdown_literal(row['date_source']))}; "
               "a date typed here replaces it, and is kept apart from the automatic one.")
else:
    st.caption("Undated: set the month (or day, or year) it was published." if not current else
               f"Date set by an analyst: {views.date_label(current)}.")
title_source = row.get("title_source")
st.caption(f"Title from {TITLE_SOURCES[title_source]}." if isinstance(title_source, str) and title_source in TITLE_SOURCES
           else "Title: the file's name (no title was found).")
with st.form("reading.edit_form", border=False):
    date_column, title_column = st.columns([1, 2])
    typed = date_column.text_input("Date (YYYY-MM, YYYY-MM-DD, YYYY, or juin 2024)", value=current if row["date_source"] == "user" else "",
                                   placeholder=current or "", key=f"reading.user_date.{article_id}")
    typed_title = title_column.text_input("Title", value=row["title"] if title_source == "user" else "",
                                          placeholder=row["title"] if isinstance(row["title"], str) else "",
                                          key=f"reading.user_title.{article_id}", help="Leave empty to keep the automatic title.")
    submitted = st.form_submit_button("Save")
if submitted:
    try:
        if typed.strip() or row["date_source"] == "user":
            set_user_date(ctx.store, article_id, typed.strip() or None)
        if typed_title.strip() or title_source == "user":
            set_user_title(ctx.store, article_id, typed_title.strip() or None)
    except ValueError as error:
        st.error(render.markdown_literal(str(error)))
    except StoreBusy as error:
        st.warning(render.markdown_literal(str(error)))
    else:
        st.rerun()
