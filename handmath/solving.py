"""Solve what handmath reads: equations, inequalities, systems of equations and expressions.

The LaTeX from the generator is parsed with sympy and solved over the real numbers. Sympy runs in
a separate worker process, because some input makes it compute for minutes: the worker is killed
after the time limit and replaced, so a caller never hangs and never sees an exception.

>>> from handmath.solving import solve
>>> solve("x^{2}=1").text                                     # doctest: +SKIP
'x = -1 ∨ x = 1'
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import pickle
import queue
import re
import signal
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import sympy
from sympy import S
from sympy.core.relational import Relational
from sympy.parsing.latex import parse_latex
from sympy.printing.str import StrPrinter

from latexgen import LINE_BREAK

log = logging.getLogger(__name__)

LOG_BASE = 10           # \log without a base is the common logarithm, as in Dutch school maths
STARTUP_LIMIT = 60.0    # seconds a fresh worker may take to import sympy; not part of `timeout`
DIGITS = 10             # significant digits of a decimal approximation
LONGEST_EXACT = 40      # exact answers longer than this (in characters) are given as decimals
PREFERRED = ("x", "y")  # the unknowns to pick and list first; the others follow by name
KINDS = ("equation", "inequality", "system", "expression", "error")

_NO_REAL_SOLUTION = (r"\text{no real solution}", "no real solution")   # as LaTeX, text

# Spellings the generator, or a person typing, may use, rewritten to what parse_latex reads.
_REWRITES = (
    (r"\$|\\!|\\[,;:]", ""),
    (r"\\ ", " "),
    (r"\\lt(?![a-zA-Z])", "<"),
    (r"\\gt(?![a-zA-Z])", ">"),
    (r"\\le(?:qslant|q)?(?![a-zA-Z])|≤", r"\\leq "),
    (r"\\ge(?:qslant|q)?(?![a-zA-Z])|≥", r"\\geq "),
    (r"\\neq?(?![a-zA-Z])|≠", r"\\neq "),
    (r"\\times(?![a-zA-Z])|×|·", r"\\cdot "),
    (r"÷", r"\\div "),
    (r"−", "-"),
    (r"\\left\||\\right\|", "|"),
    (r"\\log(?![a-zA-Z_])", rf"\\log_{{{LOG_BASE}}}"),
)
_RELATION = re.compile(r"\\leq |\\geq |\\neq |<|>|=")
_OPERATORS = {"=": "==", "<": "<", ">": ">", r"\leq ": "<=", r"\geq ": ">=", r"\neq ": "!="}
_CONSTANTS = {sympy.Symbol("pi"): S.Pi, sympy.Symbol("e"): S.Exp1}
_TEXT_SIGNS = {"<": "<", ">": ">", "<=": "≤", ">=": "≥"}
_LATEX_SIGNS = {"<": "<", ">": ">", "<=": r"\leq", ">=": r"\geq"}
_POINT_SIGNS = {"=": "=", "≠": r"\neq", "≈": r"\approx"}
_READABLE_FUNCTIONS = (sympy.log, sympy.exp, sympy.sin, sympy.cos, sympy.tan, sympy.Abs)


@dataclass(frozen=True)
class Solution:
    """The answer to one problem, ready to show.

    Attributes
    ----------
    kind : str
        One of `KINDS`: what was solved, or "error" when nothing could be.
    latex : str
        The answer as LaTeX, e.g. ``x = -1 \\vee x = 1``; empty for an error.
    text : str
        The answer as plain text in the style of a Dutch maths site, e.g. ``x = -1 ∨ x = 1``.
    values : tuple of str
        The parts of the answer: an equation's solutions, an inequality's intervals, a system's
        solutions, or an expression's exact value and decimal. May be empty.
    message : str
        Why there is no answer, or what is odd about it; empty for an ordinary answer.
    """

    kind: str
    latex: str
    text: str
    values: tuple[str, ...] = ()
    message: str = ""

    def to_dict(self) -> dict:
        """Return the fields as a JSON-ready dict, with `values` as a list."""
        return {**asdict(self), "values": list(self.values)}


class _Unsolvable(ValueError):
    """A problem this module cannot solve; the text is the message for the user."""


def solve(latex: str | list[str], *, timeout: float = 5.0) -> Solution:
    """Solve one LaTeX problem, or a system given as a list of equations, over the reals.

    Parameters
    ----------
    latex : str or list of str
        An equation, inequality or expression, or several equations forming a system (as a list,
        or as one string with the lines joined by ``\\\\``, the way a photo of a system is read).
    timeout : float
        Seconds sympy may spend; past it the work is stopped and an error returned.

    Returns
    -------
    Solution
        Never raises: anything that goes wrong comes back as kind "error" with a message.
    """
    problem = _as_problem(latex)
    if isinstance(problem, Solution):
        return problem
    return _WORKER.run(problem, timeout)


def _as_problem(latex: object) -> tuple[str, ...] | Solution:
    """Check the caller's input without sympy, so obvious mistakes need no worker."""
    lines = tuple(latex.split(LINE_BREAK)) if isinstance(latex, str) else latex   # a\\b: a system
    if not isinstance(lines, (list, tuple)) or not all(isinstance(line, str) for line in lines):
        return _error("expected a LaTeX string or a list of LaTeX strings")
    lines = tuple(line for line in lines if line.strip())
    if not lines:
        return _error("there is nothing to solve: the LaTeX is empty")
    return lines


