"""Commands not built yet: each exits 2 with "not implemented yet", never a fake result."""

from __future__ import annotations

from unspin.cli.app import app, not_implemented


@app.command(help="Restore the original wording of spun texts.")
def restore() -> None:
    not_implemented("restore", "restore issue")


@app.command(help="Detect, restore and trace every document of a crawl.")
def scan() -> None:
    not_implemented("scan", "scan issue")
