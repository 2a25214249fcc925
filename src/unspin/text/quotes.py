"""Quoted speech: which tokens of a text stand inside quotation marks.

Content farms often leave quotations as they are (a changed quote is a misquote) and spin
the narration around them; a clean article's quotes are spoken language, which a news
language model reads as unusual. Detection therefore judges a document on its narration
(:func:`unspin.detect.features.doc_features`).

Marks are read from the source text: ``“ „ ‟ «`` open, ``” »`` close; a straight ``"``
opens after a space, an opening bracket or the start of the text and closes otherwise
(as "smart quote" substitution reads it). A quotation left open ends with its paragraph:
a blank line, or a line break after a sentence end (a quote that runs over several
paragraphs opens again at each one, as news style has it). Double marks only: a single
``'`` or ``’`` is an apostrophe far more often than a quotation mark.
"""

from __future__ import annotations

import numpy as np

from unspin.text.tokenize import Tokens

__all__ = ["quoted"]

_OPEN = frozenset("“„‟«")
_CLOSE = frozenset("”»")
_BEFORE_OPEN = frozenset(" \t\n\r([{—–-/")
_SENTENCE_END = frozenset(".!?:;\"'”’)")


def quoted(tokens: Tokens) -> np.ndarray:
    """Per token, ``True`` inside quotation marks (the marks themselves are not)."""
    out = np.zeros(len(tokens), dtype=bool)
    src = tokens.source
    forms = tokens.forms
    inside = False
    prev_end = 0
    for i, (s, e) in enumerate(zip(tokens.starts.tolist(), tokens.ends.tolist(), strict=True)):
        if inside and _paragraph_break(src, prev_end, s):
            inside = False
        if forms[i] == '"':
            ch = src[s] if s < len(src) else '"'
            if ch in _OPEN:
                inside = True
            elif ch in _CLOSE:
                inside = False
            else:  # straight (or another mark folded to one): its neighbours decide
                inside = s == 0 or src[s - 1] in _BEFORE_OPEN
        else:
            out[i] = inside
        prev_end = e
    return out


def _paragraph_break(src: str, a: int, b: int) -> bool:
    """Whether the gap ``src[a:b]`` between two tokens ends a paragraph: a blank line, or
    a line break after a sentence end."""
    breaks = src.count("\n", a, b)
    if breaks == 0:
        return False
    return breaks >= 2 or (src[a - 1] if a > 0 else ".") in _SENTENCE_END
