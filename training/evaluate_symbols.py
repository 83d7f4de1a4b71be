"""Accuracy of the shipped symbol classifier on ground-truth symbol crops of a CROHME split.

    python -m training.evaluate_symbols --split test_2014

Runs the exported .tflite model through LiteRT, exactly as the recogniser does.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

import numpy as np

from symbolrec.classify import JUNK, Classifier
from training import crohme
from training.symbols import build


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="valid_2013", choices=crohme.SPLITS)
    parser.add_argument("--data", type=Path, default=crohme.default_data_dir())
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args(argv)

    data = build(args.data, args.split, renders=1, seed=0)
    classifier = Classifier(args.model, threads=2)
    probabilities = np.concatenate([
        classifier.probabilities(data.patches[i:i + 512].astype(np.float32) / 255, data.geometry[i:i + 512])
        for i in range(0, len(data.labels), 512)])
    labels = np.array(classifier.labels)
    probabilities[:, labels == JUNK] = 0     # ranked as the recogniser reads a symbol: never junk
    ranked = np.argsort(probabilities, axis=1)[:, ::-1]
    top1 = labels[ranked[:, 0]] == data.labels
    top5 = (labels[ranked[:, :5]] == data.labels[:, None]).any(axis=1)
    confusions = collections.Counter(zip(data.labels[~top1], labels[ranked[~top1, 0]]))
    print(f"split       {args.split}")
    print(f"symbols     {len(data.labels)}")
    print(f"top1        {top1.mean():.4f}")
    print(f"top5        {top5.mean():.4f}")
    print("confusions  " + ", ".join(f"{t}→{p} {n}" for (t, p), n in confusions.most_common(12)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
