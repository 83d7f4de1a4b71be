"""The web service: a photo of handwritten maths in, LaTeX, symbols, a preview and the solution out.

``create_app`` builds a FastAPI app. Its lifespan hook loads the recognizers, one per worker
thread, because a :class:`~handmath.recognize.Recognizer` is not thread-safe; the endpoints only
call them, off the event loop, so one slow request does not hold up the others. Every refusal is
an ``HTTPException`` (or a :class:`~symbolrec.HandmathError`) turned into ``{"error": "..."}``
with its status in one place, :func:`_add_error_handlers`.

Run it with ``handmath serve`` or ``uvicorn --factory handmath.service:create_app``; the
endpoints and their errors are described in ``docs/service.md``.
"""

from __future__ import annotations

import asyncio
import base64
import io
import logging
import os
import queue
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Callable, TypeVar

import numpy as np
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from PIL import Image
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from handmath.recognize import MAX_COMPONENTS, Recognizer, symbols_from_dicts
from handmath.solving import normalise, solve, split_relations
from latexgen import LINE_BREAK
from symbolrec import HandmathError, ImageError
from symbolrec.load import MAX_PIXELS

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
MAX_UPLOAD = 10 * 1024 * 1024      # bytes of one uploaded image
MULTIPART_SLACK = 64 * 1024        # room in a request body for the multipart headers around the image
MAX_LATEX = 2000                   # characters of LaTeX to solve or render
MAX_LINES = 10                     # equations in one system
RENDER_SIZE = 20                   # points: the preview's font size
# The page may load nothing but its own files, and images it makes (the photo shown, the preview).
PAGE_POLICY = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'"

_T = TypeVar("_T")


class SolveRequest(BaseModel):
    """LaTeX to solve: one equation, inequality or expression, or a list of equations (a system)."""

    latex: Annotated[str, Field(max_length=MAX_LATEX)] | Annotated[
        list[Annotated[str, Field(max_length=MAX_LATEX)]], Field(min_length=1, max_length=MAX_LINES)]


class RelabelRequest(BaseModel):
    """The ``symbols`` of a recognition, with labels corrected by a person."""

    symbols: Annotated[list[dict], Field(min_length=1, max_length=MAX_COMPONENTS)]


