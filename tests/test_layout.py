"""The parser on hand-placed symbol boxes with known answers."""

import pytest

from latexgen import to_latex
from layout import GeometricScorer, LayoutError, Relation, parse
from layout.scorer import EdgeScorer, LearnedScorer
from layout.words import join_function_names
from symbolrec import BBox, Symbol

H = 40  # symbol height in pixels


def s(label, x, y, w=30, h=H, p=1.0, alternatives=()):
    return Symbol(BBox(x, y, w, h), label, p, alternatives or ((label, p),))


CASES = {
    "x^{2}": [s("x", 0, 100, 30, 28), s("2", 34, 72, 18, 24)],
    "x_{i}": [s("x", 0, 100, 30, 28), s("i", 34, 118, 10, 22)],
    "x^{2}+1": [s("x", 0, 100, 30, 28), s("2", 34, 72, 18, 24), s("+", 70, 100, 28, 28), s("1", 110, 88, 12, 40)],
    r"\frac{1}{2}": [s("1", 20, 40, 12, 40), s("-", 0, 92, 60, 4), s("2", 16, 104, 26, 40)],
    r"\sqrt{x}": [s(r"\sqrt", 0, 80, 80, 60), s("x", 35, 100, 30, 28)],
    r"\sum_{i=1}^{n}i": [s(r"\sum", 0, 80, 50, 60), s("n", 15, 45, 20, 20),
                         s("i", 2, 146, 8, 20), s("=", 14, 150, 16, 12), s("1", 34, 146, 8, 20),
                         s("i", 60, 104, 10, 28)],
    r"a=\frac{b}{c}": [s("a", 0, 100, 28, 28), s("=", 40, 106, 30, 16), s("b", 95, 50, 26, 40),
                       s("-", 80, 104, 60, 4), s("c", 97, 116, 26, 28)],
}


@pytest.mark.parametrize("scorer", [GeometricScorer(), LearnedScorer(), EdgeScorer()], ids=["geometric", "learned", "edges"])
@pytest.mark.parametrize("latex", list(CASES))
def test_parse_known_layouts(latex, scorer):
    symbols = CASES[latex]
    assert to_latex(parse(symbols, H, scorer).tree) == latex


def test_graph_holds_the_relations():
    result = parse(CASES[r"\frac{1}{2}"], H)
    edges = {(u, v): d["relation"] for u, v, d in result.graph.edges(data=True)}
    assert edges == {(1, 0): Relation.ABOVE, (1, 2): Relation.BELOW}
    assert all(0 <= d["probability"] <= 1 for _, _, d in result.graph.edges(data=True))


def test_every_symbol_appears_once():
    symbols = CASES[r"\sum_{i=1}^{n}i"]
    tree = parse(symbols, H).tree
    assert sorted(n.symbol for n in tree.nodes()) == list(range(len(symbols)))


def test_no_symbols():
    with pytest.raises(LayoutError):
        parse([], H)


def test_function_names_are_joined_from_alternatives():
    letters = [s("5", 0, 100, 20, 28, 0.6, (("5", 0.6), ("s", 0.35))), s("i", 24, 96, 8, 32),
               s("n", 36, 108, 22, 20), s("x", 70, 108, 22, 20)]
    joined = join_function_names(letters, H)
    assert [j.label for j in joined] == [r"\sin", "x"]
    assert joined[0].bbox == BBox(0, 96, 58, 32)


def test_a_function_name_under_a_numerator_is_joined_across_what_lies_above_it():
    letters = [s("l", 40, 100, 14, 40, 0.6, (("l", 0.6), ("1", 0.3))), s("o", 56, 112, 20, 24, 0.9, (("0", 0.9), ("o", 0.08))),
               s("g", 80, 112, 20, 36)]
    above = [s("-", 0, 90, 150, 4), s("1", 60, 40, 12, 40)]              # a bar, and a numerator over the o
    joined = join_function_names(above + letters, H)
    assert sorted(j.label for j in joined) == sorted(["-", "1", r"\log"])


