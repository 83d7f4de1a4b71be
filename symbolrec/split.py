"""Split components that hold touching symbols (``2x``, ``(a``, a fraction bar on its digit): cut
hypotheses at the thinnest columns, where the ink thickens and along a long bar (a fraction bar,
or a root's bar with its tick, off what they touch), and for what surely is no symbol along the
least-ink paths between leaning letters; each piece is judged by the classifier, whose junk class
marks pieces that are no symbol; a component is cut, up to twice, where that reads best. A component
with a long bar, and junk that no cut parts well or only weakly, are also parted between the
strokes of their skeleton where they meet. A short fraction bar run into the one symbol over or
under it comes off where that symbol still reads as itself, and what touches a root's bar from
under it where the root still reads as one; an infinity right after a digit is two touching
zeros. A 1 is never parted from its foot, nor a bar from its other end."""

from __future__ import annotations

import cv2
import networkx as nx
import numpy as np

from symbolrec._types import BBox, Component
from symbolrec.classify import ROOT, best_label, best_reading, junk_probability
from symbolrec.group import FOOTED, foot
from symbolrec.segment import ink_box, merge

MIN_WIDTH = 0.6     # narrower components (in reference heights) are never cut (valid_2013: 0.5-0.6; 0.9 missed `us`)
VALLEYS = 4         # cut columns tried per component at the thinnest ink ...
STEPS = 2           # ... and where the ink thickens or thins most sharply
MARGIN = 1 / 6      # no cut in this share of the width at either end
SPACING = 0.1       # least distance between two cut columns, in reference heights
SURE_JUNK = 0.99    # a component read as junk this surely is also cut along paths (valid_2013: 0.9 / 0.99 / 0.999 best)
SEAM = 0.5          # how far such a path strays from its column, in reference heights (valid_2013: 0.15-0.5)
DEPTH = 2           # cuts within cuts: a piece of a cut may be cut once more
MIN_PART = 0.3      # least best reading of each piece of a cut (valid_2013: a plateau from 0.1 to 0.3)
GAIN = 1.5          # the pieces' joint reading must beat the whole's by this factor (valid_2013: flat from 1.2 to 3)
BAR = (1.0, 0.6)    # a bar is a horizontal run this long: in reference heights, and share of the width
CROSSED = 0.5       # a bar has ink just above or below it along at most this share of its length
TICK = 0.1          # a root's tick starts before this share of its bar's length (valid_2013: 0.02-0.25 alike)
SPUR = 0.15         # a skeleton branch this short (reference heights) with a free end is no stroke
STROKE_JUNK = 0.8   # a component read as junk this surely, and no cut reads well, is parted between its strokes (valid_2013: 0.7-0.9)
CLEAR_CUT = 0.8     # a cut whose pieces read jointly under this still lets the stroke partings be tried,
SURE_PARTING = 0.9  # and one of them that reads this surely, and better, is taken instead (valid_2013: 0.7-0.8 / 0.9-0.95 alike)
STROKES = 8         # components of more strokes than this are not parted along them
CRUMB = 0.03        # bits of the rest smaller than this (reference heights squared) stay with the bar
SHORT_BAR = (0.5, 0.8)     # a fraction bar run into the one symbol over or under it: this long, as BAR;
SHORT_PIECE = (0.5, 1.5)   # that symbol this high (reference heights: a \sum's base is no fraction bar);
EDGE = 0.1                 # the bar this close to the component's edge (reference heights, and a symbol's side);
FACING = 0.5               # a symbol this close on the bar's other side (train_2014: at 1.0 a 2 over a subscript lost its base);
UNSURE_WHOLE = 0.9         # and the whole read less surely than this, or as what is left without the bar (a 1's foot, not a 2's base)
ROOT_TOP = 0.25            # a root's bar: the columns whose ink starts in this top share of its height,
THICK = 1.5                # followed down this many times the pen's median thickness there;
HELD = 0.4                 # a piece under it this high (reference heights) comes off
SURE_PIECE = 0.5           # when it reads this surely (train_2014 halves: 6 mended, none lost)
INFINITY = r"\infty"        # never written right after a digit (train_2014: 0 times; 00 after one, 32): two touching 0s
WHOLE_BAR = (2.0, 0.9)   # a bar this long (reference heights) keeps this share of its columns in one piece of a stroke parting or seam (valid_2013: 313-314 from 1.5 to 2.5)


