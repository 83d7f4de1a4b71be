"""Cutting touching symbols, with a stand-in classifier whose readings are known."""

import numpy as np

from symbolrec._types import BBox
from symbolrec.classify import best_reading, junk_probability
from symbolrec.segment import segment
from symbolrec.split import bar_pieces, columns, cut, edge_bar_pieces, rejoin_bars, root_bar_pieces, split


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


def test_a_pair_narrower_than_a_symbol_is_still_cut():
    parts = segment(two_touching_strokes())            # 30 px wide: 0.75 of a 40 px symbol height
    reader = WidthReader()
    cut, _ = split(parts, reader.classify(parts, 40), reader, 40)
    assert len(cut) == 2


def test_narrow_components_are_never_cut():
    ink = np.zeros((60, 60), bool)
    ink[10:50, 10:16] = True
    parts = segment(ink)
    reader = WidthReader()
    cut, _ = split(parts, np.array([[0.2, 0.8]]), reader, 40)
    assert len(cut) == 1


class JunkReader:
    """Reads a narrow piece as a sure '1' and anything wider as junk: pieces that are no symbol."""

    labels = ("1", "x", "junk")

    def classify(self, components, reference):
        return np.array([[0.99, 0.0, 0.01] if c.bbox.w <= 14 else [0.02, 0.08, 0.9] for c in components])


def bars_joined(count):
    """``count`` thick bars (10 px wide) side by side, each joined to the next by a short stroke."""
    ink = np.zeros((60, 14 * count + 20), bool)
    for k in range(count):
        ink[10:50, 10 + 14 * k:20 + 14 * k] = True
        ink[28:31, 20 + 14 * k:24 + 14 * k] = k < count - 1
    return ink


def test_a_component_read_as_junk_is_cut_into_clear_symbols():
    parts = segment(bars_joined(2))
    reader = JunkReader()
    cut_parts, probabilities = split(parts, reader.classify(parts, 20), reader, 20)
    assert len(cut_parts) == 2
    assert [reader.labels[i] for i in probabilities.argmax(axis=1)] == ["1", "1"]


def test_three_touching_symbols_are_cut_in_three():
    parts = segment(bars_joined(3))
    reader = JunkReader()
    cut_parts, _ = split(parts, reader.classify(parts, 20), reader, 20)
    assert len(cut_parts) == 3
    assert all(a.bbox.x2 <= b.bbox.x for a, b in zip(cut_parts, cut_parts[1:]))


def test_junk_never_counts_as_a_reading():
    assert best_reading(np.array([[0.1, 0.2, 0.7]]), ("1", "x", "junk")).tolist() == [0.2]
    assert best_reading(np.array([0.1, 0.9]), ("1", "x")) == 0.9
    assert junk_probability(np.array([[0.1, 0.2, 0.7]]), ("1", "x", "junk")).tolist() == [0.7]
    assert junk_probability(np.array([0.1, 0.9]), ("1", "x")) == 0.0


def test_the_cut_column_goes_with_the_stroke_it_ends():
    ink = np.zeros((20, 20), bool)
    ink[5:15, 2:8] = True          # a block ending on column 8 ...
    ink[9, 8:18] = True            # ... and a stroke running through it to the right
    left, right = cut(segment(ink)[0], 6)   # column 8 of the image
    assert left.bbox == BBox(2, 5, 7, 10) and right.bbox == BBox(9, 9, 9, 1)


def test_cuts_are_tried_apart_and_away_from_the_ends():
    component = segment(bars_joined(3))[0]
    xs = columns(component, 20)
    assert xs and all(component.bbox.w / 6 - 1 <= x <= component.bbox.w * 5 / 6 + 1 for x in xs)
    assert all(abs(a - b) >= 2 for a in xs for b in xs if a != b)


def test_training_pieces_of_touching_symbols(inkml):
    from training.render import Pen
    from training.symbols import piece_samples

    expr = inkml("508_em_78")
    samples = list(piece_samples(expr, Pen(width=6), np.random.default_rng(0)))  # a fat pen: symbols touch
    labels = [label for _, _, label in samples]
    assert "junk" in labels and set(labels) - {"junk"}          # junk wholes, and halves that are symbols
    assert set(labels) <= {s.label for s in expr.symbols} | {"junk"}
    assert all(patch.shape == (32, 32) for patch, _, _ in samples)


