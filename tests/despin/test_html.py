from __future__ import annotations

import io

from unspin.despin.html import RestoreHtml, side_by_side
from unspin.results import Change, RestoreResult


def test_side_by_side_escapes() -> None:
    text = "a <b> acknowledged & c"
    left, right = side_by_side(text, [Change(6, 18, "acknowledged", "said<", 0.9)])
    assert "<b>" not in left and "&lt;b&gt;" in left
    assert "<del" in left and "acknowledged</del>" in left
    assert "<ins" in right and "said&lt;</ins>" in right


def test_page() -> None:
    out = io.StringIO()
    page = RestoreHtml(out)
    page.begin()
    page.add("x y", RestoreResult("<id>", "x z", [Change(2, 3, "y", "z", 0.5)]))
    page.end()
    html = out.getvalue()
    assert html.startswith("<!DOCTYPE html>") and "&lt;id&gt;" in html and "<script" not in html
