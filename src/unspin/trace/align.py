"""Local alignment of a copy against one candidate source.

Identical terms are matched by a longest-common-subsequence alignment over term hashes
(rapidfuzz, C++). Inside each gap between two matches, an optional
``substitutable(copy_word, source_word)`` hook can pair a spinner's synonym with the word
it replaced. The in-order matches are then cut into passages wherever the chain jumps
more than ``max_gap`` terms; a passage is kept when it carries enough evidence (matches
weighted: function words count a quarter) at a high enough density.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz.distance import LCSseq

from unspin.trace.terms import Terms

__all__ = [
    "AlignParams",
    "Alignment",
    "Substitutable",
    "TermPassage",
    "align",
    "exact_pairs",
    "fill_gaps",
]

Substitutable = Callable[[str, str], bool]


@dataclass(frozen=True, slots=True)
class AlignParams:
    max_gap: int = 8  # terms skipped on either side before a passage ends
    stop_weight: float = 0.25  # weight of a matched function word
    min_weight: float = 4.0  # weighted matches a passage needs
    min_density: float = 0.2  # weighted matches per copy term inside a passage
    max_sub_gap: int = 6  # longest gap the substitutable hook looks into
    # Loose passages, for heavily spun copies (most content words swapped, so exact
    # matches are sparse): longer jumps and a lower density are tolerated.
    loose_max_gap: int = 16
    loose_min_density: float = 0.15


@dataclass(frozen=True, slots=True)
class TermPassage:
    """Aligned passage in term indices: copy ``[first, end)`` <-> source ``[sfirst, send)``."""

    first: int
    end: int
    sfirst: int
    send: int
    matched: int
    weight: float
    exact: int = 0  # matches of identical terms (the rest are ``substitutable`` pairs)


@dataclass(frozen=True, slots=True)
class Alignment:
    passages: list[TermPassage]
    n_copy: int
    n_source: int
    # share of the gaps between identical terms inside passages that have the same length
    # on both sides (1:1 swaps)
    equal_gaps: float
    loose_passages: list[TermPassage] = field(default_factory=list)  # AlignParams.loose_*

    def loosened(self) -> Alignment:
        """The same alignment cut into its loose passages."""
        return Alignment(
            self.loose_passages,
            self.n_copy,
            self.n_source,
            self.equal_gaps,
            self.loose_passages,
        )

    @property
    def coverage(self) -> float:
        """Share of the copy or of the source (the larger) inside passages."""
        return max(self.copy_fraction, self.source_fraction)

    @property
    def copy_covered(self) -> int:
        return sum(p.end - p.first for p in self.passages)

    @property
    def source_covered(self) -> int:
        return sum(p.send - p.sfirst for p in self.passages)

    @property
    def matched(self) -> int:
        return sum(p.matched for p in self.passages)

    @property
    def weight(self) -> float:
        return sum(p.weight for p in self.passages)

    @property
    def copy_fraction(self) -> float:
        return self.copy_covered / self.n_copy if self.n_copy else 0.0

    @property
    def source_fraction(self) -> float:
        return self.source_covered / self.n_source if self.n_source else 0.0

    @property
    def density(self) -> float:
        """Matched share of the copy's terms inside passages (1.0 for a verbatim copy)."""
        covered = self.copy_covered
        return self.matched / covered if covered else 0.0

    @property
    def exact_density(self) -> float:
        """:attr:`density` counting identical terms only (no ``substitutable`` pairs)."""
        covered = self.copy_covered
        return sum(p.exact for p in self.passages) / covered if covered else 0.0


def exact_pairs(copy: Terms, source: Terms) -> tuple[np.ndarray, np.ndarray]:
    """Term indices ``(ci, sj)`` of a longest common subsequence of identical terms."""
    blocks = LCSseq.opcodes(copy.ids.tolist(), source.ids.tolist()).as_matching_blocks()
    abs_ = np.array([(b.a, b.b, b.size) for b in blocks if b.size], dtype=np.int64)
    if not len(abs_):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    a, b, size = abs_[:, 0], abs_[:, 1], abs_[:, 2]
    ends = np.cumsum(size)
    step = np.arange(int(ends[-1])) - np.repeat(ends - size, size)  # 0.. within each block
    return np.repeat(a, size) + step, np.repeat(b, size) + step


