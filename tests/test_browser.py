"""End-to-end tests in a real browser: Playwright driving Debian's Chromium against
``streamlit run dashboard.py`` on the seed corpus plus one hostile article.

Run with ``pytest tests/test_browser.py`` (marker ``browser``). Without
/usr/bin/chromium the tests skip, except under ``CI=true`` where they fail.
``test_every_page_through_the_navigation`` saves a screenshot of each page in
tests/artifacts/, or in docs/screenshots/ (the README's) with UPDATE_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from browser_support import (App, exceptions, launch_chromium, require_chromium, save_screenshot, settle, showing,
                             wait_drawn)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The README's screenshots are refreshed only on request (UPDATE_SCREENSHOTS=1), so
# an ordinary test run leaves the checkout clean; otherwise they go to tests/artifacts.
SCREENSHOTS = ROOT / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else ROOT / "tests" / "artifacts"
VIEWPORT = {"width": 1400, "height": 2400}

SEED_FILES = sorted(p for p in SEEDS.iterdir() if p.is_file())
TOTAL = len(SEED_FILES) + 1  # the seeds and the hostile article
UNDATED_SEEDS = 2            # seeds 002 and 003 carry no date
HOSTILE_DATE = "2024-03"     # later than every seed (all from 2023-09)

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
MD_LINK = "[clic](javascript:window.__pwned=3)"
JS_URL = "javascript:window.__pwned=4"


HOSTILE_PROSE = (
    "Le porte-parole du ministère a répété jeudi que les négociations avec Pyongyang se poursuivraient malgré "
    "les sanctions décidées par le Conseil de sécurité, sans donner de calendrier.",
    "Selon plusieurs diplomates en poste à Séoul, Kim Jong Un attend de Vladimir Poutine des technologies "
    "spatiales en échange de munitions livrées depuis l'automne.",
    "Les experts chargés de surveiller l'embargo disent n'avoir reçu aucune réponse des autorités russes à "
    "leurs questions écrites sur les cargaisons observées au port.",
    "Un nouveau rapport est attendu avant l'été, ont précisé des sources proches du dossier, qui redoutent "
    "un veto lors du prochain vote sur le renouvellement du mandat.",
)


def hostile_text() -> str:
    """A French article carrying markup that must never run; long enough to be analysed, and its own
    text (a paragraph taken from a seed would make it a wire copy of that seed)."""
    paragraphs = HOSTILE_PROSE
    return "\n\n".join([
        f"date {HOSTILE_DATE}",
        f"Piège {SCRIPT} dans le titre",
        f"Une image piégée {IMG} a été glissée dans ce texte par un rédacteur malveillant.",
        f"Pour en savoir plus, {MD_LINK} ou bien ouvrez {JS_URL} selon le communiqué du ministère.",
        *paragraphs,
    ]) + "\n"


# Fixtures -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A store with the seeds and the hostile article; returns (store path, article ids by file name)."""
    require_chromium()  # skip (or fail under CI) before spending time on the ingest
    from core.analysis import load_articles
    from core.ingest import ingest
    from core.store import Store

    base = tmp_path_factory.mktemp("browser")
    hostile_dir = base / "hostile"
    hostile_dir.mkdir()
    (hostile_dir / "hostile.txt").write_text(hostile_text(), encoding="utf-8")
    store = Store(base / "store")
    report = ingest([str(SEEDS), str(hostile_dir)], store)
    assert report.count("added") == TOTAL, report.outcomes
    articles = load_articles(store)
    ids = {Path(source).name: article for source, article in zip(articles["source"], articles["id"])}
    row = articles[articles["source"].str.endswith("hostile.txt")].iloc[0]
    assert row["status"] == "analysed" and row["lang"] == "fr" and row["date"] == HOSTILE_DATE
    return store.path, ids


@pytest.fixture(scope="module")
def app(corpus, tmp_path_factory):
    require_chromium()
    server = App(corpus[0], tmp_path_factory.mktemp("streamlit") / "server.log")
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (so a fresh Streamlit session) per test; records dialogs."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.dialogs = []

    def on_dialog(dialog):
        page.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()


# Helpers ------------------------------------------------------------------------

def open_app(page, app, path: str = "") -> None:
    page.goto(f"{app.url}/{path}")
    settle(page)


