"""The dashboard driven through Streamlit's AppTest on the real seed store (no mocks)."""

from __future__ import annotations

import datetime as dt
import html
import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.analysis import load_articles
from core.entities import spelling_key

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
PAGES = ["app_pages/overview.py", "app_pages/entities.py", "app_pages/topics.py", "app_pages/reading.py", "app_pages/search.py",
         "app_pages/sanctions.py", "app_pages/quotes.py", "app_pages/watchlist.py"]
TITLES = ["Overview", "Entities", "Topics", "Reading pane", "Search", "Sanctions", "Quotes", "Watchlist"]


def _seed_ids(store) -> dict[str, str]:
    articles = load_articles(store)
    return {Path(s).name[:3]: i for s, i in zip(articles["source"], articles["id"])}


def _app(store, monkeypatch, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("PRESS_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=60)
    if query:
        at.query_params.update(query)
    return at.run()


def _reading_pane(store, monkeypatch, article_id: str) -> AppTest:
    """The reading pane opened on one article, as a link into it opens it."""
    monkeypatch.setenv("PRESS_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("app_pages/reading.py")
    at.query_params["reading.article"] = article_id
    return at.run()


def _bound(widget) -> None:
    """The widget keeps its value in the URL itself (``bind="query-params"``), under its key: Streamlit writes
    it on every change (seen in Chromium, tests/test_browser.py); AppTest, which has no browser, reads it back."""
    assert widget.proto.query_param_key == widget.key


def _showing(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Showing")).split(" · ")[0]


def _html(at: AppTest) -> str:
    return "\n".join(h.value for h in at.get("html"))


def _frame(at: AppTest, column: str):
    """The first table on the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _forget_derived(store, *names: str) -> None:
    """Make ``store`` look as if it had been written without these derived tables."""
    path = store.path / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for name in names:
        del manifest["derived"][name]
    path.write_text(json.dumps(manifest), encoding="utf-8")


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def test_pages_every_page_runs(seed_store, monkeypatch):
    at = _app(seed_store, monkeypatch)
    for page, title in zip(PAGES, TITLES):
        at.switch_page(page).run()
        _no_exception(at)
        assert at.title[0].value == title
        assert _showing(at) == "Showing 5 of 5 articles"
    assert "2 undated articles in the corpus" in [c.value for c in at.sidebar.caption]


def test_pages_date_filter_changes_count_and_url(seed_store, monkeypatch):
    at = _app(seed_store, monkeypatch)
    at.date_input(key="filters.date_range").set_value((dt.date(2024, 1, 1), dt.date(2024, 12, 31))).run()
    _no_exception(at)
    assert _showing(at) == "Showing 2 of 5 articles"  # only the undated ones remain
    assert at.query_params["from"] == "2024-01-01" and at.query_params["to"] == "2024-12-31"
    at.checkbox(key="filters.include_undated").uncheck().run()
    assert _showing(at) == "Showing 0 of 5 articles"
    at.date_input(key="filters.date_range").set_value((dt.date(2023, 9, 20), dt.date(2023, 10, 5))).run()
    assert _showing(at) == "Showing 3 of 5 articles"  # month dates overlap the range
    at.switch_page("app_pages/topics.py").run()  # a page switch keeps filters and writes them back
    assert _showing(at) == "Showing 3 of 5 articles"
    assert at.query_params["from"] == "2023-09-20"
    _bound(at.checkbox(key="filters.include_undated"))


def test_pages_a_typed_period_sets_the_date_range_on_enter(seed_store, monkeypatch):
    at = _app(seed_store, monkeypatch)
    at.checkbox(key="filters.include_undated").uncheck().run()
    at.text_input(key="filters.period").input("janvier 2024").run()  # Enter in the browser commits a text input
    _no_exception(at)
    assert at.date_input(key="filters.date_range").value == (dt.date(2024, 1, 1), dt.date(2024, 1, 31))
    assert _showing(at) == "Showing 0 of 5 articles"
    assert at.text_input(key="filters.period").value == ""
    at.text_input(key="filters.period").input("2023-09 – 2023-10").run()
    assert at.date_input(key="filters.date_range").value == (dt.date(2023, 9, 1), dt.date(2023, 10, 31))
    assert _showing(at) == "Showing 3 of 5 articles"
    assert "from" not in at.query_params and at.query_params["to"] == "2023-10-31"  # the corpus starts on 1 Sep 2023
    at.text_input(key="filters.period").input("la semaine dernière").run()
    assert any("is not a date" in e.value for e in at.sidebar.error)
    at.text_input(key="filters.period").input("**gras** [x](javascript:alert(1))").run()  # quoted as typed, as text
    assert any(r"\*\*gras\*\* \[x\]" in e.value for e in at.sidebar.error)
    assert at.date_input(key="filters.date_range").value == (dt.date(2023, 9, 1), dt.date(2023, 10, 31))


def test_pages_query_params_restore_filters(seed_store, monkeypatch):
    at = _app(seed_store, monkeypatch, {"filters.include_undated": "false", "filters.entity": "Dmitri Peskov"})
    _no_exception(at)
    assert at.checkbox(key="filters.include_undated").value is False
    assert at.selectbox(key="filters.entity").value == "Dmitri Peskov"
    assert _showing(at) == "Showing 2 of 5 articles"  # Peskov is quoted in 001 and 004, both dated
    ids = _seed_ids(seed_store)
    at = AppTest.from_file(APP, default_timeout=60)  # a copied link opens its page with its parameters
    at.switch_page("app_pages/reading.py")
    at.query_params.update({"reading.article": ids["003"], "reading.query": "Poutine", "reading.window": "30",
                            "filters.include_undated": "false"})
    at.run()
    _no_exception(at)
    assert _showing(at) == "Showing 3 of 5 articles"
    assert at.selectbox(key="reading.article").value == ids["003"]
    assert at.text_input(key="reading.query").value == "Poutine"
    assert at.slider(key="reading.window").value == 30


def test_pages_reading_link_opens_article_with_concordance(seed_store, monkeypatch):
    ids = _seed_ids(seed_store)
    monkeypatch.setenv("PRESS_STORE", str(seed_store.path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("app_pages/reading.py")
    at.query_params.update({"reading.article": ids["002"], "reading.query": "Kim", "reading.window": "20"})
    at.run()
    _no_exception(at)
    assert at.selectbox(key="reading.article").value == ids["002"]
    assert at.text_input(key="reading.query").value == "Kim"
    assert at.slider(key="reading.window").value == 20
    assert at.selectbox(key="reading.article").options[0].startswith("Sep 2023 · ")
    assert any(o.startswith("undated · ") for o in at.selectbox(key="reading.article").options)
    count = next(c.value for c in at.caption if "occurrence" in c.value)
    assert count.endswith("of “Kim” in the cleaned text")
    assert "<mark class=\"entity entity-PER\"" in _html(at)
    assert at.query_params["reading.article"] == ids["002"]
    for widget in (at.text_input(key="reading.query"), at.slider(key="reading.window")):
        _bound(widget)


def test_pages_reading_marks_every_sanctions_term_of_the_article(seed_store, monkeypatch):
    # the marks come from the sanctions long form (one row per sentence and category): each term the
    # matcher found in the article is marked once, with its category, in the cleaned text
    import re

    ids = _seed_ids(seed_store)
    hits = seed_store.read_derived("sanctions")
    hits = hits[hits["article"] == ids["003"]]
    expected = sorted((s, e, c) for spans in hits["term_spans"] for s, e, c in json.loads(spans))
    assert len(expected) >= 2
    at = _reading_pane(seed_store, monkeypatch, ids["003"])
    _no_exception(at)
    article = next(h.value for h in at.get("html") if 'class="article-text"' in h.value)
    text = seed_store.read_rows("articles", "id", [ids["003"]], ["id", "text"])["text"].iloc[0]
    marked = re.findall(r'<span class="sanctions-term" title="([^"]+)"[^>]*>(.*?)</span>', re.sub(r"</?mark[^>]*>", "", article))
    shown = [(category, html.unescape(chunk)) for category, chunk in marked]
    assert "".join(chunk for _, chunk in shown) == "".join(text[s:e] for s, e, _ in expected)
    assert {category for category, _ in shown} == {category for _, _, category in expected}


def test_pages_reading_lists_similar_articles_with_links(seed_store, monkeypatch):
    ids = _seed_ids(seed_store)
    at = _app(seed_store, monkeypatch, {"reading.article": ids["000"]})
    at.switch_page("app_pages/reading.py").run()
    _no_exception(at)
    assert at.selectbox(key="reading.article").value == ids["000"]
    buttons = [b for b in at.button if b.key.startswith("reading.similar.")]
    assert len(buttons) == 4
    scores = [float(b.label.replace("\\", "").rsplit("(similarity ", 1)[1].rstrip(")")) for b in buttons]
    assert scores == sorted(scores, reverse=True) and scores[0] <= 1
    targets = [b.key.removeprefix("reading.similar.") for b in buttons]
    assert set(targets) == {ids[n] for n in ("001", "002", "003", "004")}
    buttons[0].click().run()
    _no_exception(at)
    assert at.selectbox(key="reading.article").value == targets[0]
    assert at.query_params["reading.article"] == targets[0]
    assert ids["000"] in {b.key.removeprefix("reading.similar.") for b in at.button if b.key.startswith("reading.similar.")}
    assert any("most like this one" in c.value for c in at.caption)


def test_pages_entity_sentences_link_to_reading_pane(seed_store, monkeypatch):
    at = _app(seed_store, monkeypatch)
    at.switch_page("app_pages/entities.py").run()
    at.selectbox(key="entities.entity").set_value("Dmitri Peskov").run()
    _no_exception(at)
    assert any("**6 sentences** mention this entity" in m.value for m in at.markdown)
    sentences = [h.value for h in at.get("html") if 'class="sentence"' in h.value]
    assert len(sentences) == 6 and all("Peskov</mark>" in s for s in sentences)
    links = [p for p in at.get("page_link") if "sentence" in p.value]
    assert len(links) == 6
    ids = _seed_ids(seed_store)
    assert ids["001"] in links[0].proto.query_string or ids["001"] in str(links[0].proto)
    assert at.query_params["entities.entity"] == "Dmitri Peskov"


def test_pages_alias_merge_changes_counts(seed_store_copy, monkeypatch):
    at = _app(seed_store_copy, monkeypatch)
    at.switch_page("app_pages/entities.py").run()
    table = _frame(at, "forms").set_index("name")
    before = int(table.loc["Corée du Nord", "mentions"])
    korea = int(table.loc["Corée", "mentions"])
    at.selectbox(key="entities.merge_source").set_value("Corée")
    at.selectbox(key="entities.merge_target").set_value("Corée du Nord")
    at.button(key="entities.merge").click().run()
    _no_exception(at)
    table = _frame(at, "forms").set_index("name")
    assert int(table.loc["Corée du Nord", "mentions"]) == before + korea
    assert "Corée" not in table.index
    [merge] = seed_store_copy.edits()["entities"]["log"]
    assert (merge["kind"], merge["source"]["name"], merge["target"]["name"]) == ("merge", "Corée", "Corée du Nord")
    assert merge["source"]["keys"] == [spelling_key("Corée")]


def _violations_cell_of_seed_003(store, monkeypatch) -> AppTest:
    """The sanctions page with the cell (violations, seed 003) open, checked to list its one sentence."""
    at = _app(store, monkeypatch)
    at.switch_page("app_pages/sanctions.py").run()
    at.selectbox(key="sanctions.category").set_value("violations")
    at.selectbox(key="sanctions.column").set_value(_seed_ids(store)["003"]).run()
    _no_exception(at)
    assert any(m.value.startswith("**1 sentence** in category *Violations and evasion*") for m in at.markdown)
    return at


def test_pages_sanctions_cell_lists_its_sentences(seed_store, monkeypatch):
    at = _violations_cell_of_seed_003(seed_store, monkeypatch)
    marked = [h.value for h in at.get("html") if 'class="sentence"' in h.value]
    assert any('font-weight:600">violeraient</span>' in h for h in marked)
    at.segmented_control(key="sanctions.by").set_value("month").run()
    at.selectbox(key="sanctions.column").set_value("undated").run()
    _no_exception(at)
    assert at.query_params["sanctions.column"] == "undated"
    assert at.query_params["sanctions.category"] == "violations"  # its key: the label is the lexicon's
    _bound(at.segmented_control(key="sanctions.by"))
    chart = at.get("vega_lite_chart")[0].proto
    assert json.loads(chart.spec)["title"]["text"] == ["Sentences with sanctions terms, by category and month"]
    assert chart.alt == "Sentences with sanctions terms, by category and month"


def test_pages_sanctions_from_a_store_without_stored_long_forms(seed_store_copy, monkeypatch):
    """A store written before the sanctions long forms were kept: the page computes them and shows the same cells."""
    _forget_derived(seed_store_copy, "sanctions_by_category", "sanctions_by_actor")
    at = _violations_cell_of_seed_003(seed_store_copy, monkeypatch)
    at.selectbox(key="sanctions.actor").set_value("Russie")
    at.selectbox(key="sanctions.actor_category").set_value("arms").run()
    _no_exception(at)
    assert any(m.value.startswith("**10 sentences** mention Russie") for m in at.markdown)


def test_pages_sanctions_from_a_store_with_no_sanctions_tables(seed_store_copy, monkeypatch):
    """No sanctions table of any form (an old or partial store): the page draws empty counts, no error."""
    _forget_derived(seed_store_copy, "sanctions", "sanctions_by_category", "sanctions_by_actor")
    at = _app(seed_store_copy, monkeypatch)
    at.switch_page("app_pages/sanctions.py").run()
    _no_exception(at)
    assert any(m.value.startswith("**0 sentences** in category") for m in at.markdown)


def test_pages_entities_from_a_store_without_stored_sentence_tables(seed_store, seed_store_copy, monkeypatch):
    """A store written before the per-sentence and per-article entity tables were kept draws the same co-occurrence."""
    expected = _frame(_app(seed_store, monkeypatch).switch_page("app_pages/entities.py").run(), "Kim Jong Un")
    _forget_derived(seed_store_copy, "sentence_entities", "entity_articles")
    at = _app(seed_store_copy, monkeypatch).switch_page("app_pages/entities.py").run()
    _no_exception(at)
    assert _frame(at, "Kim Jong Un").equals(expected)


def test_pages_user_date_for_undated_article(seed_store_copy, monkeypatch):
    ids = _seed_ids(seed_store_copy)
    at = _reading_pane(seed_store_copy, monkeypatch, ids["002"])
    at.text_input(key=f"reading.user_date.{ids['002']}").input("2023-13")
    form_button = next(b for b in at.get("form_submit_button"))
    form_button.click().run()
    assert any("no month 13" in e.value for e in at.error)
    at.text_input(key=f"reading.user_date.{ids['002']}").input("2023-10")
    next(b for b in at.get("form_submit_button")).click().run()
    _no_exception(at)
    assert "Date set by an analyst: Oct 2023." in [c.value for c in at.caption]
    assert seed_store_copy.edits()["dates"] == {ids["002"]: "2023-10"}
    assert "1 undated article in the corpus" in [c.value for c in at.sidebar.caption]


HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = ("<script>alert(1)</script> Vladimir Poutine a rencontré Kim Jong Un à Moscou. "
                "Les sanctions de l'ONU visent la Corée du Nord, selon le Conseil de sécurité. ") * 3


@pytest.fixture
def hostile_store(seed_store, tmp_path):
    from core.ingest import ingest_documents
    from core.records import RawDocument
    from core.store import Store

    target = tmp_path / "store"
    shutil.copytree(seed_store.path, target, ignore=shutil.ignore_patterns(".lock"))
    store = Store(target)
    # dated, so it is the newest article and its sentences come first in every list
    document = RawDocument(source="hostile.txt", raw_text=HOSTILE_TEXT, encoding="utf-8", title=HOSTILE_TITLE, date="2024-06-19")
    report = ingest_documents([("hostile.txt", document)], store, total=1)
    return store, report.outcomes[0].article


def test_pages_article_text_is_escaped(hostile_store, monkeypatch):
    store, article = hostile_store
    monkeypatch.setenv("PRESS_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("app_pages/reading.py")
    at.query_params.update({"reading.article": article, "reading.query": "script"})
    at.run()
    _no_exception(at)
    html = _html(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html and "<img" not in html
    # Markdown-escaped, so st.subheader shows the title literally (no HTML, no link)
    assert at.subheader[0].value == r"\<img src=x onerror=alert\(1\)\>"
    at.switch_page("app_pages/entities.py").run()
    at.selectbox(key="entities.entity").set_value("Vladimir Poutine").run()
    html = _html(at)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_pages_upload_goes_to_a_private_copy(seed_store, monkeypatch):
    at = _app(seed_store, monkeypatch)
    text = "date 2024-02 Vladimir Poutine a reçu Kim Jong Un à Moscou pour parler des sanctions. " * 5
    at.get("file_uploader")[0].set_value([("mine.txt", text.encode(), "text/plain"), ("empty.txt", b"  \n", "text/plain")])
    at.run()
    at.button(key="overview.add").click().run()
    _no_exception(at)
    outcomes = _frame(at, "outcome")
    assert outcomes[["file", "outcome"]].values.tolist() == [["mine.txt", "added"], ["empty.txt", "rejected"]]
    assert _showing(at) == "Showing 6 of 6 articles"
    assert len(load_articles(seed_store)) == 5  # the shared store is untouched
    assert at.session_state["store.private"] is True


def test_pages_first_run_builds_the_seed_store(tmp_path, monkeypatch):
    from core.store import Store
    from ui import stores

    monkeypatch.delenv("PRESS_STORE", raising=False)
    monkeypatch.setattr(stores, "DEFAULT_STORE", tmp_path / "seeds")
    at = AppTest.from_file(APP, default_timeout=120).run()
    _no_exception(at)
    assert Store(tmp_path / "seeds").exists()
    assert _showing(at) == "Showing 5 of 5 articles"


def test_pages_store_from_streamlit_secrets(seed_store, monkeypatch):
    monkeypatch.delenv("PRESS_STORE", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["PRESS_STORE"] = str(seed_store.path)  # as set in Community Cloud's Settings -> Secrets
    at.run()
    _no_exception(at)
    assert _showing(at) == "Showing 5 of 5 articles"


def test_pages_current_month_dates_and_out_of_range_links_do_not_break_the_filters(seed_store_copy, monkeypatch):
    import datetime as dt

    from core.analysis import set_user_date

    this_month = dt.date.today().strftime("%Y-%m")  # a period that ends after today
    set_user_date(seed_store_copy, _seed_ids(seed_store_copy)["002"], this_month)
    at = _app(seed_store_copy, monkeypatch)
    _no_exception(at)
    assert _showing(at) == "Showing 5 of 5 articles"
    at = _app(seed_store_copy, monkeypatch, query={"from": "1700-01-01", "to": "2099-01-01"})
    _no_exception(at)
    assert _showing(at) == "Showing 5 of 5 articles"


def test_pages_an_empty_view_keeps_its_url(seed_store, monkeypatch):
    """A page that stops early (nothing matches the filters) still writes the view into the URL,
    so a copied link reproduces the empty view instead of the default one."""
    at = _app(seed_store, monkeypatch)
    at.switch_page("app_pages/sanctions.py").run()
    at.date_input(key="filters.date_range").set_value((dt.date(2024, 1, 1), dt.date(2024, 12, 31))).run()
    at.checkbox(key="filters.include_undated").uncheck().run()
    _no_exception(at)
    assert "No article matches the filters." in [i.value for i in at.info]
    assert at.query_params["from"] == "2024-01-01"  # written by hand before the page stopped


def test_pages_an_exact_duplicate_shows_the_original_text(seed_store_copy, monkeypatch, tmp_path):
    from core.ingest import ingest

    original = next(p for p in (ROOT / "seeds").iterdir() if p.name.startswith("004"))
    copy = tmp_path / "copie-exacte.txt"
    copy.write_bytes(original.read_bytes())
    ingest([str(copy)], seed_store_copy)
    articles = load_articles(seed_store_copy).set_index("source")
    duplicate, original_id = articles.loc[str(copy), "id"], articles.loc[str(copy), "duplicate_of"]
    at = _app(seed_store_copy, monkeypatch)
    at.switch_page("app_pages/reading.py").run()
    at.query_params.update({"reading.article": duplicate, "filters.fold_wire": "false"})
    at.run()
    _no_exception(at)
    assert any(i.value.startswith("This file has exactly the same text as") for i in at.info)
    body = _html(at)
    assert "a assuré vendredi" in body  # the original's text, not an empty body
    assert original_id != duplicate


def test_pages_entity_edits_confirm_retype_list_and_undo(seed_store_copy, monkeypatch):
    at = _app(seed_store_copy, monkeypatch)
    at.switch_page("app_pages/entities.py").run()
    at.selectbox(key="entities.merge_source").set_value("Dmitri Peskov")
    at.selectbox(key="entities.merge_target").set_value("Séoul")
    at.button(key="entities.merge").click().run()
    _no_exception(at)
    assert any("is a person and 'Séoul' is a place" in w.value for w in at.warning)
    assert "Dmitri Peskov" in _frame(at, "forms").set_index("name").index  # asked, not done
    at.button(key="entities.merge_cancel").click().run()
    assert not at.warning
    at.selectbox(key="entities.relabel_source").set_value("Washington")
    at.selectbox(key="entities.relabel_label").set_value("LOC")
    at.button(key="entities.relabel").click().run()
    _no_exception(at)
    assert _frame(at, "forms").set_index("name").loc["Washington", "label"] == "LOC"
    assert any("make Washington a place" in m.value for m in at.markdown)
    [edit] = seed_store_copy.edits()["entities"]["log"]
    at.button(key=f"entities.undo.{edit['id']}").click().run()
    _no_exception(at)
    assert _frame(at, "forms").set_index("name").loc["Washington", "label"] == "ORG"
    assert seed_store_copy.edits()["entities"]["log"] == []


def test_pages_a_wire_copy_names_its_original_and_the_original_lists_its_copies(seed_store_copy, monkeypatch, tmp_path):
    from core.ingest import ingest
    from test_wire import _republished, _seed

    copy = tmp_path / "reprise.txt"
    copy.write_text(_republished(_seed("002")), encoding="utf-8")
    ingest([str(copy)], seed_store_copy)
    articles = load_articles(seed_store_copy).set_index("source")
    copy_id, original = articles.loc[str(copy), "id"], articles.loc[str(copy), "duplicate_of"]
    at = _app(seed_store_copy, monkeypatch)
    at.switch_page("app_pages/reading.py").run()
    at.query_params.update({"reading.article": copy_id, "filters.fold_wire": "false"})
    at.run()
    _no_exception(at)
    assert any(i.value.startswith("A republished copy of") for i in at.info)
    assert original not in _html(at).split("Copy of")[1][:200]  # named by its title and date, not its id
    at.query_params.update({"reading.article": original, "filters.fold_wire": "false"})
    at.run()
    assert any(e.label.startswith("Copies of this article (1)") for e in at.expander)


def test_pages_quotes_by_speaker_and_words_and_what_a_person_said(seed_store, monkeypatch):
    at = _app(seed_store, monkeypatch)
    at.switch_page("app_pages/quotes.py").run()
    _no_exception(at)
    total = int(at.subheader[0].value.split()[0])
    assert total > 0
    at.selectbox(key="quotes.speaker").set_value("Dmitri Peskov").run()
    _no_exception(at)
    peskov = int(at.subheader[0].value.split()[0])
    assert 0 < peskov < total and at.query_params["quotes.speaker"] == "Dmitri Peskov"
    assert all(m.value.startswith("**Dmitri Peskov**") for m in at.markdown if m.value.startswith("**") and " · " in m.value)
    at.text_input(key="quotes.words").set_value("zzzz-nothing").run()
    assert at.subheader[0].value.startswith("0 quotes")
    # the Entities page shows what a person said
    at.switch_page("app_pages/entities.py").run()
    at.selectbox(key="entities.entity").set_value("Dmitri Peskov").run()
    _no_exception(at)
    assert any(e.label.startswith("What Dmitri Peskov said") for e in at.expander)


def test_pages_an_untitled_article_is_named_by_its_first_words_and_the_analyst_can_retitle_it(seed_store_copy, monkeypatch):
    ids = _seed_ids(seed_store_copy)
    at = _reading_pane(seed_store_copy, monkeypatch, ids["002"])
    heading = at.subheader[0].value.replace("\\", "")
    assert heading.startswith("Kim Jong Un et Vladimir Poutine se sont qualifiés") and heading.endswith("…")
    assert "002_" not in heading  # never the file's name while there is text
    assert "Title from the first words of the text (it has no headline)." in [c.value for c in at.caption]
    at.text_input(key=f"reading.user_title.{ids['002']}").input("Les « camarades » trinquent")
    next(b for b in at.get("form_submit_button")).click().run()
    _no_exception(at)
    assert seed_store_copy.edits()["titles"] == {ids["002"]: "Les « camarades » trinquent"}
    assert seed_store_copy.edits()["dates"] == {}  # the empty date field changed nothing
    assert at.subheader[0].value.replace("\\", "") == "Les « camarades » trinquent"
    assert "Title from an analyst." in [c.value for c in at.caption]
    at.switch_page("app_pages/sanctions.py").run()
    assert "Les « camarades » trinquent" in load_articles(seed_store_copy).set_index("id").loc[ids["002"], "title"]


def test_pages_an_article_outside_the_filters_is_marked_as_such(seed_store, monkeypatch):
    ids = _seed_ids(seed_store)
    undated = load_articles(seed_store).set_index("id")["date"].isna()
    article = next(i for i in ids.values() if undated[i])
    monkeypatch.setenv("PRESS_STORE", str(seed_store.path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("app_pages/reading.py")
    at.query_params.update({"reading.article": article, "filters.include_undated": "false"})
    at.run()
    _no_exception(at)
    assert at.selectbox(key="reading.article").value == article
    assert any("outside the sidebar's filters" in w.value for w in at.warning)
    at.checkbox(key="filters.include_undated").check().run()
    assert not any("outside the sidebar's filters" in w.value for w in at.warning)


def test_topics_a_linked_topic_lists_its_articles_and_the_months_share_out_whole(seed_store, monkeypatch):
    monkeypatch.setenv("PRESS_STORE", str(seed_store.path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("app_pages/topics.py")
    at.query_params.update({"topics.k": "3", "topics.topic": "1"})
    at.run()
    assert not at.exception
    chosen = at.selectbox(key="topics.topic")
    assert chosen.value == 1 and chosen.format_func(1).startswith("1 · ")
    def table(first_columns: list[str]):
        return next(d.value for d in at.dataframe if list(d.value.columns[:len(first_columns)]) == first_columns)

    members = table(["article", "title", "weight"])
    assert list(members.columns) == ["article", "title", "weight", "date"]
    assert members["weight"].is_monotonic_decreasing and len(members) >= 1
    by_month = table(["month", "articles"])
    assert by_month["month"].tolist() == ["Sep 2023", "undated"] and by_month["articles"].tolist() == [3, 2]
    assert by_month.drop(columns=["month", "articles"]).sum(axis=1).round(3).tolist() == [1.0, 1.0]
    assert all(name.split(" · ")[0] in "012" for name in by_month.columns[2:])  # topics named by their terms
    chosen.set_value(2).run()
    assert at.query_params["topics.topic"] == "2"  # the link reproduces the view
    assert table(["article", "title", "weight"])["article"].tolist() != members["article"].tolist()


def test_pages_an_empty_overview_draws_no_chart_of_nothing(seed_store, monkeypatch):
    at = _app(seed_store, monkeypatch, {"filters.include_undated": "false", "from": "2024-01-01", "to": "2024-12-31"})
    _no_exception(at)
    assert _showing(at) == "Showing 0 of 5 articles"
    assert any(i.value.startswith("No article matches the filters") for i in at.info)
    assert "Languages" not in [s.value for s in at.subheader]
    assert not [c for c in at.get("vega_lite_chart") if "Articles per month" in c.proto.alt]
    assert [m.value for m in at.metric if m.label == "Date coverage"] == ["no dates"]


def test_a_long_table_draws_its_first_rows_and_says_the_csv_has_them_all():
    from streamlit.testing.v1 import AppTest

    def app():
        import pandas as pd

        from ui import widgets

        widgets.data_table(pd.DataFrame({"n": range(widgets.TABLE_ROWS + 5)}), "long", "long.csv")
        widgets.data_table(pd.DataFrame({"n": range(3)}), "short", "short.csv")

    at = AppTest.from_function(app).run()
    assert not at.exception
    assert [len(frame.value) for frame in at.dataframe] == [2_000, 3]
    assert [c.value for c in at.caption] == [
        "The first 2,000 rows of 2,005, in this order (sorting and searching the table apply to them); the CSV has them all."]
