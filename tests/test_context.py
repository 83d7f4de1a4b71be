"""Symbols read in context: the learned prior, the rescoring, paired bars, and the prior's training."""

import math
import os
import subprocess
import sys

import pytest

from layout import Node, Relation, Tree
from layout.context import END, FEATURES, ContextPrior, Relabeller, balance_brackets, candidate_features, match_brackets, pair_bars, rescore_in_context
from symbolrec import BBox, Symbol
from training.confusions import confusions
from training.context_prior import fit_shapes, right_pairs, row_pairs


def s(label, x, y, w, h, *alternatives):
    """A symbol whose best alternative is its label (the classifier's own reading)."""
    alternatives = alternatives or ((label, 1.0),)
    return Symbol(BBox(x, y, w, h), label, alternatives[0][1], alternatives)


def flat(symbols):
    """The tree of one row holding ``symbols`` left to right."""
    return Tree(tuple(Node(x.label, symbol=i) for i, x in enumerate(symbols)))


@pytest.fixture(scope="module")
def prior():
    return ContextPrior.load()


@pytest.fixture(scope="module")
def relabeller():
    return Relabeller.load()


def test_prior_prefers_labels_seen_in_that_context():
    toy = ContextPrior({"<start>": {"P": 1, "p": 1}, "P": {"(": 5, END: 1}, "p": {"(": 1, END: 5}})
    assert toy.log_factor("P", "<start>", "(") > toy.log_factor("p", "<start>", "(")
    assert toy.log_factor("p", "<start>", END) > toy.log_factor("P", "<start>", END)
    assert toy.log_factor("unseen", "<start>", "(") == 0.0
    with pytest.raises(ValueError, match="smoothing"):
        ContextPrior({}, smoothing=0)


def test_shipped_prior_reads_digits_among_digits(prior, relabeller):
    # "2q+1": the unsure q between a digit and an operator is a 9
    symbols = [s("2", 0, 100, 25, 40), s("q", 30, 100, 25, 40, ("q", 0.55), ("9", 0.45)),
               s("+", 60, 105, 25, 25), s("1", 90, 100, 10, 40)]
    out = rescore_in_context(flat(symbols), symbols, prior, relabeller)
    assert [x.label for x in out] == ["2", "9", "+", "1"]
    assert out[1].confidence == 0.45 and out[1].alternatives[0] == ("9", 0.45)
    assert symbols[1].label == "q"   # the input is left alone


def test_sure_symbols_and_corrections_are_kept(prior, relabeller):
    sure = [s("2", 0, 100, 25, 40), s("q", 30, 100, 25, 40, ("q", 0.995), ("9", 0.005)),
            s("+", 60, 105, 25, 25)]
    assert rescore_in_context(flat(sure), sure, prior, relabeller)[1].label == "q"
    corrected = Symbol(BBox(30, 100, 25, 40), "q", 0.45, (("9", 0.55), ("q", 0.45)))   # a person's "q"
    symbols = [sure[0], corrected, sure[2]]
    assert rescore_in_context(flat(symbols), symbols, prior, relabeller)[1].label == "q"


def test_function_names_stay_names_and_marks_stay_marks(prior, relabeller):
    joined = [s(r"\sin", 0, 100, 60, 40, (r"\sin", 0.5), ("s", 0.4)), s("x", 70, 110, 25, 28)]
    assert rescore_in_context(flat(joined), joined, prior, relabeller)[0].label == r"\sin"
    whole = [s(r"\lim", 0, 100, 60, 40, (r"\lim", 0.5), ("1", 0.3), (r"\tan", 0.2)), s("x", 70, 110, 25, 28)]
    assert rescore_in_context(flat(whole), whole, prior, relabeller)[0].label in (r"\lim", r"\tan")
    # a raised comma is left for the prime rule, never rescored
    marks = [s("f", 0, 100, 25, 50), s(",", 30, 90, 6, 14, (",", 0.6), ("1", 0.4))]
    tree = Tree((Node("f", {Relation.SUP: (Node(",", symbol=1),)}, 0),))
    assert rescore_in_context(tree, marks, prior, relabeller)[1].label == ","