def navigate(page, title: str) -> None:
    """Open a page through the sidebar navigation."""
    page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]', has_text=title).click()
    page.wait_for_selector(f'h1:has-text("{title}")')
    settle(page)


def wait_for_charts(page, count: int) -> None:
    """Wait until at least ``count`` Vega-Lite charts are drawn (an SVG with plotted marks)."""
    page.wait_for_function(
        """n => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .filter(c => c.querySelector('svg.marks g.role-mark path')).length >= n""",
        arg=count, timeout=30_000)


def chart_title(page, text: str):
    """The drawn title of a chart (Vega writes it as SVG text, one element per line)."""
    return page.locator('[data-testid="stVegaLiteChart"] g.role-title text', has_text=text)


def assert_clean(page) -> None:
    """No exception box, no dialog, and nothing of the hostile article turned into live markup (any frame)."""
    assert exceptions(page) == [], "a Streamlit exception box is shown"
    assert not page.dialogs, page.dialogs
    for frame in page.frames:
        assert frame.evaluate("typeof window.__pwned") == "undefined", f"hostile markup ran in {frame.url}"
        assert frame.locator('img[src="x"]').count() == 0, "the hostile <img> is in the DOM"
        assert frame.locator("[onerror]").count() == 0, "an onerror attribute is in the DOM"
        assert frame.locator('a[href^="javascript:" i]').count() == 0, "a javascript: link is in the DOM"
        assert frame.evaluate("""() => [...document.querySelectorAll('script')]
                                  .filter(s => s.textContent.includes('__pwned')).length""") == 0


def date_segment(page, part: str, which: str):
    return page.get_by_role("spinbutton", name=f"{part}, Date range {which} date")


def set_end_date(page, year: str, month: str, day: str) -> None:
    """Type a new end date into the sidebar's date range, then leave the field so Streamlit gets it."""
    for part, value in (("day", day), ("month", month), ("year", year)):
        date_segment(page, part, "end").click()
        page.keyboard.type(value)
    page.locator("h1").first.click()  # blur: the widget sends its value
    settle(page)


def date_range_text(page) -> str:
    return re.sub(r"\s+", "", page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"] [data-testid="stDateInputField"]').inner_text())


def selectbox(page, label: str, where: str = '[data-testid="stApp"]'):
    """The combobox input of the selectbox labelled ``label``."""
    return page.locator(f'{where} [data-testid="stSelectbox"] input[role="combobox"][aria-label="{label}"]')


def choose(page, label: str, typed: str, option: str, where: str = '[data-testid="stApp"]') -> None:
    """Pick ``option`` in a selectbox by typing ``typed`` and clicking the matching option."""
    box = selectbox(page, label, where)
    box.click()
    box.fill(typed)
    page.locator('[role="option"]', has_text=option).first.click()
    settle(page)


def checkbox(page, label: str):
    return page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]', has_text=label).locator('input[type="checkbox"]')


# Tests --------------------------------------------------------------------------

PAGES = [
    # (title, url path, screenshot name, charts at least)
    ("Overview", "", "overview", 2),
    ("Entities", "entities", "entities", 4),
    ("Topics", "topics", "topics", 3),
    ("Reading pane", "reading", "reading", 0),
    ("Search", "search", "search", 0),
    ("Sanctions", "sanctions", "sanctions", 2),
    ("Quotes", "quotes", "quotes", 1),
    ("Watchlist", "watchlist", "watchlist", 0),
]


