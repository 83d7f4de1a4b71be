"""Whole pipeline on real handwriting: CROHME expressions (test_2014, and two of train_2014 with
function names) drawn with the standard pen."""

from dataclasses import replace

import pytest

from latexgen import to_latex
from symbolrec.segment import segment
from training.crohme import InkSymbol
from training.render import Pen, render

# Expressions of test_2014 (files under tests/data), recognised exactly.
WHOLE = ["502_em_17", "518_em_417", "508_em_78", "518_em_435", "18_em_20", "519_em_450"]


@pytest.mark.parametrize("stem", WHOLE)
def test_real_expressions(stem, inkml, recognizer):
    expr = inkml(stem)
    result = recognizer.recognize(render(expr, Pen()).image)
    assert result.latex == to_latex(expr.tree)


@pytest.mark.parametrize("stem, word", [("formulaire002-equation023", r"\sin"), ("formulaire007-equation021", r"\log")])
def test_function_names_written_letter_by_letter(stem, word, inkml, recognizer):
    """train_2014 expressions whose function name is drawn as several separate letters."""
    expr = inkml(stem)
    rendering = render(expr, Pen())
    name = next(k for k, s in enumerate(expr.symbols) if s.label == word)
    assert len(segment(rendering.symbol_masks[name] & (rendering.image < 128))) >= 2   # drawn in pieces
    result = recognizer.recognize(rendering.image)
    assert result.latex == to_latex(expr.tree) and word in [s.label for s in result.symbols]


def only(expr, keep: list[int]):
    """The expression with just the symbols ``keep``: a drawn sub-expression with a known answer."""
    strokes, symbols = [], []
    for index in keep:
        symbol = expr.symbols[index]
        ids = []
        for s in symbol.strokes:
            ids.append(len(strokes))
            strokes.append(expr.strokes[s])
        symbols.append(InkSymbol(symbol.label, tuple(ids), symbol.href))
    return replace(expr, strokes=tuple(strokes), symbols=tuple(symbols), tree=None)


@pytest.mark.parametrize("stem, keep, latex", [
    ("518_em_417", [3, 4], r"\sqrt{x}"),
    ("18_em_20", [1, 5, 6], r"\frac{1}{p}"),
    ("508_em_78", [0, 1], "2^{2}"),
    ("508_em_78", [6, 7], "b_{1}"),
])
def test_drawn_structures(stem, keep, latex, inkml, recognizer):
    image = render(only(inkml(stem), keep), Pen(width=4)).image
    assert recognizer.recognize(image).latex == latex


def test_symbols_are_explained(recognizer):
    result = recognizer.recognize("examples/quadratic.png")
    assert result.latex == "x^{2}=1"
    assert [s.label for s in result.symbols] == ["x", "2", "=", "1"]
    assert result.parent(1)[:2] == (0, __import__("layout").Relation.SUP)
    assert all(0 < s.confidence <= 1 and len(s.alternatives) == 5 for s in result.symbols)
    assert set(result.timings) >= {"load", "binarize", "segment", "classify", "layout", "total"}