def test_unlikely_letters_are_not_joined():
    letters = [s("8", 0, 100, 20, 28, 0.99, (("8", 0.99), ("s", 0.001))), s("i", 24, 96, 8, 32), s("n", 36, 108, 22, 20)]
    assert [j.label for j in join_function_names(letters, H)] == ["8", "i", "n"]


def test_a_function_name_is_joined_from_look_alikes_beside_a_letter_read_as_itself():
    letters = [s("c", 0, 100, 20, 24, 0.8, (("c", 0.8), ("C", 0.1))), s("0", 24, 100, 20, 24, 0.8, (("0", 0.8), ("o", 0.01))),
               s("5", 48, 100, 18, 24, 0.8, (("5", 0.8), ("s", 0.1))), s("x", 74, 100, 22, 24)]
    assert [j.label for j in join_function_names(letters, H)] == [r"\cos", "x"]


def test_look_alikes_alone_or_off_a_words_line_are_not_joined():
    digits = [s("1", 0, 90, 10, 34), s("0", 16, 100, 20, 24), s("9", 40, 100, 18, 34)]          # 109, no letter
    assert [j.label for j in join_function_names(digits, H)] == ["1", "0", "9"]
    scripted = [s("+", 0, 100, 24, 24), s("a", 28, 100, 20, 24), s("n", 50, 116, 12, 14)]    # +a_{n}
    assert [j.label for j in join_function_names(scripted, H)] == ["+", "a", "n"]
    level = [s("+", 0, 100, 24, 24), s("a", 28, 100, 20, 24), s("n", 50, 100, 20, 24)]       # +an, one line
    assert [j.label for j in join_function_names(level, H)] == [r"\tan"]


def test_three_dots_in_a_row_are_an_ellipsis():
    from layout.words import join_dots

    dots = [s(".", x, 120, 5, 5) for x in (40, 80, 120)]
    joined = join_dots([s("a", 0, 100, 28, 28)] + dots + [s("+", 150, 100, 28, 28)], H)
    assert [j.label for j in joined] == ["a", r"\ldots", "+"]
    assert joined[1].bbox == BBox(40, 120, 85, 5)


def test_a_numerators_sloping_dots_join_across_a_denominator_under_them():
    from layout.words import join_dots

    dots = [s(".", x, y, 5, 5) for x, y in ((40, 60), (80, 68), (120, 76))]   # 16 px down: more than 0.3 H
    below = [s("k", 60, 140, 20, 30), s("2", 100, 140, 20, 30)]                # between them, left to right
    assert sorted(j.label for j in join_dots(dots + below, H)) == sorted([r"\ldots", "k", "2"])


def test_a_dot_left_over_a_stem_or_a_word_makes_its_i():
    from layout.words import join_i_dots

    stem = [s("x", 0, 100, 28, 28), s("=", 40, 108, 28, 12), s("1", 80, 96, 8, 32), s(".", 80, 80, 6, 6)]
    assert [j.label for j in join_i_dots(stem, H)] == ["x", "=", "i"]
    word = [s(r"\sin", 0, 90, 60, 40), s(".", 30, 70, 6, 6), s("x", 70, 100, 28, 28)]
    assert [j.label for j in join_i_dots(word, H)] == [r"\sin", "x"]
    assert join_i_dots(word, H)[0].bbox == BBox(0, 70, 60, 60)
    apart = [s("x", 0, 100, 28, 28), s(".", 10, 80, 6, 6), s(r"\cos", 40, 90, 60, 40), s(".", 60, 70, 6, 6)]
    assert [j.label for j in join_i_dots(apart, H)] == ["x", ".", r"\cos", "."]   # no stem, no i under them


