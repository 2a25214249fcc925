from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from tests.trace.conftest import ORIGINAL, RELATED, SPUN
from unspin.trace import AlignParams, TraceParams, align
from unspin.trace.overlap import copied_excerpt, ngram_overlap, shares_text
from unspin.trace.terms import terms_of
from unspin.trace.verdict import (
    FEATURES,
    MONOTONE,
    CopyModel,
    VerdictParams,
    default_substitutable,
    features,
    load_copy_model,
    rewrite_type,
)


def test_shipped_copy_model_matches_the_current_alignment() -> None:
    model = load_copy_model()
    assert len(model.coef) == len(FEATURES) and 0.0 < model.threshold < 1.0
    # fitted on the alignment trace runs by default: refit (scripts/fit_trace_verdict.py)
    # after changing AlignParams or the lexicon hook
    assert model.info["align_params"] == asdict(AlignParams())
    assert model.info["lexicon"] is TraceParams().lexicon


def test_more_alignment_never_lowers_the_shipped_models_confidence() -> None:
    # Fitted with blends but unconstrained, coverage got a negative weight, and whole copies
    # aligning 90-99% with their source fell under the threshold when most words were swapped.
    model = load_copy_model()
    rng = np.random.default_rng(0)
    for _ in range(200):
        x = rng.uniform(0.0, 1.0, len(FEATURES))
        for name in MONOTONE:
            more = x.copy()
            more[FEATURES.index(name)] += 0.5
            assert model.probability(more) >= model.probability(x), name


def test_copy_model_round_trips_and_rejects_other_features(tmp_path: Path) -> None:
    model = CopyModel((1.0,) * len(FEATURES), -2.0, 0.5, {"x": 1})
    path = tmp_path / "m.json"
    path.write_text(model.to_json())
    assert load_copy_model(path) == model
    doc = json.loads(path.read_text())
    doc["features"] = doc["features"][:-1]
    path.write_text(json.dumps(doc))
    load_copy_model.cache_clear()
    with pytest.raises(ValueError, match="features"):
        load_copy_model(path)


def test_model_separates_a_spun_copy_from_a_related_story() -> None:
    model, sub = load_copy_model(), default_substitutable(TraceParams())
    src = terms_of(ORIGINAL)
    spun = align(terms_of(SPUN), src, sub)
    related = align(terms_of(RELATED), src, sub)
    key = 0.6  # the same fingerprint score for both: the alignment must tell them apart
    assert model.probability(features(spun, key)) > model.threshold
    assert model.probability(features(related, key)) < model.threshold
    assert features(spun, key).shape == (len(FEATURES),)
    assert np.isfinite(features(align(terms_of("x"), src), 0.0)).all()


def test_rewrite_type_counts_identical_words_for_verbatim() -> None:
    sub = default_substitutable(TraceParams())
    src = terms_of(ORIGINAL)
    p = VerdictParams()
    assert rewrite_type(align(src, src, sub), p) == "verbatim"
    spun = align(terms_of(SPUN), src, sub)
    assert spun.density > spun.exact_density  # thesaurus swaps count for spun only
    assert rewrite_type(spun, p) == "spun"


def test_overlap_helpers() -> None:
    a = "one two three four five six seven eight nine ten"
    assert ngram_overlap(a, a) == 1.0 and shares_text(a, "zero " + a)
    assert ngram_overlap(a, "ten nine eight seven six five four three two one") == 0.0
    assert ngram_overlap("", a) == 0.0
    rec = {
        "original": "AAA BBB CCC",
        "alignment": [
            {"op": "keep", "orig_start": 0, "orig_end": 3},
            {"op": "delete", "orig_start": 4, "orig_end": 7},
            {"op": "substitute", "orig_start": 8, "orig_end": 11},
        ],
    }
    assert copied_excerpt(rec) == "AAA CCC"
    assert copied_excerpt({"original": "X", "alignment": None}) == "X"
