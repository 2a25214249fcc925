"""Drive the web page in headless Chromium (Playwright): the browser test and the docs
screenshot use the same code (``python -m unspin.serve.browser OUT.png``).

Uses Debian's ``/usr/bin/chromium``; never downloads a browser.
"""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unspin.serve.config import ServeConfig

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "PageRun",
    "browser_unavailable",
    "check_in_page",
    "chromium",
    "chromium_page",
    "running_server",
    "screenshot_seed",
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEED = Path(__file__).resolve().parents[3] / "examples" / "000_spun_reuters_us_china_trade.txt"


def browser_unavailable() -> str | None:
    """Why the browser cannot run here, or ``None`` when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        return f"chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(config: ServeConfig | None = None) -> Iterator[str]:
    """Serve the app on a free loopback port in a thread; yields the base URL."""
    import uvicorn

    from unspin.serve.app import create_app

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(config), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


VIEWPORT = {"width": 1360, "height": 1000}


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (``browser.new_page(...)``)."""
    from playwright.sync_api import sync_playwright

    exe = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def chromium_page() -> Iterator[Any]:
    """One page in its own headless Chromium."""
    with chromium() as browser:
        yield browser.new_page(viewport=VIEWPORT)


@dataclass(slots=True)
class PageRun:
    """What the page showed: the marked spans, the rendered text and any dialogs opened."""

    marks: list[dict[str, str | None]]
    marked_text: str
    label: str
    dialogs: list[str] = field(default_factory=list)
    script_nodes: int = 0
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)  # anything not to the server


def check_in_page(
    page: Any, base_url: str, text: str, screenshot: Path | None = None, timeout_ms: int = 180_000
) -> PageRun:
    """Paste ``text``, press Check, wait for the highlights; optionally save a screenshot."""
    dialogs: list[str] = []
    errors: list[str] = []
    foreign: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith((base_url + "/", "data:")) else foreign.append(r.url),
    )
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=timeout_ms)
    page.fill("#text", text)
    page.click("#check")
    page.wait_for_selector("#marked[data-ready='1']", timeout=timeout_ms)
    page.wait_for_selector("#check:not([disabled])", timeout=timeout_ms)
    marks = page.eval_on_selector_all(
        "#marked mark",
        "ms => ms.map(m => ({text: m.dataset.text, original: m.dataset.original || null}))",
    )
    first = page.query_selector("#marked mark.has-original") or page.query_selector("#marked mark")
    if first is not None:
        first.click()  # open the detail panel so that the screenshot shows it
    run = PageRun(
        marks=marks,
        marked_text=page.inner_text("#marked"),
        label=page.inner_text("#label"),
        dialogs=dialogs,
        script_nodes=page.eval_on_selector_all("#marked script, #marked img", "ns => ns.length"),
        console_errors=errors,
        foreign_requests=foreign,
    )
    if screenshot is not None:
        page.evaluate("window.scrollTo(0, 0); document.getElementById('text').scrollTop = 0")
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=False)
    return run


def screenshot_seed(
    out: Path, config: ServeConfig | None = None, text: str | None = None
) -> PageRun:
    """Serve, paste seed 000 into the page, and save a screenshot at ``out``."""
    seed = text if text is not None else SEED.read_text(encoding="utf-8")
    with running_server(config) as url, chromium_page() as page:
        return check_in_page(page, url, seed, screenshot=out)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("docs/img/serve-seed000.png")
    reason = browser_unavailable()
    if reason:
        print(f"cannot take the screenshot: {reason}", file=sys.stderr)
        return 2
    run = screenshot_seed(out)
    with_original = sum(1 for m in run.marks if m["original"])
    print(
        f"wrote {out}: label {run.label}, {len(run.marks)} marks ({with_original} with originals)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
