"""Offset-preserving Unicode normalisation.

Every later stage works on the *normalised* text, but every result points into the
*original* text. :func:`normalize` therefore returns both, plus a map from each
normalised character back to the original characters it came from.

What normalisation does:

* NFC composition (``e`` + combining acute -> ``é``);
* curly quotes and primes -> ``'`` / ``"``; the many dashes and minus signs -> ``-``;
  full-width ASCII (``ｔｈｅ``, ``２０１９``) -> ASCII;
* exotic spaces (no-break, thin, ideographic ...) -> a plain space; C0/C1 controls other
  than tab and newline -> a space (so ``\\r\\n`` becomes `` \\n``, same length);
* soft hyphens, zero-width characters and bidirectional controls are removed (they are
  used to dodge detectors and break words apart);
* a few compatibility ligatures (``ﬁ``, ``ﬂ`` ...) are expanded;
* homoglyphs -- letters of other scripts drawn like Latin ones (Cyrillic ``ѕ`` and ``у``,
  Greek ``ο``, small capital ``ᴄ``), which content farms put into copied text so that
  duplicate detectors miss it -- are read as the Latin letters they imitate, in a text
  where at least :data:`MIN_MIXED_WORDS` words mix them with Latin letters ("Preѕident");
  a text in Greek or Cyrillic keeps its letters. :attr:`Normalized.homoglyphs` counts them.

Most real text needs only the one-to-one replacements, which are done in one pass
with an identity offset map (``starts is None``) -- for pure ASCII by one bytes
translate; only lines that need removals, expansions or recomposition take the slower
per-grapheme path.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import regex

__all__ = [
    "MIN_MIXED_WORDS",
    "Normalized",
    "fold_homoglyphs",
    "homoglyph_map",
    "normalize",
    "normalize_str",
]

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
for _i in range(0xFF01, 0xFF5F):  # full-width ASCII ("ｔｈｅ", "２０１９") -> ASCII
    _ONE_TO_ONE.setdefault(chr(_i), chr(_i - 0xFEE0))
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
    homoglyphs: int = 0  # look-alike letters read as Latin ones (one character each)

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


MIN_MIXED_WORDS = 3  # words mixing Latin and look-alike letters before a text is folded
_LETTERS_RE = regex.compile(r"\p{L}+")
# Drawn like small capitals, so not in Unicode's confusables, but mixed into words by
# content farms all the same (seen on real pages: "ᴄonѕerᴠatiᴠe").
_SMALL_CAPITALS = dict(
    zip("ᴀʙᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢкмнвтτ", "abdefghijklmnoprstuvwyzkmhbtt", strict=True)
)


@lru_cache(maxsize=1)
def _homoglyph_table() -> tuple[dict[str, str], frozenset[str]]:
    """Look-alike letter -> the ASCII letter it imitates, from Unicode's confusables
    (shipped by the package confusable-homoglyphs): single letters only, lower case first
    where one imitates both ("ӏ" -> "l", not "I"); and the set of them (a set test is
    ~80x faster than a regular expression over a class of 1,100 characters)."""
    path = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    fold: dict[str, str] = {}
    for letter in string.ascii_lowercase + string.ascii_uppercase:
        for entry in data.get(letter, ()):
            c = entry["c"]
            if len(c) == 1 and not c.isascii() and c.isalpha():
                fold.setdefault(c, letter)
    for c, letter in _SMALL_CAPITALS.items():
        fold.setdefault(c, letter)
    return fold, frozenset(fold)


def homoglyph_map() -> dict[str, str]:
    """Every look-alike letter this module reads as Latin, and the ASCII letter it imitates."""
    return dict(_homoglyph_table()[0])


def fold_homoglyphs(text: str, min_mixed: int = MIN_MIXED_WORDS) -> tuple[str, int]:
    """``text`` with its homoglyphs read as Latin letters, and how many there were (see
    the module docstring); length-preserving. Only words of ASCII and look-alike letters
    change, and only if ``min_mixed`` words mix the two (0: always, for a passage of a
    text already known to be disguised)."""
    fold, lookalikes = _homoglyph_table()
    if lookalikes.isdisjoint(text):
        return text, 0
    words: list[tuple[int, int]] = []  # words of ASCII and look-alike letters only
    mixed = 0
    for m in _LETTERS_RE.finditer(text):
        w = m.group()
        n_fold = sum(1 for c in w if c in fold)
        if n_fold and all(c in fold or c.isascii() for c in w):
            words.append((m.start(), m.end()))
            mixed += n_fold < len(w)
    if mixed < min_mixed or not words:
        return text, 0
    chars = list(text)
    n = 0
    for a, b in words:
        for i in range(a, b):
            c = fold.get(chars[i])
            if c is not None:
                chars[i] = c
                n += 1
    return "".join(chars), n


def normalize(text: str) -> Normalized:
    """Normalise ``text`` and keep the offset map back to it (see module docstring)."""
    if text.isascii():
        raw = text.encode("ascii")
        mapped = raw.translate(_ASCII_TABLE)
        return Normalized(text if mapped == raw else mapped.decode("ascii"), text)
    if not _SLOW_RE.search(text) and unicodedata.is_normalized("NFC", text):
        folded, n = fold_homoglyphs(_map_one_to_one(text))
        return Normalized(folded, text, homoglyphs=n)
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
    folded, n = fold_homoglyphs("".join(parts))
    return Normalized(
        folded,
        text,
        np.concatenate(starts) if starts else empty,
        np.concatenate(ends) if ends else empty,
        homoglyphs=n,
    )


def normalize_str(text: str) -> str:
    """The normalised text alone (no offset map)."""
    return normalize(text).text
