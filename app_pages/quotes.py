"""Quotes: who said what, where. Quotes by speaker over time, filtered by speaker, kind and words; each
quote with its sentence and a link into the reading pane."""

import streamlit as st

from core import views
from core.analysis import to_csv_bytes
from ui import charts, filters, loaders, render, url, widgets

QUOTE_CAP = 30
TOP_SPEAKERS = 6
NOBODY = ""  # the unattributed quotes

ctx = filters.context()
widgets.page_header("Quotes", ctx, "direct quotes (between quotation marks) and reported speech, with who said them")
quotes = loaders.derived(ctx.store, "quotes")
shown = loaders.quotes_within(ctx.store, ctx.filtered)
if shown.empty:
    st.info("No quote in the articles shown." if quotes is not None and not quotes.empty else
            "No quote found in this corpus (stores analysed before quotes were extracted have none: ingest again into a new store).")
    url.stop_page()

speakers = views.quote_speakers(shown)
labels = loaders.article_labels(ctx.store)
dates = dict(zip(ctx.articles["id"], ctx.articles["date"]))
options = speakers["speaker"].tolist()
mark = loaders.marked(ctx.store)
counts = dict(zip(speakers["speaker"], speakers["quotes"]))

left, middle, right = st.columns([2, 1.5, 2])  # room for the three choices of Kind
url.restore("quotes.speaker")  # by hand: the label carries a count that follows the filters (ui/url.py)
if st.session_state.get("quotes.speaker") not in options:
    st.session_state["quotes.speaker"] = None
speaker = left.selectbox("Speaker", options, key="quotes.speaker", index=None, placeholder="All speakers",
                         format_func=lambda s: f"{mark(s) or 'not attributed'} ({counts.get(s, 0)})")
url.remember("quotes.speaker", speaker)
kind = middle.segmented_control("Kind", ["all", "direct", "indirect"], default="all", key="quotes.kind", bind="query-params",
                                format_func=lambda k: {"all": "All", "direct": "Direct", "indirect": "Reported"}[k]) or "all"
words = right.text_input("Words in the quote", key="quotes.words", placeholder="e.g. sanctions", bind="query-params")

chosen = shown if speaker is None and kind == "all" else loaders.quotes_within(ctx.store, ctx.filtered, speaker,
                                                                             None if kind == "all" else kind)
if words.strip():  # the texts of every chosen quote are read only to look for words in them
    chosen = views.quotes_with_words(chosen, loaders.article_texts(ctx.store, chosen["article"].unique()), words)

top = [s for s in ([speaker] if speaker is not None else speakers["speaker"].head(TOP_SPEAKERS).tolist())]
timeline = views.quotes_per_month(chosen, ctx.filtered, top)
timeline = timeline.assign(speaker=timeline["speaker"].replace({NOBODY: "not attributed"}))
widgets.chart(charts.column_bars(timeline, "label", "quotes", "Quotes per month of the most quoted speakers shown",
                              "Month", "Quotes", group="speaker"), key="quotes.timeline")
widgets.data_table(loaders.with_watchlist_column(speakers.assign(speaker=speakers["speaker"].replace({NOBODY: "not attributed"})),
                                           ctx.store, "speaker"), "quotes.speakers", "quote_speakers.csv")

st.subheader(f"{len(chosen)} quote{'s' if len(chosen) != 1 else ''}")
listed = chosen.head(QUOTE_CAP)
texts = {article: row["text"] for article, row in loaders.texts(ctx.store, listed["article"].unique()).items()}
sentences = loaders.table(ctx.store, "sentences")
sentences = sentences[sentences["article"].isin(set(listed["article"]))]
bounds = {(a, n): (s, e) for a, n, s, e in zip(sentences["article"].astype(str), sentences["sent"].tolist(),
                                               sentences["start"].tolist(), sentences["end"].tolist())}
for row in listed.itertuples(index=False):
    text = texts[row.article]
    start, end = bounds.get((row.article, row.sent), (row.start, row.end))
    start, end = min(start, row.start), max(end, row.end)
    with st.container(border=True):
        who = mark(row.speaker) if isinstance(row.speaker, str) else "not attributed"
        st.markdown(f"**{render.markdown_literal(who)}** · {'direct quote' if row.kind == 'direct' else 'reported speech'}"
                    f" · {views.attribution_label(row.cue)}")
        st.html(render.sentence_html(text, start, end, [(row.start, row.end)], kind="quote"))
        widgets.article_link(row.article, f"{views.date_label(dates.get(row.article))} · {labels.get(row.article)} (sentence {row.sent + 1})")
if len(chosen) > QUOTE_CAP:
    st.caption(f"The first {QUOTE_CAP} quotes shown, newest articles first; the CSV has all {len(chosen)}.")
store = ctx.store


def quotes_csv() -> bytes:
    texts = loaders.article_texts(store, chosen["article"].unique())
    rows = chosen.assign(quote=[texts[a][s:e] for a, s, e in zip(chosen["article"], chosen["start"], chosen["end"])],
                         title=chosen["article"].map(labels), date=chosen["date"].map(views.date_label),
                         sentence_number=chosen["sent"] + 1, attribution=chosen["cue"].map(views.attribution_label))
    return to_csv_bytes(rows[["date", "title", "article", "sentence_number", "kind", "speaker", "attribution", "quote"]])


widgets.download("Download these quotes (CSV)", quotes_csv, "quotes.csv", "quotes.list")
