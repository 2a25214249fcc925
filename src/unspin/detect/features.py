"""Features for the token model (is this word a substitution?) and the document model
(was this text spun?), computed from :class:`~unspin.detect.evidence.Evidence`."""

from __future__ import annotations

import numpy as np

from unspin.detect.evidence import Evidence
from unspin.detect.gate import MIN_WORDS
from unspin.detect.options import zipf as _zipf
from unspin.text import quoted

__all__ = [
    "DOC_FEATURES",
    "TOKEN_FEATURES",
    "doc_features",
    "narration",
    "token_features",
    "word_rows",
]

_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those he she they we i you his her their our my your not no than then
    so there here which who whom whose what when where why how all any some such can could may
    might will would shall should must do does did done has have had having into over under
    about after before between through during up down out off again further once also only very
    just more most other same own both each few nor too""".split()
)

TOKEN_FEATURES: tuple[str, ...] = (
    "gain",  # best LM gain of a site starting here (nats, clipped)
    "gain_pos",
    "gain_gt2",
    "gain_gt5",
    "cover_gain",  # best gain of any site covering the token
    "n_options",  # log1p(number of candidates)
    "best_pps",
    "best_learned",
    "best_hop2",
    "best_nsrc",
    "best_phrase",  # best site spans several tokens
    "logp",  # log P(token | context) minus the document's median (domain-robust)
    "next_logp",  # mean log P of the two following tokens, minus the median
    "zipf",  # word frequency (wordfreq Zipf, 0 for unknown)
    "best_zipf_gap",  # Zipf(best option) - Zipf(word)
    "oov",
    "capitalised",
    "sent_initial",
    "stopword",
    "length",
    # the neighbouring words (previous / next word token; floor values at the edges)
    "prev_gain",
    "next_gain",
    "prev_cover_gain",
    "next_cover_gain",
    "prev_logp",
    "next_word_logp",
    "quoted",  # inside quotation marks (unspin.text.quotes)
)

DOC_FEATURES: tuple[str, ...] = (
    "p_mean",
    "p_gt50",
    "p_gt80",
    "p_top10",
    "gain_gt2",
    "gain_gt5",
    "gain_mean_pos",
    "logp_spread",  # median - 10th percentile of word log-probs
    "logp_low",  # share of words 5 nats below the median
    "pps_per100",
    "oov_rate",
    "rare_rate",
    "log_words",
)


_QUOTED = TOKEN_FEATURES.index("quoted")


def word_rows(ev: Evidence) -> np.ndarray:
    """Indices of the word tokens (the rows of :func:`token_features`)."""
    return np.flatnonzero(ev.tokens.is_word)


def token_features(ev: Evidence, unk: int) -> np.ndarray:
    """One row of :data:`TOKEN_FEATURES` per word token (``word_rows`` order), float32."""
    n = len(ev.tokens)
    gain = np.full(n, -20.0, dtype=np.float32)
    cover = np.full(n, -20.0, dtype=np.float32)
    n_opt = np.zeros(n, dtype=np.float32)
    pps = np.zeros(n, dtype=np.float32)
    learned = np.zeros(n, dtype=np.float32)
    hop2 = np.zeros(n, dtype=np.float32)
    nsrc = np.zeros(n, dtype=np.float32)
    phrase = np.zeros(n, dtype=np.float32)
    best_text: list[str | None] = [None] * n
    sites = ev.sites
    if sites:
        first = np.fromiter((s.first for s in sites), dtype=np.int64, count=len(sites))
        span = np.fromiter((s.last - s.first for s in sites), dtype=np.int64, count=len(sites))
        n_options = np.fromiter((len(s.options) for s in sites), np.int64, len(sites))
        np.maximum.at(n_opt, first, np.log1p(n_options).astype(np.float32))
        for k in range(int(span.max())):  # every token a site covers
            on = span > k
            np.maximum.at(cover, first[on] + k, ev.site_gain[on])
        # The site starting at a token with the highest best gain (if above the floor).
        at = np.flatnonzero(ev.lead >= 0)
        lead = ev.lead[at]
        up = ev.site_gain[lead] > gain[at]
        at, lead = at[up], lead[up]
        gain[at] = ev.site_gain[lead]
        phrase[at] = span[lead] > 1
        for i, s_idx, b in zip(
            at.tolist(), lead.tolist(), ev.site_best[lead].tolist(), strict=True
        ):
            site = sites[s_idx]
            src = site.sources[b]
            pps[i] = "pps" in src
            learned[i] = "learned" in src
            hop2[i] = site.hops[b] >= 2
            nsrc[i] = len(src)
            best_text[i] = site.options[b]
    rows = word_rows(ev)
    forms = ev.tokens.forms
    lower = ev.tokens.lower
    logp = ev.logp
    nxt = np.zeros(n, dtype=np.float32)
    if n:
        pad = np.concatenate([logp, [0.0, 0.0]])
        nxt = (pad[1 : n + 1] + pad[2 : n + 2]) / 2
    sent_start = np.zeros(n, dtype=bool)
    for a, _ in ev.sentences:
        sent_start[a] = True
    out = np.zeros((len(rows), len(TOKEN_FEATURES)), dtype=np.float32)
    g = np.clip(gain[rows], -20, 20)
    out[:, 0] = g
    out[:, 1] = np.maximum(g, 0)
    out[:, 2] = g > 2
    out[:, 3] = g > 5
    out[:, 4] = np.clip(cover[rows], -20, 20)
    out[:, 5] = n_opt[rows]
    out[:, 6] = pps[rows]
    out[:, 7] = learned[rows]
    out[:, 8] = hop2[rows]
    out[:, 9] = nsrc[rows]
    out[:, 10] = phrase[rows]
    med = float(np.median(logp[rows])) if len(rows) else 0.0
    out[:, 11] = logp[rows] - med
    out[:, 12] = nxt[rows] - med
    for r, i in enumerate(rows):
        z = _zipf(lower[i])
        out[r, 13] = z
        bt = best_text[i]
        out[r, 14] = (_zipf(bt.lower()) - z) if bt else 0.0
        f = forms[i]
        out[r, 16] = f[:1].isupper()
        out[r, 18] = lower[i] in _STOP
        out[r, 19] = min(len(f), 20)
    out[:, 15] = ev.ids[rows] == unk
    out[:, 17] = sent_start[rows]
    out[:, _QUOTED] = quoted(ev.tokens)[rows]
    _context(out)
    return out


def _context(out: np.ndarray) -> None:
    """Fill the neighbour columns of a token-feature matrix in place."""
    col = TOKEN_FEATURES.index
    neighbours = (("gain", -20.0), ("cover_gain", -20.0), ("logp", 0.0))
    for name, floor in neighbours:
        src = out[:, col(name)]
        prev = np.full(len(out), floor, dtype=np.float32)
        nxt = np.full(len(out), floor, dtype=np.float32)
        prev[1:], nxt[:-1] = src[:-1], src[1:]
        out[:, col(f"prev_{name}")] = prev
        out[:, col("next_word_logp" if name == "logp" else f"next_{name}")] = nxt


def narration(tok_x: np.ndarray) -> np.ndarray:
    """The rows (word tokens) a document is judged on: those outside quotation marks, if
    they are at least :data:`~unspin.detect.gate.MIN_WORDS` and at least half of its
    words; else all of them.

    Spinners often leave quotes intact (a real copy spun only around its quotes, 39% of
    its words quoted, scored 0.51 on all its words and 0.89 on its narration), and the
    spoken language of a clean article's quotes reads as unusual to a news LM. A text that
    is mostly quotes (1-2% of red-team news stories) is judged on every word: wrapping spun
    paragraphs in quotation marks is no way to hide them."""
    if not len(tok_x):
        return np.zeros(0, dtype=np.int64)
    outside = np.flatnonzero(tok_x[:, _QUOTED] == 0)
    if len(outside) >= MIN_WORDS and 2 * len(outside) >= len(tok_x):
        return outside
    return np.arange(len(tok_x))


def doc_features(tok_x: np.ndarray, tok_p: np.ndarray) -> np.ndarray:
    """One row of :data:`DOC_FEATURES` for a document, from its token features and token
    probabilities (both in ``word_rows`` order), over its :func:`narration`."""
    keep = narration(tok_x)
    tok_x, tok_p = tok_x[keep], tok_p[keep]
    n = max(len(tok_p), 1)
    gain = tok_x[:, 0] if len(tok_x) else np.zeros(0)
    logp = tok_x[:, 11] if len(tok_x) else np.zeros(0)
    top = np.sort(tok_p)[::-1][: max(1, n // 10)] if len(tok_p) else np.zeros(1)
    return np.array(
        [
            float(tok_p.mean()) if len(tok_p) else 0.0,
            float((tok_p > 0.5).mean()) if len(tok_p) else 0.0,
            float((tok_p > 0.8).mean()) if len(tok_p) else 0.0,
            float(top.mean()),
            float((gain > 2).mean()) if len(gain) else 0.0,
            float((gain > 5).mean()) if len(gain) else 0.0,
            float(np.maximum(gain, 0).mean()) if len(gain) else 0.0,
            float(-np.percentile(logp, 10)) if len(logp) else 0.0,
            float((logp < -5).mean()) if len(logp) else 0.0,
            100.0 * float(tok_x[:, 6].sum()) / n if len(tok_x) else 0.0,
            float(tok_x[:, 15].mean()) if len(tok_x) else 0.0,
            float((tok_x[:, 13] < 3.5).mean()) if len(tok_x) else 0.0,
            float(np.log1p(n)),
        ],
        dtype=np.float32,
    )
