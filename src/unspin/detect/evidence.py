"""Substitution evidence: for every place a spinner may have swapped a word or phrase, the
candidate originals and how much better each fits its context than the text as it is.

This is the one place where the lexicon (which originals could have become this surface?)
meets the language model (which fits the context?). Detect turns the evidence into
probabilities; restore decodes it into text.

For a *site* (tokens ``[first, last)`` of one sentence) and a candidate original ``c`` of
``m`` tokens, the *gain* is

    log P(sentence with c in place) - log P(sentence as is)

under the trigram model; only the terms whose context window touches the site differ, so
it is computed from the ``m + 2`` (resp. ``k + 2`` for a site of ``k`` tokens) affected
terms. When the lengths differ the option's terms are averaged and scaled to the site's
number of terms, so that neither shorter nor longer options win by length alone. All terms
of a document are scored in a single vectorised call.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from unspin.detect.options import (
    TABLE,
    Choices,
    OptionSource,
    OptionTable,
    fingerprint,
    load_table,
)
from unspin.lexicon.learned import LearnedStore, default_store_path, read_shipped
from unspin.lm.vocab import lm_form
from unspin.text import Tokens, sentence_bounds, tokenize

__all__ = ["Evidence", "Resources", "Site", "gather", "load_resources"]

MAX_PHRASE = 4  # longest surface looked up, in tokens
# A word this many nats below the document's median log-prob is suspicious enough to look
# further: second-hop synonyms, ranked by how well they fit between its two neighbours
# (how "replace talks" finds "trade talks": trade and replace are WordNet siblings).
SUSPICIOUS = -3.0
_PART = frozenset({"part"})


class _Lexicon(Protocol):
    max_phrase_len: int

    def candidates(self, surface: str, max_hops: int = 2) -> list: ...  # type: ignore[type-arg]


@dataclass(frozen=True, slots=True)
class Site:
    """A token span that may be a substitution, with candidate originals and their gains."""

    first: int  # token index, inclusive
    last: int  # token index, exclusive
    options: tuple[str, ...]
    sources: tuple[frozenset[str], ...]
    hops: tuple[int, ...]
    gains: np.ndarray  # float32, one per option (nats; > 0: the option fits better)

    @property
    def best(self) -> int:
        return int(np.argmax(self.gains))

    @property
    def best_gain(self) -> float:
        return float(self.gains[self.best])


@dataclass(slots=True)
class Evidence:
    """Per-document evidence: tokens, sentences, per-token log-probs and the sites."""

    tokens: Tokens
    sentences: list[tuple[int, int]]
    logp: np.ndarray  # float32 log P of each token in context (as is)
    ids: np.ndarray  # int32 LM ids of each token
    sites: list[Site]
    # Per site: its best option (first of the highest gain) and that gain; per token: the
    # site starting there whose best gain is highest (the first such), -1 for none.
    site_best: np.ndarray  # int64
    site_gain: np.ndarray  # float32
    lead: np.ndarray  # int64


@dataclass(frozen=True)
class Resources:
    """The lexicon and language model, and detection's bounded caches over them."""

    lexicon: _Lexicon
    lm: object  # unspin.lm.LanguageModel (kept loose to avoid an import cycle in typing)
    table: OptionTable | None = field(default=None, repr=False, compare=False)
    source: OptionSource = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", OptionSource(self.lexicon, self.lm, self.table))

    def is_phrase(self, key: str) -> bool:
        """A multi-word lookup key the lexicon knows as such (not just any n-gram)."""
        return key in self.phrases or key in self.lexicon.learned  # type: ignore[attr-defined]

    @cached_property
    def phrases(self) -> frozenset[str]:
        """The multi-word keys of the lexicon's tables."""
        tables = getattr(self.lexicon, "tables", None)
        return frozenset(k for k in getattr(tables, "keys", ()) if " " in k)

    @cached_property
    def phrase_starts(self) -> frozenset[str]:
        """First words of the multi-word keys, of the tables and of learned pairs."""
        learned = self.lexicon.learned  # type: ignore[attr-defined]
        return frozenset(k.split(" ", 1)[0] for k in (*self.phrases, *learned) if " " in k)


