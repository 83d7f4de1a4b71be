"""What the classifier sees of a symbol: a fixed-size patch and its size relative to its neighbours."""

from __future__ import annotations

import cv2
import numpy as np

from symbolrec._types import BBox

PATCH = 32
GEOMETRY = 3


def patch(mask: np.ndarray, size: int = PATCH) -> np.ndarray:
    """Scale a symbol's bool mask into a ``size``×``size`` float32 patch, aspect kept, centred.

    The longer side fills ``size - 4`` pixels, so a ``-`` stays a thin bar and a ``1`` a thin stroke.
    """
    if mask.ndim != 2 or mask.size == 0:
        raise ValueError(f"mask must be a non-empty 2-D array, got shape {mask.shape}")
    height, width = mask.shape
    scale = (size - 4) / max(height, width)
    new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
    small = cv2.resize(mask.astype(np.float32), (new_w, new_h), interpolation=cv2.INTER_AREA)
    out = np.zeros((size, size), np.float32)
    top, left = (size - new_h) // 2, (size - new_w) // 2
    out[top:top + new_h, left:left + new_w] = small
    return out


def reference_height(boxes: list[BBox]) -> float:
    """The expression's typical symbol height: the median height of its boxes that are not flat."""
    if not boxes:
        raise ValueError("no boxes")
    tall = [b.h for b in boxes if b.h >= b.w / 3]
    return float(np.median(tall if tall else [b.h for b in boxes])) or 1.0


def geometry(box: BBox, reference: float) -> np.ndarray:
    """Size features a patch loses: log height and width relative to ``reference``, log aspect."""
    return np.array([np.log(box.h / reference), np.log(box.w / reference),
                     np.log(box.w / box.h)], np.float32)
