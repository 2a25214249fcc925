"""Rule-based sentence splitting over :class:`~unspin.text.tokenize.Tokens`.

A sentence ends after ``.``, ``!`` or ``?`` (plus any closing quotes or brackets) when the
next token starts with an upper-case letter, a digit or an opening quote, and the token
before the full stop is not a known abbreviation (``Mr.``, ``Jan.``) or a dotted initialism
followed by a lower-case word. A blank line always ends a sentence (paragraph break).
"""

from __future__ import annotations

import numpy as np

from unspin.text.tokenize import Tokens, tokenize

__all__ = ["sentence_bounds", "sentence_texts"]

_ENDERS = frozenset(".!?")
_CLOSERS = frozenset("\"')]}")
_OPENERS = frozenset("\"'([{")
_ABBREV = frozenset(
    (
        "mr mrs ms dr prof sr jr st mt gen col lt sgt capt gov sen rep rev hon fr jan feb mar "
        "apr jun jul aug sep sept oct nov dec no nos vs etc inc corp co ltd bros dept univ "
        "approx est fig vol pp"
    ).split()
)


def sentence_bounds(tokens: Tokens) -> list[tuple[int, int]]:
    """Sentences as ``[first_token, last_token + 1)`` ranges, covering every token."""
    n = len(tokens)
    if n == 0:
        return []
    forms = tokens.forms
    src = tokens.source
    starts, ends = tokens.starts, tokens.ends
    # A paragraph break (blank line) between token i-1 and i.
    gaps = [src[int(ends[i - 1]) : int(starts[i])] for i in range(1, n)]
    para = np.fromiter((g.count("\n") >= 2 for g in gaps), dtype=bool, count=n - 1)
    out: list[tuple[int, int]] = []
    begin = 0
    i = 0
    while i < n:
        cut = -1
        f = forms[i]
        if f in _ENDERS:
            j = i + 1
            while j < n and forms[j] in _CLOSERS and not para[j - 1]:
                j += 1
            if j >= n:
                cut = n
            else:
                nxt = forms[j]
                prev = forms[i - 1].lower() if i > 0 else ""
                starts_sentence = nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in _OPENERS
                if para[j - 1] or (starts_sentence and not (f == "." and prev in _ABBREV)):
                    cut = j
        elif (
            f.endswith(".")
            and len(f) > 2
            and i + 1 < n
            and forms[i + 1] in {"The", "A", "An", "It", "He", "She", "They", "We", "I"}
        ):
            # "... from the U.S. The talks": an initialism ends a sentence only before a
            # capitalised function word.
            cut = i + 1
        if cut < 0 and i + 1 < n and para[i]:
            cut = i + 1
        if cut > 0:
            out.append((begin, cut))
            begin = cut
            i = cut
        else:
            i += 1
    if begin < n:
        out.append((begin, n))
    return out


def sentence_texts(text: str) -> list[str]:
    """The sentences of ``text`` as strings of its original characters (from the first
    token to the last: the spaces between sentences are dropped)."""
    toks = tokenize(text)
    return [
        text[int(toks.starts[a]) : int(toks.ends[b - 1])] for a, b in sentence_bounds(toks) if b > a
    ]
