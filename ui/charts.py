"""Vega-Lite charts the pages draw: a long-form table and a spec, no plotting library.

Streamlit draws Vega-Lite with a 0.8 MB script, against 4.7 MB for plotly.js,
which took about 2 s of a cold start in the browser (``bench/RESULTS.md``).
Article-derived text (entity names, titles, surface forms) is only ever a data
value or a title here: Vega draws it as text on a canvas and its tooltips
escape HTML, so nothing in it is read as markup. Field names are fixed by this
module, never taken from the data, since Vega-Lite reads dots and brackets in
a field name as a path.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd

LABEL_COLOURS = {"PER": "#dc2626", "LOC": "#2563eb", "ORG": "#059669", "MISC": "#7c3aed"}
LABEL_NAMES = {"PER": "People", "LOC": "Places", "ORG": "Organisations", "MISC": "Other"}
BAR_COLOUR = "#1d4ed8"
TITLE_WIDTH = 60  # characters per title line: titles wrap instead of being cut at the chart's edge
COMPACT_TITLE_WIDTH = 26  # for charts side by side (four across the page)
LABEL_LIMIT, COMPACT_LABEL_LIMIT = 240, 150  # pixels of an axis label before it is cut with an ellipsis
COUNT_AXIS = {"tickMinStep": 1, "format": ",d"}  # counts: whole ticks, written in full ("," alone gave "2e+1")


@dataclass(frozen=True)
class Chart:
    """What ``st.vega_lite_chart`` draws: ``spec`` reads its fields from ``data``."""

    title: str
    data: pd.DataFrame
    spec: dict


def _spec(title: str, compact: bool = False, **parts) -> dict:
    return {
        "title": {"text": textwrap.wrap(title, COMPACT_TITLE_WIDTH if compact else TITLE_WIDTH) or [""], "anchor": "start"},
        "config": {"axis": {"labelLimit": COMPACT_LABEL_LIMIT if compact else LABEL_LIMIT}},
        **parts,
    }


def _order(values) -> list:
    """The distinct values in their first order, as plain Python values for the spec."""
    return [v.item() if hasattr(v, "item") else v for v in pd.unique(pd.Series(values, dtype=object))]


def ranked_bars(table: pd.DataFrame, title: str, by_label: bool = False, compact: bool = False,
                select: str | None = None) -> Chart:
    """Horizontal bars of ``mentions`` per ``name``, in the table's order (most first, at the top).

    The tooltip shows the articles count and the surface forms; with
    ``by_label`` one colour (and legend entry) per entity label; ``compact``
    for a narrow column (shorter title lines and labels); ``select`` names a
    point selection of a bar (its ``name``), for a chart drawn with ``on_select``.
    """
    data = pd.DataFrame({
        "name": table["name"].astype(str).to_numpy(),
        "kind": [LABEL_NAMES.get(label, label) for label in table["label"]],
        "mentions": table["mentions"].astype(int).to_numpy(),
        "articles": table["articles"].astype(int).to_numpy(),
        "forms": table["forms"].astype(str).to_numpy(),
    })
    kinds = [k for k in LABEL_NAMES if LABEL_NAMES[k] in set(data["kind"])]
    colour = (
        {"field": "kind", "type": "nominal", "title": "Entity type",
         "scale": {"domain": [LABEL_NAMES[k] for k in kinds], "range": [LABEL_COLOURS[k] for k in kinds]}}
        if by_label else
        {"value": LABEL_COLOURS.get(table["label"].iloc[0], BAR_COLOUR) if len(table) and table["label"].nunique() == 1 else BAR_COLOUR}
    )
    return Chart(title, data, _spec(
        title, compact,
        **({"params": [{"name": select, "select": {"type": "point", "fields": ["name"]}}]} if select else {}),
        mark={"type": "bar", "tooltip": True, **({"cursor": "pointer"} if select else {})},
        height={"step": 22},
        encoding={
            "y": {"field": "name", "type": "nominal", "sort": _order(data["name"]), "title": None},
            "x": {"field": "mentions", "type": "quantitative", "title": "Mentions", "axis": COUNT_AXIS},
            "color": colour,
            "tooltip": [
                {"field": "name", "title": "Entity"},
                {"field": "kind", "title": "Type"},
                {"field": "mentions", "title": "Mentions", "format": ","},
                {"field": "articles", "title": "Articles", "format": ","},
                {"field": "forms", "title": "Forms"},
            ],
        },
    ))


def column_bars(frame: pd.DataFrame, x: str, y: str, title: str, x_title: str, y_title: str,
                group: str | None = None) -> Chart:
    """Vertical bars of ``y`` per category ``x`` in the frame's order; side by side per ``group`` value when given."""
    data = pd.DataFrame({"x": frame[x].astype(str).to_numpy(), "y": frame[y].to_numpy()})
    encoding = {
        "x": {"field": "x", "type": "nominal", "sort": _order(data["x"]), "title": x_title, "axis": {"labelAngle": -45}},
        "y": {"field": "y", "type": "quantitative", "title": y_title,
              **({"axis": COUNT_AXIS} if pd.api.types.is_integer_dtype(data["y"]) else {})},
        "tooltip": [{"field": "x", "title": x_title}, {"field": "y", "title": y_title, "format": ","}],
    }
    if group is None:
        encoding["color"] = {"value": BAR_COLOUR}
    else:
        data["group"] = frame[group].astype(str).to_numpy()
        groups = _order(data["group"])
        encoding["color"] = {"field": "group", "type": "nominal", "sort": groups, "title": None,
                             "legend": {"orient": "top"}}
        encoding["xOffset"] = {"field": "group", "type": "nominal", "sort": groups}
        encoding["tooltip"].insert(1, {"field": "group", "title": "Series"})
    return Chart(title, data, _spec(title, mark={"type": "bar", "tooltip": True}, height=320, encoding=encoding))


