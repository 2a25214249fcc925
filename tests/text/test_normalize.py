"""Normalisation cases: NFC, quotes, dashes, invisible characters, ligatures, CRLF."""

from __future__ import annotations

import pytest

from unspin.text import normalize, normalize_str, tokenize


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("cafe\u0301", "café"),  # NFC composition
        (
            "\u2018quoted\u2019 \u201cdouble\u201d \u00abguillemets\u00bb",
            '\'quoted\' "double" "guillemets"',
        ),
        ("it\u2019s", "it's"),
        ("2010\u20132012 \u2014 a\u2212b", "2010-2012 - a-b"),
        ("non\u00a0breaking\u2009thin\u3000ideographic", "non breaking thin ideographic"),
        ("soft\u00adhy\u00adphen", "softhyphen"),
        ("zero\u200bwidth\u200c\u200djoin\ufeff", "zerowidthjoin"),
        ("\u202eright-to-left\u202c", "right-to-left"),
        ("\ufb01nance and \ufb02ow, e\ufb00ort, o\ufb03ce", "finance and flow, effort, office"),
        ("line one\r\nline two\r\n", "line one \nline two \n"),
        ("bell\x07 and esc\x1b", "bell  and esc "),
        ("para\u2029next\u2028line", "para\nnext\nline"),
        ("plain ASCII stays put.", "plain ASCII stays put."),
    ],
)
def test_normalize_cases(raw: str, norm: str) -> None:
    assert normalize_str(raw) == norm


def test_identity_map_when_lengths_are_kept() -> None:
    n = normalize("\u201cQuote\u201d \u2014 and\r\n")
    assert n.is_identity and len(n.text) == len(n.source)


def test_offsets_map_back_through_removals_and_expansions() -> None:
    raw = "The \ufb01rst e\u0301clair was sof\u00adt."
    n = normalize(raw)
    assert n.text == "The first éclair was soft."
    i = n.text.index("first")
    assert raw[slice(*n.span_to_source(i, i + 5))] == "\ufb01rst"
    i = n.text.index("éclair")
    assert raw[slice(*n.span_to_source(i, i + 6))] == "e\u0301clair"
    i = n.text.index("soft")
    assert raw[slice(*n.span_to_source(i, i + 4))] == "sof\u00adt"


def test_tokens_of_disguised_words_are_the_plain_words() -> None:
    raw = "A tra\u00adde\u200b deal \u201cwon\u2019t\u201d be \ufb01nal."
    toks = tokenize(raw)
    assert [f for f in toks.forms if f.isalpha()] == ["A", "trade", "deal", "won", "be", "final"]
    trade = next(t for t in toks if t.norm == "trade")
    assert trade.text == "tra\u00adde"  # the original spelling, soft hyphen included
    assert "'t" in toks.forms


def test_combining_marks_stay_inside_their_word() -> None:
    # Devanagari vowel signs and Cyrillic titlo are combining marks outside U+0300-036F.
    for word in ["हिन्दी", "q\u0483", "Zu\u0308rich"]:
        toks = tokenize(f"say {word} now")
        assert toks.forms[1] == normalize_str(word) and len(toks) == 3
