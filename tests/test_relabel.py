"""The learned re-reading in context: its trees, its features, and its training's bookkeeping."""

import json

import numpy as np
import pytest

from layout import Node, Tree
from layout.context import FEATURES, Choice, ContextPrior, Relabeller, candidate_features
from layout.forest import Forest
from symbolrec import BBox, Symbol
from training.train_relabel import chosen_right, rows


def stump(threshold=0.5, low=-1.0, high=1.0, baseline=0.0):
    """One tree splitting feature ``x`` at ``threshold``: ``low`` at or below it, ``high`` above."""
    return Forest(("x",), baseline, np.array([0]), np.array([0, 0, 0]), np.array([threshold, 0, 0]),
                  np.array([1, 0, 0]), np.array([2, 0, 0]), np.array([True, False, False]),
                  np.array([False, True, True]), np.array([0.0, low, high]))


def test_a_forest_adds_each_trees_leaf_to_its_baseline():
    one = stump(baseline=0.25)
    assert one.score(np.array([[0.5], [0.7], [np.nan]])).tolist() == [-0.75, 1.25, -0.75]   # missing goes left
    # two trees, the second one deeper on the right: scored together
    two = Forest.from_dict({"names": ["x"], "baseline": 0.0, "roots": [0, 3],
                            "feature": [0, 0, 0, 0, 0, 0, 0, 0], "threshold": [0.5, 0, 0, 0.2, 0, 0.9, 0, 0],
                            "left": [1, 0, 0, 4, 0, 6, 0, 0], "right": [2, 0, 0, 5, 0, 7, 0, 0],
                            "missing_left": [True] * 8, "leaf": [0, 1, 1, 0, 1, 0, 1, 1],
                            "value": [0, -1, 1, 0, 10, 0, 20, 30]})
    assert two.score(np.array([[0.1], [0.6], [1.0]])).tolist() == [9.0, 21.0, 31.0]
    assert Forest.from_dict(json.loads(json.dumps(two.to_dict()))).score(np.array([[0.6]])).tolist() == [21.0]
    with pytest.raises(ValueError, match="shape"):
        two.score(np.zeros((2, 3)))


def test_the_shipped_relabeller_reads_the_features_the_code_computes():
    relabeller = Relabeller.load()
    assert relabeller.forest.names == FEATURES
    assert len(relabeller.forest.roots) >= 10 and "x" in relabeller.labels


def s(label, x, y, w, h, *alternatives):
    alternatives = alternatives or ((label, 1.0),)
    return Symbol(BBox(x, y, w, h), label, alternatives[0][1], alternatives)


def test_candidate_features_describe_each_unsure_symbols_alternatives():
    prior = ContextPrior.load()
    symbols = [s("a", 0, 112, 28, 28), s("x", 40, 92, 36, 48, ("x", 0.6), ("X", 0.39), ("+", 0.01)),
               s("2", 90, 112, 26, 28, ("2", 0.995), ("z", 0.005))]
    tree = Tree(tuple(Node(x.label, symbol=i) for i, x in enumerate(symbols)))
    (choice,) = candidate_features(tree, symbols, prior, ("X", "x"))   # the sure 2 is left alone; + is too unlikely
    assert choice.symbol == 1 and choice.labels == ("x", "X")
    column = {name: choice.features[:, k].tolist() for k, name in enumerate(FEATURES)}
    assert column["log_p"] == pytest.approx([np.log(0.6), np.log(0.39)])
    assert column["case"] == [1.0, 1.0] and column["rank"] == [0, 1] and column["first"] == [1.0, 0.0]
    assert column["capital"] == [0.0, 1.0] and column["label"] == [1, 0] and column["first_label"] == [1, 1]
    assert max(column["hand_gap"]) == 0.0
    # the tall x among small letters: its height says capital
    assert column["height"][1] > column["height"][0]


def test_training_counts_choices_won_by_the_true_label():
    found = [Choice(0, ("x", "X"), np.zeros((2, 1))), Choice(1, ("5", "s", "S"), np.zeros((3, 1))),
             Choice(2, ("1", "l"), np.zeros((2, 1)))]
    x, y, group = rows(found, ["X", "s", None])   # the third symbol is no true symbol: left out
    assert y.tolist() == [False, True, False, True, False] and group.tolist() == [0, 0, 1, 1, 1]
    assert chosen_right(np.array([0.1, 0.9, 0.2, 0.5, 0.4]), y, group) == 2
    assert chosen_right(np.array([0.9, 0.1, 0.6, 0.5, 0.4]), y, group) == 0
