"""Spatial layout: relations between recognised symbols and the expression tree they form."""

from layout._tree import Node, Relation, Tree

__all__ = ["Node", "Relation", "Tree"]
