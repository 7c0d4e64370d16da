"""Plotly figures the pages draw, built with ``graph_objects``.

``plotly.express`` costs 25-40 ms a figure in validation alone (measured:
``px.bar`` 42 ms against 3 ms for the same ``go.Bar``), which is most of a warm
page run. Every label that may come from an article (entity names, titles,
surface forms) is escaped here, since Plotly reads a subset of HTML in strings.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.render import plot_text

LABEL_COLOURS = {"PER": "#dc2626", "LOC": "#2563eb", "ORG": "#059669", "MISC": "#7c3aed"}
LABEL_NAMES = {"PER": "People", "LOC": "Places", "ORG": "Organisations", "MISC": "Other"}


def _figure(traces: list, title: str, x_title: str, y_title: str, xaxis: dict | None = None,
            yaxis: dict | None = None, **extra) -> go.Figure:
    """A figure built in one call: layout given as a dict at construction is validated
    once (``update_layout``/``update_yaxes`` afterwards cost 5-8 times more)."""
    layout = {
        "title": {"text": plot_text(title)},
        "xaxis": {"title": {"text": x_title}, **(xaxis or {})},
        "yaxis": {"title": {"text": y_title}, **(yaxis or {})},
        "margin": {"l": 0, "r": 0, "t": 48, "b": 0},
        **extra,
    }
    return go.Figure(data=traces, layout=layout)


def ranked_bars(table: pd.DataFrame, title: str, by_label: bool = False) -> go.Figure:
    """Horizontal bars of ``mentions`` per ``name`` (most first, at the top).

    Hover shows the articles count and the surface forms; with ``by_label``
    one colour (and legend entry) per entity label.
    """
    ordered = table.iloc[::-1]
    groups = ordered.groupby("label", sort=False, observed=True) if by_label else [(None, ordered)]
    traces = []
    for label, rows in groups:
        colour_label = label if label else (rows["label"].iloc[0] if len(rows) and rows["label"].nunique() == 1 else None)
        traces.append(go.Bar(
            x=rows["mentions"].tolist(), y=[plot_text(n) for n in rows["name"]], orientation="h",
            name=LABEL_NAMES.get(label, label) if label else "Mentions",
            marker_color=LABEL_COLOURS.get(colour_label, "#1d4ed8"),
            customdata=[[int(a), plot_text(f)] for a, f in zip(rows["articles"], rows["forms"])],
            hovertemplate="<b>%{y}</b><br>%{x} mentions in %{customdata[0]} articles<br>forms: %{customdata[1]}<extra></extra>",
        ))
    return _figure(traces, title, "Mentions", "",
                   yaxis={"type": "category", "categoryorder": "array", "categoryarray": [plot_text(n) for n in ordered["name"]]},
                   height=120 + 24 * len(table), showlegend=by_label, barmode="stack")


def column_bars(frame: pd.DataFrame, x: str, y: str, title: str, x_title: str, y_title: str,
                group: str | None = None) -> go.Figure:
    """Vertical bars of ``y`` per category ``x`` (one trace per ``group`` value when given)."""
    groups = frame.groupby(group, sort=False, observed=True) if group else [(None, frame)]
    traces = [
        go.Bar(
            x=rows[x].tolist(), y=rows[y].tolist(), name=plot_text(name) if name is not None else y_title,
            hovertemplate="%{x}: %{y}" + (f" ({plot_text(name)})" if name is not None else "") + "<extra></extra>",
        )
        for name, rows in groups
    ]
    return _figure(traces, title, x_title, y_title, xaxis={"type": "category"}, barmode="group", showlegend=group is not None)


def heatmap(matrix: pd.DataFrame, title: str, x_title: str, y_title: str, colour_title: str,
            colourscale: str = "Blues", number_format: str = "d", zmin: float | None = None,
            zmax: float | None = None, show_values: bool = True) -> go.Figure:
    """A heatmap of a labelled matrix, each cell's value written on it and in its hover."""
    x = [plot_text(c) for c in matrix.columns]
    y = [plot_text(i) for i in matrix.index]
    value = "%{z:" + number_format + "}" if number_format != "d" else "%{z}"
    trace = go.Heatmap(
        z=matrix.to_numpy(), x=x, y=y, colorscale=colourscale, zmin=zmin, zmax=zmax,
        colorbar={"title": {"text": colour_title}},
        texttemplate=value if show_values else None,
        hovertemplate=f"{y_title}: %{{y}}<br>{x_title}: %{{x}}<br>{colour_title}: {value}<extra></extra>",
    )
    # a row tall enough to read its label and value, whatever the number of rows
    return _figure([trace], title, x_title, y_title, xaxis={"type": "category"},
                   yaxis={"type": "category", "autorange": "reversed"}, height=max(400, 260 + 28 * len(y)))
