"""Turn a clean rendering into what a pupil photographs: an exercise book under a desk lamp.

:func:`training.render.render` draws CROHME ink as a scanner would see it: black on white, upright,
filling the image. :func:`photo` puts that ink on paper the way a phone sees it: off-white paper with
texture, a lighting gradient and a cast shadow, ruled or squared lines, blue, black or pencil ink,
a tilt of up to ±10°, a mild perspective, blur, sensor noise, JPEG compression, and the expression
small in a large frame. Each degradation has a name (:data:`DEGRADATIONS`) and can be applied on
its own (``photo(image, rng, only="shadow")``); every random choice is drawn up front, in the same
order, so a degradation is the same whether it is applied alone or with the others.

The geometry is one homography from the clean image to the photo (:attr:`Photo.homography`), so the
per-symbol masks of the rendering can be carried over (:func:`warp_mask`) and the segmentation
still scored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import cv2
import numpy as np

from symbolrec import HandmathError
from symbolrec.load import load_with_transform
from symbolrec.preprocess import binarize

DEGRADATIONS = ("frame", "paper", "shadow", "lines", "ink", "rotation", "perspective", "blur", "noise", "jpeg")
MAX_SIDE = 2400          # longest side of a framed photo (what symbolrec.load works at)
MARGIN = 16              # pixels of paper around the expression when it is not framed


@dataclass(frozen=True)
class PhotoStyle:
    """Every random choice of one photo, drawn by :meth:`random` before anything is drawn."""

    scale: float                                  # frame: symbol size relative to the rendering
    fill: float                                   # frame: the expression's share of the frame's width
    place: tuple[float, float]                    # frame: where in the free space (0–1, 0–1)
    paper: tuple[float, float, float]             # paper: RGB reflectance, 0–1
    texture: float                                # paper: amplitude of the mottling and grain
    light: float                                  # shadow: overall exposure
    gradient: float                               # shadow: darkening across the frame
    gradient_angle: float                         # shadow: its direction, radians
    shadow: float                                 # shadow: darkness of the cast shadow
    shadow_angle: float                           # shadow: direction of its edge, radians
    shadow_offset: float                          # shadow: where its edge crosses, −0.5–0.5 of the frame
    shadow_softness: float                        # shadow: width of the edge, fraction of the frame
    rules: str                                    # lines: "ruled" or "squared"
    ruled_page: bool                              # lines: drawn at all in the full mix
    spacing: float                                # lines: in symbol heights
    rule_phase: tuple[float, float]               # lines: offset of the lattice, fraction of spacing
    rule_colour: tuple[float, float, float]       # lines: RGB, 0–1
    rule_strength: float                          # lines: opacity
    rule_width: float                             # lines: pixels at scale 1
    margin_line: bool                             # lines: a red margin line left of the writing
    ink: str                                      # ink: "black", "blue" or "pencil"
    ink_colour: tuple[float, float, float]        # ink: RGB, 0–1
    ink_strength: float                           # ink: opacity (pencil is light)
    rotation: float                               # rotation: degrees, counter-clockwise
    corners: tuple[float, ...]                    # perspective: 8 corner shifts, fractions of the frame
    blur: float                                   # blur: Gaussian sigma in pixels
    noise: float                                  # noise: sigma in grey levels
    jpeg: int                                     # jpeg: quality
    seed: int                                     # texture, grain and noise fields

    @classmethod
    def random(cls, rng: np.random.Generator) -> "PhotoStyle":
        """Draw a style; the same generator state always gives the same style."""
        brightness = rng.uniform(0.86, 0.97)
        warm = rng.uniform(0.0, 0.06)
        paper = (brightness, brightness - warm * 0.4, brightness - warm)
        rules = str(rng.choice(["ruled", "squared"]))
        blueish = rng.random() < 0.6
        if blueish:
            rule_colour = (rng.uniform(0.45, 0.75), rng.uniform(0.6, 0.82), rng.uniform(0.82, 0.95))
        else:
            grey = rng.uniform(0.55, 0.8)
            rule_colour = (grey, grey, grey)
        ink = str(rng.choice(["black", "blue", "pencil"]))
        if ink == "black":
            level = rng.uniform(0.05, 0.2)
            ink_colour, strength = (level, level, level + 0.02), rng.uniform(0.85, 1.0)
        elif ink == "blue":
            ink_colour = (rng.uniform(0.05, 0.2), rng.uniform(0.12, 0.3), rng.uniform(0.45, 0.7))
            strength = rng.uniform(0.85, 1.0)
        else:
            level = rng.uniform(0.2, 0.35)
            ink_colour, strength = (level, level, level * 1.05), rng.uniform(0.7, 0.9)
        return cls(
            scale=float(rng.uniform(0.8, 1.5)), fill=float(rng.uniform(0.25, 0.55)),
            place=(float(rng.random()), float(rng.random())),
            paper=tuple(float(c) for c in paper), texture=float(rng.uniform(0.01, 0.035)),
            light=float(rng.uniform(0.75, 1.0)), gradient=float(rng.uniform(0.05, 0.3)),
            gradient_angle=float(rng.uniform(0, 2 * np.pi)),
            shadow=float(rng.uniform(0.2, 0.5)), shadow_angle=float(rng.uniform(0, 2 * np.pi)),
            shadow_offset=float(rng.uniform(-0.4, 0.4)), shadow_softness=float(rng.uniform(0.02, 0.12)),
            rules=rules, ruled_page=bool(rng.random() < 0.75),
            spacing=float(rng.uniform(1.4, 2.2) if rules == "ruled" else rng.uniform(0.9, 1.4)),
            rule_phase=(float(rng.random()), float(rng.random())),
            rule_colour=tuple(float(c) for c in rule_colour), rule_strength=float(rng.uniform(0.4, 0.8)),
            rule_width=float(rng.uniform(1.0, 2.5)), margin_line=bool(rng.random() < 0.4),
            ink=ink, ink_colour=tuple(float(c) for c in ink_colour), ink_strength=float(strength),
            rotation=float(rng.uniform(-10, 10)),
            corners=tuple(float(c) for c in np.clip(rng.normal(0, 0.02, 8), -0.05, 0.05)),
            blur=float(rng.uniform(0.6, 1.6)), noise=float(rng.uniform(2, 6)),
            jpeg=int(rng.integers(50, 91)), seed=int(rng.integers(2**31)),
        )


@dataclass(frozen=True)
class Photo:
    """A photographed expression: RGB image, the clean → photo homography, the symbols' masks."""

    image: np.ndarray                      # (H, W, 3) uint8 RGB
    homography: np.ndarray                 # (3, 3) float64: clean pixel (x, y, 1) → photo pixel
    symbol_masks: tuple[np.ndarray, ...]   # (H, W) bool, one per mask given to :func:`photo`
    style: PhotoStyle


