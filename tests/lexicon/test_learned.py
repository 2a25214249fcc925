from __future__ import annotations

from pathlib import Path

import pytest

from unspin.lexicon.learned import (
    LearnedStore,
    default_store_path,
    normalise_pair,
    read_shipped,
    write_shipped,
)


def test_normalise_pair() -> None:
    assert normalise_pair("Acknowledged", "said") == ("acknowledged", "said")
    assert normalise_pair("the  usa", "the United States") == ("the usa", "the United States")
    assert normalise_pair("said", "Said") is None  # only case differs
    assert normalise_pair("12", "13") is None  # no letters
    assert normalise_pair("a b c d e", "x") is None  # too long


def test_pairs_are_kept_in_latin_letters() -> None:
    # a copy disguised with look-alike letters is read (and detected) in Latin letters
    assert normalise_pair("acknowledgeԁ", "said") == ("acknowledged", "said")
    assert normalise_pair("Preѕident", "President") is None  # only the disguise differs


def test_store_counts(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "learned.sqlite"
    with LearnedStore(path) as st:
        assert st.add([("acknowledged", "said"), ("Acknowledged", "said"), ("x", "x")]) == 2
        st.add([("replace", "trade")])
    with LearnedStore(path, readonly=True) as st:
        assert sorted(st) == [("acknowledged", "said", 2), ("replace", "trade", 1)]
        assert len(st) == 2


def test_default_path_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("UNSPIN_STORE", str(tmp_path / "s.sqlite"))
    assert default_store_path() == tmp_path / "s.sqlite"
    monkeypatch.delenv("UNSPIN_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_store_path() == tmp_path / "unspin" / "learned.sqlite"


def test_shipped_roundtrip_is_reproducible(tmp_path: Path) -> None:
    rows = [("replace", "trade", 3), ("acknowledged", "said", 5)]
    a, b = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    write_shipped(rows, a)
    write_shipped(list(reversed(rows)), b)
    assert a.read_bytes() == b.read_bytes()
    assert read_shipped(a) == sorted(rows)
    assert read_shipped(tmp_path / "missing.tsv.gz") == []


def test_shipped_default_is_small() -> None:
    from unspin.lexicon.learned import SHIPPED

    assert SHIPPED.exists()
    assert SHIPPED.stat().st_size < 2_000_000
    rows = read_shipped()
    assert rows and all(n >= 2 for _, _, n in rows)


def test_shipped_pairs_hold_no_original_much_rarer_than_its_spun_form() -> None:
    # scripts/build_learned.py: MAX_RARER; "percent" -> "pct" (1987 house style) was learned
    # 112 times from the training copies and then applied to every modern "percent"
    from unspin.detect.options import MAX_RARER, phrase_zipf
    from unspin.lexicon.learned import read_shipped

    rows = list(read_shipped())
    assert len(rows) > 10_000
    assert ("percent", "pct") not in {(s, o) for s, o, _ in rows}
    assert all(phrase_zipf(o) >= phrase_zipf(s) - MAX_RARER for s, o, _ in rows)