def test_a_fraction_bar_is_taken_off_the_digit_it_touches():
    ink = np.zeros((60, 80), bool)
    ink[20:23, 10:70] = True           # the bar, 60 px: 1.5 reference heights
    ink[23:55, 38:42] = True           # a '1' under it, touching
    ink[2:18, 30:46] = True            # the numerator, apart
    touching = [c for c in segment(ink) if c.bbox.h > 20][0]
    bar, digit = bar_pieces(touching, 40)
    assert bar.bbox == BBox(10, 20, 60, 3) and digit.bbox == BBox(38, 23, 4, 32)


def one_on_short_bar(gap=4, stem=38):
    """A '1' (a stem at column ``stem``) run into a short fraction bar under it, 1 reference height
    (40 px) long, and a denominator ``gap`` px under the bar."""
    ink = np.zeros((110, 60), bool)
    ink[10:50, stem:stem + 4] = True   # the stem, touching ...
    ink[50:54, 10:50] = True           # ... the bar
    ink[54 + gap:94 + gap, 22:38] = True
    return segment(ink)


def test_a_short_fraction_bar_is_taken_off_the_one_run_into_it():
    one, below = sorted(one_on_short_bar(), key=lambda c: c.bbox.y)
    bar, stem = edge_bar_pieces(one, [below.bbox], 40)
    assert (bar.bbox.x, bar.bbox.w, bar.bbox.y2) == (10, 40, 54) and bar.bbox.h <= 6
    assert (stem.bbox.x, stem.bbox.w, stem.bbox.y) == (38, 4, 10) and stem.bbox.h >= 38


def test_a_short_bar_is_kept_without_a_symbol_close_under_it():
    one, below = sorted(one_on_short_bar(gap=30), key=lambda c: c.bbox.y)
    assert edge_bar_pieces(one, [below.bbox], 40) is None
    assert edge_bar_pieces(one, [], 40) is None


def test_a_base_that_reaches_past_the_rest_at_neither_end_stays():
    one, below = sorted(one_on_short_bar(stem=10), key=lambda c: c.bbox.y)
    assert edge_bar_pieces(one, [below.bbox], 40) is not None     # a stem at one end: the bar reaches past the other
    ink = np.zeros((110, 60), bool)
    ink[10:50, 10:50] = True          # a block as wide as its base
    ink[50:54, 10:50] = True
    ink[58:98, 22:38] = True
    block, below = sorted(segment(ink), key=lambda c: c.bbox.y)
    assert edge_bar_pieces(block, [below.bbox], 40) is None


def test_a_fraction_bar_is_taken_off_a_one_only_if_the_one_still_reads_as_itself():
    class OneReader:   # reads the stem as a sure 1, the bar as -, a 1 with a foot as 1 too
        labels = ("1", "-", "2")

        def classify(self, components, reference):
            return np.array([[0.05, 0.9, 0.05] if c.bbox.h < 10 else [0.9, 0.05, 0.05] for c in components])

    parts = one_on_short_bar()
    cut_parts, _ = split(parts, OneReader().classify(parts, 40), OneReader(), 40)
    assert len(cut_parts) == 3

    class TwoReader(OneReader):   # the whole is a 2 whose base is the bar: without it, no 2 is left
        def classify(self, components, reference):
            return np.array([[0.05, 0.9, 0.05] if c.bbox.h < 10 else [0.9, 0.05, 0.05] if c.bbox.w < 10
                             else [0.05, 0.05, 0.9] for c in components])

    cut_parts, _ = split(parts, TwoReader().classify(parts, 40), TwoReader(), 40)
    assert len(cut_parts) == 2


def test_strokes_joined_across_their_middles_are_no_bar():
    assert bar_pieces(segment(bars_joined(3))[0], 20) is None


def test_a_staircase_of_short_runs_is_no_bar():
    ink = np.zeros((10, 60), bool)
    for step in range(3):
        ink[4 + step, 5 + 15 * step:20 + 15 * step] = True   # three 15 px runs, each a row lower
    assert bar_pieces(segment(ink)[0], 40) is None


