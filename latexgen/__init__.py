"""Walk an expression tree and write canonical LaTeX."""

from latexgen._emit import latex_tokens, to_latex, token_for

__all__ = ["to_latex", "token_for", "latex_tokens"]
