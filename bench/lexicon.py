"""Reverse-thesaurus benchmark: candidate coverage and an LM-choice ceiling on real spun copies.

    python -m bench lexicon [--no-lm]

For each ``spun`` copy in realworld-dev.jsonl, align it with its cluster's ``original``
(difflib over lower-cased project tokens), take every substitution (replace opcode, 1..3
word tokens each side; an opcode with as many tokens on both sides is split word for word)
and ask whether the true original is among ``lex.candidates(spun phrase)`` -- per source
and combined -- and whether the candidate the language model likes best in context is the
original (a ceiling for restore). The real-world copies are for reporting only: nothing is
tuned on them.
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from bench import Skipped
from unspin.corpora import realworld, shared_dir
from unspin.detect.options import MAX_RARER, phrase_zipf
from unspin.lexicon import Candidate, Lexicon
from unspin.lexicon.lexicon import RESOURCE
from unspin.text import tokenize

SOURCES = ("wordnet", "moby", "pps", "rules")
Scorer = Callable[[Sequence[str], int, int, list[list[str]]], np.ndarray]


@dataclass(frozen=True)
class Sub:
    """Copy tokens ``[start, end)`` replaced the original's tokens ``[o_start, o_end)``."""

    spun: tuple[str, ...]
    original: tuple[str, ...]
    start: int
    end: int
    o_start: int
    o_end: int


@dataclass
class Pair:
    """One spun copy aligned with its original."""

    copy: list[str]
    orig: list[str]
    subs: list[Sub]
    # Copy token ranges [i, j) that differ from the original (every non-equal alignment
    # op, the substitutions included; a copy running past a truncated original too).
    differ: list[tuple[int, int]] = field(default_factory=list)


