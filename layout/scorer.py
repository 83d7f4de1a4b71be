"""Score how one item relates to another on a baseline: Right, Sup or Sub.

The scorer is the piece a learned model will replace, so it sits behind one small interface:
``scores(base, other, reference) -> {Relation: probability}``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

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
