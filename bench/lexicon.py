"""Reverse-thesaurus benchmark: candidate coverage and an LM-choice ceiling on real spun copies.

    python -m bench lexicon

For each ``spun`` copy in realworld-dev.jsonl, align it with its cluster's ``original``
(difflib over lower-cased project tokens), take every substitution (replace opcode, 1..3
word tokens each side; an opcode with as many tokens on both sides is split word for word)
and ask whether the true original is among
``lex.candidates(spun phrase)`` -- per source and combined -- and whether the candidate the
language model likes best in context is the original (a ceiling for restore). Also the
load time and size of the shipped resource. The real-world copies are for reporting only:
nothing is tuned on them.
"""

from __future__ import annotations

import difflib
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from unspin.corpora import realworld, shared_dir
from unspin.lexicon import Candidate, Lexicon
from unspin.lexicon.lexicon import RESOURCE
from unspin.text import tokenize

SOURCES = ("wordnet", "moby", "pps", "rules")


@dataclass(frozen=True)
class Sub:
    """One substitution: spun tokens at ``[start, end)`` of the copy replaced ``original``."""

    doc: str
    spun: tuple[str, ...]
    original: tuple[str, ...]
    start: int
    end: int


def substitutions(spun_text: str, orig_text: str, doc: str) -> tuple[list[str], list[Sub]]:
    """Lower-cased tokens of the copy and its word substitutions against the original."""
    st, ot = tokenize(spun_text), tokenize(orig_text)
    s, o = st.lower, ot.lower
    sw, ow = st.is_word, ot.is_word
    sm = difflib.SequenceMatcher(None, s, o, autojunk=False)
    subs = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace" or not (1 <= i2 - i1 <= 3 and 1 <= j2 - j1 <= 3):
            continue
        if not (sw[i1:i2].all() and ow[j1:j2].all()):
            continue
        if i2 - i1 == j2 - j1 > 1:  # word-for-word: "stunning invoice" / "beautiful bill"
            subs += [
                Sub(doc, (s[i],), (o[j],), i, i + 1)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                if s[i] != o[j]
            ]
        else:
            subs.append(Sub(doc, tuple(s[i1:i2]), tuple(o[j1:j2]), i1, i2))
    return s, subs


def _norm(text: str) -> str:
    return " ".join(tokenize(text).lower)


def _keep(c: Candidate, source: str | None, max_hops: int) -> bool:
    return c.hops <= max_hops and (source is None or source in c.sources)


@dataclass
class Row:
    name: str
    found: int = 0
    total: int = 0
    sizes: list[int] | None = None
    lm_hit: int = 0

    def line(self) -> str:
        sizes = self.sizes or [0]
        share = 100 * self.found / max(1, self.total)
        return (
            f"| {self.name} | {self.found}/{self.total} | {share:.1f}% "
            f"| {statistics.median(sizes):.0f} | {np.percentile(sizes, 90):.0f} "
            f"| {self.lm_hit}/{self.total} | {100 * self.lm_hit / max(1, self.total):.1f}% |"
        )


Scorer = Callable[[Sequence[str], int, int, list[list[str]]], np.ndarray]


def _lm_scorer() -> Scorer | None:
    """Trigram score of each candidate in context: log P of its tokens and the next two."""
    try:
        from unspin.lm import load_lm

        lm = load_lm()
    except Exception:  # LM not built yet: the ceiling columns stay empty
        return None
    bos = "<s>"

    def score(tokens: Sequence[str], start: int, end: int, cands: list[list[str]]) -> np.ndarray:
        left = [bos] * max(0, 2 - start) + list(tokens[max(0, start - 2) : start])
        right = list(tokens[end : end + 2])
        out = np.empty(len(cands), dtype=np.float64)
        by_len: dict[int, list[int]] = {}
        for k, c in enumerate(cands):
            by_len.setdefault(len(c), []).append(k)
        for idx in by_len.values():
            ids = np.stack([lm.encode([*left, *cands[k], *right]) for k in idx])
            lp = lm.logprob(ids[:, :-2], ids[:, 1:-1], ids[:, 2:])  # columns 2.. scored
            out[idx] = lp.sum(axis=1)
        return out

    return score


