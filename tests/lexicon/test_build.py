from __future__ import annotations

from pathlib import Path

from tests.lexicon.conftest import TOY_MOBY, TOY_PPS, TOY_WORDNET, toy_tables
from unspin.lexicon.build import (
    build_tables,
    display_form,
    iter_moby,
    iter_pps,
    iter_wordnet,
    phrase_key,
)
from unspin.lexicon.tables import (
    REL_MOBY,
    REL_PPS,
    REL_WN_OTHER,
    REL_WN_SYN,
    load_tables,
    save_tables,
)


def test_phrase_key_uses_project_tokens() -> None:
    assert phrase_key("High-Tech  Industries") == "high - tech industries"
    assert phrase_key("U.S.") == "u.s."


def test_display_form_keeps_capitals_only_for_proper_nouns() -> None:
    assert display_form("Said ") == "Said"
    assert display_form("trade  war") == "trade war"


def test_wordnet_relations_and_directions() -> None:
    triples = set(iter_wordnet(TOY_WORDNET))
    assert ("state", "say", REL_WN_SYN) in triples and ("say", "state", REL_WN_SYN) in triples
    # hypernymy one way: the hypernym maps back to the hyponym
    assert ("express", "say", REL_WN_OTHER) in triples
    assert ("say", "express", REL_WN_OTHER) not in triples
    # derivation and similar-to, both ways; adjective markers stripped
    assert ("agreement", "acknowledge", REL_WN_OTHER) in triples
    assert ("acknowledge", "agreement", REL_WN_OTHER) in triples
    assert ("little", "small", REL_WN_OTHER) in triples
    assert ("United States", "USA", REL_WN_SYN) in triples
    assert not any("This" in a or "This" in b for a, b, _ in triples)


def test_moby_is_inverted_and_symmetric_on_request() -> None:
    one_way = set(iter_moby(TOY_MOBY, both_ways=False))
    assert ("acknowledge", "say", REL_MOBY) in one_way
    assert ("say", "acknowledge", REL_MOBY) not in one_way
    assert ("say", "acknowledge", REL_MOBY) in set(iter_moby(TOY_MOBY))


def test_pps_skips_curator_notes() -> None:
    triples = list(iter_pps(TOY_PPS))
    assert ("counterfeit consciousness", "artificial intelligence", REL_PPS) in triples
    assert all(t[0] != "junk" for t in triples)


def test_build_tables_merges_relations_and_cases() -> None:
    tables = build_tables(
        [("Replace", "trade", REL_MOBY), ("replace", "trade", REL_WN_SYN), ("May", "can", 1)]
    )
    assert tables.keys == sorted(tables.keys)
    i = tables.keys.index("replace")
    j = tables.keys.index("trade")
    a, b = tables.indptr[i], tables.indptr[i + 1]
    assert list(tables.targets[a:b]) == [j]
    assert int(tables.rels[a]) == REL_MOBY | REL_WN_SYN
    assert tables.display[i] == "replace"  # lower-case seen: not a proper noun
    assert tables.display[tables.keys.index("may")] == "May"


def test_save_load_roundtrip_is_deterministic(tmp_path: Path) -> None:
    t = toy_tables()
    save_tables(t, tmp_path / "a.npz")
    save_tables(toy_tables(), tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    back = load_tables(tmp_path / "a.npz")
    assert back.keys == t.keys and back.display == t.display
    assert back.inflections == t.inflections
    assert (back.targets == t.targets).all() and (back.rels == t.rels).all()
