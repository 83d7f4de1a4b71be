"""The recogniser: image → ink → symbols → relation graph → tree → LaTeX, timed stage by stage."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

import networkx as nx
import numpy as np

from handmath.overlay import draw_overlay
from latexgen import LINE_BREAK, to_latex, token_for
from layout import Node, Relation, Tree, parse
from layout.context import ContextPrior, Relabeller, reread_in_context, resolve_in_context
from layout.scorer import EdgeScorer
from layout.words import join_dots, join_function_names, join_i_dots
from symbolrec import BBox, HandmathError, Symbol, features
from symbolrec.classify import Classifier, reference_of
from symbolrec.group import THRESHOLD as GROUP_THRESHOLD, group
from symbolrec.lines import split_lines
from symbolrec.load import load_image
from symbolrec.preprocess import binarize
from symbolrec.segment import ink_box, segment
from symbolrec.split import split

MAX_COMPONENTS = 600   # more ink blobs than this is a page of text or noise, not one expression


class TooMuchInkError(HandmathError):
    """The image holds far more ink than one handwritten expression."""


@dataclass(frozen=True)
class Recognition:
    """What was read: the LaTeX, every symbol with its alternatives, the tree and the timings."""

    latex: str
    symbols: tuple[Symbol, ...]
    tree: Tree
    graph: nx.DiGraph = field(repr=False, compare=False)
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    ink: np.ndarray | None = field(default=None, repr=False, compare=False)
    lines: tuple["Recognition", ...] = field(default=(), repr=False, compare=False)
    """Each line of writing read on its own, top to bottom, boxes in image coordinates (empty when
    the image holds one line; ``latex`` then joins them with ``\\``)."""

    @property
    def image_shape(self) -> tuple[int, int]:
        return (0, 0) if self.ink is None else self.ink.shape

    def overlay(self, image: np.ndarray | None = None) -> np.ndarray:
        """An RGB picture of what was read: boxes coloured by confidence, labels, relation arrows.

        Drawn over ``image`` (the grey input) when given, else over the ink that was found.
        """
        background = self.ink if image is None else load_image(image)
        return draw_overlay(background, self.symbols, self.graph)

    def parent(self, index: int) -> tuple[int, Relation, float] | None:
        """The symbol ``index`` hangs off in the tree, the relation, and its probability."""
        for parent, _, data in self.graph.in_edges(index, data=True):
            return parent, data["relation"], float(data["probability"])
        return None

    def to_dict(self) -> dict:
        """A JSON-ready dict (see the README for the schema)."""
        symbols = []
        for i, s in enumerate(self.symbols):
            link = self.parent(i)
            symbols.append({
                "id": i, "label": s.label, "latex": token_for(s.label), "probability": round(s.confidence, 4),
                "bbox": {"x": s.bbox.x, "y": s.bbox.y, "w": s.bbox.w, "h": s.bbox.h},
                "alternatives": [{"label": a, "probability": p} for a, p in s.alternatives],
                "parent": None if link is None else {"id": link[0], "relation": link[1].value,
                                                      "probability": round(link[2], 4)},
            })
        lines, first = [], 0
        for line in self.lines or (self,):
            lines.append({"latex": line.latex, "symbols": list(range(first, first + len(line.symbols)))})
            first += len(line.symbols)
        return {"latex": self.latex, "image": {"height": self.image_shape[0], "width": self.image_shape[1]},
                "symbols": symbols, "lines": lines, "timings": {k: round(v, 5) for k, v in self.timings.items()}}

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


def symbols_from_dicts(items: list[dict]) -> list[Symbol]:
    """Symbols back from the ``symbols`` of :meth:`Recognition.to_dict` (labels may be corrected).

    Raises
    ------
    HandmathError
        If an item lacks a label or a box with positive size.
    """
    symbols = []
    for i, item in enumerate(items):
        try:
            box = item["bbox"]
            bbox = BBox(int(box["x"]), int(box["y"]), int(box["w"]), int(box["h"]))
            label = str(item["label"])
            probability = float(item.get("probability", 1.0))
            alternatives = tuple((str(a["label"]), float(a["probability"])) for a in item.get("alternatives", ()))
        except (KeyError, TypeError, ValueError) as err:
            raise HandmathError(f"symbol {i}: needs a label and a bbox with x, y, w, h ({err})") from err
        if bbox.w <= 0 or bbox.h <= 0 or not label:
            raise HandmathError(f"symbol {i}: empty box or label")
        symbols.append(Symbol(bbox, label, probability, alternatives))
    return symbols


class Recognizer:
    """Holds the loaded models; ``recognize`` reads one image. Build once, call many times."""

    def __init__(self, model: Path | str | None = None, relations: Path | str | None = None, *,
                 threads: int = 1, group_threshold: float = GROUP_THRESHOLD):
        self.classifier = Classifier(model, threads=threads)
        self.scorer = EdgeScorer(relations)
        self.context = ContextPrior.load()
        self.group_threshold = group_threshold

    @cached_property
    def relabeller(self) -> Relabeller:
        """The learned re-reading in context, loaded when first needed (its training reads no further)."""
        return Relabeller.load()

    def recognize(self, image) -> Recognition:
        """Read the handwritten maths in ``image`` (path, bytes, PIL image or array).

        Several lines of writing (a system, an equation and its working) are read one by one, top
        to bottom, into :attr:`Recognition.lines`.

        Raises
        ------
        HandmathError
            ``ImageError`` for unreadable input, ``NoInkError`` for a blank page,
            ``TooMuchInkError`` for a page far busier than one expression.
        """
        clock = _Clock()
        ink, boxes = self.lines(image, clock)
        if len(boxes) == 1:
            return _moved(self.recognize_ink(np.ascontiguousarray(ink[boxes[0].slice()]), clock), boxes[0], ink)
        lines = [_moved(self.recognize_ink(np.ascontiguousarray(ink[box.slice()])), box, ink) for box in boxes]
        return _stacked(lines, ink, clock)

    def lines(self, image, clock: "_Clock | None" = None) -> tuple[np.ndarray, list[BBox]]:
        """The image's bool ink mask and the boxes of its lines of writing, top to bottom."""
        clock = clock or _Clock()
        grey = load_image(image)
        clock.lap("load")
        ink = binarize(grey)
        clock.lap("binarize")
        region = ink_box(ink)   # the writing alone, a small part of a phone's frame
        boxes = [b.shifted(region.x, region.y) for b in split_lines(ink[region.slice()])]
        clock.lap("lines")
        return ink, boxes

    def recognize_ink(self, ink: np.ndarray, clock: "_Clock | None" = None) -> Recognition:
        """The rest of :meth:`recognize`, from one line's bool ink mask."""
        clock = clock or _Clock()
        return self.lay_out(self.read_symbols(ink, clock), ink, clock)

    def read_symbols(self, ink: np.ndarray, clock: "_Clock | None" = None) -> list[Symbol]:
        """The symbols of one line's bool ink mask, classified, split, grouped and joined into words."""
        clock = clock or _Clock()
        components = segment(ink)
        if len(components) > MAX_COMPONENTS:
            raise TooMuchInkError(f"{len(components)} separate marks: crop the image to one expression")
        clock.lap("segment")
        reference = reference_of(components)
        probabilities = self.classifier.classify(components, reference)
        components, probabilities = split(components, probabilities, self.classifier, reference)
        components, probabilities = group(components, probabilities, self.classifier, reference,
                                          threshold=self.group_threshold)
        symbols = [self.classifier.symbol(c, p) for c, p in zip(components, probabilities)]
        clock.lap("classify")
        return join_i_dots(join_dots(join_function_names(symbols, reference), reference), reference)

    def lay_out(self, symbols: list[Symbol], ink: np.ndarray | None = None, clock: "_Clock | None" = None) -> Recognition:
        """Tree and LaTeX from symbols as they are: how a person's corrected labels are re-read.

        Raises
        ------
        LayoutError
            If ``symbols`` is empty.
        """
        clock = clock or _Clock()
        reference = features.reference_height([s.bbox for s in symbols])
        result = parse(list(symbols), reference, self.scorer)
        relabelled = reread_in_context(result.tree, symbols, self.context, self.relabeller)
        if [s.label for s in relabelled] != [s.label for s in symbols]:  # read the new labels' layout
            symbols, result = relabelled, parse(relabelled, reference, self.scorer)
        tree, symbols = resolve_in_context(result.tree, symbols)
        latex = to_latex(tree)
        clock.lap("layout")
        return Recognition(latex, tuple(symbols), tree, result.graph, clock.laps, ink)


