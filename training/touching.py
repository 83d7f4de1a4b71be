"""How the segmenter parts components that hold two touching symbols, and why it fails where it does.

    python -m training.touching --split valid_2013

Every expression is drawn with the standard pen; each connected component that holds exactly two
ground-truth symbols is handed to :func:`symbolrec.split.split` alone. It is counted as *parted*
when the pieces are the two symbols' ink (as :func:`training.symbols.same_ink` decides); otherwise
as having *no right cut* among the column, seam, bar and stroke candidates, as *read whole* when the
classifier reads it as a symbol with no junk at :data:`symbolrec.split.STROKE_JUNK` (so no cut beat
it, nor were the stroke partings tried), or as *outread* when it reads as junk and a right cut
exists but a wrong one reads better. Those with no right cut are also counted by how many strokes
their skeleton breaks into (:func:`symbolrec.split.strokes`; 0 without a junction).
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from tqdm import tqdm

from handmath.evaluate import truth_symbols
from symbolrec.classify import Classifier, junk_probability, reference_of
from symbolrec.segment import segment
from symbolrec.split import STROKE_JUNK, every_cut, split, strokes
from training.crohme import SPLITS, default_data_dir, read_split
from training.photo import read_like_recogniser
from training.render import Pen, render
from training.symbols import truth_of

OUTCOMES = ("parted", "no right cut", "read whole", "outread")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="valid_2013", choices=SPLITS)
    parser.add_argument("--data", type=Path, default=None, help="folder of the CROHME archives")
    parser.add_argument("--every", type=int, default=1, help="every N-th expression only")
    return parser.parse_args(argv)


def outcomes(data: Path, split_name: str, every: int = 1) -> collections.Counter:
    """The count of each outcome (see the module's docstring) over the split's two-symbol components."""
    classifier = Classifier()
    counts: collections.Counter = collections.Counter()
    expressions = [e for e in read_split(data, split_name) if e.tree is not None][::every]
    for expr in tqdm(expressions, desc=f"touching {split_name}", unit="expr"):
        try:
            rendering = render(expr, Pen())
        except ValueError:      # too large to draw
            continue
        ink, masks = read_like_recogniser(rendering.image, rendering.symbol_masks)
        truth = truth_symbols(expr, ink, masks)
        components = segment(ink)
        reference = reference_of(components)
        for component, p in zip(components, classifier.classify(components, reference)):
            if truth_of(component, truth)[1] != 2:
                continue
            pieces, _ = split([component], p[None], classifier, reference)
            if len(pieces) == 2 and all(truth_of(piece, truth)[0] for piece in pieces):
                counts["parted"] += 1
                continue
            ways = every_cut(component, reference)
            if not any(all(truth_of(piece, truth)[0] for piece in way) for way in ways):
                counts["no right cut"] += 1
                found = strokes(component.mask, reference)
                counts[("strokes", 0 if found is None else len(found[1]))] += 1
            elif junk_probability(p, classifier.labels) < STROKE_JUNK:
                counts["read whole"] += 1
            else:
                counts["outread"] += 1
    return counts


def main(argv=None) -> int:
    args = parse_args(argv)
    counts = outcomes(args.data or default_data_dir(), args.split, args.every)
    print(f"{sum(counts[o] for o in OUTCOMES)} components holding two symbols")
    for outcome in OUTCOMES:
        print(f"  {outcome:14s} {counts[outcome]}")
    by_strokes = sorted((key[1], n) for key, n in counts.items() if isinstance(key, tuple))
    print("  no right cut, by strokes in the skeleton (0: no junction):", ", ".join(f"{k}: {n}" for k, n in by_strokes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
