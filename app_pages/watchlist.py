"""Watchlist: the analyst's lists of names matched against the corpus's entities; each match to confirm
or reject; the listed parties mentioned in the articles shown, where, how often, and in which sanctions
sentences."""

from pathlib import Path

import streamlit as st

from core import views, watchlist
from core.analysis import to_csv_bytes
from core.readers import InputError
from core.store import StoreBusy
from ui import charts, filters, loaders, render, stores, url, widgets

SENTENCE_CAP = 25
ARTICLE_CAP = 30
STATUS_LABELS = {watchlist.PENDING: "To review", watchlist.CONFIRMED: "Confirmed", watchlist.REJECTED: "Rejected"}

ctx = filters.context()
widgets.page_header("Watchlist", ctx, "the corpus's entities matched against your lists of names")
matches = loaders.derived(ctx.store, "watchlist_matches")
lists = loaders.watchlists(ctx.store)

# Adding and removing lists ---------------------------------------------------------

if message := st.session_state.pop("watchlist.message", None):
    st.success(render.markdown_literal(message))
st.session_state.setdefault("watchlist.upload_round", 0)
with st.expander("Add a list", expanded=lists.empty, icon=":material/upload_file:"):
    st.caption("A CSV with a **name** column and, optionally, **aliases** (separated by `;`), **id**, **list** or "
               "**programme**, **country** and **type** (person or organisation); OpenSanctions' "
               "`targets.simple.csv` and the UN Security Council consolidated list as CSV are read as they come. "
               "A list of the same name replaces the earlier one.")
    upload = st.file_uploader("List of names (CSV)", type=["csv", "tsv", "txt"],
                              key=f"watchlist.upload.{st.session_state['watchlist.upload_round']}")
    name = st.text_input("List name", key=f"watchlist.name.{st.session_state['watchlist.upload_round']}", placeholder=Path(upload.name).stem if upload else "e.g. un-dprk",
                         help="Defaults to the file name.")
    shared = st.checkbox("Keep the list with the corpus, for everyone who opens it", key="watchlist.shared",
                         help="Unticked, the list goes into a private copy of the corpus that only this browser "
                              "session sees, like uploaded articles.")
    if st.button("Add list", key="watchlist.add", type="primary", disabled=upload is None):
        # shared: into the store everyone opens (and this session's private copy, if it has one, to see it)
        targets = [stores.shared_store()] + ([ctx.store] if st.session_state.get("store.private") else []) if shared \
            else [stores.private_store(ctx.store)]
        try:
            with st.spinner("Matching the list against every entity of the corpus…"):
                for target in targets:
                    report = watchlist.add_list(target, upload.getvalue(), name.strip() or watchlist.list_name_of(upload.name))
        except InputError as error:
            st.error(render.markdown_literal(f"{upload.name} cannot be used as a watchlist: {error}"))
        except StoreBusy as error:
            st.warning(render.markdown_literal(str(error)))
        else:
            st.session_state["watchlist.message"] = report.summary()
            st.session_state["watchlist.upload_round"] += 1  # an empty uploader and name: the file is not added twice
            st.rerun()

if lists.empty:
    st.info("No watchlist yet: add one above, or from the command line with "
            "`python -m core watchlist add FILE --store DIR`.")
    url.stop_page()

st.subheader("Lists")
widgets.data_table(lists, "watchlist.lists", "watchlists.csv")
with st.popover("Remove a list", icon=":material/delete:"):
    removed = st.selectbox("List", lists["list"].tolist(), key="watchlist.remove_name")
    if st.button("Remove", key="watchlist.remove"):
        try:
            count = watchlist.remove_list(ctx.store, removed)
        except StoreBusy as error:
            st.warning(render.markdown_literal(str(error)))
        else:
            st.session_state["watchlist.message"] = f"Watchlist {removed!r} removed ({count:,} entries)."
            st.rerun()

# The listed parties mentioned ----------------------------------------------------

