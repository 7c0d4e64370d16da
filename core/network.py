"""The entity network: the most mentioned entities of the filtered articles as nodes, linked by the
sentences that mention two of them.

The counts are the co-occurrence matrix's (:func:`core.views.cooccurrence`: sentences mentioning both);
the layout is networkx's force-directed ``spring_layout`` with the counts as weights and a fixed seed, so
the same articles always give the same drawing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core import views

LAYOUT_SEED = 7


def network(matrix: pd.DataFrame, table: pd.DataFrame, min_weight: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes, edges) of the entities of a co-occurrence ``matrix``, with ``table`` (``views.entity_table``
    of the same articles) for their types and mentions.

    nodes: name, label, mentions, sentences (that mention it), degree, x, y (in [-1, 1]).
    edges: source, target, weight (sentences mentioning both, at least ``min_weight``), x, y, x2, y2 (its
    ends) and mx, my (its middle, where a click chooses it); heaviest first.
    """
    node_columns = ["name", "label", "mentions", "sentences", "degree", "x", "y"]
    edge_columns = ["source", "target", "weight", "x", "y", "x2", "y2", "mx", "my"]
    if matrix.empty:
        return pd.DataFrame(columns=node_columns), pd.DataFrame(columns=edge_columns)
    import networkx as nx

    names = list(matrix.index)
    counts = matrix.to_numpy()
    graph = nx.Graph()
    graph.add_nodes_from(names)
    pairs = [(names[i], names[j], int(counts[i, j])) for i in range(len(names)) for j in range(i + 1, len(names))
             if counts[i, j] >= min_weight]
    graph.add_weighted_edges_from(pairs)
    positions = nx.spring_layout(graph, weight="weight", seed=LAYOUT_SEED) if len(names) > 1 else {names[0]: np.zeros(2)}
    info = table.set_index("name")
    nodes = pd.DataFrame({
        "name": names,
        "label": [info["label"].get(n) for n in names],
        "mentions": [int(info["mentions"].get(n, 0)) for n in names],
        "sentences": [int(counts[i, i]) for i in range(len(names))],
        "degree": [graph.degree(n) for n in names],
        "x": [float(positions[n][0]) for n in names],
        "y": [float(positions[n][1]) for n in names],
    }, columns=node_columns)
    edges = pd.DataFrame([
        {"source": a, "target": b, "weight": w, "x": float(positions[a][0]), "y": float(positions[a][1]),
         "x2": float(positions[b][0]), "y2": float(positions[b][1]),
         "mx": float(positions[a][0] + positions[b][0]) / 2, "my": float(positions[a][1] + positions[b][1]) / 2}
        for a, b, w in pairs], columns=edge_columns)
    edges = edges.sort_values(["weight", "source", "target"], ascending=[False, True, True], kind="stable").reset_index(drop=True)
    return nodes, edges


def pair_sentences(mention_entities: pd.DataFrame, sentences: pd.DataFrame, first: str, second: str,
                   articles: pd.DataFrame) -> pd.DataFrame:
    """The sentences of ``articles`` that mention both entities, newest article first, with both entities'
    mention spans: article, sent, start, end, spans."""
    one = views.entity_sentences(mention_entities, sentences, first, articles)
    other = views.entity_sentences(mention_entities, sentences, second, articles)
    columns = ["article", "sent", "start", "end", "spans"]
    if one.empty or other.empty:
        return pd.DataFrame(columns=columns)
    both = one.merge(other, on=["article", "sent", "start", "end"], suffixes=("", "_other"))
    both["spans"] = [sorted(a + b) for a, b in zip(both["spans"], both["spans_other"])]
    return both[columns].reset_index(drop=True)
