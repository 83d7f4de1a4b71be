"""Load benchmark of the web service: many clients posting one handwritten equation at once.

    python benchmarks/load.py --clients 50 --seconds 20

Starts ``handmath serve`` on a free loopback port (127.0.0.1 only), lets ``--clients`` concurrent
clients post examples/quadratic.png to /api/recognize until ``--seconds`` have passed or
``--requests`` have been sent, then stops the server and prints the requests per second, the
median and 99th-percentile latency, the number of failed requests and the server's peak memory
(resident set, from /proc). Exits with 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
IMAGE = ROOT / "examples" / "quadratic.png"
EXPECTED = "x^{2}=1"
START_LIMIT = 60.0      # seconds the server may take to load its models
REQUEST_LIMIT = 60.0    # seconds one request may take before it counts as failed


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long the clients keep sending")
    parser.add_argument("--requests", type=int, default=100_000, help="stop after this many requests")
    parser.add_argument("--workers", type=int, default=None, help="the server's --workers (default: its own)")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.requests < 1:
        parser.error("--clients, --seconds and --requests must be positive")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    image = IMAGE.read_bytes()
    # Start the server
    port = _free_port()
    command = [sys.executable, "-m", "handmath", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        try:
            url = f"http://127.0.0.1:{port}"
            if not _wait_until_up(url, server):
                log.seek(0)
                print(f"the server did not start:\n{log.read().decode(errors='replace')}", file=sys.stderr)
                return 1
            # Load it
            latencies, errors, seconds = asyncio.run(_load(url, image, args))
            peak = _peak_rss(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    # Report
    latencies.sort()
    done = len(latencies) + errors
    print(f"clients             {args.clients}")
    print(f"seconds             {seconds:.1f}")
    print(f"requests            {done}")
    print(f"errors              {errors}")
    print(f"requests_per_s      {done / seconds:.1f}")
    if latencies:
        print(f"p50_ms              {1000 * statistics.median(latencies):.0f}")
        print(f"p99_ms              {1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]:.0f}")
    print(f"server_peak_rss_mb  {peak['server'] / 2**20:.0f}")
    print(f"solver_peak_rss_mb  {peak['children'] / 2**20:.0f}")
    return 1 if errors else 0


async def _load(url: str, image: bytes, args) -> tuple[list[float], int, float]:
    """Run the clients; the latencies of the good answers, the count of failures, the seconds taken."""
    latencies: list[float] = []
    errors = 0
    sent = 0
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=REQUEST_LIMIT) as http:
        await _post(http, image)                     # warm up: the first answer may be slower
        started = time.perf_counter()
        deadline = started + args.seconds

        async def client() -> None:
            nonlocal errors, sent
            while time.perf_counter() < deadline and sent < args.requests:
                sent += 1
                began = time.perf_counter()
                if await _post(http, image):
                    latencies.append(time.perf_counter() - began)
                else:
                    errors += 1

        await asyncio.gather(*(client() for _ in range(args.clients)))
    return latencies, errors, time.perf_counter() - started


async def _post(http: httpx.AsyncClient, image: bytes) -> bool:
    """Post the image once; whether the answer was the right LaTeX."""
    try:
        response = await http.post("/api/recognize", files={"image": ("quadratic.png", image, "image/png")})
    except httpx.HTTPError as err:
        print(f"request failed: {err!r}", file=sys.stderr)
        return False
    if response.status_code != 200 or response.json().get("latex") != EXPECTED:
        print(f"bad answer: {response.status_code} {response.text[:200]}", file=sys.stderr)
        return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen) -> bool:
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def _peak_rss(pid: int) -> dict[str, int]:
    """Peak resident memory in bytes of the server process and, summed, of its children (the solver)."""
    tasks = Path(f"/proc/{pid}/task").glob("*/children")    # children hang off the thread that started them
    children = [child for task in tasks for child in task.read_text().split()]
    return {"server": _vm_hwm(pid), "children": sum(_vm_hwm(int(child)) for child in children)}


def _vm_hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except FileNotFoundError:     # the process has ended
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
