"""``report.html``: a self-contained summary of a scan (hand-made inline SVG, no scripts)."""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from unspin.detect import HOMOGLYPHS
from unspin.text.normalize import fold_homoglyphs

__all__ = ["ScanStats", "collect", "render", "write_report"]

BINS = 20


@dataclass(slots=True)
class ScanStats:
    """Aggregates of a scan's records (bounded by the number of distinct keys)."""

    documents: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    histogram: list[int] = field(default_factory=lambda: [0] * BINS)
    sources: Counter[str] = field(default_factory=Counter)
    domains: Counter[str] = field(default_factory=Counter)
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    copied: int = 0
    disguised: int = 0  # documents written with look-alike letters (homoglyphs)
    disguising: Counter[str] = field(default_factory=Counter)  # their domains
    scorers: Counter[str] = field(default_factory=Counter)  # what scored the documents

    def add(self, rec: dict[str, Any]) -> None:
        self.documents += 1
        self.labels[rec.get("label") or "not_scored"] += 1
        p = rec.get("spin_probability")
        if p is not None:
            self.histogram[min(int(p * BINS), BINS - 1)] += 1
            if scorer := rec.get("scorer"):
                self.scorers[scorer] += 1
        derived = [m for m in rec.get("matches") or () if m.get("relation") == "derived"]
        if derived:
            self.copied += 1
            self.sources[derived[0]["source_id"]] += 1
        if (derived or rec.get("label") == "spun") and (host := _domain(rec.get("url"))):
            self.domains[host] += 1
        if any(w.startswith(HOMOGLYPHS) for w in rec.get("warnings") or ()):
            self.disguised += 1
            if host := _domain(rec.get("url")):
                self.disguising[host] += 1
        edits = rec.get("changes") or [s for s in rec.get("spans") or () if s.get("original")]
        for e in edits:
            spun, original = e["text"], e["original"]
            if fold_homoglyphs(spun, 0)[0] != original:  # a look-alike letter is no synonym
                self.pairs[(spun.lower(), original.lower())] += 1


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return host.removeprefix("www.") or None


def collect(jsonl: Path) -> ScanStats:
    """Aggregate a ``results.jsonl`` file, streaming."""
    stats = ScanStats()
    with jsonl.open("rb") as fh:
        for line in fh:
            stats.add(json.loads(line))
    return stats


def _bars_svg(values: list[int], labels: list[str], width: int = 640, height: int = 180) -> str:
    top = max(values, default=0) or 1
    n = max(len(values), 1)
    bw = (width - 40) / n
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 30}" '
             f'role="img" aria-label="spin probability histogram">']  # fmt: skip
    for i, v in enumerate(values):
        h = v / top * height
        x = 30 + i * bw
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" '
            f'fill="{"#c0392b" if i >= n // 2 else "#2e86c1"}"><title>{labels[i]}: {v}</title>'
            "</rect>"
        )
    for i in range(0, n + 1, max(n // 4, 1)):
        parts.append(
            f'<text x="{30 + i * bw:.1f}" y="{height + 18}" font-size="11" '
            f'text-anchor="middle">{i / n:.2f}</text>'
        )
    parts.append(f'<text x="2" y="12" font-size="11">{top}</text></svg>')
    return "".join(parts)


def _table(title: str, head: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    if not rows:
        return f"<h2>{html.escape(title)}</h2><p class=dim>none</p>"
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<h2>{html.escape(title)}</h2><table><tr>{th}</tr>{body}</table>"


def render(stats: ScanStats, title: str = "unspin scan", top: int = 25) -> str:
    """The report as one HTML string."""
    labels = [f"{i / BINS:.2f}-{(i + 1) / BINS:.2f}" for i in range(BINS)]
    counts = ", ".join(f"{k}: {v}" for k, v in sorted(stats.labels.items()))
    return (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        f"<title>{html.escape(title)}</title><style>"
        "body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:60em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;"
        "text-align:left}.dim{color:#888}</style>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p>{stats.documents} documents ({counts}); {stats.copied} copied from an archived "
        f"source (derived); {stats.disguised} written with look-alike letters of other "
        "scripts (homoglyphs, read as Latin ones)."
        + (f" Scored by {html.escape(', '.join(sorted(stats.scorers)))}." if stats.scorers else "")
        + "</p>"
        "<h2>Spin probability (scored documents)</h2>" + _bars_svg(stats.histogram, labels)
        + _table("Top source documents", ("source", "copies"), stats.sources.most_common(top))
        + _table(
            "Top copying sites (spun or copied documents)",
            ("domain", "documents"),
            stats.domains.most_common(top),
        )
        + (
            _table(
                "Top sites disguising text with look-alike letters",
                ("domain", "documents"),
                stats.disguising.most_common(top),
            )
            if stats.disguised
            else ""
        )
        + _table(
            "Top substitution pairs (spun -> original)",
            ("spun", "original", "count"),
            [(a, b, n) for (a, b), n in stats.pairs.most_common(top)],
        )
        + "</html>\n"
    )  # fmt: skip


def write_report(jsonl: Path, out: Path, title: str = "unspin scan") -> ScanStats:
    """Aggregate ``jsonl`` and write ``out`` (self-contained HTML)."""
    stats = collect(jsonl)
    out.write_text(render(stats, title), encoding="utf-8")
    return stats
