"""Shared fixtures: the example texts and a skip marker for data-hungry tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin.corpora import shared_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SPUN_SEED = EXAMPLES / "000_spun_reuters_us_china_trade.txt"
RELATED_SEED = EXAMPLES / "004_original_reuters_us_china_related.txt"


@pytest.fixture(scope="session")
def spun_text() -> str:
    return SPUN_SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def related_text() -> str:
    return RELATED_SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared() -> Path:
    d = shared_dir()
    if d is None:
        pytest.skip("../shared (research corpora) not present")
    return d