def create_app(recognizer: Recognizer | None = None, *, workers: int | None = None,
               max_upload: int = MAX_UPLOAD, recognize_timeout: float = 30.0,
               solve_timeout: float = 5.0) -> FastAPI:
    """Build the web service.

    Parameters
    ----------
    recognizer : Recognizer, optional
        Use this one recognizer (in one worker thread) instead of loading the shipped model;
        for tests, which pass a prepared or fake one.
    workers : int, optional
        How many images are read at once, each by its own thread and recognizer. Defaults to the
        number of CPUs, at most 4. Ignored when `recognizer` is given.
    max_upload : int
        Largest image accepted, in bytes; a larger one gets 413.
    recognize_timeout : float
        Seconds a request may wait for its image to be read, queueing included; past it, 504.
    solve_timeout : float
        Seconds the solver may spend on one problem; past it the solution is an error.

    Returns
    -------
    FastAPI
        The app; its recognizers are loaded when it starts (the lifespan hook), not here.
    """
    if (workers is not None and workers < 1) or max_upload < 1 or recognize_timeout <= 0 or solve_timeout <= 0:
        raise ValueError(f"workers and limits must be positive: workers={workers}, max_upload={max_upload}, "
                         f"recognize_timeout={recognize_timeout}, solve_timeout={solve_timeout}")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        count = workers or min(4, os.cpu_count() or 1)
        readers = _Readers([recognizer] if recognizer else [Recognizer() for _ in range(count)])
        await run_in_threadpool(_warm_up)
        app.state.readers = readers
        yield
        readers.close()

    app = FastAPI(title="handmath", summary="Read handwritten maths from a photo: LaTeX, symbols, solution.",
                  version="0.1.0", lifespan=lifespan)
    app.add_middleware(_BodyLimit, upload=max_upload)
    _add_error_handlers(app)

    async def in_worker(request: Request, work: Callable[..., _T], *args) -> _T:
        """``work(recognizer, *args)`` off the event loop, within the time limit for reading."""
        try:
            return await asyncio.wait_for(request.app.state.readers.run(work, *args), recognize_timeout)
        except asyncio.TimeoutError:
            raise HTTPException(504, f"reading took longer than the time limit of {recognize_timeout:g} s") from None

    async def solution_of(latex: str) -> dict | None:
        """The solution to show with what was read; None if there was nothing to solve."""
        solution = await run_in_threadpool(solve, latex, timeout=solve_timeout)
        return None if solution.kind == "error" and not _has_relation(latex) else solution.to_dict()

    @app.post("/api/recognize", openapi_extra=_UPLOAD_BODY,
              summary="Read an uploaded image: LaTeX, symbols with alternatives, solution")
    async def recognize(request: Request, overlay: bool = False) -> dict:
        """Send the image as the multipart field ``image`` or as the raw request body.

        With ``overlay=true`` the answer has ``overlay``: a PNG data URL of the boxes read.
        """
        data = await _upload(request, max_upload)
        found = await in_worker(request, _recognize_upload, data, overlay)
        return {**found, "solution": await solution_of(found["latex"])}

    @app.post("/api/solve", summary="Solve LaTeX: an equation, inequality, expression or system")
    async def solve_latex(problem: SolveRequest) -> dict:
        solution = await run_in_threadpool(solve, problem.latex, timeout=solve_timeout)
        if solution.kind == "error":
            return JSONResponse({"error": solution.message, "solution": solution.to_dict()}, status_code=422)
        return solution.to_dict()

    @app.post("/api/relabel", summary="Re-read corrected symbols: new LaTeX and solution, same boxes")
    async def relabel(request: Request, correction: RelabelRequest) -> dict:
        symbols = symbols_from_dicts(correction.symbols)
        result = await in_worker(request, lambda recognizer: recognizer.lay_out(symbols).to_dict())
        return {"latex": result["latex"], "symbols": result["symbols"],
                "solution": await solution_of(result["latex"])}

    @app.get("/api/render", response_class=Response, summary="Draw LaTeX as SVG (matplotlib mathtext)",
             responses={200: {"content": {"image/svg+xml": {}}}})
    async def render(latex: Annotated[str, Query(min_length=1, max_length=MAX_LATEX)]) -> Response:
        svg = await run_in_threadpool(render_svg, latex)
        return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    @app.get("/healthz", summary="Whether the service is up")
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": PAGE_POLICY})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


class _Readers:
    """Recognizers shared by all requests, each used by one worker thread at a time.

    There are as many threads as recognizers, so a thread always finds one free.
    """

    def __init__(self, recognizers: list[Recognizer]):
        self._idle: queue.SimpleQueue[Recognizer] = queue.SimpleQueue()
        for recognizer in recognizers:
            self._idle.put(recognizer)
        self._threads = ThreadPoolExecutor(len(recognizers), thread_name_prefix="recognizer")

    async def run(self, work: Callable[..., _T], *args) -> _T:
        """``work(recognizer, *args)`` in a worker thread; a cancelled call that has not started never runs."""
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._call, work, args)

    def _call(self, work: Callable[..., _T], args: tuple) -> _T:
        recognizer = self._idle.get()
        try:
            return work(recognizer, *args)
        finally:
            self._idle.put(recognizer)

    def close(self) -> None:
        """Drop the queued work; work already running finishes in the background."""
        self._threads.shutdown(wait=False, cancel_futures=True)


class _BodyLimit:
    """ASGI middleware refusing with 413 request bodies too large to hold an `upload`-byte image.

    A declared Content-Length is checked before anything is read; the bytes actually received
    are counted too, for chunked uploads and clients that declare too little.
    """

    def __init__(self, app, upload: int):
        self.app, self.upload, self.limit = app, upload, upload + MULTIPART_SLACK

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            response = JSONResponse({"error": _too_large(self.upload)}, status_code=413)
            return await response(scope, receive, send)
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise HTTPException(413, _too_large(self.upload))
            return message

        return await self.app(scope, counted, send)


def _too_large(limit: int) -> str:
    """The 413 message, naming the limit the client must stay under."""
    return f"the upload is larger than {limit:,} bytes"


