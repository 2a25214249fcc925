"""``unspin simulate``: reference spinners (red team)."""

from __future__ import annotations

from unspin.cli.app import app, not_implemented


@app.command(help="Spin texts with a reference spinner and write the gold alignment.")
def simulate() -> None:
    not_implemented("simulate", "red-team issue")
