"""The batched feature builder against the per-site loop it replaced (bit for bit)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pytest

from unspin.despin import decide
from unspin.despin.api import Restorer, load_restorer
from unspin.despin.decide import (
    FEATURES,
    SiteTable,
    detector_logodds_spans,
    feature_matrix,
    learned_pairs,
    option_rows,
    rank_in_site,
)
from unspin.detect.evidence import Evidence, Site, gather
from unspin.detect.options import phrase_zipf

from .conftest import COPY

TEXTS = (
    COPY,
    "Chinese language officials acknowledged the replace war with the usa could "
    "presumably presumably perhaps harm the economic system, the ministry acknowledged.",
    "Analysts in the usa acknowledged counterfeit consciousness and cloud computing will "
    "replace the market, the probe found.",
)


def option_order(site: Site, top_k: int, max_learned: int = 3) -> np.ndarray:
    """The options of one site a decoder considers (:func:`option_rows` of one site)."""
    return option_rows(SiteTable.of([site]), top_k, max_learned)


def site_features(
    ev: Evidence,
    site: Site,
    order: np.ndarray,
    learned: Mapping[str, Mapping[str, int]],
    detector: float = 0.0,
) -> np.ndarray:
    """:func:`feature_matrix` of one site, for its options in ``order``."""
    rows = np.asarray(order, dtype=np.int64)
    return feature_matrix(ev, SiteTable.of([site]), rows, learned, np.asarray([detector]))


def detector_logodds(token_prob: np.ndarray | None, first: int, last: int) -> float:
    """Log-odds of the highest substitution probability among tokens ``[first, last)``."""
    if token_prob is None:
        return 0.0
    span = np.asarray([first]), np.asarray([last])
    return float(detector_logodds_spans(token_prob, *span)[0])


def _reference_order(site: Site, top_k: int, max_learned: int = 3) -> np.ndarray:
    order = np.argsort(-site.gains, kind="stable")
    head = order[:top_k].tolist()
    extra = [k for k in order[top_k:].tolist() if "learned" in site.sources[k]][:max_learned]
    return np.asarray(head + extra, dtype=np.int64)


def _reference_features(
    ev: Evidence,
    site: Site,
    order: np.ndarray,
    learned: Mapping[str, Mapping[str, int]],
    detector: float,
) -> np.ndarray:
    """The per-option loop of the first version of ``site_features``."""
    tokens = ev.tokens
    surface = " ".join(tokens.lower[site.first : site.last])
    seen = learned.get(surface, {})
    top = float(site.gains.max())
    second = float(np.partition(site.gains, -2)[-2]) if len(site.gains) > 1 else top - 5.0
    logp = float(ev.logp[site.first : site.last].mean())
    zs = phrase_zipf(surface)
    sentence_start = any(a == site.first for a, _ in ev.sentences)
    cap = float(tokens.forms[site.first][:1].isupper() and not sentence_start)
    rows = []
    for rank, k in enumerate(order.tolist()):
        src, g = site.sources[k], float(site.gains[k])
        rows.append(
            (
                *(g, max(g, 0.0), logp, zs, phrase_zipf(site.options[k].lower())),
                *(float(site.hops[k]), float("learned" in src), float("pps" in src)),
                *(float("case" in src), float(site.last - site.first), cap, float(rank)),
                float(np.log1p(seen.get(site.options[k], 0))),
                g - (second if g >= top else top),
                detector,
            )
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), N_SITE)


N_SITE = FEATURES.index("occurrences")  # the columns one site decides; the rest: the document


def _reference_consistency(ev: Evidence, considered: list[tuple[Site, np.ndarray]]) -> np.ndarray:
    """The document columns by loops: for each site's option, the other sites with the same
    words, how many consider the option, where it fits best, and its mean gain there."""
    words = [" ".join(ev.tokens.lower[s.first : s.last]) for s, _ in considered]
    seen = [
        {s.options[k].lower(): (float(s.gains[k]), rank == 0) for rank, k in enumerate(o.tolist())}
        for s, o in considered
    ]
    out = []
    for i, (site, order) in enumerate(considered):
        others = [j for j in range(len(considered)) if j != i and words[j] == words[i]]
        n = len(others)
        for k in order.tolist():
            option = site.options[k].lower()
            hits = [seen[j][option] for j in others if option in seen[j]]
            out.append(
                (
                    np.log1p(n),
                    len(hits) / max(n, 1),
                    sum(best for _, best in hits) / max(n, 1),
                    sum(g for g, _ in hits) / len(hits) if hits else 0.0,
                )
            )
    return np.asarray(out, dtype=np.float64).reshape(len(out), len(FEATURES) - N_SITE)


@pytest.fixture(scope="module")
def restorer() -> Restorer:
    return load_restorer()


@pytest.fixture(scope="module")
def evidence(restorer: Restorer) -> list[Evidence]:
    return [gather(t, restorer.res) for t in TEXTS]


def test_batch_rows_match_the_per_site_loop(restorer: Restorer, evidence: list[Evidence]) -> None:
    learned = learned_pairs(restorer.res.lexicon)
    repeated = 0.0
    for ev in evidence:
        assert ev.sites
        table = SiteTable.of(ev.sites)
        rows = option_rows(table, restorer.model.top_k)
        prob = np.linspace(0.01, 0.99, len(ev.tokens))
        det = detector_logodds_spans(prob, table.first, table.last)
        x = feature_matrix(ev, table, rows, learned, det)
        want, considered = [], []
        for i, site in enumerate(ev.sites):
            order = _reference_order(site, restorer.model.top_k)
            assert option_order(site, restorer.model.top_k).tolist() == order.tolist()
            assert detector_logodds(prob, site.first, site.last) == det[i]
            one = _reference_features(ev, site, order, learned, float(det[i]))
            alone = site_features(ev, site, order, learned, float(det[i]))
            assert np.array_equal(alone[:, :N_SITE], one)
            assert not alone[:, N_SITE:].any()  # a site alone: no other occurrences
            want.append(one)
            considered.append((site, order))
        assert np.array_equal(x[:, :N_SITE], np.concatenate(want))
        doc = _reference_consistency(ev, considered)
        assert np.allclose(x[:, N_SITE:], doc, rtol=1e-12, atol=1e-12)
        repeated = max(repeated, float(doc[:, 0].max()))
    assert repeated > 0  # the texts repeat words ("acknowledged", "replace")


def _site(gains: list[float], learned: set[int]) -> Site:
    n = len(gains)
    return Site(
        0,
        1,
        tuple(f"o{k}" for k in range(n)),
        tuple(frozenset({"learned"} if k in learned else {"moby"}) for k in range(n)),
        (1,) * n,
        np.asarray(gains, dtype=np.float32),
    )


def test_option_rows_ties_signed_zeros_and_learned_extras() -> None:
    rng = np.random.default_rng(0)
    values = [0.0, -0.0, 1.5, -1.5, 2.0, -3.0, np.inf, -np.inf, 1e-30, -1e-30]
    sites = [
        _site(
            rng.choice(values, size=int(rng.integers(1, 12))).tolist(),
            set(rng.choice(12, size=5).tolist()),
        )
        for _ in range(200)
    ]
    table = SiteTable.of(sites)
    for top_k in (1, 2, 4):
        got = option_rows(table, top_k)
        want = [table.start[i] + _reference_order(s, top_k) for i, s in enumerate(sites)]
        assert got.tolist() == np.concatenate(want).tolist()


def test_span_mean_is_numpy_mean() -> None:
    rng = np.random.default_rng(1)
    values = (rng.standard_normal(200) * 100).astype(np.float32)
    first = rng.integers(0, 190, size=500)
    last = first + rng.integers(1, 8, size=500)
    got = decide._span_mean(values, first, last)
    want = [values[a:b].mean() for a, b in zip(first, last, strict=True)]
    assert got.dtype == np.float32 and got.tolist() == want


def test_route_bits() -> None:
    sources = ({"moby"}, {"learned", "pps"}, {"case"}, {"case", "learned", "wordnet"})
    site = Site(
        0,
        1,
        ("a", "b", "c", "d"),
        tuple(map(frozenset, sources)),
        (1, 2, 1, 3),
        np.zeros(4, dtype=np.float32),
    )
    table = SiteTable.of([site])
    want = [sum(1 << i for i, r in enumerate(decide.ROUTES) if r in s) for s in sources]
    assert table.routes.tolist() == want and table.hops.tolist() == [1, 2, 1, 3]


def test_rank_in_site() -> None:
    assert rank_in_site(np.asarray([0, 0, 0, 2, 5, 5])).tolist() == [0, 1, 2, 0, 0, 1]
    assert rank_in_site(np.zeros(0, dtype=np.int64)).tolist() == []


def test_empty_order_gives_no_rows(restorer: Restorer, evidence: list[Evidence]) -> None:
    ev = evidence[0]
    x = site_features(ev, ev.sites[0], np.zeros(0, dtype=np.int64), {}, 0.0)
    assert x.shape == (0, len(FEATURES))


def test_sites_without_options_give_no_rows(evidence: list[Evidence]) -> None:
    ev = evidence[0]
    empty = Site(0, 1, (), (), (), np.zeros(0, dtype=np.float32))
    table = SiteTable.of([ev.sites[0], empty, ev.sites[1], empty])
    rows = option_rows(table, 4)
    assert set(table.site[rows].tolist()) == {0, 2}
    x = feature_matrix(ev, table, rows, {}, np.zeros(4))
    want = [site_features(ev, s, option_order(s, 4), {}, 0.0) for s in ev.sites[:2]]
    assert np.array_equal(x, np.concatenate(want))
