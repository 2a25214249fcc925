"""Evaluation sets: disjoint articles and profiles, exact alignments, determinism."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

import unspin.simulate.evalsets as ev
from unspin.corpora import Article
from unspin.simulate import TEST_PROFILES, TRAIN_PROFILES, check_alignment

TOPICS = [
    ("Toyota", "Tokyo", "cars"),
    ("Siemens", "Munich", "turbines"),
    ("Petrobras", "Rio", "oil"),
    ("Nestle", "Vevey", "coffee"),
    ("Boeing", "Seattle", "jets"),
    ("Glencore", "Baar", "copper"),
    ("Danone", "Paris", "yoghurt"),
    ("Infosys", "Bangalore", "software"),
    ("Vale", "Brasilia", "iron"),
    ("Samsung", "Seoul", "phones"),
]
FILLER = (
    "the company said sales rose in the quarter while demand for exports fell and analysts "
    "expected prices to recover next year after talks on trade with officials in several "
    "markets where investors remained cautious about costs profits wages and new plants"
).split()


def _articles() -> list[Article]:
    out = []
    for k in range(30):
        firm, city, goods = TOPICS[k % len(TOPICS)]
        rng = random.Random(k)
        words = [rng.choice(FILLER) for _ in range(90)]
        for pos, name in ((5, firm), (30, city), (60, firm), (80, city)):
            words[pos] = name
        text = " ".join(words[:45]) + ".\n\n" + " ".join(words[45:]) + "."
        out.append(Article(f"fake/{k}", text, "fake", "redteam", meta={"topics": [goods]}))
    return out


def test_split_is_deterministic_and_labelled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ev.SIZES, "train", (12, 6, 5))
    a = ev._build_split("train", _articles(), TRAIN_PROFILES)
    b = ev._build_split("train", _articles(), TRAIN_PROFILES)
    assert a == b
    labels = [r["label"] for r in a]
    assert labels.count("spun") == 12 and labels.count("clean") == 6
    assert 0 < labels.count("related") <= 5
    spun_ids = {r["original_id"] for r in a if r["label"] == "spun"}
    clean_ids = {r["original_id"] for r in a if r["label"] == "clean"}
    assert spun_ids.isdisjoint(clean_ids)
    texts = {art.id: art.text for art in _articles()}
    for r in a:
        if r["label"] == "spun":
            assert r["profile"] in TRAIN_PROFILES and r["rate"] in ev.RATES
            assert check_alignment(r["original"], r["text"], r["alignment"]) == []
        if r["label"] == "related":
            assert r["related_id"] != r["original_id"]
            firm = next(t[0] for t in TOPICS if t[0] in texts[r["original_id"]])
            assert firm in r["text"]  # shares the entity


def _tied_articles() -> list[Article]:
    """Article 0 names six entities; article 1 shares three of them, article 2 the other
    three (equally rare): a tie, which 37 unrelated articles leave alone."""
    a, b = ["Alder", "Birch", "Cedar"], ["Delta", "Ember", "Fjord"]

    def text(k: int, names: list[str]) -> str:
        rng = random.Random(k)
        words = [f"w{k}x{rng.randrange(10**6)}" for _ in range(40)]
        return "The " + " ".join(words[:20] + names + words[20:]) + "."

    arts = [text(0, a + b), text(1, a), text(2, b)]
    arts += [text(k, [f"Solo{k}"]) for k in range(3, 40)]
    return [Article(f"fake/{k}", t, "fake", "redteam") for k, t in enumerate(arts)]


def test_related_pairs_do_not_follow_the_string_hash_seed() -> None:
    # sets of strings iterate in an order set by PYTHONHASHSEED: each process must still
    # pick the same related story when two tie (the lower index wins)
    code = (
        "from tests.simulate.test_evalsets import _tied_articles\n"
        "import unspin.simulate.evalsets as ev\n"
        "print(ev._related(_tied_articles(), [0]))\n"
    )
    root = Path(__file__).resolve().parents[2]
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert outs == {"{0: 1}\n"}


def test_build_and_load(shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ev, "SIZES", {"train": (16, 4, 4), "dev": (8, 3, 3), "test": (9, 3, 3)})
    recs = {s: list(ev.load(s, tmp_path)) for s in ev.SPLITS}
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["profiles"]["test"] == list(TEST_PROFILES)
    assert set(manifest["corpus_sha256"]) == {"reuters21578", "bbc", "isot"}
    ids = {
        s: {r["original_id"] for r in rs} | {r.get("related_id") for r in rs} - {None}
        for s, rs in recs.items()
    }
    assert ids["train"].isdisjoint(ids["dev"]) and ids["train"].isdisjoint(ids["test"])
    assert ids["dev"].isdisjoint(ids["test"])
    assert all(i.startswith("isot/") for i in ids["test"])
    train_profiles = {r["profile"] for s in ("train", "dev") for r in recs[s]} - {None}
    test_profiles = {r["profile"] for r in recs["test"]} - {None}
    assert train_profiles.isdisjoint(test_profiles)
    for rs in recs.values():
        assert {r["label"] for r in rs} == {"spun", "clean", "related"}
        for r in rs:
            if r["label"] == "spun":
                assert check_alignment(r["original"], r["text"], r["alignment"]) == []
    with pytest.raises(ValueError):
        next(ev.load("nope", tmp_path))  # type: ignore[arg-type]


def test_load_rebuilds_stale_sets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []

    def fake_build(d: Path) -> None:
        calls.append(d)
        (d / "dev.jsonl").write_text('{"id": "x"}\n')
        (d / "manifest.json").write_text(json.dumps({"fingerprint": ev.fingerprint()}))

    monkeypatch.setattr(ev, "build", fake_build)
    (tmp_path / "manifest.json").write_text(json.dumps({"fingerprint": "old"}))
    (tmp_path / "dev.jsonl").write_text('{"id": "stale"}\n')
    assert [r["id"] for r in ev.load("dev", tmp_path)] == ["x"]
    assert [r["id"] for r in ev.load("dev", tmp_path)] == ["x"]
    assert calls == [tmp_path]
