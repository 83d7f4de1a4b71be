"""Draw what was read over the image: a box per symbol coloured by confidence, its label, and the
tree's relations as arrows, so a person sees at a glance where the recogniser was unsure."""

from __future__ import annotations

import cv2
import numpy as np

from layout import Relation

LOW = 0.6   # symbols below this probability are drawn thick and red
_ARROWS = {Relation.RIGHT: (150, 150, 150), Relation.SUP: (200, 80, 0), Relation.SUB: (0, 140, 200),
           Relation.ABOVE: (160, 0, 160), Relation.BELOW: (160, 0, 160), Relation.INSIDE: (0, 120, 0)}


def confidence_colour(p: float) -> tuple[int, int, int]:
    """RGB from red (unsure) through orange to green (sure)."""
    p = float(np.clip((p - 0.3) / 0.7, 0, 1))
    return int(230 * (1 - p)), int(170 * p + 40), 40


def draw_overlay(background: np.ndarray, symbols, graph, *, scale: float | None = None) -> np.ndarray:
    """Return an RGB uint8 image: ``background`` (grey or bool ink) with boxes, labels and relations.

    Parameters
    ----------
    background : (H, W) ndarray
        The image the symbols' boxes refer to: grey uint8, or bool ink (drawn grey on white).
    symbols : sequence of Symbol
    graph : networkx.DiGraph
        Edges ``(parent, child)`` with ``relation`` and ``probability`` attributes.
    scale : float, optional
        Drawing scale; by default small images are enlarged so that labels stay readable.
    """
    if background.dtype == np.bool_:
        background = np.where(background, 90, 255).astype(np.uint8)
    height, width = background.shape[:2]
    scale = scale or float(np.clip(900 / max(width, 1), 1.0, 4.0))
    margin = 40
    canvas = cv2.resize(background, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    canvas = cv2.copyMakeBorder(canvas, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)
    canvas = cv2.cvtColor(canvas, cv2.COLOR_GRAY2RGB) if canvas.ndim == 2 else canvas.copy()

    def point(x: float, y: float) -> tuple[int, int]:
        return round(x * scale) + margin, round(y * scale) + margin

    for parent, child, data in graph.edges(data=True):
        a, b = symbols[parent].bbox, symbols[child].bbox
        start, end = point(a.cx, a.cy), point(b.cx, b.cy)
        length = max(float(np.hypot(end[0] - start[0], end[1] - start[1])), 1.0)
        cv2.arrowedLine(canvas, start, end, _ARROWS[data["relation"]], 2, cv2.LINE_AA, tipLength=min(0.3, 12 / length))
    for i, symbol in enumerate(symbols):
        b = symbol.bbox
        colour = confidence_colour(symbol.confidence)
        thick = 3 if symbol.confidence < LOW else 2
        cv2.rectangle(canvas, point(b.x, b.y), point(b.x2, b.y2), colour, thick, cv2.LINE_AA)
        text = f"{i}:{symbol.label} {symbol.confidence:.2f}"
        x, y = point(b.x, b.y)
        cv2.putText(canvas, text, (x, max(y - 6, 12)), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 3, cv2.LINE_AA)
        cv2.putText(canvas, text, (x, max(y - 6, 12)), cv2.FONT_HERSHEY_SIMPLEX, 0.5, colour, 1, cv2.LINE_AA)
    return canvas
