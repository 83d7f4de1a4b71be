"""Score how items of a baseline relate: Right, Sup or Sub.

Two small interfaces: a pairwise scorer, ``scores(base, other, reference) -> {Relation:
probability}`` (:class:`GeometricScorer`, :class:`LearnedScorer`), read left to right; and a row
scorer, ``score_row(items, reference) -> (pairs, probabilities)`` (:class:`EdgeScorer`, the
recogniser's), whose scores the parser turns into the row's best tree.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from layout._tree import Relation
from symbolrec import BBox
from symbolrec._runtime import open_interpreter

MODELS = Path(__file__).resolve().parent / "models"
ASCENDERS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZbdfhklt!") | {
    r"\delta", r"\lambda", r"\theta", r"\Delta", r"\exists", r"\forall", r"\int", r"\sum", r"\lim",
    r"\log", r"\sin", r"\cos", r"\tan", r"\prod", r"\infty", "?"}
DESCENDERS = frozenset("gjpqy") | {r"\beta", r"\gamma", r"\mu", r"\phi", r"\rho", ","}
ON_BASELINE = frozenset({".", ","})


@dataclass(frozen=True)
class Item:
    """What the scorer sees of a symbol (or a fraction, root, operator with limits): its label,
    the box of the symbol itself, and the box of everything it holds."""

    label: str
    box: BBox
    extent: BBox

    def centre(self, reference: float) -> float:
        """Height of the symbol's x-height middle, where a baseline neighbour's middle would be."""
        b = self.box
        if self.label in ON_BASELINE:
            return b.y2 - 0.3 * reference
        if self.label in ASCENDERS and b.h > 0.6 * reference:
            return b.y2 - 0.3 * b.h
        if self.label in DESCENDERS and b.h > 0.6 * reference:
            return b.y + 0.3 * b.h
        return b.cy

    def body(self, reference: float) -> float:
        """Height of the symbol's x-height part, never under half the reference height."""
        b = self.box
        tall = self.label in ASCENDERS | DESCENDERS and b.h > 0.6 * reference
        return max(0.6 * b.h if tall else b.h, 0.5 * reference, 0.5 * self.extent.h)


class Scorer(Protocol):
    def scores(self, base: Item, other: Item, reference: float) -> dict[Relation, float]: ...


@runtime_checkable
class RowScorer(Protocol):
    """Scores a whole row's candidate edges at once; the parser then takes the best tree."""

    relations: tuple[Relation | None, ...]

    def score_row(self, items: list[Item], reference: float) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class GeometricScorer:
    """Relations from the vertical offset of ``other``'s middle against ``base``'s, in body heights."""

    threshold: float = 0.5
    script_size: float = 0.95
    sharpness: float = 8.0

    def scores(self, base: Item, other: Item, reference: float) -> dict[Relation, float]:
        if other.extent.h >= self.script_size * max(base.extent.h, 0.5 * reference):
            return {Relation.RIGHT: 1.0, Relation.SUP: 0.0, Relation.SUB: 0.0}  # too big for a script
        offset = (other.centre(reference) - base.centre(reference)) / base.body(reference)
        sup = 1 / (1 + math.exp(-self.sharpness * (-offset - self.threshold)))
        sub = 1 / (1 + math.exp(-self.sharpness * (offset - self.threshold)))
        right = max(0.0, 1 - sup - sub)
        total = sup + sub + right
        return {Relation.RIGHT: right / total, Relation.SUP: sup / total, Relation.SUB: sub / total}


class LearnedScorer:
    """Relations scored by the small network ``training/train_relations.py`` fits to CROHME trees."""

    def __init__(self, model: Path | str | None = None):
        from layout.features import pair_features

        model = Path(model) if model else MODELS / "relations.tflite"
        meta = json.loads(model.with_suffix(".json").read_text())
        self._relations = [Relation(r) for r in meta["relations"]]
        self._labels = {label: i for i, label in enumerate(meta["labels"])}
        self._features = pair_features
        self._interpreter = open_interpreter(model)
        self._input = self._interpreter.get_input_details()[0]["index"]
        self._output = self._interpreter.get_output_details()[0]["index"]

    def scores(self, base: Item, other: Item, reference: float) -> dict[Relation, float]:
        features = self._features(base, other, reference, self._labels)
        self._interpreter.set_tensor(self._input, features[None])
        self._interpreter.invoke()
        probabilities = self._interpreter.get_tensor(self._output)[0]
        return {r: float(p) for r, p in zip(self._relations, probabilities)}


class EdgeScorer:
    """Every candidate (parent, child) pair of a row scored at once by the attention edge model
    ``training/train_edges.py`` fits: probabilities of no relation, Right, Sup and Sub."""

    def __init__(self, model: Path | str | None = None, threads: int = 1):
        model = Path(model) if model else MODELS / "edges.tflite"
        meta = json.loads(model.with_suffix(".json").read_text())
        self.relations = tuple(Relation(r) if r else None for r in meta["relations"])
        self._labels = {label: i + 1 for i, label in enumerate(meta["labels"])}
        self._interpreter = open_interpreter(model, threads)
        details = {d["name"]: d for d in self._interpreter.get_input_details()}
        self._inputs = {name: next(d for key, d in details.items() if name == key or f"_{name}:" in key)
                        for name in meta["inputs"]}
        self._output = self._interpreter.get_output_details()[0]["index"]
        self._batch = 1

    def score_row(self, items: list[Item], reference: float, pairs: np.ndarray | None = None):
        """Candidate pairs of ``items`` (in reading order) and their relation probabilities.

        Returns
        -------
        pairs : (P, 2) ndarray of int
            (parent, child) positions in ``items``: ``pairs`` when given, else those of
            :func:`layout.features.candidate_parents`.
        probabilities : (P, 4) ndarray of float32
            One column per :attr:`relations` (the first, ``None``, is no relation).
        """
        from layout.features import candidate_parents, row_features

        pairs = candidate_parents(items) if pairs is None else np.asarray(pairs, np.int64).reshape(-1, 2)
        if not len(pairs):
            return pairs, np.zeros((0, len(self.relations)), np.float32)
        features = row_features(items, pairs, reference, self._labels)
        if len(pairs) != self._batch:
            for name, detail in self._inputs.items():
                self._interpreter.resize_tensor_input(detail["index"], features[name].shape)
            self._interpreter.allocate_tensors()
            self._batch = len(pairs)
        for name, detail in self._inputs.items():
            self._interpreter.set_tensor(detail["index"], features[name].astype(detail["dtype"]))
        self._interpreter.invoke()
        return pairs, self._interpreter.get_tensor(self._output).copy()
