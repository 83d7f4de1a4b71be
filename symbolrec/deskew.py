"""Find how far a photographed page is turned, and turn it level.

Pupils hold the phone at a slant; the layout stage reads baselines as horizontal, so a 10° tilt turns
a plain ``x^{2}`` into a subscript. The angle is the one at which the dark pixels (ruling and writing)
pile up into the sharpest rows: a projection profile, searched over ±15°. Ruling, when there is some,
dominates the profile, so the page's own lines set the angle; on plain paper the writing does.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from symbolrec.rules import find_ruling


MAX_ANGLE = 15.0        # degrees searched either way
# Smaller tilts are left alone. The writing's own angle is off by 2–3° (handwriting is not level),
# and far more on a short expression: turning by it past 4° won 2 points on 200 valid_2013 photos
# and lost 2.5 on the clean drawings; past 4° or 5° when its cues agree within 2.5°, nothing on
# photos. So the ruling alone turns the page.
MIN_ANGLE = {"ruling": 1.0, "writing": float("inf")}
ANALYSIS_SIDE = 800     # the angle is found on the image scaled to this (it needs no more)
MAX_POINTS = 20_000     # dark pixels sampled for the profile


@dataclass(frozen=True)
class Straightened:
    """A page turned level: the image, the angle it was turned back by, and the pixel mapping."""

    image: np.ndarray       # (H, W) uint8, the input's shape
    angle: float            # degrees the page was tilted anticlockwise; 0 when left alone
    matrix: np.ndarray      # (3, 3) float64: input pixel (x, y, 1) → output pixel


@dataclass(frozen=True)
class Skew:
    """How far the rows of a page are turned, and what says so."""

    angle: float     # degrees, positive when the rows rise to the right (the page turned anticlockwise)
    source: str      # "ruling" (the page's printed lines), "writing", or "none" (too little to tell)


def estimate_skew(grey: np.ndarray, *, writing: bool = True) -> Skew:
    """The tilt of the ruling in ``grey`` or, on plain paper, of the writing.

    Ruling is found as at least three long parallel lines in the row profile of the dark pixels,
    searched over ±15°. Without ruling the writing decides: the horizontal bars of ``=``, ``-``
    and fractions, else the line through the symbols' centres (a robust Theil–Sen fit); ``writing``
    false skips that.

    Parameters
    ----------
    grey : (H, W) ndarray of uint8
        Dark ink on light paper.

    Returns
    -------
    Skew

    Examples
    --------
    >>> page = np.full((200, 400), 230, np.uint8)
    >>> for y in range(40, 200, 30):
    ...     _ = cv2.line(page, (0, y + 35), (399, y - 35), 60, 2)   # rules rising 10° to the right
    >>> skew = estimate_skew(page)
    >>> round(skew.angle), skew.source
    (10, 'ruling')
    """
    if grey.ndim != 2:
        raise ValueError(f"grey must be 2-D, got shape {grey.shape}")
    dark = _thin_dark(grey)
    if dark is None or np.count_nonzero(dark) < 30:
        return Skew(0.0, "none")
    ruling = _ruling_angle(dark)
    if ruling is not None:
        return Skew(ruling, "ruling")
    angle = _writing_angle(dark) if writing else None
    return Skew(0.0, "none") if angle is None else Skew(angle, "writing")


def _thin_dark(grey: np.ndarray) -> np.ndarray | None:
    """Thin dark things (ruling, strokes) on a copy at most ``ANALYSIS_SIDE`` wide, as a bool mask."""
    height, width = grey.shape
    factor = min(1.0, ANALYSIS_SIDE / max(height, width))
    small = grey
    if factor < 1.0:   # a minimum filter first, so one-pixel ruling survives the scaling down
        reach = int(np.ceil(1 / factor))
        small = cv2.erode(grey, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
        small = cv2.resize(small, (max(1, round(width * factor)), max(1, round(height * factor))),
                           interpolation=cv2.INTER_AREA)
    if min(small.shape) < 16:
        return None
    # Each pixel against the paper around it, not the page: shading and shadows drop out
    size = 2 * max(3, min(small.shape) // 40) + 1
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
    flat = small.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)
    sample = flat[::2, ::2]
    level = float(np.median(sample))
    spread = 1.4826 * float(np.median(np.abs(sample - level)))
    return flat < level - max(0.05, 3 * spread)


def _ruling_angle(dark: np.ndarray) -> float | None:
    """The angle of the page's ruling, if at least three long parallel lines cross it."""
    profile = _row_profile(dark)

    def sharpness(angle: float) -> float:
        steps = np.diff(profile(angle).astype(np.float64))
        return float(np.dot(steps, steps))

    coarse = np.arange(-MAX_ANGLE, MAX_ANGLE + 1e-9, 1.0)
    best = float(coarse[int(np.argmax([sharpness(a) for a in coarse]))])
    fine = np.arange(best - 0.9, best + 0.91, 0.1)
    best = float(fine[int(np.argmax([sharpness(a) for a in fine]))])
    # Ruling, if the page turned by that angle holds long printed lines (symbolrec.rules decides)
    rotation = cv2.getRotationMatrix2D((dark.shape[1] / 2, dark.shape[0] / 2), -best, 1.0)
    level = cv2.warpAffine(dark.view(np.uint8), rotation, dark.shape[::-1], flags=cv2.INTER_NEAREST)
    return round(best, 1) if find_ruling(level.view(bool)) is not None else None


