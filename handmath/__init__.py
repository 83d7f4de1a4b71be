"""handmath: read handwritten mathematics from an image and return LaTeX, symbol by symbol.

>>> import handmath
>>> handmath.recognize("examples/quadratic.png").latex        # doctest: +SKIP
'x^{2}=1'
"""

from handmath.recognize import Recognition, Recognizer, TooMuchInkError, recognize
from symbolrec import HandmathError, ImageError, NoInkError


def solve(latex, *, timeout: float = 5.0):
    """Solve recognised LaTeX (or a list of equations, a system); see :mod:`handmath.solving`.

    Imported on first use, so ``import handmath`` stays free of sympy.
    """
    from handmath.solving import solve as _solve

    return _solve(latex, timeout=timeout)


__all__ = ["HandmathError", "solve", "ImageError", "NoInkError", "Recognition", "Recognizer", "TooMuchInkError", "recognize"]
__version__ = "0.1.0"