_SCHEMES = {"Blues": "blues", "Reds": "reds", "Purples": "purples", "Oranges": "oranges", "Viridis": "viridis"}


def heatmap(matrix: pd.DataFrame, title: str, x_title: str, y_title: str, colour_title: str,
            colourscale: str = "Blues", number_format: str = "d", zmin: float | None = None,
            zmax: float | None = None, show_values: bool = True, select: str | None = None) -> Chart:
    """A heatmap of a labelled matrix (rows down, columns across, in the matrix's order),
    each cell's value written on it and in its tooltip; ``select`` names a point selection
    of a cell (its ``row`` and ``column`` labels), for a chart drawn with ``on_select``."""
    rows, columns = _order(matrix.index.astype(str)), _order(matrix.columns.astype(str))
    values = matrix.to_numpy()
    data = pd.DataFrame({
        "row": [str(r) for r in matrix.index for _ in range(values.shape[1])],
        "column": [str(c) for _ in range(values.shape[0]) for c in matrix.columns],
        "value": values.ravel(),
    })
    number = "," if number_format == "d" else number_format
    finite = values[np.isfinite(values)] if values.dtype.kind == "f" else values
    # the colour range: given, or the data's (missing and infinite values left out: JSON has no NaN)
    low = float(finite.min()) if zmin is None and finite.size else zmin
    high = float(finite.max()) if zmax is None and finite.size else zmax
    scale = {"scheme": _SCHEMES.get(colourscale, colourscale.lower())}
    if low is not None and high is not None and high > low:
        scale["domain"] = [low, high]
    position = {
        # upright labels take one line's width each, so every column keeps its label
        "x": {"field": "column", "type": "nominal", "sort": columns, "title": x_title, "axis": {"labelAngle": -90, "labelLimit": 160}},
        # the row title above the labels, level: beside long labels Vega placed it over them
        "y": {"field": "row", "type": "nominal", "sort": rows, "title": y_title,
              "axis": {"titleAngle": 0, "titleAlign": "right", "titleBaseline": "bottom", "titleX": 0, "titleY": -6}},
    }
    # the tooltip is shared by both layers, so the value written on a cell shows it too
    position["tooltip"] = [{"field": "row", "title": y_title}, {"field": "column", "title": x_title},
                           {"field": "value", "title": colour_title, "format": number}]
    cells = {
        **({"params": [{"name": select, "select": {"type": "point", "fields": ["row", "column"]}}]} if select else {}),
        "mark": {"type": "rect", **({"cursor": "pointer"} if select else {})},
        "encoding": {"color": {"field": "value", "type": "quantitative", "title": colour_title, "scale": scale}},
    }
    layers = [cells]
    if show_values:
        middle = (low + high) / 2 if low is not None and high is not None else 0
        layers.append({
            "mark": {"type": "text", "fontSize": 11},
            "encoding": {
                "text": {"field": "value", "type": "quantitative", "format": number},
                "color": {"condition": {"test": f"datum.value > {middle!r}", "value": "white"}, "value": "black"},
            },
        })
    return Chart(title, data, _spec(title, height={"step": 26}, encoding=position, layer=layers))


