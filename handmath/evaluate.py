"""Measure the recogniser on a rendered CROHME split, the way the competition scores systems.

Every expression is drawn with the standard pen, recognised, and compared with the ground truth
written by the same LaTeX generator from the file's MathML, so only structure and symbols count.
With ``style="photo"`` each drawing is first photographed (:mod:`training.photo`: paper, shadow,
ruling, ink colour, tilt, blur, noise, JPEG), seeded by the expression's name.
"""

from __future__ import annotations

import statistics
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from handmath.recognize import Recognizer
from latexgen import latex_tokens, to_latex
from layout import parse
from symbolrec import HandmathError, Symbol, features
from training.crohme import InkExpression, in_half, read_split
from training.photo import photo, read_like_recogniser
from training.render import Pen, render
from training.symbols import same_ink
from symbolrec.segment import ink_box


@dataclass
class Outcome:
    """One expression's result."""

    name: str
    truth: str
    latex: str | None
    seconds: float
    symbols: int = 0
    segmented: int = 0
    classified: int = 0
    structure_alone: bool = False
    error: str | None = None

    @property
    def failed_at(self) -> str | None:
        """The first stage that went wrong for a misread expression (None when read right)."""
        if self.token_errors == 0:
            return None
        if self.error is not None or self.segmented < self.symbols:
            return "segmentation"
        return "classification" if self.classified < self.segmented else "structure"

    @property
    def token_errors(self) -> int:
        return edit_distance(latex_tokens(self.truth), latex_tokens(self.latex or ""))


@dataclass
class Report:
    split: str
    outcomes: list[Outcome] = field(default_factory=list)
    too_large: list[str] = field(default_factory=list)   # expressions too large to draw, left out

    def summary(self) -> dict:
        done = self.outcomes
        n = len(done) or 1
        errors = [o.token_errors for o in done]
        total = sum(o.symbols for o in done) or 1
        return {
            "split": self.split, "expressions": len(done),
            "expression_rate": sum(e == 0 for e in errors) / n,
            "within_1_error": sum(e <= 1 for e in errors) / n,
            "within_2_errors": sum(e <= 2 for e in errors) / n,
            "symbol_segmentation_rate": sum(o.segmented for o in done) / total,
            "symbol_classification_rate": sum(o.classified for o in done) / max(sum(o.segmented for o in done), 1),
            "symbol_seg_and_class_rate": sum(o.classified for o in done) / total,
            "structure_rate_ground_truth_symbols": sum(o.structure_alone for o in done) / n,
            **{f"wrong_at_{stage}": sum(o.failed_at == stage for o in done)
               for stage in ("segmentation", "classification", "structure")},
            "median_seconds": statistics.median(o.seconds for o in done) if done else 0.0,
            "failures": sum(o.error is not None for o in done),
            "too_large_to_draw": len(self.too_large),
        }


def plot_attribution(summary: dict, path: Path) -> None:
    """A bar chart of how many expressions were read right and where the others first went wrong."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stages = ("segmentation", "classification", "structure")
    right = round(summary["expression_rate"] * summary["expressions"])
    names = ["read right", *(f"wrong at {stage}" for stage in stages)]
    counts = [right, *(summary[f"wrong_at_{stage}"] for stage in stages)]
    fig, axis = plt.subplots(figsize=(7, 3))
    bars = axis.barh(names[::-1], counts[::-1], color=["#c44e52", "#dd8452", "#ccb974", "#55a868"])
    axis.bar_label(bars, padding=3)
    axis.set_xlabel("expressions")
    axis.set_title(f"{summary['split']}: {summary['expressions']} expressions; with the true symbols the "
                   f"parser alone reads {summary['structure_rate_ground_truth_symbols']:.1%}", fontsize=9)
    axis.margins(x=0.12)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def edit_distance(a: list[str], b: list[str]) -> int:
    """Levenshtein distance between token lists."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def truth_symbols(expr: InkExpression, ink: np.ndarray, masks) -> list[tuple[str, np.ndarray]]:
    return [(s.label, ink & m) for s, m in zip(expr.symbols, masks) if (ink & m).any()]