def _add_error_handlers(app: FastAPI) -> None:
    """Answer every refusal as ``{"error": "..."}``; only bugs become 500 (and are logged)."""

    @app.exception_handler(StarletteHTTPException)     # FastAPI's HTTPException, and the router's 404/405
    async def refused(request: Request, err: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(err.detail)}, status_code=err.status_code, headers=err.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        problems = ["/".join(str(part) for part in e["loc"]) + ": " + e["msg"] for e in err.errors()]
        return JSONResponse({"error": "; ".join(problems)}, status_code=422)

    @app.exception_handler(HandmathError)
    async def unreadable(request: Request, err: HandmathError) -> JSONResponse:
        return JSONResponse({"error": str(err)}, status_code=422)

    @app.exception_handler(Exception)
    async def bug(request: Request, err: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return JSONResponse({"error": "internal error"}, status_code=500)


# Documents the body of /api/recognize, which the endpoint reads itself (multipart or raw).
_UPLOAD_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["image"],
                                       "properties": {"image": {"type": "string", "format": "binary"}}}},
    "image/*": {"schema": {"type": "string", "format": "binary"}},
}}}


async def _upload(request: Request, limit: int) -> bytes:
    """The image bytes of a request: the multipart field ``image``, or else the whole body."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=10) as form:
            upload = form.get("image")
            if upload is None or isinstance(upload, str):
                raise HTTPException(422, "the multipart form needs a file in the field 'image'")
            data = await upload.read(limit + 1)
    else:
        data = await request.body()
    if len(data) > limit:
        raise HTTPException(413, _too_large(limit))
    if not data:
        raise HTTPException(422, "no image: send it as the multipart field 'image' or as the request body")
    return data


def _recognize_upload(recognizer: Recognizer, data: bytes, overlay: bool) -> dict:
    """Recognise one uploaded image; 415 for what is no image, 422 for one with too many pixels."""
    try:
        result = recognizer.recognize(data)
    except ImageError as err:
        raise HTTPException(422 if _too_many_pixels(data) else 415, str(err)) from err
    found = result.to_dict()
    if overlay:
        found["overlay"] = _png_data_url(result.overlay(data))
    return found


def _too_many_pixels(data: bytes) -> bool:
    """Whether the image's header declares more pixels than are read (a bomb, not a broken file)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                return image.width * image.height > MAX_PIXELS
    except Image.DecompressionBombError:
        return True
    except (OSError, SyntaxError, ValueError):   # no image at all (UnidentifiedImageError is an OSError)
        return False


def _png_data_url(rgb: np.ndarray) -> str:
    """An RGB image as a ``data:`` URL, which a page can show without another request."""
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _has_relation(latex: str) -> bool:
    """Whether the LaTeX states a relation (=, <, ≤, ...), so that failing to solve it is news."""
    return bool(split_relations(normalise(latex))[1])


_RENDER_LOCK = threading.Lock()    # matplotlib's text machinery is not thread-safe


@lru_cache(maxsize=512)
def render_svg(latex: str) -> bytes:
    """Draw LaTeX as a standalone SVG with matplotlib's mathtext (a TeX subset; no TeX needed).

    Raises
    ------
    HTTPException
        422, if mathtext cannot read `latex`.
    """
    import matplotlib
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    buffer = io.BytesIO()
    lines = [line.strip() for line in latex.split(LINE_BREAK)]
    try:
        with _RENDER_LOCK, matplotlib.rc_context({"savefig.transparent": True}):
            if len(lines) == 1:
                mathtext.math_to_image(f"${latex}$", buffer, prop=FontProperties(size=RENDER_SIZE), format="svg")
            else:   # a system: one line under the other (mathtext itself draws a single line)
                from matplotlib.figure import Figure

                figure = Figure()
                figure.text(0, 0, "\n".join(f"${line}$" for line in lines), fontproperties=FontProperties(size=RENDER_SIZE),
                            linespacing=1.8)
                figure.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.02)
    except (ValueError, RecursionError) as err:   # RecursionError: braces nested too deep for the parser
        raise HTTPException(422, f"cannot draw the LaTeX: {str(err).splitlines()[-1]}") from err
    return buffer.getvalue()


def _warm_up() -> None:
    """Start the solver process and load the fonts now, so the first request is not slow."""
    solve("x=1")
    render_svg("x")
