"""HTML for article text: highlighted entities, marked sanctions terms, concordance lines.

Pure functions returning strings; no streamlit here. Every piece of
article-derived text goes through :func:`html.escape` before it is wrapped in
markup, so a title or sentence holding ``<script>`` is shown, never run.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

ENTITY_COLOURS = {
    "PER": "#fde68a",   # amber
    "LOC": "#bfdbfe",   # blue
    "ORG": "#bbf7d0",   # green
    "MISC": "#e9d5ff",  # violet
}
ENTITY_LABELS = {"PER": "person", "LOC": "place", "ORG": "organisation", "MISC": "other"}
SANCTIONS_STYLE = "border-bottom:3px solid #dc2626;font-weight:600"
TEXT_STYLE = "white-space:pre-wrap;line-height:1.6;font-size:1rem"


def escape(value) -> str:
    """Escape any value for HTML text or attribute use (None and NaN become an empty string)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<&$:])")


def markdown_literal(value) -> str:
    """Article-derived text for a Markdown element (st.markdown, st.subheader): every
    Markdown character escaped, so ``[x](javascript:...)`` shows literally."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(value))


def highlight(text: str, entities: Iterable[tuple[int, int, str, str]] = (), terms: Iterable[tuple[int, int, str]] = (),
              offset: int = 0) -> str:
    """``text`` as escaped HTML with entity mentions and sanctions terms marked.

    ``entities`` are ``(start, end, label, entity name)`` and ``terms`` are
    ``(start, end, category)``, with offsets into the text ``text`` was cut
    from; ``offset`` is where ``text`` starts there. Overlapping marks are
    handled by cutting the text at every boundary, so tags always nest.
    """
    length = len(text)
    entity_spans = [(max(0, s - offset), min(length, e - offset), label, name) for s, e, label, name in entities]
    term_spans = [(max(0, s - offset), min(length, e - offset), category) for s, e, category in terms]
    entity_spans = [span for span in entity_spans if span[0] < span[1]]
    term_spans = [span for span in term_spans if span[0] < span[1]]
    cuts = sorted({0, length, *(p for s in entity_spans for p in s[:2]), *(p for s in term_spans for p in s[:2])})
    pieces = []
    for start, end, entity, term in zip(cuts, cuts[1:], _covering(entity_spans, cuts), _covering(term_spans, cuts)):
        chunk = escape(text[start:end])
        if term is not None:
            chunk = f'<span class="sanctions-term" title="{escape(term[2])}" style="{SANCTIONS_STYLE}">{chunk}</span>'
        if entity is not None:
            colour = ENTITY_COLOURS.get(entity[2], "#e5e7eb")
            chunk = (f'<mark class="entity entity-{escape(entity[2])}" title="{escape(entity[3])} ({escape(entity[2])})" '
                     f'style="background:{colour};padding:0 2px;border-radius:3px">{chunk}</mark>')
        pieces.append(chunk)
    return "".join(pieces)


def _covering(spans: list[tuple], cuts: list[int]) -> list[tuple | None]:
    """For each piece between two cuts, the first of ``spans`` (in their order) that covers it.
    One sweep over the spans sorted by start: the work grows with the marks, not their square."""
    by_start = sorted(range(len(spans)), key=lambda i: spans[i][0])
    covering, active, next_span = [], [], 0
    for start, end in zip(cuts, cuts[1:]):
        while next_span < len(by_start) and spans[by_start[next_span]][0] <= start:
            active.append(by_start[next_span])
            next_span += 1
        active = [i for i in active if spans[i][1] >= end]  # the cuts hold every end: the others ended
        covering.append(spans[min(active)] if active else None)
    return covering


def article_html(text: str, entities=(), terms=()) -> str:
    """A whole article body, line breaks kept, marks applied."""
    return f'<div class="article-text" style="{TEXT_STYLE}">{highlight(text, entities, terms)}</div>'


def sentence_html(text: str, start: int, end: int, spans: Iterable[tuple[int, int]], kind: str = "entity") -> str:
    """The sentence ``text[start:end]`` with the given spans marked (``kind``: ``entity`` or ``term``)."""
    sentence = text[start:end]
    if kind == "term":
        body = highlight(sentence, terms=[(s, e, "sanctions") for s, e in spans], offset=start)
    else:
        body = highlight(sentence, entities=[(s, e, "MATCH", "") for s, e in spans], offset=start)
    return f'<div class="sentence" style="line-height:1.5">{body}</div>'


def legend_html(labels: Iterable[str] = ("PER", "LOC", "ORG", "MISC"), with_terms: bool = True) -> str:
    """A colour key for the highlighted text."""
    items = [
        f'<mark style="background:{ENTITY_COLOURS.get(label, "#e5e7eb")};padding:0 4px;border-radius:3px">'
        f'{escape(ENTITY_LABELS.get(label, label))}</mark>'
        for label in labels
    ]
    if with_terms:
        items.append(f'<span style="{SANCTIONS_STYLE}">sanctions term</span>')
    return '<div class="legend">' + " &nbsp; ".join(items) + "</div>"


def kwic_html(rows: Iterable[dict]) -> str:
    """Concordance lines (``left``, ``match``, ``right``) as a right/centre/left aligned table."""
    lines = []
    for row in rows:
        lines.append(
            "<tr>"
            f'<td style="text-align:right;white-space:nowrap;padding:0 4px">{escape(row["left"])}</td>'
            f'<td style="font-weight:700;background:#fef08a;white-space:nowrap">{escape(row["match"])}</td>'
            f'<td style="text-align:left;white-space:nowrap;padding:0 4px">{escape(row["right"])}</td>'
            "</tr>"
        )
    return ('<div style="overflow-x:auto"><table class="kwic" style="font-family:monospace;font-size:0.9rem;border:none">'
            + "".join(lines) + "</table></div>")
