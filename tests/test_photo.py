"""Phone photos of an exercise book, made here by hand: ruling, shadow, coloured ink, tilt, JPEG."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from handmath import recognize
from symbolrec import NoInkError
from symbolrec.deskew import estimate_skew
from symbolrec.preprocess import binarize
from symbolrec.rules import find_ruling

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "quadratic.png"   # x^{2}=1
BLACK, BLUE, PENCIL = (0.12, 0.12, 0.14), (0.12, 0.2, 0.62), (0.42, 0.42, 0.44)


def photograph(*, ruling: str | None = None, shadow: bool = False, ink=BLACK, tilt: float = 0.0,
               writing: bool = True, size=(1200, 1600), seed: int = 0) -> np.ndarray:
    """The example's ink on off-white paper in a phone-sized frame, as an RGB uint8 JPEG-decoded photo."""
    rng = np.random.default_rng(seed)
    height, width = size
    paper = np.ones((height, width, 3), np.float32) * np.array([0.93, 0.91, 0.86], np.float32)
    paper *= 1 + 0.02 * cv2.GaussianBlur(rng.standard_normal((height, width)).astype(np.float32), (0, 0), 1)[..., None]
    if ruling:   # printed lines, pale blue, 48 px apart (about half a symbol height)
        lines = np.zeros((height, width), np.float32)
        for y in range(17, height, 48):
            cv2.line(lines, (0, y), (width, y), 1.0, 2, cv2.LINE_AA)
        if ruling == "squared":
            for x in range(23, width, 48):
                cv2.line(lines, (x, 0), (x, height), 1.0, 2, cv2.LINE_AA)
        paper *= 1 - 0.45 * lines[..., None] * (1 - np.array([0.55, 0.7, 0.92], np.float32))
    if writing:
        clean = cv2.imread(str(EXAMPLE), cv2.IMREAD_GRAYSCALE)
        coverage = np.zeros((height, width), np.float32)
        top, left = (height - clean.shape[0]) // 2, (width - clean.shape[1]) // 2
        coverage[top:top + clean.shape[0], left:left + clean.shape[1]] = (255 - clean) / 255.0
        paper *= 1 - coverage[..., None] * (1 - np.array(ink, np.float32))
    if shadow:   # a hand's shadow across the left half, soft-edged, down to 40 % of the light
        xs = np.arange(width, dtype=np.float32)[None, :] + 0.3 * np.arange(height, dtype=np.float32)[:, None]
        paper *= (1 - 0.6 / (1 + np.exp((xs - width * 0.55) / 25)))[..., None]
    image = np.clip(paper * 255 + rng.normal(0, 3, paper.shape), 0, 255).astype(np.uint8)
    if tilt:
        turn = cv2.getRotationMatrix2D((width / 2, height / 2), tilt, 1.0)
        image = cv2.warpAffine(image, turn, (width, height), borderMode=cv2.BORDER_REFLECT)
    image = cv2.GaussianBlur(image, (0, 0), 0.8)
    ok, data = cv2.imencode(".jpg", image[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 80])
    return cv2.imdecode(data, cv2.IMREAD_COLOR)[..., ::-1]


@pytest.mark.parametrize("kind", [
    dict(ruling="squared"),
    dict(ruling="ruled"),
    dict(shadow=True),
    dict(ink=BLUE),
    dict(ink=PENCIL),
    dict(tilt=10.0, ruling="ruled"),
    dict(tilt=-10.0, ruling="squared"),
    dict(ruling="squared", shadow=True, ink=BLUE, tilt=6.0),
], ids=["squared", "ruled", "shadow", "blue-ink", "pencil", "tilt+10-ruled", "tilt-10-squared", "everything"])
def test_photo_reads_like_the_clean_image(kind):
    assert recognize(photograph(**kind)).latex == "x^{2}=1"


def test_ruling_is_taken_out_and_strokes_crossing_it_kept():
    ink = binarize(cv2.cvtColor(photograph(ruling="squared"), cv2.COLOR_RGB2GRAY))
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.view(np.uint8))
    clean = binarize(cv2.imread(str(EXAMPLE), cv2.IMREAD_GRAYSCALE))
    clean_count = cv2.connectedComponents(clean.view(np.uint8))[0]
    assert count == clean_count                                   # no ruling left, no stroke cut in two
    assert stats[1:, cv2.CC_STAT_WIDTH].max() < 400               # no line across the page


def test_tilt_is_measured_from_the_ruling():
    grey = cv2.cvtColor(photograph(ruling="ruled", tilt=8.0), cv2.COLOR_RGB2GRAY)
    skew = estimate_skew(grey)
    assert skew.source == "ruling" and abs(skew.angle - 8.0) < 0.5


def test_a_long_fraction_bar_on_plain_paper_is_not_ruling():
    page = np.zeros((300, 600), bool)
    page[150:153, 50:550] = True
    assert find_ruling(page) is None


@pytest.mark.parametrize("ruling", [None, "ruled", "squared"])
def test_blank_paper_is_no_writing(ruling):
    with pytest.raises(NoInkError, match="no writing found"):
        recognize(photograph(ruling=ruling, shadow=True, writing=False))


def test_two_lines_are_read_in_order():
    result = recognize(Path(__file__).resolve().parent.parent / "examples" / "system.png")
    assert len(result.lines) == 2
    assert result.latex == rf"{result.lines[0].latex} \\ {result.lines[1].latex}"
    assert result.lines[0].symbols[0].bbox.y < result.lines[1].symbols[0].bbox.y
    ids = [line["symbols"] for line in result.to_dict()["lines"]]
    assert ids[0][0] == 0 and ids[1][0] == ids[0][-1] + 1 and ids[1][-1] == len(result.symbols) - 1
