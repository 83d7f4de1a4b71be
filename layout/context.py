"""Use the tree to settle what a symbol's shape alone cannot: a comma raised as a superscript is a
prime (``f^{\\prime}``), since CROHME writes ``f'`` that way."""

from __future__ import annotations

from dataclasses import replace

from layout._tree import Node, Relation, Tree
from symbolrec import Symbol

PRIME = r"\prime"


def resolve_in_context(tree: Tree, symbols: list[Symbol]) -> tuple[Tree, list[Symbol]]:
    """Return the tree and symbols with superscript commas read as primes."""
    symbols = list(symbols)

    def row(nodes: tuple[Node, ...], relation: Relation | None) -> tuple[Node, ...]:
        out = []
        for node in nodes:
            label = node.label
            if relation is Relation.SUP and label == "," and node.symbol is not None:
                label = PRIME
                old = symbols[node.symbol]
                symbols[node.symbol] = replace(old, label=PRIME, alternatives=((PRIME, old.confidence),) + old.alternatives[:4])
            out.append(Node(label, {r: row(kids, r) for r, kids in node.children.items()}, node.symbol))
        return tuple(out)

    return Tree(row(tree.row, None)), symbols
