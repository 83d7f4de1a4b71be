"""Turn whatever the caller has (path, bytes, PIL image, array) into one upright grey uint8 array."""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from symbolrec._types import ImageError
from symbolrec.deskew import straighten as _straighten

MAX_PIXELS = 60_000_000          # larger images are refused (decompression bombs, 20k x 20k scans)
WORK_SIDE = 2400                 # longer sides are scaled down to this before any processing
DRAFT_SIDE = 1920                # a JPEG may be decoded at a reduced scale down to this (4000 px → 2000)
LUMA = np.array([0.299, 0.587, 0.114])   # RGB → grey weights (ITU-R BT.601, as PIL and JPEG)


def load_image(source, *, max_pixels: int = MAX_PIXELS, straighten: bool = True) -> np.ndarray:
    """Return ``source`` as an (H, W) uint8 grey image, dark ink on light paper, upright.

    Accepts a path, raw bytes, a PIL image or a numpy array (grey, RGB, RGBA, any integer or float
    dtype). Applies the EXIF orientation of phone photos, composites transparency onto white, maps
    16-bit and float images to 8 bits, and colour to grey by luma (the JPEG Y channel, in which blue
    ink is dark and light-blue ruling is pale). Images over ``WORK_SIDE`` pixels are scaled down, and
    a page photographed at a tilt is turned level (:func:`symbolrec.deskew.straighten`) unless
    ``straighten`` is false.

    Raises
    ------
    ImageError
        If the file is missing, not an image, truncated, or has more than ``max_pixels`` pixels.
    """
    return load_with_transform(source, max_pixels=max_pixels, straighten=straighten)[0]


def load_with_transform(source, *, max_pixels: int = MAX_PIXELS,
                        straighten: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """:func:`load_image`, and the (3, 3) matrix taking pixels of ``source`` to pixels of the result.

    The matrix holds the scaling down and the straightening (not the EXIF rotation: pixels of an
    EXIF-rotated file are counted as the photo is shown), so ground truth drawn on the input can be
    carried onto what the recogniser reads.
    """
    grey, size = _load(source, max_pixels)
    grey = _shrink(grey)
    matrix = np.diag([grey.shape[1] / size[0], grey.shape[0] / size[1], 1.0])   # the decoder's and our scaling down
    if straighten:
        level = _straighten(grey)
        grey, matrix = level.image, level.matrix @ matrix
    return grey, matrix


def _load(source, max_pixels: int) -> tuple[np.ndarray, tuple[int, int]]:
    """The grey image, and the source's size (width, height) as shown, before any scaling down."""
    if isinstance(source, np.ndarray):
        return _from_array(source), (source.shape[1], source.shape[0])
    if isinstance(source, Image.Image):
        return _from_pil(source, max_pixels), _shown_size(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        if not source:
            raise ImageError("empty input: no image bytes")
        return _open(io.BytesIO(bytes(source)), "image bytes", max_pixels)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise ImageError(f"no such file: {path}")
        with open(path, "rb") as handle:
            return _open(handle, str(path), max_pixels)
    raise ImageError(f"cannot read an image from {type(source).__name__}")


def _open(handle, name: str, max_pixels: int) -> tuple[np.ndarray, tuple[int, int]]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(handle)
            if image.width * image.height > max_pixels:
                raise ImageError(f"{name}: {image.width}x{image.height} is more than {max_pixels:,} pixels")
            size = _shown_size(image)
            if image.format == "JPEG" and image.mode in ("RGB", "YCbCr", "L"):
                image.draft("L", _draft_size(image.size))   # decode only the Y (luma) plane, 1/2–1/8 size if large
            image.load()
        except ImageError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
            raise ImageError(f"{name}: too many pixels to read safely ({err})") from err
        except UnidentifiedImageError as err:
            raise ImageError(f"{name}: not a readable image") from err
        except (OSError, SyntaxError, ValueError) as err:  # truncated or corrupt data
            raise ImageError(f"{name}: broken image data ({err})") from err
    return _from_pil(image, max_pixels), size


def _shown_size(image: Image.Image) -> tuple[int, int]:
    """An image's (width, height) as shown, its EXIF orientation applied, before a draft decode."""
    turned = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)   # orientations that swap the sides
    return (image.height, image.width) if turned else image.size


def _from_pil(image: Image.Image, max_pixels: int) -> np.ndarray:
    if image.width * image.height > max_pixels:
        raise ImageError(f"{image.width}x{image.height} is more than {max_pixels:,} pixels")
    if image.width == 0 or image.height == 0:
        raise ImageError("the image is empty (0 pixels)")
    image = ImageOps.exif_transpose(image)
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        return _from_array(np.asarray(image))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, rgba)
    return np.asarray(image.convert("L"))


