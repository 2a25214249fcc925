"""A toy model built in-process (no shared data needed)."""

from __future__ import annotations

import pytest

from unspin.lm import LanguageModel
from unspin.lm.build import BuildConfig, build_model

TOY_TEXT = [
    "The US and China are set to relaunch trade talks this week.",
    "The trade talks ended in May after a two-month hiatus.",
    "Officials said the trade war hurt both sides.",
    "The cat sat on the mat. The cat sat down. A dog sat on the mat.",
    "China said it would buy 300 tonnes of soybeans, worth 1,000.5 million dollars.",
    "The talks will resume next week, officials said.",
]


def toy_sentences() -> list[list[str]]:
    from unspin.lm import lm_sentences

    return [s for text in TOY_TEXT for s in lm_sentences(text)]


@pytest.fixture(scope="session")
def toy() -> LanguageModel:
    """Toy model; vocabulary = toy tokens + the 2,000 most frequent wordfreq words."""
    return build_model(toy_sentences(), BuildConfig(wordfreq_top=2000))


@pytest.fixture(scope="session")
def toy_plain() -> LanguageModel:
    """Toy model without the symspell bigrams and the extra wordfreq weight."""
    return build_model(
        toy_sentences(), BuildConfig(wordfreq_top=2000, symspell_weight=0.0, base_weight=0.0)
    )
