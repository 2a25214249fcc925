"""Unit tests of the benchmark-only baselines (no corpus data needed)."""

from __future__ import annotations

import numpy as np
import pytest
from bench.baselines.common import threshold_at_fpr
from bench.detect import f1, gold_spans, subsample, word_labels


def test_threshold_allows_at_most_the_given_share_of_negatives() -> None:
    neg = np.arange(200, dtype=float)  # 0..199
    t = threshold_at_fpr(neg, 0.01)
    assert (neg > t).sum() == 2  # floor(0.01 * 200)
    assert threshold_at_fpr(neg, 0.0) == 199.0
    assert (neg > threshold_at_fpr(neg[:50], 0.01)).sum() >= 150  # 0 of 50 above


def test_pps_hits_cover_whole_tokens_only() -> None:
    pytest.importorskip("ahocorasick")
    from bench.baselines.pps import TorturedPhraseScorer

    sc = TorturedPhraseScorer(["counterfeit consciousness", "bosom peril"])
    text = "Counterfeit consciousness helps. Bosom perils differ; bosom peril, again."
    spans = [text[a:b] for a, b in sc.spans(text)]
    assert spans == ["Counterfeit consciousness", "bosom peril"]
    n_words = 9
    assert sc.score(text) == pytest.approx(100 * 2 / n_words)
    assert sc.score("Nothing to see here.") == 0.0


def test_word_labels_mark_tokens_overlapping_spans() -> None:
    text = "The usa said trade talks resume."
    rec = {"alignment": [{"op": "substitute", "spun_start": 4, "spun_end": 7}]}
    word, inside = word_labels(text, gold_spans(rec))
    assert word.sum() == 6
    assert inside.tolist() == [False, True, False, False, False, False, False]


def test_f1_and_subsample() -> None:
    assert f1(0, 3, 4) == 0.0
    assert f1(5, 0, 0) == 1.0
    recs = [{"id": str(i), "label": "spun" if i % 4 else "clean"} for i in range(100)]
    sub = subsample(recs, 40)
    assert len(sub) == 40
    assert sum(r["label"] == "clean" for r in sub) == 10
    assert subsample(recs, 40) == sub


def test_calibration_bins_ece_brier() -> None:
    import numpy as np
    from bench.detect import calibration

    y = np.array([0, 0, 1, 1, 1, 0])
    p = np.array([0.05, 0.15, 0.95, 0.85, np.nan, 0.5])  # nan: not scored, left out
    rows, ece, brier, n = calibration(y, p)
    assert n == 5
    filled = [(lo, k, mp, obs) for lo, _, k, mp, obs in rows if k]
    assert filled == [
        (0.0, 1, 0.05, 0.0),
        (0.1, 1, 0.15, 0.0),
        (0.5, 1, 0.5, 0.0),
        (0.8, 1, 0.85, 1.0),
        (0.9, 1, 0.95, 1.0),
    ]
    assert ece == pytest.approx((0.05 + 0.15 + 0.5 + 0.15 + 0.05) / 5)
    assert brier == pytest.approx(0.3 / 5)
    # a perfect score: no gap, no error; p = 1.0 falls in the last bin
    rows, ece, brier, _ = calibration(np.array([0, 1]), np.array([0.0, 1.0]))
    assert ece == 0 and brier == 0 and rows[-1][2] == 1
