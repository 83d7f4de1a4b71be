"""Grouping components into one symbol: multi-part symbols and function names written letter by letter."""

import numpy as np

from symbolrec.classify import ModelInfo
from symbolrec.group import group, word_runs
from symbolrec.segment import segment


def blobs(*boxes, shape=(120, 260)):
    """Ink with one filled rectangle per (y, x, h, w) box, as the segmenter's components."""
    ink = np.zeros(shape, bool)
    for y, x, h, w in boxes:
        ink[y:y + h, x:x + w] = True
    return segment(ink)


LETTERS = ((40, 10, 30, 20), (40, 40, 30, 8), (28, 40, 6, 8), (40, 58, 30, 20))   # s, ı, its dot, n


def test_a_word_run_takes_letters_and_dots_but_not_a_limit_below():
    parts = blobs(*LETTERS, (80, 30, 20, 30), (40, 200, 30, 20))   # a limit under the word, a far symbol
    runs = word_runs(parts, 30)
    xs = [[parts[i].bbox.x for i in run] for run in runs]
    assert [10, 40, 40, 58] in xs                       # the whole word, dot included
    assert not any(x[0] == 10 and 30 in x for x in xs)   # a run from the word's first letter skips the limit below
    assert not any(200 in x for x in xs)                 # past a wide gap a run ends


class WordReader:
    """Reads four or more parts together as ``\\sin`` (with a set probability), anything else as an unsure letter."""

    def __init__(self, word: float):
        self.labels = ("s", "i", "n", ".", r"\sin", "junk")
        self.info = ModelInfo(self.labels, frozenset({"i"}), {})
        self.word = word

    def classify(self, components, reference):
        def read(c):
            ink = len(segment(c.mask))
            if ink >= 4:
                return [0, 0, 0, 0, self.word, 1 - self.word]
            return [0.6, 0.1, 0.1, 0.1, 0, 0.1] if ink < 2 else [0, 0, 0, 0, 0, 1.0]
        return np.array([read(c) for c in components], float)


def test_letters_that_read_as_a_word_together_become_one_symbol():
    parts = blobs(*LETTERS)
    reader = WordReader(word=0.99)
    grouped, probabilities = group(parts, reader.classify(parts, 30), reader, 30)
    assert len(grouped) == 1 and reader.labels[int(probabilities[0].argmax())] == r"\sin"


def test_an_unsure_word_is_left_in_letters():
    parts = blobs(*LETTERS)
    reader = WordReader(word=0.8)                      # under the word threshold
    grouped, _ = group(parts, reader.classify(parts, 30), reader, 30)
    assert len(grouped) == 4


class TouchingLettersReader:
    """Reads the wide first part ("co" touching) as junk, a narrow one as an unsure "s", both as \\cos."""

    labels = ("s", r"\cos", "junk")
    info = ModelInfo(labels, frozenset(), {})

    def classify(self, components, reference):
        return np.array([[0, 0.99, 0.01] if len(segment(c.mask)) == 2 else
                         [0, 0, 1.0] if c.bbox.w > 30 else [0.6, 0, 0.4] for c in components])


def test_a_word_whose_first_letters_touch_is_read_whole():
    parts = blobs((40, 10, 30, 40), (40, 56, 30, 20))      # "co" in one piece, then "s"
    reader = TouchingLettersReader()
    grouped, probabilities = group(parts, reader.classify(parts, 30), reader, 30)
    assert len(grouped) == 1 and reader.labels[int(probabilities[0].argmax())] == r"\cos"


def test_an_arrow_head_may_join_its_shaft_but_a_digit_over_a_bar_may_not():
    from symbolrec.group import candidates

    arrow = blobs((50, 10, 4, 60), (42, 72, 20, 12))          # shaft, head spanning its height past its end
    assert candidates(arrow, 30) == [(0, 1)]
    fraction = blobs((50, 10, 4, 60), (20, 30, 26, 14))       # a bar and a digit over it
    assert candidates(fraction, 30) == []


class WholeWordReader:
    """Reads anything wide as a sure ``\\sin`` and a narrow blob as an unsure ``x``."""

    labels = ("x", r"\sin", "junk")
    info = ModelInfo(labels, frozenset(), {})

    def classify(self, components, reference):
        return np.array([[0, 0.99, 0.01] if c.bbox.w > 40 else [0.7, 0, 0.3] for c in components])


