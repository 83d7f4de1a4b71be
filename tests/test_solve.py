"""Solving what the recogniser reads: known answers, the answer's form, and every way it can fail."""

from __future__ import annotations

import dataclasses
import time

import pytest

from handmath.solving import KINDS, Solution, normalise, solve, split_relations

EQUATIONS = [
    (r"x^{2}=1", "x = -1 ∨ x = 1", ("-1", "1")),
    (r"3x+1=7", "x = 2", ("2",)),
    (r"5x-3=2x+9", "x = 4", ("4",)),
    (r"x^{2}-5x+6=0", "x = 2 ∨ x = 3", ("2", "3")),
    (r"x^{2}-2x+1=0", "x = 1", ("1",)),
    (r"x^{2}=2", "x = -√2 ∨ x = √2", ("-√2", "√2")),
    (r"x^{2}-2x-1=0", "x = 1 - √2 ∨ x = 1 + √2", ("1 - √2", "1 + √2")),
    (r"x^{2}+1=0", "no real solution", ()),
    (r"x^{3}-6x^{2}+11x-6=0", "x = 1 ∨ x = 2 ∨ x = 3", ("1", "2", "3")),
    (r"x^{3}=8", "x = 2", ("2",)),
    (r"x^{4}-5x^{2}+4=0", "x = -2 ∨ x = -1 ∨ x = 1 ∨ x = 2", ("-2", "-1", "1", "2")),
    (r"x^{5}-x+1=0", "x ≈ -1.167303978", ("-1.167303978",)),
    (r"\frac{1}{x}=2", "x = 1/2", ("1/2",)),
    (r"\frac{x+1}{x-1}=3", "x = 2", ("2",)),
    (r"\sqrt{x}=3", "x = 9", ("9",)),
    (r"\sqrt{x+1}=3", "x = 8", ("8",)),
    (r"\sqrt{x}=-3", "no real solution", ()),
    (r"2^{x}=8", "x = 3", ("3",)),
    (r"e^{x}=1", "x = 0", ("0",)),
    (r"\log{x}=2", "x = 100", ("100",)),
    (r"\ln{x}=1", "x = e", ("e",)),
    (r"\log_{2}{x}=3", "x = 8", ("8",)),
    (r"|x|=2", "x = -2 ∨ x = 2", ("-2", "2")),
    (r"x=x", "every real x", ()),
    (r"\sin x=0", "x = k·2π ∨ x = π + k·2π (k ∈ ℤ)", ("k·2π", "π + k·2π")),
    (r"y^{2}=9", "y = -3 ∨ y = 3", ("-3", "3")),
    (r"2\times x=6", "x = 3", ("3",)),
    (r"x\div 2=4", "x = 8", ("8",)),
    (r"$3x=\!6$", "x = 2", ("2",)),
]

INEQUALITIES = [
    (r"x^{2}<4", "-2 < x < 2"),
    (r"x^{2}-4<0", "-2 < x < 2"),
    (r"2x+1\geq 7", "x ≥ 3"),
    (r"3x+1\leq 7", "x ≤ 2"),
    (r"x^{2}-2x-3\geq 0", "x ≤ -1 ∨ x ≥ 3"),
    (r"x\lt 3", "x < 3"),
    (r"2x\gt 4", "x > 2"),
    (r"-2<x\leq 5", "-2 < x ≤ 5"),
    (r"x\neq 2", "x ≠ 2"),
    (r"\frac{1}{x}>2", "0 < x < 1/2"),
    (r"x^{2}<-1", "no real solution"),
    (r"x^{2}\geq 0", "every real x"),
]

SYSTEMS = [
    (["x+y=3", "x-y=1"], "x = 2 ∧ y = 1"),
    (["2x+y=7", "x-y=2"], "x = 3 ∧ y = 1"),
    (["x^{2}+y^{2}=25", "x+y=7"], "(x = 3 ∧ y = 4) ∨ (x = 4 ∧ y = 3)"),
    (["x+y=3", "x+y=4"], "no real solution"),
]

EXPRESSIONS = [
    (r"\frac{1}{2}+\frac{1}{3}", "5/6 ≈ 0.8333333333", ("5/6", "0.8333333333")),
    (r"2\times 3+4", "10", ("10",)),
    (r"6\div 4", "3/2 ≈ 1.5", ("3/2", "1.5")),
    (r"\sqrt{8}", "2√2 ≈ 2.828427125", ("2√2", "2.828427125")),
    (r"\sin^{2}x+\cos^{2}x", "1", ("1",)),
    (r"(x+1)^{2}-x^{2}", "2x + 1", ("2x + 1",)),
    (r"\sin x", "sin(x)", ("sin(x)",)),
]


@pytest.mark.parametrize(("latex", "text", "values"), EQUATIONS)
def test_equation(latex, text, values):
    answer = solve(latex)
    assert (answer.kind, answer.text, answer.values, answer.message) == ("equation", text, values, "")


@pytest.mark.parametrize(("latex", "text"), INEQUALITIES)
def test_inequality(latex, text):
    answer = solve(latex)
    assert (answer.kind, answer.text, answer.message) == ("inequality", text, "")


