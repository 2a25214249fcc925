"""Verbatim text shared between two documents, for judging trace claims in evaluation.

Wire archives hold updates and re-edits of the same story, so a copy traced to a story
other than the one it was made from may still be a fair claim. These helpers say when:
the two share a good part of their word 8-grams verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["copied_excerpt", "ngram_overlap", "shares_text", "word_ngrams"]

_WORD = re.compile(r"\w+")


def word_ngrams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    """The lower-cased word ``n``-grams of ``text``."""
    w = _WORD.findall(text.lower())
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def ngram_overlap(a: str, b: str, n: int = 8) -> float:
    """Share of the word ``n``-grams of the text with fewer of them found in the other."""
    ga, gb = word_ngrams(a, n), word_ngrams(b, n)
    return len(ga & gb) / min(len(ga), len(gb)) if ga and gb else 0.0


def shares_text(a: str, b: str, share: float = 0.2, n: int = 8) -> bool:
    """``a`` and ``b`` share >= ``share`` of their word ``n``-grams (a short brief inside a
    longer story counts by the brief's share)."""
    return ngram_overlap(a, b, n) >= share


def copied_excerpt(record: Mapping[str, Any]) -> str:
    """The part of the source a red-team record (:mod:`unspin.simulate.evalsets`) was made
    from: its alignment's source spans other than the deleted ones, in source order."""
    spans = sorted(
        (e["orig_start"], e["orig_end"])
        for e in record["alignment"] or ()
        if e["op"] != "delete" and e["orig_end"] > e["orig_start"]
    )
    merged: list[list[int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    original = record["original"]
    return " ".join(original[lo:hi] for lo, hi in merged) if merged else original
