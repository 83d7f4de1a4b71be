"""Group connected components that form one symbol (``=``, ``i``, ``÷``, ``≤``, ``\\ldots``, a
two-stroke ``\\pi``), letting the classifier decide which groupings make a symbol."""

from __future__ import annotations

import numpy as np

from symbolrec._types import BBox, Component
from symbolrec.classify import Classifier, best_reading
from symbolrec.segment import merge

MAX_GAP = (0.35, 0.7)       # largest horizontal, vertical gap between parts, in reference heights
MAX_SIZE = (2.6, 1.8)       # largest width, height of a multi-part symbol, in reference heights
THRESHOLD = 0.8             # least probability of a merged reading (valid_2013: a plateau from 0.6 to 0.8)


def gaps(a: BBox, b: BBox) -> tuple[float, float]:
    """Horizontal and vertical distance between two boxes (0 where they overlap)."""
    return (max(0, max(a.x, b.x) - min(a.x2, b.x2)), max(0, max(a.y, b.y) - min(a.y2, b.y2)))


def candidates(components: list[Component], reference: float) -> list[tuple[int, ...]]:
    """Pairs of nearby components small enough together to be one symbol."""
    pairs = []
    for i, a in enumerate(components):
        for j in range(i + 1, len(components)):
            b = components[j]
            if b.bbox.x - a.bbox.x2 > MAX_GAP[0] * reference:
                break  # sorted by left edge: nothing further right can be close
            gx, gy = gaps(a.bbox, b.bbox)
            if (gx <= MAX_GAP[0] * reference and gy <= MAX_GAP[1] * reference
                    and _fits(a.bbox.union(b.bbox), reference) and not _fraction(a.bbox, b.bbox, reference)):
                pairs.append((i, j))
    return pairs


def _fraction(a: BBox, b: BBox, reference: float) -> bool:
    """A bar far wider than a (non-dot) symbol it is stacked with: a fraction, not ``±`` or ``≤``."""
    bar, other = (a, b) if a.w * b.h > b.w * a.h else (b, a)
    return bar.w > 3 * bar.h and other.h > 0.3 * reference and bar.w > 1.5 * other.w


def _fits(box: BBox, reference: float) -> bool:
    return box.w <= MAX_SIZE[0] * reference and box.h <= MAX_SIZE[1] * reference


def group(components: list[Component], probabilities: np.ndarray, classifier: Classifier, reference: float,
          *, threshold: float = THRESHOLD) -> tuple[list[Component], np.ndarray]:
    """Merge nearby components while the merge reads as a multi-part symbol, better than apart.

    Parameters
    ----------
    components : list of Component
        Sorted by left edge (as :func:`symbolrec.segment.segment` returns them).
    probabilities : (N, classes) ndarray
        The classifier's reading of each component.
    classifier : Classifier
        Scores the merged candidates; its ``info.multipart`` names the labels worth building.
    reference : float
        Typical symbol height in pixels.
    threshold : float
        Least probability of a multi-part label for a merge to be made; it must also beat the
        product of the parts' own best probabilities.

    Returns
    -------
    components, probabilities
        The grouped components (left to right) and each one's class probabilities.
    """
    components = list(components)
    multipart = np.array([label in classifier.info.multipart for label in classifier.labels])
    while True:
        pairs = candidates(components, reference)
        if not pairs:
            break
        merged = [merge([components[i] for i in group]) for group in pairs]
        scores = classifier.classify(merged, reference)
        best = np.where(multipart, scores, 0).max(axis=1)
        # a merge must read better than the parts read apart (their joint probability)
        apart = np.array([np.prod(best_reading(probabilities[list(group)], classifier.labels)) for group in pairs])
        gain = np.where((best >= threshold) & (best > apart), best - apart, -1.0)
        k = int(np.argmax(gain))
        if gain[k] < 0:
            break
        keep = [n for n in range(len(components)) if n not in pairs[k]]
        components = [components[n] for n in keep] + [merged[k]]
        probabilities = np.concatenate([probabilities[keep], scores[k:k + 1]])
        order = sorted(range(len(components)), key=lambda n: (components[n].bbox.x, components[n].bbox.y))
        components = [components[n] for n in order]
        probabilities = probabilities[order]
    return components, probabilities
