"""Detect: a spin probability for a text and the spans that were substituted."""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

from unspin.detect.gate import MAX_WORDS, MIN_WORDS, scorability, word_prefix
from unspin.io.document import Document
from unspin.results import CheckResult, Span
from unspin.text import Tokens, tokenize

__all__ = [
    "DEFAULT_THRESHOLD",
    "HOMOGLYPHS",
    "Scorer",
    "check_document",
    "check_text",
    "default_scorer",
    "homoglyph_warning",
]

DEFAULT_THRESHOLD: float | None = None  # None: the detector's own calibrated threshold
CLEAN_SPAN_MIN = 0.9  # token probability a span needs to be reported in a clean text
SHORT_WORDS = 100  # below this, a scored result carries a "short text" warning


class Scorer(Protocol):
    name: str
    threshold: float

    def score(self, tokens: Tokens) -> tuple[float, list[Span]]: ...


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """The shipped spin detector (lexicon + language model evidence, calibrated)."""
    from unspin.detect.model import load_detector

    return load_detector()


def check_document(
    doc: Document,
    *,
    scorer: Scorer | None = None,
    threshold: float | None = DEFAULT_THRESHOLD,
    min_words: int = MIN_WORDS,
    max_words: int = MAX_WORDS,
) -> CheckResult:
    """Score one document; unreadable or unjudgeable ones come back ``not_scored``; a
    longer one than ``max_words`` words is judged on its first ``max_words`` words."""
    if doc.error is not None:
        return CheckResult(doc.id, None, "not_scored", doc.error, warnings=list(doc.warnings))
    tokens = tokenize(doc.text)
    gate = scorability(tokens, min_words=min_words)
    if not gate.ok:
        return CheckResult(
            doc.id, None, "not_scored", gate.reason, n_words=gate.n_words, warnings=doc.warnings
        )
    warnings = list(doc.warnings)
    cut = word_prefix(tokens, max_words)
    if cut is not None:  # bounded memory and time
        tokens = tokenize(doc.text[:cut])
        warnings.append(
            f"long text ({gate.n_words:,} words): judged on its first {max_words:,} words"
        )
    sc = scorer or default_scorer()
    prob, spans = sc.score(tokens)
    if threshold is None:  # the scorer's own, for this length if it has one per length
        by_length = getattr(sc, "threshold_for", None)
        threshold = float(
            by_length(gate.n_words) if by_length is not None else getattr(sc, "threshold", 0.5)
        )
    if prob < threshold:
        # A text judged clean keeps only its most certain spans: the rest would be noise.
        spans = [sp for sp in spans if sp.score is not None and sp.score >= CLEAN_SPAN_MIN]
    if tokens.normalized.homoglyphs:
        warnings.append(homoglyph_warning(tokens.normalized.homoglyphs))
    if gate.n_words < SHORT_WORDS:
        # bench/results/detect.md: 2.0% of 100-word and 7.9% of 60-word clean texts flagged
        warnings.append(
            f"short text ({gate.n_words} words): little evidence either way, "
            "the label is less reliable than for a whole article"
        )
    return CheckResult(
        id=doc.id,
        spin_probability=round(float(prob), 4),
        label="spun" if prob >= threshold else "clean",
        reason=None,
        spans=spans,
        n_words=gate.n_words,
        warnings=warnings,
        scorer=sc.name,
    )


HOMOGLYPHS = "homoglyphs:"  # how the warning of a disguised text begins


def homoglyph_warning(n: int) -> str:
    """The warning of a text whose look-alike letters were read as Latin ones."""
    return (
        f"{HOMOGLYPHS} {n} letters of other scripts that imitate Latin ones were read as "
        "the Latin letters (text disguised from duplicate detection)"
    )


def check_text(text: str, *, id: str = "text", **kwargs: object) -> CheckResult:
    """:func:`check_document` for a plain string."""
    return check_document(Document(id=id, text=text), **kwargs)  # type: ignore[arg-type]
