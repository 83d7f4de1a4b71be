"""Shared fixtures: a few CROHME InkML files shipped under tests/data, and a recogniser."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def recognizer():
    from handmath import Recognizer

    return Recognizer()


@pytest.fixture(scope="session")
def inkml():
    """Parse a shipped InkML file by its stem."""
    from training.crohme import parse_inkml

    def load(stem: str):
        return parse_inkml((DATA / f"{stem}.inkml").read_bytes(), stem)

    return load
