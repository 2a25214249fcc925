"""Can a text be judged at all? Returns the reason when it cannot ("not_scored")."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from unspin.text import Tokens

__all__ = [
    "MAX_WORDS",
    "MIN_WORDS",
    "Scorability",
    "language_reason",
    "scorability",
    "word_prefix",
]

MIN_WORDS = 40
# Longer texts are judged on their first MAX_WORDS words: evidence costs ~11 MB of memory
# and ~0.1 s per 1,000 words, so a 5 MB page (~800,000 words) would need ~8 GB and ~1.5 min.
MAX_WORDS = 50_000
_LANG_SAMPLE_CHARS = 3000
# Function words found in no other language's top words: ~11-25% of the words of English
# news (11% at the least on the real pages and red-team test articles), at most 3% of
# texts drawn from the word frequencies of 38 other languages (wordfreq). A text above
# ENGLISH_MARKERS_MIN is English without asking the language identifier.
_MARKERS = frozenset(
    "the of and that with was for this have from which would were been said their they "
    "his her will has are not but".split()
)
ENGLISH_MARKERS_MIN = 0.08


@dataclass(frozen=True, slots=True)
class Scorability:
    n_words: int
    reason: str | None  # None: the text can be scored

    @property
    def ok(self) -> bool:
        return self.reason is None


@lru_cache(maxsize=1)
def _langid():  # type: ignore[no-untyped-def]
    import py3langid

    return py3langid


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid, shipped model, offline)."""
    return str(_langid().classify(text[:_LANG_SAMPLE_CHARS])[0])


def scorability(tokens: Tokens, *, min_words: int = MIN_WORDS) -> Scorability:
    """Decide whether ``tokens`` can be scored: enough words, mostly text, English."""
    n_tokens = len(tokens)
    words = tokens.is_word
    n_words = int(np.count_nonzero(words))
    if n_words < min_words:
        return Scorability(n_words, f"too short: {n_words} words (minimum {min_words})")
    if n_words < 0.5 * n_tokens:
        share = n_words / max(n_tokens, 1)
        return Scorability(n_words, f"mostly non-text: only {share:.0%} of tokens are words")
    return Scorability(n_words, language_reason(tokens))


def word_prefix(tokens: Tokens, n_words: int = MAX_WORDS) -> int | None:
    """The length of the text up to the end of its ``n_words``-th word (an offset into the
    original text), or ``None`` if it has no more than ``n_words`` words."""
    words = np.flatnonzero(tokens.is_word)
    if len(words) <= n_words:
        return None
    return int(tokens.ends[words[n_words - 1]])


def language_reason(tokens: Tokens) -> str | None:
    """Why ``tokens`` are not English text ("not English (language detected: de)"), or
    ``None`` for English (and for a text without words)."""
    first = np.flatnonzero(tokens.is_word)[:2000].tolist()
    if not first:
        return None
    ascii_letters = sum(1 for i in first if tokens.forms[i].isascii())
    sample = len(first)
    lower = tokens.lower
    markers = sum(1 for i in first if lower[i] in _MARKERS)
    lang = "en" if markers >= ENGLISH_MARKERS_MIN * sample else detect_language(tokens.source)
    if lang != "en":
        return f"not English (language detected: {lang})"
    if ascii_letters < 0.8 * sample:
        return "not English: mostly non-Latin words"
    return None
