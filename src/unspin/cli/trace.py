"""``unspin index`` and ``unspin trace``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.table import Table

from unspin.cli.app import EXIT_USAGE, app, err_console
from unspin.cli.options import (
    IdFieldOpt,
    InputTally,
    MaxBytesOpt,
    OutOpt,
    Paths,
    TextFieldOpt,
    output_stream,
    read_inputs,
)
from unspin.output import to_json_line
from unspin.results import TraceResult

DbOpt = Annotated[Path, typer.Option("--db", help="Index directory (created by `unspin index`).")]


class TraceFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


@app.command()
def index(
    paths: Paths,
    db: DbOpt,
    id_field: IdFieldOpt = "id",
    text_field: TextFieldOpt = "text",
    max_bytes: MaxBytesOpt = 5_000_000,
    batch_size: Annotated[int, typer.Option(help="Documents per committed batch.")] = 1000,
    workers: Annotated[int, typer.Option(help="Processes that fingerprint documents.")] = 1,
) -> None:
    """Build or extend an index of original articles (re-adding an id updates it).

    Progress lines count committed documents only; after a crash, run the same command
    again: stored documents are skipped, the rest are added. Exit 2 if inputs could not
    be read (after every readable one was indexed).
    """
    from unspin.trace import Index

    tally = InputTally()
    docs = read_inputs(paths, id_field=id_field, text_field=text_field, max_bytes=max_bytes)
    with Index(db, batch_size=batch_size, workers=workers) as idx:
        report = None
        for report in idx.add_batches(tally.watch(docs)):
            err_console.print(
                f"committed: {report.added} added, {report.updated} updated, "
                f"{report.unchanged} unchanged ({len(idx)} in index)",
                highlight=False,
            )
        total = len(idx)
    for doc_id, reason in report.skipped if report else []:
        err_console.print(f"skipped {doc_id}: {reason}", highlight=False)
    added = report.added if report else 0
    updated = report.updated if report else 0
    unchanged = report.unchanged if report else 0
    print(f"{added} added, {updated} updated, {unchanged} unchanged; {total} documents in {db}")
    raise typer.Exit(tally.exit_code("index"))


@app.command()
def trace(
    paths: Paths,
    db: DbOpt,
    fmt: Annotated[
        TraceFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = TraceFormat.table,
    out: OutOpt = None,
    id_field: IdFieldOpt = "id",
    text_field: TextFieldOpt = "text",
    max_bytes: MaxBytesOpt = 5_000_000,
) -> None:
    """Find the sources of copies in an index: derived sources first, then related stories.

    Exit 2 if the index is missing or inputs could not be read (reported after the rest).
    """
    from unspin.trace import Index
    from unspin.trace.index import db_path

    if not db_path(db).exists():
        err_console.print(f"unspin trace: no index at {db} (build one with `unspin index`)")
        raise typer.Exit(EXIT_USAGE)
    tally = InputTally()
    docs = read_inputs(paths, id_field=id_field, text_field=text_field, max_bytes=max_bytes)
    results: list[TraceResult] = []
    with Index(db, readonly=True) as idx, output_stream(out) as stream:
        if fmt is TraceFormat.json:
            stream.write("[")
        for k, doc in enumerate(tally.watch(docs)):
            if doc.error is not None:
                res = TraceResult(doc.id, reason=doc.error, warnings=list(doc.warnings))
            else:
                res = idx.trace(doc.text, id=doc.id)
                res.warnings.extend(doc.warnings)
            if fmt is TraceFormat.jsonl:
                stream.write(to_json_line(res) + "\n")
                stream.flush()
            elif fmt is TraceFormat.json:
                stream.write(("\n" if k == 0 else ",\n") + to_json_line(res))
            else:
                results.append(res)
        if fmt is TraceFormat.json:
            stream.write("\n]\n" if tally.documents else "]\n")
        elif fmt is TraceFormat.table:
            _print_table(results, stream)
    raise typer.Exit(tally.exit_code("trace"))


def _print_table(results: list[TraceResult], out: TextIO) -> None:
    table = Table(header_style="bold")
    for name, kw in (
        ("id", {"overflow": "fold", "max_width": 40}),
        ("source", {"overflow": "fold", "max_width": 40}),
        ("relation", {}),
        ("score", {"justify": "right"}),
        ("derived", {"justify": "right"}),
        ("passages", {"justify": "right"}),
        ("rewrite", {}),
    ):
        table.add_column(name, **kw)  # type: ignore[arg-type]
    for r in results:
        if not r.matches:
            table.add_row(r.id, "-", r.reason or "no source found", "", "", "", "", style="dim")
        for i, m in enumerate(r.matches):
            table.add_row(
                r.id if i == 0 else "",
                m.source_id,
                m.relation,
                f"{m.score:.2f}",
                f"{m.derived_fraction:.0%}",
                str(len(m.passages)),
                m.rewrite_type or "",
                style="bold red" if m.relation == "derived" else None,
            )
    Console(file=out, soft_wrap=False, width=None if out.isatty() else 140).print(table)
