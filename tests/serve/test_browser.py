"""End to end in headless Debian Chromium (Playwright); skipped when either is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from unspin.serve.browser import (
    VIEWPORT,
    browser_unavailable,
    check_in_page,
    chromium,
    running_server,
)

_reason = browser_unavailable()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(_reason is not None, reason=f"browser test: {_reason}"),
]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT)
    yield context.new_page()
    context.close()


def test_seed_000_highlights_replace_with_trade(
    page: Any, base_url: str, spun_text: str, tmp_path: Path
) -> None:
    shot = tmp_path / "serve-seed000.png"
    run = check_in_page(page, base_url, spun_text, screenshot=shot)
    assert shot.stat().st_size > 10_000
    assert run.label == "spun"
    replaced = [m for m in run.marks if m["text"] == "replace"]
    assert replaced, "the word 'replace' is not highlighted"
    assert any(m["original"] == "trade" for m in replaced)


def test_page_renders_highlights_for_the_current_scorer(
    page: Any, base_url: str, spun_text: str, tmp_path: Path
) -> None:
    from unspin.detect import check_text

    shot = tmp_path / "shot.png"
    run = check_in_page(page, base_url, spun_text, screenshot=shot)
    expected = check_text(spun_text).spans
    assert len(run.marks) == len(expected) > 0
    assert [m["text"] for m in run.marks] == [s.text for s in expected]
    assert run.marked_text.replace("\n", "").startswith(spun_text.strip()[:40])
    assert shot.exists()
    assert run.console_errors == [] and run.foreign_requests == []  # offline, no CDN


@pytest.mark.parametrize(
    "payload",
    ["<script>alert(1)</script>", '<img src=x onerror="alert(1)"> and <b>bold</b>'],
)
def test_markup_is_shown_as_text_not_run(page: Any, base_url: str, payload: str) -> None:
    run = check_in_page(page, base_url, payload)
    assert payload in run.marked_text
    assert run.dialogs == []
    assert run.script_nodes == 0
    assert run.console_errors == []
    assert run.label == "not scored"


def test_traced_sources_are_shown_with_passages(
    page: Any, tmp_path: Path, spun_text: str, related_text: str
) -> None:
    trace = pytest.importorskip("unspin.trace", reason="trace stage not available")
    from unspin.serve import ServeConfig

    db = tmp_path / "idx"
    with trace.Index(db) as index:
        index.add([("orig-000", spun_text), ("rel-004", related_text)])
    with running_server(ServeConfig(db=str(db), pool="thread")) as url:
        check_in_page(page, url, spun_text)
        page.wait_for_selector("#matches .match", timeout=180_000)
        ids = page.eval_on_selector_all("#matches .source-id", "ns => ns.map(n => n.textContent)")
        sources = page.inner_text("#matches .match .source")
    assert ids[0] == "orig-000"
    assert spun_text.split()[0] in sources  # the source passage text itself is shown


def test_restored_text_is_shown_with_changes_marked(
    page: Any, spun_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    from unspin.io.document import Document
    from unspin.results import Change, RestoreResult
    from unspin.serve import ServeConfig, backends

    def fake(doc: Document, threshold: float | None = None) -> RestoreResult:  # restore stage
        found = list(re.finditer(r"\breplace\b", doc.text))
        changes = [Change(m.start(), m.end(), "replace", "trade", 0.9) for m in found]
        return RestoreResult(doc.id, re.sub(r"\breplace\b", "trade", doc.text), changes)

    monkeypatch.setattr(backends, "restore_function", lambda: fake)
    with running_server(ServeConfig(pool="thread")) as url:
        run = check_in_page(page, url, spun_text)
        page.wait_for_selector("#restored ins.change", timeout=180_000)
        inserted = page.eval_on_selector_all("#restored ins", "ns => ns.map(n => n.textContent)")
        restored = page.inner_text("#restored")
    assert inserted and set(inserted) == {"trade"}
    assert len(inserted) == len(re.findall(r"\breplace\b", spun_text))
    assert "trade war" in restored and run.console_errors == []


def test_opening_a_txt_file_fills_the_text(page: Any, base_url: str, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text("Über <b>markup</b> and 😀 emoji\nsecond line\n", encoding="utf-8")
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=180_000)
    page.set_input_files("#file", str(path))
    # Poll from Python: wait_for_function evaluates a string, which the page's CSP forbids
    # (it only worked when the first check already passed).
    for _ in range(1800):
        if page.input_value("#text"):
            break
        page.wait_for_timeout(100)
    assert page.input_value("#text") == path.read_text(encoding="utf-8")
