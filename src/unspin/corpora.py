"""Readers for the research corpora in ``../shared`` and the project-wide data splits.

Build scripts, benchmarks and data-hungry tests use this module; the run-time package
never needs it (it ships derived resources instead). The corpora are research-use only:
nothing read here is committed.

Splits (one rule for everybody, so that no model is evaluated on text it was built from):

* ``lm``       -- text the language model and other statistics may be trained on:
  Reuters-21578 stories in Lewis split TRAIN / NOT-USED, and BBC articles in buckets 1-4.
* ``redteam``  -- originals the red-team spinners turn into train/dev sets for the
  detector: Reuters-21578 Lewis TEST stories and BBC bucket 0. Never seen by the LM.
* ``heldout``  -- the ISOT sample: LM perplexity and the red-team *test* split only.

``realworld()`` (../shared/realworld-dev.jsonl) is for development and reporting only:
never train on it.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "Article",
    "Split",
    "all_articles",
    "bbc",
    "isot",
    "realworld",
    "reuters",
    "shared_dir",
]

Split = Literal["lm", "redteam", "heldout"]


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    text: str
    corpus: str
    split: Split
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def shared_dir() -> Path | None:
    """``$UNSPIN_SHARED``, else the first ``shared/`` beside this checkout; ``None`` if absent."""
    env = os.environ.get("UNSPIN_SHARED")
    if env:
        p = Path(env)
        return p if p.is_dir() else None
    here = Path(__file__).resolve()
    for parent in [Path.cwd(), *Path.cwd().parents, *here.parents]:
        cand = parent / "shared"
        if (cand / "data").is_dir():
            return cand
        cand = parent.parent / "shared"
        if (cand / "data").is_dir():
            return cand
    return None


def _require_shared() -> Path:
    d = shared_dir()
    if d is None:
        raise FileNotFoundError("../shared not found (set UNSPIN_SHARED to its path)")
    return d


def _bucket(key: str, n: int = 5) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % n


_WRAP_RE = re.compile(r"\n(?! {3,}|\n)")  # a hard line wrap, not a paragraph start


def _unwrap_reuters(body: str) -> str:
    """Reuters-21578 bodies are wrapped at ~65 columns; paragraphs start with 4 spaces."""
    text = _WRAP_RE.sub(" ", body.strip())
    paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s+", text)]
    return "\n\n".join(p for p in paras if p)


def reuters() -> Iterator[Article]:
    """Reuters-21578 stories with a body, exact duplicates removed, wire wrapping undone."""
    path = _require_shared() / "data/reuters21578/reuters21578.jsonl.gz"
    seen: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            body = r.get("body")
            if not body:
                continue
            text = _unwrap_reuters(body)
            h = hashlib.sha1(text.encode()).hexdigest()
            if h in seen:
                continue
            seen.add(h)
            split: Split = "redteam" if r.get("lewissplit") == "TEST" else "lm"
            yield Article(
                id=f"reuters21578/{r['newid']}",
                text=text,
                corpus="reuters21578",
                split=split,
                title=(r.get("title") or "").strip(),
                meta={k: r.get(k) for k in ("date", "topics", "places", "people", "orgs")},
            )


def bbc() -> Iterator[Article]:
    """BBC News 2004-05, exact duplicates removed."""
    path = _require_shared() / "data/bbc_news/bbc_news_2225.jsonl.gz"
    seen: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            text = (r.get("text") or "").strip()
            h = hashlib.sha1(text.encode()).hexdigest()
            if not text or h in seen:
                continue
            seen.add(h)
            split: Split = "redteam" if _bucket(h) == 0 else "lm"
            yield Article(
                id=f"bbc/{r['id']}",
                text=text,
                corpus="bbc",
                split=split,
                title=r.get("title", ""),
                meta={"category": r.get("category")},
            )


def isot() -> Iterator[Article]:
    """The ISOT True.csv sample (2017 Reuters politics): held out from every model."""
    path = _require_shared() / "data/isot_true_sample/isot_true_head989.csv.gz"
    with gzip.open(path, "rb") as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        for i, r in enumerate(reader):
            text = (r.get("text") or "").strip()
            if not text:
                continue
            yield Article(
                id=f"isot/{i}",
                text=text,
                corpus="isot",
                split="heldout",
                title=r.get("title", ""),
                meta={"date": (r.get("date") or "").strip()},
            )


def all_articles() -> Iterator[Article]:
    yield from reuters()
    yield from bbc()
    yield from isot()


def realworld() -> list[dict[str, Any]]:
    """The 16 real-world clusters (development and reporting only; never train on them)."""
    path = _require_shared() / "realworld-dev.jsonl"
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