def test_a_dot_read_as_a_minus_still_joins_an_ellipsis():
    from layout.words import join_dots

    dots = [s(".", 40, 120, 5, 5, 0.9), s("-", 80, 120, 5, 5, 0.45, (("-", 0.45), (".", 0.4))), s(".", 120, 120, 5, 5, 0.8)]
    assert [j.label for j in join_dots(dots, H)] == [r"\ldots"]
    lone = [s(".", 40, 120, 5, 5), s("-", 80, 120, 5, 5, 0.99, (("-", 0.99), (".", 0.01))), s(".", 120, 120, 5, 5)]
    assert [j.label for j in join_dots(lone, H)] == [".", "-", "."]


def test_scattered_dots_stay_dots():
    from layout.words import join_dots

    dots = [s(".", 40, 120, 5, 5), s(".", 80, 60, 5, 5), s(".", 120, 120, 5, 5)]
    assert [j.label for j in join_dots(dots, H)] == [".", ".", "."]


def test_a_wide_root_holds_what_follows_its_tick():
    symbols = [s(r"\sqrt", 0, 80, 600, 80), s("-", 30, 118, 20, 4), s("2", 60, 100, 24, 40), s("x", 100, 110, 26, 28)]
    assert to_latex(parse(symbols, H).tree) == r"\sqrt{-2x}"


def test_a_root_leaves_out_a_bracket_opened_before_it():
    symbols = [s("(", 0, 70, 14, 90), s(r"\sqrt", 20, 80, 100, 60), s("x", 50, 100, 26, 28),
               s("+", 80, 100, 20, 28), s("1", 104, 96, 8, 36), s(")", 110, 70, 14, 90)]
    assert to_latex(parse(symbols, H).tree) == r"(\sqrt{x+1})"



def test_an_operator_past_a_root_s_end_is_outside_it():
    symbols = [s(r"\sqrt", 0, 80, 80, 60), s("x", 35, 100, 30, 28), s("+", 74, 100, 20, 28), s("1", 104, 96, 8, 36)]
    assert to_latex(parse(symbols, H, EdgeScorer()).tree) == r"\sqrt{x}+1"


def test_a_letter_written_past_a_short_root_bar_is_still_under_it_a_letter_beyond_is_not():
    overhang = [s(r"\sqrt", 0, 80, 80, 60), s("a", 35, 105, 26, 26), s("c", 76, 105, 24, 26)]   # its middle 8 px past the bar
    assert to_latex(parse(overhang, H, EdgeScorer()).tree) == r"\sqrt{ac}"
    beyond = [s(r"\sqrt", 0, 80, 80, 60), s("a", 35, 105, 26, 26), s("c", 96, 105, 24, 26)]
    assert to_latex(parse(beyond, H, EdgeScorer()).tree) == r"\sqrt{a}c"

def test_the_last_letter_s_superscript_past_a_root_s_bar_stays_under_it():
    past = [s(r"\sqrt", 0, 80, 100, 60), s("x", 30, 110, 26, 26), s("+", 58, 110, 20, 26), s("z", 80, 110, 24, 26),
            s("2", 106, 90, 16, 18)]                       # its middle 14 px past the bar's end, under the bar's top
    assert to_latex(parse(past, H, EdgeScorer()).tree) == r"\sqrt{x+z^{2}}"
    squared = past[:-1] + [s("2", 106, 66, 16, 18)]        # over the bar's top: the root's own exponent
    assert to_latex(parse(squared, H, EdgeScorer()).tree) == r"\sqrt{x+z}^{2}"


def test_a_limit_wider_than_its_operator_stays_whole():
    symbols = [s(r"\lim", 20, 20, 70, 50), s("n", 15, 80, 20, 22), s(r"\rightarrow", 40, 84, 30, 14),
               s("+", 75, 80, 22, 22), s(r"\infty", 115, 84, 50, 18),   # reaching under the bracket
               s("(", 108, 15, 14, 55), s("u", 130, 30, 30, 30), s(")", 166, 15, 14, 55)]
    assert to_latex(parse(symbols, 40).tree) == r"\lim_{n\rightarrow+\infty}(u)"