def _trim(mask: np.ndarray, box: BBox) -> Component | None:
    """The ink of ``mask`` (a piece of the component at ``box``) as a component, None when empty."""
    own = ink_box(mask)
    return None if own is None else Component(own.shifted(box.x, box.y), mask[own.slice()])


def cut(component: Component, x: int | np.ndarray) -> tuple[Component, Component] | None:
    """The pieces left and right of column ``x``, or of a path of one column per row (:func:`seam`);
    the path's own ink goes left where it joins the left piece, so a stroke ending on it stays
    whole. None when one side is empty."""
    mask = component.mask
    height, width = mask.shape
    bound = np.broadcast_to(np.asarray(x, int), (height,))
    left = mask & (np.arange(width)[None, :] < bound[:, None])
    rows, before = np.arange(height), np.clip(bound - 1, 0, width - 1)
    beside = left[rows, before] & (bound > 0)        # left ink just before the path: same row, or one up or down
    joins = beside.copy()
    joins[1:] |= beside[:-1]
    joins[:-1] |= beside[1:]
    on = (bound < width) & joins
    on[on] = mask[rows[on], bound[on]]
    left[rows[on], bound[on]] = True
    pieces = _trim(left, component.bbox), _trim(mask & ~left, component.bbox)
    return None if pieces[0] is None or pieces[1] is None else pieces


def seam(mask: np.ndarray, x: int, band: int) -> np.ndarray:
    """The path from top to bottom, one column per row and moving at most one column a row, that
    crosses least ink within ``band`` columns of ``x`` (nearest ``x`` among equals): a cut between
    touching symbols that lean into each other (``2s``, ``da``), where no straight column parts them."""
    lo, hi = max(1, x - band), min(mask.shape[1] - 1, x + band + 1)
    cost = mask[:, lo:hi].astype(float) + 1e-3 * np.abs(np.arange(lo, hi) - x)   # straight where it can
    total = cost[0].copy()
    step = np.zeros(cost.shape, int)
    for y in range(1, len(cost)):
        options = np.stack([np.r_[np.inf, total[:-1]], total, np.r_[total[1:], np.inf]])
        step[y] = options.argmin(axis=0) - 1
        total = cost[y] + options.min(axis=0)
    path = np.empty(len(cost), int)
    path[-1] = int(total.argmin())
    for y in range(len(cost) - 1, 0, -1):
        path[y - 1] = path[y] + step[y, path[y]]
    return path + lo


def columns(component: Component, reference: float) -> list[int]:
    """Where to try cutting: the columns with least ink and those where the ink's height steps most,
    away from the ends and apart from each other."""
    profile = component.mask.sum(axis=0).astype(float)
    width = len(profile)
    low, high = max(1, round(width * MARGIN)), width - max(1, round(width * MARGIN))
    if high <= low:
        return []
    span = np.arange(low, high)
    thin = sorted(span, key=lambda x: (profile[x], abs(x - width / 2)))
    steps = np.abs(np.diff(profile))                       # steps[x]: between columns x and x + 1
    sharp = sorted(span, key=lambda x: -max(steps[x - 1], steps[x] if x < width - 1 else 0))
    chosen: list[int] = []
    for ranked, wanted in ((thin, VALLEYS), (sharp, VALLEYS + STEPS)):
        for x in ranked:
            if len(chosen) >= wanted:
                break
            if all(abs(x - c) >= max(2.0, SPACING * reference) for c in chosen):
                chosen.append(int(x))
    return chosen


