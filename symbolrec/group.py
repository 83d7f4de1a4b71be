"""Group connected components that form one symbol (``=``, ``i``, ``÷``, ``≤``, ``\\ldots``, a
two-stroke ``\\pi``, a function name ``\\sin`` written letter by letter), letting the classifier
decide which groupings make a symbol."""

from __future__ import annotations

import numpy as np

from symbolrec._types import BBox, Component
from symbolrec.classify import JUNK, ROOT, Classifier, best_reading
from symbolrec.segment import merge

MAX_GAP = (0.35, 0.7)       # largest horizontal, vertical gap between parts, in reference heights
LEG_GAP = 0.15              # a part this close under a bar's end, in reference heights, is a leg (\pi), not a denominator
STROKE = 3.0                # ... or anywhere when it is a thin stroke, this many times as high as wide (a \pi's legs under an overhanging bar)
LEG_END = 0.3               # ... when its middle is within this share of the bar's width from an end (train_2014)
DOT_GAP = 0.9               # largest vertical gap between a dot and its symbol (an i's dot written high; train_2014)
MAX_SIZE = (3.0, 2.0)       # largest width, height of a multi-part symbol, in reference heights (a long \rightarrow, an i with a tall stem)
THRESHOLD = 0.7             # least probability of a merged reading (valid_2013: a plateau from 0.6 to 0.8; train_2014 every 8th: 569 / 571 / 572 at 0.8 / 0.7 / 0.6)
WORD_THRESHOLD = 0.95       # the same for a word, whose wrong runs the junk class never saw (valid_2013: 0.93-0.95)
CERTAIN = 0.99              # a merge read this surely is made though its parts read as surely apart (valid_2013)
WORDS = frozenset({r"\sin", r"\cos", r"\tan", r"\log", r"\lim"})   # CROHME's one-symbol words
MAX_WORD = (5.5, 3.0)       # largest width, height of a word, in reference heights (train_2014: 99th centile)
WORD_GAP = 0.7              # largest gap between a word's letters, in reference heights
MIN_INITIAL = 0.001         # least probability that a run's first part is a word's first letter (either case)
OPENERS = frozenset({JUNK, "1", "|"})   # what else a word's first part reads as: touching letters (co, lo), the l of lim
WORD_PARTS = 4              # most pieces in a word (l, ı, its dot, m)
BRACKETS = frozenset({"(", ")", "[", "]"})   # no letter of a word after its first reads surely as one ...
BRACKET_SURE = 0.9          # ... this surely (S(A) is no \sin; the l of log may read as '('; valid_2013: 0.9-0.97)
DOT = 0.35                  # largest size of a dot, in reference heights
ROOT_GAP = 0.3              # a root's bar starts this close to its tick's top end, in reference heights
DOT_ROOM = 0.8              # how far above a word's top its letters' dots reach, in reference heights
FOOTED = frozenset({"1"})   # symbols drawn with a foot (:func:`foot`): a bar whose middle lies
FOOT = 0.75                 # this far down the symbol at least; a symbol under the bar (overlapping
OVERLAP = 0.25              # this share of the narrower's width), starting under the symbol's bottom and at
FACING = 0.5                # most this far under the bar's (reference heights), makes it a fraction's bar
FLAT = 2                    # (train_2014: \frac{1}{3} read as a 1 with a foot); a bar, of this width to height at least, is no such symbol
LONE_FOOT = 1.0             # a foot drawn apart, which the classifier reads poorly with its 1, has no symbol this close under it
COMPOSED = {"=": {"-"}, r"\pm": {"+", "-"}, r"\geq": {r"\gt", "-"}, r"\leq": {r"\lt", "-"},
            r"\rightarrow": {"-", r"\gt"}, r"\div": {"-", "."}, "1": {"1", "-"}}   # symbols drawn with others (a 1 and its foot), and those others
STACKED = frozenset({"=", r"\pm", r"\geq", r"\leq"})   # ... stacked, their parts of like width:
SPAN = 2.0                  # the widest at most this many times the narrowest (a fraction bar over a minus is no =)


def gaps(a: BBox, b: BBox) -> tuple[float, float]:
    """Horizontal and vertical distance between two boxes (0 where they overlap)."""
    return (max(0, max(a.x, b.x) - min(a.x2, b.x2)), max(0, max(a.y, b.y) - min(a.y2, b.y2)))


