"""Calibration of the reference spinners against real spun copies.

    .venv/bin/python -m bench simulate [--docs N]

Real pairs: every ``spun`` page of ``realworld-dev.jsonl`` against its cluster's
``original`` (development and reporting only: nothing is tuned on them). Simulated pairs:
``--docs`` originals of the corpora split ``redteam`` spun by every profile at 10/30/50/70 %.
Both sides are measured the same way: difflib over project word tokens (lower-cased),
where ``replace`` blocks of at most 8 tokens a side count as substitutions and longer
blocks, deletions and insertions (other revisions, partial copies, boilerplate) are left
out. Statistics: substitution rate, local length ratio (spun/original words in the
aligned region), whole-text length ratio, stop-word survival, named-entity survival
(capitalised non-initial words), and the parts of speech of substituted words (WordNet
most-frequent POS from ``resources/simulate/vocab.tsv.gz``).
"""

from __future__ import annotations

import argparse
import difflib
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from bench import Skipped
from unspin import corpora
from unspin.simulate import PROFILES, TEST_PROFILES, spin
from unspin.simulate.dictionaries import vocab_pos
from unspin.simulate.rules import STOPWORDS
from unspin.text import sentence_bounds, tokenize

MAX_REPLACE = 8
RATES = (0.1, 0.3, 0.5, 0.7)
POS_NAMES = {"n": "NOUN", "v": "VERB", "a": "ADJ", "r": "ADV"}
POS_ORDER = ("NOUN", "VERB", "ADJ", "ADV", "FUNC", "PROPN", "OTHER")
TOLERANCE = 0.25