st.subheader("Listed parties in the articles shown")
statuses = st.multiselect("Matches", list(watchlist.STATUSES), default=[watchlist.PENDING, watchlist.CONFIRMED],
                          key="watchlist.statuses", format_func=STATUS_LABELS.get, placeholder="Every match",
                          bind="query-params")
entity_table = loaders.entity_table(ctx.store, ctx.filtered, ctx.filters, with_forms=False)
parties = watchlist.listed_parties(matches, entity_table, statuses or watchlist.STATUSES)
if parties.empty:
    st.info("No entity of the articles shown matches a listed name"
            + (" with these statuses." if matches is not None and not matches.empty else "."))
    url.stop_page()

st.caption("A score of 1 is the same name (spellings and transliterations folded); less, a name with a middle name "
           "or patronymic left out or a word spelt differently. Confirm or reject each match: the decision is kept "
           "with the corpus and marks the entity on every page (" + watchlist.MARKS_LEGEND + ").")
shown = parties.assign(status=parties["status"].map(STATUS_LABELS))
editor_columns = ["status", "entity", "listed_name", "matched", "score", "list", "list_id", "programme", "country",
                  "mentions", "articles", "first_date", "last_date"]
st.session_state.setdefault("watchlist.review_round", 0)
edited = st.data_editor(
    shown[editor_columns], key=f"watchlist.review.{st.session_state['watchlist.review_round']}", hide_index=True, width="stretch",
    disabled=[c for c in editor_columns if c != "status"],
    column_config={
        "status": st.column_config.SelectboxColumn("Decision", options=list(STATUS_LABELS.values()), required=True),
        "entity": st.column_config.TextColumn("Entity in the corpus"),
        "listed_name": st.column_config.TextColumn("Listed name"),
        "matched": st.column_config.TextColumn("Name or alias matched"),
        "score": st.column_config.NumberColumn("Score", format="%.2f"),
        "list_id": st.column_config.TextColumn("Listed id"),
    },
)
changed = [i for i, (before, after) in enumerate(zip(shown["status"], edited["status"])) if before != after]
if changed:
    by_label = {label: status for status, label in STATUS_LABELS.items()}
    try:
        for i in changed:
            row = parties.iloc[i]
            watchlist.set_decision(ctx.store, row["entry"], row["form"], row["entity"], by_label[edited["status"].iloc[i]])
    except StoreBusy as error:
        st.warning(render.markdown_literal(str(error)))
    else:
        st.session_state["watchlist.review_round"] += 1  # a fresh editor over the decisions now stored
        st.rerun()
widgets.download("Download CSV", lambda: to_csv_bytes(parties.drop(columns=["entry", "form"])), "watchlist_matches.csv",
              "watchlist.matches")

mark = loaders.marked(ctx.store)
top = parties.drop_duplicates("entity").head(15)
bars = entity_table[entity_table["name"].isin(set(top["entity"]))]
widgets.chart(charts.ranked_bars(bars.assign(name=bars["name"].map(mark)), "Mentions of the listed parties in the articles shown",
                              by_label=True), key="watchlist.bars")

# One listed party ----------------------------------------------------------------

st.subheader("One listed party")
names = parties["entity"].drop_duplicates().tolist()
url.restore("watchlist.party", names[0])  # by hand: the label carries the watchlist mark (ui/url.py)
if st.session_state["watchlist.party"] not in names:
    st.session_state["watchlist.party"] = names[0]
party = st.selectbox("Entity", names, key="watchlist.party", format_func=mark)
url.remember("watchlist.party", party)
mine = parties[parties["entity"] == party]


def decide(row, status: str) -> None:
    try:
        watchlist.set_decision(ctx.store, row.entry, row.form, row.entity, status)
    except StoreBusy as error:
        st.warning(render.markdown_literal(str(error)))
    else:
        st.session_state["watchlist.review_round"] += 1
        st.rerun()


