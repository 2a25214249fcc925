from __future__ import annotations

from unspin.lexicon import Candidate, Lexicon


def texts(lex: Lexicon, surface: str | list[str], max_hops: int = 2) -> list[str]:
    return [c.text for c in lex.candidates(surface, max_hops=max_hops)]


def find(lex: Lexicon, surface: str | list[str], text: str) -> Candidate | None:
    return next((c for c in lex.candidates(surface) if c.text == text), None)


def test_single_word(toy: Lexicon) -> None:
    c = find(toy, "acknowledge", "say")
    assert c is not None and c.sources == {"moby"} and c.hops == 1
    assert "acknowledge" not in texts(toy, "acknowledge")  # never the surface itself
    assert texts(toy, "zzzz") == []


def test_hop_two_and_hop_limit(toy: Lexicon) -> None:
    # replace -(synset)- exchange -(hyponym)- trade
    c = find(toy, "replace", "trade")
    assert c is not None and c.hops == 2 and "wordnet" in c.sources
    assert "trade" not in texts(toy, "replace", max_hops=1)


def test_inflection_follows_the_surface(toy: Lexicon) -> None:
    assert "said" in texts(toy, "acknowledged")
    assert "says" in texts(toy, "acknowledges")
    assert "saying" in texts(toy, "Acknowledging")
    assert "traded" in texts(toy, "replaced")


def test_no_inflection_across_parts_of_speech(toy: Lexicon) -> None:
    # "agreement" is a noun: it must not come back as "agreemented"
    assert not any(t.startswith("agreement") for t in texts(toy, "acknowledged"))


def test_multi_word_surfaces(toy: Lexicon) -> None:
    assert texts(toy, "counterfeit consciousness")[0] == "artificial intelligence"
    assert texts(toy, ["counterfeit", "consciousness"])[0] == "artificial intelligence"
    part = find(toy, "Chinese language", "Chinese")
    assert part is not None and part.sources == {"part"}
    assert "the United States" in texts(toy, "the usa")
    assert toy.max_phrase_len >= 2


def test_case_is_kept_for_proper_nouns_only(toy: Lexicon) -> None:
    usa = texts(toy, "usa")
    assert "United States" in usa and "U.S." in usa
    case = find(toy, "usa", "USA")
    assert case is not None and case.sources == {"case"}
    assert "USA" not in texts(toy, "USA")  # already cased: no change to offer
    assert all(t == t.lower() for t in texts(toy, "acknowledge"))


def test_clitics(toy: Lexicon) -> None:
    assert "is" in texts(toy, "'s") and "'ve" in texts(toy, "have")


def test_learned_pairs(toy: Lexicon) -> None:
    surface = ["Could", "presumably", "presumably", "perhaps"]
    assert texts(toy, surface) == [] or "May" not in texts(toy, surface)
    toy.add_learned(surface, "May", 3)
    toy.add_learned("could presumably presumably perhaps", "May", 2)
    toy.add_learned("acknowledged", "said", 7)
    assert toy.candidates(surface)[0] == Candidate("May", frozenset({"learned"}), 1, 5)
    assert toy.max_phrase_len >= 4
    said = toy.candidates("acknowledged")[0]
    assert said.text == "said" and said.count == 7 and said.sources >= {"learned", "moby"}


def test_membership_and_limit(toy: Lexicon) -> None:
    assert "counterfeit consciousness" in toy and ["bosom", "peril"] in toy
    assert "bosom danger" not in toy and 3 not in toy
    toy.add_learned("bosom danger", "breast cancer")
    assert "bosom danger" in toy and "bosom danger" in toy._index
    assert len(toy.candidates("acknowledge", limit=1)) == 1
    first = toy.candidates("acknowledge")
    first.clear()  # the cache hands out copies
    assert toy.candidates("acknowledge")


def test_fanout_counts_spinner_choices(toy: Lexicon) -> None:
    # "say" can become "state", "acknowledge", "mention", "express"... ; "little" fewer
    assert toy.fanout("said") == toy.fanout("say") > toy.fanout("little") > 0
    assert toy.fanout("zzzz") == 0


def test_linked_asks_first_hop_edges_in_bulk(toy: Lexicon) -> None:
    import numpy as np

    def linked(spun: str, original: str) -> bool:
        pairs = [(i, j) for i in toy.phrase_ids(spun) for j in toy.phrase_ids(original)]
        if not pairs:
            return False
        a, b = np.array(pairs).T
        return bool(toy.linked(b, a).any())

    assert linked("acknowledged", "said") and linked("acknowledges", "say")
    assert not linked("replace", "trade")  # hop 2 only
    assert not linked("acknowledged", "trade")
    assert toy.phrase_ids("zzzz") == () and not toy.linked(np.array([0]), np.array([0]))[0]


def test_a_learned_original_capitalised_by_its_place_is_stored_as_the_tables_write_it(
    toy: Lexicon,
) -> None:
    # learned at the start of a sentence: "Say" is the tables' "say"
    toy.add_learned("state", "Say", 2)
    toy.add_learned("state", "say", 1)
    assert toy.learned["state"] == {"say": 3}
    # ... but names and acronyms the tables capitalise keep their capitals
    toy.add_learned("usa", "United States", 1)
    toy.add_learned("america", "U.S.", 1)
    toy.add_learned("minute", "Zzyzx", 1)  # unknown to the tables: left as learned
    assert toy.learned["usa"] == {"United States": 1}
    assert toy.learned["america"] == {"U.S.": 1}
    assert toy.learned["minute"] == {"Zzyzx": 1}
