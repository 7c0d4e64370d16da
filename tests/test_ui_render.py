"""ui.render: exact HTML, and article text always escaped."""

from ui import render

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def test_render_highlight_marks_entities_and_terms():
    html = render.highlight("Kim et Poutine", [(0, 3, "PER", "Kim Jong Un")], [(7, 14, "sanctions")])
    assert html == (
        '<mark class="entity entity-PER" title="Kim Jong Un (PER)" '
        'style="background:#fde68a;padding:0 2px;border-radius:3px">Kim</mark> et '
        '<span class="sanctions-term" title="sanctions" style="border-bottom:3px solid #dc2626;font-weight:600">Poutine</span>'
    )


def test_render_highlight_escapes_text_and_titles():
    text = f"{SCRIPT} {IMG} Kim"
    html = render.highlight(text, [(len(text) - 3, len(text), "PER", IMG)], [(0, 8, "arms")])
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'title="&lt;img src=x onerror=alert(1)&gt; (PER)"' in html


def test_render_highlight_overlapping_marks_nest():
    html = render.highlight("abcdef", [(0, 4, "LOC", "x")], [(2, 6, "arms")])
    assert html.count("<mark") == 2 and html.count("</mark>") == 2
    assert html.count('<span class="sanctions-term"') == 2
    assert render.highlight("a<b", [], []) == "a&lt;b"


def test_render_sentence_html_uses_offsets_into_the_article():
    text = "Intro. Le <b>Kremlin</b> dit non."
    html = render.sentence_html(text, 7, len(text), [(13, 20)], kind="term")
    assert html == ('<div class="sentence" style="line-height:1.5">Le &lt;b&gt;'
                    '<span class="sanctions-term" title="sanctions" style="border-bottom:3px solid #dc2626;font-weight:600">Kremlin</span>'
                    '&lt;/b&gt; dit non.</div>')


def test_render_kwic_html_escapes_every_cell():
    html = render.kwic_html([{"left": SCRIPT, "match": IMG, "right": "&"}])
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp;" in html


def test_render_article_html_keeps_line_breaks_and_escapes():
    html = render.article_html(f"line one\n{SCRIPT}")
    assert html == ('<div class="article-text" style="white-space:pre-wrap;line-height:1.6;font-size:1rem">'
                    "line one\n&lt;script&gt;alert(1)&lt;/script&gt;</div>")


def test_render_escape_handles_missing_values():
    assert render.escape(None) == ""
    assert render.escape(float("nan")) == ""
    assert render.escape('"q"') == "&quot;q&quot;"


def test_render_markdown_literal_escapes_links_and_emphasis():
    from ui.render import markdown_literal

    assert markdown_literal("[clic](javascript:alert(1)) *x*") == r"\[clic\]\(javascript\:alert\(1\)\) \*x\*"
    assert markdown_literal(None) == ""


def test_charts_keep_article_text_as_data_under_fixed_field_names():
    """Vega draws labels as text and escapes its tooltips, so names stay exactly as written
    (escaping them would show "&lt;" to the analyst), and only this module names fields."""
    import pandas as pd

    from ui import charts

    table = pd.DataFrame({"name": ["<b>Kim</b>", "a.b[0]"], "label": ["PER", "LOC"], "mentions": [3, 2],
                          "articles": [1, 1], "forms": ["<i>Kim</i> (3)", "a.b[0] (2)"]})
    chart = charts.ranked_bars(table, "Mentions <of> people", by_label=True)
    assert chart.data["name"].tolist() == ["<b>Kim</b>", "a.b[0]"]
    assert chart.data["forms"].tolist() == ["<i>Kim</i> (3)", "a.b[0] (2)"]
    assert chart.spec["title"]["text"] == ["Mentions <of> people"]
    assert chart.spec["encoding"]["y"]["sort"] == ["<b>Kim</b>", "a.b[0]"]  # most mentioned at the top
    assert chart.spec["encoding"]["color"]["scale"] == {"domain": ["People", "Places"], "range": ["#dc2626", "#2563eb"]}
    fields = {t["field"] for t in chart.spec["encoding"]["tooltip"]}
    assert fields <= set(chart.data.columns) and fields.isdisjoint(table["name"])

    matrix = pd.DataFrame([[1, 0], [2, 5]], index=["<script>", "r.2"], columns=["x[1]", "y"])
    heat = charts.heatmap(matrix, "t", "X", "Y", "n")
    assert set(heat.data.columns) == {"row", "column", "value"}
    assert heat.data.to_dict("records") == [
        {"row": "<script>", "column": "x[1]", "value": 1}, {"row": "<script>", "column": "y", "value": 0},
        {"row": "r.2", "column": "x[1]", "value": 2}, {"row": "r.2", "column": "y", "value": 5}]
    assert heat.spec["encoding"]["y"]["sort"] == ["<script>", "r.2"]
    assert heat.spec["encoding"]["x"]["sort"] == ["x[1]", "y"]
    colour = heat.spec["layer"][0]["encoding"]["color"]
    assert colour["scale"] == {"scheme": "blues", "domain": [0.0, 5.0]}
    assert heat.spec["layer"][1]["encoding"]["color"]["condition"]["test"] == "datum.value > 2.5"