def test_a_word_read_whole_takes_no_letter_beside_it():
    parts = blobs((40, 10, 30, 60), (40, 76, 30, 20))      # "sin" written in one stroke, then an x
    reader = WholeWordReader()
    grouped, _ = group(parts, reader.classify(parts, 30), reader, 30)
    assert len(grouped) == 2


class BarsReader:
    """Reads one bar as a sure minus and two bars together as an equals sign, a shade less surely."""

    labels = ("-", "=", "junk")
    info = ModelInfo(labels, frozenset({"="}), {})

    def classify(self, components, reference):
        return np.array([[0.999, 0, 0.001] if len(segment(c.mask)) == 1 else [0, 0.997, 0.003]
                         for c in components])


def test_two_sure_minuses_read_surely_as_an_equals_sign_become_one():
    parts = blobs((40, 10, 4, 40), (56, 10, 4, 40))       # a tall '=': each bar a sure '-'
    reader = BarsReader()
    grouped, probabilities = group(parts, reader.classify(parts, 30), reader, 30)
    assert len(grouped) == 1 and reader.labels[int(probabilities[0].argmax())] == "="


class GeqReader:
    """Reads a wedge as a sure '>' and a bar as a sure '-', and the two together as '\\geq' less surely
    than either apart; anything else as junk."""

    labels = (r"\gt", "-", r"\geq", "=", "junk")
    info = ModelInfo(labels, frozenset({r"\geq", "="}), {})

    def classify(self, components, reference):
        def read(c):
            parts = len(segment(c.mask))
            if parts == 2:
                return [0, 0, 0.9, 0.05, 0.05] if c.bbox.h > 20 else [0, 0, 0.05, 0.9, 0.05]
            return [0, 0.999, 0, 0, 0.001] if c.bbox.h <= 6 else [0.999, 0, 0, 0, 0.001]
        return np.array([read(c) for c in components], float)


def test_a_symbol_drawn_with_sure_symbols_is_built_though_they_read_better_apart():
    reader = GeqReader()
    parts = blobs((30, 10, 24, 24), (60, 10, 4, 24))      # '>' over its bar: \geq
    grouped, probabilities = group(parts, reader.classify(parts, 30), reader, 30)
    assert len(grouped) == 1 and reader.labels[int(probabilities[0].argmax())] == r"\geq"
    bars = blobs((40, 10, 4, 90), (52, 40, 4, 30))        # a bar three times as wide as the one under it: no '='
    grouped, _ = group(bars, reader.classify(bars, 30), reader, 30)
    assert len(grouped) == 2


class FootReader:
    """Reads a stem as a sure '1', a bar as a sure '-', the two together as a '1' less surely, and
    anything else (a denominator) as an unsure 'x'. The model lists no multi-part symbol."""

    labels = ("1", "-", "x")
    info = ModelInfo(labels, frozenset(), {})

    def classify(self, components, reference):
        def read(c):
            if len(segment(c.mask)) == 2:
                return [0.9, 0.05, 0.05]
            return [0.99, 0.005, 0.005] if c.bbox.w <= 14 else [0.005, 0.99, 0.005] if c.bbox.h < 10 else [0.3, 0.1, 0.6]
        return np.array([read(c) for c in components], float)


def test_a_one_takes_its_foot_but_not_a_fraction_bar_with_a_denominator_under_it():
    reader = FootReader()
    footed = blobs((20, 40, 30, 14), (53, 34, 4, 26))     # a 1, and a bar just under its bottom
    grouped, probabilities = group(footed, reader.classify(footed, 30), reader, 30)
    assert len(grouped) == 1 and reader.labels[int(probabilities[0].argmax())] == "1"
    fraction = blobs((20, 40, 30, 14), (53, 34, 4, 26), (62, 38, 26, 18))   # ... and a denominator under the bar
    grouped, _ = group(fraction, reader.classify(fraction, 30), reader, 30)
    assert len(grouped) == 3
    beside = blobs((20, 40, 30, 14), (33, 10, 4, 24))     # a minus before the 1: no foot
    grouped, _ = group(beside, reader.classify(beside, 30), reader, 30)
    assert len(grouped) == 2


