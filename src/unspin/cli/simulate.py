"""``unspin simulate``: reference spinners (red team)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from unspin.cli.app import EXIT_USAGE, app, err_console
from unspin.cli.options import (
    IdFieldOpt,
    InputTally,
    MaxBytesOpt,
    OutOpt,
    TextFieldOpt,
    output_stream,
    read_inputs,
)


@app.command()
def simulate(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or folders (recursive), or - for stdin.", show_default=False),
    ] = None,
    profile: Annotated[
        str, typer.Option("--profile", "-p", help="Spinner profile (see --list-profiles).")
    ] = "moby-basic",
    rate: Annotated[
        float, typer.Option("--rate", "-r", min=0.0, max=1.0, help="Share of words to replace.")
    ] = 0.3,
    seed: Annotated[int, typer.Option("--seed", "-s", help="Random seed.")] = 0,
    out: OutOpt = None,
    list_profiles: Annotated[
        bool, typer.Option("--list-profiles", help="List the profiles and exit.")
    ] = False,
    id_field: IdFieldOpt = "id",
    text_field: TextFieldOpt = "text",
    max_bytes: MaxBytesOpt = 5_000_000,
) -> None:
    """Spin texts with a reference spinner; write JSONL with the gold alignment.

    Output lines: id, original_id, profile, rate, seed, text, original, alignment.

    Alignment edits are character offsets: equal/substitute/insert/delete/move.

    Exit 2 on an unknown profile or unreadable input (after the readable ones).
    """
    from unspin.simulate import PROFILES, spin

    if list_profiles:
        for p in PROFILES.values():
            typer.echo(f"{p.name}\t{p.dictionary}\t{p.description}")
        raise typer.Exit(0)
    if profile not in PROFILES:
        err_console.print(
            f"unspin simulate: unknown profile {profile!r}; have {', '.join(PROFILES)}"
        )
        raise typer.Exit(EXIT_USAGE)
    if not paths:
        err_console.print("unspin simulate: give at least one input (or - for stdin)")
        raise typer.Exit(EXIT_USAGE)
    tally = InputTally()
    with output_stream(out) as stream:
        docs = read_inputs(paths, id_field=id_field, text_field=text_field, max_bytes=max_bytes)
        for doc in tally.watch(docs):
            if doc.error is not None:
                continue
            spun = spin(doc.text, profile, rate, seed)
            record = spun.to_dict(id=f"{doc.id}#{profile}-{rate:g}-{seed}", original_id=doc.id)
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    if tally.errors:
        err_console.print(
            f"unspin simulate: {tally.errors} of {tally.documents} input(s) could not be read"
        )
        raise typer.Exit(EXIT_USAGE)
