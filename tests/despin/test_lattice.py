from __future__ import annotations

import numpy as np

from unspin.despin.api import load_restorer
from unspin.despin.lattice import apply_edits, decode, match_case
from unspin.detect.evidence import gather


def test_match_case() -> None:
    assert match_case("trade", "Replace") == "Trade"
    assert match_case("trade", "replace") == "trade"
    assert match_case("United States", "usa") == "United States"
    assert match_case("said", "ACKNOWLEDGED") == "SAID"


def test_apply_edits() -> None:
    text = "a bc def"
    assert apply_edits(text, [2, 5], [4, 8], ["X", "YZ"]) == "a X YZ"
    assert apply_edits(text, [], [], []) == text


def test_clean_text_almost_unchanged() -> None:
    r = load_restorer()
    text = (
        "The company said on Monday that its profit rose in the third quarter, "
        "helped by strong demand for its products in China and the United States. "
        "Shares of the company closed up 3 percent in New York, and analysts said the "
        "results were better than expected."
    )
    ev = gather(text, r.res)
    assert len(decode(ev, r.res, r.model)) <= 2  # of 45 words


def test_allowed_mask_blocks_changes() -> None:
    r = load_restorer()
    text = "Officials acknowledged on Monday that the replace war would hurt the economic system."
    ev = gather(text, r.res)
    assert decode(ev, r.res, r.model, allowed=np.zeros(len(ev.tokens), dtype=bool)) == []
