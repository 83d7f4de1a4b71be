"""Train the baseline relation scorer (Right / Sup / Sub) on CROHME ground-truth trees.

    python -m training.train_relations          # writes layout/models/relations.{tflite,json}

Pairs come from train_2014 (standard pen plus varied pens), validation from valid_2013.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

from layout.features import pair_features
from training import crohme
from training.relations import RELATIONS, reference, tree_pairs
from training.render import Pen, stroke_boxes
from training.train_symbols import export_tflite, plot_history

MODELS = Path(__file__).resolve().parent.parent / "layout" / "models"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=crohme.default_data_dir())
    parser.add_argument("--out", type=Path, default=MODELS)
    parser.add_argument("--curves", type=Path, default=Path("docs/relations_curves.png"))
    parser.add_argument("--pens", type=int, default=3, help="renderings per training expression")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=None)
    return parser.parse_args(argv)


def pairs_dataset(data_dir: Path, split: str, pens: int, labels: dict[str, int], seed: int, limit=None):
    """Feature matrix and relation indices for every parser decision in ``split``."""
    rng = np.random.default_rng(seed)
    x, y = [], []
    for expr in tqdm(list(crohme.read_split(data_dir, split, limit=limit)), desc=f"{split} pairs", unit="expr"):
        if expr.tree is None:
            continue
        for k in range(pens):
            boxes = stroke_boxes(expr, Pen() if k == 0 else Pen.random(rng), rng)
            ref = reference(boxes)
            for base, other, relation in tree_pairs(expr.tree, boxes):
                x.append(pair_features(base, other, ref, labels))
                y.append(RELATIONS.index(relation))
    return np.stack(x), np.array(y)


def build_model(inputs: int):
    import keras
    from keras import layers

    features = keras.Input((inputs,), name="pair")
    x = layers.Dense(64, activation="relu")(features)
    x = layers.Dropout(0.2)(layers.Dense(64, activation="relu")(x))
    out = layers.Dense(len(RELATIONS), activation="softmax", name="relations")(x)
    model = keras.Model(features, out)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    started = time.time()
    import keras

    keras.utils.set_random_seed(args.seed)
    # Prepare the data: one-hot over the symbol labels of the training set
    symbol_labels = sorted({s.label for e in crohme.read_split(args.data, "train_2014", limit=args.limit)
                            for s in e.symbols})
    labels = {label: i for i, label in enumerate(symbol_labels)}
    x_train, y_train = pairs_dataset(args.data, "train_2014", args.pens, labels, args.seed, args.limit)
    x_valid, y_valid = pairs_dataset(args.data, "valid_2013", 1, labels, args.seed, args.limit)
    logging.info("%d training and %d validation pairs", len(y_train), len(y_valid))

    # Build, train, plot, export
    model = build_model(x_train.shape[1])
    stop = keras.callbacks.EarlyStopping(patience=4, restore_best_weights=True)
    history = model.fit(x_train, y_train, validation_data=(x_valid, y_valid), epochs=args.epochs,
                        batch_size=256, callbacks=[stop], verbose=2)
    plot_history(history.history, args.curves)
    _, accuracy = model.evaluate(x_valid, y_valid, verbose=0)
    args.out.mkdir(parents=True, exist_ok=True)
    export_tflite(model, args.out / "relations.tflite")
    meta = {"relations": [r.value for r in RELATIONS], "labels": symbol_labels,
            "valid_2013_accuracy": round(float(accuracy), 4), "training_pairs": int(len(y_train)),
            "epochs": len(history.history["loss"]), "seed": args.seed,
            "wall_seconds": round(time.time() - started)}
    (args.out / "relations.json").write_text(json.dumps(meta, indent=1) + "\n")
    logging.info("valid_2013 relation accuracy %.4f; wrote %s", accuracy, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
