"""Find the printed ruling of an exercise book (lines, squares) and take it out of the ink.

The page has been turned level (:mod:`symbolrec.deskew`), so ruling is long horizontal and vertical
runs of dark pixels: a morphological opening with a long thin line keeps them and drops the
writing, whose strokes are short. A run counts as ruling only if it crosses a good part of the page
and at least :data:`MIN_RULES` such lines run the same way, so a long fraction bar on plain paper is
never taken for a rule. Removing the ruling must not cut the strokes that cross it: pixels much
darker than the ruling stay ink, and the gap a rule leaves in a crossing stroke is closed again.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MIN_RULES = 3          # long parallel lines needed to call a page ruled
MIN_SPAN = 0.4         # a rule crosses at least this share of the page
MIN_LENGTH = 8         # and is at least this many times the opening's length (a small image has no ruling)
SLACK = 5              # pixels a line is widened across before the opening
INKED = 0.3            # a line is taken out only if the threshold took this share of its length for ink
DARKER = 0.3           # ink on a rule is darker than the rule's core by this share of its contrast
LONE_RULES = 4         # a lone line across the ruling (a margin) crosses at least this many rules
MIN_COVER = 0.8        # share of its length a rule's dark pixels cover
MAX_THICKNESS = 0.5    # a rule's mean thickness, as a share of the opening's length
LOCAL_SPAN = 60        # pixels of a rule, at least, over which its darkness is measured


@dataclass(frozen=True)
class Ruling:
    """The ruling found on a page: each line's pixels, which way the lines run, how thick they are."""

    lines: np.ndarray       # (H, W) int32: 0 off the ruling, else the number of the line the pixel is on
    first_down: int         # lines numbered below this run across the page, the others down it
    thickness: float        # mean thickness of a line in pixels

    @property
    def mask(self) -> np.ndarray:
        """(H, W) bool, True on any ruling."""
        return self.lines > 0

    @property
    def across(self) -> np.ndarray:
        """(H, W) bool, True on the lines across the page."""
        return (self.lines > 0) & (self.lines < self.first_down)

    @property
    def down(self) -> np.ndarray:
        """(H, W) bool, True on the lines down the page (squared paper, a margin)."""
        return self.lines >= self.first_down

    @property
    def horizontal(self) -> bool:
        return bool(self.across.any())

    @property
    def vertical(self) -> bool:
        return bool(self.down.any())


