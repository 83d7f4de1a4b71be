"""Turn whatever the caller has (path, bytes, PIL image, array) into one grey uint8 array."""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from symbolrec._types import ImageError

MAX_PIXELS = 60_000_000          # larger images are refused (decompression bombs, 20k x 20k scans)
WORK_SIDE = 2400                 # longer sides are scaled down to this before any processing


def load_image(source, *, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Return ``source`` as an (H, W) uint8 grey image, dark ink on light paper.

    Accepts a path, raw bytes, a PIL image or a numpy array (grey, RGB, RGBA, any integer or float
    dtype). Applies the EXIF orientation of phone photos, composites transparency onto white and
    maps 16-bit and float images to 8 bits.

    Raises
    ------
    ImageError
        If the file is missing, not an image, truncated, or has more than ``max_pixels`` pixels.
    """
    if isinstance(source, np.ndarray):
        return _from_array(source)
    if isinstance(source, Image.Image):
        return _from_pil(source, max_pixels)
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


def _open(handle, name: str, max_pixels: int) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(handle)
            if image.width * image.height > max_pixels:
                raise ImageError(f"{name}: {image.width}x{image.height} is more than {max_pixels:,} pixels")
            image.load()
        except ImageError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
            raise ImageError(f"{name}: too many pixels to read safely ({err})") from err
        except UnidentifiedImageError as err:
            raise ImageError(f"{name}: not a readable image") from err
        except (OSError, SyntaxError, ValueError) as err:  # truncated or corrupt data
            raise ImageError(f"{name}: broken image data ({err})") from err
    return _from_pil(image, max_pixels)


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
    return _shrink(np.asarray(image.convert("L")))


def _from_array(array: np.ndarray) -> np.ndarray:
    if array.size == 0 or array.ndim not in (2, 3):
        raise ImageError(f"expected an (H, W) or (H, W, C) array, got shape {array.shape}")
    if array.ndim == 3:
        if array.shape[2] == 4:
            alpha = array[..., 3:4].astype(np.float64) / (np.iinfo(array.dtype).max if array.dtype.kind in "ui" else 1.0)
            colour = _to_unit(array[..., :3])
            array = colour * alpha + (1 - alpha)
        elif array.shape[2] in (1, 3):
            array = _to_unit(array)
        else:
            raise ImageError(f"expected 1, 3 or 4 channels, got {array.shape[2]}")
        grey = array.mean(axis=2) if array.shape[2] == 3 else array[..., 0]
    else:
        grey = _to_unit(array)
    return _shrink(np.clip(grey * 255 + 0.5, 0, 255).astype(np.uint8))


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
