"""``unspin scan``: detect, restore and trace every document of a crawl (resumable)."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from unspin.cli.app import EXIT_OK, EXIT_USAGE, app, err_console
from unspin.cli.options import (
    ConfirmOpt,
    Engine,
    FastOpt,
    IdFieldOpt,
    MasterOpt,
    MaxBytesOpt,
    Paths,
    TextFieldOpt,
)
from unspin.scan.local import Counts, Processed


class SparkTrace(StrEnum):
    index = "index"
    join = "join"


@app.command()
def scan(
    paths: Paths,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (created).")],
    db: Annotated[
        Path | None, typer.Option("--db", help="Index of originals (from `unspin index`).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default: every core).", min=1)
    ] = None,
    engine: Annotated[
        Engine, typer.Option(help="local processes, or Apache Spark tasks.")
    ] = Engine.local,
    master: MasterOpt = "local[*]",
    spark_trace: Annotated[
        SparkTrace,
        typer.Option(
            help="With --engine spark: open the index in every task, or join on "
            "fingerprint keys (the index is not shipped to the tasks)."
        ),
    ] = SparkTrace.index,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Probability at or above which a document is labelled spun, at every length "
            "(default: the detector's own threshold, stricter under 150 words)."
        ),
    ] = None,
    restore: Annotated[bool, typer.Option(help="Restore documents labelled spun.")] = True,
    fast: FastOpt = False,
    confirm: ConfirmOpt = False,
    restart: Annotated[
        bool, typer.Option(help="Discard an earlier (partial) scan in --out.")
    ] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
    id_field: IdFieldOpt = "id",
    text_field: TextFieldOpt = "text",
    max_bytes: MaxBytesOpt = 5_000_000,
) -> None:
    """Scan a crawl (files, folders, JSONL, WARC/WET, Parquet) into OUT.

    OUT gets results.jsonl and results.parquet (one record per input document, in input
    order: check fields plus restored, changes, matches), and report.html. Kill it at any
    moment and run the same command again: it continues where it stopped. Exit 2 on usage
    errors or unreadable inputs (reported after every readable document).
    """
    from unspin.scan import Fields, InputsChanged, ScanSettings, count_documents, run_scan
    from unspin.scan.resume import ManifestMismatch
    from unspin.trace.index import db_path

    if confirm and not fast:
        err_console.print("unspin scan: --confirm goes with --fast")
        raise typer.Exit(EXIT_USAGE)
    if db is not None and not db_path(db).exists():
        err_console.print(f"unspin scan: no index at {db} (build one with `unspin index`)")
        raise typer.Exit(EXIT_USAGE)
    settings = ScanSettings(
        db=str(db) if db else None,
        threshold=threshold,
        restore=restore,
        scorer=("screen" if confirm else "fast") if fast else "default",
    )
    fields = Fields(id_field, text_field, max_bytes)
    total = count_documents(paths) if progress else None
    bar = Progress(
        TextColumn("[bold]scan"),
        BarColumn(bar_width=24),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[counts]}"),
        console=err_console,
        disable=not progress,
    )
    started = time.monotonic()
    with bar:
        task = bar.add_task("scan", total=total, rate="", counts="")

        def on_resume(done: int) -> None:
            bar.update(task, completed=done)

        def on_chunk(chunk: list[Processed], counts: Counts) -> None:
            rate = counts.documents / max(time.monotonic() - started, 1e-9)
            bar.update(
                task, advance=len(chunk), rate=f"{rate:,.1f} docs/s", counts=counts.summary()
            )

        try:
            outcome = run_scan(
                paths,
                out,
                settings=settings,
                fields=fields,
                workers=workers,
                engine=engine.value,  # type: ignore[arg-type]
                master=master,
                trace_join=spark_trace is SparkTrace.join,
                restart=restart,
                on_chunk=on_chunk,
                on_resume=on_resume,
            )
        except (ManifestMismatch, InputsChanged) as e:
            err_console.print(f"unspin scan: {e}")
            raise typer.Exit(EXIT_USAGE) from None
    c = outcome.counts
    resumed = f" (resumed after {outcome.resumed})" if outcome.resumed else ""
    elapsed = time.monotonic() - started
    print(
        f"{outcome.total} documents in {out}{resumed}; this run {c.summary()} "
        f"in {elapsed:.1f}s ({c.documents / max(elapsed, 1e-9):.1f} docs/s)"
    )
    if c.unreadable:
        err_console.print(f"unspin scan: {c.unreadable} input(s) unreadable (see their 'reason')")
        raise typer.Exit(EXIT_USAGE)
    if outcome.total == 0:
        err_console.print("unspin scan: no documents found in the given paths")
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_OK)