def candidates(components: list[Component], reference: float) -> list[tuple[int, ...]]:
    """Pairs of nearby components small enough together to be one symbol, then the triples two
    such pairs make (``÷``, a three-stroke ``\\pi`` or ``\\ldots``, whose halves read as no symbol).

    Heights and vertical gaps are measured against the pair's own size where it is larger than
    ``reference``: a large ``\\sum`` and its top bar, a big ``E`` and its middle stroke, or a tall
    ``=`` whose bars are far apart but long. A root's tick and a bar drawn from its top may be any
    width together.
    """
    pairs = []
    for i, a in enumerate(components):
        for j in range(i + 1, len(components)):
            b = components[j]
            if b.bbox.x - a.bbox.x2 > MAX_GAP[0] * reference:
                break  # sorted by left edge: nothing further right can be close
            gx, gy = gaps(a.bbox, b.bbox)
            scale = max(reference, a.bbox.h, b.bbox.h, min(a.bbox.w, b.bbox.w))
            dot = _dot(a.bbox, reference) or _dot(b.bbox, reference)
            if (gx <= MAX_GAP[0] * reference and gy <= (DOT_GAP if dot else MAX_GAP[1]) * scale
                    and (_fits(a.bbox.union(b.bbox), scale) or _root(a.bbox, b.bbox, reference))
                    and not _fraction(a.bbox, b.bbox, reference)
                    and not _between(a.bbox, b.bbox, components)):
                pairs.append((i, j))
    return pairs + _triples(components, pairs, reference)


def _triples(components: list[Component], pairs: list[tuple[int, int]], reference: float) -> list[tuple[int, ...]]:
    """The triples of components linked by two of ``pairs`` that still fit one symbol."""
    linked: dict[int, set[int]] = {}
    for i, j in pairs:
        linked.setdefault(i, set()).add(j)
        linked.setdefault(j, set()).add(i)
    triples = set()
    for i, j in pairs:
        for k in (linked[i] | linked[j]) - {i, j}:
            triple = tuple(sorted((i, j, k)))
            box = components[triple[0]].bbox.union(components[triple[1]].bbox).union(components[triple[2]].bbox)
            if _fits(box, max(reference, *(components[n].bbox.h for n in triple))):
                triples.add(triple)
    return sorted(triples)


def word_runs(components: list[Component], reference: float) -> list[tuple[int, ...]]:
    """Runs of 2 to :data:`WORD_PARTS` components, left to right on one line, that may spell a word.

    A run skips what lies wholly below it (a limit under ``lim``) or far above it, and ends at a gap
    wider than :data:`WORD_GAP` or when it would outgrow :data:`MAX_WORD`.
    """
    runs = []
    for i, first in enumerate(components):
        run, box = [i], first.bbox
        for j in range(i + 1, len(components)):
            b = components[j].bbox
            if b.x - box.x2 > WORD_GAP * reference:
                break
            if b.y >= box.y2 or b.y2 < box.y - DOT_ROOM * reference:
                continue
            box = box.union(b)
            if box.w > MAX_WORD[0] * reference or box.h > MAX_WORD[1] * reference:
                break
            run.append(j)
            runs.append(tuple(run))
            if len(run) == WORD_PARTS:
                break
    return runs


def _likely_words(components: list[Component], probabilities: np.ndarray, words: np.ndarray,
                  starts: np.ndarray, brackets: np.ndarray, reference: float) -> list[tuple[int, ...]]:
    """The :func:`word_runs` worth reading: those whose first part may begin a word (``starts``: the
    classes of a word's first letter, either case, of :data:`OPENERS` and of the words themselves),
    that have no part after the first read as one of ``brackets`` at least :data:`BRACKET_SURE`,
    and that take in nothing but an ``i``'s dot beside a part already read as a word (``words``:
    the word classes)."""
    initial = probabilities[:, starts].sum(axis=1)
    whole = words[probabilities.argmax(axis=1)]
    bracket = probabilities[:, brackets].max(axis=1, initial=0) >= BRACKET_SURE

    return [run for run in word_runs(components, reference)
            if initial[run[0]] >= MIN_INITIAL and not bracket[list(run[1:])].any()
            and not (whole[list(run)].any() and not all(whole[i] or _dot(components[i].bbox, reference) for i in run))]


def _composed(label: str, parts: list[str], boxes: list[BBox]) -> bool:
    """Whether a merge read as ``label`` is made of parts read as the symbols it is drawn with
    (:data:`COMPOSED`: ``=`` of two ``-``, ``\\geq`` of ``>`` over ``-``), those stacked about as wide
    as each other (:data:`SPAN`)."""
    if label not in COMPOSED or not set(parts) <= COMPOSED[label]:
        return False
    widths = [box.w for box in boxes]
    return label not in STACKED or max(widths) <= SPAN * min(widths)


