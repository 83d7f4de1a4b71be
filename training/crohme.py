"""Read CROHME InkML files: pen strokes, the symbol segmentation and the MathML ground truth.

The shared data ships as one ``.tar.xz`` per split; :func:`read_split` streams the InkML files
straight out of the archive, so nothing has to be unpacked by hand.
"""

from __future__ import annotations

import logging
import tarfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from layout import Node, Relation, Tree

log = logging.getLogger(__name__)

INK = "{http://www.w3.org/2003/InkML}"
MATHML = "{http://www.w3.org/1998/Math/MathML}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SPLITS = ("train_2014", "valid_2013", "test_2014")

# Text of MathML leaves that has no linked traceGroup, mapped to the symbol labels CROHME uses.
_TEXT_LABELS = {
    "<": r"\lt", ">": r"\gt", "&lt;": r"\lt", "&gt;": r"\gt", "lt": r"\lt", "gt": r"\gt",
    "×": r"\times", "÷": r"\div", "±": r"\pm", "→": r"\rightarrow", "≤": r"\leq", "≥": r"\geq",
    "≠": r"\neq", "…": r"\ldots", "∞": r"\infty", "∑": r"\sum", "∫": r"\int", "−": "-",
    "·": ".", "′": r"\prime", "∈": r"\in", "∀": r"\forall", "∃": r"\exists",
}
_FUNCTIONS = ("sin", "cos", "tan", "log", "lim")


@dataclass(frozen=True)
class InkSymbol:
    """One ground-truth symbol: its label, the strokes it is drawn with, and its MathML node id."""

    label: str
    strokes: tuple[int, ...]
    href: str | None


@dataclass(frozen=True)
class InkExpression:
    """One CROHME expression: strokes as (N, 2) float arrays in ink coordinates (y down)."""

    name: str
    strokes: tuple[np.ndarray, ...]
    symbols: tuple[InkSymbol, ...]
    latex: str | None
    tree: Tree | None


class InkMLError(ValueError):
    """An InkML file that cannot be read."""


def parse_inkml(data: bytes, name: str = "") -> InkExpression:
    """Parse one InkML document (bytes) into an :class:`InkExpression`.

    Raises
    ------
    InkMLError
        If the document is empty or not well-formed XML.
    """
    if not data.strip():
        raise InkMLError(f"{name}: empty file")
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        try:  # a few files carry Latin-1 bytes (see the data README)
            root = ET.fromstring(data.decode("latin-1").encode("utf-8"))
        except ET.ParseError as err:
            raise InkMLError(f"{name}: {err}") from err

    ids, strokes = [], []
    for trace in root.iter(f"{INK}trace"):
        points = []
        for point in (trace.text or "").replace("\n", " ").split(","):
            values = point.split()
            if len(values) >= 2:
                points.append((float(values[0]), float(values[1])))
        if points:
            ids.append(trace.get("id"))
            strokes.append(np.asarray(points, dtype=np.float32))
    index = {trace_id: i for i, trace_id in enumerate(ids)}

    symbols = []
    for group in root.iter(f"{INK}traceGroup"):
        views = group.findall(f"{INK}traceView")
        label = group.find(f"{INK}annotation")
        if not views or label is None:
            continue
        members = tuple(index[v.get("traceDataRef")] for v in views if v.get("traceDataRef") in index)
        link = group.find(f"{INK}annotationXML")
        href = link.get("href") if link is not None else None
        if members:
            symbols.append(InkSymbol(_clean_label(label.text or ""), members, href))

    latex = next((a.text.strip() for a in root.findall(f"{INK}annotation")
                  if a.get("type") == "truth" and a.text), None)
    math = root.find(f"{INK}annotationXML/{MATHML}math")
    tree = None
    if math is not None:
        labels = {s.href: (s.label, i) for i, s in enumerate(symbols) if s.href}
        try:
            tree = Tree(_row(list(math), labels))
        except (ValueError, IndexError) as err:
            log.warning("%s: MathML not converted: %s", name, err)
    return InkExpression(name, tuple(strokes), tuple(symbols), latex, tree)


def _clean_label(label: str) -> str:
    label = label.strip()
    return {"<": r"\lt", ">": r"\gt", "&lt;": r"\lt", "&gt;": r"\gt"}.get(label, label)


def _row(elements: list[ET.Element], labels: dict[str, tuple[str, int]]) -> tuple[Node, ...]:
    """Convert a list of MathML elements into one baseline row of nodes."""
    nodes: list[Node] = []
    for element in elements:
        nodes.extend(_convert(element, labels))
    return tuple(nodes)


