"""Normalisation cases: NFC, quotes, dashes, invisible characters, ligatures, CRLF."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# Homoglyphs: look-alike letters of other scripts, as on a real disguised reprint
DISGUISED = "Preѕident Donald Trump's three keу appointmentѕ moᴠed the ᴄourt to the right."
PLAIN = "President Donald Trump's three key appointments moved the court to the right."


def test_homoglyphs_are_read_as_the_latin_letters_they_imitate() -> None:
    n = normalize(DISGUISED)
    assert n.text == PLAIN
    assert n.homoglyphs == 5 and n.is_identity  # one character each: offsets unchanged
    toks = tokenize(DISGUISED)
    word = next(t for t in toks if t.norm == "appointments")
    assert word.text == "appointmentѕ"  # results still point at the disguised original


def test_small_capitals_and_cyrillic_lookalikes_fold_too() -> None:
    n = normalize("Conѕerᴠatiᴠe juѕtiᴄeѕ, the ʙenᴄh and the ᴍajority, naмed")
    assert n.text == "Conservative justices, the bench and the majority, named"
    assert n.homoglyphs == 10


def test_text_in_other_scripts_keeps_its_letters() -> None:
    for text in [
        "Президент России Владимир Путин заявил в среду",
        "Ο πρωθυπουργός είπε ότι η κυβέρνηση θα",
        "Кремль: iPhone запрещен для чиновников",
        "The café in Zürich serves naïve µg doses",
        "one diѕguised word, one more ѕo, is not yet a disguise",  # two mixed words
    ]:
        n = normalize(text)
        assert n.text == normalize_str(text) and n.homoglyphs == 0
        assert n.text == text


def test_fold_a_passage_of_a_known_disguised_text() -> None:
    from unspin.text.normalize import fold_homoglyphs

    assert fold_homoglyphs("keу", 0) == ("key", 1)
    assert fold_homoglyphs("keу")[1] == 0  # alone it is not taken for a disguise


_LOOKALIKE = {
    "a": "\u0430",
    "e": "\u0435",
    "o": "\u043e",
    "c": "\u0441",
    "s": "\u0455",
    "y": "\u0443",
}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="aecosyAtrnd", min_size=1, max_size=9), min_size=3, max_size=30),
    st.data(),
)
def test_a_disguised_text_tokenizes_as_the_plain_one(words: list[str], data: st.DataObject) -> None:
    plain = " ".join(words) + "."
    # disguise some letters of some words (always at least three words mixing scripts)
    hidden = []
    mixed = 0
    for w in words:
        keep = data.draw(st.lists(st.booleans(), min_size=len(w), max_size=len(w)))
        h = "".join(c if k else _LOOKALIKE.get(c, c) for c, k in zip(w, keep, strict=True))
        hidden.append(h)
        mixed += h != w and any(c.isascii() and c.isalpha() for c in h)
    text = " ".join(hidden) + "."
    n = normalize(text)
    if mixed >= 3:
        assert n.text == plain
        a, b = tokenize(text), tokenize(plain)
        assert a.forms == b.forms
        assert a.starts.tolist() == b.starts.tolist() and a.ends.tolist() == b.ends.tolist()
    else:
        assert n.homoglyphs == 0
