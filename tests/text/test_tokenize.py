"""Tokenizer examples: words, numbers, abbreviations, clitics, hyphens, kinds."""

from __future__ import annotations

from unspin.text import Kind, tokenize


def test_token_kinds_and_boundaries() -> None:
    toks = tokenize("The U.S. said it's buying 1,000.5 tonnes of high-tech G20 kit.")
    assert toks.forms == [
        "The", "U.S.", "said", "it", "'s", "buying", "1,000.5", "tonnes", "of",
        "high", "-", "tech", "G20", "kit", ".",
    ]  # fmt: skip
    kinds = [Kind(int(k)) for k in toks.kinds]
    assert kinds[1] == Kind.WORD and kinds[6] == Kind.NUMBER and kinds[-1] == Kind.PUNCT
    assert toks.is_word.sum() == 12


def test_words_before_dotted_initials_stay_whole() -> None:
    assert tokenize("ab.C. and e.g. this")[0].text == "ab"
    assert tokenize("see e.g. this").forms == ["see", "e.g.", "this"]


def test_empty_and_blank() -> None:
    assert len(tokenize("")) == 0
    assert len(tokenize(" \n\t ")) == 0


def test_nul_inside_a_hand_made_normalized_text() -> None:
    from unspin.text.normalize import Normalized

    toks = tokenize(Normalized("a\x00b c", "a\x00b c"))
    assert toks.forms == ["a", "\x00", "b", "c"]
    assert toks.starts.tolist() == [0, 1, 2, 4] and toks.ends.tolist() == [1, 2, 3, 5]


def test_non_ascii_offsets() -> None:
    text = "Zürich’s café — “ﬁne” 💶5"
    toks = tokenize(text)
    assert [t.text for t in toks] == ["Zürich", "’s", "café", "—", "“", "ﬁne", "”", "💶", "5"]
