"""Render CROHME pen strokes to grey images, as a scanner would see the ink.

Online ink has no pixels; these functions draw it with a chosen pen, scale and distortion so that
the recogniser can be trained and evaluated on images. Each rendering also returns, per symbol, the
ink it drew, which gives the ground truth of the image-level segmentation.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from symbolrec import BBox
from training.crohme import InkExpression


@dataclass(frozen=True)
class Pen:
    """How to draw: median symbol height and pen width in pixels, plus geometric distortion."""

    symbol_height: float = 40.0
    width: int = 3
    rotation: float = 0.0     # degrees
    slant: float = 0.0        # horizontal shear, dx per dy
    elastic: float = 0.0      # amplitude of a smooth random displacement, in symbol heights
    margin: int = 12

    @classmethod
    def random(cls, rng: np.random.Generator) -> "Pen":
        """A varied pen for training: width 2–6 px, height 28–64 px, ±5° rotation, slant, elastic."""
        return cls(symbol_height=float(rng.uniform(28, 64)), width=int(rng.integers(2, 7)),
                   rotation=float(rng.normal(0, 2.5)), slant=float(rng.normal(0, 0.12)),
                   elastic=float(rng.uniform(0, 0.08)))


@dataclass(frozen=True)
class Rendering:
    """A rendered expression: grey image (uint8, ink dark) and each symbol's ink mask bounding box."""

    image: np.ndarray
    symbol_masks: tuple[np.ndarray, ...]   # full-size bool masks, one per ``expr.symbols``


def ink_height(expr: InkExpression) -> float:
    """Median height of the expression's symbols in ink units (the scale every source agrees on)."""
    heights = []
    for symbol in expr.symbols:
        points = np.concatenate([expr.strokes[i] for i in symbol.strokes])
        heights.append(np.ptp(points[:, 1]))
    heights = [h for h in heights if h > 0]
    if heights:
        return float(np.median(heights))
    points = np.concatenate(expr.strokes)
    return float(max(np.ptp(points[:, 1]), np.ptp(points[:, 0]), 1.0))


def _transform(expr: InkExpression, pen: Pen, rng: np.random.Generator | None):
    """Map every stroke to pixel coordinates (float), distorted as ``pen`` asks."""
    points = np.concatenate(expr.strokes)
    scale = pen.symbol_height / max(ink_height(expr), 1e-6)
    centre = points.mean(axis=0)
    theta = np.deg2rad(pen.rotation)
    matrix = scale * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    matrix = np.array([[1.0, pen.slant], [0.0, 1.0]]) @ matrix
    strokes = [(s - centre) @ matrix.T for s in expr.strokes]
    if pen.elastic > 0 and rng is not None:
        amplitude = pen.elastic * pen.symbol_height
        waves = rng.normal(size=(2, 3)) * amplitude
        phase = rng.uniform(0, 2 * np.pi, size=(2, 3))
        period = pen.symbol_height * rng.uniform(1.5, 4.0, size=(2, 3))
        def warp(p):
            out = p.copy()
            for axis in range(2):
                other = p[:, 1 - axis]
                out[:, axis] += sum(waves[axis, k] * np.sin(other / period[axis, k] + phase[axis, k])
                                    for k in range(3))
            return out
        strokes = [warp(s) for s in strokes]
    low = np.min(np.concatenate(strokes), axis=0)
    offset = pen.margin + pen.width - low
    return [s + offset for s in strokes]


def render(expr: InkExpression, pen: Pen = Pen(), rng: np.random.Generator | None = None,
           *, max_side: int = 4000) -> Rendering:
    """Draw ``expr`` with ``pen`` on white paper; return the image and each symbol's ink mask.

    Raises
    ------
    ValueError
        If the expression has no strokes, or would render larger than ``max_side`` pixels.
    """
    if not expr.strokes:
        raise ValueError(f"{expr.name}: no strokes to render")
    strokes = _transform(expr, pen, rng)
    high = np.max(np.concatenate(strokes), axis=0)
    width, height = (np.ceil(high) + pen.margin + pen.width).astype(int)
    if max(width, height) > max_side:
        raise ValueError(f"{expr.name}: rendering would be {width}x{height} pixels")
    image = np.full((height, width), 255, np.uint8)
    shift = 4  # sub-pixel precision for cv2 drawing
    polylines = [np.round(s * (1 << shift)).astype(np.int32).reshape(-1, 1, 2) for s in strokes]
    cv2.polylines(image, polylines, False, 0, pen.width, cv2.LINE_AA, shift)
    for line in polylines:  # single-point strokes (dots) still leave ink
        if len(line) == 1:
            cv2.circle(image, tuple(line[0, 0]), max(pen.width // 2, 1) << shift, 0, -1, cv2.LINE_AA, shift)
    masks = []
    for symbol in expr.symbols:
        canvas = np.zeros_like(image)
        cv2.polylines(canvas, [polylines[i] for i in symbol.strokes], False, 255, pen.width + 2, cv2.LINE_8, shift)
        for i in symbol.strokes:
            if len(polylines[i]) == 1:
                cv2.circle(canvas, tuple(polylines[i][0, 0]), (pen.width // 2 + 1) << shift, 255, -1, cv2.LINE_8, shift)
        masks.append(canvas > 0)
    return Rendering(image, tuple(masks))


def stroke_boxes(expr: InkExpression, pen: Pen = Pen(), rng: np.random.Generator | None = None) -> list:
    """Each symbol's box in pixels as :func:`render` would draw it, without drawing (fast)."""
    strokes = _transform(expr, pen, rng)
    half = pen.width / 2
    boxes = []
    for symbol in expr.symbols:
        points = np.concatenate([strokes[i] for i in symbol.strokes])
        (x0, y0), (x1, y1) = points.min(axis=0) - half, points.max(axis=0) + half
        boxes.append(BBox(int(x0), int(y0), max(1, int(np.ceil(x1 - x0))), max(1, int(np.ceil(y1 - y0)))))
    return boxes
