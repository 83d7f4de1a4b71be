"""What a row's tree must look like to be LaTeX: brackets pair up within a row, relation symbols
stay off script rows, and a symbol on a base's line at the base's size is not in its script.

Pure functions of labels and boxes; :mod:`layout.parse` and :mod:`layout.arborescence` apply them.
"""

from __future__ import annotations

from layout.scorer import Item

LIMIT_OPERATORS = frozenset({r"\sum", r"\lim", r"\prod", r"\int"})
# Never in a script row but a large operator's (train_2014: 0 of 3053 outside one).
RELATION_SYMBOLS = frozenset({"=", r"\lt", r"\gt", r"\leq", r"\geq", r"\neq", r"\rightarrow"})
BRACKETS = {")": "(", "]": "[", r"\}": r"\{"}  # closing → opening; ``|`` opens and closes, so is left out
BRACKET_LABELS = frozenset(BRACKETS) | frozenset(BRACKETS.values())
# Operators and punctuation: a script row that a level symbol ends does not keep one at its end.
JOINERS = RELATION_SYMBOLS | {"+", "-", ",", ".", "/", r"\times", r"\pm", r"\div"}
LEVEL_OFFSET = 0.2   # a symbol whose middle is this close to a base's (in the base's body heights)
LEVEL_SIZE = 0.6     # and whose body is at least this share of the base's is on its line (both valid_2013)


def level_pairs(items: list[Item], reference: float) -> set[tuple[int, int]]:
    """(base, other) positions, ``other`` later in ``items``, where ``other`` sits on the base's line
    at about its size (:data:`LEVEL_OFFSET`, :data:`LEVEL_SIZE`): it cannot be in the base's script.

    >>> from symbolrec import BBox
    >>> row = [Item(label, BBox(x, y, 30, h), BBox(x, y, 30, h)) for label, x, y, h in
    ...        [("x", 0, 100, 28), ("i", 34, 118, 20), ("z", 70, 100, 28)]]
    >>> sorted(level_pairs(row, 40))
    [(0, 2)]
    """
    out = set()
    for a, base in enumerate(items):
        middle, body = base.centre(reference), base.body(reference)
        for b in range(a + 1, len(items)):
            other = items[b]
            if (abs(other.centre(reference) - middle) <= LEVEL_OFFSET * body
                    and other.body(reference) >= LEVEL_SIZE * body):
                out.add((a, b))
    return out


def bracket_pairs(labels: list[str]) -> tuple[tuple[int, int], ...]:
    """(opening, closing) positions of the brackets that match in ``labels`` (in reading order).

    A closing bracket that does not match the last open one (``[0, 1)``) is left unpaired.

    >>> bracket_pairs(["(", "a", "[", "b", ")", "]", ")"])
    ((2, 5), (0, 6))
    """
    pairs, stack = [], []
    for k, label in enumerate(labels):
        if label in BRACKETS.values():
            stack.append(k)
        elif label in BRACKETS and stack and labels[stack[-1]] == BRACKETS[label]:
            pairs.append((stack.pop(), k))
    return tuple(pairs)
