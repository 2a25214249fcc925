"""Detection options: the shipped table agrees with the lexicon; the batched second hop
agrees with a plain reading of the lexicon."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.detect.evidence import load_resources
from unspin.detect.options import (
    CONTEXT_OPTIONS,
    TABLE,
    OptionSource,
    best_per_segment,
    build_table,
    fingerprint,
    load_table,
    merge_tables,
    option_forms,
    save_table,
    table_keys,
)
from unspin.lexicon.lexicon import RESOURCE
from unspin.lm import DEFAULT_PATH

KEYS = ["replace", "acknowledged", "chinese", "the usa", "talks", "narrowed", "may", "zzzq"]


@pytest.fixture(scope="module")
def res():  # type: ignore[no-untyped-def]
    return load_resources()


def test_shipped_table_is_current() -> None:
    table = load_table()
    assert table is not None, f"{TABLE} missing: run scripts/build_options.py"
    assert table.fingerprint == fingerprint(RESOURCE, Path(DEFAULT_PATH)), (
        "options.npz is stale: run scripts/build_options.py"
    )


def test_table_matches_ranking_on_the_fly(res) -> None:  # type: ignore[no-untyped-def]
    fresh = OptionSource(res.lexicon, res.lm)  # no table: ranks on first use
    rng = np.random.default_rng(1)
    keys = table_keys(res.lexicon)
    sample = [*KEYS, *(keys[i] for i in rng.choice(len(keys), 150, replace=False))]
    for key in sample:
        assert res.source.options(key) == fresh.rank_first_hop(key), key


def test_table_round_trip(res, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = OptionSource(res.lexicon, res.lm)
    keys = sorted(KEYS)
    parts = [build_table(source, keys[:4], "fp"), build_table(source, keys[4:], "fp")]
    table = merge_tables(parts)
    save_table(table, tmp_path / "t.npz")
    back = load_table(tmp_path / "t.npz")
    assert back is not None and back.fingerprint == "fp" and back.keys == sorted(KEYS)
    for key in KEYS:
        assert back.lookup(key) == source.rank_first_hop(key)
    assert back.lookup("not a key") is None


def test_first_hop_ids_are_the_options_tokens(res) -> None:  # type: ignore[no-untyped-def]
    ch = res.source.first_hop("united states")
    assert len(ch) and any(m > 1 for m in ch.lens.tolist())  # "US Government"
    assert len(ch.lens) == len(ch.texts) and int(ch.lens.sum()) == len(ch.ids)
    at = 0
    for text, m in zip(ch.texts, ch.lens.tolist(), strict=True):
        assert ch.ids[at : at + m].tolist() == res.lm.encode(list(option_forms(text))).tolist()
        at += m


def test_batched_context_options_match_a_plain_reading(res) -> None:  # type: ignore[no-untyped-def]
    lm, lex = res.lm, res.lexicon
    cases = [
        ("replace", "relaunch", "talks"),
        ("acknowledged", "officials", "on"),
        ("sector", "the", "talks"),
    ]
    reqs = []
    for key, prev, nxt in cases:
        have = tuple(t for t, _, _ in res.source.options(key))
        reqs.append((key, lm.word_id(prev), lm.word_id(nxt), have))
    got = res.source.in_context(reqs)
    for (key, p, n, have), ch in zip(reqs, got, strict=True):
        # plain: every single-word, LM-known candidate up to hop 2, best bigram fit first
        cands = {}
        for c in lex.candidates(key, max_hops=2):
            if " " in c.text or c.text.lower() == key or c.text.lower() in cands:
                continue
            wid = lm.word_id(c.text.lower())
            if wid != lm.unk:
                cands[c.text.lower()] = wid
        fit = {
            t: float(lm.bigram_logprob(np.array([p]), np.array([w]))[0])
            + float(lm.bigram_logprob(np.array([w]), np.array([n]))[0])
            for t, w in cands.items()
            if t not in {h.lower() for h in have}
        }
        best = sorted(fit, key=lambda t: -fit[t])[:CONTEXT_OPTIONS]
        assert [t.lower() for t in ch.texts] == best
        assert ch.hops == (2,) * len(ch.texts)
    assert "trade" in [t.lower() for t in got[0].texts]


def test_learned_pairs_merge_into_the_table_as_ranked_on_the_fly(res) -> None:  # type: ignore[no-untyped-def]
    lex = type(res.lexicon)(res.lexicon.tables)  # the shared lexicon stays as it is
    pairs = [
        ("replace", "trade", 3),
        ("replace", "Trade", 1),  # a case variant: the lexicon adds up the counts
        ("replace", "commerce", 3),
        ("acknowledged", "said", 5),
        ("acknowledged", "bellowed", 1),  # not among the table's options
        ("the usa", "the United States", 2),
        ("talks", "talks", 1),  # the key itself: never an option
        ("narrowed", "zzzq", 1),  # unknown to the language model: dropped
    ]
    for spun, original, count in pairs:
        lex.add_learned(spun, original, count)
    source = OptionSource(lex, res.lm, res.table)
    assert source.table is not None
    for key in ("replace", "acknowledged", "the usa", "talks", "narrowed"):
        merged = source.options(key)
        assert merged == source.rank_first_hop(key), key
        assert merged != res.source.options(key) or key in ("talks", "narrowed"), key
    assert source.options("replace")[0][0] == "trade"


def test_shipped_lm_ids_are_the_ones_built_on_the_fly(res) -> None:  # type: ignore[no-untyped-def]
    assert res.table is not None and res.table.lm_ids is not None
    built = OptionSource(res.lexicon, res.lm)._id_table()  # no table: built from scratch
    assert np.array_equal(res.table.lm_ids, built)
    assert res.source._id_table() is res.table.lm_ids


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 40), min_size=1, max_size=8),
    need=st.integers(1, 12),
    seed=st.integers(0, 2**32 - 1),
    margin=st.sampled_from([0.0, 0.5, 3.0, 6.0]),
)
def test_best_per_segment_is_a_full_sort_cut(sizes, need, seed, margin) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    n = np.asarray(sizes, dtype=np.int64)
    # coarse values: many ties; a few below the -999 floor
    fit = (-rng.integers(0, 16, int(n.sum())) / 2.0).astype(np.float32)
    fit[rng.random(fit.size) < 0.05] = -2000.0
    needs = rng.integers(1, need + 1, len(n))
    got = best_per_segment(fit, n, needs, margin).tolist()
    want: list[int] = []
    start = 0
    for size, k in zip(n.tolist(), needs.tolist(), strict=True):
        idx = range(start, start + size)
        want += sorted(idx, key=lambda i: (-max(float(fit[i]), -999.0), i))[:k]
        start += size
    assert got == want