def _longest_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's longest horizontal run of ink (the leftmost of equals): its length and its first column."""
    height = mask.shape[0]
    edges = np.diff(np.pad(mask.view(np.int8), ((0, 0), (1, 1))), axis=1)
    rows, begins = np.nonzero(edges == 1)
    ends = np.nonzero(edges == -1)[1]              # row-major order: each run's end pairs its start
    lengths, starts = np.zeros(height, int), np.zeros(height, int)
    order = np.lexsort((begins, begins - ends, rows))   # by row, longest first, then leftmost
    first = order[np.unique(rows[order], return_index=True)[1]]
    lengths[rows[first]], starts[rows[first]] = ends[first] - begins[first], begins[first]
    return lengths, starts


def _bar_rows(mask: np.ndarray, reference: float, bar: tuple[float, float] = BAR
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float] | None:
    """The rows of a horizontal bar in ``mask`` at least ``bar`` long (see :data:`BAR`; each row
    widened a pixel up and down, so that a slightly tilted bar still makes long runs), with each
    row's longest run's length and start and the length a bar needs; None without such a bar."""
    level = mask.copy()
    level[1:] |= mask[:-1]
    level[:-1] |= mask[1:]
    need = max(bar[0] * reference, bar[1] * mask.shape[1])
    if np.count_nonzero(level, axis=1).max() < need:   # no row holds that much ink, let alone a run of it
        return None
    lengths, starts = _longest_runs(level)
    rows = np.flatnonzero(lengths >= need)
    if not len(rows) or rows[-1] - rows[0] + 1 != len(rows) or len(rows) > 0.3 * reference:
        return None
    return rows, lengths, starts, need


def bar_pieces(component: Component, reference: float) -> tuple[Component, ...] | None:
    """A long horizontal bar taken out of the ink it touches (a fraction bar joined to its digits):
    the bar, then each connected piece of the rest. None without such a bar or anything beside it."""
    found = _bar_rows(component.mask, reference)
    return None if found is None else _bar_off(component, reference, found)


def _bar_off(component: Component, reference: float, found) -> tuple[Component, ...] | None:
    """:func:`bar_pieces` once :func:`_bar_rows` has ``found`` the bar's rows."""
    mask = component.mask
    height, width = mask.shape
    rows, lengths, starts, need = found
    own = _longest_runs(mask)[0]         # the widened band's edge rows, unless the bar itself runs there
    rows = rows[(own[rows] >= need / 2) | ((rows > rows[0]) & (rows < rows[-1]))]
    if not len(rows):                    # a staircase of short runs: a slanted stroke
        return None
    x0, x1 = starts[rows].min(), (starts[rows] + lengths[rows]).max()
    beside = mask[[y for y in (rows[0] - 1, rows[-1] + 1) if 0 <= y < height], x0:x1]
    if beside.any(axis=0).mean() > CROSSED:     # strokes cross it: letters joined, not a bar
        return None
    bar = np.zeros_like(mask)
    bar[rows[0]:rows[-1] + 1, x0:x1] = mask[rows[0]:rows[-1] + 1, x0:x1]
    return _taken_off(component, bar, reference)


def _taken_off(component: Component, bar: np.ndarray, reference: float) -> tuple[Component, ...] | None:
    """The ``bar`` (a mask of the component's) and each connected piece of the rest, the rest's
    crumbs given to the bar; None when nothing but crumbs is left."""
    mask = component.mask
    count, labels, stats, _ = cv2.connectedComponentsWithStats((mask & ~bar).astype(np.uint8), connectivity=8)
    rest = []
    for k in range(1, count):
        if stats[k, cv2.CC_STAT_AREA] < CRUMB * reference ** 2:
            bar |= labels == k
        else:
            rest.append(labels == k)
    if not rest:
        return None
    return tuple(_trim(piece, component.bbox) for piece in [bar, *rest])


