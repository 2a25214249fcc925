"""Checks of the shipped model on held-out text (skipped without ../shared or the model)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from unspin.corpora import shared_dir
from unspin.lm import DEFAULT_PATH, lm_sentences, load_lm

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(shared_dir() is None, reason="../shared data not available"),
    pytest.mark.skipif(not (DEFAULT_PATH / "meta.json").exists(), reason="shipped LM not built"),
]


def test_context_helps_on_held_out_news() -> None:
    from unspin.corpora import isot

    lm = load_lm()
    sentences = [s for a in itertools.islice(isot(), 40) for s in lm_sentences(a.text)]
    ids = np.concatenate([lm.encode(s) for s in sentences])
    ours = np.concatenate([lm.token_logprobs(s) for s in sentences])
    unigram = lm.unigram_logprob(ids)
    assert len(ours) == len(ids) > 10_000
    assert np.isfinite(ours).all()
    # The trigram model must beat its own unigram distribution by a wide margin.
    assert ours.mean() > unigram.mean() + 1.0


def test_shipped_model_matches_current_tokenizer() -> None:
    """Fails when the text layer changed since the model was built: rerun the build."""
    from unspin.lm.build import corpus_documents, training_digest

    sentences = (s for _, text in corpus_documents() for s in lm_sentences(text))
    assert training_digest(sentences) == load_lm().meta["training_sha1"], (
        "the shipped LM was built with another tokenisation: run scripts/build_lm.py"
    )
