from __future__ import annotations

from unspin.lexicon.inflect import TAGS, Inflector, inflection_lines, lemma_lines, word_forms


def test_word_forms() -> None:
    forms = dict(zip(TAGS, word_forms("say"), strict=True))
    assert forms["VBD"] == forms["VBN"] == "said" and forms["VBZ"] == "says"
    assert not any(word_forms("of"))  # closed class: never "ofs"
    assert not any(word_forms("Chinese"))  # proper nouns are not inflected
    assert dict(zip(TAGS, word_forms("acknowledgment"), strict=True))["VBD"] == ""


def test_tables_round_trip() -> None:
    lines = inflection_lines(["say", "talk", "good", "of"])
    inf = Inflector(lines, lemma_lines(lines))
    assert inf.word("say", "VBD") == "said"
    assert ("say", "VERB", "VBD") in inf.analyses("said")
    assert {a[1] for a in inf.analyses("talks")} == {"NOUN", "VERB"}
    assert ("good", "ADJ", "JJR") in inf.analyses("better")
    assert inf.analyses("of") == ()
    assert inf.phrase("talk of", "NOUN", "NNS") is None
    assert inf.phrase("give up", "VERB", "VBD") == "gave up"
