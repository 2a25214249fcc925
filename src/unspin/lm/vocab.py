"""Vocabulary conventions shared by the model and its build: special tokens, number class,
and how a text becomes the lower-cased token sentences the model is trained and scored on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from unspin.text import sentence_bounds, tokenize

__all__ = [
    "BOS",
    "EOS",
    "NUM",
    "SPECIALS",
    "UNK",
    "is_number",
    "lm_form",
    "lm_sentences",
]

UNK = "<unk>"
BOS = "<s>"
EOS = "</s>"
NUM = "<num>"
SPECIALS: tuple[str, ...] = (UNK, BOS, EOS, NUM)  # ids 0..3, in this order

# A project NUMBER token: digits with inner separators ("300", "1,000.5"), no letters.
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


def is_number(word: str) -> bool:
    """True for a number token (maps to the number class :data:`NUM`)."""
    return _NUMBER_RE.fullmatch(word) is not None


def lm_form(word: str) -> str:
    """The vocabulary form of one project token: lower-cased, numbers -> :data:`NUM`."""
    return NUM if is_number(word) else word.lower()


def lm_sentences(text: str) -> Iterator[list[str]]:
    """The lower-cased project tokens of ``text``, one list per sentence."""
    toks = tokenize(text)
    lower: Sequence[str] = toks.lower
    for a, b in sentence_bounds(toks):
        if b > a:
            yield list(lower[a:b])
