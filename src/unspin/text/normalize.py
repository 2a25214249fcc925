"""Offset-preserving Unicode normalisation.

Every later stage works on the *normalised* text, but every result points into the
*original* text. :func:`normalize` therefore returns both, plus a map from each
normalised character back to the original characters it came from.

What normalisation does:

* NFC composition (``e`` + combining acute -> ``é``);
* curly quotes and primes -> ``'`` / ``"``; the many dashes and minus signs -> ``-``;
* exotic spaces (no-break, thin, ideographic ...) -> a plain space; C0/C1 controls other
  than tab and newline -> a space (so ``\\r\\n`` becomes `` \\n``, same length);
* soft hyphens, zero-width characters and bidirectional controls are removed (they are
  used to dodge detectors and break words apart);
* a few compatibility ligatures (``ﬁ``, ``ﬂ`` ...) are expanded.

Most real text needs only the one-to-one replacements, which are done in one pass
with an identity offset map (``starts is None``) -- for pure ASCII by one bytes
translate; only lines that need removals, expansions or recomposition take the slower
per-grapheme path.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import regex

__all__ = ["Normalized", "normalize", "normalize_str"]

# One-to-one replacements (length preserving).
_ONE_TO_ONE: dict[str, str] = {}
for _c in "\u2018\u2019\u201a\u201b\u2032\u02bc\uff07":
    _ONE_TO_ONE[_c] = "'"
for _c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02":
    _ONE_TO_ONE[_c] = '"'
for _c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d":
    _ONE_TO_ONE[_c] = "-"
for _c in "\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B))):
    _ONE_TO_ONE[_c] = " "
for _i in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]:
    _ONE_TO_ONE[chr(_i)] = " "
_ONE_TO_ONE["\r"] = " "  # "\r\n" -> " \n": keeps lengths, no fake paragraph
_ONE_TO_ONE["\u2028"] = "\n"
_ONE_TO_ONE["\u2029"] = "\n"

# Characters removed outright (invisible; used to split words or dodge matching).
_REMOVE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068"
    "\u2069\ufeff"
)
# Expansions (one character -> several).
_EXPAND: dict[str, str] = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}

_ONE_RE = re.compile("[" + re.escape("".join(_ONE_TO_ONE)) + "]")
# The ASCII part of the one-to-one map as a bytes table: pure-ASCII text (most news
# copy once quotes and dashes are plain) is mapped by one C-level translate.
_ASCII_TABLE = bytes(ord(_ONE_TO_ONE.get(chr(b), chr(b))) if b < 128 else b for b in range(256))
_CHAR_MAP: dict[str, str] = {**_ONE_TO_ONE, **_EXPAND, **{c: "" for c in _REMOVE}}
_SLOW_RE = re.compile("[" + re.escape(_REMOVE + "".join(_EXPAND)) + "]")
_GRAPHEME_RE = regex.compile(r"\X", regex.DOTALL)
_LINE_RE = regex.compile(r"[^\n]*\n|[^\n]+")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and the way back to the original.

    ``starts[i]`` / ``ends[i]`` give the original character range that produced
    normalised character ``i``; both are ``None`` when the map is the identity.
    """

    text: str
    source: str
    starts: np.ndarray | None = None
    ends: np.ndarray | None = None

    @property
    def is_identity(self) -> bool:
        return self.starts is None

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span ``[start, end)`` to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        if start >= end:
            pos = int(self.starts[start]) if start < len(self.text) else len(self.source)
            return pos, pos
        return int(self.starts[start]), int(self.ends[end - 1])

    def spans_to_source(
        self, starts: np.ndarray, ends: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised :meth:`span_to_source` for non-empty spans."""
        if self.starts is None or self.ends is None:
            return starts, ends
        return self.starts[starts], self.ends[ends - 1]


def _map_one_to_one(text: str) -> str:
    # A scan plus a callback per hit beats str.translate (which is per character).
    return _ONE_RE.sub(lambda m: _ONE_TO_ONE[m.group()], text)


def _slow_line(line: str, offset: int, out: list[str], st: list[int], en: list[int]) -> None:
    for m in _GRAPHEME_RE.finditer(line):
        g = m.group()
        a, b = offset + m.start(), offset + m.end()
        if len(g) == 1 or unicodedata.is_normalized("NFC", g):
            # Character by character, so that tokens never share a source character.
            for k, ch in enumerate(g):
                for r in _CHAR_MAP.get(ch, ch):
                    out.append(r)
                    st.append(a + k)
                    en.append(a + k + 1)
            continue
        for ch in unicodedata.normalize("NFC", g):
            rep = _CHAR_MAP.get(ch, ch)
            for r in rep:
                out.append(r)
                st.append(a)
                en.append(b)


def normalize(text: str) -> Normalized:
    """Normalise ``text`` and keep the offset map back to it (see module docstring)."""
    if text.isascii():
        raw = text.encode("ascii")
        mapped = raw.translate(_ASCII_TABLE)
        return Normalized(text if mapped == raw else mapped.decode("ascii"), text)
    if not _SLOW_RE.search(text) and unicodedata.is_normalized("NFC", text):
        return Normalized(_map_one_to_one(text), text)
    parts: list[str] = []
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    for m in _LINE_RE.finditer(text):
        line, off = m.group(), m.start()
        if not _SLOW_RE.search(line) and unicodedata.is_normalized("NFC", line):
            parts.append(_map_one_to_one(line))
            idx = np.arange(off, off + len(line), dtype=np.int64)
            starts.append(idx)
            ends.append(idx + 1)
        else:
            out: list[str] = []
            st: list[int] = []
            en: list[int] = []
            _slow_line(line, off, out, st, en)
            parts.append("".join(out))
            starts.append(np.asarray(st, dtype=np.int64))
            ends.append(np.asarray(en, dtype=np.int64))
    empty = np.zeros(0, dtype=np.int64)
    return Normalized(
        "".join(parts),
        text,
        np.concatenate(starts) if starts else empty,
        np.concatenate(ends) if ends else empty,
    )


def normalize_str(text: str) -> str:
    """The normalised text alone (no offset map)."""
    return normalize(text).text
