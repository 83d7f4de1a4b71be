import pytest

from latexgen import latex_tokens, to_latex
from layout import Node, Relation, Tree

R = Relation


def n(label, **rows):
    return Node(label, {R[k.upper()]: tuple(v) for k, v in rows.items()})


@pytest.mark.parametrize("row, latex", [
    ([n("x", sup=[n("2")]), n("+"), n("1")], "x^{2}+1"),
    ([n("x", sub=[n("i")], sup=[n("2")])], "x_{i}^{2}"),
    ([n("-", above=[n("1")], below=[n("2")])], r"\frac{1}{2}"),
    ([n(r"\sqrt", inside=[n("x")])], r"\sqrt{x}"),
    ([n(r"\sqrt", inside=[n("x")], above=[n("3")])], r"\sqrt[3]{x}"),
    ([n(r"\sum", below=[n("i"), n("="), n("1")], above=[n("n")]), n("i")], r"\sum_{i=1}^{n}i"),
    ([n(r"\lim", below=[n("x"), n(r"\rightarrow"), n("0")]), n("f")], r"\lim_{x\rightarrow0}f"),
    ([n(r"\alpha"), n("x"), n(r"\lt"), n(r"\pi")], r"\alpha x<\pi"),
    ([n("-", above=[n("a")], below=[n("b")], sup=[n("2")])], r"\frac{a}{b}^{2}"),
    ([n("-"), n("1")], "-1"),
])
def test_canonical_latex(row, latex):
    assert to_latex(Tree(tuple(row))) == latex


def test_tokens():
    assert latex_tokens(r"\frac{a}{b}+x^{2}") == ["\\frac", "{", "a", "}", "{", "b", "}", "+", "x", "^", "{", "2", "}"]
