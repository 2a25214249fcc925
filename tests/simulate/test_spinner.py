"""Reference spinners: determinism, exact alignments, and each profile's behaviour."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lemminflect import getAllLemmas

from unspin.simulate import PROFILES, TEST_PROFILES, TRAIN_PROFILES, check_alignment, spin
from unspin.simulate.dictionaries import thesaurus
from unspin.simulate.rules import BOILERPLATE, ENTITY_ACCIDENTS, PHRASES
from unspin.simulate.spinner import _inflect

PARAS = (
    "The company said on Monday that trade talks with China may resume next year. "
    "Officials expect a new round of negotiations.\n\n"
    "Prices rose 8 percent in three months, and sales reached 1,000 units. "
    "The United States and the European Union will meet instead of waiting.\n\n"
    "Analysts said the market could recover. Investors remained cautious about the outlook.\n\n"
    "President Xi Jinping met Donald Trump in Osaka. Huawei was not discussed at length."
)


def _quiet(name: str, **kw: float | bool) -> object:
    """A profile with the structural noise switched off (plus overrides)."""
    base = dict(partial=0.0, reorder=0.0, boilerplate=0.0, numbers=0.0)
    return dataclasses.replace(PROFILES[name], **{**base, **kw})


def _subs(s) -> list[tuple[str, str, str]]:
    return [
        (s.original[e.orig_start : e.orig_end], e.text, e.kind)
        for e in s.alignment
        if e.op == "substitute"
    ]


def test_profiles_split_disjoint() -> None:
    assert set(TRAIN_PROFILES).isdisjoint(TEST_PROFILES)
    assert set(TRAIN_PROFILES) | set(TEST_PROFILES) == set(PROFILES)
    assert {p.dictionary for p in PROFILES.values()} == {"moby", "wordnet", "distrib"}


@pytest.mark.parametrize("name", sorted(PROFILES))
@pytest.mark.parametrize("rate", [0.1, 0.4, 0.7])
def test_exact_alignment_every_profile(name: str, rate: float, related_text: str) -> None:
    for seed in range(3):
        s = spin(related_text, name, rate, seed)
        assert check_alignment(related_text, s.text, s.alignment) == []
        assert s.text != related_text
        assert {e.op for e in s.alignment} <= {"equal", "substitute", "insert", "delete", "move"}


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_deterministic(name: str, related_text: str) -> None:
    a, b = spin(related_text, name, 0.3, 7), spin(related_text, name, 0.3, 7)
    assert a.text == b.text and a.alignment == b.alignment
    assert spin(related_text, name, 0.3, 8).text != a.text


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profile_does_what_it_says(name: str, related_text: str) -> None:
    prof = PROFILES[name]
    numbers = "They sold 2, 3, 4, 5, 6, 7, 9, 10, 11 and 12 units, then 2,500 and 7,000 more."
    text = PARAS + f'\n\nHe said "the talks will go on" today. {numbers}\n\n' + related_text
    quoted = [m.span() for m in re.finditer(r'"[^"\n]*"', text)]
    kinds: set[str] = set()
    for seed in range(4):
        s = spin(text, dataclasses.replace(prof, partial=0.0), 0.6, seed)  # keep all text
        for e in s.alignment:
            if e.op != "substitute":
                continue
            src = text[e.orig_start : e.orig_end]
            kinds.add(e.kind)
            before = text[: e.orig_start].rstrip()
            initial = not before or before[-1] in '.!?"\n'
            if prof.protect_caps and e.kind == "synonym":
                assert not src[:1].isupper() or initial, src
            if prof.protect_quotes:
                assert not any(a <= e.orig_start < b for a, b in quoted), src
    assert "synonym" in kinds
    assert ("phrase" in kinds) == (prof.phrases > 0)
    assert ("entity" in kinds) == (prof.entity_accidents > 0)
    assert ("number" in kinds) == (prof.numbers > 0)


def test_rate_zero_without_noise_is_identity() -> None:
    s = spin(PARAS, _quiet("moby-raw"), 0.0, 1)
    assert s.text == PARAS and s.n_substituted == 0


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5])
def test_realised_rate_tracks_target(rate: float, related_text: str) -> None:
    got = [spin(related_text, _quiet("moby-raw"), rate, k).realised_rate for k in range(4)]
    assert abs(sum(got) / len(got) - rate) < 0.06


def test_synonyms_come_from_the_profile_dictionary(related_text: str) -> None:
    for name, dictionary in (("wordnet-blind", "wordnet"), ("moby-raw", "moby")):
        thes = thesaurus(dictionary)
        prof = _quiet(name, double=0.0, case_damage=0.0)
        for src, new, kind in _subs(spin(related_text, prof, 0.5, 3)):
            if kind != "synonym":
                continue
            low = src.lower()
            heads = {low} | {x for ls in getAllLemmas(low).values() for x in ls}
            allowed = {s.lower() for h in heads for s in thes.get(h, ())}
            assert new.lower() in allowed, (src, new)


def test_protect_caps_vs_not() -> None:
    names = ("Xi", "Jinping", "Donald", "Trump", "Osaka", "Huawei", "China", "Monday")
    for seed in range(5):
        s = spin(PARAS, _quiet("moby-basic"), 0.7, seed)
        for src, _, kind in _subs(s):
            assert src not in names, (src, kind)
    touched = {src for seed in range(5) for src, _, _ in _subs(spin(PARAS, "moby-raw", 0.7, seed))}
    assert touched & set(names)


def test_protect_quotes() -> None:
    text = 'The minister said "trade talks will resume next year" after the meeting ended.'
    inside = range(text.index('"'), text.rindex('"') + 1)
    prof = _quiet("moby-basic", protect_quotes=True)
    for seed in range(6):
        for e in spin(text, prof, 1.0, seed).alignment:
            if e.op == "substitute":
                assert e.orig_start not in inside
    touched = [
        e
        for seed in range(6)
        for e in spin(text, _quiet("moby-basic", protect_quotes=False), 1.0, seed).alignment
        if e.op == "substitute" and e.orig_start in inside
    ]
    assert touched


def test_consistent_spinner_reuses_its_choices(related_text: str) -> None:
    def choices(consistent: float) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        s = spin(related_text, _quiet("wordnet-blind", consistent=consistent), 0.5, 2)
        for src, new, kind in _subs(s):
            if kind == "synonym":
                out.setdefault(src.lower(), set()).add(new.lower())
        return out

    assert all(len(v) == 1 for v in choices(1.0).values())
    assert any(len(v) > 1 for v in choices(0.0).values())


def test_multiword_weight() -> None:
    def share(weight: float) -> float:
        subs = [
            new
            for seed in range(6)
            for _, new, k in _subs(spin(PARAS, _quiet("moby-basic", multiword=weight), 0.5, seed))
            if k == "synonym"
        ]
        return sum(" " in n for n in subs) / len(subs)

    assert share(0.0) == 0.0 < share(1.0)


def test_inflection() -> None:
    assert _inflect("negotiation", "NOUN", "NNS") == "negotiations"
    assert _inflect("take on", "VERB", "VBD") == "took on"
    assert _inflect("business deal", "NOUN", "NNS") == "business deals"
    assert _inflect("Olympic", "NOUN", "NNS") == "Olympic"


def test_phrases_and_entity_accidents() -> None:
    prof = _quiet("seedlike", phrases=1.0, entity_accidents=1.0)
    subs = [x for seed in range(6) for x in _subs(spin(PARAS, prof, 0.7, seed))]
    phrase_out = {o.lower() for alts in PHRASES.values() for o in alts}
    entity_out = {o.lower() for alts in ENTITY_ACCIDENTS.values() for o in alts}
    assert any(k == "phrase" and new.lower() in phrase_out for _, new, k in subs)
    assert any(k == "entity" and new.lower() in entity_out for _, new, k in subs)
    assert any(src == "United States" for src, _, k in subs if k == "entity")


def test_case_damage_lowercases_names() -> None:
    prof = _quiet("moby-raw", case_damage=1.0, double=0.0)
    subs = [x for seed in range(4) for x in _subs(spin(PARAS, prof, 0.7, seed))]
    damaged = [(src, new) for src, new, _ in subs if src[:1].isupper() and new[:1].islower()]
    assert damaged


def test_doubled_substitution() -> None:
    prof = _quiet("moby-raw", double=1.0, case_damage=0.0)
    thes = thesaurus("moby")
    subs = [x for seed in range(4) for x in _subs(spin(PARAS, prof, 0.5, seed))]
    second_hand = [
        (src, new)
        for src, new, k in subs
        if k == "synonym" and new.lower() not in {s.lower() for s in thes.get(src.lower(), ())}
    ]
    assert second_hand


def test_numbers() -> None:
    s = spin(PARAS, _quiet("moby-basic", numbers=1.0), 0.0, 0)
    got = {(src, new) for src, new, k in _subs(s) if k == "number"}
    assert got == {("8", "eight"), ("three", "3"), ("1,000", "1000")}


def test_partial_copy_keeps_30_to_100_percent_of_paragraphs() -> None:
    partial = 0
    for seed in range(12):
        s = spin(PARAS, _quiet("moby-basic", partial=1.0), 0.2, seed)
        deleted = sum(e.orig_end - e.orig_start for e in s.alignment if e.op == "delete")
        assert all(e.kind == "partial" for e in s.alignment if e.op == "delete")
        assert deleted < 0.8 * len(PARAS)
        assert s.alignment[0].orig_start == 0 and s.alignment[0].op != "delete"
        partial += deleted > 0
    assert partial >= 6


def test_reorder_swaps_sentences() -> None:
    s = spin(PARAS, _quiet("moby-basic", reorder=1.0), 0.0, 0)
    moves = [e for e in s.alignment if e.op == "move"]
    assert moves and s.text != PARAS and all(e.kind == "reorder" for e in moves)
    split = re.compile(r"(?<=\.)\s+")
    assert sorted(split.split(s.text)) == sorted(split.split(PARAS))


def test_boilerplate_inserted() -> None:
    found = False
    for seed in range(6):
        s = spin(PARAS, _quiet("moby-basic", boilerplate=1.0), 0.0, seed)
        ins = [e for e in s.alignment if e.op == "insert"]
        assert ins and all(e.kind == "boilerplate" for e in ins)
        found |= any(e.text.strip() in BOILERPLATE for e in ins)
    assert found


def test_clitics_and_single_letters_untouched() -> None:
    text = "Nixdorf's plan is a deal, and it's the firm's I. B. M. bid."
    for seed in range(10):
        s = spin(text, _quiet("moby-raw"), 1.0, seed)
        for src, _, _ in _subs(s):
            assert len(src) > 1 and src[0].isalnum(), src


def test_empty_and_bad_input() -> None:
    assert spin("", "moby-basic", 0.5, 0).text == ""
    assert spin("   \n", "distrib", 0.5, 0).text == "   \n"
    with pytest.raises(ValueError):
        spin(PARAS, "nope", 0.3, 0)
    with pytest.raises(ValueError):
        spin(PARAS, "moby-basic", 1.5, 0)


_WORDS = st.sampled_from(
    "the said trade talks may United States China rose 8 three 1,000 U.S. instead of "
    "Mr. Trump company's high-tech “quoted” — $300 billion . , ; ? ! \n \n\n".split(" ")
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(_WORDS, max_size=60),
    profile=st.sampled_from(sorted(PROFILES)),
    rate=st.floats(0.0, 1.0),
    seed=st.integers(0, 10_000),
)
def test_alignment_property(words: list[str], profile: str, rate: float, seed: int) -> None:
    text = " ".join(words)
    s = spin(text, profile, rate, seed)
    assert check_alignment(text, s.text, s.alignment) == []
