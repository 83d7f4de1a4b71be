"""Read runs of symbols that CROHME writes as one: letters spelling a function name (``\\sin``,
``\\lim``), three dots on a line (``\\ldots``), and a dot over the stem of an ``i`` or ``j``."""

from __future__ import annotations

import numpy as np

from symbolrec import Component, Symbol
from symbolrec.group import DOT, DOT_ROOM, WORDS
from symbolrec.segment import merge

FUNCTION_NAMES = tuple(sorted(WORDS))   # spelt out letter by letter where the grouping missed them
MIN_PROBABILITY = 0.02   # a letter must be at least this likely among a symbol's alternatives
MAX_GAP = 0.8            # largest gap between letters, in reference heights
DOT_LINE = 0.3           # how far the dots of an ellipsis stray from one line, in reference heights
LOOK_ALIKES = {"c": ("C", "("), "o": ("0", "O"), "s": ("5", "S"), "l": ("1", "|", "I"), "t": ("+",),
               "g": ("9", "q"), "i": ("j",)}   # what a function name's letter is read as when not as itself
DOTTED = {"1": "i", "|": "i", "l": "i", "i": "i", "j": "j"}   # a dot the grouping left over these makes them (as
                                                               # it dots the words holding an i or j)
SMALL = frozenset("acosnm")   # letters of x-height, which sit on one line in a word ...
ALIGN = (0.3, 1.6)            # ... their bottoms within this (reference heights), their heights within this factor
                              # (valid_2013: 0.3-0.5 / 1.6-2 alike; without it, train_2014's `+a_{n-1}` read as \tan)


def _likely(symbol: Symbol, letter: str) -> float:
    return dict(symbol.alternatives).get(letter, 1.0 if symbol.label == letter else 0.0)


def _likely_alike(symbol: Symbol, letter: str) -> float:
    """How likely ``symbol`` is ``letter`` or one of its :data:`LOOK_ALIKES` (``0`` for the ``o`` of ``c0s``)."""
    return max(_likely(symbol, label) for label in (letter, *LOOK_ALIKES.get(letter, ())))


def _aligned(run: list[Symbol], letters: str, reference: float) -> bool:
    """Whether the run's x-height letters sit on one line at one size, as a word's do (a subscript's don't)."""
    small = [s.bbox for s, c in zip(run, letters) if c in SMALL]
    if len(small) < 2:
        return True
    bottoms, heights = [b.y2 for b in small], [b.h for b in small]
    return max(bottoms) - min(bottoms) <= ALIGN[0] * reference and max(heights) <= ALIGN[1] * min(heights)


def join_function_names(symbols: list[Symbol], reference: float) -> list[Symbol]:
    """Replace each left-to-right run of symbols that spells a function name by one symbol.

    A run qualifies when every letter is among its symbol's ranked alternatives, the letters sit
    side by side (gaps under ``MAX_GAP`` reference heights, overlapping vertically), and the name
    is more likely than not on average. Failing that, a letter may be read as a look-alike
    (``c05``, ``+an``) when another is read as itself and the x-height letters sit on one line
    at one size. What lies wholly above or below the letters (a numerator over a ``\\log`` in a
    denominator, the limit under ``lim``) does not break the run. The joined symbol keeps the
    letters' mean probability.
    """
    ordered = sorted(symbols, key=lambda s: s.bbox.x)
    out: list[Symbol] = []
    used: set[int] = set()
    for i, symbol in enumerate(ordered):
        if i in used:
            continue
        line = _line(ordered, i, max(len(name) - 1 for name in FUNCTION_NAMES), used)
        found = _match(ordered, line, reference) or _match(ordered, line, reference, alike=True)
        if found:
            used.update(found[1])
        out.append(found[0] if found else symbol)
    return out


