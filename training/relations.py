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
