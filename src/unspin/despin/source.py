"""Restore with a source: align the copy with it and take the aligned parts from it.

The copy and the source are aligned with trace's aligner (:func:`unspin.trace.align`,
term LCS plus the lexicon's ``substitutable`` hook). Inside an aligned passage, every gap
between two matched terms that has words on both sides is a substitution: the copy's
words there are replaced by the source's words, exactly. Gaps with words on one side only
(the spinner dropped or added words) are left alone, and so is everything outside the
passages (boilerplate, added paragraphs), which the caller may restore without a source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from unspin.text import Tokens
from unspin.trace.align import AlignParams, align, exact_pairs, fill_gaps
from unspin.trace.terms import Terms, terms_of

__all__ = ["SourcePair", "aligned_mask", "source_pairs"]

_SENTENCE_END = re.compile(r"[.!?][\"”’')]*\s")
MAX_SPAN = 10  # longest gap (terms, either side) taken as one substitution
MAX_WORD_FOR_WORD = 12  # longest gap of equal length on both sides
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
    ci, sj = exact_pairs(ct, st)
    if len(ci):
        ci, sj = fill_gaps(ct, st, ci, sj, sub, params.max_sub_gap)
    pairs: list[SourcePair] = []
    ranges: list[tuple[int, int]] = []
    same = ct.ids[ci] == st.ids[sj] if len(ci) else np.zeros(0, dtype=bool)
    ci, sj = ci[same], sj[same]  # anchors: identical words; the hook only helps alignment
    n, m = len(ct.ids), len(st.ids)
    for k_p, p in enumerate(al.passages):
        inside = (ci >= p.first) & (ci < p.end) & (sj >= p.sfirst) & (sj < p.send)
        a, b = ci[inside].tolist(), sj[inside].tolist()
        first, last = p.first, p.end - 1
        if a and k_p == 0 and 0 < a[0] <= MAX_SPAN and 0 < b[0] <= MAX_SPAN:
            a, b = [-1, *a], [-1, *b]  # both texts open with a substitution
            first = 0
        closing = a and 0 < n - 1 - a[-1] <= MAX_SPAN and 0 < m - 1 - b[-1] <= MAX_SPAN
        if closing and k_p == len(al.passages) - 1:
            a, b = [*a, n], [*b, m]  # ... or close with one
            last = n - 1
        ranges.append((int(ct.starts[first]), int(ct.ends[last])))
        spans = [(i, i + 1, j, j + 1) for i, j in zip(a, b, strict=True) if 0 <= i < n]
        for k in range(len(a) - 1):
            spans += _gap(copy, ct, source, st, a[k], a[k + 1], b[k], b[k + 1])
        for x0, x1, y0, y1 in spans:
            cs, ce = int(ct.starts[x0]), int(ct.ends[x1 - 1])
            ss, se = int(st.starts[y0]), int(st.ends[y1 - 1])
            if x1 - x0 != y1 - y0 and _SENTENCE_END.search(copy[cs:ce]):
                continue  # never merge across a sentence end
            if copy[cs:ce] != source[ss:se]:  # anchors too: "new york" -> "New York"
                pairs.append(SourcePair(cs, ce, ss, se, copy[cs:ce], source[ss:se]))
    pairs.sort(key=lambda q: (q.start, -(q.end - q.start)))
    kept: list[SourcePair] = []
    for q in pairs:  # a one-sided gap merged with an anchor wins over the anchor alone
        if not kept or q.start >= kept[-1].end:
            kept.append(q)
    return kept, ranges


def _gap(
    copy: str, ct: Terms, source: str, st: Terms, a0: int, a1: int, b0: int, b1: int
) -> list[tuple[int, ...]]:
    """Substitution spans (copy [x0, x1) -> source [y0, y1)) between two anchors."""
    i0, i1, j0, j1 = a0 + 1, a1, b0 + 1, b1
    gi, gj = i1 - i0, j1 - j0
    ci, sj = _sentence_cut(copy, ct, i0, i1), _sentence_cut(source, st, j0, j1)
    if ci is not None and sj is not None:  # one sentence end on each side: two gaps
        return [
            *_gap(copy, ct, source, st, a0, ci, b0, sj),
            *_gap(copy, ct, source, st, ci - 1, a1, sj - 1, b1),
        ]
    if gi == gj == 0 or (gi != gj and max(gi, gj) > MAX_SPAN) or gi > MAX_WORD_FOR_WORD:
        return []
    if (a0 < 0 or a1 >= len(ct.ids)) and not (gi and gj):
        return []  # a text's edge is no anchor for an added or dropped word
    if gi and gj:
        if gi == gj:  # word for word
            return [(i, i + 1, j, j + 1) for i, j in zip(range(i0, i1), range(j0, j1), strict=True)]
        return [(i0, i1, j0, j1)]
    if max(gi, gj) > MAX_ONE_SIDED:
        return []
    # Words added (or dropped) by the spinner: restore them together with the anchor they
    # hang on -- the next one if joined to it ("One-half") or cut off from the one before
    # by punctuation ("operations. One-half"), else the one before ("Chinese language").
    if gi:
        before = copy[int(ct.ends[a0]) : int(ct.starts[i0])]
        joined = copy[int(ct.ends[i1 - 1]) : int(ct.starts[a1])] in ("", "-")
        if joined or any(ch in before for ch in ".,;:!?\"”“'’"):
            return [(i0, a1 + 1, j0, b1 + 1)]
    return [(i0 - 1, i1, j0 - 1, j1)]


def _sentence_cut(text: str, terms: Terms, i0: int, i1: int) -> int | None:
    """The term ``k`` in ``(i0, i1)`` after the only sentence end between terms ``i0`` and
    ``i1 - 1`` (both sides of it non-empty), else ``None``."""
    cuts = [
        k
        for k in range(i0 + 1, i1)
        if _SENTENCE_END.search(text[int(terms.ends[k - 1]) : int(terms.starts[k]) + 1])
    ]
    return cuts[0] if len(cuts) == 1 else None


def aligned_mask(tokens: Tokens, ranges: list[tuple[int, int]]) -> np.ndarray:
    """Per token: inside one of the aligned character ranges."""
    mask = np.zeros(len(tokens), dtype=bool)
    for s, e in ranges:
        mask |= (tokens.starts >= s) & (tokens.ends <= e)
    return mask