@dataclass
class Stats:
    aligned: int = 0  # original words in equal + substitution blocks
    substituted: int = 0
    spun_aligned: int = 0
    stop: int = 0
    stop_kept: int = 0
    names: int = 0
    names_kept: int = 0
    chars_orig: int = 0
    chars_spun: int = 0
    pos: Counter[str] = field(default_factory=Counter)

    def add(self, other: Stats) -> None:
        for k in ("aligned", "substituted", "spun_aligned", "stop", "stop_kept", "names"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.names_kept += other.names_kept
        self.chars_orig += other.chars_orig
        self.chars_spun += other.chars_spun
        self.pos.update(other.pos)

    @property
    def sub_rate(self) -> float:
        return self.substituted / max(1, self.aligned)

    @property
    def stop_survival(self) -> float:
        return self.stop_kept / max(1, self.stop)

    @property
    def name_survival(self) -> float:
        return self.names_kept / max(1, self.names)

    @property
    def local_len(self) -> float:
        return self.spun_aligned / max(1, self.aligned)

    @property
    def text_len(self) -> float:
        return self.chars_spun / max(1, self.chars_orig)

    def pos_shares(self) -> dict[str, float]:
        total = sum(self.pos.values()) or 1
        return {p: self.pos[p] / total for p in POS_ORDER}


def _words(text: str) -> tuple[list[str], list[str], list[bool]]:
    """Lower-cased word/number tokens, their surface forms, and sentence-initial flags."""
    toks = tokenize(text)
    initial = set()
    for a, b in sentence_bounds(toks):
        first = next((i for i in range(a, b) if toks.kinds[i] != 2), None)
        if first is not None:
            initial.add(first)
    keep = [i for i in range(len(toks)) if toks.kinds[i] != 2]
    return (
        [toks.lower[i] for i in keep],
        [toks.forms[i] for i in keep],
        [i in initial for i in keep],
    )


def _pos(low: str, form: str, initial: bool) -> str:
    if low in STOPWORDS:
        return "FUNC"
    if form[:1].isupper() and not initial:
        return "PROPN"
    return POS_NAMES.get(vocab_pos().get(low, "-"), "OTHER")


def measure(original: str, spun: str) -> Stats:
    """Alignment statistics of one (original, spun) pair."""
    a, forms, initial = _words(original)
    b, _, _ = _words(spun)
    st = Stats(chars_orig=len(original), chars_spun=len(spun))
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal" or (op == "replace" and max(i2 - i1, j2 - j1) <= MAX_REPLACE):
            kept = op == "equal"
            st.aligned += i2 - i1
            st.spun_aligned += j2 - j1
            for i in range(i1, i2):
                if a[i] in STOPWORDS:
                    st.stop += 1
                    st.stop_kept += kept
                elif forms[i][:1].isupper() and not initial[i]:
                    st.names += 1
                    st.names_kept += kept
                if not kept:
                    st.substituted += 1
                    st.pos[_pos(a[i], forms[i], initial[i])] += 1
    return st


def _row(name: str, st: Stats, n: int) -> str:
    shares = st.pos_shares()
    pos = " ".join(f"{p[:4]} {shares[p]:.0%}" for p in POS_ORDER if shares[p] >= 0.005)
    return (
        f"| {name} | {n} | {st.sub_rate:.3f} | {st.local_len:.3f} | {st.text_len:.2f} "
        f"| {st.stop_survival:.3f} | {st.name_survival:.3f} | {pos} |"
    )


HEADER = (
    "| copies | n | subst. rate | local len ratio | text len ratio | stop-word survival "
    "| name survival | substituted POS |\n|---|---|---|---|---|---|---|---|"
)


def run(argv: list[str]) -> str:
    ap = argparse.ArgumentParser(prog="python -m bench simulate")
    ap.add_argument("--docs", type=int, default=120, help="redteam originals per profile/rate")
    args = ap.parse_args(argv)
    if corpora.shared_dir() is None:
        raise Skipped("../shared (the research corpora) not found")

    rows = corpora.realworld()
    originals = {}
    for r in rows:
        if r["role"] == "original":
            originals.setdefault(r["cluster"], r)
    real_total = Stats()
    real_lines = []
    for r in rows:
        if r["role"] != "spun" or r["cluster"] not in originals:
            continue
        st = measure(originals[r["cluster"]]["text"], r["text"])
        real_total.add(st)
        real_lines.append(_row(r["id"], st, 1))

    arts = [a for a in corpora.all_articles() if a.split == "redteam"]
    arts = [a for a in arts if 80 <= len(a.text.split()) <= 1500]
    random.Random(7).shuffle(arts)
    arts = arts[: args.docs]
    n_words = sum(len(a.text.split()) for a in arts)

    sim_lines = []
    best: dict[str, tuple[float, Stats]] = {}
    speed = []
    for name in PROFILES:
        spent = 0.0
        for rate in RATES:
            total = Stats()
            for k, art in enumerate(arts):
                t0 = time.perf_counter()
                s = spin(art.text, name, rate, seed=k)
                spent += time.perf_counter() - t0
                total.add(measure(art.text, s.text))
            sim_lines.append(_row(f"{name} @ {rate:.0%}", total, len(arts)))
            gap = abs(total.sub_rate - real_total.sub_rate)
            if name not in best or gap < abs(best[name][1].sub_rate - real_total.sub_rate):
                best[name] = (rate, total)
        speed.append(f"| {name} | {len(RATES) * n_words / spent / 1000:.0f} k words/s |")

    accept = []
    passed = 0
    for name, (rate, st) in best.items():
        r_sub = st.sub_rate / real_total.sub_rate
        r_stop = st.stop_survival / real_total.stop_survival
        ok = abs(r_sub - 1) <= TOLERANCE and abs(r_stop - 1) <= TOLERANCE
        passed += ok
        split = "test" if name in TEST_PROFILES else "train/dev"
        accept.append(
            f"| {name} ({split}) | {rate:.0%} | {st.sub_rate:.3f} ({r_sub:.2f}x) "
            f"| {st.stop_survival:.3f} ({r_stop:.2f}x) | {st.name_survival:.3f} "
            f"| {'pass' if ok else 'FAIL'} |"
        )

    n_real = len(real_lines)
    return "\n".join(
        [
            "# simulate: reference spinners vs real spun copies",
            "",
            f"Real: {n_real} spun pages of realworld-dev.jsonl aligned to their cluster's "
            f"original. Simulated: {len(arts)} redteam originals ({n_words} words) per "
            "profile and rate. Alignment: difflib over project word tokens; replace blocks "
            f"<= {MAX_REPLACE} tokens a side are substitutions, the rest is left out.",
            "",
            "## Acceptance (target: >= 2 profiles within +-25% of the real copies' "
            "substitution rate AND stop-word survival)",
            "",
            f"Real copies (pooled): substitution rate {real_total.sub_rate:.3f}, stop-word "
            f"survival {real_total.stop_survival:.3f}, name survival "
            f"{real_total.name_survival:.3f}. Each profile at the grid rate closest to the "
            "real substitution rate:",
            "",
            "| profile | rate | subst. rate (vs real) | stop-word survival (vs real) "
            "| name survival | within 25% |",
            "|---|---|---|---|---|---|",
            *accept,
            "",
            f"**{passed} of {len(best)} profiles pass** "
            f"({'target met' if passed >= 2 else 'TARGET MISSED'}).",
            "",
            "## Real spun copies",
            "",
            HEADER,
            *real_lines,
            _row("**all real (pooled)**", real_total, n_real),
            "",
            "## Profiles",
            "",
            HEADER,
            *sim_lines,
            "",
            "## Spinner throughput (one core, incl. tokenising; no target)",
            "",
            "| profile | speed |",
            "|---|---|",
            *speed,
        ]
    )