def substitutions(spun_text: str, orig_text: str) -> Pair:
    """Lower-cased tokens of copy and original, and the copy's word substitutions."""
    st, ot = tokenize(spun_text), tokenize(orig_text)
    s, o = st.lower, ot.lower
    sw, ow = st.is_word, ot.is_word
    subs = []
    differ = []
    sm = difflib.SequenceMatcher(None, s, o, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "equal" and i2 > i1:
            differ.append((i1, i2))
        if op != "replace" or not (1 <= i2 - i1 <= 3 and 1 <= j2 - j1 <= 3):
            continue
        if not (sw[i1:i2].all() and ow[j1:j2].all()):
            continue
        if i2 - i1 == j2 - j1 > 1:  # word for word: "stunning invoice" / "beautiful bill"
            subs += [
                Sub((s[i],), (o[j],), i, i + 1, j, j + 1)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                if s[i] != o[j]
            ]
        else:
            subs.append(Sub(tuple(s[i1:i2]), tuple(o[j1:j2]), i1, i2, j1, j2))
    return Pair(s, o, subs, differ)


def _norm(text: str) -> str:
    return " ".join(tokenize(text).lower)


def _lm_scorer() -> Scorer | None:
    """Trigram score of each candidate in context: log P of its tokens and the next two."""
    try:
        from unspin.lm import load_lm

        lm = load_lm()
    except Exception:  # LM not built yet: the ceiling columns stay empty
        return None

    def score(tokens: Sequence[str], start: int, end: int, cands: list[list[str]]) -> np.ndarray:
        left = ["<s>"] * max(0, 2 - start) + list(tokens[max(0, start - 2) : start])
        right = list(tokens[end : end + 2])
        out = np.empty(len(cands), dtype=np.float64)
        by_len: dict[int, list[int]] = {}
        for k, c in enumerate(cands):
            by_len.setdefault(len(c), []).append(k)
        for idx in by_len.values():
            ids = np.stack([lm.encode([*left, *cands[k], *right]) for k in idx])
            lp = lm.logprob(ids[:, :-2], ids[:, 1:-1], ids[:, 2:])  # columns 2.. scored
            # A candidate the LM does not know would borrow the whole <unk> mass: skip it.
            oov = (ids[:, 2 : ids.shape[1] - len(right)] == lm.unk).any(axis=1)
            out[idx] = np.where(oov, -np.inf, lp.sum(axis=1))
        return out

    return score


@dataclass
class Row:
    name: str
    total: int = 0
    found: int = 0
    top10: int = 0
    sizes: list[int] = field(default_factory=list)
    lm: Counter[str] = field(default_factory=Counter)

    def line(self, lm: bool) -> str:
        def pct(n: int) -> str:
            return f"{n}/{self.total} = {100 * n / max(1, self.total):.1f}%"

        sizes = self.sizes or [0]
        cells = [
            self.name,
            pct(self.found),
            pct(self.top10),
            f"{statistics.median(sizes):.0f}",
            f"{np.percentile(sizes, 90):.0f}",
        ]
        if lm:
            cells += [pct(self.lm[c]) for c in ("copy", "orig", "channel", "rarity")]
        return "| " + " | ".join(cells) + " |"


def evaluate(
    lex: Lexicon, pairs: list[Pair], max_hops: int, score: Scorer | None
) -> tuple[list[Row], Counter[tuple[str, str]]]:
    """Coverage and LM-choice counts per source; the misses of the combined lexicon."""
    rows = {name: Row(name) for name in (*SOURCES, "combined")}
    missed: Counter[tuple[str, str]] = Counter()
    for pair in pairs:
        for sub in pair.subs:
            cands = lex.candidates(list(sub.spun), max_hops=max_hops)
            target, spun = " ".join(sub.original), " ".join(sub.spun)
            for name, row in rows.items():
                kept = _kept(cands, None if name == "combined" else name, spun)
                row.total += 1
                row.sizes.append(len(kept))
                if target not in kept:
                    if name == "combined":
                        missed[spun, target] += 1
                    continue
                row.found += 1
                row.top10 += target in kept[:10]
                if score is None:
                    continue
                toks = [k.split(" ") for k in kept]
                in_copy = score(pair.copy, sub.start, sub.end, toks)
                in_orig = score(pair.orig, sub.o_start, sub.o_end, toks)
                channel = in_orig - np.log([max(1, lex.fanout(k)) for k in kept])
                floor = phrase_zipf(spun.lower()) - MAX_RARER
                plain = np.asarray([phrase_zipf(k.lower()) >= floor for k in kept])
                rarity = np.where(plain, in_orig, -np.inf)
                for col, s in (
                    ("copy", in_copy),
                    ("orig", in_orig),
                    ("channel", channel),
                    ("rarity", rarity),
                ):
                    # nothing scored (every candidate unknown to the LM or left out): no pick
                    row.lm[col] += bool(np.isfinite(s).any()) and kept[int(np.argmax(s))] == target
    return list(rows.values()), missed


def _kept(cands: list[Candidate], source: str | None, spun: str) -> list[str]:
    """Normalised candidate texts a source supports (a re-cased surface is no change)."""
    kept = (_norm(c.text) for c in cands if source is None or source in c.sources)
    return list(dict.fromkeys(k for k in kept if k != spun))


EXAMPLES = [
    ("acknowledged", "said"),
    ("replace", "trade"),
    ("bewitch", "buy"),
    ("minute", "little"),
    ("Chinese language", "Chinese"),
    ("the usa", "the United States"),
    ("usa", "U.S."),
    ("as a replacement of", "instead of"),
    ("Could presumably presumably perhaps", "May"),
    ("huge information", "big data"),
]


def _examples(lex: Lexicon) -> list[str]:
    out = [
        "| surface | original | rank (0 = first) | hops | sources | list size |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for surface, original in EXAMPLES:
        cands = lex.candidates(surface)
        hit = next(((i, c) for i, c in enumerate(cands) if c.text == original), None)
        if hit is None:
            out.append(f"| {surface} | {original} | not found | | | {len(cands)} |")
        else:
            i, c = hit
            srcs = ", ".join(sorted(c.sources))
            out.append(f"| {surface} | {original} | {i} | {c.hops} | {srcs} | {len(cands)} |")
    for word in ("narrowed", "agreed", "talks"):
        top = ", ".join(c.text for c in lex.candidates(word, limit=8))
        out.append(f"| {word} | (same form) | top 8: {top} | | | |")
    return out


def run(argv: list[str]) -> str:
    ap = argparse.ArgumentParser(prog="python -m bench lexicon")
    ap.add_argument("--no-lm", action="store_true", help="skip the LM-choice columns")
    no_lm = ap.parse_args(argv).no_lm
    if shared_dir() is None:
        raise Skipped("../shared (the research corpora) not found")
    import unspin.lexicon.inflect  # noqa: F401  (imports are not part of the load)
    from unspin.lexicon.tables import load_tables

    t0, c0 = time.perf_counter(), time.process_time()
    lex = Lexicon(load_tables(RESOURCE))
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    score = None if no_lm else _lm_scorer()
    docs = realworld()
    originals = {d["cluster"]: d["text"] for d in docs if d["role"] == "original"}
    pairs = [
        substitutions(d["text"], originals[d["cluster"]])
        for d in docs
        if d["role"] == "spun" and d["cluster"] in originals
    ]
    n_subs = sum(len(p.subs) for p in pairs)
    out = [
        "# Reverse thesaurus (`unspin.lexicon`)",
        "",
        f"Resource `{RESOURCE.name}`: {RESOURCE.stat().st_size / 1e6:.1f} MB on disk "
        f"(target <= 25 MB), {len(lex):,} phrases, {lex.tables.n_edges:,} edges; load "
        f"{load_s:.2f} s wall, {load_cpu:.2f} s CPU (target <= 1 s; shared machine), max "
        f"phrase length {lex.max_phrase_len} tokens.",
        "",
        f"Real copies: {len(pairs)} spun copies in realworld-dev.jsonl, {n_subs} "
        "substitutions (reporting only, nothing tuned on them). **Covered**: the true "
        "original is among the candidates (target >= 75%); *in first 10*: among the first ten "
        "by the lexicon's own prior order. A source's row keeps the "
        "candidates that source supports (``rules`` = clitics table); list sizes are per "
        "substitution.",
        "",
    ]
    if score is not None:
        out += [
            "**LM choice** (ceiling for restore, target >= 60%): at each truly substituted "
            "position, the candidate with the best trigram score -- log P of the candidate's "
            "tokens and the next two tokens; candidates unknown to the LM skipped -- is the "
            "original. *copy ctx*: the surrounding tokens are the spun copy's (what restore "
            "sees); *orig ctx*: the original's (every other substitution already undone); "
            "*+channel*: orig ctx plus the noisy-channel prior -log(fanout), fanout = how "
            "many surfaces the lexicon offers a spinner for that original (no tuned weight); "
            "*rarity rule*: orig ctx among the candidates restore's decoder tries, those at "
            "most 1.5 Zipf rarer than the spun form (`detect.options.MAX_RARER`). A "
            "position where no candidate is scored counts as a miss.",
            "",
        ]
    head = "| source | covered | in first 10 | median list | p90 list |"
    rule = "| --- | --- | --- | --- | --- |"
    if score is not None:
        head += (
            " LM choice, copy ctx | LM choice, orig ctx | LM + channel, orig ctx |"
            " LM + rarity rule, orig ctx |"
        )
        rule += " --- | --- | --- | --- |"
    missed: Counter[tuple[str, str]] = Counter()
    for max_hops in (1, 2):
        t = time.perf_counter()
        rows, missed = evaluate(lex, pairs, max_hops, score)
        dt = time.perf_counter() - t
        out += [
            f"## Candidates up to hop {max_hops}",
            "",
            head,
            rule,
            *(r.line(score is not None) for r in rows),
            "",
            f"_{dt:.0f} s for {n_subs} queries (first, uncached calls"
            f"{' and LM scoring' if score is not None else ''})._",
            "",
        ]
    out += ["## Brief examples", "", *_examples(lex), ""]
    out += [
        "## Misses at hop <= 2, most frequent",
        "",
        "| spun | original | n |",
        "| --- | --- | --- |",
        *(f"| {s} | {o} | {n} |" for (s, o), n in missed.most_common(30)),
    ]
    return "\n".join(out)
