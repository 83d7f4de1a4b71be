"""What each photo degradation costs: the expression rate with one degradation at a time.

    python -m training.photo_breakdown --split valid_2013 --limit 300

Every expression is drawn with the standard pen, photographed by :mod:`training.photo` with one
degradation (paper, shadow, lines, ...), then with all of them together, and recognised; the
expression rates are printed as a Markdown table and drawn as a bar chart (``--out``, by default
``docs/photo_breakdown.png``), the clean rate marked for reference. Each expression's photo is
seeded by its name, so a degradation is the same here as in ``handmath evaluate --style photo``.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from tqdm import tqdm

from handmath.evaluate import evaluate
from handmath.recognize import Recognizer
from training.crohme import SPLITS, default_data_dir
from training.photo import DEGRADATIONS

log = logging.getLogger(__name__)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="valid_2013", choices=SPLITS)
    parser.add_argument("--data", type=Path, default=None, help="folder of the CROHME archives")
    parser.add_argument("--limit", type=int, default=300, help="first N expressions of the split")
    parser.add_argument("--only", nargs="+", default=None, choices=DEGRADATIONS,
                        help="these degradations alone (default: every one)")
    parser.add_argument("--out", type=Path, default=Path("docs/photo_breakdown.png"), help="the bar chart")
    parser.add_argument("--json", type=Path, default=None, help="also write the rates as JSON")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error(f"--limit must be positive, got {args.limit}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    data = args.data or default_data_dir()
    recognizer = Recognizer()

    # Evaluate: clean, each degradation alone, all together
    conditions = [("clean", "clean", None)]
    conditions += [(name, "photo", [name]) for name in (args.only or DEGRADATIONS)]
    conditions.append(("all", "photo", None))
    summaries = {}
    for name, style, degradations in tqdm(conditions, desc="conditions", unit="cond", position=0):
        report = evaluate(recognizer, data, args.split, limit=args.limit, style=style, degradations=degradations)
        summaries[name] = report.summary()
        tqdm.write(f"{name:<12} {summaries[name]['expression_rate']:.4f}")

    # Report: a table, a chart
    count = summaries["clean"]["expressions"]
    print(f"\n{args.split}, first {count} expressions\n")
    print("| photographed with | expression rate | symbol segmentation rate |")
    print("|---|---|---|")
    for name, summary in summaries.items():
        print(f"| {name} | {summary['expression_rate']:.3f} | {summary['symbol_segmentation_rate']:.3f} |")
    plot_breakdown(summaries, args.out, title=f"{args.split}, {count} expressions")
    log.info("chart: %s", args.out)
    if args.json:
        args.json.write_text(json.dumps(summaries, indent=1) + "\n")
    return 0


def plot_breakdown(summaries: dict[str, dict], path: Path, *, title: str = "") -> None:
    """A horizontal bar per condition (expression rate), the clean rate as a dashed line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(summaries)
    rates = [100 * summaries[n]["expression_rate"] for n in names]
    colours = ["#4c72b0" if n == "clean" else "#c44e52" if n == "all" else "#8c8c8c" for n in names]
    figure, axes = plt.subplots(figsize=(7, 0.38 * len(names) + 1.2))
    axes.barh(names[::-1], rates[::-1], color=colours[::-1])
    for y, rate in enumerate(rates[::-1]):
        axes.text(rate + 0.3, y, f"{rate:.1f}", va="center", fontsize=9)
    if "clean" in summaries:
        axes.axvline(rates[0], color="#4c72b0", linestyle="--", linewidth=1)
    axes.set_xlabel("expression recognition rate (%)")
    axes.set_xlim(0, max(rates + [1]) * 1.15)
    axes.set_title(f"One photo degradation at a time ({title})" if title else "One photo degradation at a time",
                   fontsize=10)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)


if __name__ == "__main__":
    raise SystemExit(main())