def test_shape_tells_capital_from_small_letters(prior):
    box_small, box_tall = BBox(40, 112, 28, 28), BBox(40, 92, 36, 48)
    neighbours = [("a", 126.0), ("b", 120.0)]
    unit = math.log(28) - prior.shapes["a"][0]
    assert prior.log_shape("X", box_tall, unit, neighbours) > prior.log_shape("x", box_tall, unit, neighbours)
    assert prior.log_shape("x", box_small, unit, neighbours) > prior.log_shape("X", box_small, unit, neighbours)
    # p hangs below its neighbours' line, P sits on it
    hanging, sitting = BBox(40, 115, 28, 40), BBox(40, 100, 28, 40)
    line = [("a", 126.0)]
    assert prior.log_shape("p", hanging, unit, line) > prior.log_shape("P", hanging, unit, line)
    assert prior.log_shape("P", sitting, unit, line) > prior.log_shape("p", sitting, unit, line)
    assert prior.log_shape("x", box_small, None, neighbours) == 0.0


def test_a_tall_letter_among_small_ones_is_a_capital(prior, relabeller):
    symbols = [s("a", 0, 112, 28, 28), s("x", 40, 92, 36, 48, ("x", 0.6), ("X", 0.4)), s("c", 90, 112, 26, 28)]
    assert [x.label for x in rescore_in_context(flat(symbols), symbols, prior, relabeller)] == ["a", "X", "c"]
    small = [symbols[0], s("x", 40, 112, 28, 28, ("x", 0.6), ("X", 0.4)), symbols[2]]
    assert [x.label for x in rescore_in_context(flat(small), small, prior, relabeller)] == ["a", "x", "c"]


def test_a_small_low_stroke_between_letters_is_a_comma(prior, relabeller):
    symbols = [s("(", 0, 90, 12, 60), s("a", 20, 110, 28, 28), s(")", 52, 132, 8, 16, (")", 0.6), (",", 0.4)),
               s("b", 70, 95, 26, 43), s(")", 100, 90, 12, 60)]
    assert [x.label for x in rescore_in_context(flat(symbols), symbols, prior, relabeller)] == ["(", "a", ",", "b", ")"]


def test_closing_brackets_no_opening_one_matches_are_read_as_commas():
    comma_like = ((")", 0.9), (",", 0.08))
    # E_1 ) ... E_k: a lone closing bracket
    lone = [s("E", 0, 90, 30, 40), s(")", 40, 110, 10, 35, *comma_like), s("E", 60, 90, 30, 40)]
    assert [x.label for x in balance_brackets(lone)] == ["E", ",", "E"]
    assert balance_brackets(lone)[1].alternatives[:2] == ((",", 0.08), (")", 0.9))
    # (p ) q): one too many; the likelier comma of the two goes
    extra = [s("(", 0, 90, 12, 60), s("p", 20, 110, 28, 28), s(")", 52, 120, 10, 35, (")", 0.7), (",", 0.3)),
             s("q", 70, 110, 26, 28), s(")", 100, 90, 12, 60, (")", 0.99), (",", 0.01))]
    assert [x.label for x in balance_brackets(extra)] == ["(", "p", ",", "q", ")"]
    # balanced brackets, and a surplus bracket never read as a comma, stay
    assert [x.label for x in balance_brackets(extra[:3])] == ["(", "p", ")"]
    assert [x.label for x in balance_brackets([lone[0], s(")", 40, 90, 12, 60)])] == ["E", ")"]


def test_a_bracket_left_open_is_closed_by_the_likeliest_closing_bracket_after_it():
    # (9 1 with the 1 likelier a ')' than the 9: (9)
    symbols = [s("1", 0, 90, 8, 60, ("1", 0.9), (")", 0.1)), s("(", 20, 90, 12, 60), s("9", 40, 100, 25, 40),
               s("1", 70, 90, 10, 60, ("1", 0.6), (")", 0.4))]
    assert [x.label for x in balance_brackets(symbols)] == ["1", "(", "9", ")"]
    assert [x.label for x in balance_brackets(symbols[:3])] == ["1", "(", "9"]    # none could be one: left open


