"""Split a page of ink into lines of writing, top to bottom (a system of equations, or working)."""

from __future__ import annotations

import numpy as np

from symbolrec import features
from symbolrec._types import BBox
from symbolrec.segment import segment

LINE_GAP = 0.9   # blank rows between two lines, in typical symbol heights (a fraction's gaps are far less)


def split_lines(ink: np.ndarray, *, gap: float = LINE_GAP) -> list[BBox]:
    """Boxes of the lines of writing in a bool ink image, top to bottom.

    Lines are separated by runs of ink-free rows at least ``gap`` typical symbol heights tall, so
    the small gaps around a fraction bar or under an exponent never split an expression.
    """
    components = segment(ink)
    if not components:
        return []
    reference = features.reference_height([c.bbox for c in components])
    rows = ink.any(axis=1)
    lines, start, blank = [], None, 0
    for y, inked in enumerate(rows):
        if inked:
            if start is None:
                start = y
            elif blank >= gap * reference:
                lines.append((start, y - blank))
                start = y
            blank = 0
        elif start is not None:
            blank += 1
    if start is not None:
        lines.append((start, len(rows) - blank))
    boxes = []
    for top, bottom in lines:
        columns = np.flatnonzero(ink[top:bottom].any(axis=0))
        boxes.append(BBox(int(columns[0]), top, int(columns[-1] - columns[0] + 1), bottom - top))
    return boxes
