"""Draw the example images from CROHME training ink (reproducible; needs ../shared/data).

    python examples/make_examples.py

``cubic.png`` is ``x^3 - 1 = 0`` as written (HAMEX formulaire010-equation056). ``quadratic.png``
is ``x^2 = 1``, taken from one pupil's ``y^2=1-x^2`` (HAMEX formulaire023-equation023) by keeping
their ``x^2``, ``=`` and ``1`` and moving the ``x^2`` to the front. ``system.png`` is two lines,
``y+16=x`` over ``x=3`` (HAMEX formulaire008-equation063 and formulaire014-equation028).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from training.crohme import InkSymbol, default_data_dir, read_split
from training.render import Pen, render

HERE = Path(__file__).resolve().parent
SOURCES = {"formulaire010-equation056", "formulaire023-equation023", "formulaire008-equation063",
           "formulaire014-equation028"}


def _keep(expr, labels_at: dict[int, tuple[float, float]]):
    """Keep the given symbols, each moved by (dx, dy) ink units, in one new expression."""
    strokes, symbols = [], []
    for index, (dx, dy) in labels_at.items():
        symbol = expr.symbols[index]
        ids = []
        for s in symbol.strokes:
            ids.append(len(strokes))
            strokes.append(expr.strokes[s] + np.array([dx, dy], np.float32))
        symbols.append(InkSymbol(symbol.label, tuple(ids), symbol.href))
    return replace(expr, strokes=tuple(strokes), symbols=tuple(symbols), tree=None)


def main() -> None:
    found = {e.name.rsplit("/", 1)[-1][:-6]: e for e in read_split(default_data_dir(), "train_2014")
             if e.name.rsplit("/", 1)[-1][:-6] in SOURCES}
    cubic = found["formulaire010-equation056"]
    cv2.imwrite(str(HERE / "cubic.png"), render(cubic, Pen()).image)

    source = found["formulaire023-equation023"]   # symbols: 2 1 - 2 = y x
    y_left = source.strokes[0][:, 0].min()
    x_left = min(source.strokes[s][:, 0].min() for s in source.symbols[6].strokes)
    shift = float(y_left - x_left)
    two_right = source.strokes[9][:, 0].max() + shift
    equals_left = min(source.strokes[s][:, 0].min() for s in source.symbols[4].strokes)
    height = np.ptp(np.concatenate([source.strokes[s] for s in source.symbols[6].strokes])[:, 1])
    close = float(two_right + 0.8 * height - equals_left)   # the gap left by removing "1 -"
    quadratic = _keep(source, {6: (shift, 0.0), 3: (shift, 0.0), 4: (close, 0.0), 1: (close, 0.0)})
    cv2.imwrite(str(HERE / "quadratic.png"), render(quadratic, Pen()).image)

    lines = [render(found[name], Pen()).image for name in ("formulaire008-equation063", "formulaire014-equation028")]
    width = max(line.shape[1] for line in lines)
    gap = np.full((60, width), 255, np.uint8)   # one and a half symbol heights between the lines
    lines = [np.pad(line, ((0, 0), (0, width - line.shape[1])), constant_values=255) for line in lines]
    cv2.imwrite(str(HERE / "system.png"), np.vstack([lines[0], gap, lines[1]]))


if __name__ == "__main__":
    main()
