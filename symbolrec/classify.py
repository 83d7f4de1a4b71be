"""The symbol classifier: a small CNN, run with LiteRT (no TensorFlow at inference)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from symbolrec import features
from symbolrec._runtime import open_interpreter
from symbolrec._types import Component, Symbol

MODELS = Path(__file__).resolve().parent / "models"
TOP_K = 5
JUNK = "junk"   # the class of pieces that are no symbol: half a symbol, two touching ones
ROOT = r"\sqrt"


def junk_probability(probabilities: np.ndarray, labels: tuple[str, ...]) -> np.ndarray:
    """The junk class's probability over the last axis (0 for a model without a junk class)."""
    probabilities = np.asarray(probabilities)
    return probabilities[..., labels.index(JUNK)] if JUNK in labels else np.zeros(probabilities.shape[:-1])


def best_reading(probabilities: np.ndarray, labels: tuple[str, ...]) -> np.ndarray:
    """The highest probability of a real symbol (the junk class left out), over the last axis."""
    probabilities = np.asarray(probabilities)
    if JUNK in labels:
        probabilities = np.delete(probabilities, labels.index(JUNK), axis=-1)
    return probabilities.max(axis=-1)


def best_label(probabilities: np.ndarray, labels: tuple[str, ...]) -> str:
    """The likeliest real symbol (the junk class left out) of one reading."""
    return next(labels[k] for k in np.argsort(-np.asarray(probabilities)) if labels[k] != JUNK)


@dataclass(frozen=True)
class ModelInfo:
    """What ``symbols.json`` says about the shipped model."""

    labels: tuple[str, ...]
    multipart: frozenset[str]          # labels often drawn in separate pieces, built by grouping
    meta: dict
    seldom_multipart: frozenset[str] = frozenset()   # built only when the merge reads near certainly


class Classifier:
    """Classify symbol patches into the CROHME classes, returning full probability vectors."""

    def __init__(self, model: Path | str | None = None, *, threads: int = 1):
        model = Path(model) if model else MODELS / "symbols.tflite"
        meta = json.loads(model.with_suffix(".json").read_text())
        self.info = ModelInfo(tuple(meta["labels"]), frozenset(meta.get("multipart", ())), meta,
                              frozenset(meta.get("seldom_multipart", ())))
        self._interpreter = open_interpreter(model, threads)
        inputs = self._interpreter.get_input_details()
        self._patch = next(d["index"] for d in inputs if len(d["shape"]) == 4)
        self._geometry = next(d["index"] for d in inputs if len(d["shape"]) == 2)
        self._output = self._interpreter.get_output_details()[0]["index"]
        self._batch = int(inputs[0]["shape"][0])

    @property
    def labels(self) -> tuple[str, ...]:
        return self.info.labels

    def probabilities(self, patches: np.ndarray, geometry: np.ndarray) -> np.ndarray:
        """(N, 32, 32) patches and (N, 3) geometry → (N, classes) probabilities."""
        count = len(patches)
        if count == 0:
            return np.zeros((0, len(self.labels)), np.float32)
        if count != self._batch:
            self._interpreter.resize_tensor_input(self._patch, [count, features.PATCH, features.PATCH, 1])
            self._interpreter.resize_tensor_input(self._geometry, [count, features.GEOMETRY])
            self._interpreter.allocate_tensors()
            self._batch = count
        self._interpreter.set_tensor(self._patch, patches.reshape(count, features.PATCH, features.PATCH, 1).astype(np.float32))
        self._interpreter.set_tensor(self._geometry, geometry.astype(np.float32))
        self._interpreter.invoke()
        return self._interpreter.get_tensor(self._output).copy()

    def classify(self, components: list[Component], reference: float) -> np.ndarray:
        """Probabilities for each component, its size taken relative to ``reference`` pixels."""
        patches = np.stack([features.patch(c.mask) for c in components]) if components else np.zeros((0, 32, 32))
        geometry = np.stack([features.geometry(c.bbox, reference) for c in components]) if components else np.zeros((0, 3))
        return self.probabilities(patches, geometry)

    def symbol(self, component: Component, probabilities: np.ndarray) -> Symbol:
        """The :class:`Symbol` for a component: best label, its probability, the top-5 ranked."""
        order = [i for i in np.argsort(probabilities)[::-1] if self.labels[i] != JUNK][:TOP_K]
        ranked = tuple((self.labels[i], round(float(probabilities[i]), 4)) for i in order)
        return Symbol(component.bbox, ranked[0][0], ranked[0][1], ranked, component.mask)


def reference_of(components: list[Component]) -> float:
    """The typical symbol height of an expression, from its components' boxes."""
    return features.reference_height([c.bbox for c in components])
