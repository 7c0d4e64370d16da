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
shown = views.quotes_table(quotes, ctx.filtered)
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

chosen = views.quotes_table(quotes, ctx.filtered, speaker=speaker, kind=None if kind == "all" else kind)
texts = loaders.article_texts(ctx.store, chosen["article"].unique())
chosen = views.quotes_with_words(chosen, texts, words)

top = [s for s in ([speaker] if speaker is not None else speakers["speaker"].head(TOP_SPEAKERS).tolist())]
timeline = views.quotes_per_month(chosen, ctx.filtered, top)
timeline = timeline.assign(speaker=timeline["speaker"].replace({NOBODY: "not attributed"}))
widgets.chart(charts.column_bars(timeline, "label", "quotes", "Quotes per month of the most quoted speakers shown",
                              "Month", "Quotes", group="speaker"), key="quotes.timeline")
widgets.data_table(loaders.with_watchlist_column(speakers.assign(speaker=speakers["speaker"].replace({NOBODY: "not attributed"})),
                                           ctx.store, "speaker"), "quotes.speakers", "quote_speakers.csv")

st.subheader(f"{len(chosen)} quote{'s' if len(chosen) != 1 else ''}")
sentences = loaders.table(ctx.store, "sentences")
for row in chosen.head(QUOTE_CAP).itertuples(index=False):
    text = texts[row.article]
    sentence = sentences[(sentences["article"] == row.article) & (sentences["sent"] == row.sent)]
    start, end = (int(sentence["start"].iloc[0]), int(sentence["end"].iloc[0])) if len(sentence) else (row.start, row.end)
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
    rows = chosen.assign(quote=[texts[a][s:e] for a, s, e in zip(chosen["article"], chosen["start"], chosen["end"])],
                         title=chosen["article"].map(labels), date=chosen["date"].map(views.date_label),
                         sentence_number=chosen["sent"] + 1, attribution=chosen["cue"].map(views.attribution_label))
    return to_csv_bytes(rows[["date", "title", "article", "sentence_number", "kind", "speaker", "attribution", "quote"]])


widgets.download("Download these quotes (CSV)", quotes_csv, "quotes.csv", "quotes.list")