def find_ruling(dark: np.ndarray, *, length: int | None = None) -> Ruling | None:
    """The ruling among the dark pixels of a level page, or None when the page is not ruled.

    Parameters
    ----------
    dark : (H, W) ndarray of bool
        Everything clearly darker than the paper (ink and ruling alike).
    length : int, optional
        Length of the opening; by default 1/25 of the page's shorter side, at least 25 pixels.

    Returns
    -------
    Ruling or None

    Examples
    --------
    >>> page = np.zeros((120, 300), bool)
    >>> page[20::30, :] = True                     # four rules
    >>> page[35:85, 150:153] = True                # a stroke crossing two of them
    >>> ruling = find_ruling(page)
    >>> ruling.horizontal, ruling.vertical, int(ruling.mask[20].sum()) >= 290
    (True, False, True)
    """
    if dark.ndim != 2 or dark.dtype != np.bool_:
        raise ValueError(f"dark must be a 2-D bool array, got {dark.dtype} of shape {dark.shape}")
    height, width = dark.shape
    length = length or max(25, min(height, width) // 25)
    image = dark.view(np.uint8)
    directions = {}
    lines, thickness = {}, []
    for name, kernel, span in (("horizontal", (length, 1), width), ("vertical", (1, length), height)):
        # Widened across first, so a line a few degrees off (perspective) still holds long runs
        across = (1, SLACK) if name == "horizontal" else (SLACK, 1)
        wide = cv2.dilate(image, cv2.getStructuringElement(cv2.MORPH_RECT, across))
        runs = cv2.morphologyEx(wide, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel)) & image
        # Join the pieces of one rule (broken where the paper is noisy or the line faint)
        joined = cv2.morphologyEx(runs, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        count, labels = cv2.connectedComponents(joined, connectivity=8)
        # Each joined line's extent and thickness, from its own dark pixels (not the bridged gaps)
        ys, xs = np.nonzero(runs)
        owner = labels[ys, xs]
        position = xs if name == "horizontal" else ys
        first = np.full(count, span, np.int64)
        last = np.full(count, -1, np.int64)
        np.minimum.at(first, owner, position)
        np.maximum.at(last, owner, position)
        along = np.maximum(last - first + 1, 1)
        mean_thickness = np.bincount(owner, minlength=count) / along
        # A printed line runs on unbroken (under the writing too); a row of writing has gaps
        covered = _positions(owner, position, count, span)
        thin = (mean_thickness <= MAX_THICKNESS * length) & (covered >= MIN_COVER * along)
        thin[0] = False
        # Where each line lies across its direction (its mean row, or column), for the spacing
        across_position = np.bincount(owner, ys if name == "horizontal" else xs, minlength=count) / np.maximum(
            np.bincount(owner, minlength=count), 1)
        long = along >= max(MIN_SPAN * span, MIN_LENGTH * length)
        lines[name] = dict(rules=np.flatnonzero(thin & long), labels=labels, along=along,
                           thin=thin, thickness=mean_thickness, position=across_position)
    counts = {name: len(found["rules"]) for name, found in lines.items()}
    if max(counts.values()) < MIN_RULES:
        return None
    for name, found in lines.items():
        rules = found["rules"]
        if counts[name] < MIN_RULES:   # on a ruled page a lone line the other way (a margin) is ruling too
            other = lines["vertical" if name == "horizontal" else "horizontal"]
            spacing = float(np.median(np.diff(np.sort(other["position"][other["rules"]]))))
            rules = np.flatnonzero(found["thin"] & (found["along"] >= LONE_RULES * spacing))
            counts[name] = len(rules)
        if len(rules):
            number = np.zeros(len(found["along"]), np.int32)
            number[rules] = np.arange(1, len(rules) + 1)
            directions[name] = number[found["labels"]] * dark   # the whole line, also bits too bent for the opening
            thickness.extend(found["thickness"][rules])
    across = directions.get("horizontal", np.zeros(dark.shape, np.int32))
    down = directions.get("vertical", np.zeros(dark.shape, np.int32))
    first_down = int(across.max()) + 1
    lines = np.where(down > 0, down + (first_down - 1), across).astype(np.int32)
    return Ruling(lines, first_down, float(np.median(thickness)))


def inked_lines(ruling: Ruling, ink: np.ndarray) -> Ruling | None:
    """The lines of ``ruling`` that a threshold took for ink, or None: pale ruling stays under the
    threshold and needs no taking out (and taking it out would only risk the strokes along it).

    Examples
    --------
    >>> page = np.zeros((120, 300), bool); page[20::30, :] = True
    >>> ruling = find_ruling(page)
    >>> inked_lines(ruling, np.zeros_like(page)) is None, inked_lines(ruling, page).horizontal
    (True, True)
    """
    count = int(ruling.lines.max()) + 1
    inked = _length(ruling, ink) >= INKED * _length(ruling, ruling.mask)
    inked[0] = False
    if not inked.any():
        return None
    return Ruling(np.where(inked[ruling.lines], ruling.lines, 0).astype(np.int32), ruling.first_down, ruling.thickness)


def _length(ruling: Ruling, where: np.ndarray) -> np.ndarray:
    """How far each line of ``ruling`` runs through ``where``: the columns (rows for lines down the
    page) it holds a pixel of ``where`` in. A rule counts as inked by its length, not its pixels:
    blur widens it, and only its core need pass the ink threshold."""
    ys, xs = np.nonzero(where & ruling.mask)
    owner = ruling.lines[ys, xs].astype(np.int64)
    position = np.where(owner < ruling.first_down, xs, ys).astype(np.int64)
    return _positions(owner, position, int(ruling.lines.max()) + 1, max(where.shape))


def _positions(owner: np.ndarray, position: np.ndarray, count: int, span: int) -> np.ndarray:
    """For each of ``count`` owners, how many distinct ``position`` values (0 ≤ p < ``span``) it has."""
    seen = np.zeros((count, span), bool)
    seen[owner, position] = True
    return np.count_nonzero(seen, axis=1)


def drop_scraps(ink: np.ndarray, ruling: Ruling) -> np.ndarray:
    """``ink`` without the blobs no bigger than a line is wide that lie wholly on the ruling: where two
    pale lines cross they darken each other past the ink threshold, and leave dots.

    Examples
    --------
    >>> page = np.zeros((120, 300), bool); page[20::30, :] = True; page[:, 40] = True
    >>> ruling = find_ruling(page)
    >>> ink = np.zeros_like(page); ink[49:52, 39:42] = True; ink[60:90, 100:103] = True
    >>> int(drop_scraps(ink, ruling).sum())
    90
    """
    gap = gap_of(ruling)
    reach = max(1, int(round(ruling.thickness / 2)) + 1)
    band = cv2.dilate(ruling.mask.view(np.uint8), np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)).view(bool)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.view(np.uint8), connectivity=8)
    off_band = np.bincount(labels[ink & ~band], minlength=count) > 0
    small = (stats[:, cv2.CC_STAT_WIDTH] <= gap) & (stats[:, cv2.CC_STAT_HEIGHT] <= gap)
    keep = off_band | ~small
    keep[0] = False
    return keep[labels]