def photo(image: np.ndarray, rng: np.random.Generator, *, masks: Iterable[np.ndarray] = (),
          only: str | Iterable[str] | None = None, symbol_height: float = 40.0,
          frame: tuple[int, int] | None = None) -> Photo:
    """Photograph a clean rendering: paper, light, lines, ink colour, tilt, blur, noise, JPEG.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
        A clean rendering, dark ink on white (``training.render.render(...).image``).
    rng : numpy.random.Generator
        The source of every random choice; the same state gives the same photo.
    masks : iterable of (H, W) ndarray of bool, optional
        Per-symbol masks of ``image``; returned warped onto the photo.
    only : str or iterable of str, optional
        Apply only these degradations (names from :data:`DEGRADATIONS`); all of them by default.
        A degradation named here is always applied (the full mix leaves a quarter of pages unruled).
    symbol_height : float
        Median symbol height of ``image`` in pixels (the rule spacing follows it).
    frame : (int, int), optional
        Width and height of the photo when the expression is framed (a phone's 4000×3000);
        by default the frame follows the expression's size, at most :data:`MAX_SIDE` wide.

    Returns
    -------
    Photo

    Raises
    ------
    ValueError
        If ``image`` is not a 2-D uint8 array, or ``only`` names an unknown degradation.

    Examples
    --------
    >>> clean = np.full((60, 80), 255, np.uint8); clean[20:40, 30:34] = 0
    >>> shot = photo(clean, np.random.default_rng(0), only="shadow")
    >>> shot.image.shape, shot.image.dtype
    ((60, 80, 3), dtype('uint8'))
    """
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError(f"image must be a 2-D uint8 rendering, got {image.dtype} of shape {image.shape}")
    chosen = set(DEGRADATIONS if only is None else [only] if isinstance(only, str) else only)
    unknown = chosen - set(DEGRADATIONS)
    if unknown:
        raise ValueError(f"unknown degradations {sorted(unknown)}; choose from {DEGRADATIONS}")
    style = PhotoStyle.random(rng)
    return render_photo(image, style, chosen, masks=masks, symbol_height=symbol_height,
                        forced=only is not None, frame=frame)


