"""Load the compact spinner dictionaries shipped in ``resources/simulate/``.

Built by ``scripts/build_spinner_dicts.py``; see that script for provenance.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources
from typing import Literal

__all__ = ["DICTIONARIES", "DictName", "thesaurus", "vocab_pos"]

DictName = Literal["moby", "wordnet", "distrib"]
DICTIONARIES: tuple[DictName, ...] = ("moby", "wordnet", "distrib")


def _rows(name: str) -> list[list[str]]:
    ref = resources.files("unspin") / "resources" / "simulate" / f"{name}.tsv.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh]


@cache
def thesaurus(name: DictName) -> dict[str, tuple[str, ...]]:
    """Lower-cased head word -> synonyms (words or short phrases, dictionary order)."""
    if name not in DICTIONARIES:
        raise ValueError(f"unknown dictionary {name!r}; have {', '.join(DICTIONARIES)}")
    return {head: tuple(syns.split("|")) for head, syns in _rows(name)}


@cache
def vocab_pos() -> dict[str, str]:
    """News-vocabulary word -> WordNet most-frequent POS (``n v a r``, ``-`` unknown)."""
    return {w: pos for w, _count, pos in _rows("vocab")}