def test_a_fraction_leaves_an_operator_s_limits_to_it():
    symbols = [s(r"\lim", 22, 60, 113, 124), s("x", 13, 192, 46, 41), s(r"\rightarrow", 73, 194, 49, 31),
               s("0", 127, 189, 33, 46), s("-", 156, 112, 443, 21), s("1", 370, 20, 12, 70), s("x", 360, 163, 50, 48)]
    assert to_latex(parse(symbols, 47).tree) == r"\lim_{x\rightarrow0}\frac{1}{x}"


def test_a_fraction_row_takes_what_lies_within_it():
    symbols = [s("1", 403, 13, 64, 89), s("-", 264, 125, 383, 11), s("1", 269, 155, 36, 53), s("-", 252, 224, 88, 10),
               s("E", 257, 257, 68, 54), s("-", 391, 217, 56, 8), s("1", 522, 161, 49, 45), s("-", 511, 214, 104, 8),
               s("P", 525, 242, 48, 76)]
    assert to_latex(parse(symbols, 54).tree) == r"\frac{1}{\frac{1}{E}-\frac{1}{P}}"


def test_a_fraction_row_does_not_grow_over_a_relation_symbol_past_its_bar():
    symbols = [s("r", 13, 37, 39, 27), s("=", 68, 45, 53, 17), s("-", 128, 87, 287, 12), s("|", 152, 14, 11, 66),
               s("P", 182, 15, 42, 47), s("-", 241, 49, 53, 6), s("P", 318, 18, 35, 48), s("|", 371, 21, 12, 65),
               s("2", 230, 115, 63, 50)]
    assert to_latex(parse(symbols, 47.5).tree) == r"r=\frac{|P-P|}{2}"


def test_a_small_symbol_over_a_root_s_tick_is_its_index():
    cube = [s("3", 13, 24, 38, 31), s(r"\sqrt", 36, 13, 91, 77), s("a", 61, 48, 46, 45)]
    assert to_latex(parse(cube, 45).tree) == r"\sqrt[3]{a}"
    nth = [s(r"\sqrt", 13, 13, 60, 61), s("x", 13, 23, 18, 17), s("y", 27, 48, 34, 44)]
    assert to_latex(parse(nth, 44).tree) == r"\sqrt[x]{y}"
    square = [s("x", 212, 59, 38, 41), s("2", 240, 33, 28, 21), s(r"\sqrt", 277, 27, 62, 83), s("3", 310, 51, 25, 45)]
    assert to_latex(parse(square, 51.5).tree) == r"x^{2}\sqrt{3}"   # a script just before the root stays one


def test_an_index_low_in_a_root_s_crook_is_still_its_index_but_a_sign_before_it_is_not():
    low = [s(r"\sqrt", 100, 20, 120, 100), s("n", 98, 48, 20, 30), s("x", 150, 60, 40, 40)]
    assert to_latex(parse(low, 40).tree) == r"\sqrt[n]{x}"     # middle 0.43 of the root's height down
    signed = [s("-", 80, 68, 24, 4), s(r"\sqrt", 100, 20, 120, 100), s("x", 150, 60, 40, 40)]
    assert to_latex(parse(signed, 40).tree) == r"-\sqrt{x}"     # overlapping the tick, high on a tall root


def test_a_letter_drawn_across_a_fraction_bar_is_still_in_its_row():
    crossing = [s("-", 100, 100, 80, 6), s("p", 120, 60, 30, 50), s("2", 125, 115, 30, 35)]
    assert to_latex(parse(crossing, 40).tree) == r"\frac{p}{2}"    # the p's tail below the bar


def test_a_numerator_keeps_both_its_brackets():
    symbols = [s("(", 271, 35, 25, 56), s("3", 311, 36, 51, 46), s("-", 354, 94, 182, 10), s("k", 382, 33, 40, 47),
               s("2", 385, 135, 72, 45), s("+", 445, 39, 47, 38), s("1", 508, 37, 34, 30), s(")", 564, 13, 30, 71)]
    assert to_latex(parse(symbols, 46).tree) == r"\frac{(3k+1)}{2}"    # the ( written left of the bar