def test_every_page_through_the_navigation(page, app):
    open_app(page, app)
    nav = page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"] [data-testid="stMarkdownContainer"]').all_inner_texts()
    assert [t.strip() for t in nav] == [title for title, *_ in PAGES]
    order = PAGES[1:] + PAGES[:1]  # start on the default page, go round and come back to it
    for title, path, shot, charts in order:
        navigate(page, title)
        assert page.url.split("?")[0].rstrip("/") == f"{app.url}/{path}".rstrip("/")
        assert showing(page) == (TOTAL, TOTAL), title
        if charts:
            wait_for_charts(page, charts)
        main = page.locator('[data-testid="stMain"]')
        if title == "Overview":
            metrics = dict(zip(
                page.locator('[data-testid="stMetricLabel"]').all_inner_texts(),
                page.locator('[data-testid="stMetricValue"]').all_inner_texts()))
            assert metrics["Articles shown"] == str(TOTAL)
            assert metrics["Undated"] == str(UNDATED_SEEDS)
            assert metrics["Date coverage"] == "Sep 2023 – Mar 2024"
            assert "Articles per month" in main.inner_text() or chart_title(page, "Articles per month").count()
            assert page.locator("text=No file was rejected.").is_visible()
        elif title == "Entities":
            chart_title(page, "People").first.wait_for()
            page.locator('[data-testid="stPageLink-NavLink"]').first.wait_for()  # page links draw lazily, after the run
            assert re.search(r"\d+ sentences\s+mention this entity", main.inner_text())
        elif title == "Topics":
            assert re.search(r"The \d+ topics and their top terms", main.inner_text())
            chart_title(page, "Cosine similarity").wait_for()
            chart_title(page, "Share of each month's articles per topic").wait_for()
            assert "The articles of one topic" in main.inner_text()
        elif title == "Reading pane":
            assert page.locator(".article-text").first.inner_text().strip()
            assert "Article (newest first)" in main.inner_text()
        elif title == "Sanctions":
            chart_title(page, "Sentences with sanctions terms").wait_for()
            assert re.search(r"\d+ sentences? in category", main.inner_text())
        wait_drawn(page)
        page.wait_for_timeout(300)  # let the charts finish their transitions before the picture
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        size = save_screenshot(page, SCREENSHOTS / f"{shot}.png")
        assert size < 300_000, f"{shot}.png is {size} bytes"
        assert_clean(page)


def test_date_range_changes_the_counts(page, app):
    open_app(page, app)
    assert date_range_text(page) == "2023/09/01–2024/03/31"
    assert showing(page) == (TOTAL, TOTAL)
    set_end_date(page, "2023", "12", "31")  # drops the hostile article (March 2024)
    assert date_range_text(page) == "2023/09/01–2023/12/31"
    assert showing(page) == (TOTAL - 1, TOTAL)
    assert "to=2023-12-31" in page.url
    metrics = dict(zip(page.locator('[data-testid="stMetricLabel"]').all_inner_texts(),
                       page.locator('[data-testid="stMetricValue"]').all_inner_texts()))
    assert metrics["Articles shown"] == str(TOTAL - 1)
    checkbox(page, "Include undated articles").uncheck(force=True)  # and the undated seeds go too
    settle(page)
    assert showing(page) == (TOTAL - 1 - UNDATED_SEEDS, TOTAL)
    # the filters follow to another page
    navigate(page, "Entities")
    assert showing(page) == (TOTAL - 1 - UNDATED_SEEDS, TOTAL)
    assert date_range_text(page) == "2023/09/01–2023/12/31"
    assert_clean(page)


def test_a_typed_period_applies_on_enter(page, app):
    """Streamlit's date input commits a typed date on blur only; the period field commits on Enter."""
    open_app(page, app)
    field = page.locator('[data-testid="stSidebar"] input[aria-label="Or type a period, then Enter"]')
    field.fill("septembre 2023")
    field.press("Enter")
    settle(page)
    assert date_range_text(page) == "2023/09/01–2023/09/30"
    assert showing(page) == (TOTAL - 1, TOTAL)  # the hostile article (March 2024) is out
    assert "to=2023-09-30" in page.url
    assert field.input_value() == ""
    assert_clean(page)


