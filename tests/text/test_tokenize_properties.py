"""Hypothesis properties of the tokenizer on arbitrary Unicode."""

from __future__ import annotations

import importlib

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from unspin.text import normalize, tokenize
from unspin.text.normalize import _ONE_TO_ONE, _REMOVE

# Text that mixes ordinary prose with the characters normalisation cares about, so that
# both the fast (identity map) and the slow (per grapheme) paths are exercised.
_SPECIAL = (
    "\u00ad\u200b\u200d\ufeff\ufb01\u2019\u201c\u2014\u00a0\r\n\t e\u0301q\u0483\u0651"
    "\U0001d167\U000e0100"  # astral combining marks
)
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from("abc U.S. 's 1,0 -\n" + _SPECIAL)),
    st.lists(
        st.sampled_from(
            [
                "Mr.",
                "U.S.",
                "don't",
                "café",
                "ﬁne",
                "x\u00ady",
                "e\u0301",
                "\u200b",
                " ",
                "\n\n",
                "3.5",
                "G20",
                "—",
                "«",
                "👍🏽",
                "\r\n",
            ]
        ),
        max_size=30,
    ).map("".join),
)


def _blank(c: str) -> bool:
    """Characters that normalise to nothing or to white space."""
    return c.isspace() or c in _REMOVE or _ONE_TO_ONE.get(c, "x").isspace()


@settings(max_examples=400, deadline=None)
@given(texts)
@example("q\u0483\u00ad")
@example("\ufb01\u00ad x")
def test_token_offsets_point_into_the_original(text: str) -> None:
    toks = tokenize(text)
    for t in toks:
        assert text[t.start : t.end] == t.text
        assert t.text and t.norm


@settings(max_examples=400, deadline=None)
@given(texts)
@example("q\u0483\u00ad")
@example("e\u0301\U0001d167\u00ad")
def test_tokens_are_increasing_and_disjoint(text: str) -> None:
    toks = tokenize(text)
    s, e = toks.starts, toks.ends
    assert np.all(s < e)
    assert np.all(e[:-1] <= s[1:])


@settings(max_examples=400, deadline=None)
@given(texts)
@example("a\u00adb \u0301")
def test_every_visible_character_is_in_exactly_one_token(text: str) -> None:
    toks = tokenize(text)
    cover = np.zeros(len(text) + 1, dtype=np.int64)
    np.add.at(cover, toks.starts, 1)
    np.add.at(cover, toks.ends, -1)
    depth = np.cumsum(cover)[: len(text)]
    for i, c in enumerate(text):
        if not _blank(c):
            assert depth[i] == 1, (i, c, text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7E, min_codepoint=0x20)))
def test_ascii_forms_are_the_original_text(text: str) -> None:
    toks = tokenize(text)
    assert [t.text for t in toks] == toks.forms
    assert normalize(text).is_identity


def test_recomposed_grapheme_split_by_the_pattern_is_one_token() -> None:
    toks = tokenize("x e\u0301\U0001d167\u00ad y")
    assert [t.text for t in toks] == ["x", "e\u0301\U0001d167", "y"]
    assert toks.forms[1] == "\u00e9\U0001d167"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_pattern_agrees_with_the_unicode_pattern(text: str) -> None:
    mod = importlib.import_module("unspin.text.tokenize")  # the package shadows the name
    for body in (normalize(text).text.rstrip(), text.rstrip()):  # also raw control chars
        assert mod._ASCII_TOKEN_RE.findall(body) == mod._TOKEN_RE.findall(body)
