"""Evidence gathering: the last document's evidence is handed out again, never stale."""

from __future__ import annotations

import numpy as np

from unspin.despin.api import load_restorer
from unspin.detect import check_text, default_scorer
from unspin.detect import evidence as ev_mod
from unspin.detect.evidence import gather, load_resources, with_pairs
from unspin.text import tokenize


def test_the_same_text_gets_the_same_evidence(spun_text: str, related_text: str) -> None:
    res = load_resources()
    ev = gather(spun_text, res)
    assert gather(spun_text, res) is ev
    assert gather(tokenize(spun_text), res) is ev  # tokens of the same text: same key
    other = gather(related_text, res)
    assert other is not ev and other.tokens.source == related_text
    assert gather(spun_text, res) is not ev  # only the last text is kept


def test_other_resources_get_their_own_evidence(spun_text: str) -> None:
    res = load_resources()
    ev = gather(spun_text, res)
    learned = with_pairs(res, [("acknowledged", "stated", 5)])
    ev2 = gather(spun_text, learned)
    assert ev2 is not ev
    at = ev2.tokens.lower.index("acknowledged")
    assert any("stated" in s.options for s in ev2.sites if s.first == at)


def test_kept_evidence_equals_fresh_evidence(spun_text: str) -> None:
    res = load_resources()
    kept = gather(spun_text, res)
    ev_mod._LAST = None
    fresh = gather(spun_text, res)
    assert fresh is not kept
    assert [(s.first, s.last, s.options) for s in fresh.sites] == [
        (s.first, s.last, s.options) for s in kept.sites
    ]
    np.testing.assert_array_equal(fresh.site_gain, kept.site_gain)


def test_restore_after_check_is_restore_alone(spun_text: str) -> None:
    # scan checks a document, then restores it from the evidence check left behind
    rest = load_restorer()
    det = default_scorer()
    ev_mod._LAST = None
    det._last_rows = None  # type: ignore[attr-defined]
    alone = rest.restore(spun_text)
    check_text(spun_text)
    assert det._last_rows is not None  # type: ignore[attr-defined]
    after = rest.restore(spun_text)
    assert after == alone


def test_a_disguised_text_scores_as_the_plain_one(spun_text: str) -> None:
    disguised = spun_text.replace("s", "\u0455").replace("e", "\u0435")
    plain, hidden = check_text(spun_text), check_text(disguised)
    assert hidden.label == plain.label == "spun"
    assert hidden.spin_probability == plain.spin_probability
    assert [(s.start, s.end, s.original) for s in hidden.spans] == [
        (s.start, s.end, s.original) for s in plain.spans
    ]
    assert any("homoglyphs" in w for w in hidden.warnings)
    assert not any("homoglyphs" in w for w in plain.warnings)
