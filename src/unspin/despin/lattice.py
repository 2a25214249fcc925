"""Restore without a source: decode the suspicious sites of each sentence jointly.

Every site the lexicon can map back gets up to ``top_k`` options (its best candidate
originals by LM gain) besides *keep as is*. A site whose best option is far from the
decision threshold stays as it is. Sites whose trigram windows touch (fewer than two
tokens apart, same sentence) form a *cluster*; every combination of choices in a cluster
is scored at once -- the LM log-probability of the cluster's window plus each change's
non-LM evidence -- so neighbouring choices agree ("replace war" -> "trade war"). Isolated
sites reduce to the per-site decision model.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from unspin.despin.decide import (
    FEATURES,
    DecisionModel,
    detector_logodds,
    learned_pairs,
    option_order,
    site_features,
)
from unspin.detect.evidence import Evidence, Resources
from unspin.lm.vocab import lm_form
from unspin.text import tokenize

__all__ = ["TokenEdit", "apply_edits", "decode", "match_case"]

MAX_CLUSTER = 5  # sites decoded jointly; larger clusters are split
SLACK = 2.0  # logits below the threshold still worth trying jointly
MAX_OPTIONS = 3  # per site in a cluster (best by logit)


@dataclass(frozen=True, slots=True)
class TokenEdit:
    """Replace tokens ``[first, last)`` by ``text``."""

    first: int
    last: int
    text: str
    confidence: float


@dataclass(frozen=True, slots=True)
class _Cand:
    first: int
    last: int
    sentence: int
    options: tuple[str, ...]
    rest: tuple[float, ...]  # logit minus its LM-gain part, minus the threshold logit


@lru_cache(maxsize=200_000)
def _forms(text: str) -> tuple[str, ...]:
    return tuple(lm_form(f) for f in tokenize(text).forms)


def match_case(option: str, surface: str) -> str:
    """Carry the surface's capitalisation over: "Replace" -> "Trade", "USA" kept as given."""
    if option[:1].islower() and surface[:1].isupper():
        if surface.isupper() and len(surface) > 1 and option.isascii():
            return option.upper()
        return option[:1].upper() + option[1:]
    return option


def _sentence_of(ev: Evidence) -> np.ndarray:
    out = np.full(len(ev.tokens), -1, dtype=np.int64)
    for s, (a, b) in enumerate(ev.sentences):
        out[a:b] = s
    return out


def _candidates(
    ev: Evidence,
    res: Resources,
    model: DecisionModel,
    token_prob: np.ndarray | None,
    allowed: np.ndarray | None,
) -> list[_Cand]:
    t = float(np.log(model.threshold / (1 - model.threshold)))
    gw = model.gain_weight
    sent = _sentence_of(ev)
    learned = learned_pairs(res.lexicon)
    kept, blocks = [], []
    for site in ev.sites:
        if allowed is not None and not allowed[site.first : site.last].all():
            continue
        order = option_order(site, model.top_k)
        if model.uses_detector and token_prob is None:  # neutral: the training mean
            det = model.mean[FEATURES.index("detector")]
        else:
            det = detector_logodds(token_prob, site.first, site.last)
        kept.append((site, order))
        blocks.append(site_features(ev, site, order, learned, det))
    if not kept:
        return []
    logits_all = model.logit(np.concatenate(blocks))
    out: list[_Cand] = []
    pos = 0
    for (site, order), block in zip(kept, blocks, strict=True):
        logits = logits_all[pos : pos + len(block)]
        pos += len(block)
        good = np.flatnonzero(logits >= t - SLACK)
        if not len(good):
            continue
        good = good[np.argsort(-logits[good], kind="stable")][:MAX_OPTIONS]
        rest = logits[good] - gw * site.gains[order[good]] - t
        out.append(
            _Cand(
                site.first,
                site.last,
                int(sent[site.first]),
                tuple(site.options[k] for k in order[good].tolist()),
                tuple(float(r) for r in rest),
            )
        )
    return out


def _clusters(cands: list[_Cand]) -> list[list[_Cand]]:
    cands = sorted(cands, key=lambda c: (c.first, c.last))
    groups: list[list[_Cand]] = []
    reach = -10
    for c in cands:
        g = groups[-1] if groups else None
        if g and c.sentence == g[-1].sentence and c.first < reach + 2 and len(g) < MAX_CLUSTER:
            g.append(c)
            reach = max(reach, c.last)
        else:
            groups.append([c])
            reach = c.last
    return groups


