"""Scored candidate edges → the best relation tree over a row (Edmonds' maximum spanning
arborescence, from networkx).

Each candidate (parent, child) edge carries the model's most likely relation and, as its weight,
the log-probability that the edge exists at all. The row's first item is the root: candidate
edges only run forward in reading order, so nothing can point back at it.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from layout._tree import Relation

FLOOR = 1e-6   # probabilities are clipped here before the log
NESTED = 2.0   # a script's own script must be this many times likelier than reading on in its row (train_2014:
               # 2 mended, 2 lost, as with 3; 5 lost 6; valid_2013's parser alone 597 -> 599)


def edge_graph(count: int, pairs: np.ndarray, probabilities: np.ndarray,
               relations: tuple[Relation | None, ...]) -> nx.DiGraph:
    """A DiGraph over ``count`` items with one edge per candidate pair.

    Parameters
    ----------
    count : int
        Number of items (nodes ``0 … count-1``).
    pairs : (P, 2) ndarray of int
        (parent, child) item positions.
    probabilities : (P, R) ndarray of float
        Per pair, one probability per entry of ``relations``; ``None`` there means no relation.
    relations : tuple of Relation or None

    Returns
    -------
    graph : nx.DiGraph
        Edge attributes ``relation`` (the likeliest real relation), ``probability`` (its
        probability), ``weight`` (log of the probability that there is a relation) and ``right``
        (the probability of :attr:`Relation.RIGHT`).
    """
    probabilities = np.asarray(probabilities, np.float64)
    if probabilities.shape != (len(pairs), len(relations)):
        raise ValueError(f"probabilities must have shape {(len(pairs), len(relations))}, got {probabilities.shape}")
    real = np.array([k for k, r in enumerate(relations) if r is not None])
    best = real[np.argmax(probabilities[:, real], axis=1)] if len(pairs) else np.zeros(0, int)
    chosen = probabilities[np.arange(len(pairs)), best]
    weights = np.log(np.maximum(probabilities[:, real].sum(axis=1), FLOOR))
    graph = nx.DiGraph()
    graph.add_nodes_from(range(count))
    right = probabilities[:, relations.index(Relation.RIGHT)] if Relation.RIGHT in relations else np.zeros(len(pairs))
    graph.add_edges_from((int(u), int(v), {"relation": relations[k], "probability": float(q), "weight": float(w),
                                           "right": float(r)})
                         for (u, v), k, q, w, r in zip(pairs, best, chosen, weights, right))
    return graph


def best_tree(graph: nx.DiGraph, *, on_baseline: set[int] = frozenset(),
              script_holders: set[int] = frozenset(),
              brackets: tuple[tuple[int, int], ...] = ()) -> nx.DiGraph:
    """The maximum spanning arborescence of ``graph`` by ``weight``, edge attributes kept.

    Nodes in ``on_baseline`` (relation symbols: ``=``, ``<``, ``\\rightarrow``…) never sit in a
    superscript or subscript row, except one of a node in ``script_holders`` (a large operator,
    ``\\lim_{x\\rightarrow0}``); the closing node of each (opening, closing) pair in ``brackets``
    sits in its opening one's row, as LaTeX groups must nest. The edge that breaks a rule is
    dropped and the tree taken again; a relation symbol with no other candidate parent (its line
    of sight blocked by the script it was hung in: ``e^{2\\pi i/N}=1``) follows that script's base.

    Raises
    ------
    nx.NetworkXException
        If no arborescence spans ``graph`` (an item other than the first has no candidate parent).

    Examples
    --------
    >>> g = edge_graph(3, np.array([[0, 1], [0, 2], [1, 2]]),
    ...                np.array([[0.1, 0.1, 0.8, 0.0], [0.2, 0.8, 0.0, 0.0], [0.9, 0.1, 0.0, 0.0]]),
    ...                (None, Relation.RIGHT, Relation.SUP, Relation.SUB))
    >>> sorted((u, v, d["relation"].value) for u, v, d in best_tree(g).edges(data=True))
    [(0, 1, 'Sup'), (0, 2, 'Right')]
    """
    tree = _arborescence(graph)
    while True:
        scripted = {v: base for v in on_baseline if (base := _script_base(tree, v)) not in (None, *script_holders)}
        misplaced = [*scripted] + [close for open_, close in brackets if _row(tree, close) != _row(tree, open_)]
        drop = [(next(tree.predecessors(v)), v) for v in misplaced if graph.in_degree(v) > 1]
        # a relation symbol with no other candidate parent follows the base whose script holds it
        follow = [(base, v) for v, base in scripted.items() if graph.in_degree(v) == 1]
        if not drop and not follow:
            return tree
        graph = graph.copy()
        for base, v in follow:
            parent = next(graph.predecessors(v))
            if parent == base:   # the head of the script row: the same edge, read on the base's row
                graph.edges[parent, v]["relation"] = Relation.RIGHT
            else:
                graph.add_edge(base, v, **dict(graph.edges[parent, v], relation=Relation.RIGHT, weight=np.log(FLOOR)))
                drop.append((parent, v))
        graph.remove_edges_from(drop)
        tree = _arborescence(graph)


def flatten_scripts(tree: nx.DiGraph, factor: float = NESTED) -> nx.DiGraph:
    """``tree`` with each script of a symbol that is itself in a script row read on in that row
    (``\\gamma_{jk}``, not ``\\gamma_{j_{k}}``) unless the script is ``factor`` times likelier than
    :attr:`Relation.RIGHT`: a script's own script is rare (train_2014: 100 of 8 835 expressions)."""
    tree = tree.copy()
    for u, v, data in sorted(tree.edges(data=True), key=lambda e: e[1]):
        if (data["relation"] in (Relation.SUP, Relation.SUB) and _script_base(tree, u) is not None
                and data["probability"] < factor * data["right"]):
            data.update(relation=Relation.RIGHT, probability=data["right"])
    return tree


