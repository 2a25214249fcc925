"""Lemma/inflection bridge: analyse a surface word, re-inflect a candidate to match it.

Both directions read tables precomputed at build time from lemminflect: the inflected
forms of every candidate head word (:func:`inflection_lines`) and their inverse
(:func:`lemma_lines`), so queries never wait on lemminflect's dictionary load (about a
second) or its per-call dictionary copies.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

import lemminflect

__all__ = [
    "CLOSED_CLASS",
    "TAGS",
    "UPOS_OF",
    "Analysis",
    "Inflector",
    "inflection_lines",
    "lemma_lines",
    "word_forms",
]

# The inflected Penn tags we map through, by universal POS (the tag implies the POS).
_TAGS: dict[str, tuple[str, ...]] = {
    "VERB": ("VBD", "VBN", "VBG", "VBZ"),
    "NOUN": ("NNS",),
    "ADJ": ("JJR", "JJS"),
    "ADV": ("RBR", "RBS"),
}
TAGS: tuple[str, ...] = tuple(t for tags in _TAGS.values() for t in tags)
UPOS_OF = {t: upos for upos, tags in _TAGS.items() for t in tags}

# Closed-class words are never inflected: a phrase headed by one ("talk of") is not a
# noun phrase to pluralise ("talk ofs").
CLOSED_CLASS = frozenset(
    (
        "a about above across after against along among an and around as at before behind "
        "below beneath beside between beyond but by down during for from in inside into it "
        "its like near nor of off on onto or out outside over past since so than that the "
        "their them these they this those through to toward towards under until up upon "
        "with within without yet"
    ).split()
)

# (lemma, upos, penn tag): the surface is ``lemma`` inflected with ``tag``.
Analysis = tuple[str, str, str]


def word_forms(word: str) -> tuple[str, ...]:
    """A lower-case ``word`` in each of :data:`TAGS` ("" for none), by lemminflect.

    No form is guessed for a word lemminflect knows only as another part of speech (no
    "acknowledgmented") or for anything but a plain lower-case word; unknown words get
    lemminflect's rules.
    """
    if not word.isalpha() or word != word.lower() or word in CLOSED_CLASS:
        return ("",) * len(TAGS)
    known = lemminflect.getAllInflections(word)
    if not known and not lemminflect.getAllLemmas(word):
        known = {}
        for upos in _TAGS:
            known.update(lemminflect.getAllInflectionsOOV(word, upos))
    out = []
    for tag in TAGS:
        forms = known.get(tag) or (known.get("VBD") if tag == "VBN" else None)
        out.append(forms[0] if forms else "")
    return tuple(out)


def inflection_lines(words: Iterable[str]) -> list[str]:
    """Sorted table lines ``word<TAB>form per TAGS`` ("" for none, see :func:`word_forms`)."""
    # Words without forms are kept too: "not in the table" must mean "not a head word".
    return [
        "\t".join([w, *word_forms(w)])
        for w in sorted({w for w in words if w.isalpha() and w == w.lower()})
    ]


def lemma_lines(inflections: list[str]) -> list[str]:
    """The inverse of :func:`inflection_lines`: sorted ``form<TAB>lemma<TAB>tag`` lines."""
    out = set()
    for line in inflections:
        word, *forms = line.split("\t")
        out.update(f"{f}\t{word}\t{t}" for f, t in zip(forms, TAGS, strict=True) if f and f != word)
    return sorted(out)


class Inflector:
    """Lemmas and inflected forms from the precomputed tables (no lemminflect at query
    time, except for a learned candidate outside the tables)."""

    def __init__(self, lines: list[str], lemmas: list[str]) -> None:
        self._lines = lines
        self._lemmas = lemmas
        self._col = {t: i for i, t in enumerate(TAGS)}
        self._cache: dict[str, tuple[str, ...]] = {}

    def analyses(self, word: str) -> tuple[Analysis, ...]:
        """Inflected readings of a lower-case word among the table's lemmas
        (``"agreed"`` -> ``("agree", "VERB", "VBD")``, ``("agree", "VERB", "VBN")``)."""
        lemmas, probe = self._lemmas, word + "\t"
        i = bisect_left(lemmas, probe)
        out = []
        while i < len(lemmas) and lemmas[i].startswith(probe):
            _, lemma, tag = lemmas[i].split("\t")
            out.append((lemma, UPOS_OF[tag], tag))
            i += 1
        return tuple(out)

    def forms(self, word: str) -> tuple[str, ...]:
        """``word`` in each of :data:`TAGS` ("" for none)."""
        hit = self._cache.get(word)
        if hit is None:
            lines, probe = self._lines, word + "\t"
            i = bisect_left(lines, probe)
            if i < len(lines) and lines[i].startswith(probe):
                hit = tuple(lines[i].split("\t")[1:])
            else:
                hit = word_forms(word)  # a learned candidate outside the table
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[word] = hit
        return hit

    def word(self, word: str, tag: str) -> str | None:
        """``word`` inflected as ``tag``, or ``None``."""
        return self.forms(word)[self._col[tag]] or None

    def phrase(self, phrase: str, upos: str, tag: str) -> str | None:
        """Inflect a candidate's head (first word of a verb phrase, last word otherwise)."""
        words = phrase.split(" ")
        head = 0 if upos == "VERB" else len(words) - 1
        form = self.word(words[head], tag)
        if form is None:
            return None
        words[head] = form
        return " ".join(words)
