"""Named reference-spinner profiles.

Each profile is one plausible commercial spinner: a synonym source plus the habits that
make its output recognisable (which words it protects, whether it re-inflects, how it
treats names, numbers and page structure). ``TRAIN_PROFILES`` and ``TEST_PROFILES`` are
disjoint; ``distrib`` uses a dictionary no detector feature sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from unspin.simulate.dictionaries import DictName

__all__ = ["PROFILES", "TEST_PROFILES", "TRAIN_PROFILES", "Profile", "get_profile"]

Inflect = Literal["correct", "none", "noisy"]


@dataclass(frozen=True, slots=True)
class Profile:
    """A reference spinner. Probabilities are per eligible token unless noted."""

    name: str
    dictionary: DictName
    description: str
    protect_caps: bool = True  # never touch capitalised words (except sentence-initial)
    protect_quotes: bool = False  # leave quotations intact, spin only the narration
    inflect: Inflect = "correct"  # re-inflect lemma synonyms to the source's tag
    pos_aware: bool = False  # only synonyms of the source word's most frequent POS
    first_senses: int = 0  # >0: pick among the first N dictionary entries only
    stop_factor: float = 0.2  # relative chance that a function word is replaced
    phrases: float = 0.0  # chance a matching phrase rule fires (before word synonyms)
    entity_accidents: float = 0.0  # chance a matching entity rule fires
    case_damage: float = 0.0  # chance a replaced capitalised word comes out lower-case
    double: float = 0.0  # chance a substitute is substituted again
    consistent: float = 0.0  # chance a repeated word gets its first decision again
    multiword: float = 1.0  # relative chance of a multi-word synonym (vs one word)
    numbers: float = 0.0  # chance a small number / thousands separator is reformatted
    # Structural noise (per document):
    partial: float = 0.0  # chance of a partial copy (30-100% of paragraphs)
    reorder: float = 0.0  # chance of swapping adjacent sentences
    boilerplate: float = 0.0  # chance of inserted boilerplate lines / embedded posts


_STRUCT = {"partial": 0.3, "reorder": 0.2, "boilerplate": 0.3}

PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "moby-basic",
            "moby",
            "Moby synonyms, capitalised words and quotations protected, correct inflection.",
            protect_quotes=True,
            stop_factor=0.1,
            numbers=0.1,
            multiword=0.3,
            **_STRUCT,
        ),
        Profile(
            "moby-raw",
            "moby",
            "Moby synonyms, names not protected, no re-inflection, case damage, "
            "doubled substitutions.",
            protect_caps=False,
            inflect="none",
            stop_factor=0.4,
            case_damage=0.3,
            double=0.15,
            numbers=0.3,
            multiword=0.3,
            consistent=0.8,
            **_STRUCT,
        ),
        Profile(
            "wordnet-safe",
            "wordnet",
            "WordNet, first senses of the same part of speech, names protected, phrase rewrites.",
            pos_aware=True,
            first_senses=4,
            stop_factor=0.2,
            phrases=0.5,
            numbers=0.2,
            consistent=0.5,
            **_STRUCT,
        ),
        Profile(
            "phrase-moby",
            "moby",
            "Moby plus aggressive phrase expansions, entity accidents and noisy inflection.",
            protect_caps=False,
            inflect="noisy",
            stop_factor=0.3,
            phrases=0.8,
            entity_accidents=0.6,
            case_damage=0.2,
            numbers=0.5,
            consistent=0.5,
            **_STRUCT,
        ),
        Profile(
            "wordnet-blind",
            "wordnet",
            "WordNet, any sense of any part of speech, names and function words "
            "replaced, no re-inflection.",
            protect_caps=False,
            inflect="none",
            stop_factor=0.8,
            case_damage=0.1,
            numbers=0.2,
            consistent=0.9,
            **_STRUCT,
        ),
        Profile(
            "seedlike",
            "wordnet",
            "WordNet, names not protected, phrase expansions, entity accidents and "
            "doubled substitutions (like the project's seed copy).",
            protect_caps=False,
            stop_factor=0.5,
            phrases=0.7,
            entity_accidents=0.7,
            case_damage=0.2,
            double=0.2,
            numbers=0.3,
            consistent=0.9,
            **_STRUCT,
        ),
        Profile(
            "distrib",
            "distrib",
            "Distributional neighbours from news co-occurrence (co-hyponyms, antonyms), "
            "names and quotations protected, correct inflection.",
            protect_quotes=True,
            stop_factor=0.2,
            numbers=0.2,
            **_STRUCT,
        ),
    )
}

TRAIN_PROFILES: tuple[str, ...] = ("moby-basic", "moby-raw", "wordnet-safe", "phrase-moby")
TEST_PROFILES: tuple[str, ...] = ("wordnet-blind", "seedlike", "distrib")


def get_profile(name: str | Profile) -> Profile:
    if isinstance(name, Profile):
        return name
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; have {', '.join(PROFILES)}") from None
