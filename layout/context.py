"""Use the tree to settle what a symbol's shape alone cannot: a comma raised as a superscript is a
prime (``f^{\\prime}``), since CROHME writes ``f'`` that way; a ``\\times`` with nothing to multiply
on one side is the letter ``x``."""

from __future__ import annotations

from dataclasses import replace

from layout._tree import Node, Relation, Tree
from symbolrec import Symbol

PRIME = r"\prime"
TIMES = r"\times"


def resolve_in_context(tree: Tree, symbols: list[Symbol]) -> tuple[Tree, list[Symbol]]:
    """Return the tree and symbols with superscript commas read as primes, lone ``\\times`` as ``x``."""
    symbols = list(symbols)

    def relabel(node: Node, label: str) -> str:
        if node.symbol is not None:
            old = symbols[node.symbol]
            symbols[node.symbol] = replace(old, label=label, alternatives=((label, old.confidence),) + old.alternatives[:4])
        return label

    def row(nodes: tuple[Node, ...], relation: Relation | None) -> tuple[Node, ...]:
        out = []
        for k, node in enumerate(nodes):
            label = node.label
            if relation is Relation.SUP and label == ",":
                label = relabel(node, PRIME)
            elif label == TIMES and (k == 0 or k == len(nodes) - 1 or node.children):
                label = relabel(node, "x")
            out.append(Node(label, {r: row(kids, r) for r, kids in node.children.items()}, node.symbol))
        return tuple(out)

    return Tree(row(tree.row, None)), symbols
