"""Train the symbol classifier on CROHME train_2014, validate on valid_2013, export to .tflite.

    python -m training.train_symbols            # writes symbolrec/models/symbols.{tflite,json}

Reads top to bottom: prepare the data, build the model, train, plot, evaluate, export.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

import numpy as np

from training import crohme
from training.symbols import SymbolSet, build, multipart_labels

MODELS = Path(__file__).resolve().parent.parent / "symbolrec" / "models"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=crohme.default_data_dir(), help="CROHME archives")
    parser.add_argument("--cache", type=Path, default=Path("data"), help="rendered symbol sets")
    parser.add_argument("--out", type=Path, default=MODELS, help="where the model and labels go")
    parser.add_argument("--curves", type=Path, default=Path("docs/symbols_curves.png"))
    parser.add_argument("--renders", type=int, default=2, help="random renderings per training expression")
    parser.add_argument("--photos", type=int, default=0,
                        help="photographed renderings per expression (training.photo), train and validation")
    parser.add_argument("--photo-limit", type=int, default=3000,
                        help="photograph only the first N training expressions (a photo costs 5× a rendering)")
    parser.add_argument("--pieces", type=int, default=1,
                        help="renderings per expression whose segmentation pieces are learned (junk class)")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=None, help="expressions per split (smoke runs)")
    parser.add_argument("--half", type=int, choices=(0, 1), default=None,
                        help="train on the train_2014 expressions at even (0) or odd (1) places only")
    return parser.parse_args(argv)


def symbol_set(args, split: str, renders: int, photos: int = 0, pieces: int = 0) -> SymbolSet:
    """Build a split's symbols once and keep them under ``--cache``: ``renders`` clean renderings,
    or, with ``photos``, that many photographed ones, or, with ``pieces``, the segmenter's pieces
    of that many renderings (other pens: seeded apart)."""
    kind = f"p{photos}" if photos else f"j{pieces}" if pieces else f"r{renders}"
    limit = min(args.limit or args.photo_limit, args.photo_limit) if photos and split == "train_2014" else args.limit
    half = args.half if split == "train_2014" else None
    path = args.cache / f"symbols_{split}_{kind}_s{args.seed}_l{limit}{'' if half is None else f'_h{half}'}.npz"
    if path.exists():
        return SymbolSet.load(path)
    if photos:
        data = build(args.data, split, renders=0, photos=photos, seed=args.seed + 1, limit=limit, half=half)
    elif pieces:
        data = build(args.data, split, renders=0, pieces=pieces, seed=args.seed + 2, limit=limit, half=half)
    else:
        data = build(args.data, split, renders=renders, seed=args.seed, limit=args.limit, half=half)
    args.cache.mkdir(parents=True, exist_ok=True)
    data.save(path)
    return data


def build_model(num_classes: int):
    """A small CNN over the 32×32 patch; the symbol's relative size joins before the classifier."""
    import keras
    from keras import layers

    patch = keras.Input((32, 32, 1), name="patch")
    geometry = keras.Input((3,), name="geometry")
    x = patch
    for filters in (16, 32, 64):
        for _ in range(1 if filters == 16 else 2):
            x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
            x = layers.Activation("relu")(layers.BatchNormalization()(x))
        x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    x = layers.Concatenate()([x, layers.Dense(16, activation="relu")(geometry)])
    x = layers.Dropout(0.4)(layers.Dense(256, activation="relu")(x))
    probabilities = layers.Dense(num_classes, activation="softmax", name="probabilities")(x)
    model = keras.Model([patch, geometry], probabilities)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def plot_history(history: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (loss, acc) = plt.subplots(1, 2, figsize=(10, 4))
    for key, axis in (("loss", loss), ("accuracy", acc)):
        axis.plot(history[key], label="train_2014")
        axis.plot(history[f"val_{key}"], label="valid_2013")
        axis.set_xlabel("epoch")
        axis.set_title(f"symbol classifier: {key}")
        axis.legend()
        axis.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def export_tflite(model, path: Path) -> None:
    """Save as .tflite with weights quantised to 8 bits (4× smaller, same accuracy)."""
    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    path.write_bytes(converter.convert())


def inputs(data: SymbolSet) -> dict:
    return {"patch": data.patches[..., None].astype(np.float32) / 255, "geometry": data.geometry}


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    started = time.time()
    import keras

    keras.utils.set_random_seed(args.seed)

    # Prepare the data: varied renderings of train_2014, the standard pen for valid_2013, and
    # photographs of both (training.photo)
    train, valid = symbol_set(args, "train_2014", args.renders), symbol_set(args, "valid_2013", 1)
    symbols_only = valid
    if args.photos:
        train = train.joined(symbol_set(args, "train_2014", 0, args.photos))
        valid = valid.joined(symbol_set(args, "valid_2013", 0, args.photos))
    if args.pieces:   # cut halves and touching or mis-grouped symbols: mostly the junk class
        train = train.joined(symbol_set(args, "train_2014", 0, pieces=args.pieces))
        valid = valid.joined(symbol_set(args, "valid_2013", 0, pieces=args.pieces))
    labels = sorted(set(train.labels))
    index = {label: i for i, label in enumerate(labels)}
    y_train = np.array([index[label] for label in train.labels])
    valid = valid.of(labels)
    y_valid = np.array([index[label] for label in valid.labels])
    logging.info("%d training and %d validation symbols, %d classes", len(y_train), len(y_valid), len(labels))

    # Build and train; keep the epoch with the best validation accuracy
    model = build_model(len(labels))
    stop = keras.callbacks.EarlyStopping("val_accuracy", patience=3, restore_best_weights=True)
    slow = keras.callbacks.ReduceLROnPlateau("val_accuracy", factor=0.3, patience=1)
    history = model.fit(inputs(train), y_train, validation_data=(inputs(valid), y_valid),
                        epochs=args.epochs, batch_size=args.batch_size, callbacks=[stop, slow], verbose=2)
    plot_history(history.history, args.curves)

    # Evaluate and export
    _, accuracy = model.evaluate(inputs(valid), y_valid, verbose=0)
    symbols_only = symbols_only.of(labels)   # the true symbols alone, junk pieces left out
    _, symbol_accuracy = model.evaluate(inputs(symbols_only), np.array([index[label] for label in symbols_only.labels]),
                                        verbose=0)
    args.out.mkdir(parents=True, exist_ok=True)
    export_tflite(model, args.out / "symbols.tflite")
    multipart, seldom = multipart_labels(args.data, "train_2014", limit=args.limit)
    meta = {"labels": labels, "multipart": multipart, "seldom_multipart": seldom, "patch": 32, "valid_2013_accuracy": round(float(symbol_accuracy), 4),
            "valid_2013_accuracy_with_pieces": round(float(accuracy), 4),
            "training_symbols": int(len(y_train)), "epochs": len(history.history["loss"]),
            "seed": args.seed, "renders": args.renders, "photos": args.photos, "pieces": args.pieces, "wall_seconds": round(time.time() - started)}
    (args.out / "symbols.json").write_text(json.dumps(meta, indent=1) + "\n")
    logging.info("valid_2013 symbol accuracy %.4f (%.4f with the pieces); wrote %s", symbol_accuracy, accuracy, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
