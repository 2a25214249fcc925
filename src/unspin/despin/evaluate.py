"""Scoring a restore against a gold alignment (red-team records, benchmarks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from unspin.results import Change
from unspin.text import tokenize

__all__ = ["Gold", "RestoreScore", "gold_of_record", "score"]


@dataclass(frozen=True, slots=True)
class Gold:
    """The spun text ``[start, end)`` replaced ``original``."""

    start: int
    end: int
    original: str
    scored: bool = True  # False: an insert/delete, used only to rebuild the original


@dataclass
class RestoreScore:
    subs: int = 0  # gold substitutions
    exact: int = 0  # of them restored exactly (case-sensitive, whitespace-normalised)
    exact_nocase: int = 0
    clean_words: int = 0  # words outside every gold edit
    clean_changed: int = 0  # of them touched by a change

    def __iadd__(self, other: RestoreScore) -> RestoreScore:
        for k in ("subs", "exact", "exact_nocase", "clean_words", "clean_changed"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        return self

    @property
    def exact_rate(self) -> float:
        return self.exact / self.subs if self.subs else 0.0

    @property
    def clean_rate(self) -> float:
        return self.clean_changed / self.clean_words if self.clean_words else 0.0


def gold_of_record(record: dict) -> tuple[list[Gold], list[tuple[int, int]]]:  # type: ignore[type-arg]
    """Gold edits (substitutions scored; inserts and deletes only to rebuild the original)
    and all edited spun spans (substitute/insert) of a red-team record."""
    orig = record.get("original") or ""
    subs, edited = [], []
    for e in record.get("alignment") or []:
        op = e["op"]
        if op in ("substitute", "insert"):
            edited.append((e["spun_start"], e["spun_end"]))
        if op in ("substitute", "insert", "delete"):
            text = orig[e["orig_start"] : e["orig_end"]] if op != "insert" else ""
            subs.append(Gold(e["spun_start"], e["spun_end"], text, op == "substitute"))
    return subs, edited


def _apply(text: str, lo: int, hi: int, edits: Sequence[tuple[int, int, str]]) -> str:
    out, pos = [], lo
    for s, e, r in sorted(edits):
        out += [text[pos:s], r]
        pos = e
    out.append(text[pos:hi])
    return " ".join("".join(out).split())


def score(
    text: str, changes: Sequence[Change], gold: Sequence[Gold], edited: Sequence[tuple[int, int]]
) -> RestoreScore:
    """Exact restoration of each gold substitution; share of untouched words changed."""
    sc = RestoreScore(subs=sum(g.scored for g in gold))
    ch = [(c.start, c.end, c.original) for c in changes]
    gd = [(g.start, g.end, g.original) for g in gold]
    for g in gold:
        if not g.scored:
            continue
        lo, hi = g.start, g.end
        while True:  # grow the region over every overlapping change and gold edit
            nlo = min([lo, *[s for s, e, _ in ch + gd if s <= hi and e >= lo]])
            nhi = max([hi, *[e for s, e, _ in ch + gd if s <= hi and e >= lo]])
            if (nlo, nhi) == (lo, hi):
                break
            lo, hi = nlo, nhi
        got = _apply(text, lo, hi, [x for x in ch if x[0] >= lo and x[1] <= hi])
        want = _apply(text, lo, hi, [x for x in gd if x[0] >= lo and x[1] <= hi])
        sc.exact += got == want
        sc.exact_nocase += got.lower() == want.lower()
    toks = tokenize(text)
    changed = [_changed_span(text, c) for c in changes]
    for s, e, w in zip(
        toks.starts.tolist(), toks.ends.tolist(), toks.is_word.tolist(), strict=True
    ):
        if not w or any(a < e and s < b for a, b in edited):
            continue
        sc.clean_words += 1
        sc.clean_changed += any(a < e and s < b for a, b in changed)
    return sc


def _changed_span(text: str, c: Change) -> tuple[int, int]:
    """The part of ``c`` whose tokens it really changes: the tokens it leaves as they were
    at either end are not ("Chinese language" -> "Chinese" changes only "language").
    Empty (``(start, start)``) when the change gives back the same tokens."""
    old = tokenize(text[c.start : c.end])
    new = tokenize(c.original).forms
    lo, hi = 0, len(old.forms)
    while lo < hi and lo < len(new) and old.forms[lo] == new[lo]:
        lo += 1
    while (
        hi > lo
        and len(old.forms) - hi < len(new) - lo
        and (old.forms[hi - 1] == new[len(new) - (len(old.forms) - hi) - 1])
    ):
        hi -= 1
    if lo == hi:
        return c.start, c.start
    return c.start + int(old.starts[lo]), c.start + int(old.ends[hi - 1])