def render_photo(image: np.ndarray, style: PhotoStyle, chosen: set[str], *, masks: Iterable[np.ndarray] = (),
                 symbol_height: float = 40.0, forced: bool = False, frame: tuple[int, int] | None = None) -> Photo:
    """:func:`photo` with the style given: the degradations in ``chosen`` applied in camera order."""
    noise_rng = np.random.default_rng(style.seed)
    if "frame" in chosen:         # a very long expression: drawn smaller, so that it fits the frame
        side = MAX_SIDE if frame is None else min(frame)
        style = _replace(style, scale=min(style.scale, 0.85 * side / max(image.shape[1], 1)))
    scale = style.scale if "frame" in chosen else 1.0
    homography, size = _geometry(image.shape, style, chosen, frame)
    width, height = size

    # The ink, carried by the geometry (coverage 0–1), drawn only where the expression lands
    left, top, right, bottom = _footprint(image.shape, homography, (width, height))
    shift = np.array([[1, 0, -left], [0, 1, -top], [0, 0, 1]], np.float64) @ homography
    coverage = cv2.warpPerspective((255 - image).astype(np.float32) / 255, shift, (right - left, bottom - top),
                                   flags=cv2.INTER_LINEAR, borderValue=0)
    if "ink" in chosen:
        colour, strength = np.array(style.ink_colour, np.float32), style.ink_strength
        if style.ink == "pencil":   # graphite is grainy: the coverage varies along the stroke
            grain = noise_rng.uniform(0.55, 1.0, coverage.shape).astype(np.float32)
            coverage *= cv2.GaussianBlur(grain, (0, 0), 0.8)
    else:
        colour, strength = np.zeros(3, np.float32), 1.0
    # Paper, light, lines and ink multiply, channel by channel: each filters the light the paper sends back
    shade = np.ones((height, width), np.float32)
    tint = np.ones(3, np.float32)
    if "paper" in chosen:
        shade = _texture(height, width, style.texture, noise_rng)
        tint *= np.array(style.paper, np.float32)
    if "shadow" in chosen:   # exposure, a gradient across the frame, a cast shadow, a slight vignette
        shade *= _lighting(height, width, style)
        tint *= np.array([0.97, 0.99, 1.0], np.float32)
    lines = []
    if "lines" in chosen and (style.ruled_page or forced):
        lines = _rule_lines(image.shape, homography, (width, height), style, symbol_height * scale)
    channels = []
    for c in range(3):
        channel = shade * float(255 * tint[c])
        for alpha, line_colour in lines:
            channel *= 1 - alpha * float(1 - line_colour[c])
        channel[top:bottom, left:right] *= 1 - coverage * float(strength * (1 - colour[c]))
        channels.append(channel)
    picture = cv2.merge(channels)
    # The camera: blur, sensor noise (grain in brightness, blotches in colour), JPEG
    if "blur" in chosen:
        picture = cv2.GaussianBlur(picture, (0, 0), style.blur)
    if "noise" in chosen:
        picture += noise_rng.standard_normal((height, width, 1), dtype=np.float32) * style.noise
        blotches = noise_rng.standard_normal((height // 2 + 1, width // 2 + 1, 3), dtype=np.float32)
        picture += cv2.resize(blotches, (width, height)) * (style.noise / 3)
    photo_image = np.clip(picture + 0.5, 0, 255).astype(np.uint8)
    if "jpeg" in chosen:
        ok, data = cv2.imencode(".jpg", photo_image[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, style.jpeg])
        photo_image = np.ascontiguousarray(cv2.imdecode(data, cv2.IMREAD_COLOR)[..., ::-1])
    warped = tuple(warp_mask(m, homography, (height, width)) for m in masks)
    return Photo(photo_image, homography, warped, style)


def read_like_recogniser(image: np.ndarray, masks: Iterable[np.ndarray], to_image: np.ndarray | None = None,
                         *, grow: int = 0) -> tuple[np.ndarray, list[np.ndarray]]:
    """The ink the recogniser finds in ``image``, and each drawing mask carried onto it.

    ``to_image`` takes drawing pixels to ``image`` pixels (a :attr:`Photo.homography`; identity when
    omitted); the loader's own scaling and straightening are added, and the masks widened ``grow``
    pixels each way where the photo's blur spread the ink. A photo with no ink left gives an empty
    mask, so its symbols count as missed.
    """
    grey, to_loaded = load_with_transform(image)
    matrix = to_loaded if to_image is None else to_loaded @ to_image
    try:
        ink = binarize(grey, min_area=1)
    except HandmathError:
        ink = np.zeros(grey.shape, bool)
    if np.allclose(matrix, np.eye(3)) and not grow:
        return ink, list(masks)
    kernel = np.ones((2 * grow + 1, 2 * grow + 1), np.uint8)
    return ink, [cv2.dilate(warp_mask(m, matrix, grey.shape).view(np.uint8), kernel).view(bool) for m in masks]


def warp_mask(mask: np.ndarray, homography: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Carry a bool mask through ``homography`` onto an image of ``shape`` (H, W).

    Only the mask's own box is warped, so this costs little for a small symbol in a large frame.
    """
    out = np.zeros(shape, bool)
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return out
    x0, y0, x1, y1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
    corners = cv2.perspectiveTransform(np.array([[[x0, y0]], [[x1, y0]], [[x0, y1]], [[x1, y1]]], np.float64),
                                       homography).reshape(-1, 2)
    left, top = np.maximum(np.floor(corners.min(axis=0)).astype(int) - 2, 0)
    right = min(int(np.ceil(corners[:, 0].max())) + 3, shape[1])
    bottom = min(int(np.ceil(corners[:, 1].max())) + 3, shape[0])
    if right <= left or bottom <= top:
        return out
    shift = np.array([[1, 0, -left], [0, 1, -top], [0, 0, 1]], np.float64) @ homography
    part = cv2.warpPerspective(mask.astype(np.uint8), shift, (right - left, bottom - top), flags=cv2.INTER_NEAREST)
    out[top:bottom, left:right] = part > 0
    return out


def _replace(style: PhotoStyle, **changes) -> PhotoStyle:
    from dataclasses import replace

    return replace(style, **changes)


def _geometry(shape: tuple[int, int], style: PhotoStyle, chosen: set[str],
              frame_size: tuple[int, int] | None = None) -> tuple[np.ndarray, tuple[int, int]]:
    """The clean → photo homography and the photo's (width, height)."""
    height, width = shape
    scale = style.scale if "frame" in chosen else 1.0
    angle = np.deg2rad(style.rotation) if "rotation" in chosen else 0.0
    # Scale and rotate about the clean image's centre (y down: a positive angle turns it anticlockwise)
    c, s = np.cos(angle), np.sin(angle)
    centre = np.array([[1, 0, -width / 2], [0, 1, -height / 2], [0, 0, 1]])
    turn = np.array([[c * scale, s * scale, 0], [-s * scale, c * scale, 0], [0, 0, 1]])
    matrix = turn @ centre
    corners = cv2.perspectiveTransform(np.array([[[0, 0]], [[width, 0]], [[0, height]], [[width, height]]],
                                                np.float64), matrix).reshape(-1, 2)
    low, high = corners.min(axis=0), corners.max(axis=0)
    extent = high - low
    if "frame" in chosen:        # the expression small in a 4:3 frame (a long one fills more of it)
        frame_w = max(min(extent[0] / style.fill, MAX_SIDE), extent[0] / 0.85, extent[1] / 0.8 * 4 / 3, 640.0)
        frame = np.array([frame_w, frame_w * 3 / 4]) if frame_size is None else np.array(frame_size, float)
        free = frame - extent
        offset = free * 0.08 + free * 0.84 * np.array(style.place) - low
    else:
        frame = extent + 2 * MARGIN
        offset = MARGIN - low
    matrix = np.array([[1, 0, offset[0]], [0, 1, offset[1]], [0, 0, 1]]) @ matrix
    if "perspective" in chosen:  # the camera not quite square to the page: the frame's corners move
        box = np.array([[0, 0], [frame[0], 0], [0, frame[1]], [frame[0], frame[1]]], np.float32)
        moved = box + np.array(style.corners, np.float32).reshape(4, 2) * frame.astype(np.float32)
        matrix = cv2.getPerspectiveTransform(box, moved).astype(np.float64) @ matrix
        if "frame" not in chosen:  # keep the whole expression in view
            corners = cv2.perspectiveTransform(np.array([[[0, 0]], [[width, 0]], [[0, height]], [[width, height]]],
                                                        np.float64), matrix).reshape(-1, 2)
            low, high = corners.min(axis=0), corners.max(axis=0)
            matrix = np.array([[1, 0, MARGIN - low[0]], [0, 1, MARGIN - low[1]], [0, 0, 1]]) @ matrix
            frame = high - low + 2 * MARGIN
    return matrix, (int(np.ceil(frame[0])), int(np.ceil(frame[1])))


def _footprint(shape: tuple[int, int], homography: np.ndarray, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """Left, top, right, bottom of where the clean image lands in the photo (clipped to it)."""
    height, width = shape
    corners = cv2.perspectiveTransform(np.array([[[0, 0]], [[width, 0]], [[0, height]], [[width, height]]],
                                                np.float64), homography).reshape(-1, 2)
    left, top = np.clip(np.floor(corners.min(axis=0)).astype(int) - 1, 0, None)
    right = int(np.clip(np.ceil(corners[:, 0].max()) + 1, left + 1, size[0]))
    bottom = int(np.clip(np.ceil(corners[:, 1].max()) + 1, top + 1, size[1]))
    return int(left), int(top), right, bottom


def _texture(height: int, width: int, amplitude: float, rng: np.random.Generator) -> np.ndarray:
    """Paper's reflectance around 1: slow mottling plus fine fibre grain."""
    coarse = rng.standard_normal((max(2, height // 96), max(2, width // 96)), dtype=np.float32)
    mottle = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    grain = cv2.GaussianBlur(rng.standard_normal((height, width), dtype=np.float32), (0, 0), 0.7)
    return (1 - amplitude) + amplitude * (0.3 * mottle + 0.8 * grain)


def _lighting(height: int, width: int, style: PhotoStyle) -> np.ndarray:
    """How much light reaches each pixel: exposure × gradient × cast shadow × vignette."""
    small_h, small_w = max(2, height // 8), max(2, width // 8)     # light varies slowly: work small
    ys = np.linspace(-0.5, 0.5, small_h, dtype=np.float32)[:, None]
    xs = np.linspace(-0.5, 0.5, small_w, dtype=np.float32)[None, :] * (width / max(height, 1))
    along = np.cos(style.gradient_angle) * xs + np.sin(style.gradient_angle) * ys
    light = style.light * (1 - style.gradient * (along - along.min()) / max(float(np.ptp(along)), 1e-6))
    side = np.cos(style.shadow_angle) * xs + np.sin(style.shadow_angle) * ys - style.shadow_offset
    cast = 1 - style.shadow / (1 + np.exp(-side / style.shadow_softness))
    corners = xs ** 2 + ys ** 2
    vignette = 1 - 0.15 * corners / corners.max()   # 15 % darker in the corners, whatever the frame's shape
    return cv2.resize((light * cast * vignette).astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)


def _rule_lines(shape: tuple[int, int], homography: np.ndarray, size: tuple[int, int], style: PhotoStyle,
                symbol_px: float) -> list[tuple[np.ndarray, tuple[float, float, float]]]:
    """The page's ruling, drawn in the photo: (opacity image, RGB colour) per colour of line."""
    width, height = size
    inverse = np.linalg.inv(homography)
    frame = np.array([[[0, 0]], [[width, 0]], [[0, height]], [[width, height]]], np.float64)
    paper = cv2.perspectiveTransform(frame, inverse).reshape(-1, 2)     # the frame in clean coordinates
    (x0, y0), (x1, y1) = paper.min(axis=0) - 10, paper.max(axis=0) + 10
    scale = np.sqrt(abs(np.linalg.det(homography[:2, :2])))
    spacing = style.spacing * symbol_px / max(scale, 1e-6)              # in clean pixels
    thickness = max(1, round(style.rule_width * max(scale, 0.5)))
    shift = 4

    def draw(canvas, a, b):
        ends = cv2.perspectiveTransform(np.array([[a], [b]], np.float64), homography).reshape(-1, 2)
        p, q = (np.round(ends * (1 << shift)).astype(np.int64))
        cv2.line(canvas, (int(p[0]), int(p[1])), (int(q[0]), int(q[1])), 255, thickness, cv2.LINE_AA, shift)

    rules = np.zeros((height, width), np.uint8)
    for y in np.arange(y0 + style.rule_phase[1] * spacing, y1, spacing):
        draw(rules, (x0, y), (x1, y))
    if style.rules == "squared":
        for x in np.arange(x0 + style.rule_phase[0] * spacing, x1, spacing):
            draw(rules, (x, y0), (x, y1))
    out = [(rules.astype(np.float32) * (style.rule_strength / 255), style.rule_colour)]
    if style.rules == "ruled" and style.margin_line:
        x = -1.5 * symbol_px / max(scale, 1e-6) * (1 + style.rule_phase[0])   # left of the writing
        if x > x0:
            margin = np.zeros((height, width), np.uint8)
            draw(margin, (x, y0), (x, y1))
            out.append((margin.astype(np.float32) * 0.8 / 255, (0.9, 0.45, 0.5)))
    return out
