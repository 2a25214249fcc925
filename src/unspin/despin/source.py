"""Restore with a source: match the copy's sentences to the source's, then take the words.

Spinners keep the sentences of the article (they may drop some, swap neighbours and add
boilerplate lines) and replace words inside them. So the copy's sentences (a line break
also ends one) are first paired with the source's, in order where possible (see
:func:`_sentence_matches`); runs of consecutive pairs form aligned *blocks*. Inside a
block the two token sequences (words and punctuation) are aligned by a cheapest edit
script, and every gap between two matched tokens is restored from the source: words on
both sides are a substitution; words on one side only (the spinner padded or shortened a
phrase: "Chinese language" <- "Chinese") are restored together with the neighbouring word
they belong to. Sentences paired with nothing (boilerplate, added paragraphs) are left to
the caller, which restores them without a source.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Levenshtein

from unspin.text import Tokens, sentence_bounds, tokenize
from unspin.text.normalize import fold_homoglyphs
from unspin.trace.terms import terms_of

__all__ = ["SourcePair", "aligned_mask", "source_pairs"]

STOP_WEIGHT = 0.25  # weight of a matched function word (content words: 1, punctuation: 0)
MIN_MATCH = 2.0  # shared weight a copy sentence needs to be paired with a source one
MIN_DENSITY = 0.2  # ... per unit of the copy sentence's own weight (out of order)
MIN_SHARED = 1.0  # ... or this many, in the in-order pairing (see _sentence_matches)
MAX_SPAN = 24  # longest gap (tokens, either side) taken as one substitution
MAX_ONE_SIDED = 4  # longest one-sided gap restored with its neighbour ("Chinese language")
MAX_SENTENCE = 200  # tokens: a longer "sentence" (punctuation stripped) is cut into ...
PIECE = 30  # ... pieces of about this many tokens, so that it can still be paired


@dataclass(frozen=True, slots=True)
class SourcePair:
    """Copy ``[start, end)`` replaced the source's ``original`` (``[sstart, send)``; its
    look-alike letters read as Latin ones if the source is disguised with them)."""

    start: int
    end: int
    sstart: int
    send: int
    spun: str
    original: str


@dataclass(frozen=True, slots=True)
class _Side:
    """One text as alignment units: its tokens, their ids (folded lower-case hashes),
    weights and sentences (``[first, end)`` token ranges, cut at line breaks too)."""

    text: str
    tokens: Tokens
    ids: np.ndarray
    weight: np.ndarray
    sents: list[tuple[int, int]]
    sid: np.ndarray  # per token: its sentence
    fresh: np.ndarray  # per sentence: it starts a paragraph (after a blank line)

    def span(self, i0: int, i1: int) -> tuple[int, int]:
        """Characters of tokens ``[i0, i1)``."""
        return int(self.tokens.starts[i0]), int(self.tokens.ends[i1 - 1])


@dataclass(frozen=True, slots=True)
class _Block:
    """Copy tokens ``[i0, i1)`` aligned with source tokens ``[j0, j1)``."""

    i0: int
    i1: int
    j0: int
    j1: int


def _side(text: str, tokens: Tokens | None = None) -> _Side:
    toks = tokens if tokens is not None else tokenize(text)
    terms = terms_of(toks)  # words and numbers: homoglyph-folded hashes, function words
    at = np.searchsorted(toks.starts, terms.starts)
    ids = np.zeros(len(toks), dtype=np.int64)
    weight = np.zeros(len(toks))
    other = np.ones(len(toks), dtype=bool)
    other[at] = False
    forms = toks.forms
    ids[other] = [zlib.crc32(forms[i].encode("utf-8")) for i in np.flatnonzero(other).tolist()]
    ids[at] = terms.ids
    weight[at] = np.where(terms.stop, STOP_WEIGHT, 1.0)
    sents, fresh = _lines_and_sentences(text, toks)
    sid = np.repeat(np.arange(len(sents)), [b - a for a, b in sents])
    return _Side(text, toks, ids, weight, sents, sid, fresh)


def _lines_and_sentences(text: str, toks: Tokens) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Sentence bounds, also cut wherever a line break separates two tokens, and which of
    them start a paragraph."""
    breaks = np.array([m.start() for m in re.finditer("\n", text)], dtype=np.int64)
    k = np.searchsorted(toks.starts, breaks)  # the token after each line break
    inside = (k > 0) & (k < len(toks))
    k, breaks = k[inside], breaks[inside]
    cuts = set(k[toks.ends[k - 1] <= breaks].tolist())
    out = []
    for a, b in sentence_bounds(toks):
        for x in sorted(x for x in cuts if a < x < b):
            out += _pieces(a, x)
            a = x
        out += _pieces(a, b)
    ends, starts = toks.ends, toks.starts
    fresh = [a == 0 or text.count("\n", int(ends[a - 1]), int(starts[a])) > 1 for a, _ in out]
    return out, np.array(fresh, dtype=bool)


