"""The fast triage scorer of ``scan --fast``."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from tests.conftest import RELATED_SEED, SPUN_SEED
from unspin.detect import check_text
from unspin.detect.triage import (
    FEATURES,
    RESOURCE,
    TriageModel,
    TriageScorer,
    features,
    load_triage,
)
from unspin.text import tokenize


@pytest.fixture(scope="module")
def scorer() -> TriageScorer:
    return TriageScorer()


def test_shipped_model_matches_the_features() -> None:
    m = load_triage()
    assert len(m.coef) == len(m.mean) == len(m.scale) == len(FEATURES)
    assert 0.0 < m.threshold < 1.0
    assert m.info["dev_flagged_unspun"] <= m.info["max_fpr"]  # the rule it was set by


def test_features_are_finite_and_deterministic(scorer: TriageScorer) -> None:
    toks = tokenize(SPUN_SEED.read_text())
    a, b = features(toks, scorer.lm), features(toks, scorer.lm)
    assert a.shape == (len(FEATURES),) and np.isfinite(a).all()
    assert np.array_equal(a, b)
    for text in ("", "!!! ???", "word"):  # degenerate texts still give finite rows
        assert np.isfinite(features(tokenize(text), scorer.lm)).all()


def test_seeds_and_labels(scorer: TriageScorer) -> None:
    spun = check_text(SPUN_SEED.read_text(), scorer=scorer)
    clean = check_text(RELATED_SEED.read_text(), scorer=scorer)
    assert spun.scorer == clean.scorer == "triage-v1"
    assert spun.label == "spun" and clean.label == "clean"
    assert spun.spans == [] and clean.spans == []  # a screen: no spans
    assert 0.0 <= clean.spin_probability < scorer.threshold <= spun.spin_probability <= 1.0
    short = check_text("Too short to judge.", scorer=scorer)
    assert short.label == "not_scored"


def test_probability_is_monotone_in_the_logit() -> None:
    m = load_triage()
    x = np.asarray(m.mean, dtype=float)
    j = int(np.argmax(np.abs(m.coef)))
    step = np.zeros(len(FEATURES))
    step[j] = np.sign(m.coef[j]) * m.scale[j]
    ps = [m.probability(x + k * step) for k in range(-3, 4)]
    assert all(0.0 < p < 1.0 for p in ps) and ps == sorted(ps) and ps[0] < ps[-1]


def test_round_trip() -> None:
    m = load_triage()
    doc = json.loads(m.to_json())
    assert doc["features"] == list(FEATURES)
    doc.pop("features")
    again = TriageModel(**{k: tuple(v) if isinstance(v, list) else v for k, v in doc.items()})
    assert dataclasses.asdict(again) == dataclasses.asdict(m)
    assert RESOURCE.exists()


def test_screen_confirms_with_the_detector(scorer: TriageScorer) -> None:
    import dataclasses as dc

    from unspin.detect import check_document
    from unspin.detect.triage import screen_document
    from unspin.io.document import Document

    spun = Document(id="000", text=SPUN_SEED.read_text())
    clean = Document(id="004", text=RELATED_SEED.read_text())
    a = screen_document(spun, scorer)  # triage flags it: the detector decides, with spans
    assert a.to_dict() == check_document(spun).to_dict() and a.spans
    b = screen_document(clean, scorer)  # triage clears it: the detector is not asked
    assert b.to_dict() == check_document(clean, scorer=scorer).to_dict()
    assert b.scorer == "triage-v1" and b.label == "clean"
    # a triage that flags everything: every label is the detector's, clean ones too
    eager = TriageScorer(dc.replace(scorer.model, threshold=0.0))
    c = screen_document(clean, eager)
    assert c.to_dict() == check_document(clean).to_dict() and c.label == "clean"
    # the threshold given is the detector's
    d = screen_document(spun, scorer, threshold=0.99)
    assert d.label == "clean" and d.scorer == check_document(spun).scorer
