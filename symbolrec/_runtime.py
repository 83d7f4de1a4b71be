"""Open .tflite models with LiteRT, TensorFlow's lightweight runtime (no TensorFlow import)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path


@contextlib.contextmanager
def _quiet_stderr():
    """Hide the runtime's one-line C++ banner ("Created ... XNNPACK delegate") from the terminal."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (embedded, captured): nothing to hide
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def open_interpreter(model: Path, threads: int = 1):
    """A LiteRT interpreter for ``model`` with its tensors allocated, using ``threads`` CPU threads."""
    from ai_edge_litert.interpreter import Interpreter

    with _quiet_stderr():
        interpreter = Interpreter(model_path=str(model), num_threads=threads)
        interpreter.allocate_tensors()
    return interpreter
