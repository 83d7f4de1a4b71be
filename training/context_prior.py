"""Count which symbols follow which in CROHME ground-truth trees: the context prior's table.

    python -m training.context_prior          # writes layout/models/context.json

Each row of a tree is read left to right; a row opens with the token of its relation to its
parent (``<Sup>``, ``<Below>``; ``<start>`` for the main row) and closes with ``</>``. The file
holds, for every token, how often each symbol (or ``</>``) came next in train_2014, and for
every pair of symbols in how many expressions both appear.

It also holds each symbol's shape in its row, fitted on the boxes the standard pen draws: its log
height above the expression's log size unit (``log h = unit + height``, fitted by alternating
means), the spread of that, and its centre's height (``(cy_b - cy_a) / exp(unit) = centre_b -
centre_a`` for right neighbours ``a b``, fitted by least squares); both relative to ``x``.
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

import numpy as np

from layout._tree import Node
from layout.context import END, start_token
from training import crohme
from training.render import Pen, stroke_boxes

OUT = Path(__file__).resolve().parent.parent / "layout" / "models" / "context.json"


def row_pairs(row: tuple[Node, ...], relation: str = "start"):
    """Yield (token, next token) along ``row`` and every row below it."""
    tokens = [start_token(relation)] + [node.label for node in row] + [END]
    yield from zip(tokens, tokens[1:])
    for node in row:
        for child_relation, kids in node.children.items():
            yield from row_pairs(kids, child_relation.value)


def right_pairs(row: tuple[Node, ...]):
    """Yield the (left, right) symbol indices of neighbours in ``row`` and every row below it."""
    for a, b in zip(row, row[1:]):
        if a.symbol is not None and b.symbol is not None:
            yield a.symbol, b.symbol
    for node in row:
        for kids in node.children.values():
            yield from right_pairs(kids)


def fit_shapes(expressions: list[tuple[list[str], list, list[tuple[int, int]]]], reference: str = "x"):
    """Per-label (height, spread, centre) and the centre residuals' spread (see the module doc).

    ``expressions`` holds, per expression, its symbols' labels, boxes and right-neighbour pairs.
    """
    labels = sorted({label for names, _, _ in expressions for label in names})
    index = {label: k for k, label in enumerate(labels)}
    which = np.array([e for e, (names, _, _) in enumerate(expressions) for _ in names])
    kind = np.array([index[label] for names, _, _ in expressions for label in names])
    log_h = np.log([max(b.h, 1) for _, boxes, _ in expressions for b in boxes])
    counts = np.maximum(np.bincount(kind, minlength=len(labels)), 1)
    height = np.zeros(len(labels))
    for _ in range(20):
        unit = np.bincount(which, log_h - height[kind]) / np.bincount(which)
        height = np.bincount(kind, log_h - unit[which], minlength=len(labels)) / counts
        height -= height[index[reference]]
    unit = np.bincount(which, log_h - height[kind]) / np.bincount(which)
    spread = np.sqrt(np.bincount(kind, (log_h - unit[which] - height[kind]) ** 2, minlength=len(labels)) / counts)

    rows, steps = [], []
    for e, (names, boxes, pairs) in enumerate(expressions):
        for a, b in pairs:
            rows.append((index[names[a]], index[names[b]]))
            steps.append((boxes[b].cy - boxes[a].cy) / np.exp(unit[e]))
    rows, steps = np.array(rows), np.array(steps)
    design = np.zeros((len(steps), len(labels)))
    design[np.arange(len(steps)), rows[:, 1]] += 1
    design[np.arange(len(steps)), rows[:, 0]] -= 1
    centre = np.linalg.lstsq(design, steps, rcond=None)[0]
    centre -= centre[index[reference]]
    centre_spread = float(np.std(steps - design @ centre))
    shapes = {label: [round(float(height[k]), 4), round(max(float(spread[k]), 0.1), 4), round(float(centre[k]), 4)]
              for label, k in index.items()}
    return shapes, round(centre_spread, 4)


def count(expressions) -> dict:
    """The prior's table (see the module doc) counted on ``expressions`` (those with a tree)."""
    follows: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    together: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    counted = 0
    boxed = []
    for expr in expressions:
        if expr.tree is None:
            continue
        counted += 1
        for token, after in row_pairs(expr.tree.row):
            follows[token][after] += 1
        boxed.append(([symbol.label for symbol in expr.symbols], stroke_boxes(expr, Pen()),
                      list(right_pairs(expr.tree.row))))
        labels = {node.label for node in expr.tree.nodes()}
        for label in labels:
            together[label].update(labels)
    shapes, centre_spread = fit_shapes(boxed)

    def table(counters):   # sorted, so that the file only changes when the data does
        return {key: dict(sorted(counts.items())) for key, counts in sorted(counters.items())}
    return {"expressions": counted, "follows": table(follows), "together": table(together),
            "shapes": dict(sorted(shapes.items())), "centre_spread": centre_spread}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=crohme.default_data_dir())
    parser.add_argument("--split", default="train_2014", choices=crohme.SPLITS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    table = {"split": args.split, **count(crohme.read_split(args.data, args.split))}
    args.out.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{args.out}: {sum(map(sum, (c.values() for c in table['follows'].values())))} pairs "
          f"from {table['expressions']} expressions, {len(table['follows'])} tokens")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