def edge_bar_pieces(component: Component, others: list[BBox], reference: float) -> tuple[Component, ...] | None:
    """A short fraction bar joined to the one symbol over it (the foot of a ``1`` run into the bar
    of ``\\frac{1}{3}``) or under it, taken off as :func:`bar_pieces` does: the bar runs along the
    component's bottom (top) edge, past the rest at one end at least, under (over) the middle of
    each piece of the rest, which is of a symbol's height (``SHORT_PIECE``); and the nearest of ``others``
    centred under (over) the bar lies within ``FACING`` reference heights and is no bar itself.
    None otherwise."""
    found = _bar_rows(component.mask, reference, SHORT_BAR)
    if found is None:
        return None
    rows, lengths, starts, _ = found
    box, edge = component.bbox, max(2, round(EDGE * reference))
    x0, x1 = box.x + starts[rows].min(), box.x + (starts[rows] + lengths[rows]).max()
    bottom = rows[-1] >= box.h - edge
    if bottom:
        gaps = [(b.y - box.y2, b) for b in others if x0 <= b.cx <= x1 and b.y >= box.y2 - edge]
    elif rows[0] < edge:
        gaps = [(box.y - b.y2, b) for b in others if x0 <= b.cx <= x1 and b.y2 <= box.y + edge]
    else:
        return None
    if not gaps:
        return None
    gap, facing = min(gaps, key=lambda g: g[0])
    if gap > FACING * reference or facing.w >= 2 * facing.h:
        return None
    bar = np.zeros_like(component.mask)
    band = slice(rows[0], None) if bottom else slice(0, rows[-1] + 1)
    bar[band, x0 - box.x:x1 - box.x] = component.mask[band, x0 - box.x:x1 - box.x]
    pieces = _taken_off(component, bar, reference)
    if pieces is None or any(not x0 <= p.bbox.cx <= x1 or not SHORT_PIECE[0] <= p.bbox.h / reference <= SHORT_PIECE[1]
                             or x0 + edge > p.bbox.x and p.bbox.x2 > x1 - edge for p in pieces[1:]):
        return None
    return pieces


def strokes(mask: np.ndarray, reference: float) -> tuple[np.ndarray, nx.Graph] | None:
    """The mask's skeleton broken into strokes at its junctions: a label image (0 off the skeleton)
    and the graph of strokes that meet at a junction. None without a junction."""
    from skimage.morphology import skeletonize   # here: importing it costs 0.3 s, and most images never need it

    skeleton = skeletonize(mask)
    box = np.ones((3, 3), np.uint8)
    neighbours = cv2.filter2D(skeleton.astype(np.uint8), -1, box, borderType=cv2.BORDER_CONSTANT) - 1
    zones = cv2.dilate((skeleton & (neighbours >= 3)).astype(np.uint8), box).astype(bool) & skeleton
    if not zones.any():
        return None
    count, branch = cv2.connectedComponents((skeleton & ~zones).astype(np.uint8), connectivity=8)
    joints, joint = cv2.connectedComponents(zones.astype(np.uint8), connectivity=8)
    touching = [set(np.unique(branch[cv2.dilate((joint == j).astype(np.uint8), box).astype(bool)])) - {0}
                for j in range(1, joints)]
    sizes = np.bincount(branch.ravel(), minlength=count)
    spur = {b for b in range(1, count)
            if sizes[b] < SPUR * reference and sum(b in t for t in touching) == 1}
    stroke_of = nx.utils.UnionFind(b for b in range(1, count) if b not in spur)
    for meeting in touching:
        if len(meeting - spur) == 2:             # two branches through a spur's junction: one stroke
            stroke_of.union(*(meeting - spur))
    branch = np.array([0] + [0 if b in spur else stroke_of[b] for b in range(1, count)])[branch]
    graph = nx.Graph()
    graph.add_nodes_from(stroke_of[b] for b in range(1, count) if b not in spur)
    for meeting in touching:
        kept = sorted({stroke_of[b] for b in meeting - spur})
        graph.add_edges_from((a, b) for i, a in enumerate(kept) for b in kept[i + 1:])
    return branch, graph


