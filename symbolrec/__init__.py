"""Symbol recognition: load an image, find its ink, cut it into symbols and classify them."""

from symbolrec._types import BBox, Component, HandmathError, ImageError, NoInkError, Symbol

__all__ = ["BBox", "Component", "HandmathError", "ImageError", "NoInkError", "Symbol"]
