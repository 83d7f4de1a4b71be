"""Tree → LaTeX. One canonical spelling per structure, so that equal trees give equal strings."""

from __future__ import annotations

import re

from layout import Node, Relation, Tree

# CROHME labels whose LaTeX spelling differs from the label.
_TOKENS = {r"\lt": "<", r"\gt": ">", r"\{": r"\{", r"\}": r"\}"}
# Symbols whose limits (above/below) are written as sub-/superscripts.
LARGE_OPERATORS = frozenset({r"\sum", r"\int", r"\lim", r"\prod"})
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\S")


LINE_BREAK = r"\\"   # between the lines of writing in one image (a system, or working), as in LaTeX


def token_for(label: str) -> str:
    """The LaTeX token for a symbol label (``\\lt`` → ``<``)."""
    return _TOKENS.get(label, label)


def to_latex(tree: Tree) -> str:
    """Write ``tree`` as LaTeX: ``x^{2}``, ``\\frac{a}{b}``, ``\\sqrt{x}``, ``\\sum_{i=1}^{n}``.

    Examples
    --------
    >>> to_latex(Tree((Node("x", {Relation.SUP: (Node("2"),)}), Node("+"), Node("1"))))
    'x^{2}+1'
    """
    return _row(tree.row)


def _row(nodes: tuple[Node, ...]) -> str:
    out = ""
    for node in nodes:
        out = _join(out, _node(node))
    return out


def _join(left: str, right: str) -> str:
    """Concatenate, with a space only where a command would otherwise run into a letter."""
    if re.search(r"\\[A-Za-z]+$", left) and right[:1].isalpha():
        return left + " " + right
    return left + right


def _group(nodes: tuple[Node, ...]) -> str:
    return "{" + _row(nodes) + "}"


def _node(node: Node) -> str:
    kids = node.children
    above, below = kids.get(Relation.ABOVE, ()), kids.get(Relation.BELOW, ())
    if node.label == "-" and above and below:
        text = r"\frac" + _group(above) + _group(below)
        above = below = ()
    elif node.label == r"\sqrt":
        index = "[" + _row(above) + "]" if above else ""
        text = r"\sqrt" + index + _group(kids.get(Relation.INSIDE, ()))
        above = ()
    else:
        text = token_for(node.label)
        inside = kids.get(Relation.INSIDE, ())
        if inside:  # only roots hold rows inside; keep anything else visible rather than drop it
            text = _join(text, _row(inside))
    sub = kids.get(Relation.SUB, ()) + below
    sup = kids.get(Relation.SUP, ()) + above
    if sub:
        text += "_" + _group(sub)
    if sup:
        text += "^" + _group(sup)
    return text


def latex_tokens(latex: str) -> list[str]:
    """Split LaTeX into tokens (commands and single characters), for token-level error counts."""
    return _TOKEN.findall(latex)
