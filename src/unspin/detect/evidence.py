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

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np

from unspin.lm.vocab import lm_form
from unspin.text import Tokens, sentence_bounds, tokenize

__all__ = ["Evidence", "Resources", "Site", "gather", "load_resources"]

MAX_OPTIONS = 16  # candidates scored per site (learned and tortured-phrase pairs always kept)
MAX_PHRASE = 4  # longest surface looked up, in tokens
# A word this many nats below the document's median log-prob is suspicious enough to look
# further: second-hop synonyms, ranked by how well they fit between its two neighbours
# (how "replace talks" finds "trade talks": trade and replace are WordNet siblings).
SUSPICIOUS = -3.0
CONTEXT_OPTIONS = 6
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
    sites: list[Site] = field(default_factory=list)


@dataclass(frozen=True)
class Resources:
    lexicon: _Lexicon
    lm: object  # unspin.lm.LanguageModel (kept loose to avoid an import cycle in typing)
    phrase_starts: frozenset[str]

    def options(self, key: str) -> tuple[tuple[str, frozenset[str], int], ...]:
        return _options(self, key)

    def context_options(
        self,
        key: str,
        prev_id: int,
        next_id: int,
        have: tuple[tuple[str, frozenset[str], int], ...],
    ) -> tuple[tuple[str, frozenset[str], int], ...]:
        """Second-hop single-word candidates of ``key`` that best fit between the ids
        ``prev_id`` and ``next_id`` (bigram scores, vectorised), minus those in ``have``."""
        texts, sources, ids = _hop2(self, key)
        if not texts:
            return ()
        lm = self.lm
        n = len(ids)
        fit = lm.bigram_logprob(np.full(n, prev_id), ids)  # type: ignore[attr-defined]
        fit = fit + lm.bigram_logprob(ids, np.full(n, next_id))  # type: ignore[attr-defined]
        seen = {h[0].lower() for h in have}
        out: list[tuple[str, frozenset[str], int]] = []
        for j in np.argsort(-fit, kind="stable"):
            if texts[j].lower() not in seen:
                out.append((texts[j], sources[j], 2))
                if len(out) >= CONTEXT_OPTIONS:
                    break
        return tuple(out)

    def is_phrase(self, key: str) -> bool:
        """A multi-word surface the lexicon knows as such (not just any n-gram)."""
        return key in self.lexicon  # type: ignore[operator]


@lru_cache(maxsize=1)
def load_resources() -> Resources:
    """The shipped lexicon and language model (cached)."""
    from unspin.lexicon import load_lexicon
    from unspin.lm import load_lm

    lex = load_lexicon()
    return Resources(lex, load_lm(), _phrase_starts(lex))


def _phrase_starts(lex: object) -> frozenset[str]:
    tables = getattr(lex, "tables", None)
    keys: Sequence[str] = getattr(tables, "keys", []) if tables is not None else []
    return frozenset(k.split(" ", 1)[0] for k in keys if " " in k)


_OPTION_CACHE: dict[tuple[int, str], tuple[tuple[str, frozenset[str], int], ...]] = {}


def _options(res: Resources, key: str) -> tuple[tuple[str, frozenset[str], int], ...]:
    """The candidate originals of ``key`` worth scoring: learned and tortured-phrase pairs
    always, then the most frequent words (originals are plain news words; spinners pick
    rarer ones), never an option the language model does not know."""
    ck = (id(res), key)
    hit = _OPTION_CACHE.get(ck)
    if hit is not None:
        return hit
    lm = res.lm
    unk = lm.unk  # type: ignore[attr-defined]
    n_key = key.count(" ") + 1
    cands = [
        c
        for c in res.lexicon.candidates(key, max_hops=1)
        if c.text.lower() != key
        and len(_option_forms(c.text)) <= _max_option_len(n_key, c.sources)
        and unk not in lm.encode(list(_option_forms(c.text)))  # type: ignore[attr-defined]
    ]
    keep = [c for c in cands if c.sources & {"learned", "pps"}]
    rest = sorted(
        (c for c in cands if not c.sources & {"learned", "pps"}),
        key=lambda c: -_phrase_zipf(c.text),
    )
    chosen = (keep + rest)[: max(MAX_OPTIONS, len(keep))]
    out = tuple((c.text, c.sources, c.hops) for c in chosen)
    if len(_OPTION_CACHE) > 500_000:
        _OPTION_CACHE.clear()
    _OPTION_CACHE[ck] = out
    return out


