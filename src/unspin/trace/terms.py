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


# Latin look-alikes that content farms mix into words to dodge matching (Cyrillic, Greek,
# small capitals). Folded before hashing only; offsets and shown text are untouched.
_HOMOGLYPHS = str.maketrans(
    "аеорсухіјѕԁԛԝѵаеіοрсхντυкмнвᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ",
    "aeopcyxijsdqwvaeiopcxvtukmhbabcdefghijklmnoprstuvwyz",
)


@lru_cache(maxsize=1 << 18)
def _hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


class Terms:
    """Word/number tokens of one text.

    ``lower`` are the lower-cased forms, ``ids`` their 32-bit hashes (uint32),
    ``starts``/``ends`` character offsets into the original text, ``stop`` marks function
    words. Computed on first use (alignment alone never needs them): ``immutable`` marks
    function words, numbers and capitalised words, ``rare`` lower-case words outside the
    20,000 most frequent.
    """

    def __init__(
        self,
        forms: list[str],
        lower: list[str],
        ids: np.ndarray,
        starts: np.ndarray,
        ends: np.ndarray,
        stop: np.ndarray,
    ) -> None:
        self.forms = forms
        self.lower = lower
        self.ids = ids
        self.starts = starts
        self.ends = ends
        self.stop = stop

    def __len__(self) -> int:
        return len(self.lower)

    @cached_property
    def marked(self) -> np.ndarray:
        """Capitalised words and numbers."""
        n = len(self.forms)
        firsts = [f[0] for f in self.forms]
        out = np.fromiter(map(str.isupper, firsts), dtype=bool, count=n)
        return out | np.fromiter(map(str.isdigit, firsts), dtype=bool, count=n)

    @cached_property
    def immutable(self) -> np.ndarray:
        return self.stop | self.marked

    @cached_property
    def rare(self) -> np.ndarray:
        common = np.fromiter(
            map(_common_words().__contains__, self.lower), dtype=bool, count=len(self.lower)
        )
        return ~common & ~self.marked


def terms_of(text: str | Tokens) -> Terms:
    """Word and number tokens of ``text`` with their hashes and function-word flags."""
    toks = text if isinstance(text, Tokens) else tokenize(text)
    all_forms = toks.forms
    keep = [i for i, f in enumerate(all_forms) if f[0].isalnum()]  # words and numbers
    forms = [all_forms[i] for i in keep]
    n = len(forms)
    low = "\n".join(forms).lower()  # one C-level pass instead of one call per token
    if not low.isascii():
        low = low.translate(_HOMOGLYPHS)
    lower = low.split("\n") if n else []
    stop = np.fromiter(map(STOP_WORDS.__contains__, lower), dtype=bool, count=n)
    ids = np.fromiter(map(_hash, lower), dtype=np.uint32, count=n)
    idx = np.asarray(keep, dtype=np.int64)
    return Terms(forms, lower, ids, toks.starts[idx], toks.ends[idx], stop)