def _combos(group: list[_Cand]) -> list[tuple[int, ...]]:
    """Choice tuples (-1 = keep, else option index) without overlapping changes."""
    out = []
    for combo in itertools.product(*[range(-1, len(c.options)) for c in group]):
        spans = sorted((c.first, c.last) for c, k in zip(group, combo, strict=True) if k >= 0)
        if all(b <= a2 for (_, b), (a2, _) in itertools.pairwise(spans)):
            out.append(combo)
    return out


def decode(
    ev: Evidence,
    res: Resources,
    model: DecisionModel,
    token_prob: np.ndarray | None = None,
    allowed: np.ndarray | None = None,
) -> list[TokenEdit]:
    """The changes to make, in token order.

    ``token_prob`` (per token, optional): the spin detector's substitution probabilities,
    a feature of models fitted with them. ``allowed`` (per token, optional): only sites
    inside it may change.
    """
    cands = _candidates(ev, res, model, token_prob, allowed)
    if not cands:
        return []
    lm = res.lm
    bos, eos = lm.bos, lm.eos  # type: ignore[attr-defined]
    ids = ev.ids
    gw = model.gain_weight
    w1: list[int] = []
    w2: list[int] = []
    w3: list[int] = []
    plan: list[tuple[list[_Cand], list[tuple[int, ...]], list[tuple[int, int, int]]]] = []
    for group in _clusters(cands):
        a, b = ev.sentences[group[0].sentence]
        lo = min(c.first for c in group)
        hi = max(c.last for c in group)
        combos = _combos(group)
        segs = []
        for combo in combos:
            seq: list[int] = [bos, bos, *ids[max(a, lo - 2) : lo].tolist()][-2:]
            start = len(seq)
            changes = sorted(
                (
                    (c.first, c.last, c.options[k])
                    for c, k in zip(group, combo, strict=True)
                    if k >= 0
                )
            )
            pos = lo
            for f, la, text in changes:
                seq.extend(ids[pos:f].tolist())
                seq.extend(lm.encode(list(_forms(text))).tolist())  # type: ignore[attr-defined]
                pos = la
            seq.extend(ids[pos:hi].tolist())
            tail = ids[hi : min(hi + 2, b)].tolist()
            seq.extend(tail)
            if len(tail) < 2:
                seq.append(eos)
            s0 = len(w3)
            for q in range(start, len(seq)):
                w1.append(seq[q - 2])
                w2.append(seq[q - 1])
                w3.append(seq[q])
            segs.append((s0, len(w3), len(seq) - start))
        plan.append((group, combos, segs))
    scores = lm.logprob(  # type: ignore[attr-defined]
        np.asarray(w1, dtype=np.int32),
        np.asarray(w2, dtype=np.int32),
        np.asarray(w3, dtype=np.int32),
    )
    csum = np.concatenate([[0.0], np.cumsum(scores, dtype=np.float64)])
    edits: list[TokenEdit] = []
    for group, combos, segs in plan:
        keep = combos.index((-1,) * len(group))
        s, e, n_old = segs[keep]
        old = csum[e] - csum[s]
        deltas = [(csum[e_] - csum[s_]) * n_old / n_ - old for s_, e_, n_ in segs]
        totals = [
            gw * float(d) + sum(c.rest[k] for c, k in zip(group, combo, strict=True) if k >= 0)
            for d, combo in zip(deltas, combos, strict=True)
        ]
        best = int(np.argmax(totals))
        if best == keep or totals[best] <= 0:
            continue
        combo = combos[best]
        by_combo = {cb: i for i, cb in enumerate(combos)}
        for j, (c, k) in enumerate(zip(group, combo, strict=True)):
            if k < 0:
                continue
            without = by_combo[(*combo[:j], -1, *combo[j + 1 :])]
            margin = totals[best] - totals[without]
            surface = ev.tokens.forms[c.first]
            edits.append(
                TokenEdit(
                    c.first,
                    c.last,
                    match_case(c.options[k], surface),
                    float(1.0 / (1.0 + np.exp(-np.clip(margin, -30, 30)))),
                )
            )
    edits.sort(key=lambda x: x.first)
    return edits


def apply_edits(text: str, starts: Sequence[int], ends: Sequence[int], repl: Sequence[str]) -> str:
    """``text`` with ``text[starts[i]:ends[i]]`` replaced by ``repl[i]`` (sorted, disjoint)."""
    parts: list[str] = []
    pos = 0
    for s, e, r in zip(starts, ends, repl, strict=True):
        parts.append(text[pos:s])
        parts.append(r)
        pos = e
    parts.append(text[pos:])
    return "".join(parts)
