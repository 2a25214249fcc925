"""Options and input plumbing shared by every command (one definition each)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from unspin.io.document import Document
from unspin.output import FORMATS

Paths = Annotated[
    list[str],
    typer.Argument(help="Files or folders (recursive), or - for stdin.", show_default=False),
]
OutputFormat = Enum("OutputFormat", {f: f for f in FORMATS}, type=str)  # type: ignore[misc]
FormatOpt = Annotated[
    OutputFormat,  # type: ignore[valid-type]
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write output to this file (default: stdout).")
]
IdFieldOpt = Annotated[str, typer.Option(help="JSON/JSONL field holding the document id.")]
TextFieldOpt = Annotated[str, typer.Option(help="JSON/JSONL field holding the document text.")]
MaxBytesOpt = Annotated[
    int, typer.Option(help="Refuse documents larger than this many bytes (others go on).")
]
MasterOpt = Annotated[str, typer.Option(help="Spark master URL (with --engine spark).")]
FastOpt = Annotated[
    bool,
    typer.Option(
        help="Screen with the fast triage scorer (~11x faster detection, no spans; finds fewer "
        "spun pages and flags more clean ones: docs/scale.md) instead of the detector."
    ),
]
ConfirmOpt = Annotated[
    bool,
    typer.Option(
        help="With --fast: check again with the detector what the triage flags (its labels, "
        "probabilities and spans; --threshold is then the detector's)."
    ),
]


class Engine(StrEnum):
    """Where ``scan`` and ``index`` run: local processes or Apache Spark tasks."""

    local = "local"
    spark = "spark"


class InputTally:
    """Counts documents read and those with input errors (exit code 2 at the end)."""

    def __init__(self) -> None:
        self.documents = 0
        self.errors = 0

    def exit_code(self, command: str) -> int:
        """2 (with a message) when inputs were unreadable or there were none, else 0:
        the contract's exit code once every readable document has been processed."""
        from unspin.cli.app import EXIT_OK, EXIT_USAGE, err_console

        if self.errors:
            err_console.print(
                f"unspin {command}: {self.errors} of {self.documents} input(s) could not be "
                "read (see their 'reason')"
            )
            return EXIT_USAGE
        if self.documents == 0:
            err_console.print(f"unspin {command}: no documents found in the given paths")
            return EXIT_USAGE
        return EXIT_OK

    def watch(self, docs: Iterator[Document]) -> Iterator[Document]:
        for doc in docs:
            self.documents += 1
            if doc.error is not None:
                self.errors += 1
            yield doc


def read_inputs(
    paths: list[str], *, id_field: str, text_field: str, max_bytes: int
) -> Iterator[Document]:
    from unspin.io import read_documents

    return read_documents(paths, id_field=id_field, text_field=text_field, max_bytes=max_bytes)


@contextmanager
def output_stream(out: Path | None) -> Iterator[TextIO]:
    if out is None:
        yield sys.stdout
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        yield fh
