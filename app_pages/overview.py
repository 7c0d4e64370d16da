"""Overview: corpus size, date coverage, languages, articles per month, top entities, rejected files, uploads."""

import pandas as pd
import streamlit as st

from core import views
from core.language import language_name
from core.store import StoreBusy
from ui import charts, filters, loaders, render, stores, widgets

ctx = filters.context()
widgets.page_header("Overview", ctx)
filtered = ctx.filtered

bounds = views.date_bounds(filtered)
undated = int(filtered["date"].isna().sum())
columns = st.columns([1, 1, 2, 1])  # the date range is the longest value: room for it, not "Sep 2023 – S…"
columns[0].metric("Articles shown", len(filtered), help="After the sidebar filters")
columns[1].metric("Words", f"{int(filtered['words'].sum()):,}")
months = [views.date_label(bound.isoformat()[:7]) for bound in bounds] if bounds else []
columns[2].metric("Date coverage", " – ".join(dict.fromkeys(months)) or "no dates")
columns[3].metric("Undated", undated)

if filtered.empty:  # no chart of nothing, no empty table with a CSV
    st.info("No article matches the filters: widen them in the sidebar, or use Reset filters.")
else:
    left, right = st.columns(2)
    with left:
        per_month = views.articles_per_month(filtered)
        figure = charts.column_bars(per_month, "label", "articles", "Articles per month (undated as its own bar)", "Month",
                                    "Articles")
        widgets.chart(figure, key="overview.per_month_chart")
        widgets.data_table(per_month, "overview.per_month", "articles_per_month.csv")
    with right:
        languages = views.language_counts(filtered, {c: language_name(c) for c in filtered["lang"].dropna().unique()})
        st.subheader("Languages")
        widgets.data_table(languages, "overview.languages", "languages.csv")

st.subheader("Top entities")
table = loaders.entity_table(ctx.store, filtered, ctx.filters)
top = table.head(15)
if top.empty:
    st.info("No entity is mentioned in the articles shown.")
else:
    mark = loaders.marked(ctx.store)
    figure = charts.ranked_bars(top.assign(name=top["name"].map(mark)), "Mentions of the 15 most mentioned entities in the articles shown",
                                by_label=True)
    widgets.chart(figure, key="overview.entities_chart")
    widgets.data_table(loaders.with_watchlist_column(top[["name", "label", "mentions", "articles", "first_date", "last_date"]], ctx.store),
                    "overview.entities", "top_entities.csv")

st.subheader("Rejected files")
rejected = loaders.table(ctx.store, "rejected")[["source", "reason"]]
if rejected.empty:
    st.caption("No file was rejected.")
else:
    widgets.data_table(rejected, "overview.rejected", "rejected_files.csv")

st.subheader("Add your own files")
st.caption("Text, Markdown, HTML, CSV or JSON Lines. Your files go into a private copy of the corpus that only "
           "this browser session sees; they are gone when the session ends.")
st.session_state.setdefault("overview.upload_round", 0)
uploads = st.file_uploader("Files to add", accept_multiple_files=True, key=f"overview.upload.{st.session_state['overview.upload_round']}",
                           type=["txt", "md", "markdown", "html", "htm", "csv", "jsonl"])
if st.button("Add to my corpus", key="overview.add", disabled=not uploads, type="primary"):
    from core.ingest import ingest_uploads

    was_private = bool(st.session_state.get("store.private"))
    store = stores.private_store(ctx.store)
    bar = st.progress(0.0, text="Reading your files…")

    def progress(done: int, total: int, source: str, documents: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0),
                     text=f"{done} of {total} files, {documents:,} documents: {render.markdown_literal(source)}")

    try:
        with st.spinner("Analysing (the French model loads on the first upload)…"):
            report = ingest_uploads([(f.name, f.getvalue()) for f in uploads], store, progress=progress)
    except StoreBusy:
        bar.empty()
        st.warning("Your corpus is busy with a previous upload; try again in a moment.")
    except Exception as error:  # an upload must never show a traceback; nothing was committed
        bar.empty()
        st.error(f"Your files could not be added ({type(error).__name__}); your corpus is unchanged. "
                 f"Details: {render.markdown_literal(str(error)[:300])}")
    else:
        bar.empty()
        if not was_private and not (report.added or report.updated or report.duplicates):
            stores.drop_private_store()  # nothing was added: the session goes on reading the shared corpus
        st.session_state["overview.upload_round"] += 1  # an empty uploader: the files are not sent again
        st.session_state["overview.outcomes"] = pd.DataFrame(
            [{"file": o.source, "outcome": o.outcome, "detail": o.detail, "article": o.article} for o in report.outcomes],
            columns=["file", "outcome", "detail", "article"])
        st.rerun()
if "overview.outcomes" in st.session_state:
    st.markdown("**Outcome of your last upload**")
    widgets.data_table(st.session_state["overview.outcomes"], "overview.outcomes_table", "upload_outcomes.csv")
