"""The values the layout stage hands on: relations between symbols and the expression tree."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterator, Mapping


class Relation(enum.Enum):
    """Spatial relation of a child row to its parent symbol (CROHME's label-graph relations)."""

    RIGHT = "Right"
    SUP = "Sup"
    SUB = "Sub"
    ABOVE = "Above"
    BELOW = "Below"
    INSIDE = "Inside"


@dataclass(frozen=True)
class Node:
    """One symbol in the tree: its label, the rows hanging off it, and which input symbol it is.

    ``children`` never holds :attr:`Relation.RIGHT`: right neighbours are the next nodes of the row.
    """

    label: str
    children: Mapping[Relation, tuple["Node", ...]] = field(default_factory=dict)
    symbol: int | None = None


@dataclass(frozen=True)
class Tree:
    """An expression: the main baseline row of nodes, left to right."""

    row: tuple[Node, ...]

    def nodes(self) -> Iterator[Node]:
        """All nodes, depth first in reading order."""
        stack = list(reversed(self.row))
        while stack:
            node = stack.pop()
            yield node
            for relation in reversed(Relation):
                stack.extend(reversed(node.children.get(relation, ())))
