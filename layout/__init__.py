"""Spatial layout: relations between recognised symbols and the expression tree they form."""

from layout._tree import Node, Relation, Tree
from layout.parse import LayoutError, Parse, parse
from layout.scorer import GeometricScorer, Item, Scorer

__all__ = ["GeometricScorer", "Item", "LayoutError", "Node", "Parse", "Relation", "Scorer", "Tree", "parse"]