def test_paired_brackets_of_two_kinds_take_one_kind():
    # c(L+(a-b)]: the spare '(' pairs with the spare ']' and becomes '['
    symbols = [s("c", 0, 100, 25, 30), s("(", 30, 80, 12, 60, ("(", 0.8), ("[", 0.15)), s("L", 50, 90, 25, 40),
               s("(", 80, 80, 12, 60), s("a", 95, 100, 25, 30), s(")", 125, 80, 12, 60),
               s("]", 145, 80, 12, 60, ("]", 0.9), (")", 0.05))]
    assert [x.label for x in match_brackets(symbols)] == ["c", "[", "L", "(", "a", ")", "]"]
    # \} 1 , s \}: a brace closed before any opens, with more closing than opening ones, opens
    braces = [s(r"\}", 0, 80, 15, 60, (r"\}", 0.6), (r"\{", 0.3)), s("1", 20, 90, 8, 40), s("s", 40, 100, 25, 30),
              s(r"\}", 70, 80, 15, 60)]
    assert [x.label for x in match_brackets(braces)][0] == r"\{"
    # \{ a ) b \}: the braces pair off; the spare ')' never makes the '\{' a '('
    mixed = [s(r"\{", 0, 80, 15, 60, (r"\{", 0.5), ("(", 0.5)), s("a", 20, 100, 25, 30), s(")", 50, 80, 12, 60),
             s("b", 70, 90, 25, 40), s(r"\}", 100, 80, 15, 60)]
    assert [x.label for x in match_brackets(mixed)] == [r"\{", "a", ")", "b", r"\}"]


def test_units_leave_each_symbol_out(prior):
    units = prior.units([28, 28, 56], ["a", "x", "unknown"])
    assert units[2] is not None and units[0] == pytest.approx(math.log(28) - prior.shapes["x"][0])


def test_strokes_at_both_ends_pair_as_bars(prior):
    bar = (("1", 0.7), ("|", 0.25))
    symbols = [s("1", 0, 95, 8, 45, *bar), s("x", 20, 110, 28, 28), s("1", 60, 95, 8, 45, *bar)]
    assert [x.label for x in pair_bars(flat(symbols), symbols, prior)] == ["|", "x", "|"]
    # adjacent strokes, or strokes of very different heights, stay as they were
    apart = [symbols[0], s("1", 20, 95, 8, 45, *bar)]
    assert [x.label for x in pair_bars(flat(apart), apart, prior)] == ["1", "1"]
    short = [symbols[0], symbols[1], s("1", 60, 120, 8, 15, *bar)]
    assert [x.label for x in pair_bars(flat(short), short, prior)] == ["1", "x", "1"]


def test_a_closing_bar_taken_for_a_subscript_pairs_too(prior):
    bar = (("1", 0.7), ("|", 0.25))
    symbols = [s("1", 0, 95, 8, 45, *bar), s("a", 20, 105, 28, 28), s("1", 55, 100, 8, 42, *bar)]
    tree = Tree((Node("1", symbol=0), Node("a", {Relation.SUB: (Node("1", symbol=2),)}, 1)))   # "1a_{1}"
    assert [x.label for x in pair_bars(tree, symbols, prior)] == ["|", "a", "|"]


def test_recognizer_reads_unsure_symbols_in_context(recognizer):
    symbols = [s("2", 0, 100, 25, 40), s("q", 30, 100, 25, 40, ("q", 0.55), ("9", 0.45)),
               s("+", 60, 105, 25, 25), s("1", 90, 100, 10, 40)]
    result = recognizer.lay_out(symbols)
    assert result.latex == "29+1"
    assert result.symbols[1].label == "9"


def test_row_pairs_open_and_close_every_row():
    tree = Tree((Node("x", {Relation.SUP: (Node("2"),)}), Node("+"), Node("1")))
    assert list(row_pairs(tree.row)) == [("<start>", "x"), ("x", "+"), ("+", "1"), ("1", END),
                                         ("<Sup>", "2"), ("2", END)]


