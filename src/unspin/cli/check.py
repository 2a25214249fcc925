"""``unspin check``: spin probability and substituted spans per document."""

from __future__ import annotations

from typing import Annotated

import typer

from unspin.cli.app import EXIT_FLAGGED, EXIT_OK, EXIT_USAGE, app, err_console
from unspin.cli.options import (
    ConfirmOpt,
    FastOpt,
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
from unspin.detect import DEFAULT_THRESHOLD, check_document
from unspin.output import ResultWriter


@app.command()
def check(
    paths: Paths,
    fmt: FormatOpt = "table",  # type: ignore[assignment]
    out: OutOpt = None,
    fail_on: Annotated[
        float | None,
        typer.Option(help="Exit 1 if any document's spin probability is above this."),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Probability at or above which a document is labelled spun, at every length. "
            "Default: the detector's own (at most 1% of held-out clean texts flagged; stricter "
            "under 150 words); lower finds more spun copies and flags more clean texts "
            "(docs/detect.md, 'Choosing a threshold').",
        ),
    ] = DEFAULT_THRESHOLD,
    fast: FastOpt = False,
    confirm: ConfirmOpt = False,
    id_field: IdFieldOpt = "id",
    text_field: TextFieldOpt = "text",
    max_bytes: MaxBytesOpt = 5_000_000,
) -> None:
    """Score each document: spin probability, label and the suspected substitutions.

    Learned spinner pairs count as evidence: the shipped ones and those `unspin learn` put
    in the store at $UNSPIN_STORE (default ~/.local/share/unspin/learned.sqlite).

    Exit codes: 0 success; 1 with --fail-on when a document scores above it; 2 on usage or
    input errors (reported after every readable document has been processed).
    """
    if confirm and not fast:
        err_console.print("unspin check: --confirm goes with --fast")
        raise typer.Exit(EXIT_USAGE)
    scorer = None
    if fast:
        from unspin.detect.triage import TriageScorer, screen_document

        scorer = TriageScorer()
    tally = InputTally()
    flagged = 0
    with output_stream(out) as stream:
        writer = ResultWriter(fmt.value, stream, title="unspin check")  # type: ignore[attr-defined]
        docs = read_inputs(paths, id_field=id_field, text_field=text_field, max_bytes=max_bytes)
        for doc in tally.watch(docs):
            if confirm:
                result = screen_document(doc, scorer, threshold=threshold)  # type: ignore[arg-type]
            else:
                result = check_document(doc, scorer=scorer, threshold=threshold)
            writer.write(result, doc.text)
            p = result.spin_probability
            if fail_on is not None and p is not None and p > fail_on:
                flagged += 1
        writer.close()
    code = tally.exit_code("check")
    raise typer.Exit(code or (EXIT_FLAGGED if flagged else EXIT_OK))
