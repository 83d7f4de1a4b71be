"""Which symbols the recogniser reads as which other ones on a rendered CROHME split.

    python -m training.confusions --split valid_2013 [--limit N] [--top 25]

Every expression is drawn with the standard pen and recognised, as ``handmath evaluate`` does.
Each ground-truth symbol segmented right (the evaluation's ink match) but labelled wrong counts
as one (truth, read) confusion; the most frequent are printed.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from tqdm import tqdm

from handmath.evaluate import score_symbols, truth_symbols
from handmath.recognize import Recognizer
from symbolrec import HandmathError
from training import crohme
from training.photo import read_like_recogniser
from training.render import Pen, render


def confusions(truth, found) -> list[tuple[str, str]]:
    """(truth label, read label) for each symbol of ``truth`` matched by one of ``found`` but read wrong."""
    out = []
    for item in truth:
        for symbol in found:
            segmented, classified = score_symbols([item], (symbol,))
            if segmented:
                if not classified:
                    out.append((item[0], symbol.label))
                break
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="valid_2013", choices=crohme.SPLITS)
    parser.add_argument("--data", type=Path, default=crohme.default_data_dir())
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)

    recognizer = Recognizer()
    counts: collections.Counter = collections.Counter()
    expressions = [e for e in crohme.read_split(args.data, args.split, limit=args.limit) if e.tree is not None]
    for expr in tqdm(expressions, desc=f"confusions {args.split}", unit="expr"):
        rendering = render(expr, Pen())
        try:
            result = recognizer.recognize(rendering.image)
        except HandmathError:
            continue
        truth = truth_symbols(expr, *read_like_recogniser(rendering.image, rendering.symbol_masks))
        counts.update(confusions(truth, result.symbols))
    print(f"{sum(counts.values())} symbols segmented right but labelled wrong in {len(expressions)} expressions")
    for (truth, read), n in counts.most_common(args.top):
        print(f"{truth:>12} read as {read:<12} {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
