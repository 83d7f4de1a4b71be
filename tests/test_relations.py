"""Ground-truth symbol relations from CROHME MathML, checked by hand against the ink."""

from layout import Relation
from training.relations import symbol_relations
from training.render import stroke_boxes

R, SUP, SUB, A, B, IN = (Relation.RIGHT, Relation.SUP, Relation.SUB, Relation.ABOVE, Relation.BELOW,
                         Relation.INSIDE)


def test_scripts(inkml):
    expr = inkml("508_em_78")  # 2^{2}b_{2}+2b_{1}+b_{0}, symbols in stroke order
    assert [s.label for s in expr.symbols] == ["2", "2", "b", "2", "+", "2", "b", "1", "+", "b", "0"]
    assert set(symbol_relations(expr.tree)) == {
        (0, 1, SUP), (0, 2, R), (2, 3, SUB), (2, 4, R), (4, 5, R), (5, 6, R), (6, 7, SUB), (6, 8, R),
        (8, 9, R), (9, 10, SUB)}


def test_fractions(inkml):
    expr = inkml("18_em_20")  # \frac{1}{p}+\frac{1}{q}=1
    assert set(symbol_relations(expr.tree)) == {
        (1, 5, A), (1, 6, B), (1, 0, R), (0, 2, R), (2, 8, A), (2, 7, B), (2, 3, R), (3, 4, R)}
    boxes = stroke_boxes(expr)
    for parent, child, relation in symbol_relations(expr.tree):  # the ink agrees
        if relation is A:
            assert boxes[child].y2 <= boxes[parent].y
        if relation is B:
            assert boxes[child].y >= boxes[parent].y2


def test_roots_and_fractions(inkml):
    expr = inkml("518_em_417")  # \frac{d}{dx}\sqrt{x}=\frac{1}{2\sqrt{x}}
    assert set(symbol_relations(expr.tree)) == {
        (9, 0, A), (9, 1, B), (1, 2, R), (9, 3, R), (3, 4, IN), (3, 11, R), (11, 10, R), (10, 5, A),
        (10, 6, B), (6, 7, R), (7, 8, IN)}


def test_every_symbol_but_the_first_has_one_parent(inkml):
    for stem in ("18_em_0", "502_em_17", "518_em_435", "519_em_450"):
        edges = symbol_relations(inkml(stem).tree)
        children = [child for _, child, _ in edges]
        assert len(children) == len(set(children)) == len(inkml(stem).symbols) - 1


def test_rows_the_parser_reads(inkml):
    from training.relations import row_problems

    expr = inkml("518_em_417")  # \frac{d}{dx}\sqrt{x}=\frac{1}{2\sqrt{x}}
    rows = row_problems(expr.tree, stroke_boxes(expr))
    main = rows[0]
    assert [i.label for i in main[0]] == ["-", r"\sqrt", "=", "-"]
    assert main[1] == {(0, 1): R, (1, 2): R, (2, 3): R}
    assert main[0][0].extent.h > 3 * main[0][0].box.h        # the bar's extent holds its rows
    scripts = row_problems(inkml("508_em_78").tree, stroke_boxes(inkml("508_em_78")))
    assert len(scripts) == 1 and scripts[0][1][0, 1] is SUP and scripts[0][1][2, 3] is SUB


def test_primes_are_superscripts():
    from latexgen import to_latex
    from layout import Node, Tree
    from training.relations import PRIME, primes_as_superscripts

    tree = Tree((Node("f", symbol=0), Node(PRIME, symbol=1), Node("(", symbol=2),
                 Node("x", {SUP: (Node("2"),)}, 3), Node(PRIME, symbol=4)))
    assert to_latex(primes_as_superscripts(tree)) == r"f^{\prime}(x^{2}\prime"   # x already has a superscript
    assert (0, 1, SUP) in symbol_relations(primes_as_superscripts(tree))


def test_parser_alone_cuts_the_true_symbols(inkml):
    from training.parser_alone import read, truth_expression

    truth = truth_expression(inkml("18_em_20"))
    assert truth.latex == r"\frac{1}{p}+\frac{1}{q}=1"
    assert [s.label for s in truth.symbols] == [s.label for s in inkml("18_em_20").symbols]
    assert read(truth) == truth.latex


def test_parser_alone_skips_an_expression_too_large_to_draw(inkml):
    from dataclasses import replace

    from training.parser_alone import truth_expression

    expr = inkml("18_em_20")
    huge = replace(expr, strokes=tuple(stroke * (100, 1) for stroke in expr.strokes))   # drawn 100 times as wide
    assert truth_expression(huge) is None
