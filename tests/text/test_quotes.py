"""Which tokens stand inside quotation marks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from unspin.text import quoted, tokenize


def _inside(text: str) -> list[str]:
    t = tokenize(text)
    return [f for f, q in zip(t.forms, quoted(t), strict=True) if q]


def test_curly_quotes() -> None:
    text = "The minister said “we will not raise taxes,” and left. Talks go on."
    assert _inside(text) == ["we", "will", "not", "raise", "taxes", ","]


def test_straight_quotes_open_after_a_space_and_close_after_a_word() -> None:
    text = '"This is a fair deal," he said, adding: "It will hold." Markets rose.'
    assert _inside(text) == ["This", "is", "a", "fair", "deal", ",", "It", "will", "hold", "."]


def test_a_quote_left_open_ends_with_its_paragraph() -> None:
    text = "He said “the first part.\n\n“The second part,” he added. Then more narration."
    assert _inside(text) == ["the", "first", "part", ".", "The", "second", "part", ","]
    # an unclosed straight quote stops at the paragraph end, too
    assert _inside('She said "yes and no.\nLater the board met.') == ["yes", "and", "no", "."]


def test_a_line_break_inside_a_sentence_does_not_close_a_quote() -> None:
    assert _inside("“a wrapped\nquote” after") == ["a", "wrapped", "quote"]


def test_no_quotes_nothing_quoted_and_apostrophes_are_not_quotes() -> None:
    assert _inside("The company's shares fell 5% on Monday, its worst day.") == []
    assert _inside("") == []


@given(st.text(alphabet=st.sampled_from(list('ab “”"\n.,«»')), max_size=60))
def test_quote_marks_themselves_are_never_quoted(text: str) -> None:
    t = tokenize(text)
    q = quoted(t)
    assert len(q) == len(t)
    assert not any(q[i] for i, f in enumerate(t.forms) if f == '"')
