"""The reading pane: wire-copy groups, keyword in context, the lines cleaning removed."""

from __future__ import annotations

import json
import re

import pandas as pd

from core.views.articles import date_label, is_present


def wire_groups(articles: pd.DataFrame) -> pd.DataFrame:
    """Groups of articles sharing a wire story or exact text. Columns: group, article, source, date, role."""
    columns = ["group", "article", "source", "date", "role"]
    rows = []
    exact = articles[articles["duplicate_of"].notna() & articles["wire_group"].isna()]
    copied = set(exact["duplicate_of"])
    for row in articles.itertuples(index=False):
        group = row.wire_group if is_present(row.wire_group) else None
        if group is None and row.id in copied:
            group = f"exact:{row.id}"
        if group is None and is_present(row.duplicate_of):
            group = f"exact:{row.duplicate_of}"
        if group is None:
            continue
        role = f"copy of {row.duplicate_of}" if is_present(row.duplicate_of) else "first seen"
        rows.append({"group": str(group), "article": row.id, "source": row.source, "date": date_label(row.date), "role": role})
    return pd.DataFrame(rows, columns=columns).sort_values(["group", "role"], ascending=[True, False]).reset_index(drop=True) if rows else pd.DataFrame(columns=columns)


def kwic(text: str, keyword: str, window: int = 60) -> pd.DataFrame:
    """Keyword in context: every case-insensitive occurrence of ``keyword`` in ``text``.

    Columns: start, end (offsets of the match), left, match, right (up to
    ``window`` characters each side, line breaks shown as spaces).
    """
    columns = ["start", "end", "left", "match", "right"]
    keyword = keyword.strip()
    if not keyword or not text:
        return pd.DataFrame(columns=columns)
    from core.search import in_context

    spans = [(found.start(), found.end()) for found in re.finditer(re.escape(keyword), text, flags=re.IGNORECASE)]
    return pd.DataFrame(in_context(text, spans, window), columns=columns)


def removed_lines(removed: str | None) -> pd.DataFrame:
    """The lines cleaning removed (from the ``removed`` JSON column). Columns: line, rule."""
    items = json.loads(removed) if is_present(removed) else []
    return pd.DataFrame(items, columns=["line", "rule"])
