"""Build the symbol-classifier data set: render expressions, cut each ground-truth symbol's ink."""

from __future__ import annotations

import logging
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from symbolrec import features
from symbolrec._types import Component, HandmathError
from symbolrec.classify import JUNK, reference_of
from symbolrec.group import WORDS, candidates as groupings
from symbolrec.preprocess import binarize
from symbolrec.segment import ink_box, merge, segment
from symbolrec.split import candidates as cuts
from training.crohme import InkExpression, in_half, read_split
from training.photo import DEGRADATIONS, photo, read_like_recogniser
from training.render import Pen, render

log = logging.getLogger(__name__)
MATCH = 0.9           # a piece is a true symbol when each holds this share of the other's ink
MULTIPART = 0.05      # labels drawn in several pieces this often (standard pen, train_2014) are built by grouping,
SELDOM = 0.02         # and those drawn so this often, when read near certainly
MIXED = 0.05          # a piece mixes symbols when two each give it this share of its ink
SINGLE_CUTS = 0.3     # share of one-symbol components whose cut (one, at random) is learned from


@dataclass(frozen=True)
class SymbolSet:
    """Patches (N, 32, 32) uint8, geometry (N, 3) float32 and labels (N,) str."""

    patches: np.ndarray
    geometry: np.ndarray
    labels: np.ndarray

    def save(self, path: Path) -> None:
        np.savez_compressed(path, patches=self.patches, geometry=self.geometry, labels=self.labels)

    def joined(self, other: "SymbolSet") -> "SymbolSet":
        return SymbolSet(*(np.concatenate([a, b]) for a, b in ((self.patches, other.patches),
                                                              (self.geometry, other.geometry),
                                                              (self.labels, other.labels))))

    def of(self, labels) -> "SymbolSet":
        """The samples whose label is among ``labels``."""
        keep = np.isin(self.labels, list(labels))
        return SymbolSet(self.patches[keep], self.geometry[keep], self.labels[keep])

    @classmethod
    def load(cls, path: Path) -> "SymbolSet":
        with np.load(path) as data:
            return cls(data["patches"], data["geometry"], data["labels"])


PHOTO_DEGRADATIONS = tuple(d for d in DEGRADATIONS if d != "frame")   # the pen already varies the size


def symbol_samples(expr: InkExpression, pen: Pen, rng: np.random.Generator | None = None, *,
                   photographed: bool = False):
    """Yield ``(patch, geometry, label)`` for each symbol of ``expr`` rendered with ``pen``.

    The patch is cut from the binarised rendering exactly as the recogniser cuts it from a
    photo: the symbol's own ink inside its box, through :func:`symbolrec.features.patch`. With
    ``photographed`` the rendering is first photographed (:func:`training.photo.photo`: paper,
    shadow, ruling, ink colour, tilt, blur, noise, JPEG) and the ink is what the recogniser finds.
    """
    rng = rng or np.random.default_rng(0)
    rendering = render(expr, pen, rng)
    if photographed:
        shot = photo(rendering.image, rng, only=PHOTO_DEGRADATIONS, symbol_height=pen.symbol_height)
        ink, masks = read_like_recogniser(shot.image, rendering.symbol_masks, shot.homography, grow=1)
    else:
        ink, masks = binarize(rendering.image, min_area=1), rendering.symbol_masks
    pieces = []
    for symbol, mask in zip(expr.symbols, masks):
        own = ink & mask
        box = ink_box(own)
        if box is not None:
            pieces.append((symbol.label, box, own[box.slice()]))
    if not pieces:
        return
    reference = features.reference_height([box for _, box, _ in pieces])
    for label, box, own in pieces:
        yield features.patch(own), features.geometry(box, reference), label


def same_ink(shared: int, own: int, piece: int) -> bool:
    """Whether a piece of ``piece`` pixels is the true symbol of ``own`` pixels, sharing ``shared``
    (each holds ``MATCH`` of the other's ink): how training labels a piece and evaluation scores one."""
    return shared >= MATCH * own and shared >= MATCH * piece


def truth_of(piece: Component, truth: list[tuple[str, np.ndarray]]) -> tuple[str | None, int]:
    """The true label of ``piece`` when it is one symbol's ink (else None), and how many symbols
    give it a fair share of its ink."""
    size = piece.mask.sum()
    shares = [(label, (own[piece.bbox.slice()] & piece.mask).sum(), own.sum()) for label, own in truth]
    for label, shared, whole in shares:
        if same_ink(shared, whole, size):
            return label, 1
    return None, sum(shared >= MIXED * size for _, shared, _ in shares)


