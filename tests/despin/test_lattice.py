from __future__ import annotations

import numpy as np
import pytest

from unspin.despin import lattice
from unspin.despin.api import load_restorer
from unspin.despin.lattice import apply_edits, decode
from unspin.detect.evidence import gather
from unspin.text import tokenize


def test_apply_edits() -> None:
    text = "a bc def"
    assert apply_edits(text, [2, 5], [4, 8], ["X", "YZ"]) == "a X YZ"
    assert apply_edits(text, [], [], []) == text


def test_clean_text_almost_unchanged() -> None:
    r = load_restorer()
    text = (
        "The company said on Monday that its profit rose in the third quarter, "
        "helped by strong demand for its products in China and the United States. "
        "Shares of the company closed up 3 percent in New York, and analysts said the "
        "results were better than expected."
    )
    ev = gather(text, r.res)
    assert len(decode(ev, r.res, r.model)) <= 2  # of 45 words


def test_allowed_mask_blocks_changes() -> None:
    r = load_restorer()
    text = "Officials acknowledged on Monday that the replace war would hurt the economic system."
    ev = gather(text, r.res)
    assert decode(ev, r.res, r.model, allowed=np.zeros(len(ev.tokens), dtype=bool)) == []


def test_options_much_rarer_than_the_word_are_not_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    # "percent" -> "pct": the 1987 training stories' house style, which the LM and the
    # decision model favour; wordfreq Zipf 3.2 against 5.0 (MAX_RARER = 1.5)
    r = load_restorer()
    text = (
        "The company said on Tuesday that its profit rose 12 percent in the third quarter, "
        "while sales climbed 5 percent to $3.2 billion."
    )
    ev = gather(text, r.res)
    tp = r._token_prob(ev)

    def options() -> set[str]:
        return {o for c in lattice._candidates(ev, r.res, r.model, tp, None) for o in c.options}

    assert "pct" not in options()
    assert "percent" in r.restore(text).restored
    monkeypatch.setattr(lattice, "MAX_RARER", 99.0)
    assert "pct" in options()


@pytest.mark.parametrize(
    ("word", "article"),
    [
        ("increase", "an"),
        ("rise", "a"),
        ("hour", "an"),
        ("Honest", "an"),
        ("unit", "a"),
        ("European", "a"),
        ("one", "a"),
        ("umbrella", "an"),
        ("unidentified", "an"),
        ("union", "a"),
        ("onerous", "an"),
        ("FBI", None),
        ("2019", None),
    ],
)
def test_article_for(word: str, article: str | None) -> None:
    from unspin.despin.lattice import article_for

    assert article_for(word) == article


def test_articles_follow_the_restored_word_only_where_they_agreed_with_the_spun_one() -> None:
    from unspin.despin.lattice import TokenEdit, agree_articles

    text = "There was a rise in sales. A increase in costs followed. An rise, an gain."
    tokens = tokenize(text)
    at = {w: i for i, w in reversed(list(enumerate(tokens.forms)))}  # first index of each
    rise, increase = at["rise"], at["increase"]
    later_rise = max(i for i, w in enumerate(tokens.forms) if w == "rise")
    gain = at["gain"]
    edits = [
        TokenEdit(rise, rise + 1, "increase", 0.8),  # "a rise": the article agreed -> "an"
        TokenEdit(increase, increase + 1, "rise", 0.7),  # "A increase" was off: left alone
        TokenEdit(later_rise, later_rise + 1, "increase", 0.6),  # "An rise" was off: left
        TokenEdit(gain - 1, gain + 1, "a profit", 0.5),  # the article is inside the edit
    ]
    fixed = agree_articles(tokens, edits)
    assert [(tokens.forms[e.first], e.text, e.confidence) for e in fixed] == [("a", "an", 0.8)]
