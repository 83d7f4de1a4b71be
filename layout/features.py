"""What the relation model sees of a (base, other) pair: geometry relative to the expression's
symbol height, plus which symbols they are (their typographic shape is in the label)."""

from __future__ import annotations

import numpy as np

from layout.scorer import Item

GEOMETRY = 14


def pair_geometry(base: Item, other: Item, reference: float) -> np.ndarray:
    """(14,) float32: vertical offsets of tops, middles and bottoms, sizes and the gap, normalised."""
    b, o, be, oe = base.box, other.box, base.extent, other.extent
    r = max(reference, 1.0)
    bh = max(b.h, 0.3 * r)
    values = [
        (o.cy - b.cy) / r, (o.y - b.y) / r, (o.y2 - b.y2) / r,
        (o.cy - b.cy) / bh, (o.y2 - b.cy) / bh, (o.y - b.cy) / bh,
        (oe.cy - be.cy) / max(be.h, 0.3 * r),
        np.log(max(o.h, 1) / bh), np.log(max(oe.h, 1) / max(be.h, 0.3 * r)),
        np.log(max(o.h, 1) / r), np.log(bh / r), np.log(max(b.w, 1) / r), np.log(max(o.w, 1) / r),
        (o.x - b.x2) / r,
    ]
    return np.clip(np.array(values, np.float32), -8, 8)


def pair_features(base: Item, other: Item, reference: float, labels: dict[str, int]) -> np.ndarray:
    """Geometry followed by one-hot base and other labels (unknown labels stay all zero)."""
    count = len(labels)
    out = np.zeros(GEOMETRY + 2 * count, np.float32)
    out[:GEOMETRY] = pair_geometry(base, other, reference)
    if base.label in labels:
        out[GEOMETRY + labels[base.label]] = 1
    if other.label in labels:
        out[GEOMETRY + count + labels[other.label]] = 1
    return out