def stroke_pieces(component: Component, reference: float) -> list[tuple[Component, Component]]:
    """The ways to part a component between strokes that meet (``t`` touching ``e``, a ``)``
    leaning on a ``d``, where no column or seam parts them): each ink pixel goes with its nearest
    stroke of the skeleton, and each split of the strokes into two sets that each hang together is
    a way. No way for a component of one stroke, or of more than :data:`STROKES`."""
    found = strokes(component.mask, reference)
    if found is None or not 2 <= len(found[1]) <= STROKES:
        return []
    branch, graph = found
    _, nearest = cv2.distanceTransformWithLabels((branch == 0).astype(np.uint8), cv2.DIST_L2, 5,
                                                 labelType=cv2.DIST_LABEL_PIXEL)
    owner = np.zeros(nearest.max() + 1, branch.dtype)
    owner[nearest[branch > 0]] = branch[branch > 0]    # each skeleton pixel is its own label's nearest
    owner = owner[nearest]
    nodes = sorted(graph)
    ways = []
    for bits in range(1, 2 ** (len(nodes) - 1)):
        side = {n for i, n in enumerate(nodes[1:]) if bits >> i & 1}
        rest = set(nodes) - side
        if nx.is_connected(graph.subgraph(side)) and nx.is_connected(graph.subgraph(rest)):
            one = component.mask & np.isin(owner, list(side))
            pieces = _trim(one, component.bbox), _trim(component.mask & ~one, component.bbox)
            if pieces[0] is not None and pieces[1] is not None:
                ways.append(tuple(sorted(pieces, key=lambda p: p.bbox.x)))
    return ways


def _keeps_bar(way: tuple[Component, ...], component: Component, found, reference: float) -> bool:
    """Whether one piece of ``way`` holds a long bar (``found`` by :func:`_bar_rows`) nearly whole: a
    stroke parting may take what touches or crosses a fraction bar off it, but not the end of the
    bar beyond a letter that touches it (``q`` on a bar given the bar's right end, read as ``2``)."""
    rows, lengths, starts, _ = found
    x0, x1 = starts[rows].min(), (starts[rows] + lengths[rows]).max()
    if x1 - x0 < WHOLE_BAR[0] * reference:
        return True
    band = slice(rows[0], rows[-1] + 1)
    columns = component.mask[band, x0:x1].any(axis=0)
    for piece in way:
        own = np.zeros_like(component.mask)
        own[piece.bbox.shifted(-component.bbox.x, -component.bbox.y).slice()] = piece.mask
        if (own[band, x0:x1].any(axis=0) & columns).sum() >= WHOLE_BAR[1] * columns.sum():
            return True
    return False


def root_pieces(bar_cut: tuple[Component, ...] | None) -> tuple[Component, ...] | None:
    """A root touching what it holds, from :func:`bar_pieces`' cut: the bar with its tick (the
    pieces that start left of the bar's start) as one piece, then the rest. None without both."""
    if bar_cut is None:
        return None
    bar, *rest = bar_cut
    tick = [p for p in rest if p.bbox.x < bar.bbox.x + TICK * bar.bbox.w]
    held = [p for p in rest if p not in tick]
    return (merge([bar, *tick]), *held) if tick and held else None


def candidates(component: Component, reference: float, seams: bool = False) -> list[tuple[Component, ...]]:
    """The ways to cut a component (none when it is narrower than ``MIN_WIDTH`` reference heights):
    left/right pieces at each of :func:`columns`; where it has a bar, :func:`bar_pieces`,
    :func:`root_pieces` and :func:`stroke_pieces` (for a bar that leans, or that what touches it
    crosses); and with ``seams`` the pieces either side of a :func:`seam` from each of the thinnest
    columns. Neither a stroke parting nor a seam breaks a long bar (:func:`_keeps_bar`).

    Seams are for components the classifier surely reads as no symbol: its junk class learned the
    pieces of straight cuts only, so a seam's clean halves of a single symbol could pass for two.
    """
    return _cuts(component, reference, seams)[0]


def every_cut(component: Component, reference: float) -> list[tuple[Component, ...]]:
    """Every way the splitter may try on ``component``: its :func:`candidates` with seams, and its
    :func:`stroke_pieces` where it has no bar (with one, they are among the candidates)."""
    ways, bar = _cuts(component, reference, seams=True)
    return ways if bar else ways + stroke_pieces(component, reference)