def _dot(box: BBox, reference: float) -> bool:
    """Whether ``box`` is no larger than a dot (:data:`DOT` reference heights each way)."""
    return max(box.w, box.h) <= DOT * reference


def _fraction(a: BBox, b: BBox, reference: float) -> bool:
    """A bar more than twice as wide as a (non-dot) symbol stacked over or under it: a fraction, not
    ``±`` (whose bar may be 1.7 times its plus) or ``≤``, nor ``→``, whose head spans its shaft's
    height, nor a ``\\pi`` whose leg starts at one end of its bar, or anywhere under it as a thin stroke
    (the classifier then tells a leg from a ``1`` in a denominator)."""
    bar, other = (a, b) if a.w * b.h > b.w * a.h else (b, a)
    beside = other.y < bar.cy < other.y2
    leg = (max(other.y - bar.y2, bar.y - other.y2) < LEG_GAP * reference
           and (min(other.cx - bar.x, bar.x2 - other.cx) < LEG_END * bar.w or STROKE * other.w <= other.h))
    return bar.w > 3 * bar.h and other.h > 0.3 * reference and bar.w > 2 * other.w and not beside and not leg


def _between(a: BBox, b: BBox, components: list[Component]) -> bool:
    """Whether some other component lies wholly between ``a`` and ``b``, one over the other, under
    both (the numerator of a fraction nested under another's bar: the two bars make no ``=``)."""
    top, bottom = (a, b) if a.y2 <= b.y else (b, a) if b.y2 <= a.y else (None, None)
    if top is None:
        return False
    return any(c.bbox.y >= top.y2 and c.bbox.y2 <= bottom.y and c.bbox.x < min(top.x2, bottom.x2)
               and c.bbox.x2 > max(top.x, bottom.x) for c in components)


def foot(a: BBox, b: BBox, components: list[Component], reference: float, facing: float = FACING) -> bool:
    """Whether the flatter of ``a`` and ``b`` can be the other's foot: a bar at its bottom, under
    it, with no symbol close under the bar (``\\frac{1}{3}``'s bar between the 1 and the 3 is no
    foot), counting one that starts higher than the bar's bottom, where the bar slants, but under
    the 1; a bar there is no symbol (the footed 1 of ``\\frac{1}{2}`` sits on the fraction's bar).
    ``facing``: how close under the bar a symbol makes it a fraction's (reference heights)."""
    bar, stem = (a, b) if a.w * b.h > b.w * a.h else (b, a)
    if bar.cy < stem.y + FOOT * stem.h or min(bar.x2, stem.x2) <= max(bar.x, stem.x):
        return False
    for c in components:
        box = c.bbox
        overlap = min(box.x2, bar.x2) - max(box.x, bar.x)
        if box != a and box != b and overlap >= OVERLAP * min(box.w, bar.w) and box.w < FLAT * box.h:
            if stem.y2 <= box.y and box.y - bar.y2 <= facing * reference:
                return False
    return True


def _root(a: BBox, b: BBox, reference: float) -> bool:
    """A root's tick and its bar drawn apart: a long flat bar starting where the tick ends, at its top."""
    tick, bar = (a, b) if a.x < b.x else (b, a)
    return (bar.w > 3 * bar.h and bar.w > 2 * tick.w and abs(bar.x - tick.x2) < ROOT_GAP * reference
            and abs(bar.y - tick.y) < ROOT_GAP * reference)


def _fits(box: BBox, reference: float) -> bool:
    return box.w <= MAX_SIZE[0] * reference and box.h <= MAX_SIZE[1] * reference