@lru_cache(maxsize=1)
def load_resources() -> Resources:
    """The shipped lexicon, language model and option table (cached)."""
    from unspin.lexicon import load_lexicon
    from unspin.lexicon.lexicon import RESOURCE
    from unspin.lm import DEFAULT_PATH, load_lm

    lex = load_lexicon()
    table = load_table()
    if table is not None and table.fingerprint != fingerprint(RESOURCE, Path(DEFAULT_PATH)):
        warnings.warn(
            f"{TABLE} was built from other resources; ranking options on the fly "
            "(slower): run `make resources`",
            stacklevel=2,
        )
        table = None
    return Resources(lex, load_lm(), table)


_LEARNED: dict[tuple[int, int, int, str, tuple[int, int]], Resources] = {}


def with_learned(res: Resources, store: Path | None = None) -> Resources:
    """Resources whose lexicon also knows the shipped and the user's learned pairs.

    The shared lexicon is left alone, so detection never depends on whether restore ran in
    the same process: the pairs go into a separate lexicon over the same tables, built once
    per (lexicon, store and its state) and kept for the process."""
    base = res.lexicon
    path = store if store is not None else default_store_path()
    try:  # the store's state is part of the key: pairs learned since must be seen
        st = path.stat()
        state: tuple[int, int] = (st.st_mtime_ns, st.st_size)
    except OSError:
        state = (0, 0)
    ck = (id(base), id(res.lm), id(res.table), str(path), state)
    hit = _LEARNED.get(ck)
    if hit is None:  # one per state: its option caches stay warm
        hit = with_pairs(res, [*read_shipped(), *_read_store(path)])
        if len(_LEARNED) >= 4:  # old states of a store that keeps learning
            _LEARNED.clear()
        _LEARNED[ck] = hit
    return hit


def with_pairs(res: Resources, pairs: Iterable[tuple[str, str, int]]) -> Resources:
    """``res`` with a lexicon over the same tables that also knows ``pairs`` (spun,
    original, count); ``res`` itself is left alone."""
    lex = type(res.lexicon)(res.lexicon.tables)  # type: ignore[call-arg, attr-defined]
    for spun, original, count in pairs:
        lex.add_learned(spun, original, count)
    return replace(res, lexicon=lex)


def _read_store(path: Path) -> list[tuple[str, str, int]]:
    if not path.exists():
        return []
    with LearnedStore(path, readonly=True) as st:
        return list(st)


_LAST: tuple[str, Resources, Evidence] | None = None


def gather(text: str | Tokens, res: Resources | None = None) -> Evidence:
    """Tokenise ``text`` and collect the substitution evidence of every site.

    The evidence of the last text is kept (per resources): a scan asks for it twice for a
    document labelled spun, to detect and then to restore it. Evidence is never changed
    after it is made, so the same object may be handed out again."""
    global _LAST
    res = res or load_resources()
    key = text.source if isinstance(text, Tokens) else text
    last = _LAST
    if last is not None and last[1] is res and last[0] == key:
        return last[2]
    ev = _gather(text, res)
    _LAST = (key, res, ev)
    return ev


