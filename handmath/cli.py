"""The ``handmath`` command: convert images to LaTeX, evaluate on CROHME, benchmark the speed."""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path

from tqdm import tqdm

from symbolrec import HandmathError

log = logging.getLogger("handmath")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="handmath", description="Read handwritten mathematics from images.")
    parser.add_argument("--traceback", action="store_true", help="show the full traceback on errors")
    commands = parser.add_subparsers(dest="command", required=True)

    convert = commands.add_parser("convert", help="print the LaTeX of each image")
    convert.add_argument("images", nargs="+", type=Path)
    convert.add_argument("--format", choices=("latex", "json", "jsonl"), default="latex")

    explain = commands.add_parser("explain", help="show every symbol read, its alternatives and relation")
    explain.add_argument("image", type=Path)
    explain.add_argument("--overlay", type=Path, default=None, help="write a PNG of the boxes and relations")
    explain.add_argument("--json", type=Path, default=None, help="write the recognition as JSON")

    solve = commands.add_parser("solve", help="read an equation from an image (or take LaTeX) and solve it")
    source = solve.add_mutually_exclusive_group(required=True)
    source.add_argument("image", nargs="?", type=Path, help="a handwritten equation (two lines: a system)")
    source.add_argument("--latex", action="append", help="LaTeX to solve; give it twice for a system")
    solve.add_argument("--timeout", type=float, default=10.0, help="seconds before the solver gives up")

    evaluate = commands.add_parser("evaluate", help="score the recogniser on a rendered CROHME split")
    evaluate.add_argument("--split", default="valid_2013", choices=("train_2014", "valid_2013", "test_2014"))
    evaluate.add_argument("--data", type=Path, default=None, help="folder of the CROHME archives")
    evaluate.add_argument("--limit", type=int, default=None, help="first N expressions only")
    evaluate.add_argument("--every", type=int, default=1, help="every N-th expression only (a quick look at train_2014)")
    evaluate.add_argument("--offset", type=int, default=0, help="with --every, start from this expression")
    evaluate.add_argument("--half", type=int, choices=(0, 1), default=None,
                          help="train_2014 only: read this half with the classifier trained on the other "
                               "(data/halves/K, from training.train_symbols --half K), which never saw it")
    evaluate.add_argument("--report", type=Path, default=None, help="JSON report (default: reports/SPLIT.json)")
    evaluate.add_argument("--style", choices=("clean", "photo"), default="clean",
                          help="score clean drawings, or each drawing photographed on paper (training.photo)")

    bench = commands.add_parser("benchmark", help="median recognition time per expression, model loaded")
    bench.add_argument("--split", default="valid_2013", choices=("train_2014", "valid_2013", "test_2014"))
    bench.add_argument("--data", type=Path, default=None)
    bench.add_argument("--limit", type=int, default=200)
    bench.add_argument("--repeat", type=int, default=3)

    serve = commands.add_parser("serve", help="run the web service and page (needs the 'service' extra)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None, help="images read at once (default: CPUs, at most 4)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="handmath: %(message)s")
    try:
        commands = {"convert": convert, "explain": explain, "solve": solve, "evaluate": evaluate,
                    "benchmark": benchmark, "serve": serve}
        return commands[args.command](args)
    except KeyboardInterrupt:
        return 130
    except (HandmathError, OSError, ValueError) as err:
        if args.traceback:
            raise
        print(f"handmath: error: {err}", file=sys.stderr)
        return 1


def convert(args) -> int:
    from handmath.recognize import Recognizer

    recognizer = Recognizer()
    status = 0
    many = len(args.images) > 1
    for path in tqdm(args.images, desc="images", unit="img", disable=not many, file=sys.stderr):
        started = time.perf_counter()
        try:
            result = recognizer.recognize(path)
        except HandmathError as err:
            status = 1
            if args.format == "jsonl":
                print(json.dumps({"image": str(path), "error": str(err)}), flush=True)
            else:
                tqdm.write(f"handmath: {path}: {err}", file=sys.stderr)
            continue
        seconds = round(time.perf_counter() - started, 4)
        if args.format == "latex":
            print(result.latex, flush=True)
        elif args.format == "jsonl":
            print(json.dumps({"image": str(path), "latex": result.latex, "seconds": seconds}), flush=True)
        else:
            print(json.dumps({"image": str(path), **result.to_dict()}, ensure_ascii=False, indent=1), flush=True)
    return status