def group(components: list[Component], probabilities: np.ndarray, classifier: Classifier, reference: float,
          *, threshold: float = THRESHOLD, word_threshold: float = WORD_THRESHOLD) -> tuple[list[Component], np.ndarray]:
    """Merge nearby components while the merge reads as a multi-part symbol or a word, better than apart.

    Parameters
    ----------
    components : list of Component
        Sorted by left edge (as :func:`symbolrec.segment.segment` returns them).
    probabilities : (N, classes) ndarray
        The classifier's reading of each component.
    classifier : Classifier
        Scores the merged candidates; its ``info.multipart`` names the labels worth building (its
        ``info.seldom_multipart`` those built only when the merge reads at least :data:`CERTAIN`,
        but for a root's tick and bar drawn apart, which build ``\\sqrt`` as any multi-part symbol).
    reference : float
        Typical symbol height in pixels.
    threshold, word_threshold : float
        Least probability of a multi-part label (of a word: a run of :func:`word_runs`) for a
        merge to be made; it must also beat the product of the parts' own best probabilities,
        unless it reads at least :data:`CERTAIN` (a tall ``=`` whose bars each read as a sure ``-``)
        or is a symbol drawn with the ones its parts read as (:data:`COMPOSED`: ``\\geq`` of a sure
        ``>`` over a sure ``-``). A merge read as a ``1`` is made only of a 1 and its foot (:func:`foot`).

    Returns
    -------
    components, probabilities
        The grouped components (left to right) and each one's class probabilities.
    """
    components = list(components)
    multipart = np.array([label in classifier.info.multipart or label in COMPOSED for label in classifier.labels])
    seldom = np.array([label in classifier.info.seldom_multipart for label in classifier.labels])
    words = np.array([label in WORDS for label in classifier.labels])
    starts = words | [label in OPENERS or any(label in (w[1], w[1].upper()) for w in WORDS) for label in classifier.labels]
    brackets = np.array([label in BRACKETS for label in classifier.labels])
    # merges already read, by their parts' ids (every part stays alive, here or in the caller's list)
    read: dict[tuple[int, ...], tuple[Component, np.ndarray]] = {}
    while True:
        pairs = set(candidates(components, reference))
        runs = set(_likely_words(components, probabilities, words, starts, brackets, reference))
        groups = sorted(pairs | runs)
        if not groups:
            break
        keys = [tuple(id(components[i]) for i in g) for g in groups]
        new = [(key, merge([components[i] for i in g])) for key, g in zip(keys, groups) if key not in read]
        if new:
            scores = classifier.classify([m for _, m in new], reference)
            read.update((key, (m, p)) for (key, m), p in zip(new, scores))
        scores = np.stack([read[key][1] for key in keys])
        boxes = [[components[i].bbox for i in g] for g in groups]
        # a 1 and its foot drawn apart read as the 1 does (the classifier seldom saw the two apart)
        labels = [[classifier.labels[int(np.argmax(probabilities[i]))] for i in g] for g in groups]
        for n, g in enumerate(groups):
            stems = [i for i, label in zip(g, labels[n]) if label in FOOTED]
            if g in pairs and len(g) == 2 and len(stems) == 1 and "-" in labels[n] and foot(*boxes[n], components, reference, LONE_FOOT):
                scores[n] = probabilities[stems[0]]
        merged = [classifier.labels[int(np.argmax(s))] for s in scores]   # what each merge reads as
        # a pair may make a multi-part symbol, a run a word: each read surely enough, and better
        # than its parts read apart (their joint probability) or near certainly
        near_certain = np.where(seldom, scores, 0).max(axis=1)
        as_part = np.maximum(np.where(multipart, scores, 0).max(axis=1), np.where(near_certain >= CERTAIN, near_certain, 0))
        if ROOT in classifier.labels:   # a root's tick and bar drawn apart build it as any multi-part symbol
            rooted = [g in pairs and len(g) == 2 and _root(*box, reference) for g, box in zip(groups, boxes)]
            as_part = np.maximum(as_part, np.where(rooted, scores[:, classifier.labels.index(ROOT)], 0))
        as_part = as_part * [g in pairs for g in groups]
        as_word = np.where(words, scores, 0).max(axis=1) * [g in runs for g in groups]
        best = np.maximum(as_part, as_word)
        sure = np.where(as_word > as_part, word_threshold, threshold)
        apart = np.array([np.prod(best_reading(probabilities[list(g)], classifier.labels)) for g in groups])
        # a symbol drawn with others (= of two -) is built though its parts read as surely apart
        built = np.array([g in pairs and _composed(merged[n], labels[n], boxes[n]) for n, g in enumerate(groups)])
        # a 1 and its foot, not a 1 over a fraction bar
        footless = np.array([merged[n] in FOOTED and not (g in pairs and len(g) == 2 and foot(*boxes[n], components, reference))
                             for n, g in enumerate(groups)])
        gain = np.where((best >= sure) & ((best > apart) | (best >= CERTAIN) | built) & ~footless,
                        np.maximum(best - apart, 0), -1.0)
        k = int(np.argmax(gain))
        if gain[k] < 0:
            break
        keep = [n for n in range(len(components)) if n not in groups[k]]
        components = [components[n] for n in keep] + [read[keys[k]][0]]
        probabilities = np.concatenate([probabilities[keep], scores[k:k + 1]])
        order = sorted(range(len(components)), key=lambda n: (components[n].bbox.x, components[n].bbox.y))
        components = [components[n] for n in order]
        probabilities = probabilities[order]
    return components, probabilities