def test_fit_shapes_recovers_sizes_and_heights():
    # "x" sits on the line at height 20; "P" is 1.5 times taller and sits on it too
    expressions = []
    for scale in (1.0, 2.0, 3.0):
        h = int(20 * scale)
        boxes = [BBox(0, 100 - h, 20, h), BBox(30, 100 - int(1.5 * h), 20, int(1.5 * h)), BBox(60, 100 - h, 20, h)]
        tree = Tree((Node("x", symbol=0), Node("P", symbol=1), Node("x", symbol=2)))
        expressions.append((["x", "P", "x"], boxes, list(right_pairs(tree.row))))
    shapes, spread = fit_shapes(expressions)
    assert shapes["x"][0] == 0 and shapes["P"][0] == pytest.approx(math.log(1.5), abs=0.01)
    assert shapes["P"][2] == pytest.approx(-0.25, abs=0.02) and spread < 0.05


def test_confusions_count_matched_symbols_read_wrong():
    import numpy as np

    def ink(x):
        mask = np.zeros((20, 40), bool)
        mask[5:15, x:x + 8] = True
        return mask

    truth = [("P", ink(2)), ("2", ink(20))]
    found = (Symbol(BBox(2, 5, 8, 10), "p", 0.7, mask=np.ones((10, 8), bool)),
             Symbol(BBox(20, 5, 8, 10), "2", 0.9, mask=np.ones((10, 8), bool)))
    assert confusions(truth, found) == [("P", "p")]


def hand_s(size=40):
    """The mask of one writer's S: three bars joined at alternate ends."""
    import numpy as np

    mask = np.zeros((size, size * 3 // 4), bool)
    t = max(2, size // 10)
    mask[:t], mask[size // 2 - t // 2:size // 2 + t // 2 + 1], mask[-t:] = True, True, True
    mask[:size // 2, :t] = True
    mask[size // 2:, -t:] = True
    return mask


def test_a_symbol_like_a_sure_one_elsewhere_is_read_as_it(prior, relabeller):
    from dataclasses import replace

    from layout.context import look_alikes

    mask = hand_s()
    sure = replace(s("S", 0, 100, 30, 40), mask=mask)
    unsure = replace(s("5", 40, 100, 30, 40, ("5", 0.6), ("S", 0.4)), mask=mask)
    small = replace(s("s", 80, 120, 12, 16), mask=hand_s(16))
    other = replace(s("1", 120, 100, 8, 40), mask=mask[:, :4])
    assert look_alikes([sure, unsure, small, other]) == [set(), {"S"}, set(), set()]   # size and shape must match
    symbols = [sure, s("=", 35, 110, 5, 5), unsure]
    assert [x.label for x in rescore_in_context(flat(symbols), symbols, prior, relabeller)] == ["S", "=", "S"]
    # the learned re-reading is told which candidate a look-alike has
    (choice,) = candidate_features(flat(symbols), symbols, prior, relabeller.labels)
    alike = dict(zip(choice.labels, choice.features[:, FEATURES.index("look_alike")]))
    assert alike == {"5": 0.0, "S": 1.0}


def test_a_times_beside_an_operator_is_the_letter_x():
    from layout.context import resolve_in_context

    labels = ["3", r"\times", "-", "1", "=", "2", r"\times", "3"]   # 3x-1=2×3
    symbols = [s(label, 30 * k, 100, 25, 40) for k, label in enumerate(labels)]
    tree, out = resolve_in_context(flat(symbols), symbols)
    assert [n.label for n in tree.row] == ["3", "x", "-", "1", "=", "2", r"\times", "3"]
    assert out[1].label == "x" and out[6].label == r"\times"


def test_the_company_term_is_the_same_in_every_run():
    """Summed in sorted order, not a set's, whose order follows the run's string hashing."""
    code = ("from layout.context import ContextPrior; p = ContextPrior.load(); "
            "print(repr(p.log_company('x', ['2', 'y', '+', '=', 'a', 'b', '(', ')', 'n', '1', '-', 'c', 'd', 'k'])))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert len(runs) == 1