def piece_samples(expr: InkExpression, pen: Pen, rng: np.random.Generator):
    """Yield ``(patch, geometry, label)`` for the pieces the segmenter proposes besides the true
    symbols, so the classifier learns to call a bad piece :data:`~symbolrec.classify.JUNK`.

    The pieces are those of :mod:`symbolrec.split` and :mod:`symbolrec.group` on the binarised
    rendering: the halves of each cut (labelled with their symbol when they are one, junk
    otherwise; every cut of a component holding several symbols, one cut of a share
    ``SINGLE_CUTS`` of the others), components that hold several symbols, and groupings of
    parts of different symbols (junk).
    """
    rendering = render(expr, pen, rng)
    ink = binarize(rendering.image, min_area=1)
    truth = [(s.label, ink & m) for s, m in zip(expr.symbols, rendering.symbol_masks)]
    truth = [(label, own) for label, own in truth if own.any()]
    components = segment(ink)
    if not truth or not components:
        return
    reference = reference_of(components)
    pieces: list[tuple[Component, str]] = []
    for parts in groupings(components, reference):
        union = merge([components[n] for n in parts])
        label, mixed = truth_of(union, truth)
        if label is None and mixed >= 2:
            pieces.append((union, JUNK))
    for component in components:
        label, mixed = truth_of(component, truth)
        if label is None and mixed >= 2:
            pieces.append((component, JUNK))
        ways = cuts(component, reference)
        if mixed < 2 and ways:
            ways = [ways[rng.integers(len(ways))]] if rng.random() < SINGLE_CUTS else []
        for way in ways:
            pieces.extend((part, truth_of(part, truth)[0] or JUNK) for part in way)
    for piece, label in pieces:
        yield features.patch(piece.mask), features.geometry(piece.bbox, reference), label


def _expression_samples(args):
    expr, renders, photos, pieces, seed = args
    rng = np.random.default_rng(seed)
    out = []
    for k in range(renders + photos + pieces):
        pen = Pen() if k == 0 and renders == 1 else Pen.random(rng)
        try:
            samples = (piece_samples(expr, pen, rng) if k >= renders + photos
                       else symbol_samples(expr, pen, rng, photographed=k >= renders))
            for p, g, label in samples:
                out.append(((p * 255).astype(np.uint8), g, label))
        except (ValueError, HandmathError) as err:
            log.debug("%s: %s", expr.name, err)
    return out


def build(data_dir: Path, split: str, *, renders: int, seed: int, photos: int = 0, pieces: int = 0,
          workers: int = 2, limit: int | None = None, half: int | None = None) -> SymbolSet:
    """Render every expression of ``split`` ``renders`` times (1 = the standard pen) and photograph
    it ``photos`` times (varied pens), and cut the symbols; render it ``pieces`` more times (varied
    pens) for the segmenter's pieces (:func:`piece_samples`). With ``half`` (0 or 1), only that
    half's expressions (:func:`training.crohme.in_half`)."""
    expressions = list(read_split(data_dir, split, limit=limit))
    jobs = [(e, renders, photos, pieces, seed * 100_003 + i) for i, e in enumerate(expressions)
            if in_half(i, half)]
    patches, geometry, labels = [], [], []
    with ProcessPoolExecutor(workers) as pool:
        for samples in tqdm(pool.map(_expression_samples, jobs, chunksize=32), total=len(jobs),
                            desc=f"{split} symbols", unit="expr"):
            for p, g, label in samples:
                patches.append(p)
                geometry.append(g)
                labels.append(label)
    return SymbolSet(np.stack(patches), np.stack(geometry), np.array(labels))


def multipart_labels(data_dir: Path, split: str, *, limit: int | None = None) -> tuple[list[str], list[str]]:
    """Labels drawn in several separate pieces in at least :data:`MULTIPART` of their instances,
    and those drawn so :data:`SELDOM` to :data:`MULTIPART` of the time.

    Rendered with the standard pen; these are the labels the segmenter may build by grouping (the
    seldom ones only when the merge reads near certainly: a two-stroke ``\\sqrt`` or ``k``).
    Function names (``\\sin``) are left out: :func:`symbolrec.group.group` builds them as words.
    """
    import cv2

    pieces, totals = {}, {}
    for expr in tqdm(list(read_split(data_dir, split, limit=limit)), desc="multi-part symbols", unit="expr"):
        try:
            rendering = render(expr, Pen())
            ink = binarize(rendering.image, min_area=1)
        except (ValueError, HandmathError):
            continue
        for symbol, mask in zip(expr.symbols, rendering.symbol_masks):
            count = cv2.connectedComponents((ink & mask).astype(np.uint8), connectivity=8)[0] - 1
            totals[symbol.label] = totals.get(symbol.label, 0) + 1
            pieces[symbol.label] = pieces.get(symbol.label, 0) + (count > 1)
    share = {label: pieces[label] / total for label, total in totals.items() if label not in WORDS}
    return (sorted(label for label, s in share.items() if s >= MULTIPART),
            sorted(label for label, s in share.items() if SELDOM <= s < MULTIPART))