def _local_mean(values: np.ndarray, where: np.ndarray, size: tuple[int, int], *,
                fallback: np.ndarray | None = None) -> np.ndarray:
    """The mean of ``values`` over the ``where`` pixels in a ``size`` (width, height) box around each
    pixel (``fallback``, or 1, where the box holds none)."""
    weight = cv2.boxFilter(where.astype(np.float32), -1, size, normalize=False)
    total = cv2.boxFilter(np.where(where, values, 0).astype(np.float32), -1, size, normalize=False)
    empty = 1.0 if fallback is None else fallback
    return np.where(weight > 0.5, total / np.maximum(weight, 1e-6), empty).astype(np.float32)


def gap_of(ruling: Ruling) -> int:
    """How wide a gap taking a line of ``ruling`` out leaves in a stroke crossing it, in pixels."""
    reach = max(1, int(round(ruling.thickness / 2)) + 1)
    return int(np.ceil(ruling.thickness)) + 2 * reach + 2


def remove_ruling(ink: np.ndarray, ruling: Ruling, flat: np.ndarray) -> np.ndarray:
    """``ink`` without the ruling, strokes that cross it kept whole.

    Parameters
    ----------
    ink : (H, W) ndarray of bool
        The ink found by thresholding, ruling included.
    ruling : Ruling
        From :func:`find_ruling`.
    flat : (H, W) ndarray of float32
        The flattened page (paper ≈ 1), to tell ink that lies on a rule from the rule.

    Returns
    -------
    ink : (H, W) ndarray of bool
        A new array.
    """
    # The rules as the threshold saw them: blur leaves a wide pale halo, and only the core is ink
    whole = ruling
    seen = np.where(ink, ruling.lines, 0).astype(np.int32)
    length = _length(ruling, seen > 0)[1:].sum()
    if length:
        ruling = Ruling(seen, ruling.first_down, min(ruling.thickness, np.count_nonzero(seen) / length))
    reach = max(1, int(round(ruling.thickness / 2)) + 1)
    near = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
    band = cv2.dilate(ruling.mask.view(np.uint8), near).view(bool)
    # How dark the ruling is at each pixel of the band: the mean of the line's pixels along a
    # stretch of it (a shadow or a fading line changes it as it goes), leaving out pixels clearly
    # darker than the line as a whole (the ink on it); spread over the band, and where two lines
    # cross (a pale one too) their darkness multiplies
    count = int(whole.lines.max()) + 1
    owner, values = whole.lines[whole.mask], flat[whole.mask]
    typical = np.ones(count, np.float32)
    typical[1:] = [np.median(values[owner == k]) if np.any(owner == k) else 1.0 for k in range(1, count)]
    # Printed lines run the same way are equally dark: a line much of whose length carries writing
    # (a fraction bar along a rule, strokes along it) takes the darkness of its fellows
    for first, last in ((1, min(whole.first_down, count)), (whole.first_down, count)):
        if last - first >= MIN_RULES:   # (a crop of the page may hold fewer lines than were numbered)
            typical[first:last] = np.maximum(typical[first:last], np.median(typical[first:last]))
    plain = whole.mask & (flat >= (typical - DARKER * (1 - typical))[whole.lines])
    stretch = max(LOCAL_SPAN, 8 * gap_of(ruling))
    spread = np.ones((2 * gap_of(whole) // 2 + 1,) * 2, np.uint8)   # over the halo, and a line across
    level = np.ones(flat.shape, np.float32)
    for part, along in ((whole.across, (stretch, 1)), (whole.down, (1, stretch))):
        if part.any():
            local = _local_mean(flat, plain & part, along, fallback=typical[whole.lines])
            level *= cv2.erode(np.where(part, local, 1.0).astype(np.float32), spread)
    kept = ink & ~band
    # Pixels on the ruling clearly darker than the ruling itself are ink lying on it
    darker = flat < level - DARKER * (1 - level)
    kept |= ink & band & darker
    # A stroke crossing a rule: ink on both sides of the band, bridge the gap straight across or
    # slanting (a closing with a line as long as the band is wide, upright and at ±45°)
    gap = gap_of(ruling)
    lines = [np.eye(gap, dtype=np.uint8), np.eye(gap, dtype=np.uint8)[::-1].copy()]
    if ruling.horizontal:
        lines.append(np.ones((gap, 1), np.uint8))
    if ruling.vertical:
        lines.append(np.ones((1, gap), np.uint8))
    bridges = np.zeros(ink.shape, np.uint8)
    for line in lines:
        bridges |= cv2.morphologyEx(kept.view(np.uint8), cv2.MORPH_CLOSE, line)
    kept |= bridges.view(bool) & band & ink
    # What is left wholly on the ruling and no darker than it is a scrap of the ruling (where two
    # lines cross, or the ruling was thicker than found), not writing
    count, labels = cv2.connectedComponents(kept.view(np.uint8), connectivity=8)
    off_ruling = np.bincount(labels[kept & (~band | darker)], minlength=count) > 0
    off_ruling[0] = False
    return off_ruling[labels]