def end_scripts(tree: nx.DiGraph, level: set[tuple[int, int]], joiners: set[int] = frozenset(),
                brackets: tuple[tuple[int, int], ...] = ()) -> nx.DiGraph:
    """``tree`` with each script row ended before a member that sits level with the row's base.

    ``level`` holds the (base, member) pairs where the member is on the base's line at its size, so
    it and what follows it continue the base's row (``E_{0}/(16\\pi^{2})``, not ``E_{0/(16\\pi^{2})}``;
    from a script's script, the row of the nearest base it is level with: ``y_{m}-x``),
    along with the ``joiners`` (operators, punctuation) just before it: a script does not end in
    ``+``. When the member cut follows the row's head and the head is level too, the row was a word
    on the base's line (``Red``, not ``R_{e}d``) and the head goes with it. A cut that would part a
    pair of ``brackets`` is not made.
    """
    tree = tree.copy()
    for v in sorted(tree):
        base = _script_base(tree, v)
        while base is not None and (base, v) not in level:   # a script's script may return further out
            base = _script_base(tree, base)
        if base is None or tree.has_edge(base, v):
            continue
        while (parent := next(tree.predecessors(v))) == v - 1 and parent in joiners \
                and tree.edges[next(tree.predecessors(parent)), parent]["relation"] is Relation.RIGHT:
            v = parent
        parent = next(tree.predecessors(v))
        if parent == v - 1 and tree.has_edge(base, parent) and (base, parent) in level:
            v, parent = parent, base   # the row's head is level too: the whole row is on the base's line
        data = tree.edges[parent, v]
        tree.remove_edge(parent, v)
        tree.add_edge(base, v, **dict(data, relation=Relation.RIGHT))
        if any(_row(tree, close) != _row(tree, open_) for open_, close in brackets):
            tree.remove_edge(base, v)
            tree.add_edge(parent, v, **data)
    return tree


def _script_base(tree: nx.DiGraph, node: int) -> int | None:
    """The base whose superscript or subscript row holds ``node`` (walking back along Right edges)."""
    while tree.in_degree(node):
        parent = next(tree.predecessors(node))
        relation = tree.edges[parent, node]["relation"]
        if relation in (Relation.SUP, Relation.SUB):
            return parent
        if relation is not Relation.RIGHT:
            return None
        node = parent
    return None


def _row(tree: nx.DiGraph, node: int) -> tuple[int, Relation] | None:
    """The (base, relation) of the script row that holds ``node``; None on the main row."""
    base = _script_base(tree, node)
    if base is None:
        return None
    while (parent := next(tree.predecessors(node))) != base:
        node = parent
    return base, tree.edges[base, node]["relation"]


def _arborescence(graph: nx.DiGraph) -> nx.DiGraph:
    if len(graph) == 1:
        return graph.copy()
    if nx.is_directed_acyclic_graph(graph) and sum(d == 0 for _, d in graph.in_degree()) == 1:
        # One source and no cycle: Edmonds never contracts, each node keeps its best incoming edge.
        tree = nx.DiGraph()
        tree.add_nodes_from(graph)
        for v in graph:
            if graph.in_degree(v):
                u = max(graph.predecessors(v), key=lambda u: graph.edges[u, v]["weight"])
                tree.add_edge(u, v, **graph.edges[u, v])
        return tree
    return nx.maximum_spanning_arborescence(graph, attr="weight", preserve_attrs=True)
