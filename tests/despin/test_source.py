from __future__ import annotations

import re

from unspin.despin import restore_text
from unspin.despin.api import harvest
from unspin.despin.lattice import apply_edits
from unspin.despin.source import source_pairs

from .conftest import COPY, SOURCE


def test_restore_with_source_gives_the_source_back() -> None:
    res = restore_text(COPY, source=SOURCE)
    assert res.restored == SOURCE
    for c in res.changes:
        assert COPY[c.start : c.end] == c.text
    got = {(c.text, c.original) for c in res.changes}
    assert ("acknowledged", "said") in got
    assert ("restart replace", "resume trade") in got or ("replace", "trade") in got


def test_unrelated_source_changes_little() -> None:
    other = "Heavy rain flooded the valley overnight and the river burst its banks near the town."
    res = restore_text(COPY, source=other)
    assert all(c.confidence < 0.99 for c in res.changes)  # nothing taken from the source


def test_harvest_pairs() -> None:
    pairs = harvest(COPY, SOURCE)
    assert ("acknowledged", "said") in pairs
    assert ("Chinese language", "Chinese") in pairs
    assert all(a != b for a, b in pairs)


def test_substitutions_at_the_edges_of_the_text() -> None:
    source = (
        "Officials said the two sides met on Monday in Geneva and agreed to resume talks "
        "on tariffs next month after a long pause in the negotiations over the attack."
    )
    copy = (
        "Authorities acknowledged the two sides met on Monday in Geneva and agreed to resume "
        "talks on tariffs next month after a long pause in the negotiations over the assault."
    )
    pairs = {(p.spun, p.original) for p in source_pairs(copy, source)[0]}
    assert ("Authorities acknowledged", "Officials said") in pairs or {
        ("Authorities", "Officials"),
        ("acknowledged", "said"),
    } <= pairs
    assert ("assault", "attack") in pairs


def test_a_gap_across_a_sentence_end_is_split_there() -> None:
    source = (
        "The companies said the deal was designed for the university market. Under the "
        "agreement, the companies will share the costs of the new plant in Ohio this year."
    )
    copy = (
        "The companies said the deal was designed for the four-year college commercial "
        "relations. Least of all the agreement, the companies will share the costs of the "
        "new plant in Ohio this year."
    )
    pairs = {(p.spun, p.original) for p in source_pairs(copy, source)[0]}
    assert ("Least of all", "Under") in pairs, pairs
    assert any(o == "university market" for _, o in pairs), pairs


def _pairs(copy: str, source: str) -> set[tuple[str, str]]:
    return {(p.spun, p.original) for p in source_pairs(copy, source)[0]}


def _restored(copy: str, source: str) -> str:
    pairs = source_pairs(copy, source)[0]
    return apply_edits(
        copy, [p.start for p in pairs], [p.end for p in pairs], [p.original for p in pairs]
    )


def test_swapped_sentences_are_restored_each_from_its_own() -> None:
    source = (
        "The company said profits rose sharply in the first quarter. Sales of cars fell in "
        "Europe, the chief executive said. Analysts expected a weaker result."
    )
    copy = (
        "Sales of automobiles fell in Europe, the chief executive acknowledged. The firm said "
        "profits rose sharply in the first quarter. Analysts expected a weaker result."
    )
    assert _pairs(copy, source) == {
        ("automobiles", "cars"),
        ("acknowledged", "said"),
        ("firm", "company"),
    }


def test_a_sentence_dropped_from_the_copy_is_not_pulled_in() -> None:
    source = (
        "The company will sell shares to employees at the same price in a subscription "
        "offering. Proceeds of both offerings will be used for lending. The offering will be "
        "underwritten by Shearson Lehman Brothers Inc."
    )
    copy = (
        "The company will sell shares to employees at the same price in a subscription "
        "citing. The selling hand down be underwritten by Shearson Lehman Brothers Inc."
    )
    assert _pairs(copy, source) == {("citing", "offering"), ("selling hand down", "offering will")}


