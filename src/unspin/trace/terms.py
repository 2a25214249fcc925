"""The word sequence that trace works on: word and number tokens, lower-cased and hashed.

Spinners replace content words with thesaurus entries but leave alone what is not in any
thesaurus: function words, names, numbers and rare words. Those are the *immutables*
(DSpin, NDSS 2014) that fingerprints and alignment weights lean on.
"""

from __future__ import annotations

import zlib
from functools import cached_property, lru_cache

import numpy as np

from unspin.text import Tokens, tokenize
from unspin.text.normalize import homoglyph_map

__all__ = ["STOP_WORDS", "Terms", "is_common", "terms_of"]

STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also although am among an and any are as at
    be because been before being below between both but by can could did do does doing
    down during each either few for from further had has have having he her here hers
    herself him himself his how however i if in into is it its itself just less many may
    me might more most much must my myself neither no nor not now of off on once one only
    or other ought our ours ourselves out over own per rather same shall she should since
    so some such than that the their theirs them themselves then there these they this
    those though through to too two under until up upon us very via was we were what when
    where whether which while who whom whose why will with within without would yet you
    your yours yourself yourselves 's 't 're 've 'll 'd 'm
    """.split()
)


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """The 20,000 most frequent English words (wordfreq): everything else counts as rare."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", 20000))


def is_common(word: str) -> bool:
    return word in _common_words()


@lru_cache(maxsize=1)
def _homoglyphs() -> dict[int, str]:
    """Latin look-alikes that content farms mix into words to dodge matching (Cyrillic,
    Greek, small capitals) -> lower-case Latin. The text layer reads them as Latin in a text
    disguised with them; here every word's are folded before hashing, so that a single
    disguised word still matches. Offsets and shown text are untouched. Built on first use
    (it reads Unicode's confusables), not when trace is imported."""
    return str.maketrans({c: a.lower() for c, a in homoglyph_map().items()})


class _Vocab(dict[str, int]):
    """Token form -> code, with per-code columns filled once per distinct form.

    One C-level ``map(vocab.__getitem__, forms)`` then gives every per-token flag by NumPy
    indexing, instead of one Python call per token and flag.
    """

    LIMIT = 2_000_000  # distinct forms kept before starting afresh (bounds memory)

    def __init__(self) -> None:
        super().__init__()
        self.cap = 0
        self.hash = np.zeros(0, dtype=np.uint32)  # crc32 of the folded lower-case form
        self.flags = np.zeros(0, dtype=np.uint8)  # TERM | STOP | MARKED | COMMON bits

    def __missing__(self, form: str) -> int:
        code = len(self)
        if code >= self.cap:
            self.cap = max(1024, 2 * self.cap)
            self.hash = np.resize(self.hash, self.cap)
            self.flags = np.resize(self.flags, self.cap)
        self[form] = code
        low = form.lower()
        if not low.isascii():
            low = low.translate(_homoglyphs())
        self.hash[code] = zlib.crc32(low.encode("utf-8"))
        first = form[0]
        self.flags[code] = (
            (_TERM if first.isalnum() else 0)
            | (_STOP if low in STOP_WORDS else 0)
            | (_MARKED if first.isupper() or first.isdigit() else 0)
            | (_COMMON if low in _common_words() else 0)
        )
        return code


_TERM, _STOP, _MARKED, _COMMON = 1, 2, 4, 8
_VOCAB = _Vocab()


class Terms:
    """Word/number tokens of one text.

    ``ids`` are the 32-bit hashes of the lower-cased forms (uint32), ``starts``/``ends``
    character offsets into the original text, ``stop`` marks function words, ``marked``
    capitalised words and numbers, ``common`` the 20,000 most frequent English words.
    ``immutable`` = function words, numbers and capitalised words; ``rare`` = lower-case
    words outside the common ones; ``lower`` (computed on first use) the lower-cased forms.
    """

    def __init__(
        self,
        forms: list[str],
        keep: np.ndarray,
        ids: np.ndarray,
        starts: np.ndarray,
        ends: np.ndarray,
        flags: np.ndarray,
    ) -> None:
        self._all_forms = forms
        self._keep = keep
        self.ids = ids
        self.starts = starts
        self.ends = ends
        self.stop = (flags & _STOP) > 0
        self.marked = (flags & _MARKED) > 0
        self.common = (flags & _COMMON) > 0

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def lower(self) -> list[str]:
        forms = [self._all_forms[i] for i in self._keep.tolist()]
        low = "\n".join(forms).lower()
        if not low.isascii():
            low = low.translate(_homoglyphs())
        return low.split("\n") if forms else []

    @property
    def immutable(self) -> np.ndarray:
        return self.stop | self.marked

    @property
    def rare(self) -> np.ndarray:
        return ~self.common & ~self.marked


def terms_of(text: str | Tokens) -> Terms:
    """Word and number tokens of ``text`` with their hashes and flags."""
    global _VOCAB
    toks = text if isinstance(text, Tokens) else tokenize(text)
    forms = toks.forms
    if len(_VOCAB) > _Vocab.LIMIT:
        _VOCAB = _Vocab()
    vocab = _VOCAB
    codes = np.fromiter(map(vocab.__getitem__, forms), dtype=np.int64, count=len(forms))
    flags = vocab.flags[codes]
    keep = np.flatnonzero(flags & _TERM)
    codes = codes[keep]
    return Terms(forms, keep, vocab.hash[codes], toks.starts[keep], toks.ends[keep], flags[keep])
