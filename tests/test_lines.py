import numpy as np

from symbolrec.lines import split_lines


def bar(ink, y, x0, x1, h=4):
    ink[y:y + h, x0:x1] = True


def test_two_lines_are_split_but_a_fraction_is_not():
    ink = np.zeros((400, 300), bool)
    for x in (20, 60, 100):                 # line 1: three 40 px tall strokes
        ink[40:80, x:x + 4] = True
    ink[150:190, 40:44] = True              # line 2: a fraction, numerator / bar / denominator
    bar(ink, 198, 20, 80)
    ink[206:246, 40:44] = True
    boxes = split_lines(ink)
    assert [(b.y, b.y2) for b in boxes] == [(40, 80), (150, 246)]
    assert boxes[0].x == 20 and boxes[1].w == 60


def test_no_ink_no_lines():
    assert split_lines(np.zeros((10, 10), bool)) == []