def _cuts(component: Component, reference: float, seams: bool) -> tuple[list[tuple[Component, ...]], bool]:
    """:func:`candidates`, and whether the component has a bar (a narrow one never has)."""
    if component.bbox.w < MIN_WIDTH * reference:
        return [], False
    xs = columns(component, reference)
    found = _bar_rows(component.mask, reference)
    bar = None if found is None else _bar_off(component, reference, found)
    pieces = [cut(component, x) for x in xs] + [bar, root_pieces(bar)]
    bent = stroke_pieces(component, reference) if found is not None else []   # cuts that follow the ink
    if seams:
        band = max(1, round(SEAM * reference))
        bent += [cut(component, seam(component.mask, x, band)) for x in xs[:VALLEYS]]
    if found is not None:
        bent = [way for way in bent if way is not None and _keeps_bar(way, component, found, reference)]
    return [p for p in pieces + bent if p is not None], found is not None


def _read(component: Component, p: np.ndarray, classifier) -> tuple[Component, np.ndarray, float]:
    """A piece as the splitter carries it: the component, its probabilities, its best reading."""
    return component, p, float(best_reading(p, classifier.labels))


def _best(component: Component, p: np.ndarray, classifier, reference: float, depth: int):
    """The best reading of ``component``: whole, or cut where its pieces (themselves cut again while
    ``depth`` allows) each read at least ``MIN_PART`` and jointly ``GAIN`` times better than the
    whole; parted between its strokes only where no cut does, or where the cut reads under
    ``CLEAR_CUT`` and a parting reads ``SURE_PARTING`` and better. Returns the pieces as (component,
    probabilities, best reading) triples."""
    whole = [_read(component, p, classifier)]
    if depth == 0 or GAIN * whole[0][2] >= 1:   # no pieces can read GAIN times better than that
        return whole
    junk = junk_probability(p, classifier.labels)
    ways, bar = _cuts(component, reference, seams=junk >= SURE_JUNK)

    def tries():   # the stroke partings only once a cut reads too poorly to stop at
        yield ways
        if not bar and junk >= STROKE_JUNK:   # with a bar, its strokes are among the cuts
            yield stroke_pieces(component, reference)

    found, score = whole, GAIN * whole[0][2]
    for tried in tries():
        best = _best_way(tried, classifier, reference, depth)
        joint = 0.0 if best is None else float(np.prod([r for _, _, r in best]))
        if joint > score and (found is whole or joint >= SURE_PARTING):
            found, score = best, joint
        if found is not whole and score >= CLEAR_CUT:
            break
    return found


def _best_way(ways, classifier, reference: float, depth: int):
    """Of ``ways`` to cut, the two that read best (ties: the first), each piece read further; the
    better of them whose pieces each read at least ``MIN_PART``, or None."""
    if not ways:
        return None
    flat = [piece for pieces in ways for piece in pieces]
    scores = np.split(classifier.classify(flat, reference), np.cumsum([len(pieces) for pieces in ways])[:-1])
    joint = [best_reading(s, classifier.labels).prod() for s in scores]
    best, best_score = None, 0.0
    for k in np.argsort(-np.array(joint), kind="stable")[:2]:
        pieces = [triple for piece, q in zip(ways[k], scores[k])
                  for triple in _best(piece, q, classifier, reference, depth - 1)]
        readings = [r for _, _, r in pieces]
        if min(readings) >= MIN_PART and np.prod(readings) > best_score:
            best, best_score = pieces, float(np.prod(readings))
    return best


def _edge_bar_off(component: Component, p: np.ndarray, others: list[BBox], classifier, reference: float):
    """The pieces of :func:`edge_bar_pieces` as :func:`_best` gives them (each read on once more),
    when each reads at least ``MIN_PART`` and the whole reads under ``UNSURE_WHOLE`` or as what
    is left without the bar; None otherwise."""
    pieces = edge_bar_pieces(component, others, reference)
    if pieces is None:
        return None
    readings = classifier.classify(list(pieces), reference)
    if best_reading(readings, classifier.labels).min() < MIN_PART or not (
            best_reading(p, classifier.labels) < UNSURE_WHOLE
            or len(pieces) == 2 and best_label(readings[1], classifier.labels) == best_label(p, classifier.labels)):
        return None
    return [triple for piece, q in zip(pieces, readings) for triple in _best(piece, q, classifier, reference, DEPTH - 1)]


