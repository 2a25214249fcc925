"""The batched candidate step and the cluster choices against the loops they replaced."""

from __future__ import annotations

import itertools

import numpy as np

from unspin.despin import lattice
from unspin.despin.api import load_restorer
from unspin.despin.decide import FEATURES, learned_pairs
from unspin.detect.evidence import gather

from .test_decide import (
    TEXTS,
    _reference_consistency,
    _reference_features,
    _reference_order,
    detector_logodds,
)


def _reference_candidates(ev, res, model, token_prob, allowed):  # type: ignore[no-untyped-def]
    """The per-site loops of the first version of ``lattice._candidates`` (one ``logit``
    call over all rows, as there: BLAS may round a row differently in another matrix)."""
    t = float(np.log(model.threshold / (1 - model.threshold)))
    sent = lattice._sentence_of(ev)
    learned = learned_pairs(res.lexicon)
    kept, blocks = [], []
    for site in ev.sites:
        if allowed is not None and not allowed[site.first : site.last].all():
            continue
        order = _reference_order(site, model.top_k)
        if model.uses_detector and token_prob is None:
            det = model.mean[FEATURES.index("detector")]
        else:
            det = detector_logodds(token_prob, site.first, site.last)
        kept.append((site, order))
        blocks.append(_reference_features(ev, site, order, learned, det))
    doc = _reference_consistency(ev, kept)
    logits_all = model.logit(np.hstack([np.concatenate(blocks), doc]))
    out, pos = [], 0
    for (site, order), block in zip(kept, blocks, strict=True):
        logits = logits_all[pos : pos + len(block)]
        pos += len(block)
        good = np.flatnonzero(logits >= t - lattice.SLACK)
        if not len(good):
            continue
        good = good[np.argsort(-logits[good], kind="stable")][: lattice.MAX_OPTIONS]
        rest = logits[good] - model.gain_weight * site.gains[order[good]] - t
        options = tuple(site.options[k] for k in order[good].tolist())
        out.append((site.first, site.last, int(sent[site.first]), options, tuple(rest.tolist())))
    return out


def test_candidates_match_the_per_site_loop() -> None:
    r = load_restorer()
    for text in TEXTS:
        ev = gather(text, r.res)
        prob = np.linspace(0.99, 0.01, len(ev.tokens))
        mask = np.arange(len(ev.tokens)) % 5 != 2
        for token_prob, allowed in ((None, None), (prob, None), (prob, mask)):
            got = lattice._candidates(ev, r.res, r.model, token_prob, allowed)
            want = _reference_candidates(ev, r.res, r.model, token_prob, allowed)
            assert want
            assert [(c.first, c.last, c.sentence, c.options, c.rest) for c in got] == want


def _reference_combos(group: list[lattice._Cand]) -> list[tuple[int, ...]]:
    out = []
    for combo in itertools.product(*[range(-1, len(c.options)) for c in group]):
        spans = sorted((c.first, c.last) for c, k in zip(group, combo, strict=True) if k >= 0)
        if all(b <= a2 for (_, b), (a2, _) in itertools.pairwise(spans)):
            out.append(combo)
    return out


def test_combos_skip_overlaps_and_start_with_keep() -> None:
    rng = np.random.default_rng(2)
    for _ in range(200):
        n = int(rng.integers(1, 5))
        spans = sorted((int(a), int(a + rng.integers(1, 3))) for a in rng.integers(0, 6, n))
        group = [lattice._Cand(a, b, 0, ("x",) * int(rng.integers(1, 4)), (0.0,)) for a, b in spans]
        got = lattice._combos(group)
        assert got == _reference_combos(group)
        assert got[0] == (-1,) * n