def _max_option_len(n_key: int, sources: frozenset[str]) -> int:
    """Spinners mostly swap a word for a word or pad a word into a phrase ("Chinese" ->
    "Chinese language"); an original much longer than its spun form is rare, and long
    idioms would otherwise win on their predictable inner words. Trusted pairs (learned,
    tortured phrases, case repairs such as "usa" -> "United States") may be longer."""
    if sources & {"learned", "pps", "case"}:
        return n_key + 3
    return n_key if n_key == 1 else n_key + 1


_HOP2_CACHE: dict[tuple[int, str], tuple[list[str], list[frozenset[str]], np.ndarray]] = {}


def _hop2(res: Resources, key: str) -> tuple[list[str], list[frozenset[str]], np.ndarray]:
    """Single-word, LM-known second-hop candidates of ``key`` and their LM ids (cached)."""
    ck = (id(res), key)
    hit = _HOP2_CACHE.get(ck)
    if hit is not None:
        return hit
    lm = res.lm
    texts: list[str] = []
    sources: list[frozenset[str]] = []
    idl: list[int] = []
    for c in res.lexicon.candidates(key, max_hops=2):
        forms = _option_forms(c.text)
        if len(forms) != 1 or c.text.lower() == key:
            continue
        wid = int(lm.encode(list(forms))[0])  # type: ignore[attr-defined]
        if wid == lm.unk:  # type: ignore[attr-defined]
            continue
        texts.append(c.text)
        sources.append(c.sources)
        idl.append(wid)
    out = (texts, sources, np.asarray(idl, dtype=np.int32))
    if len(_HOP2_CACHE) > 100_000:
        _HOP2_CACHE.clear()
    _HOP2_CACHE[ck] = out
    return out


@lru_cache(maxsize=300_000)
def _phrase_zipf(text: str) -> float:
    """wordfreq Zipf frequency of a word, or of the rarest word of a phrase."""
    from wordfreq import zipf_frequency

    words = text.split()
    return min(float(zipf_frequency(w, "en")) for w in words) if words else 0.0


@lru_cache(maxsize=200_000)
def _option_forms(text: str) -> tuple[str, ...]:
    return tuple(lm_form(f) for f in tokenize(text).forms)