def explain(args) -> int:
    import cv2

    from handmath.recognize import Recognizer

    result = Recognizer().recognize(args.image)
    print(f"LaTeX: {result.latex}\n")
    print(f"{'id':>3}  {'label':<12} {'prob':>5}  {'relation':<18} alternatives")
    for i, symbol in enumerate(result.symbols):
        link = result.parent(i)
        relation = "root" if link is None else f"{link[1].value} of {link[0]} ({link[2]:.2f})"
        others = ", ".join(f"{label} {p:.2f}" for label, p in symbol.alternatives[1:4])
        flag = "  <- unsure" if symbol.confidence < 0.6 else ""
        print(f"{i:>3}  {symbol.label:<12} {symbol.confidence:5.2f}  {relation:<18} {others}{flag}")
    if args.overlay:
        cv2.imwrite(str(args.overlay), cv2.cvtColor(result.overlay(args.image), cv2.COLOR_RGB2BGR))
        print(f"\noverlay: {args.overlay}")
    if args.json:
        args.json.write_text(result.to_json(indent=1) + "\n")
        print(f"json: {args.json}")
    return 0


def solve(args) -> int:
    from handmath.solving import solve as run

    if args.latex:
        latex = args.latex if len(args.latex) > 1 else args.latex[0]
    else:
        from handmath.recognize import Recognizer

        recognition = Recognizer().recognize(args.image)
        lines = [line.latex for line in recognition.lines or (recognition,)]
        latex = lines if len(lines) > 1 else lines[0]
        for line in lines:
            print(f"read:     {line}")
    solution = run(latex, timeout=args.timeout)
    if solution.kind == "error":
        print(f"handmath: cannot solve {latex!r}: {solution.message}", file=sys.stderr)
        return 1
    print(f"solution: {solution.text}")
    print(f"latex:    {solution.latex}")
    if solution.message:
        print(f"note:     {solution.message}")
    return 0


def _data_dir(args) -> Path:
    from training.crohme import default_data_dir

    return args.data or default_data_dir()


def evaluate(args) -> int:
    from handmath.evaluate import evaluate as run, plot_attribution
    from handmath.recognize import Recognizer

    if args.every < 1 or args.offset < 0:
        raise SystemExit("handmath evaluate: --every must be at least 1 and --offset at least 0")
    model = None
    if args.half is not None:
        from training.crohme import HALVES

        model = HALVES / str(1 - args.half) / "symbols.tflite"
        if args.split != "train_2014":
            raise SystemExit("handmath evaluate: --half is for train_2014, which the shipped classifier learned from")
        if not model.exists():
            raise SystemExit(f"handmath evaluate: no {model}: python -m training.train_symbols "
                             f"--half {1 - args.half} --out {model.parent}")
    report = run(Recognizer(model), _data_dir(args), args.split, limit=args.limit, every=args.every,
                 offset=args.offset, half=args.half, style=args.style)
    summary = report.summary()
    default = args.split if args.style == "clean" else f"{args.split}_{args.style}"
    default += "" if args.half is None else f"_half{args.half}"
    path = args.report or Path("reports") / f"{default}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    details = [o.__dict__ | {"token_errors": o.token_errors, "failed_at": o.failed_at} for o in report.outcomes]
    path.write_text(json.dumps({"summary": summary, "expressions": details}, indent=1) + "\n")
    width = max(map(len, summary))
    for key, value in summary.items():
        shown = f"{value:.4f}" if isinstance(value, float) else value
        print(f"{key:<{width}}  {shown}")
    print(f"{'report':<{width}}  {path}")
    try:
        plot_attribution(summary, path.with_suffix(".png"))
        print(f"{'chart':<{width}}  {path.with_suffix('.png')}")
    except ImportError:
        print(f"{'chart':<{width}}  (pip install matplotlib for the chart of where expressions fail)")
    return 0


def benchmark(args) -> int:
    from handmath.recognize import Recognizer
    from training.crohme import read_split
    from training.render import Pen, render

    recognizer = Recognizer(threads=1)
    images = [render(e, Pen()).image for e in read_split(_data_dir(args), args.split, limit=args.limit)]
    recognizer.recognize(images[0])  # warm up
    times = []
    for image in tqdm(images * args.repeat, desc="benchmark", unit="expr", file=sys.stderr):
        started = time.perf_counter()
        try:
            recognizer.recognize(image)
        except HandmathError:
            continue
        times.append(time.perf_counter() - started)
    times.sort()
    print(f"expressions      {len(images)} x {args.repeat} ({args.split}, standard pen, 1 thread)")
    print(f"median_ms        {1000 * statistics.median(times):.1f}")
    print(f"p90_ms           {1000 * times[int(0.9 * (len(times) - 1))]:.1f}")
    print(f"mean_ms          {1000 * statistics.fmean(times):.1f}")
    return 0


def serve(args) -> int:
    try:
        import uvicorn

        from handmath.service import create_app
    except ImportError as err:
        raise HandmathError(f"the web service needs its extra: pip install 'handmath[service]' ({err})") from err
    uvicorn.run(create_app(workers=args.workers), host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
