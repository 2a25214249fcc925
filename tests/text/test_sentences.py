"""Sentence splitting on realistic news text."""

from __future__ import annotations

import itertools
from pathlib import Path

from unspin.text import sentence_bounds, sentence_texts, tokenize

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def sentences(text: str) -> list[str]:
    toks = tokenize(text)
    return [text[toks.starts[a] : toks.ends[b - 1]] for a, b in sentence_bounds(toks)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = (FIXTURES / "short_story.txt").read_text(encoding="utf-8")
    assert sentences(text) == [
        "Mr. Alan Brooks of Riverton said on Monday the U.S. trade team would arrive in "
        "Lisbon next week.",
        '"We expect a deal," he said.',
        "Talks begin at 9 a.m. on Friday.",
    ]


def test_month_abbreviation_before_a_day() -> None:
    assert sentences("Talks begin on Jan. 5 in Geneva.") == ["Talks begin on Jan. 5 in Geneva."]


def test_initialism_then_capitalised_function_word_ends_a_sentence() -> None:
    assert sentences("Tariffs hit the U.S. The talks failed.") == [
        "Tariffs hit the U.S.",
        "The talks failed.",
    ]


def test_closing_quote_belongs_to_its_sentence() -> None:
    assert sentences('He said: "It is over." Then he left! Why? Nobody knows.') == [
        'He said: "It is over."',
        "Then he left!",
        "Why?",
        "Nobody knows.",
    ]


def test_paragraph_break_ends_a_sentence_without_punctuation() -> None:
    assert sentences("US-China trade talks\n\nWASHINGTON (Reuters) - Talks resume.") == [
        "US-China trade talks",
        "WASHINGTON (Reuters) - Talks resume.",
    ]


def test_lower_case_after_full_stop_does_not_split() -> None:
    assert sentences("Shares rose 3.5 pct. to 12 dlrs in early trade.") == [
        "Shares rose 3.5 pct. to 12 dlrs in early trade."
    ]


def test_bounds_cover_every_token() -> None:
    toks = tokenize("One. Two! Three? \n\nFour")
    bounds = sentence_bounds(toks)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(toks)
    assert all(a < b for a, b in bounds)
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(bounds))
    assert sentence_bounds(tokenize("")) == []


def test_sentence_texts_are_the_original_characters() -> None:
    text = 'Mr. Smith left.  He said: "No."\n\nA new\nline follows'
    assert sentence_texts(text) == ["Mr. Smith left.", 'He said: "No."', "A new\nline follows"]
    assert all(t in text for t in sentence_texts(text))
    assert sentence_texts("") == [] and sentence_texts("   ") == []
