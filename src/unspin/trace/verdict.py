"""From an alignment to a verdict: derived or related, how rewritten, and a score.

A copy is ``derived`` from a source when a logistic model of their alignment says so
(:class:`CopyModel`: how much of either text the passages cover, how dense they are, how
strongly the copy's fingerprint keys point at the source; fitted by
``scripts/fit_trace_verdict.py`` on the red-team *train* spinners, its threshold set on
*dev* for <= 1% false claims) and the loose passages cover enough of either text to be
shown, or when the coverage rules of :func:`is_derived` hold for verbatim passages (a copy
that adds a whole second story to the first). The coverage rules alone are the verdict
without a model (``VerdictParams.use_model=False``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from unspin.results import Match, Passage
from unspin.trace.align import Alignment, Substitutable, align
from unspin.trace.terms import Terms

if TYPE_CHECKING:
    from unspin.trace.index import TraceParams

__all__ = [
    "FEATURES",
    "MONOTONE",
    "CopyModel",
    "VerdictParams",
    "default_substitutable",
    "features",
    "is_derived",
    "judge",
    "load_copy_model",
    "rewrite_type",
    "to_match",
]

MODEL_PATH = Path(__file__).resolve().parent.parent / "resources" / "trace" / "verdict.json"

# What the copy model reads off an alignment (see :func:`features`).
FEATURES = (
    "key_score",
    "loose_coverage",
    "loose_density",
    "log_loose_weight",
    "coverage",
    "density",
    "log_weight",
    "equal_gaps",
    "log_copy_terms",
    "log_length_ratio",
)
# Features the model may only weigh positively: how much of the two texts aligns, and how
# densely (all but the shape of the gaps and the lengths). More alignment never makes a copy
# less likely to be derived.
MONOTONE = tuple(
    f for f in FEATURES if f not in ("equal_gaps", "log_copy_terms", "log_length_ratio")
)


@dataclass(frozen=True, slots=True)
class VerdictParams:
    derived_coverage: float = 0.25  # share of the copy (or of the source) inside passages
    paraphrase_coverage: float = 0.4  # the same for translated-or-paraphrased alignments
    derived_density: float = 0.5  # matched share of the copy's terms inside passages
    derived_weight: float = 30.0  # weighted aligned terms a derived claim needs, or ...
    derived_weight_share: float = 0.5  # ... this share of a short copy's total weight
    exact_density: float = 0.97  # matched share inside passages for "verbatim" ...
    verbatim_density: float = 0.85  # ... or this much when the gaps are not 1:1 swaps
    spun_density: float = 0.45  # ... and for "spun" (with mostly 1:1 gaps)
    spun_equal_gaps: float = 0.5
    # The copy model decides; False falls back to the coverage rules of :func:`is_derived`.
    use_model: bool = True
    model_threshold: float | None = None  # None: the threshold shipped with the model


@dataclass(frozen=True, slots=True)
class CopyModel:
    """Logistic regression over :data:`FEATURES`: P(copy derived from this source); the
    weights of :data:`MONOTONE` are >= 0 (``scripts/fit_trace_verdict.py``)."""

    coef: tuple[float, ...]
    intercept: float
    threshold: float
    info: dict[str, object]

    def probability(self, x: np.ndarray) -> float:
        z = float(np.dot(self.coef, x)) + self.intercept
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_json(self) -> str:
        doc = {
            "features": list(FEATURES),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "info": self.info,
        }
        return json.dumps(doc, indent=1, sort_keys=True) + "\n"


@lru_cache(maxsize=4)
def load_copy_model(path: Path = MODEL_PATH) -> CopyModel:
    """The shipped copy model (``resources/trace/verdict.json``)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    if tuple(doc["features"]) != FEATURES:
        raise ValueError(f"{path}: fitted on features {doc['features']}, expected {FEATURES}")
    return CopyModel(
        tuple(float(c) for c in doc["coef"]),
        float(doc["intercept"]),
        float(doc["threshold"]),
        dict(doc.get("info", {})),
    )


def features(al: Alignment, key_score: float) -> np.ndarray:
    """The alignment as the copy model sees it (order of :data:`FEATURES`)."""
    loose = al.loosened()
    return np.array(
        [
            key_score,
            loose.coverage,
            loose.density,
            math.log1p(loose.weight),
            al.coverage,
            al.density,
            math.log1p(al.weight),
            al.equal_gaps,
            math.log(max(al.n_copy, 1)),
            math.log(max(al.n_source, 1) / max(al.n_copy, 1)),
        ]
    )


