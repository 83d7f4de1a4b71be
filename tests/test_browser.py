"""The page in a real browser: Debian's headless Chromium, driven by Playwright, against uvicorn.

Skipped where /usr/bin/chromium is missing, except under CI (which installs it), where it must run.
Set HANDMATH_SCREENSHOT=1 to save the screenshot as docs/screenshot.png instead of in tmp_path.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from handmath.service import create_app

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
WAIT_MS = 15_000

pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                reason=f"no {CHROMIUM}: apt-get install chromium to run the browser test")


@pytest.fixture(scope="module")
def server():
    """The real service (shipped model, loaded by the lifespan hook) on a free loopback port."""
    import uvicorn

    service = uvicorn.Server(uvicorn.Config(create_app(workers=1), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not service.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    port = service.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    service.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"CI is set but {CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_read_correct_translate_on_a_phone(server, browser, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    page = browser.new_page(viewport=PHONE, device_scale_factor=2)
    requested, problems = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))

    page.goto(server + "/")
    page.set_input_files("#file", ROOT / "examples" / "quadratic.png")
    expect(page.locator("#latex")).to_have_text("x^{2}=1")
    expect(page.locator("#solution-text")).to_have_text("x = -1 ∨ x = 1")
    expect(page.locator("#solution-kind")).to_have_text("Equation")
    expect(page.locator("#boxes .box")).to_have_count(4)
    for preview in ("#preview", "#solution-preview"):     # drawn by /api/render; decode() fails if not
        assert page.locator(preview).evaluate("image => image.decode().then(() => image.naturalWidth)") > 0

    # Correct the exponent with the keyboard: focus its box, Enter, pick another reading with Space.
    page.locator("#boxes .box").nth(1).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#alternatives")).to_be_visible()
    other = page.locator('#choices button[aria-pressed="false"]').first
    label = other.get_attribute("data-label")
    other.focus()
    page.keyboard.press(" ")
    expect(page.locator("#latex")).to_have_text(f"x^{{{label}}}=1")
    expect(page.locator("#alternatives")).to_be_hidden()

    # ... and back, with clicks.
    page.locator("#boxes .box").nth(1).click()
    page.locator('#choices button[data-label="2"]').click()
    expect(page.locator("#latex")).to_have_text("x^{2}=1")
    expect(page.locator("#solution-text")).to_have_text("x = -1 ∨ x = 1")

    page.locator("#language").click()
    expect(page.locator("h1")).to_have_text("Handgeschreven wiskunde")
    expect(page.locator("#solution-kind")).to_have_text("Vergelijking")
    page.locator("#language").click()
    expect(page.locator("h1")).to_have_text("Handwritten maths")

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "wider than a phone"
    assert all(url.startswith((server, "blob:", "data:")) for url in requested), requested
    assert not problems
    shot = ROOT / "docs" / "screenshot.png" if os.environ.get("HANDMATH_SCREENSHOT") else tmp_path / "page.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 0