def fill_gaps(
    copy: Terms,
    source: Terms,
    ci: np.ndarray,
    sj: np.ndarray,
    substitutable: Substitutable,
    max_gap: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Pair gap terms diagonally where ``substitutable`` says one may replace the other
    (all pairs in one ``substitutable.many(copy_words, source_words)`` call if the hook
    has that method)."""
    bi = np.concatenate([[-1], ci, [len(copy)]])
    bj = np.concatenate([[-1], sj, [len(source)]])
    gi, gj = np.diff(bi) - 1, np.diff(bj) - 1
    use = np.flatnonzero((gi > 0) & (gi <= max_gap) & (gj > 0) & (gj <= max_gap))
    if not len(use):
        return ci, sj
    n = np.minimum(gi[use], gj[use])
    step = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    ii = np.repeat(bi[use] + 1, n) + step
    jj = np.repeat(bj[use] + 1, n) + step
    cw = [copy.lower[i] for i in ii.tolist()]
    sw = [source.lower[j] for j in jj.tolist()]
    many = getattr(substitutable, "many", None)
    if many is not None:
        ok = np.asarray(many(cw, sw), dtype=bool)
    else:
        ok = np.fromiter(map(substitutable, cw, sw), dtype=bool, count=len(cw))
    if not ok.any():
        return ci, sj
    ci = np.concatenate([ci, ii[ok]])
    sj = np.concatenate([sj, jj[ok]])
    order = np.argsort(ci, kind="stable")
    return ci[order], sj[order]


def _passages(
    copy: Terms,
    ci: np.ndarray,
    sj: np.ndarray,
    exact: np.ndarray,
    max_gap: int,
    min_density: float,
    p: AlignParams,
) -> tuple[list[TermPassage], int, int]:
    """Cut the match chain where either side jumps more than ``max_gap`` terms; keep the
    pieces with enough weight and density. Also counts the gaps between identical terms
    (``exact`` marks them in the chain) inside the passages, and the 1:1 ones."""
    passages: list[TermPassage] = []
    equal = gaps = 0
    if not len(ci):
        return passages, 0, 0
    w = np.where(copy.stop[ci], p.stop_weight, 1.0)
    dci, dsj = np.diff(ci), np.diff(sj)
    cuts = np.flatnonzero((dci > max_gap + 1) | (dsj > max_gap + 1)) + 1
    bounds = np.concatenate([[0], cuts, [len(ci)]])
    cw = np.concatenate([[0.0], np.cumsum(w)])
    for a, b in itertools.pairwise(bounds.tolist()):
        weight = float(cw[b] - cw[a])
        span = int(ci[b - 1] - ci[a] + 1)
        if weight < p.min_weight or weight / span < min_density:
            continue
        same = exact[a:b]
        passages.append(
            TermPassage(
                int(ci[a]),
                int(ci[b - 1]) + 1,
                int(sj[a]),
                int(sj[b - 1]) + 1,
                int(b - a),
                weight,
                int(same.sum()),
            )
        )
        gi, gj = np.diff(ci[a:b][same]) - 1, np.diff(sj[a:b][same]) - 1
        moved = (gi > 0) | (gj > 0)
        gaps += int(moved.sum())
        equal += int((moved & (gi == gj)).sum())
    return passages, equal, gaps


def align(
    copy: Terms,
    source: Terms,
    substitutable: Substitutable | None = None,
    params: AlignParams = AlignParams(),
) -> Alignment:
    """Align ``copy`` against ``source`` and return the passages that pass the thresholds
    (and the loose passages, see :class:`AlignParams`)."""
    ci, sj = exact_pairs(copy, source)
    if substitutable is not None and len(ci):
        ci, sj = fill_gaps(copy, source, ci, sj, substitutable, params.max_sub_gap)
    exact = copy.ids[ci] == source.ids[sj]
    passages, equal, gaps = _passages(
        copy, ci, sj, exact, params.max_gap, params.min_density, params
    )
    loose, _, _ = _passages(
        copy, ci, sj, exact, params.loose_max_gap, params.loose_min_density, params
    )
    return Alignment(passages, len(copy), len(source), equal / gaps if gaps else 1.0, loose)
