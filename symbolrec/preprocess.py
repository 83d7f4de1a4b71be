"""Grey image → ink mask: flatten the lighting, separate ink from paper, take out ruling, drop specks."""

from __future__ import annotations

import cv2
import numpy as np
import networkx as nx

from symbolrec._types import NoInkError
from symbolrec.rules import Ruling, drop_scraps, find_ruling, inked_lines, remove_ruling

MIN_CONTRAST = 0.2   # ink must be this much darker than paper (as a fraction of paper brightness)
RULE_CONTRAST = 0.05  # ruling may be this faint and still be found
CLEAN_NOISE = 0.01   # paper noisier than this (scaled MAD) is a photo's
PHOTO_REACH = 0.02   # a photo's paper is estimated with a closing this wide (share of the longer side)
REGION_GAP = 3.0     # symbol heights of blank paper that part the writing from a stray mark
REGION_SHARE = 0.15  # a separate group of ink is writing if it has this share of the main group's ink
MAX_GROUPED = 1000   # blobs beyond this are not grouped (a page of text; the recogniser refuses it)
SURVEY_SIDE = 1200   # larger images are looked over at this size before the writing is read closely


def flatten(grey: np.ndarray, *, reach: float | None = None) -> np.ndarray:
    """Divide out the paper's brightness (shadows, gradients); return floats, paper ≈ 1, ink < 1.

    The paper is estimated by a grey closing (ink removed) on a reduced image, so it costs little.
    ``reach`` is the closing's radius as a share of the reduced image's longer side: by default 1/12
    of its shorter side, wide enough for any ink; a photo's hard shadow edges want a smaller one
    (its ink is a small part of a large frame).

    Examples
    --------
    >>> page = np.tile(np.linspace(120, 240, 64).astype(np.uint8), (32, 1))   # light from the right
    >>> page[10:20, 30:33] = 40
    >>> flat = flatten(page)
    >>> bool(abs(flat[5, 5] - flat[5, 60]) < 0.1), bool(flat[15, 31] < 0.5)
    (True, True)
    """
    if grey.ndim != 2:
        raise ValueError(f"grey must be 2-D, got shape {grey.shape}")
    return _divide(grey, _light(grey, reach))


