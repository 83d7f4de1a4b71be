"""The edge model's inputs, the tree builder over scored edges, and the shipped edge model."""

import networkx as nx
import numpy as np
import pytest

from latexgen import to_latex
from layout import Item, Relation, parse
from layout.arborescence import best_tree, edge_graph, flatten_scripts
from layout.candidates import line_of_sight, nearest_neighbours
from layout.features import CONTEXT_GEOMETRY, EDGE_GEOMETRY, NEIGHBOURS, candidate_parents, row_features
from symbolrec import BBox, Symbol

H = 40
RELATIONS = (None, Relation.RIGHT, Relation.SUP, Relation.SUB)


def s(label, x, y, w=30, h=H):
    return Symbol(BBox(x, y, w, h), label, 1.0, ((label, 1.0),))


class TableScorer:
    """Scores edges from a table {(parent label, child label): relation}; anything else: none."""

    relations = RELATIONS

    def __init__(self, table):
        self.table = table

    def score_row(self, items, reference):
        pairs = candidate_parents(items)
        probabilities = np.zeros((len(pairs), 4), np.float32)
        for k, (p, c) in enumerate(pairs):
            relation = self.table.get((items[p].label, items[c].label))
            relation, likely = relation if isinstance(relation, tuple) else (relation, 0.9)
            probabilities[k, RELATIONS.index(relation)] = likely
            probabilities[k] += (1 - likely) / 4
        return pairs, probabilities


def test_candidate_parents_run_forward_and_keep_the_previous_item():
    row = [Item(str(k), BBox(40 * k, 0, 30, 30), BBox(40 * k, 0, 30, 30)) for k in range(12)]
    pairs = candidate_parents(row, parents=3)
    assert all(p < c for p, c in pairs)
    assert {(c - 1, c) for c in range(1, 12)} <= {tuple(p) for p in pairs.tolist()}
    assert max(np.bincount(pairs[:, 1])) == 3


def test_row_features_shapes_and_unknown_labels():
    row = [Item(label, BBox(40 * k, 0, 30, 30), BBox(40 * k, 0, 30, 30)) for k, label in enumerate("xy?")]
    pairs = candidate_parents(row)
    f = row_features(row, pairs, H, {"x": 1, "y": 2})
    assert f["geometry"].shape == (3, EDGE_GEOMETRY) and f["geometry"].dtype == np.float32
    assert f["context"].shape == (3, NEIGHBOURS, CONTEXT_GEOMETRY)
    assert f["labels"].tolist() == [[1, 2], [1, 0], [2, 0]]
    assert f["context_mask"].sum(axis=1).tolist() == [1, 1, 1]   # three items: one neighbour each
    assert np.isfinite(f["context"]).all()


def test_best_tree_prefers_the_likelier_parent():
    pairs = np.array([[0, 1], [0, 2], [1, 2]])
    probabilities = np.array([[0.0, 0.0, 1.0, 0.0], [0.3, 0.7, 0.0, 0.0], [0.6, 0.4, 0.0, 0.0]])
    tree = best_tree(edge_graph(3, pairs, probabilities, RELATIONS))
    assert {(u, v): d["relation"] for u, v, d in tree.edges(data=True)} == {
        (0, 1): Relation.SUP, (0, 2): Relation.RIGHT}
    assert nx.is_arborescence(tree)


def test_edge_graph_checks_its_input():
    with pytest.raises(ValueError, match="shape"):
        edge_graph(2, np.array([[0, 1]]), np.ones((1, 3)), RELATIONS)


def test_parse_over_scored_edges():
    symbols = [s("x", 0, 100, 30, 28), s("2", 34, 72, 18, 24), s("+", 70, 100, 28, 28), s("1", 110, 88, 12, 40)]
    scorer = TableScorer({("x", "2"): Relation.SUP, ("x", "+"): Relation.RIGHT, ("+", "1"): Relation.RIGHT})
    result = parse(symbols, H, scorer)
    assert to_latex(result.tree) == "x^{2}+1"
    assert result.graph.edges[0, 1]["relation"] is Relation.SUP
    assert result.graph.edges[0, 2]["relation"] is Relation.RIGHT


def test_two_right_neighbours_follow_one_another():
    symbols = [s("a", 0, 100), s("b", 40, 100), s("c", 80, 100)]
    scorer = TableScorer({("a", "b"): Relation.RIGHT, ("a", "c"): Relation.RIGHT})
    assert to_latex(parse(symbols, H, scorer).tree) == "abc"


