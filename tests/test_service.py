"""The web service, through FastAPI's TestClient: every endpoint and every way a request is refused."""

from __future__ import annotations

import base64
import io
import re
import struct
import threading
import zlib
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from handmath.service import STATIC, create_app
from symbolrec import NoInkError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
QUADRATIC = (EXAMPLES / "quadratic.png").read_bytes()
CUBIC = (EXAMPLES / "cubic.png").read_bytes()


@pytest.fixture(scope="module")
def client(recognizer):
    with TestClient(create_app(recognizer)) as client:
        yield client


@pytest.fixture(scope="module")
def small(recognizer):
    """A service taking uploads of at most 2000 bytes."""
    with TestClient(create_app(recognizer, max_upload=2000)) as client:
        yield client


def _png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A tiny PNG file claiming `width` x `height` pixels: a decompression bomb's header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def _error(response, status: int) -> str:
    assert response.status_code == status, response.text
    return response.json()["error"]


# ---------------------------------------------------------------- what works


def test_recognize_multipart_reads_and_solves(client):
    response = client.post("/api/recognize", files={"image": ("quadratic.png", QUADRATIC, "image/png")})
    assert response.status_code == 200
    found = response.json()
    assert found["latex"] == "x^{2}=1"
    assert [s["label"] for s in found["symbols"]] == ["x", "2", "=", "1"]
    assert found["image"]["width"] > 0 and "overlay" not in found
    assert found["solution"]["kind"] == "equation"
    assert found["solution"]["text"] == "x = -1 ∨ x = 1"


def test_recognize_raw_body_with_overlay(client):
    response = client.post("/api/recognize?overlay=true", content=CUBIC, headers={"Content-Type": "image/png"})
    found = response.json()
    assert response.status_code == 200 and found["latex"] == "x^{3}-1=0"
    assert found["solution"]["text"] == "x = 1"
    prefix = "data:image/png;base64,"
    assert found["overlay"].startswith(prefix)
    overlay = Image.open(io.BytesIO(base64.b64decode(found["overlay"][len(prefix):])))
    assert overlay.mode == "RGB" and overlay.width > found["image"]["width"]     # enlarged, with a margin




def test_solve_equation_and_system(client):
    assert client.post("/api/solve", json={"latex": "x^{2}=1"}).json()["text"] == "x = -1 ∨ x = 1"
    system = client.post("/api/solve", json={"latex": ["x+y=3", "x-y=1"]}).json()
    assert system["kind"] == "system" and system["text"] == "x = 2 ∧ y = 1"


def _relabelled(client, labels: dict[int, str]) -> dict:
    """The quadratic example re-read with the symbols at the given places relabelled."""
    symbols = client.post("/api/recognize", content=QUADRATIC).json()["symbols"]
    for index, label in labels.items():
        symbols[index] = {**symbols[index], "label": label}
    return client.post("/api/relabel", json={"symbols": symbols}).json()


def test_relabel_without_relation_solves_only_what_is_solvable(client):
    simplified = _relabelled(client, {2: "+"})
    assert simplified["latex"] == "x^{2}+1" and simplified["solution"]["kind"] == "expression"
    unreadable = _relabelled(client, {2: "+", 3: "+"})
    assert unreadable["latex"] == "x^{2}++" and unreadable["solution"] is None


def test_relabel_rebuilds_latex_and_solution(client):
    symbols = client.post("/api/recognize", content=QUADRATIC).json()["symbols"]
    symbols[1] = {**symbols[1], "label": "3", "probability": 0.1}
    rebuilt = client.post("/api/relabel", json={"symbols": symbols}).json()
    assert rebuilt["latex"] == "x^{3}=1"
    assert rebuilt["solution"]["text"] == "x = 1"
    assert [s["label"] for s in rebuilt["symbols"]] == ["x", "3", "=", "1"]
    assert rebuilt["symbols"][1]["bbox"] == symbols[1]["bbox"]


