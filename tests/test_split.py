"""Cutting touching symbols, with a stand-in classifier whose readings are known."""

import numpy as np

from symbolrec.segment import segment
from symbolrec.split import split


class WidthReader:
    """Reads narrow pieces (a stroke and its stub of joining ink) as a sure '1' and anything wider as an unsure 'x'."""

    labels = ("1", "x")

    def classify(self, components, reference):
        return np.array([[0.99, 0.01] if c.bbox.w <= 16 else [0.4, 0.6] for c in components])


def two_touching_strokes():
    ink = np.zeros((60, 60), bool)
    ink[10:50, 10:16] = True      # a "1"
    ink[10:50, 34:40] = True      # another "1"
    ink[28:31, 16:34] = True      # a thin joining stroke
    return ink


def test_touching_strokes_are_cut_where_the_ink_is_thinnest():
    parts = segment(two_touching_strokes())
    assert len(parts) == 1
    reader = WidthReader()
    cut, probabilities = split(parts, reader.classify(parts, 30), reader, 30)
    assert len(cut) == 2 and cut[0].bbox.x2 <= cut[1].bbox.x
    assert (probabilities[:, 0] > 0.9).all()


def test_a_clear_symbol_is_left_whole():
    parts = segment(two_touching_strokes())
    reader = WidthReader()
    sure = np.array([[0.0, 1.0]])                      # the whole reads as a sure "x"
    cut, probabilities = split(parts, sure, reader, 30)
    assert len(cut) == 1 and np.array_equal(probabilities, sure)


def test_narrow_components_are_never_cut():
    ink = np.zeros((60, 60), bool)
    ink[10:50, 10:16] = True
    parts = segment(ink)
    reader = WidthReader()
    cut, _ = split(parts, np.array([[0.2, 0.8]]), reader, 40)
    assert len(cut) == 1
