"""Candidate edges over symbols: which pairs the relation model is asked about.

Two ways to keep the graph small, both over bounding boxes: each symbol's ``k`` nearest neighbours
(by the gap between boxes), and line of sight (a symbol sees another when some ray from its
centre reaches the other's box before any nearer box blocks it). ``training/candidates.py``
measures how many true relations each keeps.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from symbolrec import BBox


def box_gaps(boxes: list[BBox]) -> np.ndarray:
    """(N, N) float64: the distance between each two boxes (0 where they overlap)."""
    b = np.array([(x.x, x.y, x.x2, x.y2) for x in boxes], np.float64).reshape(-1, 4)
    dx = np.maximum(0, np.maximum(b[:, None, 0], b[None, :, 0]) - np.minimum(b[:, None, 2], b[None, :, 2]))
    dy = np.maximum(0, np.maximum(b[:, None, 1], b[None, :, 1]) - np.minimum(b[:, None, 3], b[None, :, 3]))
    return np.hypot(dx, dy)


def nearest_neighbours(boxes: list[BBox], k: int) -> nx.Graph:
    """Undirected graph joining each box to its ``k`` nearest (by gap, then by centre distance).

    Examples
    --------
    >>> g = nearest_neighbours([BBox(0, 0, 10, 10), BBox(12, 0, 10, 10), BBox(50, 0, 10, 10)], 1)
    >>> sorted(g.edges())
    [(0, 1), (1, 2)]
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    graph = nx.Graph()
    graph.add_nodes_from(range(len(boxes)))
    if len(boxes) < 2:
        return graph
    centres = np.array([(b.cx, b.cy) for b in boxes], np.float64)
    far = np.hypot(*(centres[:, None] - centres[None]).transpose(2, 0, 1))
    distance = box_gaps(boxes) + 1e-3 * far
    np.fill_diagonal(distance, np.inf)
    for i, row in enumerate(distance):
        graph.add_edges_from((i, int(j)) for j in np.argsort(row)[:k])
    return graph


def line_of_sight(boxes: list[BBox]) -> nx.Graph:
    """Undirected graph joining each box to the boxes visible from its centre.

    Boxes are visited nearest first; each one's angular span (as seen from the centre) is kept
    when part of it is not hidden behind nearer boxes' spans.

    Examples
    --------
    >>> g = line_of_sight([BBox(0, 0, 10, 10), BBox(20, 0, 10, 10), BBox(40, 0, 10, 10)])
    >>> sorted(g.edges())
    [(0, 1), (1, 2)]
    """
    graph = nx.Graph()
    graph.add_nodes_from(range(len(boxes)))
    gaps = box_gaps(boxes)
    for i, eye in enumerate(boxes):
        cx, cy = eye.cx, eye.cy
        seen: list[tuple[float, float]] = []
        for j in np.argsort(gaps[i]):
            j = int(j)
            if j == i:
                continue
            spans = _spans(boxes[j], cx, cy)
            if spans is None:  # the centre is inside the other box: always visible
                graph.add_edge(i, j)
                continue
            if any(not _covered(span, seen) for span in spans):
                graph.add_edge(i, j)
            seen = _merge(seen + spans)
    return graph


def _spans(box: BBox, cx: float, cy: float) -> list[tuple[float, float]] | None:
    """The angles (radians, in [-pi, pi]) ``box`` covers from (cx, cy), split at the wrap."""
    if box.x <= cx <= box.x2 and box.y <= cy <= box.y2:
        return None
    angles = [math.atan2(y - cy, x - cx) for x in (box.x, box.x2) for y in (box.y, box.y2)]
    low, high = min(angles), max(angles)
    if high - low > math.pi:  # straddles the wrap at pi (the box is to the left)
        low, high = min(a for a in angles if a > 0), max(a for a in angles if a < 0)
        return [(low, math.pi), (-math.pi, high)]
    return [(low, high)]


def _covered(span: tuple[float, float], seen: list[tuple[float, float]]) -> bool:
    return any(lo <= span[0] + 1e-9 and span[1] <= hi + 1e-9 for lo, hi in seen)


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]