def network(nodes: pd.DataFrame, edges: pd.DataFrame, title: str) -> Chart:
    """The entity network: edges as lines (width by sentences in common), nodes as circles coloured by type
    and sized by mentions, with their names. A click on a node selects it (parameter ``node``), on the
    middle of an edge selects the pair (parameter ``edge``)."""
    kinds = [k for k in LABEL_NAMES if k in set(nodes["label"])]
    node_values = [{"name": r.name, "shown": r.shown, "kind": LABEL_NAMES.get(r.label, r.label), "mentions": int(r.mentions),
                    "sentences": int(r.sentences), "x": r.x, "y": r.y} for r in nodes.itertuples(index=False)]
    edge_values = [{"source": r.source, "target": r.target, "pair": f"{r.source_shown} — {r.target_shown}",
                    "weight": int(r.weight), "x": r.x, "y": r.y, "x2": r.x2, "y2": r.y2, "mx": r.mx, "my": r.my}
                   for r in edges.itertuples(index=False)]
    hidden = {"axis": None, "scale": {"domain": [-1.15, 1.15]}}
    x, y = {"field": "x", "type": "quantitative", **hidden}, {"field": "y", "type": "quantitative", **hidden}
    colour = {"field": "kind", "type": "nominal", "title": "Entity type",
              "scale": {"domain": [LABEL_NAMES[k] for k in kinds], "range": [LABEL_COLOURS[k] for k in kinds]}}
    spec = _spec(
        title, height=520, view={"stroke": None},
        layer=[
            {"data": {"values": edge_values}, "mark": {"type": "rule", "color": "#94a3b8", "opacity": 0.6},
             "encoding": {"x": x, "y": y, "x2": {"field": "x2"}, "y2": {"field": "y2"},
                          "strokeWidth": {"field": "weight", "type": "quantitative", "scale": {"range": [1, 8]},
                                          "title": "Sentences in common"}}},
            {"data": {"values": edge_values}, "params": [{"name": "edge", "select": {"type": "point", "fields": ["source", "target"]}}],
             "mark": {"type": "circle", "size": 140, "opacity": 0.25, "color": "#64748b", "cursor": "pointer"},
             "encoding": {"x": {"field": "mx", "type": "quantitative", **hidden}, "y": {"field": "my", "type": "quantitative", **hidden},
                          "tooltip": [{"field": "pair", "title": "Entities"}, {"field": "weight", "title": "Sentences in common"}]}},
            {"data": {"values": node_values}, "params": [{"name": "node", "select": {"type": "point", "fields": ["name"]}}],
             "mark": {"type": "circle", "opacity": 0.9, "stroke": "white", "strokeWidth": 1, "cursor": "pointer"},
             "encoding": {"x": x, "y": y, "color": colour,
                          # no size legend: its entries ran below the chart; the title and tooltips say it
                          "size": {"field": "mentions", "type": "quantitative", "scale": {"range": [80, 1600]}, "legend": None},
                          "tooltip": [{"field": "shown", "title": "Entity"}, {"field": "kind", "title": "Type"},
                                      {"field": "mentions", "title": "Mentions", "format": ","},
                                      {"field": "sentences", "title": "Sentences", "format": ","}]}},
            {"data": {"values": node_values}, "mark": {"type": "text", "dy": -14, "fontSize": 11},
             "encoding": {"x": x, "y": y, "text": {"field": "shown"}}},
        ],
    )
    return Chart(title, None, spec)
