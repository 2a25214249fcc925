"""Word tokenizer that keeps character offsets into the original text.

Tokens are words (any run of letters, marks and digits containing a letter: ``Huawei``,
``G20``), numbers (``300``, ``1,000.5``), dotted abbreviations (``U.S.``), English clitics
(``'s``, ``'t``, ``'re`` ...) and single punctuation or symbol characters. Hyphens split
words (``high-tech`` -> ``high``, ``-``, ``tech``): spinners replace the parts.

The result is columnar (:class:`Tokens`): NumPy arrays of offsets plus a list of the
normalised token strings, so tokenising megabytes costs a few C-level passes and not one
Python object per token. Index it to get a :class:`Token` view.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property

import numpy as np
import regex

from unspin.text.normalize import Normalized, normalize

__all__ = ["Kind", "Token", "Tokens", "tokenize"]


def _mark_class() -> str:
    """All combining marks (``\\p{M}``) as a ``re`` character-class body.

    ``re`` has no ``\\p{M}`` and its ``\\w`` excludes marks, so a word like ``q\u0483`` or
    a Devanagari word with vowel signs would fall apart. Marks live in planes 0, 1 and 14
    only; the scan costs ~50 ms once, at import.
    """
    out: list[str] = []
    start = prev = -2
    for cp in [*range(0x20000), *range(0xE0000, 0xE1000)]:
        if unicodedata.category(chr(cp))[0] == "M":
            if cp != prev + 1:
                if start >= 0:
                    out.append(f"\\U{start:08x}-\\U{prev:08x}")
                start = cp
            prev = cp
    out.append(f"\\U{start:08x}-\\U{prev:08x}")
    return "".join(out)


_MARKS = _mark_class()

# ``re`` (not ``regex``, and without IGNORECASE): three times faster here; possessive
# quantifiers keep backtracking away. Every piece is optional white space plus one token,
# so one findall and two length passes give all offsets (see bench/io).
_PIECE_RE = re.compile(
    r"""
    \s*+(?:
      (?:[^\W\d_]\.){2,}(?![^\W\d_])     # dotted abbreviation: U.S., e.g.
    | [^\W\d_][\w@MARKS@]*+             # word starting with a letter
    | \d++(?:[.,]\d+)*+[\w@MARKS@]*      # number (300, 1,000.5) or 5G
    | '(?:[sdmtSDMT]|re|ve|ll|RE|VE|LL)(?!\w)  # clitic: 's 't 're ...
    | .[@MARKS@]*+                       # any other character, with its combining marks
    )
    """.replace("@MARKS@", _MARKS),
    re.VERBOSE | re.DOTALL,
)
_HAS_LETTER = regex.compile(r"[\p{L}]")


class Kind(IntEnum):
    WORD = 0
    NUMBER = 1
    PUNCT = 2


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``source[start:end] == text``; ``norm`` is its normalised form."""

    start: int
    end: int
    text: str
    norm: str
    kind: Kind


class Tokens:
    """The tokens of one text, stored column-wise.

    ``starts``/``ends`` are offsets into the *original* text, ``forms`` the normalised
    token strings (case kept). ``lower`` and ``kinds`` are computed on first use.
    """

    __slots__ = ("__dict__", "ends", "forms", "normalized", "starts")

    def __init__(
        self, normalized: Normalized, starts: np.ndarray, ends: np.ndarray, forms: list[str]
    ) -> None:
        self.normalized = normalized
        self.starts = starts
        self.ends = ends
        self.forms = forms

    @property
    def source(self) -> str:
        return self.normalized.source

    def __len__(self) -> int:
        return len(self.forms)

    def __getitem__(self, i: int) -> Token:
        s, e = int(self.starts[i]), int(self.ends[i])
        return Token(s, e, self.source[s:e], self.forms[i], Kind(int(self.kinds[i])))

    def __iter__(self) -> Iterator[Token]:
        return (self[i] for i in range(len(self)))

    @cached_property
    def lower(self) -> list[str]:
        return [f.lower() for f in self.forms]

    @cached_property
    def kinds(self) -> np.ndarray:
        """:class:`Kind` code per token (uint8)."""
        out = np.full(len(self.forms), Kind.PUNCT, dtype=np.uint8)
        for i, f in enumerate(self.forms):
            if _HAS_LETTER.search(f):
                out[i] = Kind.WORD
            elif f[0].isdigit():
                out[i] = Kind.NUMBER
        return out

    @cached_property
    def is_word(self) -> np.ndarray:
        return self.kinds == Kind.WORD


def tokenize(text: str | Normalized) -> Tokens:
    """Tokenise ``text`` (a raw string, or an already :func:`normalize`-d one)."""
    norm = text if isinstance(text, Normalized) else normalize(text)
    pieces = _PIECE_RE.findall(norm.text.rstrip())
    n = len(pieces)
    ends = np.cumsum(np.fromiter(map(len, pieces), dtype=np.int64, count=n))
    forms = list(map(str.lstrip, pieces))
    starts = ends - np.fromiter(map(len, forms), dtype=np.int64, count=n)
    if not norm.is_identity and len(forms):
        starts, ends = norm.spans_to_source(starts, ends)
    return Tokens(norm, starts, ends, forms)
