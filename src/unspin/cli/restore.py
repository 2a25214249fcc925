"""``unspin restore`` and ``unspin learn``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.table import Table

from unspin.cli.app import EXIT_USAGE, app, err_console
from unspin.cli.options import (
    FormatOpt,
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
from unspin.results import RestoreResult

SourceOpt = Annotated[
    Path | None,
    typer.Option("--source", help="The original the inputs were spun from (restored exactly)."),
]
DbOpt = Annotated[
    Path | None,
    typer.Option("--db", help="Index (`unspin index`): restore from each input's derived source."),
]
ThresholdOpt = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        min=0.01,
        max=0.99,
        help="Without a source: change a word when the model's probability is at least "
        "this (default: the shipped 0.45, <= 1% of untouched words changed on red-team "
        "copies). Lower restores more and changes more clean words (docs/restore.md).",
    ),
]
MinSpinOpt = Annotated[
    float | None,
    typer.Option(
        "--min-spin",
        min=0.0,
        max=1.0,
        help="Without a source: leave a text alone when its spin probability (unspin check) "
        "is below this (default 0.5: it reads as more likely clean than spun); 0 restores "
        "every text.",
    ),
]
StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Learned-pairs store (default $UNSPIN_STORE or ~/.local/share/unspin/learned.sqlite).",
    ),
]


class _Writer:
    """Restore results in table / json / jsonl / html (side by side)."""

    def __init__(self, fmt: str, out: TextIO) -> None:
        from unspin.despin.html import RestoreHtml

        self.fmt, self.out = fmt, out
        self.rows: list[RestoreResult] = []
        self.first = True
        self.html = RestoreHtml(out) if fmt == "html" else None
        if self.html:
            self.html.begin()
        elif fmt == "json":
            out.write("[")

    def write(self, result: RestoreResult, text: str) -> None:
        if self.fmt == "jsonl":
            self.out.write(to_json_line(result) + "\n")
            self.out.flush()
        elif self.fmt == "json":
            self.out.write(("\n" if self.first else ",\n") + to_json_line(result))
        elif self.html is not None:
            self.html.add(text, result)
        else:
            self.rows.append(result)
        self.first = False

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n" if not self.first else "]\n")
        elif self.html is not None:
            self.html.end()
        elif self.fmt == "table":
            table = Table(header_style="bold")
            table.add_column("id", overflow="fold", max_width=60)
            table.add_column("changes", justify="right")
            table.add_column("first changes / reason", overflow="fold")
            for r in self.rows:
                top = ", ".join(f"{c.text}→{c.original}" for c in r.changes[:5])
                more = " …" if len(r.changes) > 5 else ""
                table.add_row(str(r.id), str(len(r.changes)), r.reason or top + more)
            width = None if self.out.isatty() else 140
            Console(file=self.out, soft_wrap=False, width=width).print(table)
        self.out.flush()


def _derived_source(idx: Any, text: str) -> tuple[str | None, str | None]:
    """(source id, source text) of the best ``derived`` match in the index, if any."""
    result = idx.trace(text)
    for m in result.matches:
        if m.relation == "derived":
            return m.source_id, idx.text(m.source_id)
    return None, None


def _open_index(db: Path, command: str) -> Any:
    from unspin.trace import Index
    from unspin.trace.index import db_path

    if not db_path(db).exists():
        err_console.print(f"unspin {command}: no index at {db} (build one with `unspin index`)")
        raise typer.Exit(EXIT_USAGE)
    return Index(db, readonly=True)


@app.command()
def restore(
    paths: Paths,
    source: SourceOpt = None,
    db: DbOpt = None,
    fmt: FormatOpt = "table",  # type: ignore[assignment]
    out: OutOpt = None,
    store: StoreOpt = None,
    threshold: ThresholdOpt = None,
    min_spin: MinSpinOpt = None,
    id_field: IdFieldOpt = "id",
    text_field: TextFieldOpt = "text",
    max_bytes: MaxBytesOpt = 5_000_000,
) -> None:
    """Give back the original wording of spun texts and list every change.

    Without a source the model changes only what it has strong evidence for; with
    --source (or the derived source found in --db) aligned parts are restored exactly.
    Exit 2 on usage or input errors (after every readable document was restored).
    """
    from unspin.despin import restore_document

    if source is not None and db is not None:
        err_console.print("unspin restore: give --source or --db, not both")
        raise typer.Exit(EXIT_USAGE)
    source_text = None
    if source is not None:
        try:
            source_text = source.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            err_console.print(f"unspin restore: cannot read --source {source}: {exc}")
            raise typer.Exit(EXIT_USAGE) from exc
    idx = _open_index(db, "restore") if db is not None else None
    tally = InputTally()
    try:
        with output_stream(out) as stream:
            writer = _Writer(fmt.value, stream)  # type: ignore[attr-defined]
            docs = read_inputs(paths, id_field=id_field, text_field=text_field, max_bytes=max_bytes)
            for doc in tally.watch(docs):
                src = source_text
                note = None
                if idx is not None and doc.error is None:
                    sid, src = _derived_source(idx, doc.text)
                    note = f"source: {sid}" if sid else "no derived source in the index"
                result = restore_document(doc, src, store, threshold, min_spin)
                if note:
                    result.warnings.append(note)
                writer.write(result, doc.text)
            writer.close()
    finally:
        if idx is not None:
            idx.close()
    raise typer.Exit(tally.exit_code("restore"))


@app.command()
def learn(
    paths: Paths,
    db: Annotated[Path, typer.Option("--db", help="Index of originals (`unspin index`).")],
    store: StoreOpt = None,
    id_field: IdFieldOpt = "id",
    text_field: TextFieldOpt = "text",
    max_bytes: MaxBytesOpt = 5_000_000,
) -> None:
    """Learn substitution pairs (spun -> original) from copies traced to a derived source.

    Pairs are counted into the learned store, which restore and check read at start-up.
    """
    from unspin.despin import LearnedStore, default_store_path, harvest

    tally = InputTally()
    traced = kept = 0
    path = store or default_store_path()
    with _open_index(db, "learn") as idx, LearnedStore(path) as st:
        docs = read_inputs(paths, id_field=id_field, text_field=text_field, max_bytes=max_bytes)
        for doc in tally.watch(docs):
            if doc.error is not None:
                continue
            _, src = _derived_source(idx, doc.text)
            if src is None:
                continue
            traced += 1
            kept += st.add(harvest(doc.text, src))
        total = len(st)
    print(f"{traced} of {tally.documents} copies traced; {kept} pairs counted; {total} in {path}")
    raise typer.Exit(tally.exit_code("learn"))