def join_dots(symbols: list[Symbol], reference: float) -> list[Symbol]:
    """Replace each run of three dots on one line, at most two reference heights apart, by ``\\ldots``.

    As with function names, a dot need only be among a symbol's alternatives (a small dot is often
    read as ``-`` too), the three dots more likely than not on average; what lies wholly above or
    below the line (a denominator under a numerator's dots) does not break the run.
    """
    ordered = sorted(symbols, key=lambda s: s.bbox.x)
    out: list[Symbol] = []
    used: set[int] = set()
    for i, symbol in enumerate(ordered):
        if i in used:
            continue
        line = _line(ordered, i, 3, used, slack=DOT_LINE * reference)
        run = [ordered[j] for j in line]
        dots = [_likely(s, ".") for s in run]
        if (len(run) == 3 and min(dots) >= MIN_PROBABILITY and sum(dots) / 3 >= 0.5
                and all(b.bbox.x - a.bbox.x2 <= 2 * reference and abs(b.bbox.cy - a.bbox.cy) <= DOT_LINE * reference
                        for a, b in zip(run, run[1:]))):
            out.append(_joined(run, r"\ldots", sum(dots) / 3))
            used.update(line)
        else:
            out.append(symbol)
    return out


def join_i_dots(symbols: list[Symbol], reference: float) -> list[Symbol]:
    """Join each dot left apart over the stem of an ``i`` or ``j`` to it (a stem read as ``1``
    becomes ``i``) and over a word holding one (``\\sin``, ``\\lim``): CROHME writes no dot as a
    superscript. The dot lies over the stem's columns (a word's), its bottom at most ``DOT_ROOM``
    reference heights above the stem's top."""
    symbols = list(symbols)
    dots = [k for k, s in enumerate(symbols) if s.label == "." and max(s.bbox.w, s.bbox.h) <= DOT * reference]
    taken: set[int] = set()
    for k in dots:
        dot = symbols[k].bbox
        under = [j for j, s in enumerate(symbols) if j not in taken and j not in dots and s.bbox.x <= dot.cx <= s.bbox.x2
                 and 0 <= s.bbox.y - dot.y2 <= DOT_ROOM * reference
                 and (s.label in DOTTED or s.label in WORDS and any(c in s.label for c in "ij"))]
        if not under:
            continue
        j = min(under, key=lambda j: symbols[j].bbox.y - dot.y2)
        stem = symbols[j]
        symbols[j] = _joined([stem, symbols[k]], DOTTED.get(stem.label, stem.label), stem.confidence)
        taken.update((j, k))
    return [s for k, s in enumerate(symbols) if not (k in taken and k in dots)]


def _joined(run: list[Symbol], label: str, probability: float) -> Symbol:
    """One symbol made of ``run``: the union of their ink, the first one's alternatives after it."""
    ink = merge([Component(s.bbox, s.mask if s.mask is not None else np.ones((s.bbox.h, s.bbox.w), bool))
                 for s in run])
    probability = round(probability, 4)
    return Symbol(ink.bbox, label, probability, ((label, probability),) + run[0].alternatives[:4], ink.mask)


def _line(symbols: list[Symbol], start: int, count: int, used: set[int], slack: float = 0.0) -> list[int]:
    """Up to ``count`` symbols from ``start`` on, left to right, that share rows with the one before
    (its rows widened by ``slack`` pixels each way: a dot's line slopes)."""
    run = [start]
    for j in range(start + 1, len(symbols)):
        if len(run) == count:
            break
        a, b = symbols[run[-1]].bbox, symbols[j].bbox
        if j not in used and b.y < a.y2 + slack and a.y - slack < b.y2:
            run.append(j)
    return run


def _match(symbols: list[Symbol], longest: list[int], reference: float,
           alike: bool = False) -> tuple[Symbol, list[int]] | None:
    """The first function name the symbols at ``longest`` (a :func:`_line`) begin with, joined, and
    the indices it took; with ``alike``, spelt from look-alikes (see :func:`join_function_names`)."""
    for name in FUNCTION_NAMES:
        letters = name[1:]
        run = [symbols[j] for j in longest[:len(letters)]]
        if len(run) < len(letters):
            continue
        probabilities = [(_likely_alike if alike else _likely)(s, c) for s, c in zip(run, letters)]
        if min(probabilities) < MIN_PROBABILITY or sum(probabilities) / len(letters) < 0.5:
            continue
        if any(b.bbox.x - a.bbox.x2 > MAX_GAP * reference for a, b in zip(run, run[1:])):
            continue
        if alike and not (any(s.label == c for s, c in zip(run, letters)) and _aligned(run, letters, reference)):
            continue
        return _joined(run, name, sum(probabilities) / len(letters)), longest[:len(letters)]
    return None