def _gather(text: str | Tokens, res: Resources) -> Evidence:
    lm = res.lm
    tokens = text if isinstance(text, Tokens) else tokenize(text)
    sentences = sentence_bounds(tokens)
    lower = tokens.lower
    is_word = tokens.is_word
    ids = lm.encode([lm_form(f) for f in tokens.forms])  # type: ignore[attr-defined]
    bos, eos = lm.bos, lm.eos  # type: ignore[attr-defined]

    # All sentences, padded, in one array: [bos, bos, t_a .. t_{b-1}, eos] each; token i of
    # sentence s sits at seq_at[s] + 2 + (i - a). Term q (q >= 2) of a sentence scores
    # padded[q] given the two before it.
    lens = np.asarray([b - a + 3 for a, b in sentences], dtype=np.int64)
    seq_at = np.concatenate([[0], np.cumsum(lens)[:-1]]) if len(lens) else lens
    padded = np.full(int(lens.sum()), bos, dtype=np.int64)
    for (a, b), at in zip(sentences, seq_at.tolist(), strict=True):
        padded[at + 2 : at + 2 + b - a] = ids[a:b]
        padded[at + 2 + b - a] = eos
    q = np.flatnonzero(_term_mask(lens, seq_at, len(padded)))
    scores = np.zeros(len(padded), dtype=np.float64)  # score of the term ending at q
    if q.size:
        scores[q] = lm.logprob(padded[q - 2], padded[q - 1], padded[q])  # type: ignore[attr-defined]
    logp = np.zeros(len(tokens), dtype=np.float32)
    for (a, b), at in zip(sentences, seq_at.tolist(), strict=True):
        logp[a:b] = scores[at + 2 : at + 2 + b - a]
    csum = np.concatenate([[0.0], np.cumsum(scores)])
    words_logp = logp[is_word]
    suspicious_below = (float(np.median(words_logp)) if len(words_logp) else 0.0) + SUSPICIOUS

    # Candidate sites (Python: lexicon look-ups), then every option scored at once.
    source = res.source
    # min log-prob of the (up to) two tokens after each one, inside its sentence
    nxt2 = np.full(len(tokens) + 2, np.inf, dtype=np.float32)
    nxt2[: len(tokens)] = logp
    after = np.minimum(nxt2[1 : len(tokens) + 1], nxt2[2 : len(tokens) + 2])
    for a, b in sentences:
        if b - a >= 2:
            after[b - 2] = logp[b - 1]
    metas: list[tuple[int, int, int, int, int]] = []  # first, last, p, k, sentence end
    choices: list[Choices] = []
    requests: list[tuple[str, int, int, tuple[str, ...]]] = []
    asks: list[int] = []  # the site of each request
    max_len = min(MAX_PHRASE, max(1, int(getattr(res.lexicon, "max_phrase_len", 1))))
    phrase_starts = res.phrase_starts
    word_list = is_word.tolist()
    low_logp = (logp < suspicious_below).tolist()
    low_after = (after < suspicious_below).tolist()
    hop1: dict[str, Choices] = {}  # this document's words: one cache look-up each
    for (a, b), at in zip(sentences, seq_at.tolist(), strict=True):
        end = at + 3 + b - a
        for i in range(a, b):
            if not word_list[i]:
                continue
            p = at + 2 + (i - a)
            word = lower[i]
            ch = hop1.get(word)
            if ch is None:
                ch = hop1[word] = source.first_hop(word)
            if low_logp[i]:
                requests.append((word, int(padded[p - 1]), int(padded[p + 1]), ch.texts))
                asks.append(len(metas))
                metas.append((i, i + 1, p, 1, end))
                choices.append(ch)
            elif len(ch):
                metas.append((i, i + 1, p, 1, end))
                choices.append(ch)
            if max_len < 2 or i + 2 > b or not word_list[i + 1]:
                continue
            # Multi-word sites: phrases the lexicon knows (all start with one of
            # phrase_starts), and padding ("Chinese" -> "Chinese language": drop the odd
            # word) where the two words after this one fit badly. Spinners pad with the
            # common words of their phrase synonyms, never with a name ("conference
            # Monday", "Neibergall AP"): a capitalised word is not dropped.
            starts = word in phrase_starts
            for k in range(2, max_len + 1):
                j = i + k
                if j > b or not word_list[j - 1] or (k > 2 and not starts):
                    break
                key = " ".join(lower[i:j]) if starts else ""
                if starts and res.is_phrase(key):
                    ch = source.first_hop(key)
                    if not len(ch):
                        continue
                elif k == 2 and low_after[i] and not tokens.forms[i + 1][0].isupper():
                    ch = _padding(tokens.forms[i], int(ids[i]))
                else:
                    continue
                metas.append((i, j, p, k, end))
                choices.append(ch)
    for s_idx, extra in zip(asks, source.in_context(requests), strict=True):
        choices[s_idx] = choices[s_idx] + extra
    keep = [n for n, ch in enumerate(choices) if len(ch)]
    metas = [metas[n] for n in keep]
    choices = [choices[n] for n in keep]
    counts = np.fromiter(map(len, choices), dtype=np.int64, count=len(choices))
    gains = _option_gains(padded, csum, lm, metas, choices, counts)
    sites: list[Site] = []
    pos = 0
    for (i, j, _, _, _), ch in zip(metas, choices, strict=True):
        n = len(ch)
        sites.append(Site(i, j, ch.texts, ch.sources, ch.hops, gains[pos : pos + n]))
        pos += n
    at = _first_max(gains, counts)
    site_best = at - (np.cumsum(counts) - counts)
    site_gain = gains[at]
    firsts = np.fromiter((m[0] for m in metas), dtype=np.int64, count=len(metas))
    lead = np.full(len(tokens), -1, dtype=np.int64)
    if len(firsts):  # sites come in token order: one group per first token
        new_group = np.flatnonzero(np.diff(firsts, prepend=-1))
        sizes = np.diff(np.append(new_group, len(firsts)))
        lead[firsts[new_group]] = _first_max(site_gain, sizes)
    return Evidence(tokens, sentences, logp, ids, sites, site_best, site_gain, lead)