def gather(text: str | Tokens, res: Resources | None = None) -> Evidence:
    """Tokenise ``text`` and collect the substitution evidence of every site."""
    res = res or load_resources()
    lm = res.lm
    tokens = text if isinstance(text, Tokens) else tokenize(text)
    sentences = sentence_bounds(tokens)
    lower = tokens.lower
    is_word = tokens.is_word
    ids = lm.encode([lm_form(f) for f in tokens.forms])  # type: ignore[attr-defined]
    bos, eos = lm.bos, lm.eos  # type: ignore[attr-defined]

    # Padded id sequence per sentence: [bos, bos, t_a .. t_{b-1}, eos]
    w1: list[int] = []
    w2: list[int] = []
    w3: list[int] = []
    base_pos: list[int] = []  # where each sentence's padded sequence starts in w-arrays
    seqs: list[list[int]] = []
    for a, b in sentences:
        seq = [bos, bos, *ids[a:b].tolist(), eos]
        seqs.append(seq)
        base_pos.append(len(w3))
        w1.extend(seq[:-2])
        w2.extend(seq[1:-1])
        w3.extend(seq[2:])
    n_base = len(w3)
    base_scores = (
        lm.logprob(  # type: ignore[attr-defined]
            np.asarray(w1, dtype=np.int32),
            np.asarray(w2, dtype=np.int32),
            np.asarray(w3, dtype=np.int32),
        )
        if w3
        else np.zeros(0, dtype=np.float32)
    )
    logp = np.zeros(len(tokens), dtype=np.float32)
    for s_idx, (a, b) in enumerate(sentences):
        logp[a:b] = base_scores[base_pos[s_idx] : base_pos[s_idx] + (b - a)]
    words_logp = logp[is_word]
    suspicious_below = (float(np.median(words_logp)) if len(words_logp) else 0.0) + SUSPICIOUS

    # Candidate sites and the trigram terms of each (option, as-is) window.
    site_meta: list[tuple[int, int, tuple[tuple[str, frozenset[str], int], ...]]] = []
    seg_old: list[tuple[int, int]] = []  # (start, end) of the as-is terms, per site
    seg_new: list[list[tuple[int, int]]] = []  # (start, end) of each option's terms, per site
    max_len = min(MAX_PHRASE, max(1, int(getattr(res.lexicon, "max_phrase_len", 1))))
    for s_idx, (a, b) in enumerate(sentences):
        seq = seqs[s_idx]
        for i in range(a, b):
            if not is_word[i]:
                continue
            for k in range(1, max_len + 1):
                j = i + k
                if j > b or not is_word[j - 1]:
                    break
                if k > 2 and lower[i] not in res.phrase_starts:
                    break
                key = lower[i] if k == 1 else " ".join(lower[i:j])
                p = 2 + (i - a)  # position of token i in the padded sequence
                if k > 1 and not res.is_phrase(key):
                    if k == 2 and float(logp[i + 1 : min(i + 3, b)].min()) < suspicious_below:
                        # padding ("Chinese" -> "Chinese language"): drop the odd word
                        opts = ((tokens.forms[i], _PART, 1),)
                    else:
                        continue
                else:
                    opts = res.options(key)
                if k == 1 and logp[i] < suspicious_below:
                    opts = opts + res.context_options(key, seq[p - 1], seq[p + 1], opts)
                if not opts:
                    continue
                end_old = min(p + k + 2, len(seq))
                seg_old.append((base_pos[s_idx] + p - 2, base_pos[s_idx] + end_old - 2))
                site_meta.append((i, j, opts))
                segs: list[tuple[int, int]] = []
                for text_, _, _ in opts:
                    new_ids = lm.encode(list(_option_forms(text_)))  # type: ignore[attr-defined]
                    new = [*seq[:p], *new_ids.tolist(), *seq[p + k :]]
                    start = len(w3)
                    for q in range(p, min(p + len(new_ids) + 2, len(new))):
                        w1.append(new[q - 2])
                        w2.append(new[q - 1])
                        w3.append(new[q])
                    segs.append((start, len(w3)))
                seg_new.append(segs)

    extra = (
        lm.logprob(  # type: ignore[attr-defined]
            np.asarray(w1[n_base:], dtype=np.int32),
            np.asarray(w2[n_base:], dtype=np.int32),
            np.asarray(w3[n_base:], dtype=np.int32),
        )
        if len(w3) > n_base
        else np.zeros(0, dtype=np.float32)
    )
    csum = np.concatenate(
        [[0.0], np.cumsum(np.concatenate([base_scores, extra]), dtype=np.float64)]
    )

    sites: list[Site] = []
    for (i, j, opts), (o_start, o_end), segs in zip(site_meta, seg_old, seg_new, strict=True):
        n_old = o_end - o_start
        old = csum[o_end] - csum[o_start]
        gains = np.array(
            [(csum[e] - csum[st]) * n_old / (e - st) - old for st, e in segs],
            dtype=np.float32,
        )
        sites.append(
            Site(
                first=i,
                last=j,
                options=tuple(o[0] for o in opts),
                sources=tuple(o[1] for o in opts),
                hops=tuple(o[2] for o in opts),
                gains=gains,
            )
        )
    return Evidence(tokens, sentences, logp, ids, sites)
