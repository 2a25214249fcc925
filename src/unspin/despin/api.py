"""Restore entry points: a spun text (and optionally its source) -> :class:`RestoreResult`."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any

import numpy as np

from unspin.despin.decide import DecisionModel, load_decision
from unspin.despin.lattice import TokenEdit, agree_articles, apply_edits, decode
from unspin.despin.source import aligned_mask, source_pairs
from unspin.detect import homoglyph_warning
from unspin.detect.evidence import (
    Evidence,
    Resources,
    gather,
    load_resources,
    with_learned,
    with_pairs,
)
from unspin.detect.gate import MAX_WORDS, MIN_WORDS, language_reason, word_prefix
from unspin.detect.model import FINGERPRINT_PROB, is_fingerprinted, tortured_phrases
from unspin.io.document import Document
from unspin.results import Change, RestoreResult
from unspin.text import Tokens, tokenize
from unspin.text.case import match_case
from unspin.text.normalize import fold_homoglyphs

__all__ = [
    "MIN_SPIN",
    "Restorer",
    "harvest",
    "load_restorer",
    "restore_document",
    "restore_text",
    "with_learned",
    "with_pairs",
    "with_threshold",
]

SOURCE_CONFIDENCE = 0.99
HOMOGLYPH_CONFIDENCE = 1.0  # a look-alike letter read as the Latin one it imitates
LANGUAGE_MIN_WORDS = 5  # shorter texts are not asked their language
# Without a source, a text the detector calls more likely clean than spun is left alone:
# the decision model learned from spun copies how to undo a spinner, which presumes one.
MIN_SPIN = 0.5


@dataclass
class Restorer:
    """Shared resources of restore: lexicon + LM (with learned pairs), decision model and
    the spin detector when its model is shipped."""

    res: Resources
    model: DecisionModel
    detector: Any = None  # unspin.detect.SpinDetector | None
    min_spin: float = MIN_SPIN  # without a source, texts below this spin probability stay

    def reads_clean(self, text: str | Tokens | Evidence) -> float | None:
        """The detector's spin probability of ``text`` if it is below :attr:`min_spin` (no
        change is then made without a source), else ``None``: also without a detector and
        for a text too short for detection to judge (``detect.gate.MIN_WORDS``)."""
        if self.detector is None or self.min_spin <= 0.0:
            return None
        # the evidence model_edits reads next: gather keeps it
        ev = text if isinstance(text, Evidence) else gather(text, self.res)
        if int(np.count_nonzero(ev.tokens.is_word)) < MIN_WORDS:
            return None
        p = float(self.detector.score_evidence(ev, self.res)[0])
        return p if p < self.min_spin else None

    def _token_prob(self, ev: Any) -> np.ndarray | None:
        if self.detector is None or not self.model.uses_detector:
            return None
        return detector_token_prob(self.detector, ev, self.res)

    def model_edits(
        self, text: str, allowed: np.ndarray | None = None, tokens: Tokens | None = None
    ) -> list[Change]:
        """Changes the model makes without a source (only inside ``allowed``, if given;
        ``tokens``: those of ``text``, if the caller has them).

        In a text with enough tortured phrases to be called spun (``detect.model``), each
        one whose expected phrase has as many words is restored from the list, and the
        model decides the rest. An article that agreed with a replaced word but not with
        its replacement is changed with it ("a rise" -> "an increase")."""
        ev = gather(text if tokens is None else tokens, self.res)
        fixed = fingerprint_edits(ev, allowed)
        if fixed:
            allowed = np.ones(len(ev.tokens), dtype=bool) if allowed is None else allowed.copy()
            for e in fixed:
                allowed[e.first : e.last] = False
        edits = [*decode(ev, self.res, self.model, self._token_prob(ev), allowed), *fixed]
        articles = [
            e for e in agree_articles(ev.tokens, edits) if allowed is None or allowed[e.first]
        ]
        edits = sorted([*edits, *articles], key=lambda e: e.first)
        return [_change(text, ev.tokens, e) for e in edits]

    def restore(self, text: str, *, source: str | None = None, id: str = "text") -> RestoreResult:
        """The restored text and its changes (offsets into ``text``).

        The model reads English only: a text in another language keeps its words, except
        those aligned to a ``source``, and says so in a warning."""
        warnings: list[str] = []
        tokens = tokenize(text)
        n_words = int(np.count_nonzero(tokens.is_word))
        language = language_reason(tokens) if n_words >= LANGUAGE_MIN_WORDS else None
        if language is not None:
            warnings.append(f"{language}: no change made without a source")
        # the model reads at most the first MAX_WORDS words (bounded memory, as detection)
        cut = word_prefix(tokens, MAX_WORDS)
        head, head_tokens = (text, tokens) if cut is None else (text[:cut], tokenize(text[:cut]))
        if cut is not None and language is None:
            warnings.append(
                f"long text ({n_words:,} words): changes without a source only in its first "
                f"{MAX_WORDS:,} words"
            )
        if source is None:
            clean = None if language else self.reads_clean(head_tokens)
            if clean is not None:
                warnings.append(
                    f"reads as clean (spin probability {clean:.2f}, below {self.min_spin:g}): "
                    "no change made without a source"
                )
            changes = (
                [] if language or clean is not None else self.model_edits(head, tokens=head_tokens)
            )
        else:
            pairs, ranges = source_pairs(text, source, tokens)
            changes = [
                Change(p.start, p.end, p.spun, p.original, SOURCE_CONFIDENCE)
                for p in pairs
                if p.spun != p.original
            ]
            outside = ~aligned_mask(head_tokens, ranges)
            if outside.any() and not language:
                changes += self.model_edits(head, outside, head_tokens)
        if tokens.normalized.homoglyphs:
            changes += homoglyph_changes(text, tokens, changes)
            warnings.append(homoglyph_warning(tokens.normalized.homoglyphs))
        changes.sort(key=attrgetter("start"))
        restored = apply_edits(
            text,
            [c.start for c in changes],
            [c.end for c in changes],
            [c.original for c in changes],
        )
        return RestoreResult(id=id, restored=restored, changes=changes, warnings=warnings)


def homoglyph_changes(text: str, tokens: Tokens, done: list[Change]) -> list[Change]:
    """The words of a text disguised with look-alike letters ("Preѕident"), written in
    Latin letters again, except where ``done`` already changes them."""
    taken = np.zeros(len(text) + 1, dtype=bool)
    for c in done:
        taken[c.start : c.end] = True
    out = []
    for s, e in zip(tokens.starts.tolist(), tokens.ends.tolist(), strict=True):
        raw = text[s:e]
        latin = fold_homoglyphs(raw, 0)[0]
        if latin != raw and not taken[s:e].any():
            out.append(Change(s, e, raw, latin, HOMOGLYPH_CONFIDENCE))
    return out


def fingerprint_edits(ev: Evidence, allowed: np.ndarray | None = None) -> list[TokenEdit]:
    """Tortured phrases swapped back for their expected phrases, word for word ("profound
    learning" -> "deep learning"), when the text holds enough of them to be called spun;
    only inside ``allowed``, if given."""
    found = tortured_phrases(ev)
    if not is_fingerprinted(found):
        return []
    forms = ev.tokens.forms
    return [
        TokenEdit(f.first, f.last, match_case(f.original, forms[f.first]), FINGERPRINT_PROB)
        for f in found
        if len(f.original.split()) == f.last - f.first
        and (allowed is None or bool(np.all(allowed[f.first : f.last])))
        and f.original.lower() != f.surface
    ]


def detector_token_prob(detector: Any, ev: Any, res: Resources) -> np.ndarray:
    """Per token: the spin detector's probability that it was substituted (0 for non-words)."""
    tok_p, rows = detector.token_probabilities(ev, res)
    out = np.zeros(len(ev.tokens), dtype=np.float64)
    out[rows] = tok_p
    return out


def _change(text: str, tokens: Any, e: TokenEdit) -> Change:
    s, t = int(tokens.starts[e.first]), int(tokens.ends[e.last - 1])
    return Change(s, t, text[s:t], e.text, round(e.confidence, 4))


def _load_detector() -> Any:
    if os.environ.get("UNSPIN_RESTORE_NO_DETECTOR"):
        return None
    try:
        from unspin.detect.model import DEFAULT_MODEL, load_detector

        return load_detector() if DEFAULT_MODEL.exists() else None
    except Exception:  # a missing or incompatible model: restore works without it
        return None


@lru_cache(maxsize=4)
def load_restorer(store: Path | None = None) -> Restorer:
    """The shared restorer (cached per store path). Loading adds the learned pairs to the
    shared lexicon, so load it once per process and store."""
    return Restorer(with_learned(load_resources(), store), load_decision(), _load_detector())


def with_threshold(rest: Restorer, threshold: float | None) -> Restorer:
    """``rest`` changing words at decision probability ``threshold`` and above (``None``:
    the shipped threshold, chosen for <= 1% of untouched words changed on red-team dev
    copies; lower restores more and changes more clean words)."""
    if threshold is None:
        return rest
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    return replace(rest, model=replace(rest.model, threshold=threshold))


def restore_text(
    text: str,
    *,
    source: str | None = None,
    id: str = "text",
    store: Path | None = None,
    threshold: float | None = None,
    min_spin: float | None = None,
) -> RestoreResult:
    """Restore ``text`` (with ``source``, if given) using the shared restorer;
    ``min_spin``: leave a text whose spin probability is below it alone when there is no
    source (default :data:`MIN_SPIN`; 0 restores every text)."""
    rest = with_threshold(load_restorer(store), threshold)
    if min_spin is not None:
        rest = replace(rest, min_spin=min_spin)
    return rest.restore(text, source=source, id=id)


def restore_document(
    doc: Document,
    source: str | None = None,
    store: Path | None = None,
    threshold: float | None = None,
    min_spin: float | None = None,
) -> RestoreResult:
    """:func:`restore_text` for a :class:`~unspin.io.Document` (read errors pass through)."""
    if doc.error is not None:
        return RestoreResult(doc.id, "", reason=doc.error, warnings=list(doc.warnings))
    result = restore_text(
        doc.text, source=source, id=doc.id, store=store, threshold=threshold, min_spin=min_spin
    )
    result.warnings.extend(doc.warnings)
    return result


def harvest(copy: str, source: str) -> list[tuple[str, str]]:
    """(spun span, original span) pairs of one aligned copy/source pair, for learning."""
    pairs, _ = source_pairs(copy, source)
    return [(p.spun, p.original) for p in pairs]