def _pieces(a: int, b: int) -> list[tuple[int, int]]:
    """``[a, b)`` as is, or cut into even pieces of about :data:`PIECE` tokens when it is
    longer than :data:`MAX_SENTENCE` (a page whose scraper dropped the punctuation)."""
    if b - a <= MAX_SENTENCE:
        return [(a, b)]
    n = -(-(b - a) // PIECE)
    cuts = [a + (b - a) * k // n for k in range(n + 1)]
    return list(itertools.pairwise(cuts))


def _anchors(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs of the identical tokens of a cheapest edit script (substitutions and
    insertions/deletions cost 1): of the alignments with the most matches it prefers
    those whose gaps are balanced, as a spinner's substitutions are."""
    ops = Levenshtein.opcodes(a.tolist(), b.tolist())
    ia = [x for op in ops if op.tag == "equal" for x in range(op.src_start, op.src_end)]
    ib = [x for op in ops if op.tag == "equal" for x in range(op.dest_start, op.dest_end)]
    return np.asarray(ia, dtype=np.int64), np.asarray(ib, dtype=np.int64)


def _bags(c: _Side, s: _Side) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence, its distinct words: the weight of each (copy) or 1 (source)."""
    vocab = {x: n for n, x in enumerate(set(c.ids.tolist()) | set(s.ids.tolist()))}

    def bag(side: _Side, values: np.ndarray) -> np.ndarray:
        col = np.fromiter(map(vocab.__getitem__, side.ids.tolist()), np.int64, len(side.ids))
        m = np.zeros((len(side.sents), len(vocab)))
        m[side.sid, col] = values
        return m

    return bag(c, c.weight), bag(s, np.ones(len(s.ids)))


def _sentence_matches(c: _Side, s: _Side) -> list[tuple[int, int, int]]:
    """Per aligned copy sentence ``k``: ``(k, first, last)`` source sentences it matches
    (in copy order).

    The backbone is the heaviest in-order pairing by shared weight (see :func:`_in_order`:
    neighbours may swap, and two sentences on one side may pair with one on the other
    where the splitters disagreed, "No. 2" -> "No more. 2", at a cost of :data:`MIN_MATCH`).
    A pair needs :data:`MIN_SHARED` weight and similar lengths; one that shares no content
    word and less than :data:`MIN_MATCH` also needs pairs (or a text's edge) on both
    sides. A copy sentence left out is then paired out of order with an unused source
    sentence if they share :data:`MIN_MATCH` weight at :data:`MIN_DENSITY`."""
    cb, sb = _bags(c, s)
    shared, content, own = cb @ sb.T, (cb == 1.0) @ sb.T, cb.sum(axis=1)
    clen = np.array([b - a for a, b in c.sents], dtype=float)
    slen = np.array([b - a for a, b in s.sents], dtype=float)
    enough = (shared >= MIN_SHARED) & ((content > 0) | (shared >= MIN_MATCH))
    ok = (shared >= MIN_SHARED) & _similar(clen[:, None], slen[None, :])
    strong = ok & enough
    pair = np.where(ok, shared, -np.inf)
    split = np.full(shared.shape, -np.inf)  # copy k - 1 and k <-> source j
    both = enough[:-1] & enough[1:] & _close(clen[:-1, None] + clen[1:, None], slen[None, :])
    split[1:] = np.where(both & ~c.fresh[1:, None], shared[:-1] + shared[1:] - MIN_MATCH, -np.inf)
    join = np.full(shared.shape, -np.inf)  # copy k <-> source j - 1 and j
    both = enough[:, :-1] & enough[:, 1:] & _close(clen[:, None], slen[None, :-1] + slen[1:])
    join[:, 1:] = np.where(
        both & ~s.fresh[None, 1:], shared[:, :-1] + shared[:, 1:] - MIN_MATCH, -np.inf
    )
    found = _in_order(pair, split, join)
    shares = Counter(f for _, f, _ in found)  # two copy sentences with one source sentence
    sure = {(k, f) for k, f, e in found if strong[k, f] or f < e or shares[f] > 1}
    found = [(k, f, e) for k, f, e in found if (k, f) in sure or _sandwiched(k, f, sure, ok.shape)]
    used = {j for _, f, e in found for j in range(f, e + 1)}
    paired = {k for k, _, _ in found}
    for k in range(len(c.sents)):
        free = [j for j in np.argsort(-shared[k]).tolist() if j not in used]
        if k not in paired and free and shared[k, free[0]] >= max(MIN_MATCH, MIN_DENSITY * own[k]):
            found.append((k, free[0], free[0]))
            used.add(free[0])
    return sorted(found)


def _similar(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Lengths within a factor of two."""
    return (a <= 2 * b) & (b <= 2 * a)


def _close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Lengths within a factor of 1.5 (two sentences against one)."""
    return (a <= 1.5 * b) & (b <= 1.5 * a)


def _sandwiched(k: int, j: int, pairs: set[tuple[int, int]], shape: tuple[int, ...]) -> bool:
    """Pairs (or the texts' edges) on both sides of the pair ``(k, j)``."""
    n, m = shape
    return all((k + d, j + d) in pairs or (k + d in (-1, n) and j + d in (-1, m)) for d in (-1, 1))


_SKIP_ROW, _SKIP_COL, _PAIR, _SWAP, _SPLIT, _JOIN = range(1, 7)
_STEP = {_SKIP_ROW: (1, 0), _SKIP_COL: (0, 1), _PAIR: (1, 1), _SWAP: (2, 2), _SPLIT: (2, 1)}
_STEP[_JOIN] = (1, 2)


def _offer(row: np.ndarray, mv: np.ndarray, at: int, gain: np.ndarray, code: int) -> None:
    """Take move ``code`` wherever its total ``gain`` (for columns ``at`` on) beats ``row``."""
    take = np.zeros(len(row), dtype=bool)
    take[at:] = gain > row[at:]
    row[take], mv[take] = gain[take[at:]], code


def _in_order(pair: np.ndarray, split: np.ndarray, join: np.ndarray) -> list[tuple[int, int, int]]:
    """``(k, first, last)``: rows paired with columns ``first..last`` in the heaviest
    in-order pairing (``-inf``: not allowed). Moves: row ``k`` with column ``j``
    (``pair[k, j]``); two neighbouring pairs crossed (a swap); rows ``k - 1`` and ``k``
    with column ``j`` (``split[k, j]``); row ``k`` with columns ``j - 1`` and ``j``
    (``join[k, j]``)."""
    n, m = pair.shape
    best = np.zeros((n + 1, m + 1))
    move = np.zeros((n + 1, m + 1), dtype=np.int8)
    move[0, 1:] = _SKIP_COL
    for k in range(1, n + 1):
        row, mv = best[k - 1].copy(), np.full(m + 1, _SKIP_ROW, dtype=np.int8)
        _offer(row, mv, 1, best[k - 1, :-1] + pair[k - 1], _PAIR)
        _offer(row, mv, 2, best[k - 1, :-2] + join[k - 1, 1:], _JOIN)
        if k >= 2:
            _offer(row, mv, 2, best[k - 2, :-2] + pair[k - 2, 1:] + pair[k - 1, :-1], _SWAP)
            _offer(row, mv, 1, best[k - 2, :-1] + split[k - 1], _SPLIT)
        carry = np.maximum.accumulate(row)
        best[k], move[k] = carry, np.where(carry > row, _SKIP_COL, mv)
    out: list[tuple[int, int, int]] = []
    k, j = n, m
    while k > 0 or j > 0:
        mv = int(move[k, j])
        if mv == _PAIR:
            out.append((k - 1, j - 1, j - 1))
        elif mv == _SWAP:
            out += [(k - 1, j - 2, j - 2), (k - 2, j - 1, j - 1)]
        elif mv == _SPLIT:
            out += [(k - 1, j - 1, j - 1), (k - 2, j - 1, j - 1)]
        elif mv == _JOIN:
            out.append((k - 1, j - 2, j - 1))
        dk, dj = _STEP[mv]
        k, j = k - dk, j - dj
    return out[::-1]


def _blocks(c: _Side, s: _Side) -> list[_Block]:
    """Runs of consecutive copy sentences matched to consecutive source sentences."""
    blocks: list[_Block] = []
    prev: tuple[int, int, int] | None = None
    for k, first, last in _sentence_matches(c, s):
        i0, i1 = c.sents[k]
        j0, j1 = s.sents[first][0], s.sents[last][1]
        if prev is not None and k == prev[0] + 1 and prev[2] <= first <= prev[2] + 1:
            b = blocks.pop()
            blocks.append(_Block(b.i0, i1, b.j0, max(b.j1, j1)))
        else:
            blocks.append(_Block(i0, i1, j0, j1))
        prev = (k, first, last)
    return blocks


def source_pairs(
    copy: str, source: str, copy_tokens: Tokens | None = None
) -> tuple[list[SourcePair], list[tuple[int, int]]]:
    """Substitutions found by aligning ``copy`` with ``source``, and the aligned character
    ranges of the copy (its sentences matched to the source's)."""
    c, s = _side(copy, copy_tokens), _side(source)
    disguised = s.tokens.normalized.homoglyphs > 0
    attach = _attachment(_known_phrase())
    pairs: list[SourcePair] = []
    ranges: list[tuple[int, int]] = []
    for blk in _blocks(c, s):
        ia, jb = _anchors(c.ids[blk.i0 : blk.i1], s.ids[blk.j0 : blk.j1])
        a = [blk.i0 - 1, *(blk.i0 + ia).tolist(), blk.i1]  # block edges: virtual anchors
        b = [blk.j0 - 1, *(blk.j0 + jb).tolist(), blk.j1]
        ranges.append(c.span(blk.i0, blk.i1))
        cf, sf = c.tokens.forms, s.tokens.forms
        spans = [  # anchors too, where the texts differ: "new york" -> "New York"
            (i, i + 1, j, j + 1) for i, j in zip(a[1:-1], b[1:-1], strict=True) if cf[i] != sf[j]
        ]
        moved = np.flatnonzero((np.diff(a) > 1) | (np.diff(b) > 1)).tolist()
        for k in moved:
            edge = (k == 0, k == len(a) - 2)
            spans += _gap(c, s, a[k], a[k + 1], b[k], b[k + 1], edge, attach)
        anchors = set(a[1:-1])
        for span in _merged(spans):
            (cs, ce), (ss, se) = _chars(c, s, span, anchors)
            original = source[ss:se]
            if disguised:  # a source written with look-alike letters gives back Latin ones
                original = fold_homoglyphs(original, min_mixed=0)[0]
            if copy[cs:ce] != original:
                pairs.append(SourcePair(cs, ce, ss, se, copy[cs:ce], original))
    return pairs, ranges


def _chars(
    c: _Side, s: _Side, span: tuple[int, int, int, int], anchors: set[int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Characters of copy tokens ``[x0, x1)`` and source tokens ``[y0, y1)``; a gap's
    span is widened over the space to an anchor where one text has a space and the
    other none ("clouded horse-trades" <- "unsettled trades")."""
    x0, x1, y0, y1 = span
    (cs, ce), (ss, se) = c.span(x0, x1), s.span(y0, y1)
    if x1 - x0 == 1 and x0 in anchors:
        return (cs, ce), (ss, se)
    if x0 - 1 in anchors:
        cw, sw = int(c.tokens.ends[x0 - 1]), int(s.tokens.ends[y0 - 1])
        if _one_joined(c.text[cw:cs], s.text[sw:ss]):
            cs, ss = cw, sw
    if x1 in anchors:
        cw, sw = int(c.tokens.starts[x1]), int(s.tokens.starts[y1])
        if _one_joined(c.text[ce:cw], s.text[se:sw]):
            ce, se = cw, sw
    return (cs, ce), (ss, se)


def _one_joined(a: str, b: str) -> bool:
    """One of two inter-token strings is empty, the other plain space (no line break)."""
    return (a == "") != (b == "") and (a + b).isspace() and "\n" not in a + b


def _merged(spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Spans sorted, overlapping ones joined: an anchor inside the phrase a one-sided
    gap was restored with, or two gaps restored with the same anchor ("one dollar bill")."""
    out: list[tuple[int, int, int, int]] = []
    for x0, x1, y0, y1 in sorted(spans):
        if out and x0 < out[-1][1]:
            p = out.pop()
            x0, x1, y0, y1 = p[0], max(p[1], x1), min(p[2], y0), max(p[3], y1)
        out.append((x0, x1, y0, y1))
    return out


Attach = Callable[[_Side, _Side, int, int, int, int], bool]


def _gap(
    c: _Side,
    s: _Side,
    a0: int,
    a1: int,
    b0: int,
    b1: int,
    edge: tuple[bool, bool],
    attach_next: Attach,
) -> list[tuple[int, int, int, int]]:
    """Substitution spans (copy ``[x0, x1)`` -> source ``[y0, y1)``) between the anchors
    ``a0``/``b0`` and ``a1``/``b1`` (``edge``: the left / right anchor is a block edge)."""
    i0, i1, j0, j1 = a0 + 1, a1, b0 + 1, b1
    gi, gj = i1 - i0, j1 - j0
    ci, sj = _sentence_cut(c, i0, i1), _sentence_cut(s, j0, j1)
    if ci is not None and sj is not None:  # one sentence end on each side: two gaps
        return [
            *_gap(c, s, a0, ci, b0, sj, (edge[0], False), attach_next),
            *_gap(c, s, ci - 1, a1, sj - 1, b1, (False, edge[1]), attach_next),
        ]
    if gi == gj == 0 or max(gi, gj) > MAX_SPAN:
        return []
    if gi and gj:
        if gi != gj and (c.sid[i0] != c.sid[i1 - 1] or s.sid[j0] != s.sid[j1 - 1]):
            return []  # never merge across a sentence end
        if gi == gj:  # word for word
            return [(i, i + 1, j, j + 1) for i, j in zip(range(i0, i1), range(j0, j1), strict=True)]
        return [(i0, i1, j0, j1)]
    if all(edge) or max(gi, gj) > MAX_ONE_SIDED:
        return []
    if any(edge) and not (c.weight[i0:i1].any() or s.weight[j0:j1].any()):
        return []  # a quote mark the splitter put on the other side of a sentence end
    if edge[0] or (not edge[1] and attach_next(c, s, a0, a1, b0, b1)):
        return [(i0, a1 + 1, j0, b1 + 1)]
    return [(a0, i1, b0, j1)]


def _text(side: _Side, i0: int, i1: int) -> str:
    return side.text[slice(*side.span(i0, i1))] if i1 > i0 else ""


def _sentence_cut(side: _Side, i0: int, i1: int) -> int | None:
    """The first token ``k`` of a sentence in ``(i0, i1)`` if only one starts there."""
    cuts = np.flatnonzero(np.diff(side.sid[i0:i1])) if i1 - i0 > 1 else ()
    return i0 + 1 + int(cuts[0]) if len(cuts) == 1 else None


KnownPhrase = Callable[[str, str], bool]


def _attachment(known: KnownPhrase) -> Attach:
    """Which anchor a one-sided gap belongs to: True for the next one, False for the one
    before. In order: the side whose phrase the lexicon knows ("political machine" <-
    "machine"); the side that is a word when the other is punctuation; the side joined to
    the gap without a space ("One-half"); the next one if the one before is cut from the
    gap by punctuation ("operations. One-half"); else the one before ("Chinese language",
    "would possibly")."""

    def attach_next(c: _Side, s: _Side, a0: int, a1: int, b0: int, b1: int) -> bool:
        copy_side = a1 - a0 > 1
        g, (x0, x1) = (c, (a0, a1)) if copy_side else (s, (b0, b1))
        o, (y0, y1) = (s, (b0, b1)) if copy_side else (c, (a0, a1))

        def phrase_known(nxt: bool) -> bool:
            long_ = _text(g, x0 + 1, x1 + 1) if nxt else _text(g, x0, x1)
            short = _text(o, y1, y1 + 1) if nxt else _text(o, y0, y0 + 1)
            spun, orig = (long_, short) if copy_side else (short, long_)
            return known(spun, orig)

        before, after = phrase_known(False), phrase_known(True)
        if before != after:
            return after
        w_prev, w_next = g.weight[x0], g.weight[x1]
        if (w_prev == 0) != (w_next == 0):  # punctuation on one side
            return w_prev == 0
        st, en = g.tokens.starts, g.tokens.ends
        joined_next = g.text[int(en[x1 - 1]) : int(st[x1])] == ""
        joined_prev = g.text[int(en[x0]) : int(st[x0 + 1])] == ""
        if joined_prev != joined_next:
            return joined_next
        return any(ch in g.text[int(en[x0]) : int(st[x0 + 1])] for ch in ".,;:!?\"”“'’")

    return attach_next


@lru_cache(maxsize=1)
def _known_phrase() -> KnownPhrase:
    """``f(spun, original)``: does the lexicon list ``original`` for ``spun`` (a thesaurus
    or learned entry, not merely a padded word)?"""
    from unspin.lexicon import load_lexicon

    lexicon = load_lexicon()

    @lru_cache(maxsize=1 << 14)
    def known(spun: str, original: str) -> bool:
        orig = original.lower()
        return any(
            c.text.lower() == orig and c.sources - {"part", "case"}
            for c in lexicon.candidates(spun, max_hops=1)
        )

    return known


def aligned_mask(tokens: Tokens, ranges: list[tuple[int, int]]) -> np.ndarray:
    """Per token: inside one of the aligned character ranges."""
    mask = np.zeros(len(tokens), dtype=bool)
    for s, e in ranges:
        mask |= (tokens.starts >= s) & (tokens.ends <= e)
    return mask
