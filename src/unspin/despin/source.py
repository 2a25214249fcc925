"""Restore with a source: align the copy with it and take the aligned parts from it.

The copy and the source are aligned with trace's aligner (:func:`unspin.trace.align`,
term LCS plus the lexicon's ``substitutable`` hook). Inside an aligned passage, every gap
between two matched terms that has words on both sides is a substitution: the copy's
words there are replaced by the source's words, exactly. Gaps with words on one side only
(the spinner dropped or added words) are left alone, and so is everything outside the
passages (boilerplate, added paragraphs), which the caller may restore without a source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from unspin.text import Tokens
from unspin.trace.align import AlignParams, _fill_gaps, _pairs, align
from unspin.trace.terms import Terms, terms_of

__all__ = ["SourcePair", "aligned_mask", "source_pairs"]

MAX_SPAN = 6  # longest gap (terms, either side) taken as one substitution
MAX_ONE_SIDED = 3  # longest one-sided gap ("Chinese language" <- "Chinese")


@dataclass(frozen=True, slots=True)
class SourcePair:
    """Copy ``[start, end)`` replaced the source's ``original`` (``[sstart, send)``)."""

    start: int
    end: int
    sstart: int
    send: int
    spun: str
    original: str


def _substitutable():  # type: ignore[no-untyped-def]
    from unspin.trace.substitute import lexicon_substitutable

    return lexicon_substitutable()


def source_pairs(
    copy: str, source: str, copy_terms: Terms | None = None
) -> tuple[list[SourcePair], list[tuple[int, int]]]:
    """Substitutions found by aligning ``copy`` with ``source``, and the aligned character
    ranges of the copy (the passages)."""
    ct = copy_terms if copy_terms is not None else terms_of(copy)
    st = terms_of(source)
    sub = _substitutable()
    params = AlignParams()
    al = align(ct, st, sub, params)
    if not al.passages:
        return [], []
    ci, sj = _pairs(ct, st)
    if len(ci):
        ci, sj = _fill_gaps(ct, st, ci, sj, sub, params.max_sub_gap)
    pairs: list[SourcePair] = []
    ranges: list[tuple[int, int]] = []
    same = ct.ids[ci] == st.ids[sj] if len(ci) else np.zeros(0, dtype=bool)
    ci, sj = ci[same], sj[same]  # anchors: identical words; the hook only helps alignment
    for p in al.passages:
        ranges.append((int(ct.starts[p.first]), int(ct.ends[p.end - 1])))
        inside = (ci >= p.first) & (ci < p.end) & (sj >= p.sfirst) & (sj < p.send)
        a, b = ci[inside], sj[inside]
        for k in range(len(a) - 1):
            i0, i1, j0, j1 = int(a[k]) + 1, int(a[k + 1]), int(b[k]) + 1, int(b[k + 1])
            gi, gj = i1 - i0, j1 - j0
            if gi == gj == 0 or gi > MAX_SPAN or gj > MAX_SPAN:
                continue
            if gi == 0 or gj == 0:  # words added or dropped: take the matched word before
                if max(gi, gj) > MAX_ONE_SIDED:
                    continue
                i0, j0 = i0 - 1, j0 - 1
            spans = (
                [(i, i + 1, j, j + 1) for i, j in zip(range(i0, i1), range(j0, j1), strict=True)]
                if gi == gj  # word for word
                else [(i0, i1, j0, j1)]
            )
            for x0, x1, y0, y1 in spans:
                cs, ce = int(ct.starts[x0]), int(ct.ends[x1 - 1])
                ss, se = int(st.starts[y0]), int(st.ends[y1 - 1])
                if copy[cs:ce] != source[ss:se]:
                    pairs.append(SourcePair(cs, ce, ss, se, copy[cs:ce], source[ss:se]))
    return pairs, ranges


def aligned_mask(tokens: Tokens, ranges: list[tuple[int, int]]) -> np.ndarray:
    """Per token: inside one of the aligned character ranges."""
    mask = np.zeros(len(tokens), dtype=bool)
    for s, e in ranges:
        mask |= (tokens.starts >= s) & (tokens.ends <= e)
    return mask