def test_a_symbol_larger_than_the_expression_is_measured_against_its_own_size():
    from symbolrec.group import candidates

    big_sum = blobs((30, 10, 4, 70), (36, 0, 100, 90))        # a large \sum's top bar over its body
    assert candidates(big_sum, 30) == [(0, 1)]
    tall_equals = blobs((40, 10, 4, 80), (66, 14, 4, 80))     # long bars 22 px apart (0.73 reference heights)
    assert candidates(tall_equals, 30) == [(0, 1)]
    small_apart = blobs((40, 10, 4, 12), (66, 10, 4, 12))     # short bars as far apart: no symbol
    assert candidates(small_apart, 30) == []


class BracketReader:
    """Reads the run of all three parts as a sure ``\\sin`` (two as junk), a tall narrow part as a sure ``(``, the rest as letters."""

    labels = ("S", "(", "A", r"\sin", "junk")
    info = ModelInfo(labels, frozenset(), {})

    def classify(self, components, reference):
        def read(c):
            if len(segment(c.mask)) > 1:
                return [0, 0, 0, 0.99, 0.01] if len(segment(c.mask)) == 3 else [0, 0, 0, 0, 1.0]
            return [0, 0.98, 0, 0, 0.02] if c.bbox.w < 10 else [0.7, 0, 0.2, 0, 0.1]
        return np.array([read(c) for c in components])


def test_a_run_holding_a_sure_bracket_is_no_word():
    parts = blobs((40, 10, 30, 20), (36, 36, 40, 6), (40, 48, 30, 20))   # S ( A
    reader = BracketReader()
    grouped, _ = group(parts, reader.classify(parts, 30), reader, 30)
    assert len(grouped) == 3


class DivisionReader:
    """Reads three parts together as a sure ``\\div``, two as junk, a dot or a bar alone as surely what it is."""

    labels = (".", "-", r"\div", "junk")
    info = ModelInfo(labels, frozenset({r"\div"}), {})

    def classify(self, components, reference):
        def read(c):
            parts = len(segment(c.mask))
            if parts > 1:
                return [0, 0, 0.99, 0.01] if parts == 3 else [0, 0, 0, 1.0]
            return [0.98, 0, 0, 0.02] if c.bbox.w < 10 else [0, 0.98, 0, 0.02]
        return np.array([read(c) for c in components])


def test_a_symbol_whose_pairs_read_as_nothing_is_built_from_three_parts():
    parts = blobs((30, 24, 6, 6), (44, 10, 4, 34), (56, 24, 6, 6))   # ÷: dot, bar, dot
    reader = DivisionReader()
    grouped, probabilities = group(parts, reader.classify(parts, 30), reader, 30)
    assert len(grouped) == 1 and reader.labels[int(probabilities[0].argmax())] == r"\div"


def test_a_high_dot_still_pairs_with_its_stem_and_a_plus_with_its_wider_bar():
    from symbolrec.group import candidates

    high_dot = blobs((20, 10, 6, 6), (50, 10, 20, 6))          # an i's dot 24 px (0.8 reference heights) over its stem
    assert candidates(high_dot, 30) == [(0, 1)]
    tall_i = blobs((10, 10, 6, 12), (36, 12, 30, 8))           # a dash for a dot, 20 px over its stem: 1.87 reference heights
    assert candidates(tall_i, 30) == [(0, 1)]
    plus_minus = blobs((20, 14, 26, 26), (50, 10, 4, 44))      # ± whose bar is 1.7 times its plus
    assert candidates(plus_minus, 30) == [(0, 1)]


class RootReader:
    """Reads a tick and a bar apart as sure strokes, together as ``\\sqrt`` (set probability)."""

    labels = ("-", "/", r"\sqrt", "junk")

    def __init__(self, together: float):
        self.info = ModelInfo(self.labels, frozenset(), {}, frozenset({r"\sqrt"}))
        self.together = together

    def classify(self, components, reference):
        def read(c):
            if len(segment(c.mask)) > 1:
                return [0, 0, self.together, 1 - self.together]
            return [0.97, 0, 0, 0.03] if c.bbox.h < 8 else [0, 0.97, 0, 0.03]
        return np.array([read(c) for c in components])


def test_a_symbol_seldom_drawn_in_two_strokes_is_built_only_when_read_near_certainly():
    parts = blobs((34, 10, 30, 10), (50, 22, 4, 40))      # a bar from the middle of a stroke: no root's shape
    for together, expected in ((0.995, 1), (0.95, 2)):
        reader = RootReader(together)
        grouped, _ = group(parts, reader.classify(parts, 30), reader, 30)
        assert len(grouped) == expected