def _attach(row: tuple[Node, ...], **children: tuple[Node, ...]) -> tuple[Node, ...]:
    """Attach script/limit rows to the last node of ``row`` (``(x+1)^{2}`` scripts the ``)``)."""
    if not row:
        raise ValueError("script without a base")
    last = row[-1]
    merged = dict(last.children)
    for name, child in children.items():
        if child:
            merged[Relation[name.upper()]] = child
    return row[:-1] + (Node(last.label, merged, last.symbol),)


def _convert(element: ET.Element, labels: dict[str, tuple[str, int]]) -> tuple[Node, ...]:
    """One MathML element as a row of nodes; ``labels`` maps MathML ids to (label, symbol index)."""
    tag = element.tag.replace(MATHML, "")
    kids = list(element)
    symbol = labels.get(element.get(XML_ID), (None, None))[1]
    if tag in ("mrow", "mstyle", "math", "mfenced"):
        return _row(kids, labels)
    if tag in ("mi", "mn", "mo", "mtext"):
        href = element.get(XML_ID)
        if href in labels:
            return (Node(labels[href][0], symbol=labels[href][1]),)
        text = (element.text or "").strip()
        if text in _FUNCTIONS:
            return (Node("\\" + text),)
        if text.lstrip("\\") in _FUNCTIONS or text.startswith("\\"):
            return (Node(text if text.startswith("\\") else "\\" + text),)
        if len(text) > 1 and text not in _TEXT_LABELS:
            return tuple(Node(_TEXT_LABELS.get(c, c)) for c in text)
        return (Node(_TEXT_LABELS.get(text, text)),) if text else ()
    if tag == "msup":
        return _attach(_convert(kids[0], labels), sup=_convert(kids[1], labels))
    if tag == "msub":
        return _attach(_convert(kids[0], labels), sub=_convert(kids[1], labels))
    if tag == "msubsup":
        return _attach(_convert(kids[0], labels), sub=_convert(kids[1], labels),
                       sup=_convert(kids[2], labels))
    if tag == "munder":
        return _attach(_convert(kids[0], labels), below=_convert(kids[1], labels))
    if tag == "mover":
        return _attach(_convert(kids[0], labels), above=_convert(kids[1], labels))
    if tag == "munderover":
        return _attach(_convert(kids[0], labels), below=_convert(kids[1], labels),
                       above=_convert(kids[2], labels))
    if tag == "mfrac":
        return (Node("-", {Relation.ABOVE: _convert(kids[0], labels),
                           Relation.BELOW: _convert(kids[1], labels)}, symbol),)
    if tag == "msqrt":
        return (Node(r"\sqrt", {Relation.INSIDE: _row(kids, labels)}, symbol),)
    if tag == "mroot":
        return (Node(r"\sqrt", {Relation.INSIDE: _convert(kids[0], labels),
                                Relation.ABOVE: _convert(kids[1], labels)}, symbol),)
    raise ValueError(f"unknown MathML element <{tag}>")


def read_split(data_dir: Path | str, split: str, *, limit: int | None = None) -> Iterator[InkExpression]:
    """Yield the expressions of one CROHME split, in file-name order, straight from its archive.

    Files that cannot be parsed (the empty ``MfrDB3088.inkml``) are logged and skipped.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    archive = Path(data_dir) / f"crohme_{split}_inkml.tar.xz"
    if not archive.exists():
        raise FileNotFoundError(f"no CROHME archive at {archive}")
    with tarfile.open(archive) as tar:
        members = sorted((m for m in tar.getmembers() if m.name.endswith(".inkml")),
                         key=lambda m: m.name)
        for member in members[:limit]:
            handle = tar.extractfile(member)
            try:
                yield parse_inkml(handle.read(), name=member.name)
            except InkMLError as err:
                log.warning("skipped %s", err)


HALVES = Path("data/halves")   # the out-of-fold classifiers, HALVES/K trained on half K (training.train_symbols --half K)


def in_half(index: int, half: int | None) -> bool:
    """Whether a split's ``index``-th expression (file-name order) is in ``half``: 0 the even places,
    1 the odd ones, None all. The out-of-fold classifiers of training/train_relabel.py learn one each."""
    return half is None or index % 2 == half


def default_data_dir() -> Path:
    """``../shared/data/crohme`` next to the checkout, where the project keeps the CROHME archives."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "shared" / "data" / "crohme", here / "shared" / "data" / "crohme"):
        if candidate.exists():
            return candidate
    return here.parent / "shared" / "data" / "crohme"