def test_two_fractions_side_by_side_keep_their_own_rows():
    symbols = [s("-", 152, 85, 238, 10), s("3", 161, 121, 38, 55), s("2", 197, 13, 61, 54), s("(", 207, 103, 29, 72),
               s("w", 330, 132, 36, 28), s(")", 367, 106, 27, 75), s("-", 373, 83, 110, 9), s("H", 406, 108, 38, 62),
               s("1", 425, 27, 26, 44)]
    assert to_latex(parse(symbols, 54).tree) == r"\frac{2}{3(w)}\frac{1}{H}"


def test_a_sign_level_with_a_fraction_bar_is_the_fraction_s_but_a_numerator_s_raised_sign_is_its_own():
    half = [s("f", 13, 13, 48, 86), s("(", 59, 35, 28, 66), s("0", 89, 63, 37, 33), s(")", 125, 29, 31, 87),
            s("=", 197, 69, 42, 21), s("-", 262, 62, 35, 8), s("-", 282, 88, 100, 8), s("1", 332, 22, 12, 55),
            s("2", 313, 112, 63, 45)]
    assert to_latex(parse(half, 55).tree) == r"f(0)=-\frac{1}{2}"    # the minus left of the bar, level with it
    roots = [s("-", 13, 54, 44, 12), s("b", 75, 30, 29, 67), s("+", 137, 43, 28, 47), s(r"\sqrt", 197, 13, 368, 104),
             s("b", 252, 50, 36, 62), s("2", 278, 45, 30, 22), s("-", 332, 85, 35, 9), s("4", 395, 60, 36, 45),
             s("a", 451, 64, 37, 43), s("c", 509, 66, 22, 41), s("-", 71, 116, 477, 23), s("2", 208, 180, 41, 45),
             s("a", 272, 180, 41, 47)]
    assert to_latex(parse(roots, 45).tree) == r"\frac{-b+\sqrt{b^{2}-4ac}}{2a}"   # 1.5 heights above the bar


def test_a_fraction_row_runs_on_past_a_short_bar():
    symbols = [s("s", 47, 13, 23, 28), s("-", 13, 44, 92, 11), s(r"\int", 13, 62, 36, 89), s("9", 65, 77, 24, 49),
               s("d", 96, 80, 20, 42), s("N", 122, 63, 49, 60)]
    assert to_latex(parse(symbols, 49).tree) == r"\frac{s}{\int9dN}"     # the N beyond the bar's end


def test_a_fraction_in_an_operator_s_limit_is_read_in_the_limit():
    symbols = [s(r"\lim", 30, 13, 171, 95), s("x", 13, 135, 48, 60), s(r"\rightarrow", 65, 146, 38, 41),
               s("-", 99, 164, 28, 9), s(r"\pi", 103, 127, 27, 44), s("2", 98, 176, 23, 33), s("+", 132, 141, 31, 52),
               s("0", 164, 143, 36, 45), s(r"\tan", 237, 67, 101, 75), s("x", 352, 80, 57, 63), s("=", 417, 100, 40, 34),
               s("-", 490, 113, 41, 11), s(r"\infty", 540, 93, 103, 58)]
    assert to_latex(parse(symbols, 52).tree) == r"\lim_{x\rightarrow\frac{\pi}{2}+0}\tan x=-\infty"   # not \frac{\lim}{}


def test_an_integral_s_upper_limit_before_a_fraction_is_not_its_numerator():
    symbols = [s(r"\int", 13, 46, 23, 133), s("b", 45, 13, 21, 45), s("a", 22, 193, 28, 24), s("-", 77, 112, 119, 15),
               s(r"\sqrt", 85, 42, 98, 66), s("x", 134, 66, 38, 43), s("2", 133, 126, 27, 51), s("d", 210, 81, 38, 60),
               s("x", 246, 106, 47, 35)]
    assert to_latex(parse(symbols, 48).tree) == r"\int_{a}^{b}\frac{\sqrt{x}}{2}dx"   # b left of the bar's start


