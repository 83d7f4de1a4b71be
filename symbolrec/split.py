"""Split components that hold two touching symbols (``2x``, ``(a``), letting the classifier judge
each cut: a cut is kept when both halves read clearly and better than the whole does."""

from __future__ import annotations

import numpy as np

from symbolrec._types import BBox, Component
from symbolrec.classify import Classifier

MIN_WIDTH = 0.9     # narrower components (in reference heights) are never cut
CUTS = 3            # candidate columns tried per component: the thinnest ink in its middle half
MIN_PART = 0.98      # least probability of each half's reading
GAIN = 1.5          # the halves' joint probability must beat the whole's by this factor


def _trim(mask: np.ndarray, x0: int, y0: int) -> Component | None:
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return None
    box = BBox(x0 + int(xs.min()), y0 + int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))
    return Component(box, mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1])


def _cuts(component: Component) -> list[tuple[Component, Component]]:
    """Left/right halves at the columns with least ink in the middle half of the component."""
    mask, box = component.mask, component.bbox
    profile = mask.sum(axis=0)
    low, high = box.w // 4, box.w - box.w // 4
    columns = sorted(range(low, high), key=lambda x: (profile[x], abs(x - box.w / 2)))[:CUTS]
    halves = []
    for x in columns:
        left, right = _trim(mask[:, :x], box.x, box.y), _trim(mask[:, x:], box.x + x, box.y)
        if left is not None and right is not None:
            halves.append((left, right))
    return halves


def split(components: list[Component], probabilities: np.ndarray, classifier: Classifier,
          reference: float) -> tuple[list[Component], np.ndarray]:
    """Cut wide components in two where the halves read as two clear symbols.

    Parameters
    ----------
    components, probabilities
        Components (left to right) and their class probabilities.
    classifier : Classifier
    reference : float
        Typical symbol height in pixels.

    Returns
    -------
    components, probabilities
        With each accepted cut replaced by its two halves, left to right.
    """
    out, out_p = [], []
    for component, p in zip(components, probabilities):
        halves = _cuts(component) if component.bbox.w >= MIN_WIDTH * reference else []
        best = None
        if halves:
            scores = classifier.classify([h for pair in halves for h in pair], reference).reshape(len(halves), 2, -1)
            tops = scores.max(axis=2)
            joint = tops.prod(axis=1)
            k = int(np.argmax(joint))
            if tops[k].min() >= MIN_PART and joint[k] > GAIN * p.max():
                best = (halves[k], scores[k])
        if best is None:
            out.append(component)
            out_p.append(p)
        else:
            out.extend(best[0])
            out_p.extend(best[1])
    order = sorted(range(len(out)), key=lambda n: (out[n].bbox.x, out[n].bbox.y))
    return [out[n] for n in order], np.array([out_p[n] for n in order]).reshape(len(out), -1)
