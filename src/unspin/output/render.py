"""Writers for the CLI formats. JSON shapes are the results' ``to_dict()`` (the contract)."""

from __future__ import annotations

import json
from typing import Any, Literal, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from unspin.output.html import HtmlReport

__all__ = ["FORMATS", "Format", "ResultWriter", "to_json_line"]

Format = Literal["table", "json", "jsonl", "html"]
FORMATS: tuple[str, ...] = ("table", "json", "jsonl", "html")


def to_json_line(result: Any) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":"))


class ResultWriter:
    """Streams results in one format. Tables are printed at :meth:`close` (one row each)."""

    def __init__(self, fmt: Format, out: TextIO, *, title: str = "unspin check") -> None:
        self.fmt = fmt
        self.out = out
        self._rows: list[tuple[str, ...]] = []
        self._first = True
        self._html = HtmlReport(out, title) if fmt == "html" else None
        if self._html:
            self._html.begin()
        elif fmt == "json":
            out.write("[")

    def write(self, result: Any, text: str = "") -> None:
        if self.fmt == "jsonl":
            self.out.write(to_json_line(result) + "\n")
            self.out.flush()
        elif self.fmt == "json":
            self.out.write(("\n" if self._first else ",\n") + to_json_line(result))
        elif self._html is not None:
            self._html.add(text, result)
        else:
            self._rows.append(_row(result))
        self._first = False

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n" if not self._first else "]\n")
        elif self._html is not None:
            self._html.end()
        elif self.fmt == "table":
            _print_table(self._rows, self.out)
        self.out.flush()


def _row(r: Any) -> tuple[str, ...]:
    prob = getattr(r, "spin_probability", None)
    spans = getattr(r, "spans", []) or []
    top = ", ".join(f"{s.text}→{s.original}" if s.original else s.text for s in spans[:4]) + (
        " …" if len(spans) > 4 else ""
    )
    warnings = getattr(r, "warnings", []) or []
    if r.reason:
        last = r.reason
    else:  # the warnings by name ("homoglyphs", "short text"): the JSON has them whole
        names = [w.split(":", 1)[0].split(" (", 1)[0] for w in warnings]
        last = top + (f" [{', '.join(names)}]" if names else "")
    return (
        str(r.id),
        str(r.label),
        "—" if prob is None else f"{prob:.3f}",
        str(getattr(r, "n_words", "")),
        str(len(spans)),
        last.strip(),
    )


def _print_table(rows: list[tuple[str, ...]], out: TextIO) -> None:
    table = Table(show_lines=False, header_style="bold")
    table.add_column("id", overflow="fold", max_width=60)
    table.add_column("label")
    table.add_column("p(spun)", justify="right")
    table.add_column("words", justify="right")
    table.add_column("spans", justify="right")
    table.add_column("top spans / reason", overflow="fold")
    styles = {"spun": "bold red", "clean": "green", "not_scored": "dim"}
    for row in rows:  # cells are text, not markup: "[b]" in an id or a span stays as it is
        table.add_row(*(escape(c) for c in row), style=styles.get(row[1]))
    Console(file=out, soft_wrap=False, width=None if out.isatty() else 140).print(table)