def _draft_size(size: tuple[int, int]) -> tuple[int, int]:
    """The smallest size a JPEG decoder may hand back (it scales by 1/2, 1/4, 1/8 while decoding,
    far faster than decoding in full and scaling after): ``DRAFT_SIDE`` on the longer side."""
    factor = min(1.0, DRAFT_SIDE / max(size))
    return max(1, int(size[0] * factor)), max(1, int(size[1] * factor))


def _from_array(array: np.ndarray) -> np.ndarray:
    if array.size == 0 or array.ndim not in (2, 3):
        raise ImageError(f"expected an (H, W) or (H, W, C) array, got shape {array.shape}")
    if array.dtype == np.uint8 and (array.ndim == 2 or array.shape[2] == 3):   # the common case, fast
        grey = np.ascontiguousarray(array if array.ndim == 2 else cv2.cvtColor(array, cv2.COLOR_RGB2GRAY))
        factor = max(grey.shape) // DRAFT_SIDE      # a whole factor first, as a JPEG decoder would
        if factor >= 2:
            grey = cv2.resize(grey, (grey.shape[1] // factor, grey.shape[0] // factor), interpolation=cv2.INTER_AREA)
        return grey
    if array.ndim == 3:
        if array.shape[2] == 4:
            alpha = array[..., 3:4].astype(np.float64) / (np.iinfo(array.dtype).max if array.dtype.kind in "ui" else 1.0)
            colour = _to_unit(array[..., :3])
            array = colour * alpha + (1 - alpha)
        elif array.shape[2] in (1, 3):
            array = _to_unit(array)
        else:
            raise ImageError(f"expected 1, 3 or 4 channels, got {array.shape[2]}")
        grey = array @ LUMA if array.shape[2] == 3 else array[..., 0]
    else:
        grey = _to_unit(array)
    return np.clip(grey * 255 + 0.5, 0, 255).astype(np.uint8)


def _to_unit(array: np.ndarray) -> np.ndarray:
    """Scale any dtype to floats in [0, 1]: integers by their range, floats as given (or min-max)."""
    if array.dtype == np.bool_:
        return array.astype(np.float64)
    if array.dtype.kind in "ui":
        top = np.iinfo(array.dtype).max if array.dtype.itemsize == 1 else max(int(array.max()), 1)
        if array.dtype.itemsize > 1 and top <= 255:
            top = 255
        return array.astype(np.float64) / top
    array = np.nan_to_num(array.astype(np.float64))
    if array.min() < 0 or array.max() > 1:
        span = max(array.max() - array.min(), 1e-12)
        array = (array - array.min()) / span
    return array


def _shrink(grey: np.ndarray) -> np.ndarray:
    """Scale very large images down so that later stages take bounded time."""
    side = max(grey.shape)
    if side <= WORK_SIDE:
        return np.ascontiguousarray(grey)
    factor = WORK_SIDE / side
    size = (max(1, round(grey.shape[1] * factor)), max(1, round(grey.shape[0] * factor)))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