def root_bar_pieces(component: Component, reference: float) -> tuple[Component, ...] | None:
    """A root and what touches its bar from under it (an exponent written up against the bar):
    the bar followed along the top of the ink, column by column, at the pen's thickness, however it
    slants; the root is that band with the tick and crumbs, then each other piece of a symbol's height
    (``HELD`` reference heights) under the bar short of its end (the hook there is the root's own)
    and above the root's lowest ink (its vertex, where the stroke rising to the bar starts).
    None without such a piece."""
    mask = component.mask
    height = mask.shape[0]
    inked = mask.any(axis=0)
    top = np.where(inked, mask.argmax(axis=0), height)
    high = inked & (top < ROOT_TOP * height)                 # columns whose ink starts near the top: the bar
    if high.sum() < MIN_WIDTH * reference:
        return None
    rows = np.arange(height)[:, None]
    under = rows >= top[None, :]
    gap = np.where((under & ~mask).any(axis=0), (under & ~mask).argmax(axis=0), height)   # first blank under the top
    thick = int(np.ceil(THICK * np.median((gap - top)[high])))
    band = mask & under & (rows < top[None, :] + thick) & high[None, :]
    pieces = _taken_off(component, band, reference)
    if pieces is None:
        return None
    columns = component.bbox.x + np.flatnonzero(high)
    start, bar_end = columns[0], columns[-1]
    lowest = component.bbox.y2 - EDGE * reference   # the root's vertex is its lowest ink
    held = [p for p in pieces[1:] if p.bbox.h >= HELD * reference and p.bbox.x > start
            and p.bbox.x2 < bar_end - EDGE * reference and p.bbox.y2 < lowest]
    if not held:
        return None
    return (merge([p for p in pieces if not any(p is h for h in held)]), *held)


def _root_off(component: Component, p: np.ndarray, classifier, reference: float):
    """A component read as a root parted by :func:`root_bar_pieces`, as :func:`_best` gives the
    pieces, when the root still reads as one and each other piece at least ``SURE_PIECE``; None
    otherwise. A root reads surely with or without what touches it, so no cut reads ``GAIN`` times better."""
    if ROOT not in classifier.labels or best_label(p, classifier.labels) != ROOT:
        return None
    pieces = root_bar_pieces(component, reference)
    if pieces is None:
        return None
    readings = classifier.classify(list(pieces), reference)
    if best_label(readings[0], classifier.labels) != ROOT or best_reading(readings[1:], classifier.labels).min() < SURE_PIECE:
        return None
    return [_read(pieces[0], readings[0], classifier)] + [
        triple for piece, q in zip(pieces[1:], readings[1:]) for triple in _best(piece, q, classifier, reference, DEPTH - 1)]


def _footed(pieces, components: list[Component], classifier, reference: float) -> bool:
    """Whether ``pieces`` are a ``1`` and its foot (:func:`symbolrec.group.foot`), which no cut parts."""
    if len(pieces) != 2:
        return False
    labels = [best_label(q, classifier.labels) for _, q, _ in pieces]
    return "-" in labels and any(label in FOOTED for label in labels) and foot(
        pieces[0][0].bbox, pieces[1][0].bbox, components, reference)


def _after_digit(k: int, components: list[Component], probabilities: np.ndarray, classifier, reference: float) -> bool:
    """Whether component ``k`` follows one read as a digit on its line: the nearest on its left, within
    ``FACING`` reference heights, their rows overlapping by half the shorter one's height."""
    box = components[k].bbox
    beside = [j for j, c in enumerate(components) if j != k and c.bbox.x < box.x and box.x - c.bbox.x2 <= FACING * reference
              and min(c.bbox.y2, box.y2) - max(c.bbox.y, box.y) >= 0.5 * min(c.bbox.h, box.h)]
    if not beside:
        return False
    j = max(beside, key=lambda j: components[j].bbox.x2)
    return best_label(probabilities[j], classifier.labels).isdigit()


