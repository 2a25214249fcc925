"""``unspin index`` and ``unspin trace``."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console
from rich.table import Table

from unspin.cli.app import EXIT_USAGE, app, err_console
from unspin.cli.options import (
    Engine,
    IdFieldOpt,
    InputTally,
    MasterOpt,
    MaxBytesOpt,
    OutOpt,
    Paths,
    TextFieldOpt,
    output_stream,
    read_inputs,
)
from unspin.output import to_json_line
from unspin.results import TraceResult

if TYPE_CHECKING:
    from unspin.trace import AddReport

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
    workers: Annotated[
        int, typer.Option(help="Processes that fingerprint documents (--engine local).", min=1)
    ] = 1,
    engine: Annotated[
        Engine,
        typer.Option(help="Fingerprint in local processes, or in Apache Spark tasks."),
    ] = Engine.local,
    master: MasterOpt = "local[*]",
) -> None:
    """Build or extend an index of original articles (re-adding an id updates it).

    Progress lines count committed documents only; after a crash, run the same command
    again: stored documents are skipped, the rest are added. With --engine spark, Spark
    tasks read and fingerprint the inputs and this process writes the index (needs
    pyspark, extra [spark], and Java). Exit 2 if inputs could not be read (after every
    readable one was indexed) or on usage errors.
    """
    from unspin.trace import AddReport, Index

    tally = InputTally()

    def progress(report: AddReport, total: int) -> None:
        err_console.print(
            f"committed: {report.added} added, {report.updated} updated, "
            f"{report.unchanged} unchanged ({total} in index)",
            highlight=False,
        )

    if engine is Engine.spark:
        report = _index_spark(paths, db, tally, id_field, text_field, max_bytes, batch_size,
                              master, progress)  # fmt: skip
        with Index(db) as idx:
            total = len(idx)
    else:
        docs = read_inputs(paths, id_field=id_field, text_field=text_field, max_bytes=max_bytes)
        report = AddReport()
        with Index(db, batch_size=batch_size, workers=workers) as idx:
            for _ in idx.add_batches(tally.watch(docs), report):
                progress(report, len(idx))
            total = len(idx)
    for doc_id, reason in report.skipped:
        err_console.print(f"skipped {doc_id}: {reason}", highlight=False)
    print(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged; "
        f"{total} documents in {db}"
    )
    raise typer.Exit(tally.exit_code("index"))


def _index_spark(
    paths: list[str],
    db: Path,
    tally: InputTally,
    id_field: str,
    text_field: str,
    max_bytes: int,
    batch_size: int,
    master: str,
    progress: Callable[[AddReport, int], None],
) -> AddReport:
    """``index --engine spark``: a clear usage error when Spark cannot run here."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        err_console.print(
            "unspin index: --engine spark needs pyspark (pip install 'unspin[spark]') "
            "and a Java runtime; or use --engine local"
        )
        raise typer.Exit(EXIT_USAGE) from None
    from unspin.scan import Fields
    from unspin.scan.spark_index import build_index_spark
    from unspin.trace import Index

    fields = Fields(id_field, text_field, max_bytes)
    committed = 0

    def on_batch(report: AddReport) -> None:
        progress(report, committed + report.added)

    with Index(db) as idx:
        committed = len(idx)
    try:
        return build_index_spark(
            paths, db, fields=fields, master=master, batch_size=batch_size,
            on_batch=on_batch, watch=tally.watch,  # type: ignore[arg-type]
        )  # fmt: skip
    except ValueError as e:  # e.g. stdin, which Spark tasks cannot read
        err_console.print(f"unspin index: {e}")
        raise typer.Exit(EXIT_USAGE) from None


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
        ("confidence", {"justify": "right"}),
        ("score", {"justify": "right"}),
        ("derived", {"justify": "right"}),
        ("passages", {"justify": "right"}),
        ("rewrite", {}),
    ):
        table.add_column(name, **kw)  # type: ignore[arg-type]
    for r in results:
        if not r.matches:
            table.add_row(r.id, "-", r.reason or "no source found", *[""] * 5, style="dim")
        for i, m in enumerate(r.matches):
            table.add_row(
                r.id if i == 0 else "",
                m.source_id,
                m.relation,
                f"{m.confidence:.2f}",
                f"{m.score:.2f}",
                f"{m.derived_fraction:.0%}",
                str(len(m.passages)),
                m.rewrite_type or "",
                style="bold red" if m.relation == "derived" else None,
            )
    Console(file=out, soft_wrap=False, width=None if out.isatty() else 140).print(table)