for number, row in enumerate(mine.itertuples(index=False)):
    ident = f" · id {row.list_id}" if isinstance(row.list_id, str) else ""
    extra = " · ".join(v for v in (row.programme, row.country) if isinstance(v, str))
    with st.container(border=True):
        st.markdown(render.markdown_literal(f"{STATUS_LABELS[row.status]}: {row.listed_name} (list {row.list}{ident}), matched as "
                                            f"“{row.matched}” by the form “{row.form}”, score {row.score:.2f}")
                    + (f"  \n:gray[{render.markdown_literal(extra)}]" if extra else ""))
        buttons = st.columns(3)
        for column, (status, label) in zip(buttons, [(watchlist.CONFIRMED, "Confirm"), (watchlist.REJECTED, "Reject"),
                                                     (watchlist.PENDING, "Back to review")]):
            if status != row.status and column.button(label, key=f"watchlist.decide.{number}.{status}"):
                decide(row, status)
first = mine.iloc[0]
st.markdown(f"**{int(first['mentions'])} mention{'s' if first['mentions'] != 1 else ''}** in "
            f"**{int(first['articles'])} article{'s' if first['articles'] != 1 else ''}** of those shown.")
timeline = views.mentions_over_time(loaders.entity_articles(ctx.store), ctx.filtered, [party])
widgets.chart(charts.column_bars(timeline, "label", "mentions", f"Mentions per month of {mark(party)} (undated as its own bar)",
                              "Month", "Mentions"), key="watchlist.timeline")

labels = loaders.article_labels(ctx.store)
dates = dict(zip(ctx.articles["id"], ctx.articles["date"]))
counts = loaders.entity_articles(ctx.store)
where = counts[(counts["entity"] == party) & counts["article"].astype(str).isin(ctx.ids)]
where = views.newest_first(ctx.filtered[ctx.filtered["id"].isin(set(where["article"].astype(str)))])
mentions_in = dict(zip(counts.loc[counts["entity"] == party, "article"].astype(str), counts.loc[counts["entity"] == party, "mentions"]))
with st.expander(f"Where: {len(where)} article{'s' if len(where) != 1 else ''}", expanded=len(where) <= 5):
    for article in where["id"].head(ARTICLE_CAP):
        widgets.article_link(article, f"{views.date_label(dates.get(article))} · {labels.get(article)} ({mentions_in.get(article, 0)} mentions)",
                          key=f"watchlist.article.{article}")
    if len(where) > ARTICLE_CAP:
        st.caption(f"The {ARTICLE_CAP} newest articles shown; the CSV has all {len(where)}.")
    where_rows = where.assign(title=where["id"].map(labels), date=where["date"].map(views.date_label),
                              mentions=where["id"].map(mentions_in))[["date", "title", "id", "mentions"]]
    widgets.download("Download these articles (CSV)", lambda: to_csv_bytes(where_rows), "watchlist_party_articles.csv",
                  "watchlist.articles")

sentences = watchlist.sanctions_sentences(loaders.sanctions_by_category(ctx.store), loaders.sanctions_by_actor(ctx.store), ctx.ids, party)
st.markdown(f"**{len(sentences)} sanctions sentence{'s' if len(sentences) != 1 else ''}** mention {render.markdown_literal(party)}"
            " (sanctions terms marked).")
texts = loaders.texts(ctx.store, sentences["article"].head(SENTENCE_CAP))
for row in sentences.head(SENTENCE_CAP).itertuples(index=False):
    with st.container(border=True):
        st.html(render.sentence_html(texts[row.article]["text"], row.start, row.end, row.spans, kind="term"))
        st.caption(render.markdown_literal(row.categories))
        widgets.article_link(row.article, f"{views.date_label(dates.get(row.article))} · {labels.get(row.article)} (sentence {row.sent + 1})")
if len(sentences) > SENTENCE_CAP:
    st.caption(f"The first {SENTENCE_CAP} sentences; the CSV has all {len(sentences)}.")
store = ctx.store


def sentences_csv() -> bytes:
    rows = views.with_sentence_text(sentences.drop(columns=["spans"]), loaders.article_texts(store, sentences["article"]))
    return to_csv_bytes(rows.assign(entity=party))


if not sentences.empty:
    widgets.download("Download these sentences (CSV)", sentences_csv, "watchlist_party_sanctions.csv", "watchlist.sentences")