def leaning_strokes():
    """Two slanted strokes side by side, overlapping in columns, joined by a short bridge."""
    ink = np.zeros((40, 40), bool)
    for y in range(40):
        ink[y, 4 + y // 3:9 + y // 3] = True        # a stroke leaning right
        ink[y, 16 + y // 3:21 + y // 3] = True      # another, 12 px to its right
    ink[20:22, 13:23] = True                        # a bridge from the first to the second
    return ink


def test_a_seam_parts_leaning_strokes_that_no_column_parts():
    from symbolrec.split import seam

    part = segment(leaning_strokes())[0]
    assert all(part.mask[:, x].any() for x in range(8, 26))   # every column between them holds ink
    path = seam(part.mask, 12, 8)
    crossed = part.mask[np.arange(len(path)), path].sum()
    assert crossed <= 2                                       # only the bridge
    left, right = cut(part, path)
    assert left.mask.sum() + right.mask.sum() == part.mask.sum()
    assert left.bbox.x < right.bbox.x and left.bbox.h > 30 and right.bbox.h > 30


def test_only_a_sure_junk_component_is_cut_along_seams():
    from symbolrec.split import candidates

    part = segment(leaning_strokes())[0]
    assert len(candidates(part, 30, seams=True)) > len(candidates(part, 30))


def test_a_root_touching_what_it_holds_is_cut_into_the_root_and_the_rest():
    from symbolrec.split import root_pieces

    ink = np.zeros((70, 120), bool)
    ink[50:54, 5:19] = True                          # the tick's foot
    ink[10:60, 15:19] = True                         # its stroke up to the bar's start
    ink[8:12, 15:115] = True                         # the bar
    ink[12:60, 60:65] = True                         # a "1" under it, touching it
    part = segment(ink)[0]
    pieces = root_pieces(bar_pieces(part, 40))
    assert pieces is not None and len(pieces) == 2
    root, held = pieces
    assert root.bbox.x == 5 and root.bbox.w == 110   # tick and bar together
    assert held.bbox.x == 60 and held.bbox.w == 5    # the 1 alone


def bar_on_stem():
    """A short ``-`` lying on a ``1`` (a T): every column through it holds the bar, so no column
    parts them, and the bar is too short for a fraction bar."""
    ink = np.zeros((50, 70), bool)
    ink[8:12, 20:50] = True            # the bar: 30 px, under a reference height of 40
    ink[12:45, 33:37] = True           # the stem, touching its middle
    return ink


class ShapeReader:
    """Reads a flat piece as a sure '-', a thin tall one as a sure '1', and anything else as junk
    (or, with ``whole``, reads the component itself that way)."""

    labels = ("-", "1", "junk")

    def __init__(self, whole=(0.05, 0.05, 0.9)):
        self.whole = whole

    def other(self, component):
        """The reading of a piece neither flat nor thin."""
        return self.whole

    def classify(self, components, reference):
        return np.array([[0.99, 0.0, 0.01] if c.bbox.h <= 6 else [0.0, 0.99, 0.01] if c.bbox.w <= 6
                         else self.other(c) for c in components])


def test_strokes_that_meet_are_parted_at_their_junction():
    from symbolrec.split import stroke_pieces

    part = segment(bar_on_stem())[0]
    ways = stroke_pieces(part, 40)
    boxes = [sorted((p.bbox.w, p.bbox.h) for p in way) for way in ways]
    assert len(ways) == 3                                      # bar | stem, and a bar's half | the rest, twice
    assert any(w[0][0] <= 6 and w[0][1] >= 30 and w[1][0] == 30 for w in boxes)   # the stem alone, the bar alone
    assert all(a.mask.sum() + b.mask.sum() == part.mask.sum() for a, b in ways)


def test_one_stroke_has_no_junction_to_part():
    from symbolrec.split import stroke_pieces

    ring = np.zeros((40, 40), bool)
    ring[5:35, 5:35] = True
    ring[9:31, 9:31] = False
    assert stroke_pieces(segment(ring)[0], 40) == []


def test_a_junk_component_no_column_parts_is_parted_between_its_strokes():
    parts = segment(bar_on_stem())
    reader = ShapeReader()
    pieces, probabilities = split(parts, reader.classify(parts, 40), reader, 40)
    assert sorted(reader.labels[i] for i in probabilities.argmax(axis=1)) == ["-", "1"]
    assert sum(p.mask.sum() for p in pieces) == parts[0].mask.sum()


def test_only_a_component_read_as_junk_is_parted_between_its_strokes():
    parts = segment(bar_on_stem())
    reader = ShapeReader(whole=(0.3, 0.3, 0.4))                # unsure, but not junk
    pieces, _ = split(parts, reader.classify(parts, 40), reader, 40)
    assert len(pieces) == 1


def test_a_bar_crossed_by_a_stroke_offers_the_two_strokes_apart():
    from symbolrec.split import candidates

    ink = np.zeros((60, 100), bool)
    ink[20:23, 10:90] = True           # a fraction bar, 2 reference heights long
    ink[2:45, 50:53] = True            # a stroke drawn across it
    part = segment(ink)[0]
    assert len(bar_pieces(part, 40)) == 3                      # the bar, and the stroke in two halves
    ways = [sorted((p.bbox.w, p.bbox.h) for p in way) for way in candidates(part, 40)]
    assert [(3, 43), (80, 3)] in ways                          # the stroke whole, beside the bar


def test_a_stroke_parting_keeps_a_long_bar_whole():
    from symbolrec.split import candidates, stroke_pieces

    ink = np.zeros((40, 130), bool)
    ink[20:23, 10:115] = True          # a fraction bar, 2.6 reference heights long
    ink[2:20, 98:101] = True           # a stroke standing on it near its right end
    part = segment(ink)[0]
    boxes = lambda ways: [sorted((p.bbox.x, p.bbox.w, p.bbox.h) for p in way) for way in ways]
    tail = [(10, 90, 3), (98, 17, 21)]                         # the stroke with the bar's end beyond it
    assert tail in boxes(stroke_pieces(part, 40))
    assert tail not in boxes(candidates(part, 40))
    assert [(10, 105, 3), (98, 3, 20)] in boxes(candidates(part, 40))   # the stroke off the whole bar


def test_every_cut_lists_the_stroke_partings_once():
    from symbolrec.split import candidates, every_cut, stroke_pieces

    boxes = lambda ways: sorted(sorted((p.bbox.x, p.bbox.y, p.bbox.w, p.bbox.h) for p in way) for way in ways)
    ink = np.zeros((40, 130), bool)
    ink[20:23, 10:115] = True          # a long bar: its stroke partings are among its candidates
    ink[2:20, 98:101] = True
    barred = segment(ink)[0]
    assert boxes(every_cut(barred, 40)) == boxes(candidates(barred, 40, seams=True))
    plain = segment(bar_on_stem())[0]  # no long bar: the stroke partings come on top
    assert boxes(every_cut(plain, 40)) == boxes(candidates(plain, 40, seams=True) + stroke_pieces(plain, 40))


class WeakCutReader(ShapeReader):
    """As :class:`ShapeReader`, but reads the T whole as junk and any other piece as a '1' of 0.75:
    a column cut through the bar reads weakly, the bar and stem apart read surely."""

    def other(self, component):
        return self.whole if component.bbox.w >= 30 else (0.0, 0.75, 0.25)


def test_a_weak_column_cut_yields_to_a_sure_stroke_parting():
    parts = segment(bar_on_stem())
    reader = WeakCutReader()
    pieces, _ = split(parts, reader.classify(parts, 40), reader, 40)
    assert sorted((p.bbox.w, p.bbox.h) for p in pieces)[0][0] <= 6       # the stem alone,
    assert max(p.bbox.w for p in pieces) == 30                            # beside the whole bar


def root_with(*extra):
    """A root drawn in one stroke (tick, vertex, a bar slanting up to the right) and ``extra`` rectangles (y, x, h, w)."""
    import cv2

    ink = np.zeros((110, 220), np.uint8)
    for a, b in (((5, 62), (15, 55)), ((15, 55), (30, 100)), ((30, 100), (50, 12)), ((50, 12), (210, 6))):
        cv2.line(ink, a, b, 1, 4)
    for y, x, h, w in extra:
        ink[y:y + h, x:x + w] = 1
    return [c for c in segment(ink.astype(bool)) if c.bbox.w > 100][0]


def test_what_touches_a_slanting_root_bar_from_under_it_comes_off():
    root, held = root_bar_pieces(root_with((11, 120, 26, 18)), 40)    # an exponent written up against the bar
    assert (held.bbox.x, held.bbox.w) == (120, 18) and held.bbox.y >= 12
    assert root.bbox.x == root_with().bbox.x and root.bbox.w == root_with().bbox.w
    assert root_bar_pieces(root_with(), 40) is None                     # nothing touches it
    assert root_bar_pieces(root_with((6, 208, 24, 4)), 40) is None      # a hook down from the bar's end is the root's own


def test_a_root_parts_from_what_touches_its_bar_only_if_that_reads_surely():
    class RootReader:   # a root (whole or without the exponent) surely, anything narrower as a 2 of set probability
        labels = (r"\sqrt", "2", "junk")

        def __init__(self, two):
            self.two = two

        def classify(self, components, reference):
            return np.array([[0.99, 0.005, 0.005] if c.bbox.w > 100 else [0.0, self.two, 1 - self.two]
                             for c in components])

    root = root_with((11, 120, 26, 18))
    for two, expected in ((0.9, 2), (0.3, 1)):
        reader = RootReader(two)
        parts, _ = split([root], reader.classify([root], 40), reader, 40)
        assert len(parts) == expected


def test_a_one_keeps_the_foot_it_is_drawn_with_unless_a_denominator_lies_under_it():
    class FootReader:   # a stem: a sure 1; a bar: a sure -; anything else (the 1 with its foot): junk
        labels = ("1", "-", "junk")

        def classify(self, components, reference):
            return np.array([[0.98, 0.01, 0.01] if c.bbox.w <= 8 else [0.01, 0.98, 0.01] if c.bbox.h <= 8
                             else [0.01, 0.01, 0.98] for c in components])

    ink = np.zeros((100, 80), bool)
    ink[10:50, 40:45] = True           # the stem ...
    ink[50:55, 26:60] = True           # ... drawn on into its foot
    reader = FootReader()
    parts = segment(ink)
    assert len(split(parts, reader.classify(parts, 30), reader, 30)[0]) == 1
    ink[62:88, 30:48] = True           # a denominator under the bar: a 1 run into \frac{1}{…}'s bar
    parts = segment(ink)
    assert len(split(parts, reader.classify(parts, 30), reader, 30)[0]) == 3


def test_two_minus_signs_that_meet_end_to_end_are_one_bar_again():
    class BarReader:   # flat pieces: a sure -; anything else: a sure 1
        labels = ("1", "-")

        def classify(self, components, reference):
            return np.array([[0.01, 0.99] if c.bbox.w > 3 * c.bbox.h else [0.99, 0.01] for c in components])

    def piece(rows, cols):
        ink = np.zeros((60, 120), bool)
        ink[rows, cols] = True
        return segment(ink)[0]

    left, right = piece(slice(28, 32), slice(10, 52)), piece(slice(30, 34), slice(50, 100))   # a slanting bar's two ends
    stroke = piece(slice(5, 55), slice(60, 64))                                                # and what crossed it
    reader = BarReader()
    pieces, readings = rejoin_bars([left, stroke, right], reader.classify([left, stroke, right], 40), reader, 40)
    assert sorted((c.bbox.x, c.bbox.w, reader.labels[int(q.argmax())]) for c, q in zip(pieces, readings)) == [
        (10, 90, "-"), (60, 4, "1")]
    apart = [left, stroke, piece(slice(30, 34), slice(70, 100))]          # a gap between them: two bars
    assert len(rejoin_bars(apart, reader.classify(apart, 40), reader, 40)[0]) == 3


def test_an_infinity_right_after_a_digit_is_two_touching_zeros():
    class ZeroReader:   # a narrow stroke: a sure 1; a wide piece: a sure infinity; anything else: a sure 0
        labels = ("1", r"\infty", "0", "+")

        def classify(self, components, reference):
            return np.array([[0.98, 0.0, 0.01, 0.01] if c.bbox.w <= 8 else [0.01, 0.98, 0.01, 0.0] if c.bbox.w > 1.5 * c.bbox.h
                             else [0.01, 0.01, 0.98, 0.0] for c in components])

    ink = np.zeros((60, 140), bool)
    ink[10:50, 10:16] = True            # a 1
    for left in (30, 66):               # and two rings, touching: 00 read as an infinity
        ink[15:50, left:left + 36] = True
        ink[21:44, left + 6:left + 30] = False
    reader = ZeroReader()
    parts = segment(ink)
    found, readings = split(parts, reader.classify(parts, 40), reader, 40)
    assert [reader.labels[int(q.argmax())] for q in readings] == ["1", "0", "0"]
    alone = segment(ink[:, 20:])        # no digit before it: an infinity
    found, readings = split(alone, reader.classify(alone, 40), reader, 40)
    assert [reader.labels[int(q.argmax())] for q in readings] == [r"\infty"]