def _light(grey: np.ndarray, reach: float | None = None) -> np.ndarray:
    """The paper's brightness, estimated on ``grey`` reduced to about 400 pixels (float32, reduced)."""
    height, width = grey.shape
    factor = max(1, max(height, width) // 400)
    small = cv2.resize(grey, (max(1, width // factor), max(1, height // factor)), interpolation=cv2.INTER_AREA)
    radius = min(small.shape) // 12 if reach is None else round(reach * max(small.shape))
    size = 2 * max(3, radius) + 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    return cv2.GaussianBlur(paper, (0, 0), size / 4 if reach is None else size / 8)


def _divide(grey: np.ndarray, light: np.ndarray, shape: tuple[int, int] | None = None,
            box: tuple[slice, slice] | None = None) -> np.ndarray:
    """``grey`` over the paper's brightness ``light`` (estimated on an image of ``shape``, by default
    ``grey``'s own), clipped to [0, 1]. ``grey`` is the part ``box`` of that image, if given."""
    height, width = shape or grey.shape
    if box is None:
        paper = cv2.resize(light, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    else:   # stretch only the part under the box, as cv2.resize would have stretched the whole
        sx, sy = light.shape[1] / width, light.shape[0] / height
        x0, y0 = box[1].start, box[0].start
        matrix = np.array([[sx, 0, (x0 + 0.5) * sx - 0.5], [0, sy, (y0 + 0.5) * sy - 0.5]])
        paper = cv2.warpAffine(light, matrix, (grey.shape[1], grey.shape[0]),
                               flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)
    return np.clip(grey.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0), 0.0, 1.0)


def binarize(grey: np.ndarray, *, min_area: int | None = None) -> np.ndarray:
    """Return the ink of ``grey`` as an (H, W) bool mask, the ruling of the page taken out.

    A clean image (paper without noise) is split at Otsu's threshold. A photo's paper is noisy: the
    threshold then lies half-way between the paper and the ink, never within four noise deviations
    of the paper, and a blob is ink only if part of it is clearly dark (hysteresis), so grain and
    JPEG blocks are not. Ruled or squared paper (:mod:`symbolrec.rules`) loses its lines, and marks
    far from the writing are dropped.

    Parameters
    ----------
    grey : (H, W) ndarray of uint8
        Dark ink on light paper, level (see :func:`symbolrec.deskew.straighten`).
    min_area : int, optional
        Smaller blobs are dropped as specks; by default a small share of the larger strokes.

    Returns
    -------
    ink : (H, W) ndarray of bool

    Raises
    ------
    NoInkError
        If nothing on the page is clearly darker than the paper, or only the ruling is.

    Examples
    --------
    >>> page = np.full((40, 60), 230, np.uint8); page[10:30, 20:24] = 40
    >>> ink = binarize(page)
    >>> ink.sum(), ink[20, 21]
    (np.int64(80), np.True_)
    """
    if grey.ndim != 2:
        raise ValueError(f"grey must be 2-D, got shape {grey.shape}")
    # Survey: a large photo is looked over at a reduced size first (darkest pixel of each block kept,
    # so thin lines survive); the writing is then read at full size, in its own box only
    step = max(1, -(-max(grey.shape) // SURVEY_SIDE))
    survey = grey if step == 1 else _shrink_dark(grey, step)
    light = _light(grey)
    flat = _divide(survey, light, grey.shape)
    if float(flat.min()) > 1 - MIN_CONTRAST:
        raise NoInkError("no writing found: the page is blank")
    paper, noise = _paper(flat)
    ruling = None
    if noise >= CLEAN_NOISE:   # a photo: follow the light more closely (hard shadow edges)
        light = _light(grey, reach=PHOTO_REACH)
        flat = _divide(survey, light, grey.shape)
        paper, noise = _paper(flat)
    ruling = find_ruling(flat < paper - max(RULE_CONTRAST, 3 * noise))
    if noise < CLEAN_NOISE and ruling is None:           # a scan or a drawing: as it always was
        if step > 1:
            flat = _divide(grey, light)
        threshold = min(_otsu(flat), 1 - MIN_CONTRAST / 2)
        ink = _drop_specks(flat < threshold, min_area)
    else:
        ink, ruling = _photo_ink(flat, paper, noise, ruling, min_area if step == 1 else None)
        if step > 1 and ink.any():
            ink = _read_closely(grey, light, ink, ruling, step, min_area)
    if not ink.any():
        raise NoInkError("no writing found: only specks on the page" if ruling is None
                         else "no writing found: only the ruling of the page")
    return ink


def _otsu(flat: np.ndarray) -> float:
    """Otsu's threshold of a [0, 1] image, on 256 levels (OpenCV's: scikit-image would pull in
    SciPy, a second of start-up)."""
    level, _ = cv2.threshold(np.round(flat * 255).astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return (level + 0.5) / 255


def _shrink_dark(grey: np.ndarray, step: int) -> np.ndarray:
    """``grey`` reduced ``step`` times, each block by its darkest pixel (thin lines stay dark)."""
    height, width = grey.shape
    darkest = cv2.erode(grey, np.ones((step, step), np.uint8), anchor=(0, 0), borderType=cv2.BORDER_REPLICATE)
    return np.ascontiguousarray(darkest[: height - height % step or height:step, : width - width % step or width:step])


def _read_closely(grey: np.ndarray, light: np.ndarray, rough: np.ndarray, ruling: Ruling | None,
                  step: int, min_area: int | None) -> np.ndarray:
    """The ink at full size inside the box of the writing found on the survey (``rough``)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(rough.view(np.uint8), connectivity=8)
    areas, heights = stats[1:, cv2.CC_STAT_AREA], stats[1:, cv2.CC_STAT_HEIGHT]
    margin = step * (2 + int(np.median(heights[areas >= 0.1 * areas.max()])))   # a symbol's height and more
    ys, xs = np.nonzero(rough)
    top, left = max(0, ys.min() * step - margin), max(0, xs.min() * step - margin)
    bottom = min(grey.shape[0], (ys.max() + 1) * step + margin)
    right = min(grey.shape[1], (xs.max() + 1) * step + margin)
    box = (slice(top, bottom), slice(left, right))
    flat = _divide(grey[box], light, grey.shape, box)
    paper, noise = _paper(flat)
    if ruling is not None:   # the survey's ruling, at full size, on this box's own dark pixels
        lines = ruling.lines[top // step: -(-bottom // step), left // step: -(-right // step)]
        big = np.repeat(np.repeat(lines, step, axis=0), step, axis=1)
        y0, x0 = top - (top // step) * step, left - (left // step) * step
        near = np.zeros((bottom - top, right - left), np.int32)
        part = big[y0:y0 + bottom - top, x0:x0 + right - left]
        near[:part.shape[0], :part.shape[1]] = part
        near = cv2.dilate(near.astype(np.float32), np.ones((step + 1, step + 1), np.uint8)).astype(np.int32)
        dark = flat < paper - max(RULE_CONTRAST, 3 * noise)
        ruling = Ruling(near * dark, ruling.first_down, ruling.thickness * step)
    ink = np.zeros(grey.shape, bool)
    ink[box] = _photo_ink(flat, paper, noise, ruling, min_area, decided=True)[0]
    return ink


def _paper(flat: np.ndarray) -> tuple[float, float]:
    """The paper's level and the spread of its noise (robust: median and scaled MAD, sampled)."""
    sample = flat[::3, ::3]
    level = float(np.median(sample))
    return level, 1.4826 * float(np.median(np.abs(sample - level)))


def _photo_ink(flat: np.ndarray, paper: float, noise: float, ruling: Ruling | None,
               min_area: int | None, *, decided: bool = False) -> tuple[np.ndarray, Ruling | None]:
    """Ink from a noisy or ruled page: threshold half-way to the ink, ruling out, hysteresis, specks
    and stray marks dropped (one labelling serves the last three). Also the lines of the ruling that
    had to be taken out (all of ``ruling`` if ``decided``)."""
    weak_limit = paper - max(MIN_CONTRAST / 2, 4 * noise)
    strong_limit = paper - max(MIN_CONTRAST, 8 * noise)
    candidates = flat < strong_limit
    if ruling is not None:
        candidates &= ~ruling.mask
    if not candidates.any():
        return np.zeros(flat.shape, bool), None
    core = float(np.percentile(flat[candidates], 10))       # the ink's own darkness
    threshold = min((paper + core) / 2, weak_limit)
    ink = flat < threshold
    if ruling is not None:
        ink = drop_scraps(ink, ruling)
        found = ruling
        if not decided:
            ruling = inked_lines(ruling, ink)
        if ruling is not None:   # every line found tells how dark the ruling is where lines cross
            ink = remove_ruling(ink, found, flat)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.view(np.uint8), connectivity=8)
    # Hysteresis: a blob is ink if part of it is clearly dark, not just a little darker than paper
    keep = np.bincount(labels[ink & (flat < strong_limit)], minlength=count) > 0
    keep[0] = False
    areas = stats[:, cv2.CC_STAT_AREA]
    if min_area is None and keep.any():   # specks outnumber strokes on a photo: scale with the strokes
        strokes = areas[keep]
        strokes = strokes[strokes >= 0.1 * strokes.max()]
        min_area = max(3, int(np.percentile(strokes, 90) * 0.004))
    keep &= areas >= (min_area or 1)
    keep[keep] = _writing_groups(stats[keep])
    return keep[labels], ruling


def _writing_groups(stats: np.ndarray) -> np.ndarray:
    """Which blobs (rows of connected-component ``stats``) are the writing: blobs are grouped when
    less than ``REGION_GAP`` symbol heights of paper part their boxes, and a group is writing if it
    holds ``REGION_SHARE`` of the largest group's ink; far, small marks are not."""
    if len(stats) <= 1 or len(stats) > MAX_GROUPED:   # so many blobs are no one expression anyway
        return np.ones(len(stats), bool)
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    w, h, areas = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    symbol = float(np.median(h[areas >= 0.1 * areas.max()]))              # the strokes, not the dots
    gap_x = np.maximum(0, np.maximum(x[:, None], x[None, :]) - np.minimum((x + w)[:, None], (x + w)[None, :]))
    gap_y = np.maximum(0, np.maximum(y[:, None], y[None, :]) - np.minimum((y + h)[:, None], (y + h)[None, :]))
    near = np.hypot(gap_x, gap_y) <= REGION_GAP * symbol
    graph = nx.Graph(zip(*np.nonzero(near)))
    group = np.empty(len(stats), np.int64)
    for number, members in enumerate(nx.connected_components(graph)):
        group[list(members)] = number
    mass = np.bincount(group, weights=areas.astype(np.float64))
    return mass[group] >= REGION_SHARE * mass.max()


def _drop_specks(ink: np.ndarray, min_area: int | None) -> np.ndarray:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    if min_area is None:  # a speck is far smaller than a pen dot: scale with the largest strokes
        min_area = max(3, int(np.percentile(areas, 90) * 0.004)) if len(areas) else 3
    keep = np.zeros(count, bool)
    keep[1:] = areas >= min_area
    return keep[labels]
