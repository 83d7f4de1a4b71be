"""Grey image → ink mask: flatten the lighting, separate ink from paper, drop specks."""

from __future__ import annotations

import cv2
import numpy as np
from skimage.filters import threshold_otsu

from symbolrec._types import NoInkError

MIN_CONTRAST = 0.2   # ink must be this much darker than paper (as a fraction of paper brightness)


def flatten(grey: np.ndarray) -> np.ndarray:
    """Divide out the paper's brightness (shadows, gradients); return floats, paper ≈ 1, ink < 1.

    The paper is estimated by a grey closing (ink removed) on a reduced image, so it costs little.
    """
    if grey.ndim != 2:
        raise ValueError(f"grey must be 2-D, got shape {grey.shape}")
    height, width = grey.shape
    factor = max(1, max(height, width) // 400)
    small = cv2.resize(grey, (max(1, width // factor), max(1, height // factor)), interpolation=cv2.INTER_AREA)
    size = 2 * max(3, min(small.shape) // 12) + 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    paper = cv2.GaussianBlur(paper, (0, 0), size / 4)
    paper = cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return np.clip(grey.astype(np.float32) / np.maximum(paper, 1.0), 0.0, 1.0)


def binarize(grey: np.ndarray, *, min_area: int | None = None) -> np.ndarray:
    """Return the ink of ``grey`` as an (H, W) bool mask.

    Raises
    ------
    NoInkError
        If nothing on the page is clearly darker than the paper.
    """
    flat = flatten(grey)
    if float(flat.min()) > 1 - MIN_CONTRAST:
        raise NoInkError("no writing found: the page is blank")
    threshold = min(threshold_otsu(flat), 1 - MIN_CONTRAST / 2)
    ink = flat < threshold
    ink = _drop_specks(ink, min_area)
    if not ink.any():
        raise NoInkError("no writing found: only specks on the page")
    return ink


def _drop_specks(ink: np.ndarray, min_area: int | None) -> np.ndarray:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    if min_area is None:  # a speck is far smaller than a pen dot: scale with the largest strokes
        min_area = max(3, int(np.percentile(areas, 90) * 0.004)) if len(areas) else 3
    keep = np.zeros(count, bool)
    keep[1:] = areas >= min_area
    return keep[labels]
