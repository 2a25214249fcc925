"""Command-line interface: ``unspin COMMAND ...`` (see ``unspin --help``)."""

from __future__ import annotations

from unspin.cli import check, commands, serve, simulate, trace  # noqa: F401  (registers commands)
from unspin.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
