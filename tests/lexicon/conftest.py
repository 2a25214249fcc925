"""A tiny lexicon built from toy inputs by the real build functions (no ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin.lexicon import Lexicon
from unspin.lexicon.build import build_tables, iter_moby, iter_pps, iter_rules, iter_wordnet
from unspin.lexicon.tables import LexiconTables, load_tables, save_tables

# WordNet data.* lines: offset lex_filenum ss_type w_cnt words... p_cnt pointers | gloss
TOY_WORDNET = {
    "data.verb": [
        "  1 This software and database is being provided to you",  # licence header
        "00000001 32 v 02 state 0 say 0 001 @ 00000003 v 0000 | express in words",
        "00000002 32 v 02 acknowledge 0 admit 0 000 | declare to be true",
        "00000003 32 v 01 express 0 000 | articulate",
        "00000004 40 v 03 trade 0 swap 0 switch 0 001 @ 00000005 v 0000 | exchange",
        "00000005 40 v 02 exchange 0 change 0 000 | give and receive",
        "00000006 40 v 02 replace 0 exchange 0 000 | put in the place of",
    ],
    "data.noun": [
        "00000010 15 n 03 United_States 0 USA 0 U.S. 0 000 | North American republic",
        "00000011 10 n 01 agreement 0 001 + 00000002 v 0101 | the act of agreeing",
    ],
    "data.adj": [
        "00000020 00 s 02 small(a) 0 minute 0 001 & 00000021 a 0000 | limited in size",
        "00000021 00 a 01 little 0 000 | limited in size or extent",
    ],
}
TOY_MOBY = ["say,acknowledge,mention", "buy,bewitch", "Chinese,Sinitic"]
TOY_PPS = [
    {"tortured": "counterfeit consciousness", "expected": "artificial intelligence"},
    {"tortured": "bosom peril", "expected": "breast cancer"},
    {"tortured": "junk", "expected": "(?)"},
]


def toy_tables() -> LexiconTables:
    triples = [
        *iter_wordnet(TOY_WORDNET),
        *iter_moby(TOY_MOBY),
        *iter_pps(TOY_PPS),
        *iter_rules(),
    ]
    return build_tables(triples, freq=lambda w: 5.0 if w in {"say", "little"} else 3.0)


@pytest.fixture(scope="session")
def toy_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lexicon") / "toy.npz"
    save_tables(toy_tables(), path)
    return path


@pytest.fixture
def toy(toy_path: Path) -> Lexicon:
    return Lexicon(load_tables(toy_path))
