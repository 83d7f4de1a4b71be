"""What the relation models see of a (base, other) pair: geometry relative to the expression's
symbol height, plus which symbols they are (their typographic shape is in the label).

:func:`pair_geometry` feeds the pairwise scorer; :func:`row_features` feeds the edge model,
which scores every candidate (parent, child) pair of a row at once, with the child's nearest
neighbours as context.
"""

from __future__ import annotations

import numpy as np

from layout.scorer import Item

GEOMETRY = 14
EDGE_GEOMETRY = GEOMETRY + 3      # pair geometry, the gap between extents, centre offset, steps apart
CONTEXT_GEOMETRY = 2 * GEOMETRY + 1   # a neighbour against the child and the parent, steps from child
NEIGHBOURS = 6                    # context symbols per edge
PARENTS = 8                       # candidate parents per child: the nearest earlier units


def _boxes(items: list[Item]) -> tuple[np.ndarray, np.ndarray]:
    """(N, 4) float64 boxes and extents as x, y, w, h."""
    box = np.array([(i.box.x, i.box.y, i.box.w, i.box.h) for i in items], np.float64).reshape(-1, 4)
    ext = np.array([(i.extent.x, i.extent.y, i.extent.w, i.extent.h) for i in items], np.float64).reshape(-1, 4)
    return box, ext


def geometry_many(b: np.ndarray, be: np.ndarray, o: np.ndarray, oe: np.ndarray, reference: float) -> np.ndarray:
    """(P, 14) float32 :func:`pair_geometry` for P pairs of (x, y, w, h) boxes and extents."""
    r = max(reference, 1.0)
    bh = np.maximum(b[:, 3], 0.3 * r)
    beh = np.maximum(be[:, 3], 0.3 * r)
    bcy, ocy = b[:, 1] + b[:, 3] / 2, o[:, 1] + o[:, 3] / 2
    becy, oecy = be[:, 1] + be[:, 3] / 2, oe[:, 1] + oe[:, 3] / 2
    values = [
        (ocy - bcy) / r, (o[:, 1] - b[:, 1]) / r, (o[:, 1] + o[:, 3] - b[:, 1] - b[:, 3]) / r,
        (ocy - bcy) / bh, (o[:, 1] + o[:, 3] - bcy) / bh, (o[:, 1] - bcy) / bh,
        (oecy - becy) / beh,
        np.log(np.maximum(o[:, 3], 1) / bh), np.log(np.maximum(oe[:, 3], 1) / beh),
        np.log(np.maximum(o[:, 3], 1) / r), np.log(bh / r), np.log(np.maximum(b[:, 2], 1) / r),
        np.log(np.maximum(o[:, 2], 1) / r),
        (o[:, 0] - b[:, 0] - b[:, 2]) / r,
    ]
    return np.clip(np.stack(values, axis=1), -8, 8).astype(np.float32)


def pair_geometry(base: Item, other: Item, reference: float) -> np.ndarray:
    """(14,) float32: vertical offsets of tops, middles and bottoms, sizes and the gap, normalised."""
    (b, be), (o, oe) = _boxes([base]), _boxes([other])
    return geometry_many(b, be, o, oe, reference)[0]


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


def candidate_parents(items: list[Item], parents: int = PARENTS) -> np.ndarray:
    """(P, 2) int: (parent, child) pairs of a row whose ``items`` are in reading order.

    Each child's candidates are the ``parents`` earlier items nearest to it (by the gap between
    extents), always including the item just before it.

    Examples
    --------
    >>> from symbolrec import BBox
    >>> row = [Item("x", BBox(x, 0, 10, 10), BBox(x, 0, 10, 10)) for x in (0, 20, 40)]
    >>> candidate_parents(row, parents=1).tolist()
    [[0, 1], [1, 2]]
    """
    _, ext = _boxes(items)
    gaps = _gaps(ext)
    pairs = []
    for child in range(1, len(items)):
        earlier = np.argsort(gaps[child, :child], kind="stable")[:parents].tolist()
        if child - 1 not in earlier:
            earlier[-1] = child - 1
        pairs.extend((parent, child) for parent in sorted(earlier))
    return np.array(pairs, np.int64).reshape(-1, 2)


