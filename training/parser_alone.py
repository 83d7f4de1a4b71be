"""Score the layout parser alone: the true symbols (labels and ink boxes) in, LaTeX out.

    python -m training.parser_alone --split valid_2013          # structure rate, failures listed

The symbols are cut from the standard-pen rendering exactly as ``handmath evaluate`` cuts them
(``structure_rate_ground_truth_symbols``), and cached per split, so trying a parser takes seconds.
"""

from __future__ import annotations

import argparse
import logging
import pickle
from dataclasses import dataclass
from pathlib import Path

from latexgen import to_latex
from layout import Tree, parse
from symbolrec import BBox, Symbol, features
from symbolrec.preprocess import binarize
from training import crohme
from training.render import Pen, render
from symbolrec.segment import ink_box

CACHE = Path.home() / ".cache" / "handmath" / "parser_alone"


@dataclass(frozen=True)
class TruthExpression:
    """One expression's true symbols as the recogniser would see them, and its true tree.

    ``index[k]`` is the position in ``expr.symbols`` (the tree's ``Node.symbol``) of ``symbols[k]``.
    """

    name: str
    latex: str
    symbols: tuple[Symbol, ...]
    index: tuple[int, ...]
    tree: Tree


def truth_expression(expr: crohme.InkExpression) -> TruthExpression | None:
    """The symbols of ``expr`` drawn with the standard pen, each with the box of its own ink (None
    without a tree, or when it is too large to draw)."""
    if expr.tree is None:
        return None
    try:
        rendering = render(expr, Pen())
    except ValueError as err:   # too large to draw (a few train_2014 pages)
        logging.getLogger(__name__).debug("%s", err)
        return None
    ink = binarize(rendering.image, min_area=1)
    symbols, index = [], []
    for k, (s, mask) in enumerate(zip(expr.symbols, rendering.symbol_masks)):
        box = ink_box(ink & mask)
        if box is not None:
            symbols.append(Symbol(box, s.label, 1.0))
            index.append(k)
    return TruthExpression(expr.name, to_latex(expr.tree), tuple(symbols), tuple(index), expr.tree)


def truth_split(data_dir: Path, split: str, limit: int | None = None) -> list[TruthExpression]:
    """Every expression of ``split`` with a MathML tree, from the cache when it is there."""
    path = CACHE / f"{split}_{limit or 'all'}.pickle"
    if path.exists():  # plain tuples, so that the cache does not depend on who imported this module
        return [TruthExpression(*fields) for fields in pickle.loads(path.read_bytes())]
    out = [t for e in crohme.read_split(data_dir, split, limit=limit) if (t := truth_expression(e))]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps([astuple_shallow(t) for t in out]))
    return out


def astuple_shallow(expr: TruthExpression) -> tuple:
    return (expr.name, expr.latex, expr.symbols, expr.index, expr.tree)


def read(expr: TruthExpression, scorer=None) -> str:
    """What the parser writes for ``expr``'s true symbols."""
    symbols = list(expr.symbols)
    if not symbols:
        return ""
    reference = features.reference_height([s.bbox for s in symbols])
    return to_latex(parse(symbols, reference, scorer).tree)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=crohme.default_data_dir())
    parser.add_argument("--split", default="valid_2013")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--scorer", choices=("learned", "geometric", "edges"), default="edges")
    parser.add_argument("--show", type=int, default=0, help="print this many failures")
    parser.add_argument("--model", type=Path, default=None, help="the model (.tflite) to try")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from layout.scorer import EdgeScorer, GeometricScorer, LearnedScorer

    scorer = {"learned": LearnedScorer, "geometric": GeometricScorer, "edges": EdgeScorer}[args.scorer]
    scorer = scorer(args.model) if args.model else scorer()
    expressions = truth_split(args.data, args.split, args.limit)
    failures = [(e.name, e.latex, got) for e in expressions if (got := read(e, scorer)) != e.latex]
    for name, want, got in failures[:args.show]:
        print(f"{name}\n  want {want}\n  got  {got}")
    rate = 1 - len(failures) / max(len(expressions), 1)
    print(f"{args.split}: parser alone {rate:.4f} ({len(expressions) - len(failures)}/{len(expressions)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