def is_derived(al: Alignment, copy_weight: float, p: VerdictParams) -> bool:
    """Coverage rules: copying shows as sustained, dense, in-order alignment covering much
    of either text.

    A related story on the same event shares names, numbers, a quote or two: short or
    sparse passages that fail one of the tests. ``paraphrase_coverage`` > ``derived_coverage``
    asks more of alignments that look translated or paraphrased (stricter on wire stories
    that reuse each other's edited paragraphs, at some cost in recall on real rewrites).
    """
    coverage = al.coverage
    need = min(p.derived_weight, p.derived_weight_share * copy_weight)
    if coverage < p.derived_coverage or al.density < p.derived_density or al.weight < need:
        return False
    return coverage >= p.paraphrase_coverage or rewrite_type(al, p) != "translated-or-paraphrased"


def rewrite_type(al: Alignment, p: VerdictParams) -> str:
    """``verbatim``, ``spun`` (1:1 word swaps in the same order) or the rest.

    Inside the passages a verbatim copy differs from its source by insertions and
    deletions (page furniture, cuts), a spun one by same-length swaps: the verbatim test
    counts identical words only, the spun one also thesaurus swaps.
    """
    exact = al.exact_density
    if exact >= p.exact_density or (
        exact >= p.verbatim_density and al.equal_gaps < p.spun_equal_gaps
    ):
        return "verbatim"
    if al.density >= p.spun_density and al.equal_gaps >= p.spun_equal_gaps:
        return "spun"
    return "translated-or-paraphrased"


def total_weight(copy: Terms, stop_weight: float) -> float:
    """The weight of all of a text's terms (function words count ``stop_weight``)."""
    return float(len(copy)) - (1.0 - stop_weight) * float(copy.stop.sum())


def score(al: Alignment, total: float) -> float:
    """Weighted share of the copy explained by the aligned passages (0..1); ``total`` is
    the copy's :func:`total_weight`."""
    return round(min(1.0, al.weight / total), 4) if total > 0 else 0.0


def to_match(
    source_id: str,
    al: Alignment,
    copy: Terms,
    source: Terms,
    p: VerdictParams,
    stop_weight: float,
    key_score: float = 0.0,
    model: CopyModel | None = None,
) -> Match:
    """The public :class:`~unspin.results.Match` for one aligned candidate.

    ``key_score`` is the candidate's fingerprint score (0..1, from candidate generation).
    The ``model`` decides; without one, the coverage rules of :func:`is_derived` do. A
    copy the model calls derived where the rules fail (most words swapped) is shown by
    its loose passages.
    """
    total = total_weight(copy, stop_weight)
    rules = is_derived(al, total, p)
    kind = rewrite_type(al, p)
    confidence = 0.0
    if model is None:
        derived = rules
    else:
        confidence = model.probability(features(al, key_score))
        threshold = model.threshold if p.model_threshold is None else p.model_threshold
        loose = al.loosened()
        # the model weighs fingerprint keys; a claim also needs passages to show
        by_model = confidence >= threshold and loose.coverage >= p.derived_coverage
        # ... and whole passages taken verbatim are copying whatever the keys say
        derived = by_model or (rules and kind == "verbatim")
        if derived and not rules:
            al = loose  # most words swapped: exact passages too sparse to show
            kind = rewrite_type(al, p)
    passages = [
        Passage(
            int(copy.starts[t.first]),
            int(copy.ends[t.end - 1]),
            int(source.starts[t.sfirst]),
            int(source.ends[t.send - 1]),
        )
        for t in al.passages
    ]
    return Match(
        source_id=source_id,
        score=score(al, total),
        relation="derived" if derived else "related",
        derived_fraction=round(al.copy_fraction, 4),
        passages=passages,
        rewrite_type=kind if derived else None,
        confidence=round(confidence, 4),
    )


def default_substitutable(p: TraceParams) -> Substitutable | None:
    """The spin lexicon's hook when ``p.lexicon`` (the copy model was fitted with it)."""
    if not p.lexicon:
        return None
    from unspin.trace.substitute import lexicon_substitutable

    return lexicon_substitutable()


def judge(
    copy: Terms,
    candidates: Iterable[tuple[str, Terms, float]],
    p: TraceParams,
    substitutable: Substitutable | None = None,
) -> list[Match]:
    """Align ``copy`` with each candidate ``(source_id, source_terms, key_score)`` and
    return the matches worth listing: derived ones first, most confident first."""
    model = load_copy_model() if p.verdict.use_model else None
    sub = substitutable if substitutable is not None else default_substitutable(p)
    matches: list[Match] = []
    for source_id, source, key_score in candidates:
        al = align(copy, source, sub, p.align)
        if al.weight < p.related_weight and key_score < p.related_key_share:
            continue  # little aligned, little shared: not even a related story
        matches.append(
            to_match(source_id, al, copy, source, p.verdict, p.align.stop_weight, key_score, model)
        )
    matches.sort(key=lambda m: (m.relation != "derived", -m.confidence, -m.score))
    return matches[: p.max_matches]