def test_a_boilerplate_line_is_left_alone_and_the_sentence_after_it_restored() -> None:
    source = "Acme Precision Products Inc said a management group dropped its bid for the company."
    copy = (
        "A post shared by worldupdate (@worldupdate) on June 22, 2024\n"
        "Pinnacle Precision Products Inc said a direction group dropped its bid for the company."
    )
    pairs = source_pairs(copy, source)[0]
    assert {(p.spun, p.original) for p in pairs} == {
        ("Pinnacle", "Acme"),
        ("direction", "management"),
    }
    assert all(p.start > copy.index("\n") for p in pairs)


def test_a_hyphenated_substitute_keeps_the_space_of_the_source() -> None:
    source = "Normally, unsettled trades must be reported three days after they take place."
    copy = "Naturally, clouded horse-trades must be reported three days after they take place."
    assert _restored(copy, source) == source


def test_padding_at_a_sentence_start_is_restored() -> None:
    source = "Kuwait's oil-reliant economy has started to pull out of a nosedive, bankers say."
    copy = (
        "Capital of Kuwait's petroleum-reliant economic system has started to pull out of a "
        "nosedive, bankers say."
    )
    assert ("Capital of Kuwait", "Kuwait") in _pairs(copy, source)
    assert _restored(copy, source) == source


def test_gaps_are_aligned_balanced_not_on_a_stray_function_word() -> None:
    source = "You go to a factory or a company to try to find out the real cost, he said."
    copy = (
        "You go to a factory or a holding company up incident to furnish illegitimate the "
        "real cost, he said."
    )
    pairs = _pairs(copy, source)
    assert _restored(copy, source) == source
    assert {("up", "to"), ("incident", "try"), ("furnish", "find")} <= pairs
    assert not any(spun.startswith("a ") for spun, _ in pairs)  # "a" was not touched


def test_a_heavily_spun_sentence_between_two_aligned_ones_is_restored() -> None:
    source = (
        "Sosnoff said he holds his Caesars World stock for investment purposes. He also said "
        "he reserves the right to alter his intentions at any time. He declined to comment "
        "further on the stake."
    )
    copy = (
        "Sosnoff expressioned he guesses his Caesars World spear for investment purposes. He "
        "also polled he phonies the justifiable to improve his grounds at any tour. He "
        "declined to comment further on the stake."
    )
    assert _restored(copy, source) == source


def test_padding_around_one_word_on_both_sides_is_one_pair() -> None:
    source = "Some may assume the Fed has firmed policy to support the dollar because it rose."
    copy = (
        "Some may assume the Fed has firmed policy to support the one dollar bill because it rose."
    )
    assert _restored(copy, source) == source
    assert ("dollar bill", "dollar") in _pairs(copy, source) or (
        "one dollar bill",
        "dollar",
    ) in _pairs(copy, source)


def test_a_sentence_the_copy_splits_in_two_is_restored() -> None:
    source = (
        "Senator John Cornyn, the No. 2 Senate Republican, is trying to win support from the "
        "Midwest corn lobby for a deal. The effort comes as the White House mediates talks "
        "between the rival industries."
    )
    copy = (
        "Senator John Cornyn, the No more. 2 Senate Republican River, is seek to win support "
        "from the Midwest corn lobby for a deal. The effort comes as the White Mansion "
        "mediates talks between the rival industries."
    )
    assert _restored(copy, source) == source


def test_copy_without_punctuation_is_still_paired() -> None:
    """A scraper that drops every sentence end leaves one "sentence" of hundreds of words:
    it is cut into pieces that can each be paired with the source's sentences."""
    import random

    rng = random.Random(7)
    words = "council plan budget river school market bridge doctor harbor station".split()
    sentences = [
        f"The {rng.choice(words)} of district {k} reported {rng.choice(words)} figures "
        f"on day {k} while officials reviewed the {rng.choice(words)} report."
        for k in range(40)
    ]
    source = " ".join(sentences)
    copy = re.sub(r"[.]", "", source).replace("officials reviewed", "officials examined", 1)
    pairs, ranges = source_pairs(copy, source)
    assert ("examined", "reviewed") in {(p.spun, p.original) for p in pairs}
    assert sum(e - s for s, e in ranges) > 0.9 * len(copy)
