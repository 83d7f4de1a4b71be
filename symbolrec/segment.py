"""Ink mask → connected components, left to right."""

from __future__ import annotations

import cv2
import numpy as np

from symbolrec._types import BBox, Component


def ink_box(ink: np.ndarray) -> BBox | None:
    """The box around all the ink of a bool mask, or None when it holds none.

    Examples
    --------
    >>> ink = np.zeros((5, 8), bool); ink[1:4, 2] = True; ink[3, 6] = True
    >>> ink_box(ink)
    BBox(x=2, y=1, w=5, h=3)
    """
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return None
    return BBox(int(columns[0]), int(rows[0]), int(columns[-1] - columns[0] + 1), int(rows[-1] - rows[0] + 1))


def segment(ink: np.ndarray) -> list[Component]:
    """Split a bool ink image into its 8-connected components, sorted by left edge.

    Examples
    --------
    >>> ink = np.zeros((5, 8), bool); ink[1:4, 1] = True; ink[2, 4:7] = True
    >>> [c.bbox for c in segment(ink)]
    [BBox(x=1, y=1, w=1, h=3), BBox(x=4, y=2, w=3, h=1)]
    """
    if ink.ndim != 2 or ink.dtype != np.bool_:
        raise ValueError(f"ink must be a 2-D bool array, got {ink.dtype} of shape {ink.shape}")
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    components = []
    for index in range(1, count):
        x, y, w, h = (int(v) for v in stats[index, :4])
        box = BBox(x, y, w, h)
        components.append(Component(box, labels[box.slice()] == index))
    return sorted(components, key=lambda c: (c.bbox.x, c.bbox.y))


def merge(components: list[Component]) -> Component:
    """One component made of several: the union box, each part's own pixels in it."""
    box = components[0].bbox
    for component in components[1:]:
        box = box.union(component.bbox)
    mask = np.zeros((box.h, box.w), bool)
    for component in components:
        b = component.bbox
        mask[b.y - box.y:b.y2 - box.y, b.x - box.x:b.x2 - box.x] |= component.mask
    return Component(box, mask)
