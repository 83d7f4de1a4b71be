"""How many true relations each candidate graph keeps, on a split's true symbols.

    python -m training.candidates --split valid_2013

Prints, for k nearest neighbours (k = 1…8), line of sight, and both together, the share of the
ground-truth symbol relations (training.relations.symbol_relations) that are candidate edges, the
share of expressions whose relations are all kept, and the mean number of edges per symbol.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import networkx as nx

from layout.candidates import line_of_sight, nearest_neighbours
from training import crohme
from training.parser_alone import truth_split
from training.relations import symbol_relations


def coverage(expressions, build) -> tuple[float, float, float]:
    """(relations kept, expressions with all kept, edges per symbol) for the graph ``build(boxes)``."""
    kept = total = whole = edges = symbols = 0
    for expr in expressions:
        position = {k: i for i, k in enumerate(expr.index)}
        graph = build([s.bbox for s in expr.symbols])
        truth = [(position[a], position[b]) for a, b, _ in symbol_relations(expr.tree)
                 if a in position and b in position]
        hits = sum(graph.has_edge(a, b) for a, b in truth)
        kept, total, whole = kept + hits, total + len(truth), whole + (hits == len(truth))
        edges, symbols = edges + graph.number_of_edges(), symbols + len(expr.symbols)
    return kept / max(total, 1), whole / max(len(expressions), 1), edges / max(symbols, 1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=crohme.default_data_dir())
    parser.add_argument("--split", default="valid_2013")
    args = parser.parse_args(argv)
    expressions = truth_split(args.data, args.split)
    graphs = {f"{k} nearest": (lambda b, k=k: nearest_neighbours(b, k)) for k in (1, 2, 3, 4, 6, 8)}
    graphs["line of sight"] = line_of_sight
    graphs["line of sight + 2 nearest"] = lambda b: nx.compose(line_of_sight(b), nearest_neighbours(b, 2))
    print(f"{args.split}: {'graph':28} relations kept  expressions whole  edges/symbol")
    for name, build in graphs.items():
        rate, whole, per_symbol = coverage(expressions, build)
        print(f"{'':{len(args.split) + 2}}{name:28} {rate:13.4f}  {whole:17.4f}  {per_symbol:12.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
