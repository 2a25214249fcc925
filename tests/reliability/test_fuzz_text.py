"""The text layer and ``check_text`` on arbitrary Unicode: no exception, sane results.

tests/text covers the tokenizer's offset properties on prose-like text; these add every
code point (lone surrogates included), invisible and bidirectional controls, look-alike
letters and right-to-left scripts, and carry the text on through sentences and the scorer.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings

from tests.reliability.strategies import any_text, news_text, texts
from unspin.detect import check_text
from unspin.output import to_json_line
from unspin.text import normalize, sentence_bounds, tokenize

_FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(texts)
def test_normalize_maps_every_character_back_into_the_source(text: str) -> None:
    n = normalize(text)
    assert n.source == text
    if n.starts is not None and n.ends is not None:
        assert len(n.starts) == len(n.ends) == len(n.text)
        assert (n.starts >= 0).all() and (n.ends <= len(text)).all()
        assert (n.starts <= n.ends).all()
        assert (n.starts[1:] >= n.starts[:-1]).all()
    else:
        assert len(n.text) == len(text)


@_FAST
@given(texts)
def test_tokens_and_sentences_cover_the_text(text: str) -> None:
    toks = tokenize(text)
    n = len(toks)
    assert len(toks.forms) == len(toks.starts) == len(toks.ends) == len(toks.is_word) == n
    assert (toks.starts < toks.ends).all() if n else True
    assert (toks.ends <= len(text)).all() if n else True
    bounds = sentence_bounds(toks)
    flat = [i for a, b in bounds for i in range(a, b)]
    assert flat == list(range(n)), "sentences partition the tokens in order"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text | news_text)
def test_check_text_on_anything_is_a_result_not_an_exception(text: str) -> None:
    res = check_text(text, id="fuzz")
    assert res.label in {"spun", "clean", "not_scored"}
    if res.label == "not_scored":
        assert res.spin_probability is None and res.reason
    else:
        assert res.spin_probability is not None and 0.0 <= res.spin_probability <= 1.0
    for s in res.spans:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
    json.loads(to_json_line(res))  # the CLI contract serialises whatever came in
