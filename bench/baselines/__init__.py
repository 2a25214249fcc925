"""Baseline spin detectors used only by ``bench/detect.py`` (never shipped in the package).

* :class:`~bench.baselines.pps.TorturedPhraseScorer` -- Problematic Paper Screener style
  look-up of tortured phrases (Aho-Corasick over the PPS phrases of the lexicon);
* :class:`~bench.baselines.perplexity.PerplexityScorer` -- language-model perplexity alone;
* :class:`~bench.baselines.embedding.EmbeddingClassifier` -- mean all-MiniLM-L6-v2 sentence
  embedding + logistic regression (Foltynek et al. 2020, Wahle et al. 2022 style).

Each has ``score(text) -> float`` (higher = more likely spun); thresholds are chosen by
the benchmark on the dev split (:func:`threshold_at_fpr`).
"""

from __future__ import annotations

from bench.baselines.common import threshold_at_fpr

__all__ = ["threshold_at_fpr"]
