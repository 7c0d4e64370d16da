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


def test_render_plot_text_escapes_plotly_html():
    from ui.render import plot_text

    assert plot_text('<a href="javascript:x">t</a>') == "&lt;a href=&quot;javascript:x&quot;&gt;t&lt;/a&gt;"


def test_charts_escape_article_derived_labels():
    import pandas as pd

    from ui import charts

    table = pd.DataFrame({"name": ["<b>Kim</b>"], "label": ["PER"], "mentions": [3], "articles": [1], "forms": ["<i>Kim</i> (3)"]})
    figure = charts.ranked_bars(table, "Mentions <of> people")
    assert list(figure.data[0].y) == ["&lt;b&gt;Kim&lt;/b&gt;"]
    assert figure.data[0].customdata[0][1] == "&lt;i&gt;Kim&lt;/i&gt; (3)"
    assert figure.layout.title.text == "Mentions &lt;of&gt; people"
    matrix = pd.DataFrame([[1]], index=["<script>"], columns=["x"])
    assert list(charts.heatmap(matrix, "t", "X", "Y", "n").data[0].y) == ["&lt;script&gt;"]
