"""Build-time readers for the thesaurus sources and the table builder (pure functions).

Every reader yields ``(spun, original, rel)`` triples: "a spinner may replace
*original* WITH *spun*", so the lexicon maps ``spun`` back to ``original``. Readers take
already-opened text (lines, rows), so tests can feed toy inputs; the paths live in
``scripts/build_lexicon.py``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np

from unspin.lexicon.inflect import inflection_lines, lemma_lines
from unspin.lexicon.tables import (
    REL_MOBY,
    REL_PPS,
    REL_RULES,
    REL_WN_OTHER,
    REL_WN_SYN,
    LexiconTables,
)
from unspin.text import tokenize

__all__ = [
    "Triple",
    "build_tables",
    "display_form",
    "iter_moby",
    "iter_pps",
    "iter_rules",
    "iter_wordnet",
    "phrase_key",
]

Triple = tuple[str, str, int]

_ADJ_MARKER_RE = re.compile(r"\((?:a|p|ip)\)$")
_WN_FILES = ("data.noun", "data.verb", "data.adj", "data.adv")
_WN_POS_FILE = {
    "n": "data.noun",
    "v": "data.verb",
    "a": "data.adj",
    "s": "data.adj",
    "r": "data.adv",
}


def phrase_key(text: str) -> str:
    """Lookup key of a phrase: project tokens, lower-cased, joined by one space."""
    return " ".join(tokenize(text).lower)


def display_form(text: str) -> str:
    """What a candidate looks like when handed back: lower case unless it has capitals."""
    text = " ".join(text.split())
    return text if any(c.isupper() for c in text) else text.lower()


# --------------------------------------------------------------------------- WordNet


def _wn_word(raw: str) -> str:
    return _ADJ_MARKER_RE.sub("", raw).replace("_", " ")


def _parse_wn_line(line: str) -> tuple[str, list[str], list[tuple[str, str, str, int, int]]]:
    """One data.* line -> (synset id, lemmas, pointers (sym, target id, pos, src, tgt))."""
    head = line.split(" | ", 1)[0].split()
    offset, ss_type = head[0], head[2]
    n_words = int(head[3], 16)
    words = [_wn_word(head[4 + 2 * i]) for i in range(n_words)]
    pos = 4 + 2 * n_words
    n_ptrs = int(head[pos])
    ptrs = []
    for j in range(n_ptrs):
        sym, tgt, tpos, st = head[pos + 1 + 4 * j : pos + 5 + 4 * j]
        tpos = "a" if tpos == "s" else tpos
        ptrs.append((sym, f"{tpos}{tgt}", tpos, int(st[:2], 16), int(st[2:], 16)))
    return f"{'a' if ss_type == 's' else ss_type}{offset}", words, ptrs


def iter_wordnet(lines_by_file: dict[str, Iterable[str]]) -> Iterator[Triple]:
    """WordNet 3.0 ``data.*`` files -> triples.

    Spinners are sense-blind, so every sense counts: synset mates (both ways),
    similar-to and derivationally related forms (both ways), and hypernymy one way:
    a spinner generalises, so a hypernym is mapped back to its direct hyponyms.
    """
    synsets: dict[str, tuple[list[str], list[tuple[str, str, str, int, int]]]] = {}
    for name in _WN_FILES:
        for line in lines_by_file.get(name, ()):
            if not line or line.startswith("  "):
                continue  # licence header
            sid, words, ptrs = _parse_wn_line(line)
            synsets[sid] = (words, ptrs)
    for sid in sorted(synsets):
        words, ptrs = synsets[sid]
        for a in words:
            for b in words:
                if a.lower() != b.lower():
                    yield a, b, REL_WN_SYN
        for sym, tgt, _tpos, src_n, tgt_n in ptrs:
            if tgt not in synsets:
                continue
            twords = synsets[tgt][0]
            if sym == "&":
                for a in words:
                    for b in twords:
                        yield a, b, REL_WN_OTHER
                        yield b, a, REL_WN_OTHER
            elif sym == "+" and src_n and tgt_n:
                a, b = words[src_n - 1], twords[tgt_n - 1]
                yield a, b, REL_WN_OTHER
                yield b, a, REL_WN_OTHER
            elif sym == "@":  # tgt is the hypernym: spun = hypernym, original = hyponym
                for a in words:
                    for b in twords:
                        yield b, a, REL_WN_OTHER


def read_wordnet_dir(path: Path) -> dict[str, list[str]]:
    """The four ``data.*`` files of a WordNet dict folder, as lines."""
    return {name: (path / name).read_text(encoding="latin-1").splitlines() for name in _WN_FILES}


# --------------------------------------------------------------------------- Moby, PPS


def iter_moby(lines: Iterable[str], both_ways: bool = True) -> Iterator[Triple]:
    """Moby Thesaurus II lines ``root,syn1,syn2,...`` -> (syn, root) triples.

    A spinner replaces the root WITH a listed word, so the lexicon maps each listed word
    back to the root. With ``both_ways`` (default) the root also maps to each listed
    word: synonymy is symmetric and spinners' thesauri are synonym groups, while Moby
    lists a pair under one of its words only about half the time.
    """
    for line in lines:
        parts = [p.strip() for p in line.strip().split(",")]
        if len(parts) < 2 or not parts[0]:
            continue
        root = parts[0]
        for syn in parts[1:]:
            if syn and syn.lower() != root.lower():
                yield syn, root, REL_MOBY
                if both_ways:
                    yield root, syn, REL_MOBY


# Clitics and their full forms, both ways ("it's" <-> "it is"); spinners expand and contract.
CLITICS: dict[str, tuple[str, ...]] = {
    "'s": ("is", "has"),
    "'re": ("are",),
    "'ve": ("have",),
    "'ll": ("will", "shall"),
    "'d": ("would", "had"),
    "'m": ("am",),
}


def iter_rules() -> Iterator[Triple]:
    """The small built-in table :data:`CLITICS`, both ways."""
    for clitic, fulls in sorted(CLITICS.items()):
        for full in fulls:
            yield clitic, full, REL_RULES
            yield full, clitic, REL_RULES


def iter_pps(rows: Iterable[dict[str, str]]) -> Iterator[Triple]:
    """PPS rows with ``tortured`` and ``expected`` -> (tortured, expected) triples.

    Curator notes ("(?)", URLs) and multi-answer cells are skipped or split on ``/``.
    """
    for row in rows:
        tortured = (row.get("tortured") or "").strip()
        expected = (row.get("expected") or "").strip()
        if not tortured or not expected or "http" in expected or "?" in expected:
            continue
        for exp in expected.split("/"):
            exp = exp.strip(" ()")
            if exp and exp.lower() != tortured.lower():
                yield tortured, exp, REL_PPS


# --------------------------------------------------------------------------- tables


def build_tables(
    triples: Iterable[Triple],
    freq: Callable[[str], float] | None = None,
    key: Callable[[str], str] = phrase_key,
) -> LexiconTables:
    """Merge triples into :class:`LexiconTables` (deterministic: phrases sorted by key).

    ``freq`` gives a Zipf frequency for a display form (the candidate prior; default 0).
    Phrases that differ only in case share one key; the display form keeps capitals
    only if every spelling seen has them ("May" and "may" -> "may").
    """
    key_cache: dict[str, str] = {}
    displays: dict[str, set[str]] = defaultdict(set)
    edges: dict[tuple[str, str], int] = defaultdict(int)

    def k(text: str) -> str:
        out = key_cache.get(text)
        if out is None:
            out = key_cache[text] = key(text)
        return out

    for spun, orig, rel in triples:
        ks, ko = k(spun), k(orig)
        if not ks or not ko or ks == ko:
            continue
        displays[ks].add(display_form(spun))
        displays[ko].add(display_form(orig))
        edges[ks, ko] |= rel
    keys = sorted(displays)
    index = {kk: i for i, kk in enumerate(keys)}
    display = [_pick_display(displays[kk]) for kk in keys]
    zipf = np.array([min(255, round(10 * freq(d))) if freq else 0 for d in display], dtype=np.uint8)
    pairs = sorted((index[a], index[b], r) for (a, b), r in edges.items())
    src = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
    targets = np.fromiter((p[1] for p in pairs), dtype=np.int32, count=len(pairs))
    rels = np.fromiter((p[2] for p in pairs), dtype=np.uint8, count=len(pairs))
    indptr = np.zeros(len(keys) + 1, dtype=np.int64)
    np.add.at(indptr, src + 1, 1)
    heads = {w for d in display for w in (d.split(" ")[0], d.split(" ")[-1])}
    inflections = inflection_lines(heads)
    return LexiconTables(
        keys,
        display,
        zipf,
        np.cumsum(indptr),
        targets,
        rels,
        inflections,
        lemma_lines(inflections),
    )


def _pick_display(forms: set[str]) -> str:
    lower = [f for f in forms if f == f.lower()]
    if lower:
        return min(lower)
    return min(forms, key=lambda f: (sum(c.isupper() for c in f), f))