def _gaps(ext: np.ndarray) -> np.ndarray:
    x1, y1, x2, y2 = ext[:, 0], ext[:, 1], ext[:, 0] + ext[:, 2], ext[:, 1] + ext[:, 3]
    dx = np.maximum(0, np.maximum(x1[:, None], x1[None]) - np.minimum(x2[:, None], x2[None]))
    dy = np.maximum(0, np.maximum(y1[:, None], y1[None]) - np.minimum(y2[:, None], y2[None]))
    return np.hypot(dx, dy)


def row_features(items: list[Item], pairs: np.ndarray, reference: float, labels: dict[str, int],
                 neighbours: int = NEIGHBOURS) -> dict[str, np.ndarray]:
    """The edge model's inputs for ``pairs`` (P, 2) of (parent, child) indices into ``items``.

    Returns
    -------
    features : dict of ndarray
        ``geometry`` (P, 17) float32; ``labels`` (P, 2) int32 (0 for a label not in ``labels``,
        which counts from 1); ``context`` (P, K, 29) float32, the K items nearest the child
        other than the pair; ``context_labels`` (P, K) int32; ``context_mask`` (P, K) float32,
        1 where a neighbour is present.
    """
    p, c = pairs[:, 0], pairs[:, 1]
    box, ext = _boxes(items)
    r = max(reference, 1.0)
    ids = np.array([labels.get(i.label, 0) for i in items], np.int32)
    steps = np.clip(c - p - 1, 0, 8) / 4
    extra = np.stack([(ext[c, 0] - ext[p, 0] - ext[p, 2]) / r,
                      (box[c, 0] + box[c, 2] / 2 - box[p, 0] - box[p, 2] / 2) / r, steps], axis=1)
    geometry = np.concatenate([geometry_many(box[p], ext[p], box[c], ext[c], r),
                               np.clip(extra, -8, 8).astype(np.float32)], axis=1)
    count = len(pairs)
    context = np.zeros((count, neighbours, CONTEXT_GEOMETRY), np.float32)
    context_labels = np.zeros((count, neighbours), np.int32)
    mask = np.zeros((count, neighbours), np.float32)
    if count:
        gaps = _gaps(ext) + 1e-3 * np.abs(np.arange(len(items))[:, None] - np.arange(len(items))[None])
        order = np.argsort(gaps, axis=1, kind="stable")[:, :neighbours + 2]
        if order.shape[1] < neighbours + 2:  # fewer items than slots: pad with -1
            order = np.pad(order, ((0, 0), (0, neighbours + 2 - order.shape[1])), constant_values=-1)
        near = order[c]
        near = np.where((near == p[:, None]) | (near == c[:, None]), -1, near)
        first = np.argsort(near < 0, axis=1, kind="stable")[:, :neighbours]   # present ones first
        near = np.take_along_axis(near, first, axis=1)
        present = near >= 0
        n = np.where(present, near, 0)
        rows, cols = np.nonzero(present)
        if len(rows):
            who, par, chi = n[rows, cols], p[rows], c[rows]
            context[rows, cols, :GEOMETRY] = geometry_many(box[chi], ext[chi], box[who], ext[who], r)
            context[rows, cols, GEOMETRY:2 * GEOMETRY] = geometry_many(box[par], ext[par], box[who], ext[who], r)
            context[rows, cols, -1] = np.clip(who - chi, -8, 8) / 4
            context_labels[rows, cols] = ids[who]
        mask[present] = 1
    return {"geometry": geometry, "labels": np.stack([ids[p], ids[c]], axis=1).reshape(-1, 2),
            "context": context, "context_labels": context_labels, "context_mask": mask}
