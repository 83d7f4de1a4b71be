"""Gradient-boosted trees, fitted with scikit-learn at training time and evaluated here with numpy.

The trees are saved as plain arrays in JSON, so reading an image needs neither scikit-learn nor a
pickle that only one scikit-learn version can open.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Forest:
    """Binary boosted trees over numeric features, every tree's nodes in one set of flat arrays.

    Node ``k`` sends a row left when ``x[feature[k]] <= threshold[k]`` (or, for a missing value,
    when ``missing_left[k]``) to ``left[k]``, else to ``right[k]``; a leaf adds ``value[k]``.
    ``roots`` are the first node of each tree; ``names`` the features, in column order.

    Examples
    --------
    >>> stump = Forest(("x",), 0.0, np.array([0]), np.array([0, 0, 0]), np.array([0.5, 0, 0]),
    ...                np.array([1, 0, 0]), np.array([2, 0, 0]), np.array([True, False, False]),
    ...                np.array([False, True, True]), np.array([0.0, -1.0, 1.0]))
    >>> stump.score(np.array([[0.0], [1.0]])).tolist()
    [-1.0, 1.0]
    """

    names: tuple[str, ...]
    baseline: float
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    missing_left: np.ndarray
    leaf: np.ndarray
    value: np.ndarray

    def score(self, rows: np.ndarray) -> np.ndarray:
        """The log-odds of each row of ``rows`` (N, features): the baseline plus every tree's leaf."""
        rows = np.asarray(rows, np.float64)
        if rows.ndim != 2 or rows.shape[1] != len(self.names):
            raise ValueError(f"rows must have shape (N, {len(self.names)}), got {rows.shape}")
        node = np.repeat(self.roots[:, None], len(rows), axis=1)     # (trees, rows), all trees at once
        column = np.arange(len(rows))[None, :]
        while not self.leaf[node].all():
            x = rows[column, self.feature[node]]
            go_left = np.where(np.isnan(x), self.missing_left[node], x <= self.threshold[node])
            node = np.where(self.leaf[node], node, np.where(go_left, self.left[node], self.right[node]))
        return self.baseline + self.value[node].sum(axis=0)

    def to_dict(self) -> dict:
        return {"names": list(self.names), "baseline": self.baseline,
                **{k: getattr(self, k).tolist() for k in ("roots", "feature", "threshold", "left", "right",
                                                           "missing_left", "leaf", "value")}}

    @classmethod
    def from_dict(cls, data: dict) -> "Forest":
        arrays = {k: np.asarray(data[k], dtype) for k, dtype in (
            ("roots", np.int64), ("feature", np.int64), ("threshold", np.float64), ("left", np.int64),
            ("right", np.int64), ("missing_left", bool), ("leaf", bool), ("value", np.float64))}
        return cls(tuple(data["names"]), float(data["baseline"]), **arrays)

    @classmethod
    def load(cls, path: Path | str) -> "Forest":
        return cls.from_dict(json.loads(Path(path).read_text()))

    @classmethod
    def from_sklearn(cls, model, names: tuple[str, ...]) -> "Forest":
        """Read a fitted binary ``HistGradientBoostingClassifier`` without categorical features."""
        roots, parts, offset = [], [], 0
        for (tree,) in model._predictors:
            nodes = tree.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            leaf = nodes["is_leaf"].astype(bool)
            shift = np.where(leaf, 0, offset)
            parts.append((nodes["feature_idx"], nodes["num_threshold"], nodes["left"] + shift,
                          nodes["right"] + shift, nodes["missing_go_to_left"].astype(bool), leaf, nodes["value"]))
            roots.append(offset)
            offset += len(nodes)
        columns = [np.concatenate(c) for c in zip(*parts)]
        return cls(tuple(names), float(np.ravel(model._baseline_prediction)[0]), np.array(roots), *columns)
