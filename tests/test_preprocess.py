import cv2
import numpy as np
import pytest

from symbolrec import NoInkError
from symbolrec.preprocess import binarize
from symbolrec.segment import merge, segment


def page(h=200, w=400, shadow=False):
    grey = np.full((h, w), 235, np.float32)
    if shadow:  # dark from the left: paper at 80 on one side, 235 on the other
        grey *= np.linspace(0.35, 1.0, w)[None, :]
    return grey


def test_blank_page_has_no_ink():
    with pytest.raises(NoInkError, match="no writing"):
        binarize(page().astype(np.uint8))


def test_noise_only_page_has_no_ink():
    rng = np.random.default_rng(0)
    grey = np.clip(page() + rng.normal(0, 4, (200, 400)), 0, 255).astype(np.uint8)
    with pytest.raises(NoInkError):
        binarize(grey)


def test_ink_under_a_shadow_is_found_and_paper_is_not():
    grey = page(shadow=True)
    cv2.line(grey, (30, 100), (90, 100), float(0.3 * grey[100, 30]), 4)     # ink in the dark part
    cv2.line(grey, (300, 60), (300, 140), float(0.3 * grey[100, 300]), 4)   # ink in the light part
    ink = binarize(grey.astype(np.uint8))
    boxes = [c.bbox for c in segment(ink)]
    assert len(boxes) == 2
    assert boxes[0].w > 50 and boxes[1].h > 70
    assert ink.sum() < 1500    # the shadow itself is not ink


def test_segment_and_merge():
    ink = np.zeros((20, 20), bool)
    ink[2:4, 2:10] = True
    ink[8:10, 2:10] = True
    parts = segment(ink)
    assert [p.bbox.y for p in parts] == [2, 8]
    both = merge(parts)
    assert (both.bbox.h, both.bbox.w) == (8, 8) and both.mask.sum() == 32


def test_segment_rejects_non_bool():
    with pytest.raises(ValueError):
        segment(np.zeros((3, 3), np.uint8))