def _zeros_off(component: Component, p: np.ndarray, k: int, components: list[Component], probabilities: np.ndarray,
               classifier, reference: float):
    """A component read as ``\\infty`` right after a digit, cut at the column where its two pieces
    read best as digits (``100``'s touching zeros), as (component, probabilities, best reading)
    triples; None otherwise."""
    if best_label(p, classifier.labels) != INFINITY or not _after_digit(k, components, probabilities, classifier, reference):
        return None
    ways = [way for way in (cut(component, x) for x in columns(component, reference)) if way is not None]
    if not ways:
        return None
    readings = classifier.classify([piece for way in ways for piece in way], reference).reshape(len(ways), 2, -1)
    scored = [(float(best_reading(r, classifier.labels).prod()), n) for n, r in enumerate(readings)
              if all(best_label(q, classifier.labels).isdigit() for q in r)]
    if not scored:
        return None
    n = max(scored)[1]
    return [_read(piece, q, classifier) for piece, q in zip(ways[n], readings[n])]


def rejoin_bars(pieces: list[Component], readings: np.ndarray, classifier,
                reference: float) -> tuple[list[Component], np.ndarray]:
    """The pieces of one component, and their readings, with any two read as ``-`` that meet end to
    end joined again into one bar (a slanting fraction bar crossed by a letter has its two ends
    parted off as minus signs) and read again."""
    pieces, readings = list(pieces), np.asarray(readings)
    while True:
        bars = [k for k, q in enumerate(readings) if best_label(q, classifier.labels) == "-"]
        pair = next(((i, j) for i in bars for j in bars if i < j and _end_to_end(pieces[i].bbox, pieces[j].bbox, reference)), None)
        if pair is None:
            return pieces, readings
        keep = [k for k in range(len(pieces)) if k not in pair]
        bar = merge([pieces[k] for k in pair])
        pieces = [pieces[k] for k in keep] + [bar]
        readings = np.concatenate([readings[keep], classifier.classify([bar], reference)])


def _end_to_end(a: BBox, b: BBox, reference: float) -> bool:
    """Whether two bars meet end to end: side by side, at most ``EDGE`` reference heights apart, their rows overlapping."""
    left, right = (a, b) if a.x <= b.x else (b, a)
    return right.x - left.x2 <= EDGE * reference and min(a.y2, b.y2) > max(a.y, b.y)


def split(components: list[Component], probabilities: np.ndarray, classifier,
          reference: float) -> tuple[list[Component], np.ndarray]:
    """Cut wide components where their pieces read as clear symbols, far better than the whole,
    take short fraction bars off the symbols run into them (:func:`edge_bar_pieces`) and roots off
    what touches their bars (:func:`root_bar_pieces`).

    Parameters
    ----------
    components, probabilities
        Components (left to right) and their class probabilities.
    classifier
        A :class:`~symbolrec.classify.Classifier` (``labels`` and ``classify``).
    reference : float
        Typical symbol height in pixels.

    Returns
    -------
    components, probabilities
        With each accepted cut replaced by its pieces, left to right.
    """
    out = []
    for k, (component, p) in enumerate(zip(components, probabilities)):
        others = [c.bbox for j, c in enumerate(components) if j != k]
        pieces = (_edge_bar_off(component, p, others, classifier, reference)
                  or _root_off(component, p, classifier, reference)
                  or _zeros_off(component, p, k, components, probabilities, classifier, reference)
                  or _best(component, p, classifier, reference, DEPTH))
        if _footed(pieces, components, classifier, reference):
            pieces = [_read(component, p, classifier)]
        parts, readings = rejoin_bars([c for c, _, _ in pieces], np.array([q for _, q, _ in pieces]), classifier, reference)
        out.extend(_read(c, q, classifier) for c, q in zip(parts, readings))
    out.sort(key=lambda item: (item[0].bbox.x, item[0].bbox.y))
    return [c for c, _, _ in out], np.array([p for _, p, _ in out]).reshape(len(out), -1)