def _writing_angle(dark: np.ndarray) -> float | None:
    """The angle of the writing: the median of three cues, each alone off by some 2–3° (handwriting
    is not level): the row profile of the ink, its horizontal bars, the line through its symbols."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark.astype(np.uint8), connectivity=8)
    if count < 2:
        return None
    areas = stats[1:, cv2.CC_STAT_AREA].astype(np.float64)
    keep = areas >= max(4.0, 0.02 * areas.max())                  # noise specks say nothing
    if not keep.any():
        return None
    # Second moments of every component at once: centre, orientation, elongation
    ys, xs = np.nonzero(labels)
    ids = labels[ys, xs]
    n = np.bincount(ids, minlength=count)[1:].astype(np.float64)
    def mean(values):
        return np.bincount(ids, values, minlength=count)[1:] / np.maximum(n, 1)
    cx, cy = mean(xs.astype(np.float64)), mean(ys.astype(np.float64))
    sxx = mean(xs.astype(np.float64) ** 2) - cx ** 2
    syy = mean(ys.astype(np.float64) ** 2) - cy ** 2
    sxy = mean(xs.astype(np.float64) * ys) - cx * cy
    orientation = -np.degrees(0.5 * np.arctan2(2 * sxy, sxx - syy))   # rising to the right: positive
    spread = np.sqrt(np.maximum((sxx - syy) ** 2 + 4 * sxy ** 2, 0))
    major, minor = (sxx + syy + spread) / 2, np.maximum((sxx + syy - spread) / 2, 0.05)
    elongation = np.sqrt(major / minor)
    length = 4 * np.sqrt(major)
    heights = stats[1:, cv2.CC_STAT_HEIGHT].astype(np.float64)
    tall = keep & (heights >= stats[1:, cv2.CC_STAT_WIDTH] / 3)
    symbol = float(np.median(heights[tall])) if tall.any() else float(np.median(heights[keep]))
    bars = keep & (elongation >= 4) & (np.abs(orientation) <= 20) & (length >= 0.5 * symbol)
    votes = [_row_angle(np.isin(labels, np.flatnonzero(keep) + 1))]
    if length[bars].sum() >= 1.5 * symbol:                 # the bars of =, - and fractions
        votes.append(_weighted_median(orientation[bars], length[bars]))
    ordinary = keep & (heights >= 0.5 * symbol) & ~bars    # a robust line through the symbols' centres
    px, py = cx[ordinary], cy[ordinary]
    i, j = np.triu_indices(len(px), 1)
    far = np.abs(px[j] - px[i]) >= symbol
    if np.count_nonzero(far) >= 3:
        slopes = (py[j] - py[i])[far] / (px[j] - px[i])[far]
        votes.append(float(-np.degrees(np.arctan(np.median(slopes)))))
    return float(np.median(votes))


def _row_profile(mask: np.ndarray):
    """A function of an angle (degrees): how many of the mask's pixels (at most ``MAX_POINTS`` of
    them, evenly sampled) fall in each row of the mask turned by that angle about its centre."""
    ys, xs = np.nonzero(mask)
    step = max(1, len(xs) // MAX_POINTS)
    ys = ys[::step].astype(np.float32) - mask.shape[0] / 2
    xs = xs[::step].astype(np.float32) - mask.shape[1] / 2
    offset = float(np.hypot(*mask.shape)) / 2 + 2

    def profile(angle: float) -> np.ndarray:
        theta = np.deg2rad(angle)
        return np.bincount(np.round(ys * np.cos(theta) + xs * np.sin(theta) + offset).astype(np.int64))

    return profile


def _row_angle(mask: np.ndarray) -> float:
    """The angle at which the mask's pixels pile into the sharpest rows (a projection profile)."""
    profile = _row_profile(mask)

    def sharpness(angle: float) -> float:
        counts = profile(angle)
        return float(np.dot(counts, counts))

    angles = np.arange(-MAX_ANGLE, MAX_ANGLE + 1e-9, 0.5)
    return float(angles[int(np.argmax([sharpness(a) for a in angles]))])


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def straighten(grey: np.ndarray, *, min_angle: dict[str, float] | None = None) -> Straightened:
    """Turn ``grey`` level about its centre, keeping its shape (the corners fill with paper).

    Tilts under ``min_angle[source]`` degrees (default :data:`MIN_ANGLE`: 1° when the ruling says so;
    the writing alone never turns the page) are left alone, so a scan or a clean image comes back
    untouched.

    Examples
    --------
    >>> flat = np.full((50, 80), 255, np.uint8)
    >>> straighten(flat).angle
    0.0
    """
    limits = MIN_ANGLE if min_angle is None else {**MIN_ANGLE, **min_angle}
    skew = estimate_skew(grey, writing=np.isfinite(limits["writing"]))
    angle = skew.angle
    if skew.source == "none" or abs(angle) < limits[skew.source]:
        return Straightened(grey, 0.0, np.eye(3))
    height, width = grey.shape
    rotation = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)   # clockwise by `angle`
    level = cv2.warpAffine(grey, rotation, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    # The corners turned in from outside the photo: fill them with the paper nearby, smoothly (copying
    # the edge pixels instead would draw streaks, and every rule crossing the edge a dark line)
    corners = cv2.transform(np.array([[[0, 0], [width, 0], [width, height], [0, height]]], np.float64), rotation)
    outside = np.full((height, width), 255, np.uint8)
    cv2.fillConvexPoly(outside, np.round(corners[0] * 16).astype(np.int32), 0, cv2.LINE_8, 4)
    outside = cv2.dilate(outside, np.ones((5, 5), np.uint8)) > 0
    if outside.any():
        step = max(1, max(height, width) // 64)
        paper = cv2.dilate(cv2.resize(grey, (max(1, width // step), max(1, height // step)),
                                      interpolation=cv2.INTER_AREA), np.ones((3, 3), np.uint8))
        small = cv2.getRotationMatrix2D((paper.shape[1] / 2, paper.shape[0] / 2), -angle, 1.0)
        paper = cv2.warpAffine(paper, small, paper.shape[::-1], flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        level[outside] = cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR)[outside]
    return Straightened(level, angle, np.vstack([rotation, [0.0, 0.0, 1.0]]))