def test_entity_sentence_link_opens_the_article(page, app, corpus):
    _, ids = corpus
    open_app(page, app)
    navigate(page, "Entities")
    name = selectbox(page, "Entity", '[data-testid="stMain"]').first.input_value()
    assert name == "Kim Jong Un"  # the most mentioned entity in the seeds
    links = page.locator('[data-testid="stPageLink-NavLink"]')
    links.first.wait_for()  # page links draw lazily, after the run
    page.wait_for_timeout(300)
    by_article = {}
    for index in range(links.count()):
        href = links.nth(index).get_attribute("href")
        if not re.match(r"(.*/)?reading\b", href):
            continue  # the link to the entity's quotes
        found = re.search(r"[?&]reading\.article=([0-9a-f]+)", href)
        assert found, "a sentence link without an article"
        by_article.setdefault(found.group(1), index)
    assert set(by_article) <= set(ids.values())
    # follow the first link into a seed article (the hostile one has its own test)
    article = next(a for a in by_article if a != ids["hostile.txt"])
    source = next(file for file, value in ids.items() if value == article)
    link = links.nth(by_article[article])
    label = link.inner_text().strip()
    link.click()
    page.wait_for_selector('h1:has-text("Reading pane")')
    settle(page)
    assert page.url.split("?")[0] == f"{app.url}/reading"
    assert f"reading.article={article}" in page.url
    main = page.locator('[data-testid="stMain"]')
    assert source in main.inner_text()  # the metadata block names the file
    chosen = selectbox(page, "Article (newest first)").input_value()
    assert chosen and label.split("\n")[-1].startswith(chosen), (label, chosen)
    # the entity is marked in the article text
    marks = page.locator(".article-text mark.entity").evaluate_all("ms => ms.map(m => m.title)")
    assert any(title.startswith(f"{name} (") for title in marks), marks
    assert_clean(page)


def test_similar_article_button_opens_that_article(page, app, corpus):
    _, ids = corpus
    first = next(article for name, article in ids.items() if name.startswith("000"))
    open_app(page, app, f"reading?reading.article={first}")
    button = page.locator('[data-testid="stMain"] button', has_text="(similarity ").first
    button.wait_for()
    label = button.inner_text()
    button.click()
    page.wait_for_function("first => !location.search.includes('article=' + first)", arg=first)
    settle(page)
    target = re.search(r"[?&]reading\.article=([0-9a-f]+)", page.url).group(1)
    assert target != first and target in ids.values()
    chosen = selectbox(page, "Article (newest first)").input_value()
    assert chosen and chosen.split(" · ")[-1] in label, (chosen, label)
    source = next(name for name, value in ids.items() if value == target)
    assert source in page.locator('[data-testid="stMain"]').inner_text()
    assert_clean(page)


def test_copied_url_shows_the_same_filters(page, app, browser):
    open_app(page, app)
    navigate(page, "Entities")
    set_end_date(page, "2023", "12", "31")
    checkbox(page, "Fold wire copies and duplicates").uncheck(force=True)
    settle(page)
    choose(page, "Articles mentioning", "Peskov", "Dmitri Peskov", '[data-testid="stSidebar"]')
    expected_showing = showing(page)
    assert expected_showing[0] < TOTAL
    url = page.url
    assert "/entities?" in url
    for param in ("to=2023-12-31", "filters.fold_wire=false", "filters.entity=Dmitri+Peskov"):
        assert param in url, (param, url)

    other = browser.new_context(viewport=VIEWPORT)  # a colleague's browser: a new session
    try:
        copy = other.new_page()
        copy.dialogs = []
        copy.on("dialog", lambda d: (copy.dialogs.append(d.message), d.dismiss()))
        copy.goto(url)
        settle(copy)
        assert copy.locator("h1").first.inner_text().strip() == "Entities"
        assert date_range_text(copy) == "2023/09/01–2023/12/31"
        assert not checkbox(copy, "Fold wire copies and duplicates").is_checked()
        assert checkbox(copy, "Include undated articles").is_checked()
        assert selectbox(copy, "Articles mentioning", '[data-testid="stSidebar"]').input_value() == "Dmitri Peskov"
        assert showing(copy) == expected_showing
        settle(copy)
        assert copy.url == url  # the app keeps the URL it was opened with
        assert_clean(copy)
    finally:
        other.close()


def test_reset_filters_resets_every_filter_and_its_url(page, app):
    open_app(page, app)
    checkbox(page, "Fold wire copies and duplicates").uncheck(force=True)
    settle(page)
    choose(page, "Articles mentioning", "Peskov", "Dmitri Peskov", '[data-testid="stSidebar"]')
    assert showing(page)[0] < TOTAL and "filters.entity=" in page.url
    page.locator('[data-testid="stSidebar"] button', has_text="Reset filters").click()
    settle(page)
    assert showing(page) == (TOTAL, TOTAL)
    assert checkbox(page, "Fold wire copies and duplicates").is_checked()
    assert selectbox(page, "Articles mentioning", '[data-testid="stSidebar"]').input_value() == "any entity"
    assert "filters." not in page.url
    assert_clean(page)