def test_a_relation_symbol_with_no_other_parent_leaves_the_script_it_was_hung_in():
    symbols = [s("e", 13, 131, 56, 41), s("2", 60, 56, 41, 46), s(r"\pi", 92, 56, 56, 45), s("i", 143, 65, 21, 33),
               s("b", 187, 34, 37, 59), s("y", 221, 62, 35, 64), s("r", 257, 61, 23, 24), s("/", 267, 14, 84, 97),
               s("N", 345, 35, 37, 41), s("=", 390, 159, 65, 28), s("1", 474, 117, 44, 62)]
    assert to_latex(parse(symbols, 45, EdgeScorer()).tree) == r"e^{2\pi ibyr/N}=1"   # the = in line of sight of the N alone


def test_a_tall_operator_s_limit_may_lie_far_below_it():
    rows = [("f", 13, 79, 49, 176), ("(", 69, 119, 18, 83), ("z", 92, 138, 65, 49), (")", 151, 118, 27, 89),
            ("=", 230, 134, 45, 32), ("n", 366, 254, 49, 38), ("+", 395, 13, 43, 26), (r"\sum", 424, 67, 93, 138),
            ("=", 426, 268, 30, 21), (r"\infty", 447, 15, 63, 35), ("-", 472, 274, 35, 10), (r"\infty", 527, 251, 74, 43),
            ("a", 551, 122, 73, 48), ("n", 625, 140, 55, 35), ("(", 712, 78, 25, 126), ("z", 734, 124, 67, 55),
            ("-", 824, 146, 39, 10), ("a", 888, 131, 68, 47), (")", 950, 88, 30, 119), ("n", 980, 89, 62, 28)]
    symbols = [s(*row) for row in rows]
    assert to_latex(parse(symbols, 47.5, EdgeScorer()).tree) == r"f(z)=\sum_{n=-\infty}^{+\infty}a_{n}(z-a)^{n}"


def test_an_operator_s_script_just_before_a_fraction_bar_stays_the_operator_s():
    rows = [(r"\lim", 60, 36, 77, 96), ("a", 13, 162, 42, 28), (r"\rightarrow", 59, 153, 50, 29), ("+", 119, 150, 31, 31),
            (r"\infty", 152, 146, 58, 28), (r"\int", 215, 37, 40, 119), ("0", 248, 150, 28, 30), ("a", 249, 21, 44, 29),
            (r"\sin", 320, 17, 101, 70), ("(", 448, 20, 19, 57), ("x", 469, 27, 48, 46), (")", 475, 14, 50, 81),
            ("-", 288, 89, 272, 11), ("x", 376, 123, 54, 42), ("d", 577, 31, 61, 83), ("x", 638, 69, 40, 49)]
    symbols = [s(*row) for row in rows]
    assert to_latex(parse(symbols, 46, EdgeScorer()).tree) == \
        r"\lim_{a\rightarrow+\infty}\int_{0}^{a}\frac{\sin(x)}{x}dx"   # the a over the bar's start is the integral's


def test_a_numerator_grows_across_a_writer_s_wide_gaps():
    rows = [("x", 13, 98, 42, 78), ("=", 113, 142, 40, 33), ("-", 232, 105, 29, 7), ("b", 304, 54, 34, 75),
            (r"\pm", 378, 43, 41, 81), (r"\sqrt", 463, 13, 295, 121), ("b", 505, 55, 36, 68), ("2", 547, 33, 31, 31),
            ("-", 576, 96, 33, 12), ("4", 621, 44, 38, 81), ("a", 679, 71, 32, 41), ("c", 727, 70, 28, 34),
            ("-", 282, 151, 436, 13), ("2", 445, 196, 59, 59), ("a", 528, 205, 39, 46)]
    symbols = [s(*row) for row in rows]
    assert to_latex(parse(symbols, 59, EdgeScorer()).tree) == r"x=\frac{-b\pm\sqrt{b^{2}-4ac}}{2a}"   # -b 0.75 heights apart
