"""Walk an expression tree and write canonical LaTeX."""

from latexgen._emit import LINE_BREAK, latex_tokens, to_latex, token_for

__all__ = ["LINE_BREAK", "to_latex", "token_for", "latex_tokens"]