@pytest.mark.parametrize(("lines", "text"), SYSTEMS)
def test_system(lines, text):
    answer = solve(lines)
    assert (answer.kind, answer.text, answer.message) == ("system", text, "")


@pytest.mark.parametrize(("lines", "text"), SYSTEMS)
def test_system_as_one_string_of_lines(lines, text):   # how a photo of a system is read
    answer = solve(r" \\ ".join(lines))
    assert (answer.kind, answer.text, answer.message) == ("system", text, "")


@pytest.mark.parametrize(("latex", "text", "values"), EXPRESSIONS)
def test_expression(latex, text, values):
    answer = solve(latex)
    assert (answer.kind, answer.text, answer.values) == ("expression", text, values)


@pytest.mark.parametrize(("latex", "expected"), [
    (r"x^{2}=1", r"x = -1 \vee x = 1"),
    (r"x^{2}+1=0", r"\text{no real solution}"),
    (r"\frac{1}{x}=2", r"x = \frac{1}{2}"),
    (r"x^{2}<4", r"-2 < x < 2"),
    (r"x^{2}-2x-3\geq 0", r"x \leq -1 \vee x \geq 3"),
    (r"\frac{1}{2}+\frac{1}{3}", r"\frac{5}{6} \approx 0.8333333333"),
])
def test_latex_of_the_answer(latex, expected):
    assert solve(latex).latex == expected


def test_system_latex_and_values():
    answer = solve(["x^{2}+y^{2}=25", "x+y=7"])
    assert answer.latex == r"(x = 3 \wedge y = 4) \vee (x = 4 \wedge y = 3)"
    assert answer.values == ("x = 3 ∧ y = 4", "x = 4 ∧ y = 3")


def test_an_equation_solve_may_answer_incompletely_says_so():
    answer = solve(r"e^{x}=x+2")     # solveset gives up; solve finds one of the two real roots
    assert answer.kind == "equation"
    assert answer.text == "x ≈ -1.84140566"
    assert "may have missed" in answer.message


@pytest.mark.parametrize(("latex", "kind", "word"), [
    ("2=3", "equation", "false"),
    ("2+2=4", "equation", "true"),
    (r"\sqrt{4}\neq 2", "inequality", "false"),
    ("1<2<3", "inequality", "true"),
])
def test_no_unknown_says_whether_it_holds(latex, kind, word):
    answer = solve(latex)
    assert (answer.kind, answer.text, answer.latex) == (kind, word, rf"\text{{{word}}}")
    assert "no unknown" in answer.message


@pytest.mark.parametrize(("problem", "says"), [
    ("x+y=3", "which one"),
    (r"x^{2}+y<1", "which one"),
    (r"\frac{1}{", "could not read"),
    (r"x^{2}+", "could not read"),
    ("", "empty"),
    ("   ", "empty"),
    ([], "empty"),
    (3, "expected a LaTeX string"),
    ("=3", "empty"),
    ("x=1=y", "chain"),
    (r"\frac{1}{0}", "undefined"),
    (["x+y<3", "x=1"], "must be one equation"),
])
def test_failures_come_back_as_errors(problem, says):
    answer = solve(problem)
    assert answer.kind == "error"
    assert (answer.text, answer.latex, answer.values) == ("", "", ())
    assert says in answer.message


def test_two_unknowns_are_named_x_first():
    assert "(x, a, b)" in solve("ax=b").message


def test_a_hang_is_stopped_at_the_time_limit_and_the_solver_recovers():
    solve("x=1")                                   # the worker is ready, so only solving is timed
    started = time.monotonic()
    answer = solve(r"(x+1)^{40}=(x-1)^{39}+3", timeout=0.01)   # sympy takes minutes over this
    assert time.monotonic() - started < 5
    assert answer.kind == "error"
    assert "time limit" in answer.message
    assert solve(r"x^{2}=1").text == "x = -1 ∨ x = 1"


def test_solution_is_frozen_and_turns_into_a_dict():
    answer = solve(r"x^{2}=1")
    assert answer.kind in KINDS
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.kind = "error"
    assert answer.to_dict() == {"kind": "equation", "latex": r"x = -1 \vee x = 1", "text": "x = -1 ∨ x = 1",
                                "values": ["-1", "1"], "message": ""}
    assert Solution(**{**answer.to_dict(), "values": tuple(answer.values)}) == answer


@pytest.mark.parametrize(("latex", "sides", "signs"), [
    (r"x^{2}=1", ["x^{2}", "1"], ["=="]),
    (r"-2\lt x\le 5", ["-2", "x", "5"], ["<", "<="]),
    (r"x_{a=1}\geqslant 3", ["x_{a=1}", "3"], [">="]),
    (r"\left|x\right|\ne 2", ["|x|", "2"], ["!="]),
    (r"$2\times 3$", [r"2\cdot  3"], []),
])
def test_relations_are_split_outside_braces(latex, sides, signs):
    assert split_relations(normalise(latex)) == (sides, signs)
