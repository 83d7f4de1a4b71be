"""Train the edge model: for each candidate (parent, child) pair of a row, Right / Sup / Sub or
no relation, from the pair's geometry, both labels, and attention over the child's neighbours.

    python -m training.train_edges          # writes layout/models/edges.{tflite,json}, docs/edges_curves.png

Rows come from train_2014 trees (the standard pen plus varied pens), validation from valid_2013.
Several members, each trained from its own seed on its own varied pens, are averaged into the
one exported model: they disagree on the letters' scripts the writing leaves open, and their mean
is steadier than any of them (valid_2013 parser alone: one member 594-596 by seed, three 596, five
598; the whole pipeline 301 with one, 304 with three or five).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

from layout.features import CONTEXT_GEOMETRY, EDGE_GEOMETRY, NEIGHBOURS, candidate_parents, row_features
from training import crohme
from training.relations import EDGE_RELATIONS, primes_as_superscripts, reference, row_problems
from training.render import Pen, stroke_boxes
from training.train_symbols import export_tflite

MODELS = Path(__file__).resolve().parent.parent / "layout" / "models"
INPUTS = ("geometry", "labels", "context", "context_labels", "context_mask")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=crohme.default_data_dir())
    parser.add_argument("--out", type=Path, default=MODELS)
    parser.add_argument("--curves", type=Path, default=Path("docs/edges_curves.png"))
    parser.add_argument("--pens", type=int, default=2, help="renderings per training expression")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--members", type=int, default=3,
                        help="models averaged into the one shipped, each with its own seed and pens")
    parser.add_argument("--limit", type=int, default=None)
    return parser.parse_args(argv)


def edges_dataset(expressions, pens: int, labels: dict[str, int], seed: int, desc: str):
    """Model inputs and relation indices (0: none) for every candidate edge of every row."""
    rng = np.random.default_rng(seed)
    parts, targets, kept, total = {name: [] for name in INPUTS}, [], 0, 0
    for expr in tqdm(expressions, desc=desc, unit="expr"):
        for k in range(pens):
            boxes = stroke_boxes(expr, Pen() if k == 0 else Pen.random(rng), rng)
            ref = reference(boxes)
            for items, truth in row_problems(primes_as_superscripts(expr.tree), boxes):
                pairs = candidate_parents(items)
                if not len(pairs):
                    continue
                features = row_features(items, pairs, ref, labels)
                for name in INPUTS:
                    parts[name].append(features[name])
                relations = [truth.get((int(p), int(c))) for p, c in pairs]
                targets.append(np.array([EDGE_RELATIONS.index(r) for r in relations], np.int32))
                kept, total = kept + sum(r is not None for r in relations), total + len(truth)
    logging.info("%s: candidate parents keep %.4f of the true relations", desc, kept / max(total, 1))
    return {name: np.concatenate(parts[name]) for name in INPUTS}, np.concatenate(targets)


def build_model(vocabulary: int):
    import keras
    from keras import layers

    geometry = keras.Input((EDGE_GEOMETRY,), name="geometry")
    labels = keras.Input((2,), dtype="int32", name="labels")
    context = keras.Input((NEIGHBOURS, CONTEXT_GEOMETRY), name="context")
    context_labels = keras.Input((NEIGHBOURS,), dtype="int32", name="context_labels")
    context_mask = keras.Input((NEIGHBOURS,), name="context_mask")
    embed = layers.Embedding(vocabulary, 12, name="label_embedding")
    pair = layers.Concatenate()([geometry, layers.Flatten()(embed(labels))])
    pair = layers.Dense(64, activation="relu")(layers.Dense(64, activation="relu")(pair))
    others = layers.Concatenate()([context, embed(context_labels)])
    others = layers.Dense(64, activation="relu")(others)
    query = layers.Reshape((1, 64))(pair)
    mask = layers.Reshape((1, NEIGHBOURS))(context_mask)
    attended = layers.MultiHeadAttention(num_heads=4, key_dim=16, name="context_attention")(
        query, others, attention_mask=mask)
    x = layers.Concatenate()([pair, layers.Flatten()(attended)])
    x = layers.Dropout(0.1)(layers.Dense(64, activation="relu")(x))
    out = layers.Dense(len(EDGE_RELATIONS), activation="softmax", name="relations")(x)
    model = keras.Model([geometry, labels, context, context_labels, context_mask], out)
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def averaged(members):
    """One model whose relation probabilities are the mean of ``members``' (same inputs)."""
    import keras
    from keras import layers

    inputs = [keras.Input(tensor.shape[1:], dtype=tensor.dtype, name=name)
              for tensor, name in zip(members[0].inputs, INPUTS)]
    outputs = [member(inputs) for member in members]
    mean = layers.Average(name="relations")(outputs) if len(outputs) > 1 else outputs[0]
    return keras.Model(inputs, mean)


