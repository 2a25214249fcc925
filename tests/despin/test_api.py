from __future__ import annotations

import pytest

import unspin
from unspin.corpora import shared_dir
from unspin.despin import restore_document
from unspin.io.document import Document


def _consistent(text: str, res: unspin.RestoreResult) -> None:
    pos, parts = 0, []
    for c in res.changes:
        assert text[c.start : c.end] == c.text
        assert c.start >= pos and 0.0 <= c.confidence <= 1.0
        parts += [text[pos : c.start], c.original]
        pos = c.end
    parts.append(text[pos:])
    assert "".join(parts) == res.restored


def test_top_level_restore_clean_text() -> None:
    text = "Prime Minister Boris Johnson said on Tuesday that the government would act."
    res = unspin.restore(text, id="t")
    assert res.id == "t"
    assert res.restored == text and res.changes == []


def test_document_errors_pass_through() -> None:
    res = restore_document(Document("d", "", error="unreadable"))
    assert res.reason == "unreadable" and res.restored == ""


def test_seed_000() -> None:
    shared = shared_dir()
    if shared is None:
        pytest.skip("needs /work/shared (seed 000)")
    path = next(iter(sorted((shared / "seeds").glob("000_*.txt"))))
    text = path.read_text(encoding="utf-8")[:3000]  # the first paragraphs keep the test fast
    res = unspin.restore(text)
    _consistent(text, res)
    got = {(c.text.lower(), c.original.lower()) for c in res.changes}
    assert ("chinese language", "chinese") in got
    assert ("usa", "united states") in got
    n_words = len(text.split())
    assert 8 <= len(res.changes) < n_words // 3
    # padding is undone by dropping a common word, never a name ("A USTR" -> "A")
    for c in res.changes:
        if c.text.lower().startswith(c.original.lower() + " "):
            assert not c.text[len(c.original) + 1].isupper(), c


def test_pairs_learned_later_reach_a_reloaded_restorer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from unspin.despin.api import load_restorer
    from unspin.lexicon.learned import LearnedStore

    store = tmp_path / "learned.sqlite"
    before = load_restorer(store)
    assert "frobnicated" not in before.res.lexicon.learned
    with LearnedStore(store) as st:
        st.add([("frobnicated", "said")] * 2)
    load_restorer.cache_clear()
    after = load_restorer(store)
    assert "said" in after.res.lexicon.learned.get("frobnicated", {})
    assert "said" in after.res.source.options("frobnicated")[0][0]


def test_with_threshold_validates_and_keeps_the_shared_restorer() -> None:
    from unspin.despin import load_restorer, with_threshold

    rest = load_restorer()
    assert with_threshold(rest, None) is rest
    low = with_threshold(rest, 0.2)
    assert low.model.threshold == 0.2 and rest.model.threshold != 0.2
    assert low.res is rest.res  # no reloading
    for bad in (0.0, 1.0, -0.5, 2.0):
        with pytest.raises(ValueError, match="threshold"):
            with_threshold(rest, bad)


def test_tortured_phrases_are_restored_from_the_list_when_there_are_enough() -> None:
    from tests.detect.test_model import ABSTRACT
    from unspin.despin.api import load_restorer
    from unspin.detect.model import FINGERPRINT_PROB

    res = load_restorer().restore(ABSTRACT)
    fixed = {c.text: c for c in res.changes if c.confidence == FINGERPRINT_PROB}
    assert fixed["profound learning"].original == "deep learning"
    assert fixed["irregular woodland"].original == "random forest"
    assert fixed["convolutional neural organization"].original == "convolutional neural network"
    assert "deep learning" in res.restored and "profound learning" not in res.restored
    # one tortured phrase is not enough for the list to overrule the model
    single = (
        ABSTRACT.replace("profound learning", "deep learning")
        .replace("irregular woodland", "random forest")
        .replace("neural organization", "neural network")
    )
    changes = load_restorer().restore(single).changes
    assert not [c for c in changes if c.confidence == FINGERPRINT_PROB]


def _disguise(text: str) -> str:
    """Every "s" and "e" written as Cyrillic look-alikes (as farms do to dodge matching)."""
    return text.replace("s", "\u0455").replace("e", "\u0435")


def test_a_disguised_copy_is_restored_in_latin_letters(spun_text: str) -> None:
    plain = unspin.restore(spun_text)
    res = unspin.restore(_disguise(spun_text))
    assert res.restored == plain.restored  # same model changes, and no look-alike left
    assert any("homoglyphs" in w for w in res.warnings)
    hit = next(c for c in res.changes if c.text == _disguise("Beijing"))
    assert hit.original == "Beijing" and hit.confidence == 1.0


def test_a_disguised_source_gives_back_latin_letters(spun_text: str) -> None:
    source = "The two sides said they would resume trade talks in Shanghai next week. " * 3
    copy = "The two sides acknowledged they would resume replace talks in Shanghai next week. " * 3
    res = unspin.restore(copy, source=_disguise(source))
    assert res.restored == source


def test_a_text_in_another_language_is_left_as_it_is() -> None:
    text = "Der Minister sagte am Dienstag, die Handelsgespräche würden im nächsten Monat " * 4
    res = unspin.restore(text)
    assert res.restored == text and not res.changes
    assert any(w.startswith("not English (language detected: de)") for w in res.warnings)
    assert not unspin.restore("The minister said the trade talks would resume.").warnings


def test_a_long_text_is_restored_in_its_first_words_only(
    spun_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import unspin.despin.api as api

    monkeypatch.setattr(api, "MAX_WORDS", 300)
    long = spun_text + "\n\n" + spun_text
    res = unspin.restore(long)
    cut = len(spun_text) // 3  # 300 of the seed's ~1,300 words: well inside its first half
    assert res.changes and all(c.start < cut for c in res.changes)
    assert any(w.startswith("long text (") for w in res.warnings)
    assert res.restored.endswith(spun_text[-200:])  # the rest comes back as it was


def test_a_text_that_reads_as_clean_is_left_alone_without_a_source(
    related_text: str, spun_text: str
) -> None:
    # the decision model learned to undo a spinner: it presumes one (restore.md)
    from dataclasses import replace

    from unspin.despin.api import MIN_SPIN, load_restorer

    text = related_text[:3000]  # seed 004: an original Reuters story
    res = unspin.restore(text)
    assert res.restored == text and not res.changes
    assert any(w.startswith("reads as clean (spin probability") for w in res.warnings)
    rest = load_restorer()
    p = rest.reads_clean(text)
    assert p is not None and p < MIN_SPIN
    # the model alone, ungated, does change words in it: the gate is what keeps them
    ungated = replace(rest, min_spin=0.0)
    assert ungated.reads_clean(text) is None
    assert ungated.restore(text).changes
    assert unspin.restore(text, min_spin=0.0).changes
    # a spun copy is restored as before, without the warning
    spun = unspin.restore(spun_text[:3000])
    assert spun.changes and not any(w.startswith("reads as clean") for w in spun.warnings)
    # with a source, the aligned words are restored whatever the text reads like
    assert unspin.restore(text.replace("said", "acknowledged", 1), source=text).changes
