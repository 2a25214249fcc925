"""Red-team evaluation sets: train / dev / test JSONL with disjoint articles and spinners.

* train + dev: originals from the corpora split ``redteam`` (Reuters-21578 Lewis TEST,
  BBC bucket 0), divided by a hash of the article id; spun with ``TRAIN_PROFILES``.
* test: originals from the split ``heldout`` (ISOT, 2017 Reuters), spun with
  ``TEST_PROFILES`` -- no article and no spinner profile is shared with train.

Each split holds spun copies (rates 10/30/50/70 %, a share of them partial copies with
boilerplate and reordered sentences), clean originals (label ``clean``, never spun in
that split) and ``related`` hard negatives: another original that shares entities or
topic codes with a spun article (``original_id`` names that article), like seed 004 vs
seed 000. Generated text is research-use only: it lives under ``bench/.cache/evalsets``
(git-ignored) and is rebuilt deterministically by ``scripts/build_evalsets.py``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from unspin.simulate.profiles import TEST_PROFILES, TRAIN_PROFILES
from unspin.simulate.rules import STOPWORDS
from unspin.simulate.spinner import spin
from unspin.text import sentence_bounds, tokenize

__all__ = ["RATES", "SPLITS", "SplitName", "build", "default_dir", "fingerprint", "load"]

SplitName = Literal["train", "dev", "test"]
SPLITS: tuple[SplitName, ...] = ("train", "dev", "test")
RATES: tuple[float, ...] = (0.1, 0.3, 0.5, 0.7)
VERSION = 1
SEED = 20261124
# Spun copies, clean originals and related hard negatives per split.
SIZES: dict[SplitName, tuple[int, int, int]] = {
    "train": (1600, 500, 400),
    "dev": (400, 150, 120),
    "test": (560, 200, 180),
}
MIN_WORDS, MAX_WORDS = 80, 1500


def default_dir() -> Path:
    """``$UNSPIN_EVALSETS``, else ``bench/.cache/evalsets`` of this checkout."""
    env = os.environ.get("UNSPIN_EVALSETS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "bench" / ".cache" / "evalsets"


def load(split: SplitName, directory: Path | None = None) -> Iterator[dict[str, Any]]:
    """The records of ``split``; builds the sets first if they are missing or stale."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; have {', '.join(SPLITS)}")
    d = directory or default_dir()
    manifest = d / "manifest.json"
    stale = (
        not manifest.exists()
        or json.loads(manifest.read_text()).get("fingerprint") != fingerprint()
        or not (d / f"{split}.jsonl").exists()
    )
    if stale:
        build(d)
    with open(d / f"{split}.jsonl", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


# ---------------------------------------------------------------- building


def fingerprint() -> str:
    """Hash of everything the sets depend on in this checkout: the builder version, the
    spinner code and dictionaries, the text layer and the corpus readers."""
    pkg = Path(__file__).resolve().parents[1]
    files = [
        *sorted((pkg / "simulate").glob("*.py")),
        *sorted((pkg / "resources" / "simulate").glob("*")),
        *sorted((pkg / "text").glob("*.py")),
        pkg / "corpora.py",
    ]
    h = hashlib.sha256(f"v{VERSION}|{SEED}|{SIZES}".encode())
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _h(key: str) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest()[:12], 16)


def _entities(text: str) -> set[str]:
    """Capitalised non-initial words (lower-cased): a cheap named-entity proxy."""
    toks = tokenize(text)
    initial = {a for a, _ in sentence_bounds(toks)}
    return {
        low
        for i, (f, low) in enumerate(zip(toks.forms, toks.lower, strict=True))
        if i not in initial and f[:1].isupper() and low not in STOPWORDS and len(low) > 1
    }


def _shingles(text: str, n: int = 5) -> set[int]:
    words = tokenize(text).lower
    return {hash(tuple(words[i : i + n])) for i in range(max(0, len(words) - n + 1))}


def _related(arts: Sequence[Any], targets: Sequence[int]) -> dict[int, int]:
    """For each target index, the pool article sharing the most (idf-weighted) entities
    and topic codes -- but not a near-duplicate of it."""
    feats = []
    for a in arts:
        f = {f"e:{e}" for e in _entities(a.text)}
        for key in ("topics", "places", "people", "orgs"):
            f |= {f"{key}:{v}" for v in a.meta.get(key) or ()}
        if a.meta.get("category"):
            f.add(f"cat:{a.meta['category']}")
        feats.append(f)
    df: Counter[str] = Counter(x for f in feats for x in f)
    n = len(arts)
    idf = {x: math.log(n / c) for x, c in df.items() if c < n * 0.2}
    inverted: defaultdict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for x in f:
            if x in idf:
                inverted[x].append(i)
    out: dict[int, int] = {}
    for t in targets:
        scores: Counter[int] = Counter()
        # sorted: a set's order (and so the float sums and the ties) would follow the
        # process's string-hash seed, and the sets would differ from run to run
        for x in sorted(feats[t]):
            for j in inverted.get(x, ()):
                if j != t:
                    scores[j] += idf[x]
        sh = _shingles(arts[t].text)
        best = sorted(scores.items(), key=lambda js: (-js[1], js[0]))[:10]
        for j, s in best:
            if s < 6.0:
                break
            other = _shingles(arts[j].text)
            if len(sh & other) / max(1, min(len(sh), len(other))) < 0.2:
                out[t] = j
                break
    return out


