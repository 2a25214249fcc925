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
    """The combining marks of the Basic Multilingual Plane as a ``re`` class body.

    ``re`` has no ``\\p{M}`` and its ``\\w`` excludes marks, so words such as ``q\u0483``
    or Devanagari words with vowel signs would fall apart. BMP only: ``re`` compiles such a
    class into a bitmap, while one astral range makes every test a linear scan (2.5x
    slower tokenising); astral marks (rare) become tokens of their own. ~15 ms at import.
    """
    marks = [cp for cp in range(0x10000) if unicodedata.category(chr(cp))[0] == "M"]
    runs: list[list[int]] = []
    for cp in marks:
        if runs and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in runs)


# ``re`` (not ``regex``, and without IGNORECASE): three times faster here; possessive
# quantifiers keep backtracking away. ``@L@`` is a letter, ``@M@`` a combining mark; a
# dotted abbreviation is tried inside the word branch so that the first letter is tested
# once. The one group is the token, so findall returns the token strings. No token
# contains white space and every other character is in a token, so the offsets follow
# from the token lengths alone (see :func:`_spans` and bench/io).
_TOKEN = r"""
    \s*+(   # leading white space inside the match is cheaper than failing on it
      @L@(?:\.(?:@L@\.)++(?!@L@)   # dotted abbreviation: U.S., e.g.
         |[\w@M@]*+)               # word starting with a letter
    | \d++(?:[.,]\d+)*+[\w@M@]*+    # number (300, 1,000.5) or 5G
    | '(?:[sdmtSDMT]|re|ve|ll|RE|VE|LL)(?!\w)  # clitic: 's 't 're ...
    | \S@MS@                        # any other character, with its combining marks
    )
"""
_TOKEN_RE = re.compile(
    _TOKEN.replace("@L@", r"[^\W\d_]").replace("@MS@", "[@M@]*+").replace("@M@", _mark_class()),
    re.VERBOSE,
)
# The same tokens for ASCII text, about 1.5x as fast: ASCII classes are table look-ups.
# (``\\x1c-\\x1f`` are white space to ``str.isspace`` and Unicode ``\\s``, not to ASCII ``\\s``.)
_ASCII_TOKEN_RE = re.compile(
    _TOKEN.replace("@L@", "[A-Za-z]")
    .replace("@MS@", "")
    .replace("@M@", "")
    .replace(r"\s*+", r"[\s\x1c-\x1f]*+")
    .replace(r"\S", r"[^\s\x1c-\x1f]"),
    re.VERBOSE | re.ASCII,
)
# ``re``'s ``\s`` (str.isspace) as a table over code points; all of them are below U+3001.
_SPACE = np.array([chr(c).isspace() for c in range(0x3001)] + [False], dtype=bool)
# The same for ASCII as a bytes table: 1 for a visible character, 0 for white space.
_ASCII_VISIBLE = bytes(0 if chr(b).isspace() else 1 for b in range(256))
_ASCII_NUL = bytes([1] + [0] * 255)
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
    body = norm.text.rstrip()  # trailing white space would make the pattern fail slowly
    forms = _find_tokens(body)
    starts, ends = _spans(body, forms)
    if not norm.is_identity and len(forms):
        starts, ends = norm.spans_to_source(starts, ends)
        if len(forms) > 1 and bool(np.any(ends[:-1] > starts[1:])):
            starts, ends, forms = _merge_overlaps(starts, ends, forms)
    return Tokens(norm, starts, ends, forms)


def _find_tokens(body: str) -> list[str]:
    """The token strings of ``body`` (no trailing white space).

    Text with some non-ASCII characters is taken line by line, so that the ASCII lines
    get the faster pattern: tokens never span a newline, and a pattern's look-ahead sees
    the same "not a letter" at the end of a line as before the newline.
    """
    if body.isascii():
        return _ASCII_TOKEN_RE.findall(body)
    forms: list[str] = []
    add = forms.extend
    ascii_find, find = _ASCII_TOKEN_RE.findall, _TOKEN_RE.findall
    for line in body.split("\n"):
        if line:
            add((ascii_find if line.isascii() else find)(line.rstrip()))
    return forms


def _spans(body: str, forms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Token offsets in ``body`` from the token strings alone, in a few array passes.

    Tokens cover exactly the non-white-space characters of ``body``, contiguously and in
    order; so with ``visible`` their positions, token ``k`` spans ``visible[c_k]`` to
    ``visible[c_{k+1} - 1] + 1``, where ``c_k`` is the length of the tokens before it.
    The ``c_k`` come from the NUL separators of ``"\\0".join(forms)`` (normalised text
    has no NUL), which is cheaper than one ``len`` call per token. Both strings are
    scanned as one byte per character (``encode("ascii", "replace")`` turns any other
    character into a visible ``?``).
    """
    n = len(forms)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    joined = "\0" + "\0".join(forms) + "\0"  # a NUL before every token and at the end
    marks = body.encode("ascii", "replace").translate(_ASCII_VISIBLE)
    visible = np.flatnonzero(np.frombuffer(marks, np.bool_))
    if len(visible) != len(joined) - (n + 1):  # white space beyond ASCII (not normalised)
        codes = np.frombuffer(body.encode("utf-32-le", "surrogatepass"), np.uint32)
        visible = np.flatnonzero(~_SPACE[np.minimum(codes, len(_SPACE) - 1)])
    nuls = joined.encode("ascii", "replace").translate(_ASCII_NUL)
    seps = np.flatnonzero(np.frombuffer(nuls, np.bool_))
    if len(seps) == n + 1:  # before the k-th NUL lie k NULs and c_k token characters
        bounds = seps - np.arange(n + 1)
    else:  # a NUL inside a token: count lengths one by one instead
        bounds = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, forms), np.int64, n), out=bounds[1:])
    return visible[bounds[:-1]], visible[bounds[1:] - 1] + 1


def _merge_overlaps(
    starts: np.ndarray, ends: np.ndarray, forms: list[str]
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Join tokens that share original characters (parts of one recomposed grapheme)."""
    st: list[int] = [int(starts[0])]
    en: list[int] = [int(ends[0])]
    fo: list[str] = [forms[0]]
    for s, e, f in zip(starts[1:].tolist(), ends[1:].tolist(), forms[1:], strict=True):
        if s < en[-1]:
            en[-1] = max(en[-1], e)
            fo[-1] += f
        else:
            st.append(s)
            en.append(e)
            fo.append(f)
    return np.asarray(st, dtype=np.int64), np.asarray(en, dtype=np.int64), fo
