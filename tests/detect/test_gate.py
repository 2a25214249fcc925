from __future__ import annotations

import pytest

from unspin.detect import check_document, check_text
from unspin.detect.gate import MIN_WORDS, word_prefix
from unspin.io.document import Document
from unspin.text import tokenize


def test_short_text_is_not_scored() -> None:
    r = check_text("Only a few words here.")
    assert r.label == "not_scored" and r.spin_probability is None
    assert "too short" in (r.reason or "")


def test_non_english_is_not_scored() -> None:
    text = "Le président a déclaré mardi que les négociations commerciales reprendraient. " * 8
    r = check_text(text)
    assert r.label == "not_scored" and "not English" in (r.reason or "")


def test_mostly_symbols_is_not_scored() -> None:
    text = " ".join(["%$#@! 123 ;;"] * 60) + " " + "word " * MIN_WORDS
    r = check_text(text)
    assert r.label == "not_scored" and "non-text" in (r.reason or "")


def test_read_error_flows_through_as_not_scored() -> None:
    r = check_document(Document(id="x", text="", error="binary file, not text"))
    assert r.label == "not_scored" and r.reason == "binary file, not text"


def test_english_article_is_scored(spun_text: str, related_text: str) -> None:
    for text in (spun_text, related_text):
        r = check_text(text)
        assert r.label in {"spun", "clean"}
        assert r.spin_probability is not None and 0.0 <= r.spin_probability <= 1.0


def test_span_offsets_point_at_their_text(spun_text: str) -> None:
    r = check_text(spun_text)
    assert r.spans
    for s in r.spans:
        assert spun_text[s.start : s.end] == s.text


def test_deterministic(spun_text: str) -> None:
    assert check_text(spun_text).to_dict() == check_text(spun_text).to_dict()


def test_plain_english_skips_the_language_identifier(spun_text: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from unspin.detect import gate
    from unspin.text import tokenize

    def refuse(text: str) -> str:
        raise AssertionError("language identifier called")

    monkeypatch.setattr(gate, "detect_language", refuse)
    assert gate.scorability(tokenize(spun_text)).ok
    german = "Der Präsident sagte am Dienstag, dass die Handelsgespräche weitergehen. " * 8
    with pytest.raises(AssertionError, match="language identifier called"):
        gate.scorability(tokenize(german))  # no English markers: the identifier decides


def test_a_long_text_is_judged_on_its_first_words(spun_text: str) -> None:
    long = spun_text + "\n\n" + spun_text  # ~2,600 words; judged on the first 1,000
    res = check_text(long, max_words=1000)
    assert res.label in ("spun", "clean") and res.n_words > 2000
    assert any(w.startswith("long text (") and "first 1,000 words" in w for w in res.warnings)
    cut = word_prefix(tokenize(long), 1000)
    assert cut is not None and all(s.end <= cut for s in res.spans)
    assert all(long[s.start : s.end] == s.text for s in res.spans)
    assert word_prefix(tokenize(spun_text), 5000) is None