def test_relation_symbols_stay_off_script_rows():
    symbols = [s("R", 0, 100), s("d", 34, 130, 16, 20), s("=", 60, 110, 30, 16), s("x", 100, 106, 26, 26)]
    scorer = TableScorer({("R", "d"): Relation.SUB, ("d", "="): (Relation.RIGHT, 0.95),
                          ("R", "="): (Relation.RIGHT, 0.8), ("=", "x"): Relation.RIGHT})
    assert to_latex(parse(symbols, H, scorer).tree) == "R_{d}=x"
    lim = [s(r"\lim", 0, 100, 50, 30), s("x", 52, 120, 14, 14), s(r"\rightarrow", 68, 122, 20, 10),
           s("0", 90, 118, 12, 16)]
    scorer = TableScorer({(r"\lim", "x"): Relation.SUB, ("x", r"\rightarrow"): Relation.RIGHT,
                          (r"\rightarrow", "0"): Relation.RIGHT})
    assert to_latex(parse(lim, H, scorer).tree) == r"\lim_{x\rightarrow0}"   # a limit operator's scripts may


def test_a_relation_symbol_whose_only_candidate_parent_is_in_a_script_follows_the_script_s_base():
    pairs = np.array([[0, 1], [1, 2], [2, 3]])   # R d = x: no (R, =) candidate
    probabilities = np.array([[0.0, 0.1, 0.0, 0.9], [0.0, 0.9, 0.1, 0.0], [0.0, 1.0, 0.0, 0.0]])
    tree = best_tree(edge_graph(4, pairs, probabilities, RELATIONS), on_baseline={2})
    assert {(u, v): d["relation"] for u, v, d in tree.edges(data=True)} == {
        (0, 1): Relation.SUB, (0, 2): Relation.RIGHT, (2, 3): Relation.RIGHT}
    assert nx.is_arborescence(tree)


def test_a_closing_bracket_stays_in_its_opening_one_s_row():
    symbols = [s("(", 0, 90, 14, 50), s("G", 20, 100), s("z", 54, 110, 24, 26), s(")", 84, 90, 14, 50)]
    scorer = TableScorer({("(", "G"): Relation.RIGHT, ("G", "z"): Relation.SUB, ("z", ")"): (Relation.RIGHT, 0.95),
                          ("G", ")"): (Relation.RIGHT, 0.8)})
    assert to_latex(parse(symbols, H, scorer).tree) == "(G_{z})"


def test_a_script_ends_before_a_symbol_on_its_base_s_line():
    symbols = [s("E", 0, 100, 30, 40), s("0", 34, 125, 14, 22), s("/", 52, 103, 20, 50), s("(", 76, 103, 10, 50),
               s("1", 90, 108, 8, 40), s(")", 102, 103, 10, 50)]
    chain = {("E", "0"): Relation.SUB, ("0", "/"): Relation.RIGHT, ("/", "("): Relation.RIGHT,
             ("(", "1"): Relation.RIGHT, ("1", ")"): Relation.RIGHT}
    assert to_latex(parse(symbols, H, TableScorer(chain)).tree) == "E_{0}/(1)"
    symbols = [s("E", 0, 100, 30, 40), s("0", 34, 125, 14, 22), s("+", 52, 116, 16, 16), s("z", 72, 114, 20, 28)]
    chain = {("E", "0"): Relation.SUB, ("0", "+"): Relation.RIGHT, ("+", "z"): Relation.RIGHT}
    assert to_latex(parse(symbols, H, TableScorer(chain)).tree) == "E_{0}+z"   # the + leaves with the z

    symbols = [s("y", 0, 100, 30, 40), s("m", 34, 125, 22, 18), s("-", 62, 110, 16, 4), s("x", 84, 99, 26, 26)]
    chain = {("y", "m"): Relation.SUB, ("m", "-"): Relation.SUP, ("-", "x"): Relation.RIGHT}
    assert to_latex(parse(symbols, H, TableScorer(chain)).tree) == "y_{m}-x"   # a script's script returns too


def test_a_script_of_two_level_symbols_is_a_word_on_the_base_s_line():
    symbols = [s("R", 0, 100, 30, 40), s("e", 34, 116, 22, 24), s("d", 60, 100, 22, 40)]
    scorer = TableScorer({("R", "e"): Relation.SUB, ("e", "d"): Relation.RIGHT})
    assert to_latex(parse(symbols, H, scorer).tree) == "Red"


