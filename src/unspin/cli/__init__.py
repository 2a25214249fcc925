"""Command-line interface: ``unspin COMMAND ...`` (see ``unspin --help``).

Each command lives in its own module; importing them registers them on :data:`app`, in
the order the help lists them.
"""

from __future__ import annotations

# isort: off
from unspin.cli import check, restore, trace, scan, serve, simulate  # noqa: F401

# isort: on
from unspin.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