def test_render_draws_svg(client):
    response = client.get("/api/render", params={"latex": r"x = -1 \vee x = 1"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.content


def test_a_photo_of_a_system_is_read_line_by_line_and_solved(client):
    system = (EXAMPLES / "system.png").read_bytes()
    found = client.post("/api/recognize", files={"image": ("system.png", system, "image/png")}).json()
    assert [line["latex"] for line in found["lines"]] == found["latex"].split(r" \\ ")
    assert len(found["lines"]) == 2 and found["solution"]["kind"] == "system"
    response = client.get("/api/render", params={"latex": found["latex"]})
    assert response.status_code == 200 and b"<svg" in response.content


def test_health_page_static_and_docs(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/recognize", "/api/solve", "/api/relabel", "/api/render", "/healthz"} <= set(paths)


def test_page_loads_nothing_from_elsewhere():
    for path in STATIC.iterdir():
        assert not re.search(r"https?://|[\"'(]//", path.read_text()), f"{path.name} links off the machine"


# ---------------------------------------------------------------- what is refused


def test_upload_over_the_limit_is_413_by_declared_length(small):
    assert "2,000 bytes" in _error(small.post("/api/recognize", content=QUADRATIC), 413)


def test_upload_over_the_limit_is_413_by_bytes_read(small):
    # Chunked, so no Content-Length to go by; the body is counted as it arrives.
    chunks = iter([QUADRATIC[:1000]] * 80)
    _error(small.post("/api/recognize", content=chunks), 413)
    # A multipart body within the slack for headers, but a file over the limit.
    _error(small.post("/api/recognize", files={"image": ("q.png", QUADRATIC, "image/png")}), 413)


@pytest.mark.parametrize("data, message", [
    (b"hello, not an image", "not a readable image"),
    (CUBIC[:400], "broken image"),
])
def test_not_an_image_is_415(client, data, message):
    assert message in _error(client.post("/api/recognize", content=data), 415)


@pytest.mark.parametrize("size", [(8000, 8000), (100_000, 100_000)])
def test_too_many_pixels_is_422(client, size):
    assert "pixels" in _error(client.post("/api/recognize", content=_png_header(*size)), 422)


def test_blank_page_is_422(client):
    blank = _png(np.full((300, 400), 240, np.uint8))
    assert "no writing found" in _error(client.post("/api/recognize", files={"image": ("b.png", blank)}), 422)


@pytest.mark.parametrize("request_args", [
    {"content": b""},
    {"files": {"picture": ("q.png", QUADRATIC, "image/png")}},
])
def test_no_image_is_422(client, request_args):
    _error(client.post("/api/recognize", **request_args), 422)


@pytest.mark.parametrize("path", ["/api/solve", "/api/relabel"])
def test_malformed_json_is_422(client, path):
    response = client.post(path, content=b'{"latex": ', headers={"Content-Type": "application/json"})
    assert "JSON" in _error(response, 422)


@pytest.mark.parametrize("body, message", [
    ({"symbols": [{"label": "x"}]}, "needs a label and a bbox"),
    ({"symbols": [{"label": "x", "bbox": {"x": 0, "y": 0, "w": 0, "h": 5}}]}, "empty box"),
    ({"symbols": []}, "at least 1"),
    ({"symbols": "x"}, "list"),
    ({}, "symbols"),
])
def test_bad_symbols_are_422(client, body, message):
    assert message in _error(client.post("/api/relabel", json=body), 422)


@pytest.mark.parametrize("body", [{"latex": "x=y=1"}, {"latex": r"\frac{"}, {"latex": ""}])
def test_solver_error_is_422_with_the_solution(client, body):
    response = client.post("/api/solve", json=body)
    message = _error(response, 422)
    assert response.json()["solution"]["kind"] == "error" and response.json()["solution"]["message"] == message


@pytest.mark.parametrize("body", [{"latex": 5}, {"latex": ["x=1"] * 11}, {"tex": "x"}])
def test_solve_request_of_the_wrong_shape_is_422(client, body):
    assert "latex" in _error(client.post("/api/solve", json=body), 422)


@pytest.mark.parametrize("latex", [r"\frac{", "{" * 800])
def test_render_of_bad_latex_is_422(client, latex):
    assert "cannot draw" in _error(client.get("/api/render", params={"latex": latex}), 422)


def test_unknown_path_and_wrong_method_are_json(client):
    assert _error(client.get("/api/nothing"), 404) == "Not Found"
    assert _error(client.get("/api/solve"), 405) == "Method Not Allowed"


class _SlowRecognizer:
    """Stands in for a Recognizer whose reading takes until `release` is set."""

    def __init__(self):
        self.release = threading.Event()

    def recognize(self, image):
        self.release.wait(10)
        raise NoInkError("released after the request timed out")


def test_recognition_time_limit_is_504_and_the_service_goes_on():
    slow = _SlowRecognizer()
    with TestClient(create_app(slow, recognize_timeout=0.05)) as client:
        try:
            assert "time limit" in _error(client.post("/api/recognize", content=QUADRATIC), 504)
            assert client.get("/healthz").status_code == 200
        finally:
            slow.release.set()


def test_a_bug_is_a_logged_json_500(caplog):
    class Broken:
        def recognize(self, image):
            raise RuntimeError("a bug, not bad input")

    with TestClient(create_app(Broken()), raise_server_exceptions=False) as client:
        assert _error(client.post("/api/recognize", content=QUADRATIC), 500) == "internal error"
    assert "POST /api/recognize failed" in caplog.text and "a bug, not bad input" in caplog.text


def test_serve_command_runs_uvicorn_on_loopback(monkeypatch):
    import uvicorn

    from handmath.cli import main

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    assert main(["serve", "--port", "8123", "--workers", "1"]) == 0
    (app, options), = calls
    assert app.title == "handmath" and options == {"host": "127.0.0.1", "port": 8123}


def test_create_app_checks_its_limits():
    with pytest.raises(ValueError, match="max_upload"):
        create_app(max_upload=0)