def match_symbols(truth: list[tuple[str, np.ndarray]], found) -> list[int | None]:
    """For each ground-truth symbol, the index of the found symbol that is its ink
    (:func:`training.symbols.same_ink`), or None where none is."""
    matched = []
    for _, own in truth:
        size = own.sum()
        matched.append(next((k for k, symbol in enumerate(found)
                             if same_ink((own[symbol.bbox.slice()] & symbol.mask).sum(), size, symbol.mask.sum())), None))
    return matched


def score_symbols(truth: list[tuple[str, np.ndarray]], found: tuple[Symbol, ...]) -> tuple[int, int]:
    """How many ground-truth symbols were segmented exactly (:func:`match_symbols`), and how many of
    those labelled right."""
    matched = [(label, k) for (label, _), k in zip(truth, match_symbols(truth, found)) if k is not None]
    return len(matched), sum(found[k].label == label for label, k in matched)


def _structure_alone(truth: list[tuple[str, np.ndarray]], want: str, scorer) -> bool:
    """Does the parser alone, given the true symbols and labels, write the right LaTeX?"""
    symbols = [Symbol(ink_box(own), label, 1.0) for label, own in truth]
    if not symbols:
        return False
    reference = features.reference_height([s.bbox for s in symbols])
    return to_latex(parse(symbols, reference, scorer).tree) == want


def evaluate(recognizer: Recognizer, data_dir: Path, split: str, *, limit: int | None = None,
             every: int = 1, offset: int = 0, half: int | None = None, progress: bool = True, style: str = "clean",
             degradations: str | list[str] | None = None) -> Report:
    """Render, recognise and score every expression of ``split`` (those with a MathML truth), or
    with ``every`` only each ``every``-th from the ``offset``-th (a quick look at train_2014), of
    ``half`` of them only where given (:func:`training.crohme.in_half`: what a classifier trained on
    the other half never saw).

    ``style="photo"`` photographs each rendering first (``degradations``: the names of
    :data:`training.photo.DEGRADATIONS` to apply, all of them by default). The few expressions
    too large to draw (some train_2014 pages) are left out and named in ``Report.too_large``.
    """
    if style not in ("clean", "photo"):
        raise ValueError(f"style must be 'clean' or 'photo', got {style!r}")
    report = Report(split)
    expressions = [e for i, e in enumerate(read_split(data_dir, split, limit=limit))
                   if e.tree is not None and in_half(i, half)][offset::every]
    for expr in tqdm(expressions, desc=f"evaluate {split}", unit="expr", disable=not progress):
        truth = to_latex(expr.tree)
        try:
            rendering = render(expr, Pen())
        except ValueError:
            report.too_large.append(expr.name)
            continue
        if style == "photo":
            shot = photo(rendering.image, np.random.default_rng(zlib.crc32(expr.name.encode())),
                         only=degradations)
            image = shot.image
            gt = truth_symbols(expr, *read_like_recogniser(image, rendering.symbol_masks, shot.homography, grow=2))
        else:
            image = rendering.image
            gt = truth_symbols(expr, *read_like_recogniser(image, rendering.symbol_masks))
        started = time.perf_counter()
        try:
            result = recognizer.recognize(image)
        except HandmathError as err:
            report.outcomes.append(Outcome(expr.name, truth, None, time.perf_counter() - started,
                                           len(gt), error=str(err)))
            continue
        seconds = time.perf_counter() - started
        segmented, classified = score_symbols(gt, result.symbols)
        report.outcomes.append(Outcome(expr.name, truth, result.latex, seconds, len(gt), segmented,
                                       classified, _structure_alone(gt, truth, recognizer.scorer)))
    return report
