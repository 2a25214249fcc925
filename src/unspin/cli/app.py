"""The Typer application object; each command lives in its own module of this package."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    name="unspin",
    help="Find machine-spun copies of news articles, show what was changed, "
    "restore the original wording.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
console = Console()
err_console = Console(stderr=True)

EXIT_OK = 0
EXIT_FLAGGED = 1
EXIT_USAGE = 2


def not_implemented(command: str, issue: str) -> None:
    """Exit 2 with the contract's message for a command that is not built yet."""
    err_console.print(f"unspin {command}: not implemented yet ({issue})")
    raise typer.Exit(EXIT_USAGE)