def test_bracket_pairs_match_in_reading_order():
    from layout.rules import bracket_pairs

    assert bracket_pairs(list("(a(b)c)")) == ((2, 4), (0, 6))
    assert bracket_pairs(["[", "0", ",", "1", ")"]) == ()


def test_containers_keep_their_rows_under_the_edge_parser():
    symbols = [s("a", 0, 100, 28, 28), s("=", 40, 106, 30, 16), s("b", 95, 50, 26, 40),
               s("-", 80, 104, 60, 4), s("c", 97, 116, 26, 28)]
    scorer = TableScorer({("a", "="): Relation.RIGHT, ("=", "-"): Relation.RIGHT})
    assert to_latex(parse(symbols, H, scorer).tree) == r"a=\frac{b}{c}"


def test_candidate_graphs():
    boxes = [BBox(0, 0, 10, 10), BBox(20, 0, 10, 10), BBox(40, 0, 10, 10), BBox(20, 30, 10, 10)]
    assert set(nearest_neighbours(boxes, 1).edges()) == {(0, 1), (1, 2), (1, 3)}
    sight = line_of_sight(boxes)
    assert not sight.has_edge(0, 2)   # hidden behind box 1
    assert sight.has_edge(0, 3) and sight.has_edge(2, 3)


def test_best_incoming_edges_are_edmonds_on_forward_graphs():
    rng = np.random.default_rng(0)
    for size in (2, 5, 9):
        pairs = np.array([(p, c) for c in range(1, size) for p in range(c)])
        probabilities = rng.dirichlet(np.ones(4), len(pairs))
        graph = edge_graph(size, pairs, probabilities, RELATIONS)
        ours = best_tree(graph)
        edmonds = nx.maximum_spanning_arborescence(graph, attr="weight")
        assert set(ours.edges()) == set(edmonds.edges())


@pytest.fixture(scope="module")
def edge_scorer():
    from layout.scorer import EdgeScorer

    return EdgeScorer()


def test_shipped_edge_model_scores_every_candidate(edge_scorer):
    symbols = [s("x", 0, 100, 30, 28), s("2", 34, 72, 18, 24), s("+", 70, 100, 28, 28), s("1", 110, 88, 12, 40)]
    items = [Item(x.label, x.bbox, x.bbox) for x in symbols]
    pairs, probabilities = edge_scorer.score_row(items, H)
    assert pairs.tolist() == [[0, 1], [0, 2], [1, 2], [0, 3], [1, 3], [2, 3]]
    assert probabilities.shape == (6, 4)
    assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-4)
    best = {tuple(p): edge_scorer.relations[int(np.argmax(q))] for p, q in zip(pairs.tolist(), probabilities)}
    assert best[0, 1] is Relation.SUP and best[0, 2] is Relation.RIGHT and best[2, 3] is Relation.RIGHT
    assert best[1, 2] is None          # the + follows the x, not its exponent


def test_shipped_edge_model_reads_a_prime_as_a_superscript(edge_scorer):
    symbols = [s("f", 0, 90, 24, 50), s(r"\prime", 28, 84, 6, 14), s("(", 40, 90, 12, 48), s("x", 56, 106, 26, 26),
               s(")", 86, 90, 12, 48)]
    assert to_latex(parse(symbols, H, edge_scorer).tree) == r"f^{\prime}(x)"


def test_a_script_s_own_script_must_be_twice_as_likely_as_reading_on_in_the_script():
    pairs = np.array([[0, 1], [1, 2]])   # \gamma j k: j is \gamma's subscript, k j's subscript or its neighbour
    unsure = best_tree(edge_graph(3, pairs, np.array([[0.0, 0.1, 0.0, 0.9], [0.0, 0.3, 0.0, 0.5]]), RELATIONS))
    assert [d["relation"] for _, _, d in sorted(flatten_scripts(unsure).edges(data=True))] == [Relation.SUB, Relation.RIGHT]
    sure = best_tree(edge_graph(3, pairs, np.array([[0.0, 0.1, 0.0, 0.9], [0.0, 0.1, 0.0, 0.9]]), RELATIONS))
    assert [d["relation"] for _, _, d in sorted(flatten_scripts(sure).edges(data=True))] == [Relation.SUB, Relation.SUB]
