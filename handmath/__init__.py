"""handmath: read handwritten mathematics from an image and return LaTeX, symbol by symbol.

>>> import handmath
>>> handmath.recognize("examples/quadratic.png").latex        # doctest: +SKIP
'x^{2}=1'
"""

from handmath.recognize import Recognition, Recognizer, TooMuchInkError, recognize
from symbolrec import HandmathError, ImageError, NoInkError

__all__ = ["HandmathError", "ImageError", "NoInkError", "Recognition", "Recognizer", "TooMuchInkError", "recognize"]
__version__ = "0.1.0"
