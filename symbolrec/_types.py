"""Values that leave the symbol stage: boxes, ink components and classified symbols."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class HandmathError(Exception):
    """Base of the errors handmath raises for bad input (as opposed to bugs)."""


class ImageError(HandmathError):
    """The input is not a usable image (missing, not an image, truncated, too large)."""


class NoInkError(HandmathError):
    """The image holds no writing."""


@dataclass(frozen=True)
class BBox:
    """Axis-aligned box in pixels: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int

    @property
    def x2(self) -> int:
        return self.x + self.w

    @property
    def y2(self) -> int:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def union(self, other: "BBox") -> "BBox":
        x, y = min(self.x, other.x), min(self.y, other.y)
        return BBox(x, y, max(self.x2, other.x2) - x, max(self.y2, other.y2) - y)

    def shifted(self, dx: int, dy: int) -> "BBox":
        """The same box ``dx`` right and ``dy`` down: from a crop's pixels to the image's."""
        return BBox(self.x + dx, self.y + dy, self.w, self.h)

    def slice(self) -> tuple[slice, slice]:
        """Index an image with ``image[box.slice()]``."""
        return slice(self.y, self.y2), slice(self.x, self.x2)


@dataclass(frozen=True)
class Component:
    """A group of ink (one or more connected components): its box and its own pixels within it."""

    bbox: BBox
    mask: np.ndarray          # (h, w) bool, True on this component's ink only


@dataclass(frozen=True)
class Symbol:
    """A classified symbol: where it is, what it is, how sure, and what else it might be."""

    bbox: BBox
    label: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()
    mask: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"Symbol({self.label!r}, {self.confidence:.2f}, {self.bbox})"