class _Clock:
    def __init__(self):
        self.laps: dict[str, float] = {}
        self._last = self.start = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self.laps["total"] = now - self.start
        self._last = now


def _moved(line: Recognition, box: BBox, ink: np.ndarray) -> Recognition:
    """``line``, read from the crop ``box`` of ``ink``, with its boxes in the image's coordinates."""
    symbols = tuple(replace(s, bbox=s.bbox.shifted(box.x, box.y)) for s in line.symbols)
    graph = line.graph.copy()
    for i, s in enumerate(symbols):
        graph.nodes[i]["bbox"] = s.bbox
    return replace(line, symbols=symbols, graph=graph, ink=ink)


def _stacked(lines: list[Recognition], ink: np.ndarray, clock: "_Clock") -> Recognition:
    """One recognition of several lines: their symbols numbered on, their rows joined by a break."""
    symbols, row, graph = [], [], nx.DiGraph()
    for line in lines:
        offset = len(symbols)
        if symbols:
            row.append(Node(LINE_BREAK))
        row.extend(_renumbered(node, offset) for node in line.tree.row)
        graph = nx.union(graph, nx.relabel_nodes(line.graph, lambda i, o=offset: i + o))
        symbols.extend(line.symbols)
    timings = dict(clock.laps)
    for line in lines:
        for stage, seconds in line.timings.items():
            if stage != "total":
                timings[stage] = timings.get(stage, 0.0) + seconds
    timings["total"] = time.perf_counter() - clock.start
    return Recognition(rf" {LINE_BREAK} ".join(line.latex for line in lines), tuple(symbols), Tree(tuple(row)),
                       graph, timings, ink, tuple(lines))


def _renumbered(node: Node, offset: int) -> Node:
    children = {r: tuple(_renumbered(c, offset) for c in kids) for r, kids in node.children.items()}
    return Node(node.label, children, None if node.symbol is None else node.symbol + offset)


@lru_cache(maxsize=1)
def default_recognizer() -> Recognizer:
    """The recogniser with the shipped model, built on first use (never at import)."""
    return Recognizer()


def recognize(image) -> Recognition:
    """Read the handwritten expression in ``image`` with the shipped model. See :class:`Recognizer`."""
    return default_recognizer().recognize(image)
