"""Writers for the CLI formats. JSON shapes are the results' ``to_dict()`` (the contract)."""

from __future__ import annotations

import json
from typing import Any, Literal, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from unspin.output.html import HtmlReport

__all__ = ["FORMATS", "Format", "ResultWriter", "to_json_line", "top_spans"]

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


TOP_SPANS = 4  # substitutions shown per document in the table


def top_spans(spans: list[Any], n: int = TOP_SPANS) -> str:
    """The ``n`` strongest distinct substitutions, highest score first ("acknowledged→said
    ×14" when one recurs), and "…" if there are more: a table row shows the evidence
    that weighs most, not the first words of the text (the JSON has every span)."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for s in spans:
        key = (" ".join(s.text.lower().split()), (s.original or "").lower())
        groups.setdefault(key, []).append(s)
    ranked = sorted(groups.values(), key=lambda g: -max(x.score or 0.0 for x in g))
    shown = []
    for g in ranked[:n]:
        s = g[0]
        text = " ".join(s.text.split())
        shown.append(
            (f"{text}→{s.original}" if s.original else text) + (f" ×{len(g)}" if len(g) > 1 else "")
        )
    return ", ".join(shown) + (" …" if len(ranked) > n else "")


def _row(r: Any) -> tuple[str, ...]:
    prob = getattr(r, "spin_probability", None)
    spans = getattr(r, "spans", []) or []
    top = top_spans(spans)
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