def _error(message: str) -> Solution:
    """An answer saying that, and why, nothing could be solved."""
    return Solution("error", "", "", (), message)


class _Worker:
    """One sympy process kept between calls, so only the first call pays for importing sympy.

    It is a plain subprocess talking pickles over its stdin and stdout, rather than a
    multiprocessing child: that neither forks a process that may run other threads nor
    re-imports the caller's main script. A worker past its time limit is killed; the next
    call starts a new one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._replies: queue.SimpleQueue | None = None

    def run(self, problem: tuple[str, ...], timeout: float) -> Solution:
        """Solve `problem` in the worker, waiting at most `timeout` seconds once it is ready."""
        with self._lock:
            if not self._ready():
                return _error("the solver process could not be started")
            try:
                self._process.stdin.write(pickle.dumps(problem))
                self._process.stdin.flush()
                reply = self._replies.get(timeout=max(timeout, 0.0))
            except queue.Empty:
                log.info("solving %r took longer than %g s; stopping the solver", problem, timeout)
                self.close()
                return _error(f"gave up: solving took longer than the time limit of {timeout:g} s")
            except OSError:
                reply = None
            if reply is None:
                self.close()
                return _error("the solver process stopped unexpectedly")
            return reply

    def close(self) -> None:
        """Kill the worker, if any, and forget it."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        self._process = None

    def _ready(self) -> bool:
        """Make sure a worker is running and has imported sympy, starting one if needed."""
        if self._process is not None and self._process.poll() is None:
            return True
        self.close()
        root = str(Path(__file__).resolve().parent.parent)
        command = f"import sys; sys.path.insert(0, {root!r}); from handmath.solving import _serve; _serve()"
        try:
            self._process = subprocess.Popen([sys.executable, "-c", command],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except OSError:
            log.exception("could not start the solver process")
            return False
        self._replies = queue.SimpleQueue()
        threading.Thread(target=_forward, args=(self._process.stdout, self._replies), daemon=True).start()
        try:
            if self._replies.get(timeout=STARTUP_LIMIT) == "ready":
                return True
        except queue.Empty:
            pass
        log.warning("the solver process failed, or took over %g s, to start", STARTUP_LIMIT)
        self.close()
        return False


def _forward(stream, replies: queue.SimpleQueue) -> None:
    """Pass each pickled reply of a worker on to `replies`, then None once its output ends."""
    with stream:
        while True:
            try:
                replies.put(pickle.load(stream))
            except (EOFError, OSError, pickle.UnpicklingError):
                replies.put(None)
                return


def _serve() -> None:
    """The worker's loop: read pickled problems on stdin and write pickled solutions to stdout.

    Whatever else writes to stdout is sent to stderr, so it cannot corrupt the replies.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is for the caller, which stops us
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    parse_latex("x")          # load the LaTeX grammar now, so it does not count against a timeout
    _reply(replies, "ready")
    while True:
        try:
            problem = pickle.load(sys.stdin.buffer)
        except EOFError:
            return
        _reply(replies, solve_here(problem))


def _reply(stream, message: object) -> None:
    """Send one pickled message to the parent."""
    pickle.dump(message, stream)
    stream.flush()


_WORKER = _Worker()
atexit.register(_WORKER.close)


def solve_here(problem: tuple[str, ...]) -> Solution:
    """Solve in this process, without a time limit; `solve` runs this in the worker.

    Parameters
    ----------
    problem : tuple of str
        One LaTeX problem, or several equations forming a system.
    """
    try:
        return _solve_one(problem[0]) if len(problem) == 1 else _solve_system(problem)
    except _Unsolvable as exc:
        return _error(str(exc))
    except Exception as exc:  # sympy fails in many ways on odd input; the caller gets a message
        return _error(f"sympy could not handle this ({type(exc).__name__}: {exc})")


# ---------------------------------------------------------------- reading LaTeX


def normalise(latex: str) -> str:
    """Rewrite the LaTeX to the spellings parse_latex reads, with one spelling per relation."""
    for pattern, replacement in _REWRITES:
        latex = re.sub(pattern, replacement, latex)
    return latex.strip()


def split_relations(latex: str) -> tuple[list[str], list[str]]:
    """Split normalised LaTeX at the relation signs outside braces.

    Returns the sides and, between them, the signs as sympy's operators: ``"-2<x\\leq 2"`` gives
    ``(["-2", "x", "2"], ["<", "<="])``. Splitting here keeps ``x=x`` from evaluating to True.
    """
    sides, signs, start = [], [], 0
    for match in _RELATION.finditer(latex):
        if _depth(latex[:match.start()]) == 0:
            sides.append(latex[start:match.start()].strip())
            signs.append(_OPERATORS[match.group()])
            start = match.end()
    sides.append(latex[start:].strip())
    return sides, signs


def _depth(latex: str) -> int:
    """How many braces are open at the end of `latex`."""
    return latex.count("{") - latex.count("}")


def _parse_side(latex: str) -> sympy.Expr:
    """Parse one side of a relation, with ``e`` and ``\\pi`` as the constants."""
    if not latex.strip():
        raise _Unsolvable("a side of the relation is empty")
    try:
        expr = parse_latex(latex, strict=True)   # not strict, it reads "x^{2}+" as x²
    except Exception as exc:  # the parser raises LaTeXParsingError and, on some input, antlr errors
        raise _Unsolvable(f"could not read the LaTeX {latex.strip()!r}") from exc
    if not isinstance(expr, sympy.Expr):
        raise _Unsolvable(f"{latex.strip()!r} is not an expression")
    return expr.xreplace(_CONSTANTS)


def _relations(sides: list[sympy.Expr], signs: list[str]) -> list[Relational]:
    """Unevaluated relations between neighbouring sides: ``a < b < c`` gives ``a < b`` and ``b < c``."""
    return [Relational(lhs, rhs, sign, evaluate=False)
            for lhs, sign, rhs in zip(sides, signs, sides[1:])]


def _unknowns(relations: list[Relational]) -> list[sympy.Symbol]:
    """The free symbols, x and y first and then by name."""
    symbols = set().union(*(relation.free_symbols for relation in relations))
    rank = {name: place for place, name in enumerate(PREFERRED)}
    return sorted(symbols, key=lambda s: (rank.get(s.name, len(PREFERRED)), s.name))


# ---------------------------------------------------------------- solving


def _solve_one(latex: str) -> Solution:
    """Solve one equation or inequality in one unknown, or simplify an expression."""
    sides, signs = split_relations(normalise(latex))
    exprs = [_parse_side(side) for side in sides]
    if not signs:
        return _expression(exprs[0])
    if "==" in signs and len(signs) > 1:
        raise _Unsolvable("a chain of relations with '=' in it cannot be solved; give one equation per line")
    kind = "equation" if signs == ["=="] else "inequality"
    relations = _relations(exprs, signs)
    unknowns = _unknowns(relations)
    if not unknowns:
        return _truth(relations, kind)
    if len(unknowns) > 1:
        names = ", ".join(s.name for s in unknowns)
        raise _Unsolvable(f"the {kind} has {len(unknowns)} unknowns ({names}): which one should it be "
                          f"solved for? Or give one equation per unknown, as a system")
    x = unknowns[0]
    if kind == "equation":
        found, note = _solve_equation(relations[0], x)
    else:
        found, note = _solve_inequality(relations, x), ""
    return Solution(kind, *_describe(found, x), note)


def _truth(relations: list[Relational], kind: str) -> Solution:
    """Say whether relations without an unknown hold, such as ``2=3``."""
    verdicts = {_holds(relation) for relation in relations}
    if None in verdicts:
        raise _Unsolvable("there is no unknown, and sympy cannot tell whether this holds")
    word = "true" if all(verdicts) else "false"
    message = f"there is no unknown to solve for; the statement is {word}"
    return Solution(kind, rf"\text{{{word}}}", word, (), message)


def _holds(relation: Relational) -> bool | None:
    """Whether a relation between numbers holds; None when sympy cannot decide."""
    verdict = Relational(sympy.simplify(relation.lhs - relation.rhs), 0, relation.rel_op)
    return bool(verdict) if verdict in (S.true, S.false) else None


def _solve_equation(equation: Relational, x: sympy.Symbol) -> tuple[sympy.Set, str]:
    """The real solutions, from solveset, or from solve where solveset gives up.

    Solve may miss solutions (it takes one branch of the Lambert W function, for one), so
    its answer comes with a note saying so.
    """
    found = sympy.solveset(equation, x, domain=S.Reals)
    if not found.has(sympy.ConditionSet):
        return found, ""
    try:
        roots = sympy.solve(equation, x)
    except NotImplementedError as exc:
        raise _Unsolvable("sympy cannot solve this equation exactly") from exc
    return (sympy.FiniteSet(*(root for root in roots if _is_real(root))),
            "sympy's general solver found this; it may have missed some real solutions")


def _solve_inequality(relations: list[Relational], x: sympy.Symbol) -> sympy.Set:
    """The real x for which every relation of the chain holds."""
    found = sympy.Intersection(*(sympy.solveset(relation, x, domain=S.Reals) for relation in relations))
    if found.has(sympy.ConditionSet):
        raise _Unsolvable("sympy cannot solve this inequality")
    return found


def _is_real(value: sympy.Expr) -> bool:
    """Whether a solution is real, deciding numerically when sympy cannot tell."""
    if value.is_real is not None or value.free_symbols:
        return value.is_real is not False
    number = complex(sympy.N(value))
    return abs(number.imag) <= 1e-9 * max(1.0, abs(number.real))


def _solve_system(problem: tuple[str, ...]) -> Solution:
    """Solve several equations together, one per line of `problem`."""
    equations = [_equation_of(latex) for latex in problem]
    unknowns = _unknowns(equations)
    if not unknowns:
        return _truth(equations, "system")
    found = sympy.solve(equations, unknowns, dict=True)
    real = sorted((s for s in found if all(_is_real(v) for v in s.values())),
                  key=lambda s: tuple(_order(s[u]) for u in unknowns if u in s))
    if not real:
        return Solution("system", *_NO_REAL_SOLUTION)
    parts = [_assignments(solution, unknowns) for solution in real]
    if len(parts) == 1:
        return Solution("system", parts[0][1], parts[0][0], (parts[0][0],))
    return Solution("system", r" \vee ".join(f"({latex})" for _, latex in parts),
                    " ∨ ".join(f"({text})" for text, _ in parts), tuple(text for text, _ in parts))


def _equation_of(latex: str) -> Relational:
    """Read one line of a system, which must be a single equation."""
    sides, signs = split_relations(normalise(latex))
    if signs != ["=="]:
        raise _Unsolvable(f"every line of a system must be one equation, and {latex!r} is not")
    return _relations([_parse_side(side) for side in sides], signs)[0]


def _assignments(solution: dict, unknowns: list[sympy.Symbol]) -> tuple[str, str]:
    """One solution of a system as text and LaTeX, e.g. ``x = 1 ∧ y = 2``."""
    pairs = [(u, solution[u]) for u in unknowns if u in solution]
    if not pairs:
        names = ", ".join(u.name for u in unknowns)
        return f"every real {names}", rf"\text{{every real }} {names}"
    return (" ∧ ".join(f"{_text(u)} = {_text(v)}" for u, v in pairs),
            r" \wedge ".join(f"{_latex(u)} = {_latex(v)}" for u, v in pairs))


def _expression(expr: sympy.Expr) -> Solution:
    """Simplify an expression; a number is also given as a decimal unless it is an integer."""
    simple = sympy.simplify(expr.doit())
    if simple.has(S.ComplexInfinity, S.NaN, S.Infinity, S.NegativeInfinity):
        raise _Unsolvable("the expression is undefined (a division by zero?)")
    exact_text, exact_latex = _text(simple), _latex(simple)
    inexact = simple.is_real and not simple.free_symbols and not simple.is_Integer
    decimal = _decimal(simple) if inexact else exact_text
    if decimal == exact_text:
        return Solution("expression", exact_latex, exact_text, (exact_text,))
    return Solution("expression", rf"{exact_latex} \approx {decimal}", f"{exact_text} ≈ {decimal}",
                    (exact_text, decimal))


# ---------------------------------------------------------------- describing solution sets


def _describe(found: sympy.Set, x: sympy.Symbol) -> tuple[str, str, tuple[str, ...]]:
    """A set of real solutions as LaTeX, text and values, in the plainest words that fit."""
    if isinstance(found, sympy.Intersection) and S.Reals in found.args:
        found = _real_points(found)
    if found is S.EmptySet:
        return *_NO_REAL_SOLUTION, ()
    if found == S.Reals:
        return rf"{_latex(x)} \in \mathbb{{R}}", f"every real {_text(x)}", ()
    if isinstance(found, sympy.FiniteSet):
        return _join(_points(x, found, "="), " ∨ ", r" \vee ")
    excluded = S.Reals - found
    if isinstance(excluded, sympy.FiniteSet):
        parts = [(text, latex, text) for text, latex, _ in _points(x, excluded, "≠")]
        return _join(parts, " ∧ ", r" \wedge ")
    pieces = found.args if isinstance(found, sympy.Union) else (found,)
    if all(isinstance(piece, (sympy.Interval, sympy.FiniteSet)) for piece in pieces):
        return _join(_intervals(pieces, x), " ∨ ", r" \vee ")
    if all(_periodic(piece) for piece in pieces):
        return _periods(pieces, x)
    return rf"{_latex(x)} \in {_latex(found)}", f"{_text(x)} ∈ {_text(found)}", ()


def _real_points(found: sympy.Intersection) -> sympy.Set:
    """Keep the real members of a finite set that sympy could only intersect with the reals."""
    finite = [arg for arg in found.args if isinstance(arg, sympy.FiniteSet)]
    if len(finite) != 1 or len(found.args) != 2:
        return found
    return sympy.FiniteSet(*(value for value in finite[0] if _is_real(value)))


def _join(parts: list[tuple[str, str, str]], text_or: str, latex_or: str) -> tuple[str, str, tuple[str, ...]]:
    """Join (text, latex, value) parts into one answer."""
    return (latex_or.join(latex for _, latex, _ in parts), text_or.join(text for text, _, _ in parts),
            tuple(value for _, _, value in parts))


def _points(x: sympy.Symbol, values: sympy.FiniteSet, sign: str) -> list[tuple[str, str, str]]:
    """``x = value`` (or ≠) for each value, ascending, as text, LaTeX and value.

    If any exact value is unreadable, all are given as decimals, with ≈ for =.
    """
    values = sorted(values, key=_order)
    if all(_readable(value) for value in values):
        return [(f"{_text(x)} {sign} {_text(v)}", f"{_latex(x)} {_POINT_SIGNS[sign]} {_latex(v)}", _text(v))
                for v in values]
    sign = "≈" if sign == "=" else sign
    decimals = [_decimal(sympy.re(value)) for value in values]
    return [(f"{_text(x)} {sign} {d}", f"{_latex(x)} {_POINT_SIGNS[sign]} {d}", d) for d in decimals]


def _readable(value: sympy.Expr) -> bool:
    """Whether an exact value is short and plain enough to show as it is."""
    return (not value.has(sympy.CRootOf, S.ImaginaryUnit)
            and all(isinstance(f, _READABLE_FUNCTIONS) for f in value.atoms(sympy.Function))
            and len(_text(value)) <= LONGEST_EXACT)


def _intervals(pieces: tuple[sympy.Set, ...], x: sympy.Symbol) -> list[tuple[str, str, str]]:
    """Intervals and points as (in)equalities in x, leftmost first: ``-2 < x < 2``, ``x ≥ 3``."""
    parts = []
    for piece in sorted(pieces, key=lambda p: _order(p.inf)):
        if isinstance(piece, sympy.FiniteSet):
            parts.extend((text, latex, text) for text, latex, _ in _points(x, piece, "="))
        else:
            parts.append(_interval(piece, x))
    return parts


def _interval(piece: sympy.Interval, x: sympy.Symbol) -> tuple[str, str, str]:
    """One interval as an inequality in x, as text, LaTeX and value: ``-2 < x ≤ 2``, ``x ≥ 3``."""
    if piece.end is S.Infinity:
        terms = [(x, ">" if piece.left_open else ">="), (piece.start, "")]
    else:
        terms = [(x, "<" if piece.right_open else "<="), (piece.end, "")]
        if piece.start is not S.NegativeInfinity:
            terms.insert(0, (piece.start, "<" if piece.left_open else "<="))
    text = " ".join(f"{_text(term)} {_TEXT_SIGNS[sign]}" if sign else _text(term) for term, sign in terms)
    latex = " ".join(f"{_latex(term)} {_LATEX_SIGNS[sign]}" if sign else _latex(term) for term, sign in terms)
    return text, latex, text


def _periodic(piece: sympy.Set) -> bool:
    """Whether a piece is ``{f(n) | n ∈ ℤ}``, as sympy gives the solutions of sin x = 0."""
    return isinstance(piece, sympy.ImageSet) and piece.base_sets == (S.Integers,)


def _periods(pieces: tuple[sympy.ImageSet, ...], x: sympy.Symbol) -> tuple[str, str, tuple[str, ...]]:
    """Periodic solutions, smallest start first: ``x = π/6 + k·2π ∨ x = 5π/6 + k·2π (k ∈ ℤ)``."""
    k = sympy.Symbol("k", integer=True)
    values = sorted((sympy.expand(p.lamda.expr.xreplace({p.lamda.variables[0]: k})) for p in pieces),
                    key=lambda value: _order(value.subs(k, 0)))
    parts = [_period(value, k) for value in values]
    text = " ∨ ".join(f"{_text(x)} = {t}" for t, _ in parts) + " (k ∈ ℤ)"
    latex = r" \vee ".join(f"{_latex(x)} = {l}" for _, l in parts) + r" \quad (k \in \mathbb{Z})"
    return latex, text, tuple(t for t, _ in parts)


def _period(value: sympy.Expr, k: sympy.Symbol) -> tuple[str, str]:
    """One family of solutions as text and LaTeX, written ``start + k·step`` when it is linear in k."""
    start, slope = value.subs(k, 0), value.coeff(k)
    if slope.free_symbols or sympy.expand(value - start - slope * k) != 0:
        return _text(value), _latex(value)
    step = abs(slope)    # k runs over all integers, so the sign of the step does not matter
    if start == 0:
        return f"k·{_text(step)}", rf"k \cdot {_latex(step)}"
    return f"{_text(start)} + k·{_text(step)}", rf"{_latex(start)} + k \cdot {_latex(step)}"


def _order(value: sympy.Expr) -> tuple:
    """Sort key putting numbers in ascending order and anything symbolic after them."""
    if value.free_symbols or not value.is_number:
        return (1, 0.0, str(value))
    return (0, complex(sympy.N(value)).real, "")


# ---------------------------------------------------------------- printing


class _TextPrinter(StrPrinter):
    """Sympy's str printer with the signs a Dutch maths site writes: √, π, e, ln, ^ and ·."""

    def _print_Pow(self, expr, rational=False):
        if expr.exp is S.Half:
            return "√" + self._radicand(expr.base)
        if expr.exp == -S.Half:
            return "1/√" + self._radicand(expr.base)
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _radicand(self, base) -> str:
        printed = self._print(base)
        return printed if base.is_Atom else f"({printed})"

    def _print_Mul(self, expr):
        joined = super()._print_Mul(expr).replace("*", "·")
        return re.sub(r"(?<![\w.^/])(\d+)·(?=[a-zA-Zπ√(])", r"\1", joined)   # 2·√3 → 2√3

    def _print_Pi(self, expr):
        return "π"

    def _print_Exp1(self, expr):
        return "e"

    def _print_ImaginaryUnit(self, expr):
        return "i"

    def _print_exp(self, expr):
        return "e^" + self.parenthesize(expr.args[0], 1000)

    def _print_log(self, expr):
        return f"ln({self._print(expr.args[0])})"

    def _print_Abs(self, expr):
        return f"|{self._print(expr.args[0])}|"

    def _print_Float(self, expr):
        return _decimal(expr)

    def _print_Infinity(self, expr):
        return "∞"

    def _print_NegativeInfinity(self, expr):
        return "-∞"


_TEXT_PRINTER = _TextPrinter()


def _text(value) -> str:
    """A sympy object as plain text."""
    return _TEXT_PRINTER.doprint(value)


def _latex(value) -> str:
    """A sympy object as LaTeX, writing the natural logarithm as \\ln."""
    return sympy.latex(value, ln_notation=True)


def _decimal(value: sympy.Expr) -> str:
    """A real number to `DIGITS` significant digits, without trailing zeros."""
    return format(float(sympy.N(value, DIGITS + 5)), f".{DIGITS}g")
