from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.trace.conftest import ORIGINAL, UNRELATED
from unspin.simulate.blend import blend
from unspin.text import sentence_texts as sentences


def _in_order(part: list[str], whole: list[str]) -> bool:
    it = iter(whole)
    return all(any(p == w for w in it) for p in part)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_blend_weaves_both_texts_in_order(seed: int) -> None:
    b = blend(ORIGINAL, UNRELATED, random.Random(seed))
    assert b is not None
    first, other = sentences(ORIGINAL), sentences(UNRELATED)
    got = [s.strip() for para in b.text.split("\n\n") for s in sentences(para)]
    from_first = [s for s in got if s in first]
    from_other = [s for s in got if s in other]
    assert len(from_first) == b.taken >= 1 and len(from_other) == b.added >= 1
    assert len(got) == b.taken + b.added  # nothing else in the blend
    assert _in_order(from_first, first) and _in_order(from_other, other)
    assert 0.0 < b.share < 1.0


def test_blend_is_deterministic_and_declines_short_texts() -> None:
    assert blend(ORIGINAL, UNRELATED, random.Random(3)) == blend(
        ORIGINAL, UNRELATED, random.Random(3)
    )
    assert blend("One sentence only. And two.", UNRELATED, random.Random(0)) is None
    assert blend(ORIGINAL, "", random.Random(0)) is None