def test_hostile_article_shows_literally_and_runs_nothing(page, app, corpus):
    _, ids = corpus
    open_app(page, app)
    navigate(page, "Reading pane")
    choose(page, "Article (newest first)", "Piège", "Piège")
    assert f"reading.article={ids['hostile.txt']}" in page.url
    main = page.locator('[data-testid="stMain"]')
    text = main.inner_text()
    assert "hostile.txt" in text
    body = page.locator(".article-text").first
    body_text = body.inner_text()
    for literal in (SCRIPT, IMG, MD_LINK, JS_URL):
        assert literal in body_text, literal
    page.get_by_text("<script>", exact=False).first.wait_for()
    assert page.get_by_text("onerror", exact=False).first.is_visible()
    # the title (a heading) shows the tag as text too
    assert any(SCRIPT in h for h in page.locator("h3").all_inner_texts())

    assert_clean(page)
    # the raw text as read from the file
    page.locator('[data-testid="stMain"]').get_by_role("radio", name="raw", exact=True).click()
    settle(page)
    assert "reading.version=raw" in page.url  # written by the widget's own binding
    raw = page.locator(".article-text").first.inner_text()
    for literal in (SCRIPT, IMG, MD_LINK, JS_URL):
        assert literal in raw, literal
    assert_clean(page)
    # a concordance search for the tag
    page.get_by_label("Keyword").fill("onerror")
    page.get_by_label("Keyword").press("Enter")
    settle(page)
    assert page.locator("table.kwic").inner_text().count("onerror") == 1
    assert_clean(page)
    page.wait_for_timeout(1000)  # give any stray handler time to fire
    assert_clean(page)


def test_hostile_title_in_a_chart_shows_literally(page, app):
    """Chart labels and tooltips carry article titles: Vega draws them as text and
    escapes its tooltip, so the hostile title's tag is shown and nothing runs."""
    open_app(page, app)
    navigate(page, "Topics")
    wait_for_charts(page, 2)
    chart = page.locator('[data-testid="stVegaLiteChart"]', has=page.locator("g.role-title text", has_text="Topic share"))
    labels = chart.locator("g.role-axis-label text").all_text_contents()
    assert any(label.startswith("Piège <script>") for label in labels), labels
    tooltip = page.locator("#vg-tooltip-element")
    cells = chart.locator("g.mark-rect.role-mark path")
    for i in range(cells.count()):
        cells.nth(i).hover(force=True)  # at the cell's centre, on its written value
        page.wait_for_timeout(50)
        if "Piège" in tooltip.inner_text():
            break
    else:
        pytest.fail("no cell of the topic heatmap shows the hostile article in its tooltip")
    assert f"Piège {SCRIPT}" in tooltip.inner_text()  # the label, shortened by the app
    assert tooltip.locator("script").count() == 0
    assert_clean(page)


def test_watchlist_upload_marks_the_entity_everywhere(page, app, tmp_path):
    """A list uploaded in the browser matches a seed entity, whose bar on the Entities page then carries
    the mark; the list's own fields (here a hostile programme) show literally."""
    import csv

    listed = tmp_path / "screening.csv"
    with open(listed, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["name", "id", "list"], ["KIM Jong Un", "W-9", f"Programme {IMG}"]])
    open_app(page, app, "watchlist")
    assert "No watchlist yet" in page.locator('[data-testid="stMain"]').inner_text()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(listed))
    settle(page)
    page.get_by_role("button", name="Add list").click()
    settle(page)
    main = page.locator('[data-testid="stMain"]')
    assert "watchlist 'screening' (CSV): 1 entry; 1 match with the corpus's entities" in main.inner_text()
    assert "To review: KIM Jong Un (list screening · id W-9), matched as “KIM Jong Un”" in main.inner_text()
    assert f"Programme {IMG}" in main.inner_text()  # shown as text
    assert "private copy" in page.locator('[data-testid="stSidebar"]').inner_text()
    navigate(page, "Entities")
    wait_for_charts(page, 4)
    people = page.locator('[data-testid="stVegaLiteChart"]', has=page.locator("g.role-title text", has_text="People"))
    assert "Kim Jong Un ⚐" in people.first.locator("g.role-axis-label text").all_text_contents()
    assert_clean(page)


