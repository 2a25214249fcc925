"""Scoring a restore against a gold alignment (red-team records, benchmarks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

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
    changes: int = 0  # changes made that the gold judges (on a substitution or clean words)
    changes_right: int = 0  # of them giving back the original's words where they are

    def __iadd__(self, other: RestoreScore) -> RestoreScore:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    @property
    def exact_rate(self) -> float:
        return self.exact / self.subs if self.subs else 0.0

    @property
    def precision(self) -> float:
        """Share of the changes made that give back the original wording."""
        return self.changes_right / self.changes if self.changes else 0.0

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
    """Exact restoration of each gold substitution; share of untouched words changed; how
    many of the changes give back the original wording where they are."""
    sc = RestoreScore(subs=sum(g.scored for g in gold))
    ch = [(c.start, c.end, c.original) for c in changes]
    gd = [(g.start, g.end, g.original) for g in gold]
    for g in gold:
        if not g.scored:
            continue
        right, same_nocase = _agree(text, g.start, g.end, ch, gd)
        sc.exact += right
        sc.exact_nocase += same_nocase
    changed = [_changed_span(text, c) for c in changes]
    scored = [(g.start, g.end) for g in gold if g.scored]
    for c, (a, b) in zip(changes, changed, strict=True):
        if a == b:  # gives back the same words: no change
            continue
        on_gold = any(s < c.end and c.start < e for s, e in scored)
        if not on_gold and any(s <= a and b <= e for s, e in edited):
            continue  # only words the gold does not judge (e.g. padding of a real copy)
        sc.changes += 1
        sc.changes_right += _agree(text, c.start, c.end, ch, gd)[0]
    toks = tokenize(text)
    for s, e, w in zip(
        toks.starts.tolist(), toks.ends.tolist(), toks.is_word.tolist(), strict=True
    ):
        if not w or any(a < e and s < b for a, b in edited):
            continue
        sc.clean_words += 1
        sc.clean_changed += any(a < e and s < b for a, b in changed)
    return sc


def _agree(
    text: str,
    lo: int,
    hi: int,
    ch: Sequence[tuple[int, int, str]],
    gd: Sequence[tuple[int, int, str]],
) -> tuple[bool, bool]:
    """Whether the restored text reads as the original (case-sensitive, and ignoring case)
    over ``[lo, hi)`` grown over every change and gold edit overlapping it."""
    while True:
        nlo = min([lo, *[s for s, e, _ in (*ch, *gd) if s <= hi and e >= lo]])
        nhi = max([hi, *[e for s, e, _ in (*ch, *gd) if s <= hi and e >= lo]])
        if (nlo, nhi) == (lo, hi):
            break
        lo, hi = nlo, nhi
    got = _apply(text, lo, hi, [x for x in ch if x[0] >= lo and x[1] <= hi])
    want = _apply(text, lo, hi, [x for x in gd if x[0] >= lo and x[1] <= hi])
    return got == want, got.lower() == want.lower()


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
