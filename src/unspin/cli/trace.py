"""``unspin index`` and ``unspin trace``."""

from __future__ import annotations

from unspin.cli.app import app, not_implemented


@app.command(help="Build or extend an index of original articles.")
def index() -> None:
    not_implemented("index", "trace issue")


@app.command(help="Find the sources of copies in an index.")
def trace() -> None:
    not_implemented("trace", "trace issue")