def test_a_root_drawn_as_tick_and_bar_is_built_when_read_better_than_apart():
    parts = blobs((34, 10, 30, 10), (36, 22, 4, 40))      # a root's tick rising to its bar, just clear of it
    for together, expected in ((0.95, 1), (0.9, 2), (0.5, 2)):   # apart: 0.97 x 0.97
        reader = RootReader(together)
        grouped, _ = group(parts, reader.classify(parts, 30), reader, 30)
        assert len(grouped) == expected


def test_two_bars_with_a_symbol_between_them_make_no_equals_sign():
    from symbolrec.group import candidates

    nested = blobs((30, 10, 4, 90), (40, 40, 20, 16), (66, 20, 4, 70))   # a bar, a numerator, the bar under it
    assert candidates(nested, 30) == []
    assert candidates(blobs((30, 10, 4, 90), (52, 20, 4, 70)), 30) == [(0, 1)]   # nothing between: may be =


def test_a_leg_under_a_bar_end_or_a_thin_leg_anywhere_may_join_it_but_a_denominator_may_not():
    from symbolrec.group import candidates

    pi = blobs((30, 10, 4, 60), (36, 16, 26, 6), (36, 58, 26, 6))   # a bar, two legs starting just under its ends
    assert (0, 1) in candidates(pi, 30) and (0, 2) in candidates(pi, 30)
    fraction = blobs((30, 10, 4, 60), (36, 30, 26, 20))              # as close under the bar's middle: a denominator
    assert candidates(fraction, 30) == []
    overhung = blobs((30, 10, 4, 90), (36, 36, 26, 6), (36, 66, 26, 6))   # thin legs under a bar reaching past them
    assert (0, 1) in candidates(overhung, 30) and (0, 2) in candidates(overhung, 30)
    assert candidates(blobs((30, 10, 4, 90), (46, 36, 26, 6)), 30) == []   # a stroke further down: a denominator


def test_a_root_bar_drawn_apart_from_its_tick_may_join_it_however_long():
    from symbolrec.group import candidates

    root = blobs((34, 10, 40, 10), (30, 22, 4, 220), (50, 40, 20, 20))   # a tick, a long bar from its top, contents
    assert (0, 1) in candidates(root, 30)                                 # 7 reference heights wide: no other symbol is
    assert (0, 1) not in candidates(blobs((34, 10, 40, 10), (30, 60, 4, 180)), 30)   # a bar starting far from the tick


def test_a_one_takes_its_foot_over_a_fraction_bar():
    reader = FootReader()
    over_bar = blobs((20, 40, 30, 14), (53, 34, 4, 26), (60, 10, 4, 120))   # the 1 of \frac{1}{…}, footed
    grouped, probabilities = group(over_bar, reader.classify(over_bar, 30), reader, 30)
    assert len(grouped) == 2 and sorted(reader.labels[int(p.argmax())] for p in probabilities) == ["-", "1"]


def test_a_one_and_its_foot_drawn_apart_merge_though_the_classifier_reads_them_together_as_junk():
    class JunkFootReader(FootReader):
        labels = ("1", "-", "x", "junk")

        def classify(self, components, reference):
            return np.array([[0.05, 0.0, 0.05, 0.9] if len(segment(c.mask)) == 2 else [*p, 0.0]
                             for c, p in zip(components, super().classify(components, reference))])

    reader = JunkFootReader()
    footed = blobs((20, 40, 30, 14), (53, 34, 4, 26))     # a 1, and a bar just under its bottom
    grouped, probabilities = group(footed, reader.classify(footed, 30), reader, 30)
    assert len(grouped) == 1 and reader.labels[int(probabilities[0].argmax())] == "1"
    fraction = blobs((20, 40, 30, 14), (53, 34, 4, 26), (62, 38, 26, 18))      # a denominator under the bar
    assert len(group(fraction, reader.classify(fraction, 30), reader, 30)[0]) == 3
    slanted = blobs((20, 40, 30, 14), (53, 34, 3, 10), (56, 44, 3, 8), (59, 52, 3, 8), (58, 28, 20, 12))
    assert len(group(slanted, reader.classify(slanted, 30), reader, 30)[0]) == 3   # one whose top is above the bar's bottom
