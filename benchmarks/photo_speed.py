"""Time to read a 12-megapixel phone photo, one thread: the issue asks for under 300 ms (median).

    python benchmarks/photo_speed.py --runs 7

Draws a CROHME expression (tests/data) large, photographs it with :mod:`training.photo` into a
4000×3000 frame (paper, shadow, ruling, ink colour, tilt, perspective, blur, noise), saves it as a
JPEG as a phone would, and times ``Recognizer(threads=1).recognize`` on the JPEG bytes (decoding
included) and on the decoded RGB array, after one warm-up call. Prints the median and the spread
per stage (the recogniser's own ``timings``) and what was read.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handmath.recognize import Recognizer  # noqa: E402
from latexgen import to_latex  # noqa: E402
from training.crohme import parse_inkml  # noqa: E402
from training.photo import photo  # noqa: E402
from training.render import Pen, render  # noqa: E402

EXPRESSION = ROOT / "tests" / "data" / "508_em_78.inkml"
FRAME = (4000, 3000)
JPEG_QUALITY = 90


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed calls per input (after one warm-up)")
    parser.add_argument("--seed", type=int, default=3, help="the photo's random style")
    parser.add_argument("--save", type=Path, default=None, help="also write the photo (JPEG) here")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be positive, got {args.runs}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    # Build the photo: a large drawing (symbols ~110 px, as a phone sees a pupil's writing)
    expr = parse_inkml(EXPRESSION.read_bytes(), EXPRESSION.stem)
    drawing = render(expr, Pen(symbol_height=110, width=8)).image
    shot = photo(drawing, np.random.default_rng(args.seed), symbol_height=110, frame=FRAME)
    ok, encoded = cv2.imencode(".jpg", shot.image[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    jpeg = encoded.tobytes()
    if args.save:
        args.save.write_bytes(jpeg)
    # Time it
    recognizer = Recognizer(threads=1)
    cv2.setNumThreads(1)
    print(f"photo           {shot.image.shape[1]}x{shot.image.shape[0]} ({shot.image.shape[0] * shot.image.shape[1] / 1e6:.1f} MP), "
          f"JPEG {len(jpeg) / 1e6:.1f} MB, ink {shot.style.ink}, "
          f"{'lined (' + shot.style.rules + ')' if shot.style.ruled_page else 'plain'}, tilt {shot.style.rotation:+.1f}°")
    print(f"truth           {to_latex(expr.tree)}")
    for name, source in (("jpeg bytes", jpeg), ("rgb array", shot.image)):
        result = recognizer.recognize(source)                       # warm up
        times, stages = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = recognizer.recognize(source)
            times.append(time.perf_counter() - started)
            stages.append(result.timings)
        per_stage = {k: statistics.median(s[k] for s in stages) for k in stages[0] if k != "total"}
        print(f"{name:<15} median {1000 * statistics.median(times):.0f} ms  (min {1000 * min(times):.0f}, "
              f"max {1000 * max(times):.0f}; " + ", ".join(f"{k} {1000 * v:.0f}" for k, v in per_stage.items())
              + f")  read {result.latex}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