def test_clicking_the_network_lists_the_sentences_behind_it(page, app):
    open_app(page, app, "entities")
    wait_for_charts(page, 5)
    chart = page.locator('[data-testid="stVegaLiteChart"]', has=page.locator("g.role-title text", has_text="Entities linked"))
    chart.scroll_into_view_if_needed()
    nodes = chart.locator("g.mark-symbol.role-mark").last.locator("path")
    tooltip = page.locator("#vg-tooltip-element")
    for i in range(nodes.count()):
        nodes.nth(i).hover(force=True)
        page.wait_for_timeout(50)
        if tooltip.inner_text().startswith("Entity") and "Vladimir Poutine" in tooltip.inner_text():
            box = nodes.nth(i).bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            break
    else:
        pytest.fail("no node of the network is Vladimir Poutine")
    settle(page)
    assert "entities.link=node%3AVladimir+Poutine" in page.url
    assert selectbox(page, "Sentences behind", '[data-testid="stMain"]').input_value().startswith("Vladimir Poutine (")
    # the keyboard path still works after a click: the click is not applied again
    choose(page, "Sentences behind", "Russie (", "Russie (", '[data-testid="stMain"]')
    assert selectbox(page, "Sentences behind", '[data-testid="stMain"]').input_value().startswith("Russie (")
    assert "entities.link=node%3ARussie" in page.url
    assert_clean(page)


def _click_mark(page, chart, marks: str, wanted) -> str:
    """Hover the chart's marks until the tooltip satisfies ``wanted``, click that mark, return the tooltip."""
    tooltip = page.locator("#vg-tooltip-element")
    items = chart.locator(marks)
    for i in range(items.count()):
        items.nth(i).hover(force=True)
        page.wait_for_timeout(50)
        text = tooltip.inner_text()
        if wanted(text):
            box = items.nth(i).bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            settle(page)
            return text
    pytest.fail("no mark of the chart has the tooltip wanted")


def test_clicking_a_sanctions_cell_or_an_entity_bar_opens_its_sentences(page, app):
    open_app(page, app, "sanctions")
    wait_for_charts(page, 2)
    heatmap = page.locator('[data-testid="stVegaLiteChart"]', has=page.locator("g.role-title text", has_text="Sentences with sanctions terms"))
    tip = _click_mark(page, heatmap, "g.mark-rect.role-mark path",
                      lambda text: "Violations" in text and re.search(r"Sentences\s*[1-9]", text) is not None)
    main = '[data-testid="stMain"]'
    assert selectbox(page, "Category (row)", main).input_value().startswith("Violations")
    count = re.search(r"Sentences\s*(\d+)", tip).group(1)
    assert re.search(rf"\b{count} sentences? in category", page.locator(main).inner_text())
    assert "sanctions.category=violations" in page.url  # kept by hand: the category's key, not its label
    navigate(page, "Entities")
    wait_for_charts(page, 4)
    people = page.locator('[data-testid="stVegaLiteChart"]', has=page.locator("g.role-title text", has_text="People"))
    _click_mark(page, people.first, "g.mark-rect.role-mark path", lambda text: "Sergueï Choïgou" in text)
    assert selectbox(page, "Entity", main).first.input_value() == "Sergueï Choïgou"
    assert "entities.entity=Serg" in page.url
    # another entity chosen in the box, then the same bar clicked again: the bar's entity again
    box = selectbox(page, "Entity", main).first  # the entity in context (the edit tools have their own)
    box.click()
    box.fill("Peskov")
    page.locator('[role="option"]', has_text="Dmitri Peskov").first.click()
    settle(page)
    assert selectbox(page, "Entity", main).first.input_value() == "Dmitri Peskov"
    wait_for_charts(page, 4)
    people = page.locator('[data-testid="stVegaLiteChart"]', has=page.locator("g.role-title text", has_text="People"))
    _click_mark(page, people.first, "g.mark-rect.role-mark path", lambda text: "Sergueï Choïgou" in text)
    assert selectbox(page, "Entity", main).first.input_value() == "Sergueï Choïgou"
    assert_clean(page)
