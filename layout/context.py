"""Use the tree to settle what a symbol's shape alone cannot.

Rules: a comma raised as a superscript is a prime (``f^{\\prime}``), since CROHME writes ``f'``
that way, and so is a lone ``-`` (a flat prime: no superscript of train_2014 is a minus alone); a
``\\times`` with nothing to multiply on one side is the letter ``x``.

A learned prior (:class:`ContextPrior`, from ``training/context_prior.py`` on train_2014): how
likely a symbol is after its left neighbour in its row and before its right one, in an expression
with the other symbols it holds, and with its height and its centre against its neighbours'.
:func:`rescore_in_context` describes each unsure symbol's ranked alternatives by it
(:func:`candidate_features`) and lets a learned model (:class:`Relabeller`: boosted trees from
``training/train_relabel.py``) choose among them, so that ``P(`` reads as a capital P, ``2q`` as
``29`` and a tall ``x`` among small letters as ``X``;
:func:`pair_bars` reads matching strokes around a stretch of a row as ``|x|``;
:func:`balance_brackets` reads the closing brackets that no opening one matches as commas, and
:func:`match_brackets` makes the kinds of paired brackets agree.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

import numpy as np

from layout._tree import Node, Relation, Tree
from layout.forest import Forest
from layout.rules import BRACKET_LABELS
from symbolrec import Symbol, features
from symbolrec.group import WORDS as FUNCTION_NAMES

PRIME = r"\prime"
TIMES = r"\times"
OPERATORS = frozenset({"+", "-", "=", r"\pm", r"\neq", r"\lt", r"\gt", r"\leq", r"\geq", r"\times", r"\div",
                       r"\rightarrow"})   # a \times beside one of these multiplies nothing
END = "</>"                  # the token after a row's last symbol
MODEL = Path(__file__).resolve().parent / "models" / "context.json"
RELABEL = MODEL.with_name("relabel.json")   # training/train_relabel.py
SMOOTHING = 20.0             # pseudo-counts pulling a rare neighbour's counts toward the overall rates
# The hand-set score, set on valid_2013 before the learned model and now one of its features:
WEIGHT = 0.5                 # how much the prior counts against the classifier's log probability
COMPANY = 0.25               # how much the rest of the expression counts, the same way
SHAPE = 0.5                  # how much the symbol's size and height in its row count
CASE_SHAPE = 2.0             # the same, between a letter's two cases
CONFIDENT = 0.99             # a symbol read at least this surely keeps its label
BAR = "|"
BAR_LIKE = frozenset({"1", "l", "|"})
BAR_MIN = 0.05               # a stroke pairs as a bar only if the classifier gives | this much
PAIR_BONUS = 6.0             # log-odds a matching stroke at the other end adds for both being bars
KEEP = FUNCTION_NAMES | {r"\ldots", PRIME}   # runs of symbols, never taken for one symbol or taken apart
MARKS = frozenset({",", "."})   # left alone in superscripts, where the prime rule reads them
LOOK_ALIKE = 2.0            # what a label that a look-alike elsewhere in the expression surely has gains
ALIKE_SURE = 0.9            # a look-alike is read at least this surely,
ALIKE_SIZE = 0.5            # its height within this of the symbol's (log ratio),
ALIKE_SHAPE = 0.6           # its patch correlated at least this with the symbol's (valid_2013: 2.0 / 0.5 / 0.6)
MIN_ALTERNATIVE = 0.02       # an alternative the classifier gives less than this is never taken
OPEN, CLOSE, COMMA = "(", ")", ","
PAIRS = {OPEN: CLOSE, "[": "]", r"\{": r"\}"}   # opening brackets and their closing ones
COMMA_MIN = 0.001            # a closing bracket no opening one matches becomes a comma given at least this


def start_token(relation: str) -> str:
    """The token a row opens with: ``<start>`` for the main row, ``<Sup>`` for a superscript…"""
    return f"<{relation}>"


@dataclass(frozen=True)
class ContextPrior:
    """What symbols are like in context, counted and fitted on ground-truth trees.

    ``follows[token][label]``: how often ``label`` (or :data:`END`) came right after ``token`` (a
    symbol or a row's opening token) in a row; ``together[a][b]``: in how many of ``expressions``
    both ``a`` and ``b`` appear; ``shapes[label]``: its log height above the expression's size
    unit, that height's spread, and its centre's height in units (relative to ``x``), with
    ``centre_spread`` the spread of a centre against a neighbour's. ``smoothing`` pseudo-counts
    spread as the overall rates.

    Examples
    --------
    >>> prior = ContextPrior({"<start>": {"P": 1, "p": 1}, "P": {"(": 5, END: 1}, "p": {"(": 1, END: 5}})
    >>> prior.log_factor("P", "<start>", "(") > prior.log_factor("p", "<start>", "(")
    True
    """

    follows: Mapping[str, Mapping[str, int]]
    together: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    expressions: int = 1
    shapes: Mapping[str, tuple[float, float, float]] = field(default_factory=dict)
    centre_spread: float = 0.25
    smoothing: float = SMOOTHING

    def __post_init__(self):
        if self.smoothing <= 0:
            raise ValueError(f"smoothing must be positive, got {self.smoothing}")
        rates: dict[str, float] = {}
        for counts in self.follows.values():
            for label, n in counts.items():
                rates[label] = rates.get(label, 0) + n
        total = sum(rates.values()) or 1
        object.__setattr__(self, "_rate", {label: n / total for label, n in rates.items()})
        object.__setattr__(self, "_totals", {token: sum(c.values()) for token, c in self.follows.items()})

    @classmethod
    def load(cls, path: Path | str | None = None) -> "ContextPrior":
        """The prior saved by ``training/context_prior.py`` (the shipped one by default)."""
        return cls.from_dict(json.loads(Path(path or MODEL).read_text()))

    @classmethod
    def from_dict(cls, data: dict) -> "ContextPrior":
        """The prior from its table (``training.context_prior.count``)."""
        return cls(data["follows"], data["together"], data["expressions"],
                   {label: tuple(v) for label, v in data["shapes"].items()}, data["centre_spread"])

    def rate(self, label: str) -> float:
        """How often ``label`` follows any token (a tiny rate for labels never seen)."""
        return self._rate.get(label, 1e-6)

    def log_ratio(self, token: str, label: str) -> float:
        """log P(label | token) / P(label), smoothed; 0 for labels or tokens never seen."""
        rate = self._rate.get(label)
        if rate is None or token not in self.follows:
            return 0.0
        n = self.follows[token].get(label, 0)
        return math.log((n + self.smoothing * rate) / (self._totals[token] + self.smoothing) / rate)

    def log_factor(self, label: str, left: str, right: str) -> float:
        """How much likelier ``label`` is between ``left`` and ``right`` than anywhere (log)."""
        return self.log_ratio(left, label) + self.log_ratio(label, right)

    def log_company(self, label: str, others) -> float:
        """How much likelier ``label`` is in an expression holding ``others`` (log, mean over them,
        summed in sorted order: a set's order follows the run's string hashing, and so would the last bits)."""
        seen = self.together.get(label)
        if not seen:
            return 0.0
        rate = seen[label] / self.expressions
        ratios = [math.log((seen.get(o, 0) + self.smoothing * rate) / (self.together[o][o] + self.smoothing) / rate)
                  for o in sorted(set(others)) if o in self.together]
        return sum(ratios) / len(ratios) if ratios else 0.0

    def units(self, heights: list[int], labels: list[str]) -> list[float | None]:
        """Each symbol's estimate of the expression's log size unit, from all the other symbols.

        A symbol of label ``L`` and height ``h`` says the unit is ``log h - shapes[L][0]``; a
        symbol's own estimate is the median of the others' (None when no other is known).
        """
        says = [math.log(max(h, 1)) - self.shapes[label][0] if label in self.shapes else None
                for h, label in zip(heights, labels)]
        out = []
        for i in range(len(says)):
            others = sorted(v for j, v in enumerate(says) if j != i and v is not None)
            out.append(others[len(others) // 2] if others else None)
        return out

    def log_shape(self, label: str, box, unit: float | None, neighbours: list[tuple[str, float]]) -> float:
        """Log-likelihood of ``box``'s height and of its centre against its row ``neighbours``
        ((label, centre y) pairs) if it were ``label``, in an expression of log size ``unit``."""
        return sum(self.log_shape_parts(label, box, unit, neighbours))

    def log_shape_parts(self, label: str, box, unit: float | None,
                        neighbours: list[tuple[str, float]]) -> tuple[float, float]:
        """:meth:`log_shape` as its two terms: the height's, and the centre's (0 when unknown)."""
        if unit is None or label not in self.shapes:
            return 0.0, 0.0
        height, spread, centre = self.shapes[label]
        size = _gaussian(math.log(max(box.h, 1)) - unit - height, spread)
        known = [(self.shapes[n][2], cy) for n, cy in neighbours if n in self.shapes]
        if not known:
            return size, 0.0
        scale = math.exp(unit)
        return size, sum(_gaussian((box.cy - cy) / scale - (centre - other), self.centre_spread)
                         for other, cy in known) / len(known)


def look_alikes(symbols: list[Symbol], among=None, *, sure: float = ALIKE_SURE, size: float = ALIKE_SIZE,
                shape: float = ALIKE_SHAPE) -> list[set[str]]:
    """For each symbol (of the indices ``among``, all by default), the labels of the other symbols
    that look like it and are read surely; the others get an empty set.

    One hand writes one letter alike: a symbol read at least ``sure``, whose height is within
    ``size`` (log ratio) of this one's and whose 32×32 patch correlates at least ``shape`` with
    this one's, says what this one probably is too. Symbols without a mask have none.
    """
    @functools.cache
    def patch(k: int) -> np.ndarray:   # zero mean, unit length: a dot product is the correlation
        p = features.patch(symbols[k].mask).ravel()
        p = p - p.mean()
        return p / (np.linalg.norm(p) or 1.0)

    out: list[set[str]] = [set() for _ in symbols]
    for i in range(len(symbols)) if among is None else among:
        a = symbols[i]
        for j, b in enumerate(symbols):
            if (j != i and b.confidence >= sure and a.mask is not None and b.mask is not None
                    and abs(math.log(max(a.bbox.h, 1) / max(b.bbox.h, 1))) <= size
                    and float(patch(i) @ patch(j)) >= shape):
                out[i].add(b.label)
    return out


def _gaussian(residual: float, spread: float) -> float:
    return -0.5 * (residual / spread) ** 2 - math.log(spread)


FEATURES = ("log_p", "left", "right", "company", "height", "centre", "look_alike", "case", "case_height",
            "case_centre", "first", "hand", "hand_gap", "log_p_gap",
            "rate", "digit", "capital", "small", "command", "label",
            "first_rate", "first_digit", "first_capital", "first_small", "first_command", "first_label", "rank",
            "size_residual", "expected_size")


@dataclass(frozen=True)
class Choice:
    """An unsure symbol's candidate labels, best first by the classifier, and their features
    (one row per label, columns :data:`FEATURES`)."""

    symbol: int
    labels: tuple[str, ...]
    features: np.ndarray


def candidate_features(tree: Tree, symbols: list[Symbol], prior: ContextPrior, labels: tuple[str, ...], *,
                       confident: float = CONFIDENT, min_alternative: float = MIN_ALTERNATIVE) -> list[Choice]:
    """What the context says of each unsure symbol's alternatives, for the learned re-reading.

    Every symbol of ``tree`` read with probability under ``confident`` (not a person's correction,
    not a mark in a superscript, not a run in :data:`KEEP` but a function name, which may become
    another name) with two or more alternatives at least ``min_alternative`` likely gets a
    :class:`Choice`. A label's features: its log probability; the prior's log ratios for it after
    its left neighbour in the row and before its right one (``prior.log_factor``'s halves), and in
    the expression's company; the log-likelihood of its height and of its centre against its
    neighbours (``prior.log_shape``'s halves), again when the other case of the letter is a
    candidate too; whether a look-alike read surely elsewhere has it (:func:`look_alikes`);
    the hand-set score of earlier versions (``log p + WEIGHT·factor + COMPANY·company +
    SHAPE·shape``, the shape at ``CASE_SHAPE`` between cases, ``+ LOOK_ALIKE`` for a look-alike)
    and its gap to the best; what kind of label it and the classifier's first choice are (how
    common, digit, capital, small letter, command, index in ``labels``); its rank; and, unknown
    (NaN) where the prior has no unit or shape, how far the box's log height lies from the label's
    (``log h - unit - height``) and that height, so that the trees draw their own line between a
    letter's cases where the Gaussian of ``log_shape`` assumes one spread.
    """
    names = [s.label for s in symbols]
    unit = prior.units([s.bbox.h for s in symbols], names)
    unsure = [i for i, x in enumerate(symbols) if x.confidence < confident]
    alike = look_alikes(symbols, unsure)
    index = {label: k for k, label in enumerate(labels)}
    out: list[Choice] = []

    def kind(label: str) -> list[float]:
        return [math.log(prior.rate(label)), label.isdigit(), len(label) == 1 and label.isupper(),
                len(label) == 1 and label.islower(), label.startswith("\\"), index.get(label, -1)]

    def size(i: int, label: str) -> list[float]:   # symbol i's log height less the label's, and the label's
        if unit[i] is None or label not in prior.shapes:
            return [math.nan, math.nan]
        expected = prior.shapes[label][0]
        return [math.log(max(symbols[i].bbox.h, 1)) - unit[i] - expected, expected]

    def choose(i: int, left: str, right: str, beside: list[int], raised: bool) -> None:
        symbol = symbols[i]
        others = names[:i] + names[i + 1:]
        neighbours = [(symbols[j].label, symbols[j].bbox.cy) for j in beside]
        whole = symbol.label in FUNCTION_NAMES   # a function name read whole may be another name, never a letter
        candidates = [(a, p) for a, p in symbol.alternatives
                      if (a in FUNCTION_NAMES if whole else a not in KEEP and not (raised and a in MARKS))
                      and p >= min_alternative and p > 0]
        if len(candidates) < 2:
            return
        lower = [a.lower() for a, _ in candidates]
        first = kind(candidates[0][0])
        rows = []
        for rank, (a, p) in enumerate(candidates):
            after, before, company = prior.log_ratio(left, a), prior.log_ratio(a, right), prior.log_company(a, others)
            height, centre = prior.log_shape_parts(a, symbol.bbox, unit[i], neighbours)
            case = float(len(a) == 1 and a.isalpha() and lower.count(a.lower()) > 1)
            hand = (math.log(p) + WEIGHT * (after + before) + COMPANY * company
                    + (CASE_SHAPE if case else SHAPE) * (height + centre) + LOOK_ALIKE * (a in alike[i]))
            rows.append([math.log(p), after, before, company,
                         height, centre, float(a in alike[i]), case, case * height, case * centre, float(rank == 0),
                         hand, 0.0, math.log(p) - math.log(candidates[0][1]),
                         *kind(a), *first, rank, *size(i, a)])
        features = np.array(rows, np.float64)
        hand = features[:, FEATURES.index("hand")]
        features[:, FEATURES.index("hand_gap")] = hand - hand.max()
        out.append(Choice(i, tuple(a for a, _ in candidates), features))

    def row(nodes: tuple[Node, ...], relation: str) -> None:
        left = start_token(relation)
        for k, node in enumerate(nodes):
            right = nodes[k + 1].label if k + 1 < len(nodes) else END
            i = node.symbol
            if i is not None:
                symbol = symbols[i]
                raised = relation == Relation.SUP.value
                if (symbol.confidence < confident and (symbol.label not in KEEP or symbol.label in FUNCTION_NAMES)
                        and not (raised and symbol.label in MARKS) and symbol.alternatives
                        and symbol.alternatives[0][0] == symbol.label):   # not a person's correction
                    beside = [n.symbol for n in nodes[max(k - 1, 0):k] + nodes[k + 1:k + 2] if n.symbol is not None]
                    choose(i, left, right, beside, raised)
            left = node.label
            for child_relation, kids in node.children.items():
                row(kids, child_relation.value)

    row(tree.row, "start")
    return out


def rescore_in_context(tree: Tree, symbols: list[Symbol], prior: ContextPrior, model: "Relabeller") -> list[Symbol]:
    """Relabel unsure symbols with the alternative the learned model finds likeliest in context.

    ``model`` (:class:`Relabeller`, trained by ``training/train_relabel.py``) scores each label of
    each :func:`candidate_features` choice; the best-scored label is taken, so that ``P(`` reads as
    a capital P, ``2q`` as ``29`` and a tall ``x`` among small letters as ``X``. ``symbols`` is not
    changed; the returned list has the relabelled symbols, their choice first among their
    alternatives.
    """
    symbols = list(symbols)
    choices = candidate_features(tree, symbols, prior, model.labels)
    if not choices:
        return symbols
    scores = model.forest.score(np.concatenate([c.features for c in choices]))
    start = 0
    for choice in choices:
        best = int(np.argmax(scores[start:start + len(choice.labels)]))
        start += len(choice.labels)
        if best:
            label = choice.labels[best]
            symbols[choice.symbol] = _relabelled(symbols[choice.symbol], label, dict(symbols[choice.symbol].alternatives)[label])
    return symbols


@dataclass(frozen=True)
class Relabeller:
    """The learned re-reading: boosted trees over :data:`FEATURES` and the label order of the
    ``label`` feature."""

    forest: Forest
    labels: tuple[str, ...]

    @classmethod
    def load(cls, path: Path | str | None = None) -> "Relabeller":
        data = json.loads(Path(path or RELABEL).read_text())
        forest = Forest.from_dict(data["forest"])
        if forest.names != FEATURES:
            raise ValueError(f"{path or RELABEL}: features {forest.names} are not {FEATURES}")
        return cls(forest, tuple(data["labels"]))


def pair_bars(tree: Tree, symbols: list[Symbol], prior: ContextPrior, *, weight: float = WEIGHT,
              bonus: float = PAIR_BONUS) -> list[Symbol]:
    """Read matching strokes at both ends of a stretch of one row as ``|``…``|`` (``|x-1|``).

    In each row, the strokes that might be ``|`` (``1``, ``l`` or ``|`` with ``|`` at least
    :data:`BAR_MIN` likely) pair up outermost first, with something between them; so does a lone
    stroke hung as a row's script (a closing bar read as ``1`` is often taken for ``a_{1}``). A
    pair of about the same height whose rows overlap turns into bars when ``bonus`` plus the two
    symbols' gain in ``log p + weight * prior.log_factor`` is positive.
    """
    symbols = list(symbols)

    def stroke(i: int | None) -> bool:
        return (i is not None and symbols[i].label in BAR_LIKE
                and dict(symbols[i].alternatives).get(BAR, 0) >= BAR_MIN)

    def gain(i: int, left: str, right: str) -> float:
        p = dict(symbols[i].alternatives)
        label = symbols[i].label
        return (math.log(p[BAR]) - math.log(p.get(label, symbols[i].confidence) or 1e-4)
                + weight * (prior.log_factor(BAR, left, right) - prior.log_factor(label, left, right)))

    def row(nodes: tuple[Node, ...], relation: str) -> None:
        ends = []   # (place in the row, symbol, left token, right token); a script sits after its base
        for k, node in enumerate(nodes):
            label = symbols[node.symbol].label if node.symbol is not None else node.label
            before = nodes[k - 1] if k else None
            left = start_token(relation) if before is None else \
                symbols[before.symbol].label if before.symbol is not None else before.label
            right = nodes[k + 1].label if k + 1 < len(nodes) else END
            if stroke(node.symbol):
                ends.append((k, node.symbol, left, right))
            for script in (Relation.SUB, Relation.SUP):
                kids = node.children.get(script, ())
                if len(kids) == 1 and stroke(kids[0].symbol):
                    ends.append((k + 0.5, kids[0].symbol, label, right))
        while len(ends) >= 2 and ends[-1][0] - ends[0][0] >= 1.5:
            (_, a, left_a, right_a), (_, b, left_b, right_b) = ends[0], ends[-1]
            boxa, boxb = symbols[a].bbox, symbols[b].bbox
            overlap = min(boxa.y2, boxb.y2) - max(boxa.y, boxb.y)
            if (overlap >= 0.5 * min(boxa.h, boxb.h) and max(boxa.h, boxb.h) <= 1.5 * min(boxa.h, boxb.h)
                    and bonus + gain(a, left_a, right_a) + gain(b, left_b, right_b) > 0):
                for i in (a, b):
                    if symbols[i].label != BAR:
                        p = dict(symbols[i].alternatives)[BAR]
                        symbols[i] = _relabelled(symbols[i], BAR, p)
            ends = ends[1:-1]
        for node in nodes:
            for child_relation, kids in node.children.items():
                row(kids, child_relation.value)

    row(tree.row, "start")
    return symbols


def balance_brackets(symbols: list[Symbol], *, least: float = COMMA_MIN) -> list[Symbol]:
    """Read as commas the closing brackets that no opening one matches (``E_{1})\\ldots``), and
    close the opening ones left open (``(n-11^{2}`` is ``(n-1)^{2}``).

    When an expression holds more ``)`` than ``(``, as many of its ``)`` as there are too many, those
    the classifier finds likeliest to be ``,`` (at least ``least``), become ``,``: a comma written
    large and curved reads as ``)``, and a bracket left open is rarer than a misread comma. When it
    holds more ``(``, as many symbols right of the first ``(`` (no brackets themselves), those likeliest
    to be ``)`` (at least ``least``), become ``)``: a ``)`` written straight reads as ``1``.
    """
    symbols = list(symbols)
    labels = [s.label for s in symbols]
    surplus = labels.count(CLOSE) - labels.count(OPEN)
    if surplus < 0:
        first = min(s.bbox.x for s in symbols if s.label == OPEN)
        close = {i: dict(s.alternatives).get(CLOSE, 0.0) for i, s in enumerate(symbols)
                 if s.bbox.x > first and s.label not in BRACKET_LABELS}
        for i in sorted(close, key=lambda i: -close[i])[:-surplus]:
            if close[i] >= least:
                symbols[i] = _relabelled(symbols[i], CLOSE, close[i])
        return symbols
    if surplus == 0:
        return symbols
    comma = {i: dict(s.alternatives).get(COMMA, 0.0) for i, s in enumerate(symbols) if s.label == CLOSE}
    for i in sorted(comma, key=lambda i: (-comma[i], symbols[i].bbox.h))[:surplus]:
        if comma[i] >= least:
            symbols[i] = _relabelled(symbols[i], COMMA, comma[i])
    return symbols


def match_brackets(symbols: list[Symbol], *, least: float = COMMA_MIN) -> list[Symbol]:
    """Make the kinds of brackets agree (``c(L+\\frac{1}{3}(a-b)]`` is ``c[L…]``).

    Brackets pair left to right. Where one kind is closed by another, whichever of the two is of a
    kind the expression holds more of than its partner takes the other's kind (the likelier one by
    the classifier, given at least ``least``); a closing bracket with nothing open before it, of a
    kind closed more often than opened, opens (``\\}1,s\\}``).
    """
    symbols = list(symbols)
    closing = {c: o for o, c in PAIRS.items()}

    def spare(label: str) -> bool:    # more of this bracket in the expression than of its partner
        labels = [s.label for s in symbols]
        return labels.count(label) > labels.count(PAIRS.get(label) or closing[label])

    def chance(i: int, label: str) -> float:
        return dict(symbols[i].alternatives).get(label, 0.0)

    stack: list[int] = []
    for i in sorted(range(len(symbols)), key=lambda i: symbols[i].bbox.x):
        label = symbols[i].label
        if label in PAIRS:
            stack.append(i)
        elif label in closing and stack:
            j = stack.pop()
            wanted = PAIRS[symbols[j].label]
            if wanted != label:
                close = chance(i, wanted) if spare(label) else 0.0
                open_ = chance(j, closing[label]) if spare(symbols[j].label) else 0.0
                if max(close, open_) >= least:
                    k, new, p = (i, wanted, close) if close >= open_ else (j, closing[label], open_)
                    symbols[k] = _relabelled(symbols[k], new, p)
        elif label in closing and spare(label) and chance(i, closing[label]) >= least:
            symbols[i] = _relabelled(symbols[i], closing[label], chance(i, closing[label]))
            stack.append(i)
    return symbols


def _relabelled(symbol: Symbol, label: str, p: float) -> Symbol:
    """``symbol`` read as ``label`` with probability ``p``, that first among its alternatives."""
    rest = tuple(ap for ap in symbol.alternatives if ap[0] != label)
    return replace(symbol, label=label, confidence=p, alternatives=((label, p),) + rest)


def reread_in_context(tree: Tree, symbols: list[Symbol], prior: ContextPrior, model: Relabeller) -> list[Symbol]:
    """:func:`rescore_in_context`, :func:`pair_bars`, :func:`balance_brackets`, then
    :func:`match_brackets`: the symbols as their context reads them."""
    return match_brackets(balance_brackets(pair_bars(tree, rescore_in_context(tree, symbols, prior, model), prior)))


def resolve_in_context(tree: Tree, symbols: list[Symbol]) -> tuple[Tree, list[Symbol]]:
    """Return the tree and symbols with superscript commas and lone minuses read as primes, and
    ``\\times`` as ``x`` where it multiplies nothing: at a row's end, with scripts, or beside an
    operator (``3\\times-\\sqrt{3}``, ``\\cos5\\times=``)."""
    symbols = list(symbols)

    def relabel(node: Node, label: str) -> str:
        if node.symbol is not None:
            old = symbols[node.symbol]
            symbols[node.symbol] = replace(old, label=label, alternatives=((label, old.confidence),) + old.alternatives[:4])
        return label

    def row(nodes: tuple[Node, ...], relation: Relation | None) -> tuple[Node, ...]:
        out = []
        for k, node in enumerate(nodes):
            label = node.label
            if relation is Relation.SUP and (label == "," or label == "-" and len(nodes) == 1 and not node.children):
                label = relabel(node, PRIME)
            elif label == TIMES and (k == 0 or k == len(nodes) - 1 or node.children
                                     or nodes[k - 1].label in OPERATORS or nodes[k + 1].label in OPERATORS):
                label = relabel(node, "x")
            out.append(Node(label, {r: row(kids, r) for r, kids in node.children.items()}, node.symbol))
        return tuple(out)

    return Tree(row(tree.row, None)), symbols
