"""Symbols → relation graph → expression tree.

Containers claim their contents first (fraction bars, then the widest first): a fraction bar its
rows above and below, a root the symbols inside it, a large operator its limits. What is left of
each row is read in one of two ways. With a row scorer (:class:`layout.scorer.EdgeScorer`) every
candidate (parent, child) edge of the row is scored at once and the row's tree is the maximum
spanning arborescence over those scores (:mod:`layout.arborescence`), kept to the shape LaTeX
needs (:mod:`layout.rules`: brackets pair within a row, relation symbols stay off script rows, a
script row ends before a symbol on its base's line). With a pairwise scorer the
row is read left to right, the scorer deciding for each item whether it is right of, above or
below the current base. Every decision becomes an edge of a networkx graph, with the relation and
its probability.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import networkx as nx

from layout._tree import Node, Relation, Tree
from layout.arborescence import best_tree, edge_graph, end_scripts, flatten_scripts
from layout.rules import BRACKET_LABELS, JOINERS, LIMIT_OPERATORS, RELATION_SYMBOLS, bracket_pairs, level_pairs
from layout.scorer import GeometricScorer, Item, RowScorer, Scorer
from symbolrec import BBox, HandmathError, Symbol
from symbolrec.group import gaps

BAR = 0.4  # a "-" at least this wide (in reference heights) may be a fraction bar
CLEAR = 0.2  # how far (in reference heights) a symbol's middle must be above or below a bar to join its row
REACH = 1.0   # an operator's limits start past its far edge (share of its height from the near edge)
LIMIT_GAP = 1.0   # and lie up to this many of its heights off it, when that is more than NEAR (a tall \sum's
                  # limits far below it; train_2014: 5 mended at 0.7-1.0, 1.5 lost one)
LIMIT_MARGIN = 1.0   # and grow up to this many of its widths past its sides (x\rightarrow+\infty under a lim; train_2014: 0.6-1.5 alike)
INDEX = 0.5  # a root's index is at most this share of the root's height (valid_2013)
INDEX_DEPTH = 0.5   # its middle at most this share of the root's height below the root's top,
INDEX_REACH = 0.3   # and this far right of its left edge (train_2014: each holds 95 % of the indices, 1 % of the first contents)
TICK = 0.25  # a root's contents start this share of its height past its left edge (its tick; valid_2013)
OVERHANG = 0.2   # and end where a symbol's middle lies this share of its height past its bar's end (the last letter
                 # written beyond a bar too short: train_2014 parser alone 6707 at 0.1, 6712 at 0.2; 0.3 lost \sqrt{-1}\times on valid_2013)
SCRIPT_PAST = (0.2, 0.6, 0.05, 0.8)   # the last symbol's superscript past the bar starts within 0.2 of that symbol's height of its end,
                                      # its middle within 0.6 of the root's height past the bar's end, its top under the bar's top (by
                                      # 0.05 of the root's height), at most 0.8 as high (train_2014 parser alone 6712 -> 6715)
CONTAINERS = LIMIT_OPERATORS | {r"\sqrt", "-"}   # what holds rows of its own, never a row crossing a bar
NEAR = 1.2  # how far (in reference heights) a row may reach from its container or neighbour
GROW = 1.4  # and grow from its own symbols: 0.6 of it sideways, half of it up or down (train_2014: 1.2 -> 1.4
            # mended 20, among them 4 quadratic formulas, and lost 4; 1.5 lost an integral's limit on valid_2013)
SIGN_LEVEL = 0.5   # a sign left of a fraction bar, its middle this close to the bar's (reference heights), is
                   # the fraction's own: -\frac{1}{2}, not \frac{-1}{2} (train_2014: 0.4-0.8 alike; a numerator's sign sits higher)
LEAD = 0.5   # a fraction row reaches past its bar's start this share of how far it reaches past its end: what
             # comes before a fraction is often an operator's limit (\int_{a}^{b}\frac, \log_{2}\frac{1}{2}; train_2014: 0.5;
             # 0 took the sign of -b in the quadratic formula's numerator out, 0.75 mends fewer)
OPERATOR_SCRIPT = 0.6   # what starts this close past a large operator before a fraction bar (reference heights)
                        # is its script: \int_{a}^{b}\frac{...} (train_2014: 0.3-1.0 alike)
RUN_ON = 0.3   # a fraction row runs on past its bar's end to what follows it this closely (reference heights):
               # \frac{e^{2}}{r^{2}} with the last 2 out beyond a short bar (train_2014: 0.1-0.3; 0.5 takes (\frac{a}{b})^{x}'s x)


class LayoutError(HandmathError, ValueError):
    """No tree could be built over the symbols."""


@dataclass(frozen=True)
class Parse:
    """The tree and the graph it was taken from (nodes are symbol indices)."""

    tree: Tree
    graph: nx.DiGraph


@dataclass
class _Unit:
    index: int
    item: Item
    children: dict


def parse(symbols: list[Symbol], reference: float, scorer: Scorer | RowScorer | None = None) -> Parse:
    """Build the expression tree over ``symbols`` (boxes and labels) and its relation graph.

    Raises
    ------
    LayoutError
        If ``symbols`` is empty.
    """
    if not symbols:
        raise LayoutError("no symbols to lay out")
    scorer = scorer or GeometricScorer()
    graph = nx.DiGraph()
    for i, s in enumerate(symbols):
        graph.add_node(i, label=s.label, bbox=s.bbox, confidence=s.confidence)
    row = _Parser(symbols, reference, scorer, graph).row(set(range(len(symbols))))
    return Parse(Tree(row), graph)


class _Parser:
    def __init__(self, symbols, reference, scorer, graph):
        self.symbols, self.reference, self.scorer, self.graph = symbols, reference, scorer, graph

    def box(self, i: int) -> BBox:
        return self.symbols[i].bbox

    # -- containers --------------------------------------------------------------------------
    def _grow(self, seeds: set[int], pool: set[int], allowed) -> set[int]:
        """Add to ``seeds`` the symbols of ``pool`` near them (within :data:`GROW` reference heights),
        then those whose middle lies within the grown row's box (a ``-`` between two fractions)."""
        near = GROW * self.reference
        found, frontier = set(seeds), list(seeds)
        while frontier:
            a = self.box(frontier.pop())
            for j in list(pool - found):
                b = self.box(j)
                gx, gy = gaps(a, b)
                if allowed(b) and gx <= 0.6 * near and gy <= 0.5 * near:
                    found.add(j)
                    frontier.append(j)
        span = functools.reduce(BBox.union, (self.box(j) for j in found))

        def inside(o: BBox) -> bool:
            return span.x <= o.cx <= span.x2 and span.y <= o.cy <= span.y2
        return found | {j for j in pool if allowed(self.box(j)) and inside(self.box(j))}

    def _above_below(self, i: int, pool: set[int], spread: float, reach: float | None = None
                     ) -> tuple[set[int], set[int]]:
        """Rows above and below symbol ``i``: seeds within ``spread`` widths sideways, grown by their
        neighbours. A fraction bar's seeds (``reach`` None) have their middle above (below) the
        bar's and end within its box (they may touch it), or, a letter drawn across the bar (a
        ``p``'s tail), their middle clearly off it; an operator's start past ``reach`` of its
        height from its far edge. A bar's rows leave out the signs level with it before it and an
        operator's scripts just before it, reach less far past its start than past its end
        (:data:`LEAD`), and run on past its end to what closely follows them (:data:`RUN_ON`)."""
        b = self.box(i)
        lo, hi = b.x - spread * b.w, b.x2 + spread * b.w
        near = NEAR * self.reference if reach is None else max(NEAR * self.reference, LIMIT_GAP * b.h)
        clear = CLEAR * self.reference  # a row's symbols sit clearly off the bar's line
        if reach is None:  # a fraction bar
            def crossing(j: int, off: bool) -> bool:   # a letter drawn across the bar, its middle clearly off it
                return (off and self.symbols[j].label not in CONTAINERS
                        and b.x + 0.1 * b.w <= self.box(j).cx <= b.x2 - 0.1 * b.w)
            def over(j: int) -> bool:
                o = self.box(j)
                return o.cy <= b.cy and (o.y2 <= b.y2 or crossing(j, o.cy <= b.y - clear))
            def under(j: int) -> bool:
                o = self.box(j)
                return o.cy >= b.cy and (o.y >= b.y or crossing(j, o.cy >= b.y2 + clear))
            pool = pool - self._beside_bars(i, pool)   # what lies deeper under a bar beside it is that bar's
            # past the bar's ends a relation symbol relates the fraction to its neighbours: rows stop there
            outside = {j for j in pool if self.symbols[j].label in RELATION_SYMBOLS and not b.x <= self.box(j).cx <= b.x2}
            outside |= {j for j in pool if self.symbols[j].label in JOINERS and self.box(j).cx < b.x
                        and abs(self.box(j).cy - b.cy) <= SIGN_LEVEL * self.reference}   # the fraction's sign
            operators = [self.box(k) for k in pool if self.symbols[k].label in LIMIT_OPERATORS and self.box(k).x2 <= b.x]
            outside |= {j for j in pool if self.box(j).cx < b.x and any(   # an operator's script before the bar
                op.x2 - 0.25 * op.w <= self.box(j).x <= op.x2 + OPERATOR_SCRIPT * self.reference for op in operators)}
        else:
            def over(j: int) -> bool:
                return self.box(j).y2 <= b.y2 - reach * b.h
            def under(j: int) -> bool:
                return self.box(j).y >= b.y + reach * b.h
            outside = set()
        in_range = [j for j in pool - outside if j != i and lo <= self.box(j).cx <= hi]
        above = {j for j in in_range if over(j) and b.y - self.box(j).y2 <= near}
        below = {j for j in in_range if under(j) and self.box(j).y - b.y2 <= near}
        rest, margin = pool - {i} - outside, (0.25 if reach is None else LIMIT_MARGIN) * b.w
        before = (LEAD if reach is None else 1.0) * margin
        def beside(o: BBox) -> bool:
            return lo - before <= o.cx <= hi + margin
        def upper(o: BBox) -> bool:
            return o.y2 <= b.y + 0.25 * b.h and o.cy <= b.y - clear
        def lower(o: BBox) -> bool:
            return o.y >= b.y2 - 0.25 * b.h and o.cy >= b.y2 + clear
        if above:
            above = self._grow(above, rest, lambda o: upper(o) and beside(o))
            if reach is None:
                above = self._run_on(above, rest, upper, hi)
            above = self._paired(above, rest, lambda o: o.cy <= b.y - clear)
        if below:
            below = self._grow(below, rest - above, lambda o: lower(o) and beside(o))
            if reach is None:
                below = self._run_on(below, rest - above, lower, hi)
            below = self._paired(below, rest - above, lambda o: o.cy >= b.y2 + clear)
        return above, below

    def _run_on(self, row: set[int], pool: set[int], allowed, end: float) -> set[int]:
        """``row`` with what follows it past ``end`` (a fraction bar's) within :data:`RUN_ON`
        reference heights, its rows overlapping, where ``allowed`` (on the row's side of the bar):
        the last exponent of a denominator written beyond a short bar."""
        row = set(row)

        def follows(j: int) -> bool:   # right of a row member, overlapping its rows, within RUN_ON of it
            o = self.box(j)
            return any(self.box(k).x <= o.x and (g := gaps(self.box(k), o))[0] <= RUN_ON * self.reference and g[1] <= 0
                       for k in row)
        while more := {j for j in pool - row if self.box(j).cx > end and allowed(self.box(j)) and follows(j)}:
            row |= more
        return row

    def _paired(self, row: set[int], pool: set[int], allowed) -> set[int]:
        """``row`` with the match of each bracket it holds without one, where that match is in
        ``pool``, ``allowed`` and near the row (a numerator's ``(`` written left of its bar)."""
        near = 0.6 * NEAR * self.reference
        def close(o: BBox) -> bool:
            return any(gaps(o, m)[0] <= near for m in map(self.box, row))
        extra = {j for j in pool - row if self.symbols[j].label in BRACKET_LABELS
                 and allowed(self.box(j)) and close(self.box(j))}
        if not extra:
            return row
        order = sorted(row | extra, key=lambda j: self.box(j).x)
        for a, c in bracket_pairs([self.symbols[j].label for j in order]):
            if (order[a] in row) != (order[c] in row):
                row = row | {order[a], order[c]}
        return row

    def _beside_bars(self, i: int, pool: set[int]) -> set[int]:
        """The symbols of ``pool`` further inside the span of another bar at bar ``i``'s height than
        inside ``i``'s own (two fractions side by side whose bars overlap)."""
        b = self.box(i)
        def depth(bar: BBox, j: int) -> float:
            return min(self.box(j).cx - bar.x, bar.x2 - self.box(j).cx)
        out = set()
        for k in pool:
            o = self.box(k)
            if k != i and self.symbols[k].label == "-" and o.w >= BAR * self.reference \
                    and abs(o.cy - b.cy) <= CLEAR * self.reference:
                out |= {j for j in pool if j not in (i, k) and depth(o, j) > max(depth(b, j), 0)}
        return out

    @staticmethod
    def _index_of(o: BBox, root: BBox) -> bool:
        """Whether ``o`` is a root's index: small, in the root's upper half, over its tick (``\\sqrt[3]{a}``)."""
        return (o.h <= INDEX * root.h and o.cy <= root.y + INDEX_DEPTH * root.h
                and o.x2 > root.x and o.cx <= root.x + INDEX_REACH * root.h)

    def _limits(self, i: int, pool: set[int]) -> tuple[set[int], set[int]]:
        """The rows of ``pool`` above and below large operator ``i``."""
        above, below = self._above_below(i, pool, spread=0.3, reach=REACH)
        b = self.box(i)
        if self.symbols[i].label == r"\int":  # integral limits sit at its ends, scripts do the rest
            above = {j for j in above if self.box(j).cx <= b.x2 + 0.3 * b.w}
            below = {j for j in below if self.box(j).cx <= b.x2 + 0.3 * b.w}
        return above, below

    def _balanced(self, members: set[int], pool: set[int]) -> set[int]:
        """``members`` less each bracket whose match (in ``pool``, read left to right) is not a member."""
        order = sorted(pool, key=lambda j: self.box(j).x)
        for pair in bracket_pairs([self.symbols[j].label for j in order]):
            held = [order[k] for k in pair if order[k] in members]
            if len(held) == 1:
                members = members - set(held)
        return members

    def _containers(self, pool: set[int]) -> list[tuple[int, dict[Relation, set[int]]]]:
        """Claim contents for fraction bars, then roots and operators with limits; widest first."""
        claimed: list[tuple[int, dict[Relation, set[int]]]] = []
        free = set(pool)
        limits = {i: set().union(*self._limits(i, pool)) for i in pool if self.symbols[i].label in LIMIT_OPERATORS}
        for i in sorted(pool, key=lambda k: (self.symbols[k].label != "-", -self.box(k).w)):
            if i not in free:
                continue
            s = self.symbols[i]
            if s.label == "-" and s.bbox.w >= BAR * self.reference:
                above, below = self._above_below(i, free, spread=0.05)  # a bar
                for op, held in limits.items():  # an operator's limits go where it goes, and so does a
                    # bar among them narrower than it (\lim_{x\rightarrow\frac{\pi}{2}}): its fraction is read in the limit
                    if op not in above | below or (i in held and s.bbox.w < self.box(op).w):
                        above, below = above - held - {op}, below - held - {op}
                if above and below:
                    claimed.append((i, {Relation.ABOVE: above, Relation.BELOW: below}))
                    free -= above | below
            elif s.label == r"\sqrt":
                b = s.bbox
                index = {j for j in free if j != i and self._index_of(self.box(j), b)
                         and self.symbols[j].label not in JOINERS}   # a sign before a tall root is no index
                def reach(j: int) -> float:   # an operator past the root's end follows the root
                    return b.x2 + (0 if self.symbols[j].label in JOINERS else OVERHANG * b.h)
                inside = {j for j in free - index if j != i and _tick_end(b) <= self.box(j).cx <= reach(j)
                          and b.y <= self.box(j).cy <= b.y2 + 0.1 * b.h}
                inside |= self._scripts_past(b, inside, free - index - {i})
                inside = self._balanced(inside, free)
                claimed.append((i, {Relation.INSIDE: inside, Relation.ABOVE: index}))
                free -= inside | index
            elif s.label in LIMIT_OPERATORS:
                above, below = self._limits(i, free)
                if above or below:
                    claimed.append((i, {Relation.ABOVE: above, Relation.BELOW: below}))
                    free -= above | below
        return claimed

    def _scripts_past(self, root: BBox, inside: set[int], free: set[int]) -> set[int]:
        """The superscript of a root's last symbol written past the bar's end (``\\sqrt{…+z^{2}}``):
        small against that symbol, starting at its end, ending above its middle, under the bar's top."""
        if not inside:
            return set()
        last = self.box(max(inside, key=lambda j: self.box(j).x2))
        return {j for j in free if self.symbols[j].label not in JOINERS
                and last.x2 - 2 <= self.box(j).x <= last.x2 + SCRIPT_PAST[0] * last.h
                and self.box(j).cx <= root.x2 + SCRIPT_PAST[1] * root.h and self.box(j).y >= root.y + SCRIPT_PAST[2] * root.h
                and self.box(j).h <= SCRIPT_PAST[3] * last.h and self.box(j).y2 <= last.cy}

    # -- rows -----------------------------------------------------------------------------------
    def row(self, pool: set[int]) -> tuple[Node, ...]:
        if not pool:
            return ()
        units, taken = [], set()
        for i, rows in _nest(self._containers(pool)):
            members = set().union(*rows.values())
            extent = self.box(i)
            for j in members:
                extent = extent.union(self.box(j))
            units.append(_Unit(i, Item(self.symbols[i].label, self.box(i), extent), rows))
            taken |= members | {i}
        for i in pool - taken:
            units.append(_Unit(i, Item(self.symbols[i].label, self.box(i), self.box(i)), {}))
        units.sort(key=lambda u: (u.item.extent.x, u.item.extent.y))
        if isinstance(self.scorer, RowScorer):
            return self._arborescence(units)
        return self._baseline(units)

    def _link(self, parent: int, row: tuple[Node, ...], relation: Relation, probability: float) -> None:
        if row:
            self.graph.add_edge(parent, row[0].symbol, relation=relation, probability=probability)

    def _baseline(self, units: list[_Unit]) -> tuple[Node, ...]:
        nodes: list[Node] = []
        previous = None
        while units:
            base = units.pop(0)
            scripts: dict[Relation, list[_Unit]] = {Relation.SUP: [], Relation.SUB: []}
            confidence: dict[Relation, float] = {}
            while units:
                scores = self.scorer.scores(base.item, units[0].item, self.reference)
                relation = max(scores, key=scores.get)
                if relation is Relation.RIGHT:
                    break
                scripts[relation].append(units.pop(0))
                confidence.setdefault(relation, scores[relation])
            if previous is not None:
                scores = self.scorer.scores(previous.item, base.item, self.reference)
                self.graph.add_edge(previous.index, base.index, relation=Relation.RIGHT,
                                    probability=scores[Relation.RIGHT])
            rows = {relation: set(members) for relation, members in base.children.items()}
            if base.item.label in LIMIT_OPERATORS:  # limits written as scripts join those above/below
                for script, limit in ((Relation.SUP, Relation.ABOVE), (Relation.SUB, Relation.BELOW)):
                    if scripts[script] and rows.get(limit):
                        rows[limit] |= {i for u in scripts.pop(script) for i in _indices(u)}
                        scripts[script] = []
            children = {}
            for relation, members in rows.items():
                children[relation] = self.row(members)
                self._link(base.index, children[relation], relation, 1.0)
            for relation, members in scripts.items():
                if members:
                    children[relation] = self._baseline(sorted(members, key=lambda u: u.item.extent.x))
                    self._link(base.index, children[relation], relation, confidence[relation])
            nodes.append(Node(self.symbols[base.index].label,
                              {r: row for r, row in children.items() if row}, base.index))
            previous = base
        return tuple(nodes)

    def _arborescence(self, units: list[_Unit]) -> tuple[Node, ...]:
        """Read a row as the best tree over the edge model's scores (units in reading order)."""
        pairs, probabilities = self.scorer.score_row([u.item for u in units], self.reference)
        labels = [u.item.label for u in units]
        brackets = bracket_pairs(labels)
        tree = best_tree(edge_graph(len(units), pairs, probabilities, self.scorer.relations),
                         on_baseline={k for k, label in enumerate(labels) if label in RELATION_SYMBOLS},
                         script_holders={k for k, label in enumerate(labels) if label in LIMIT_OPERATORS},
                         brackets=brackets)
        tree = end_scripts(flatten_scripts(tree), level_pairs([u.item for u in units], self.reference),
                           joiners={k for k, label in enumerate(labels) if label in JOINERS}, brackets=brackets)
        kids = {k: {r: [] for r in Relation} for k in range(len(units))}
        for parent, child, data in sorted(tree.edges(data=True), key=lambda e: e[1]):
            kids[parent][data["relation"]].append(child)

        def link(parent: int, child: int) -> None:
            data = tree.edges[parent, child]
            self.graph.add_edge(units[parent].index, units[child].index, relation=data["relation"],
                                probability=data["probability"])

        def under(k: int) -> set[int]:  # the symbols of unit k and everything hanging off it
            out = _indices(units[k])
            for children in kids[k].values():
                for c in children:
                    out |= under(c)
            return out

        def row(k: int) -> list[Node]:
            nodes = [node(k)]
            for c in kids[k][Relation.RIGHT]:  # several right neighbours follow one another
                link(k, c)
                nodes.extend(row(c))
            return nodes

        def node(k: int) -> Node:
            base = units[k]
            rows = {relation: set(members) for relation, members in base.children.items()}
            scripts = {r: kids[k][r] for r in (Relation.SUP, Relation.SUB) if kids[k][r]}
            if base.item.label in LIMIT_OPERATORS:  # limits written as scripts join those above/below
                for script, limit in ((Relation.SUP, Relation.ABOVE), (Relation.SUB, Relation.BELOW)):
                    if scripts.get(script) and rows.get(limit):
                        rows[limit] |= set().union(*(under(c) for c in scripts.pop(script)))
            children = {}
            for relation, members in rows.items():
                children[relation] = self.row(members)
                self._link(base.index, children[relation], relation, 1.0)
            for relation, heads in scripts.items():
                for c in heads:
                    link(k, c)
                children[relation] = tuple(n for c in heads for n in row(c))
            return Node(self.symbols[base.index].label, {r: v for r, v in children.items() if v}, base.index)

        return tuple(row(0))


def _tick_end(root: BBox) -> float:
    """Where a root's tick ends and its contents begin (its height sets the tick's size, unless narrow)."""
    return root.x + min(TICK * root.h, 0.15 * root.w)


def _nest(claimed: list[tuple[int, dict[Relation, set[int]]]]) -> list[tuple[int, dict[Relation, set[int]]]]:
    """Containers that no other container holds, each row grown by what the containers in it hold
    (a root claimed as a denominator brings its contents along, and is read there once)."""
    held = {i: set().union(*rows.values()) for i, rows in claimed}
    inner = set().union(*held.values()) if held else set()
    out = []
    for i, rows in claimed:
        if i in inner:
            continue
        grown = {}
        for relation, members in rows.items():
            members, frontier = set(members), [j for j in members if j in held]
            while frontier:
                new = held[frontier.pop()] - members
                members |= new
                frontier.extend(j for j in new if j in held)
            grown[relation] = members
        out.append((i, grown))
    return out


def _indices(unit: _Unit) -> set[int]:
    """The symbol a unit stands on and every symbol it holds."""
    return {unit.index}.union(*unit.children.values())