def _record(split: str, label: str, art: Any, **kw: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": "",
        "split": split,
        "label": label,
        "profile": None,
        "rate": 0.0,
        "original_id": art.id,
        "text": art.text,
        "original": None,
        "alignment": None,
        "corpus": art.corpus,
    }
    rec.update(kw)
    return rec


def _build_split(split: SplitName, arts: list[Any], profiles: Sequence[str]) -> list[dict]:
    rng = random.Random(f"{SEED}|{split}")
    arts = sorted(arts, key=lambda a: a.id)
    rng.shuffle(arts)
    n_spun, n_clean, n_related = SIZES[split]
    n_spun = min(n_spun, max(0, len(arts) - n_clean))
    spun_arts, clean_arts = arts[:n_spun], arts[n_spun : n_spun + n_clean]
    records: list[dict] = []
    for i, art in enumerate(spun_arts):
        profile = profiles[i % len(profiles)]
        rate = RATES[(i // len(profiles)) % len(RATES)]
        seed = _h(f"{SEED}|{art.id}") % 1_000_000
        s = spin(art.text, profile, rate, seed)
        records.append(
            _record(
                split,
                "spun",
                art,
                id=f"{split}/spun/{art.id}",
                profile=profile,
                rate=rate,
                seed=seed,
                text=s.text,
                original=art.text,
                alignment=[e.to_dict() for e in s.alignment],
                realised_rate=round(s.realised_rate, 4),
            )
        )
    records += [_record(split, "clean", a, id=f"{split}/clean/{a.id}") for a in clean_arts]
    targets = list(range(min(len(spun_arts), n_related * 2)))
    pairs = _related(arts, targets)
    for t in targets:
        if t in pairs and sum(r["label"] == "related" for r in records) < n_related:
            other = arts[pairs[t]]
            records.append(
                _record(
                    split,
                    "related",
                    other,
                    id=f"{split}/related/{other.id}~{arts[t].id}",
                    original_id=arts[t].id,
                    related_id=other.id,
                )
            )
    return records


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(directory: Path | None = None) -> dict[str, Any]:
    """Write ``train/dev/test.jsonl`` and ``manifest.json`` under ``directory``."""
    from unspin import corpora

    shared = corpora.shared_dir()
    if shared is None:
        raise FileNotFoundError("the evaluation sets need ../shared (set UNSPIN_SHARED)")
    d = directory or default_dir()
    d.mkdir(parents=True, exist_ok=True)
    pools: dict[SplitName, list[Any]] = {"train": [], "dev": [], "test": []}
    for art in corpora.all_articles():
        n = len(art.text.split())
        if not MIN_WORDS <= n <= MAX_WORDS:
            continue
        if art.split == "redteam":
            pools["dev" if _h(art.id) % 5 == 0 else "train"].append(art)
        elif art.split == "heldout":
            pools["test"].append(art)
    profiles = {"train": TRAIN_PROFILES, "dev": TRAIN_PROFILES, "test": TEST_PROFILES}
    counts: dict[str, dict[str, int]] = {}
    for split in SPLITS:
        recs = _build_split(split, pools[split], profiles[split])
        tmp = d / f"{split}.jsonl.{os.getpid()}.tmp"  # concurrent builders never collide
        with open(tmp, "w", encoding="utf-8") as fh:
            for r in recs:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        tmp.replace(d / f"{split}.jsonl")
        c = Counter(r["label"] for r in recs)
        c.update(f"profile:{r['profile']}" for r in recs if r["profile"])
        c.update(f"corpus:{r['corpus']}" for r in recs)
        counts[split] = dict(sorted(c.items()))
    files = {
        "reuters21578": "data/reuters21578/reuters21578.jsonl.gz",
        "bbc": "data/bbc_news/bbc_news_2225.jsonl.gz",
        "isot": "data/isot_true_sample/isot_true_head989.csv.gz",
    }
    manifest = {
        "version": VERSION,
        "fingerprint": fingerprint(),
        "seed": SEED,
        "rates": list(RATES),
        "profiles": {s: list(profiles[s]) for s in SPLITS},
        "originals": {
            "train": "corpora split 'redteam', sha1(id) % 5 != 0",
            "dev": "corpora split 'redteam', sha1(id) % 5 == 0",
            "test": "corpora split 'heldout' (ISOT)",
        },
        "counts": counts,
        "corpus_sha256": {k: _file_hash(shared / v) for k, v in files.items()},
    }
    (d / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest
