"""Train the learned re-reading of unsure symbols in context: layout/models/relabel.json.

    python -m training.train_symbols --half 0 --out data/halves/0   # out-of-fold classifiers, once
    python -m training.train_symbols --half 1 --out data/halves/1
    python -m training.train_relabel       # writes layout/models/relabel.json, docs/relabel_curves.png

The shipped classifier learned train_2014's symbols and reads them far more surely than new
writing, so each half of train_2014 is read by the classifier trained on the other half, and its
context prior is counted on the other half too. Each expression is drawn with the standard pen and
read by the recogniser up to its tree; each unsure symbol whose ink is one true symbol gives a
choice among its candidate labels (:func:`layout.context.candidate_features`). Boosted trees
(scikit-learn) learn which candidate is the true one. valid_2013, read by the shipped classifier and
prior, is where the choices are measured, iteration by iteration.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from handmath.evaluate import match_symbols, truth_symbols
from handmath.recognize import Recognizer
from layout import parse
from layout.context import FEATURES, RELABEL, Choice, ContextPrior, candidate_features
from layout.forest import Forest
from symbolrec import HandmathError, features
from symbolrec.classify import Classifier
from training import crohme
from training.context_prior import count
from training.photo import read_like_recogniser
from training.render import Pen, render


def choices(expressions, recognizer: Recognizer, prior: ContextPrior, labels: tuple[str, ...], desc: str):
    """Yield (:class:`Choice`, true label or None) for every unsure symbol of the one-line
    expressions, read by ``recognizer`` up to the tree its re-reading starts from."""
    for expr in tqdm(expressions, desc=desc, unit="expr", mininterval=10):
        try:
            rendering = render(expr, Pen())
            ink, boxes = recognizer.lines(rendering.image)
            if len(boxes) != 1:
                continue
            symbols = recognizer.read_symbols(np.ascontiguousarray(ink[boxes[0].slice()]))
        except (ValueError, HandmathError):
            continue
        if not symbols:
            continue
        tree = parse(symbols, features.reference_height([s.bbox for s in symbols]), recognizer.scorer).tree
        gt = truth_symbols(expr, *read_like_recogniser(rendering.image, rendering.symbol_masks))
        placed = [replace(s, bbox=s.bbox.shifted(boxes[0].x, boxes[0].y)) for s in symbols]   # in the image
        truth = {k: label for (label, _), k in zip(gt, match_symbols(gt, placed)) if k is not None}
        for choice in candidate_features(tree, symbols, prior, labels):
            yield choice, truth.get(choice.symbol)


def collect(args) -> tuple[list, list[str | None]]:
    """One split's (or half's) choices and true labels: ``args`` = (data dir, split, half or None,
    classifier model or None, prior table or None, labels)."""
    data, split, half, model, table, labels = args
    expressions = [e for i, e in enumerate(crohme.read_split(data, split)) if crohme.in_half(i, half)]
    expressions = [e for e in expressions if e.tree is not None]
    prior = ContextPrior.from_dict(table) if table else ContextPrior.load()
    found = list(choices(expressions, Recognizer(model), prior, labels, f"{split}{'' if half is None else f' half {half}'}"))
    return [c for c, _ in found], [t for _, t in found]


def rows(found: list[Choice], truth: list[str | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate rows (features), whether each is the true label, and each row's choice number,
    for the choices whose symbol is a true one."""
    kept = [(c, t) for c, t in zip(found, truth) if t is not None]
    x = np.concatenate([c.features for c, _ in kept])
    y = np.concatenate([[label == t for label in c.labels] for c, t in kept])
    group = np.concatenate([[k] * len(c.labels) for k, (c, _) in enumerate(kept)])
    return x, y, group


def chosen_right(scores: np.ndarray, y: np.ndarray, group: np.ndarray) -> int:
    """How many choices pick their true label with the highest score."""
    order = np.lexsort((-scores, group))
    first = order[np.r_[True, group[order][1:] != group[order][:-1]]]
    return int(y[first].sum())


def plot_curves(curves: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(6.5, 3.8))
    for name, values in curves["learned"].items():
        axis.plot(np.arange(1, len(values) + 1), values, label=f"{name}: learned")
    for k, (name, value) in enumerate(curves["hand"].items()):
        axis.axhline(value, color=f"C{k}", linestyle=":", label=f"{name}: hand-set score")
    axis.set_xlabel("boosting iteration")
    axis.set_ylabel("unsure symbols read right")
    axis.set_title("Re-reading in context: true label chosen among the candidates", fontsize=9)
    axis.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=crohme.default_data_dir(), help="CROHME archives")
    parser.add_argument("--halves", type=Path, default=crohme.HALVES,
                        help="the out-of-fold classifiers: HALVES/0 and HALVES/1 (training.train_symbols --half)")
    parser.add_argument("--out", type=Path, default=RELABEL)
    parser.add_argument("--curves", type=Path, default=Path("docs/relabel_curves.png"))
    parser.add_argument("--cache", type=Path, default=Path("data/relabel_choices.npz"),
                        help="the choices read from train_2014 and valid_2013, kept to refit without reading again")
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--learning-rate", type=float, default=0.05)
    parser.add_argument("--leaves", type=int, default=31, help="leaves per tree at most")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    started = time.time()
    from sklearn.ensemble import HistGradientBoostingClassifier

    labels = Classifier().labels
    cached = np.load(args.cache) if args.cache.exists() else None
    if cached is not None and "names" in cached.files and tuple(cached["names"]) == FEATURES:   # kept from a run with these features
        x, y, group, xv, yv, gv = (cached[k] for k in ("x", "y", "group", "xv", "yv", "gv"))
    else:
        train = list(crohme.read_split(args.data, "train_2014"))
        tables = [count(e for i, e in enumerate(train) if crohme.in_half(i, half)) for half in (0, 1)]
        jobs = [(args.data, "train_2014", half, args.halves / str(1 - half) / "symbols.tflite", tables[1 - half], labels)
                for half in (0, 1)]
        with ProcessPoolExecutor(2) as pool:
            halves = list(pool.map(collect, jobs))
        x, y, group = rows([c for h in halves for c in h[0]], [t for h in halves for t in h[1]])
        xv, yv, gv = rows(*collect((args.data, "valid_2013", None, None, None, labels)))
        args.cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(args.cache, x=x, y=y, group=group, xv=xv, yv=yv, gv=gv, names=np.array(FEATURES))
    logging.info("%d train_2014 and %d valid_2013 choices", group[-1] + 1, gv[-1] + 1)

    model = HistGradientBoostingClassifier(learning_rate=args.learning_rate, max_iter=args.iterations,
                                           max_leaf_nodes=args.leaves, random_state=0).fit(x, y)
    hand = FEATURES.index("hand")
    curves = {"learned": {"train_2014 (out of fold)": [chosen_right(s, y, group) / (group[-1] + 1)
                                                       for s in model.staged_decision_function(x)],
                          "valid_2013": [chosen_right(s, yv, gv) / (gv[-1] + 1) for s in model.staged_decision_function(xv)]},
              "hand": {"train_2014 (out of fold)": chosen_right(x[:, hand], y, group) / (group[-1] + 1),
                       "valid_2013": chosen_right(xv[:, hand], yv, gv) / (gv[-1] + 1)}}
    plot_curves(curves, args.curves)
    forest = Forest.from_sklearn(model, FEATURES)
    metrics = {"valid_2013_choices": int(gv[-1] + 1),
               "valid_2013_right": chosen_right(forest.score(xv), yv, gv),
               "valid_2013_right_hand_score": chosen_right(xv[:, hand], yv, gv),
               "valid_2013_right_first": chosen_right(-xv[:, FEATURES.index("rank")], yv, gv),
               "train_2014_choices": int(group[-1] + 1), "iterations": int(model.n_iter_),
               "learning_rate": args.learning_rate, "leaves": args.leaves, "wall_seconds": round(time.time() - started)}
    args.out.write_text(json.dumps({**metrics, "labels": list(labels), "forest": forest.to_dict()},
                                   separators=(",", ":")) + "\n")
    logging.info("valid_2013: the learned choice is right for %d of %d unsure symbols, the hand-set score "
                 "for %d, the classifier's first label for %d; wrote %s", metrics["valid_2013_right"],
                 metrics["valid_2013_choices"], metrics["valid_2013_right_hand_score"],
                 metrics["valid_2013_right_first"], args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
