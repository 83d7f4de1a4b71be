"""Relation training pairs from CROHME ground truth: for each base symbol on a baseline, the items
a left-to-right parser meets after it (its superscripts, its subscripts, then its right neighbour)."""

from __future__ import annotations

import numpy as np

from layout import Node, Relation, Tree
from layout.scorer import Item
from symbolrec import BBox, features

RELATIONS = (Relation.RIGHT, Relation.SUP, Relation.SUB)


def _extent(node: Node, boxes: list[BBox], held: bool) -> BBox:
    """The node's box, grown by what it holds (fraction rows, root contents, limits) when ``held``."""
    box = boxes[node.symbol]
    rows = [r for rel, r in node.children.items() if rel in (Relation.ABOVE, Relation.BELOW, Relation.INSIDE)]
    stack = [n for row in rows for n in row] if held else []
    while stack:
        n = stack.pop()
        box = box.union(boxes[n.symbol])
        stack.extend(m for row in n.children.values() for m in row)
    return box


def _item(node: Node, boxes: list[BBox]) -> Item:
    return Item(node.label, boxes[node.symbol], _extent(node, boxes, True))


def tree_pairs(tree: Tree, boxes: list[BBox]) -> list[tuple[Item, Item, Relation]]:
    """(base, other, relation) for every decision the baseline parser makes on this tree."""
    pairs = []
    rows = [tree.row]
    while rows:
        row = rows.pop()
        for k, node in enumerate(row):
            base = _item(node, boxes)
            for relation in (Relation.SUP, Relation.SUB):
                for script in node.children.get(relation, ()):
                    pairs.append((base, _item(script, boxes), relation))
            if k + 1 < len(row):
                pairs.append((base, _item(row[k + 1], boxes), Relation.RIGHT))
            rows.extend(node.children.values())
    return pairs


def reference(boxes: list[BBox]) -> float:
    return features.reference_height(boxes)


def symbol_relations(tree: Tree) -> list[tuple[int, int, Relation]]:
    """The symbol-level label graph of ``tree``: ``(parent, child, relation)`` for each tree edge.

    A node points Right to the next node of its row, and to the first node of each row it holds
    (Sup, Sub, Above, Below, Inside), as in CROHME's label graphs. Symbols are ``Node.symbol``
    indices; edges touching a node without a symbol (text the ink does not link) are left out.

    Examples
    --------
    >>> two = Node("2", symbol=1)
    >>> symbol_relations(Tree((Node("x", {Relation.SUP: (two,)}, 0), Node("+", symbol=2))))
    [(0, 2, <Relation.RIGHT: 'Right'>), (0, 1, <Relation.SUP: 'Sup'>)]
    """
    edges = []
    rows = [tree.row]
    while rows:
        row = rows.pop(0)
        for k, node in enumerate(row):
            heads = [(relation, children[0]) for relation, children in node.children.items() if children]
            if k + 1 < len(row):
                heads.append((Relation.RIGHT, row[k + 1]))
            for relation, head in sorted(heads, key=lambda h: list(Relation).index(h[0])):
                if node.symbol is not None and head.symbol is not None:
                    edges.append((node.symbol, head.symbol, relation))
            rows.extend(node.children.values())
    return edges


EDGE_RELATIONS = (None, Relation.RIGHT, Relation.SUP, Relation.SUB)   # None: no relation
PRIME = r"\prime"


def primes_as_superscripts(tree: Tree) -> Tree:
    r"""``tree`` with every prime that follows its base on a row moved up to the base's superscript.

    CROHME's files disagree (train_2014 mostly writes ``f'`` as ``f`` then ``\prime`` on the row,
    valid_2013 always as ``f^{\prime}``); the parser learns one spelling, the superscript.

    Examples
    --------
    >>> from latexgen import to_latex
    >>> to_latex(primes_as_superscripts(Tree((Node("f"), Node(PRIME), Node("(")))))
    'f^{\\prime}('
    """
    def row(nodes: tuple[Node, ...]) -> tuple[Node, ...]:
        out: list[Node] = []
        for node in nodes:
            node = Node(node.label, {r: row(kids) for r, kids in node.children.items()}, node.symbol)
            if node.label == PRIME and not node.children and out and Relation.SUP not in out[-1].children:
                base = out.pop()
                node = Node(base.label, {**base.children, Relation.SUP: (node,)}, base.symbol)
            out.append(node)
        return tuple(out)

    return Tree(row(tree.row))


def row_problems(tree: Tree, boxes: list[BBox]) -> list[tuple[list[Item], dict[tuple[int, int], Relation]]]:
    """The rows the parser reads one by one, with the true relations between their items.

    A row is a baseline together with its scripts, their scripts and so on; what a fraction bar,
    root or limit operator holds is a row of its own, and grows that symbol's extent. Items are in
    the parser's reading order (left edge of the extent, then top); relations map (parent, child)
    item positions to Right, Sup or Sub.
    """
    problems = []
    heads = [tree.row]
    while heads:
        top = heads.pop()
        nodes, edges, stack = [], [], [(None, None, top)]
        while stack:
            parent, relation, row = stack.pop()
            for k, node in enumerate(row):
                nodes.append(node)
                if k == 0 and parent is not None:
                    edges.append((parent, node, relation))
                elif k > 0:
                    edges.append((row[k - 1], node, Relation.RIGHT))
                for rel, child in node.children.items():
                    (stack.append((node, rel, child)) if rel in (Relation.SUP, Relation.SUB) else heads.append(child))
        if any(n.symbol is None for n in nodes):
            continue
        items = sorted((_item(n, boxes) for n in nodes), key=lambda i: (i.extent.x, i.extent.y))
        where = {id(n): k for k, n in enumerate(sorted(nodes, key=lambda n: (
            _item(n, boxes).extent.x, _item(n, boxes).extent.y)))}
        problems.append((items, {(where[id(a)], where[id(b)]): r for a, b, r in edges}))
    return problems