def plot_curves(histories: list[dict], path: Path) -> None:
    """Loss (left axis) and accuracy (right axis) per epoch, training and validation, each member."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, loss = plt.subplots(figsize=(7, 4))
    accuracy = loss.twinx()
    for k, history in enumerate(histories):
        epochs = np.arange(1, len(history["loss"]) + 1)
        for prefix, split, style in (("", "train_2014", "-"), ("val_", "valid_2013", "--")):
            first = k == 0
            loss.plot(epochs, history[prefix + "loss"], "C0" + style, alpha=0.8,
                      label=f"loss, {split}" if first else None)
            accuracy.plot(epochs, history[prefix + "accuracy"], "C1" + style, alpha=0.8,
                          label=f"accuracy, {split}" if first else None)
    loss.set(xlabel="epoch", ylabel="loss",
             title=f"edge model (no relation / Right / Sup / Sub), {len(histories)} members")
    accuracy.set_ylabel("accuracy")
    fig.legend(loc="center right", bbox_to_anchor=(0.88, 0.5))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    started = time.time()
    import keras

    # Prepare the data: labels of train_2014 numbered from 1 (0 is an unknown label)
    train = [e for e in crohme.read_split(args.data, "train_2014", limit=args.limit) if e.tree is not None]
    valid = [e for e in crohme.read_split(args.data, "valid_2013", limit=args.limit) if e.tree is not None]
    symbol_labels = sorted({s.label for e in train for s in e.symbols} | {n.label for e in train for n in e.tree.nodes()})
    labels = {label: i + 1 for i, label in enumerate(symbol_labels)}
    x_valid, y_valid = edges_dataset(valid, 1, labels, args.seed, "valid_2013 edges")

    # Build and train each member on its own pens, then average, plot, export
    members, histories, edges = [], [], 0
    for k in range(args.members):
        seed = args.seed + k
        keras.utils.set_random_seed(seed)
        x_train, y_train = edges_dataset(train, args.pens, labels, seed, f"train_2014 edges, member {k + 1}")
        logging.info("%d training and %d validation edges", len(y_train), len(y_valid))
        model = build_model(len(labels) + 1)
        stop = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)
        history = model.fit(x_train, y_train, validation_data=(x_valid, y_valid), epochs=args.epochs,
                            batch_size=512, callbacks=[stop], verbose=2)
        members.append(model)
        histories.append(history.history)
        edges = len(y_train)
    plot_curves(histories, args.curves)
    model = averaged(members)
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    _, accuracy = model.evaluate(x_valid, y_valid, verbose=0)
    args.out.mkdir(parents=True, exist_ok=True)
    export_tflite(model, args.out / "edges.tflite")
    meta = {"relations": [r.value if r else None for r in EDGE_RELATIONS], "labels": symbol_labels,
            "inputs": list(INPUTS), "valid_2013_accuracy": round(float(accuracy), 4),
            "training_edges": int(edges), "members": args.members,
            "epochs": [len(h["loss"]) for h in histories], "seed": args.seed,
            "wall_seconds": round(time.time() - started)}
    (args.out / "edges.json").write_text(json.dumps(meta, indent=1) + "\n")
    logging.info("valid_2013 edge accuracy %.4f; wrote %s", accuracy, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