def evaluate(lex: Lexicon, max_hops: int, use_lm: bool) -> tuple[list[Row], list[Sub], bool]:
    rows = {name: Row(name, sizes=[]) for name in (*SOURCES, "combined")}
    score = _lm_scorer() if use_lm else None
    docs = realworld()
    originals = {d["cluster"]: d for d in docs if d["role"] == "original"}
    all_subs: list[Sub] = []
    missed: list[Sub] = []
    for d in docs:
        if d["role"] != "spun" or d["cluster"] not in originals:
            continue
        tokens, subs = substitutions(d["text"], originals[d["cluster"]]["text"], d["id"])
        all_subs += subs
        for sub in subs:
            cands = lex.candidates(list(sub.spun), max_hops=max_hops)
            target = " ".join(sub.original)
            for name, row in rows.items():
                src = None if name == "combined" else name
                kept = [_norm(c.text) for c in cands if _keep(c, src, max_hops)]
                row.total += 1
                assert row.sizes is not None
                row.sizes.append(len(kept))
                hit = target in kept
                row.found += hit
                if name == "combined" and not hit:
                    missed.append(sub)
                if hit and score is not None:
                    uniq = list(dict.fromkeys(kept))
                    s = score(tokens, sub.start, sub.end, [u.split(" ") for u in uniq])
                    row.lm_hit += uniq[int(np.argmax(s))] == target
    return list(rows.values()), missed, score is not None


def run(argv: list[str]) -> str:
    if shared_dir() is None:
        return "../shared not found: nothing to measure."
    import unspin.lexicon.inflect  # noqa: F401  (imports are not part of the load)
    from unspin.lexicon.tables import load_tables

    t0, c0 = time.perf_counter(), time.process_time()
    lex = Lexicon(load_tables(RESOURCE))
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    size_mb = RESOURCE.stat().st_size / 1e6
    out = [
        "# Reverse thesaurus (`unspin.lexicon`)",
        "",
        f"Resource `{RESOURCE.name}`: {size_mb:.1f} MB on disk (target <= 25 MB), "
        f"{len(lex):,} phrases, {lex.tables.n_edges:,} edges; load {load_s:.2f} s wall, "
        f"{load_cpu:.2f} s CPU (target <= 1 s; the machine is shared), max phrase length "
        f"{lex.max_phrase_len} tokens.",
        "",
    ]
    missed_hop2: list[Sub] = []
    for max_hops in (1, 2):
        t = time.perf_counter()
        rows, missed, has_lm = evaluate(lex, max_hops, use_lm="--no-lm" not in argv)
        dt = time.perf_counter() - t
        n = rows[0].total
        if max_hops == 2:
            missed_hop2 = missed
        out += [
            f"## Candidates up to hop {max_hops}",
            "",
            f"{n} substitutions in the spun copies of realworld-dev.jsonl "
            f"({dt:.1f} s incl. LM scoring). Coverage: the true original is a candidate "
            "(target >= 75%). LM choice: the candidate with the best trigram score "
            "(candidate tokens + next two tokens, in the copy's context) is the original "
            "(target >= 60%)"
            + ("" if has_lm else " -- **LM not available in this run**")
            + ". A source's row keeps the candidates that source supports.",
            "",
            "| source | covered | share | median list | p90 list | LM choice right | share |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *(r.line() for r in rows),
            "",
        ]
    out += [
        "## Misses (hop <= 2), most frequent",
        "",
        "| spun | original | n |",
        "| --- | --- | --- |",
    ]
    counts: dict[tuple[str, str], int] = {}
    for m in missed_hop2:
        k = (" ".join(m.spun), " ".join(m.original))
        counts[k] = counts.get(k, 0) + 1
    for (s, o), c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:40]:
        out.append(f"| {s} | {o} | {c} |")
    return "\n".join(out)