def _first_max(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Index (into ``values``) of the first largest value of each consecutive segment of
    ``sizes`` (all > 0) elements, as ``np.argmax`` picks it."""
    if not len(sizes):
        return np.zeros(0, dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    top = np.maximum.reduceat(values, starts)
    hit = np.flatnonzero(values == np.repeat(top, sizes))
    seg = np.repeat(np.arange(len(sizes)), sizes)[hit]
    _, first = np.unique(seg, return_index=True)
    return hit[first]


@lru_cache(maxsize=50_000)
def _padding(form: str, lm_id: int) -> Choices:
    """The one option of a padded site: the first word alone."""
    ids = np.asarray([lm_id], dtype=np.int64)
    return Choices((form,), (_PART,), (1,), ids, np.ones(1, dtype=np.int64))


def _term_mask(lens: np.ndarray, seq_at: np.ndarray, total: int) -> np.ndarray:
    """True at the padded positions that end a scored term (all but the two bos)."""
    mask = np.ones(total, dtype=bool)
    mask[seq_at] = False
    mask[seq_at + 1] = False
    return mask


def _option_gains(
    padded: np.ndarray,
    csum: np.ndarray,
    lm: object,
    metas: list[tuple[int, int, int, int, int]],
    choices: list[Choices],
    per_site: np.ndarray,
) -> np.ndarray:
    """Gain of every option (see the module doc), from one LM call over all their terms.

    Option ``o`` replaces the ``k`` tokens at padded position ``p`` by its ``m`` ids; the
    terms that change end at ``p .. p + m + 1`` of the new sequence (those before its
    end), against the as-is terms ending at ``p .. p + k + 1``.
    """
    if not choices:
        return np.zeros(0, dtype=np.float32)
    site_arr = np.asarray([(p, k, end) for _, _, p, k, end in metas], dtype=np.int64)
    p, k, end = (np.repeat(site_arr[:, c], per_site) for c in range(3))  # end: past eos
    m = np.concatenate([ch.lens for ch in choices])
    flat = np.concatenate([ch.ids for ch in choices])
    o_at = np.cumsum(m) - m
    # Terms per option: positions p .. min(p + m + 2, new end) - 1.
    new_end = end - k + m
    n_new = np.minimum(p + m + 2, new_end) - p
    o_of = np.repeat(np.arange(len(m)), n_new)
    qpos = p[o_of] + np.arange(int(n_new.sum())) - np.repeat(np.cumsum(n_new) - n_new, n_new)
    pp, kk, mm = p[o_of], k[o_of], m[o_of]

    def at(r: np.ndarray) -> np.ndarray:
        """The id at position ``r`` of each term's option-substituted sequence."""
        out = padded[np.where(r < pp, r, r - mm + kk)]
        idx = np.flatnonzero((r >= pp) & (r < pp + mm))
        out[idx] = flat[o_at[o_of[idx]] + r[idx] - pp[idx]]
        return out

    term = lm.logprob(at(qpos - 2), at(qpos - 1), at(qpos))  # type: ignore[attr-defined]
    new_sum = np.bincount(o_of, weights=term, minlength=len(m))
    n_old = np.minimum(p + k + 2, end) - p
    old = csum[p + n_old] - csum[p]
    return (new_sum * n_old / np.maximum(n_new, 1) - old).astype(np.float32)
