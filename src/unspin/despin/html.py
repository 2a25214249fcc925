"""Side-by-side HTML view of restore results: one file, inline CSS, no scripts, escaped."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TextIO

from unspin.results import Change, RestoreResult

__all__ = ["RestoreHtml", "side_by_side"]

_CSS = """
body{font:15px/1.55 system-ui,sans-serif;margin:0;color:#1d232b;background:#f6f7f9}
header{background:#1d232b;color:#fff;padding:14px 28px}header h1{margin:0;font-size:20px}
main{max-width:1400px;margin:0 auto;padding:18px 28px}
section.doc{background:#fff;border:1px solid #dde1e6;border-radius:8px;margin:18px 0;
padding:16px 20px}h2{font-size:16px;margin:0 0 6px;word-break:break-all}
.meta{color:#56606b;font-size:13px;margin-bottom:10px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:18px}
.cols h3{font-size:13px;color:#56606b;margin:0 0 4px}
.text{white-space:pre-wrap;font-family:Georgia,serif;max-height:36em;overflow:auto;
border-top:1px solid #eef0f2;padding-top:8px}
del{background:#fde2e1;color:#9b1c1c;text-decoration:line-through}
ins{background:#dcf3e4;color:#17623a;text-decoration:none;font-weight:600}
.warn{color:#9b5b00;font-size:13px}
"""


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def side_by_side(text: str, changes: Sequence[Change]) -> tuple[str, str]:
    """(input with changed spans struck, restored text with the originals marked), escaped."""
    left: list[str] = []
    right: list[str] = []
    pos = 0
    for c in sorted(changes, key=lambda c: c.start):
        if c.start < pos or c.end > len(text):
            continue
        plain = _e(text[pos : c.start])
        title = _e(f"{c.text} -> {c.original} (confidence {c.confidence:.2f})")
        left += [plain, f'<del title="{title}">{_e(text[c.start : c.end])}</del>']
        right += [plain, f'<ins title="{title}">{_e(c.original)}</ins>']
        pos = c.end
    left.append(_e(text[pos:]))
    right.append(_e(text[pos:]))
    return "".join(left), "".join(right)


class RestoreHtml:
    """Streams one HTML page: :meth:`begin`, :meth:`add` per document, :meth:`end`."""

    def __init__(self, out: TextIO, title: str = "unspin restore") -> None:
        self.out = out
        self.title = title

    def begin(self) -> None:
        self.out.write(
            f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{_e(self.title)}</title><style>{_CSS}</style></head><body>"
            f"<header><h1>{_e(self.title)}</h1></header><main>\n"
        )

    def add(self, text: str, result: RestoreResult) -> None:
        meta = f"{len(result.changes)} change(s)"
        if result.reason:
            meta = f"not restored: {result.reason}"
        left, right = side_by_side(text, result.changes)
        warn = "".join(f'<div class="warn">{_e(w)}</div>' for w in result.warnings)
        self.out.write(
            f'<section class="doc"><h2>{_e(result.id)}</h2><div class="meta">{_e(meta)}</div>'
            f'{warn}<div class="cols"><div><h3>input</h3><div class="text">{left}</div></div>'
            f'<div><h3>restored</h3><div class="text">{right}</div></div></div></section>\n'
        )

    def end(self) -> None:
        self.out.write("</main></body></html>\n")