def test_chart_titles_wrap_and_month_bars_keep_their_order():
    import pandas as pd

    from ui import charts

    frame = pd.DataFrame({"label": ["Sep 2023", "Mar 2024", "undated", "Sep 2023"], "mentions": [4, 1, 2, 3],
                          "entity": ["Kim", "Kim", "Kim", "Poutine"]})
    chart = charts.column_bars(frame, "label", "mentions", "Mentions per month of the chosen entities (undated as its own bar)",
                               "Month", "Mentions", group="entity")
    assert chart.spec["encoding"]["x"]["sort"] == ["Sep 2023", "Mar 2024", "undated"]
    assert chart.spec["encoding"]["xOffset"]["sort"] == ["Kim", "Poutine"]
    assert chart.spec["encoding"]["y"]["axis"] == charts.COUNT_AXIS
    title = chart.spec["title"]["text"]
    assert len(title) == 2 and all(len(line) <= charts.TITLE_WIDTH for line in title)
    assert " ".join(title) == "Mentions per month of the chosen entities (undated as its own bar)"


def test_heatmap_colour_range_leaves_out_missing_and_infinite_values():
    import json

    import numpy as np
    import pandas as pd

    from ui import charts

    matrix = pd.DataFrame([[np.nan, 2.0], [np.inf, 6.0]], index=["a", "b"], columns=["x", "y"])
    chart = charts.heatmap(matrix, "t", "X", "Y", "per 1,000 words", number_format=".2f")
    assert chart.spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == [2.0, 6.0]
    assert chart.spec["layer"][1]["encoding"]["color"]["condition"]["test"] == "datum.value > 4.0"
    json.dumps(chart.spec, allow_nan=False)  # what the browser receives is valid JSON
    empty = charts.heatmap(pd.DataFrame([[np.nan]], index=["a"], columns=["x"]), "t", "X", "Y", "n")
    assert "domain" not in empty.spec["layer"][0]["encoding"]["color"]["scale"]
    json.dumps(empty.spec, allow_nan=False)


def test_a_quote_from_an_article_is_escaped_where_it_is_marked():
    text = f"« {SCRIPT} et {IMG} », a déclaré X."
    html = render.sentence_html(text, 0, len(text), [(2, text.index(" »"))], kind="quote")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_highlight_marks_each_piece_with_the_first_span_covering_it_among_overlaps():
    # random overlapping entity and term spans: each character is marked by the first span (in
    # input order) that covers it, as a plain reading of the spans says
    import random
    import re

    from ui.render import highlight

    rng = random.Random(3)
    text = "".join(rng.choice("abcdefgh ") for _ in range(400))
    entities = []
    for index in range(60):
        start = rng.randrange(390)
        entities.append((start, start + rng.randint(1, 30), rng.choice(["PER", "LOC"]), f"e{index}"))
    terms = [(s, s + rng.randint(1, 12), f"c{i}") for i, s in enumerate(rng.sample(range(390), 30))]
    marked = highlight(text, entities, terms)

    def first(spans, position):
        return next((span for span in spans if span[0] <= position < span[1]), None)

    # walk the HTML: the innermost entity title and term title around each character
    position, entity_name, term_name = 0, [], []
    for token in re.findall(r"<mark [^>]*>|</mark>|<span [^>]*>|</span>|&[a-z#0-9]+;|[^<&]", marked):
        if token.startswith("<mark"):
            entity_name.append(re.search(r'title="(e\d+) ', token).group(1))
        elif token == "</mark>":
            entity_name.pop()
        elif token.startswith("<span"):
            term_name.append(re.search(r'title="(c\d+)"', token).group(1))
        elif token == "</span>":
            term_name.pop()
        else:
            expected_entity, expected_term = first(entities, position), first(terms, position)
            assert (entity_name[-1] if entity_name else None) == (expected_entity[3] if expected_entity else None)
            assert (term_name[-1] if term_name else None) == (expected_term[2] if expected_term else None)
            position += 1
    assert position == len(text)
