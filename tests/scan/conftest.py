"""A tiny crawl (from the shipped examples) and an index of two of its originals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin.simulate import spin
from unspin.trace import Index

ROOT = Path(__file__).resolve().parents[2]
ORIGINAL = ROOT / "examples" / "004_original_reuters_us_china_related.txt"
SPUN = ROOT / "examples" / "000_spun_reuters_us_china_trade.txt"


def _chunks(text: str, n: int) -> list[str]:
    paras = [p for p in text.split("\n") if p.strip()]
    size = -(-len(paras) // n)
    return ["\n".join(paras[i : i + size]) for i in range(0, len(paras), size)]


@pytest.fixture(scope="session")
def originals() -> list[str]:
    return _chunks(ORIGINAL.read_text(encoding="utf-8"), 3)


@pytest.fixture(scope="session")
def crawl(tmp_path_factory: pytest.TempPathFactory, originals: list[str]) -> Path:
    """12 documents: spun and verbatim copies, unarchived and short texts, a bad line."""
    rows: list[dict[str, str] | str] = []
    for i in range(3):
        rows.append(
            {"id": f"spun{i}", "text": spin(originals[0], "moby-basic", 0.3, i).text,
             "url": f"https://www.farm{i % 2}.example/a{i}"}
        )  # fmt: skip
        rows.append({"id": f"copy{i}", "text": originals[1], "url": f"http://copy.example/{i}"})
    rows.append({"id": "fresh", "text": originals[2], "url": "https://news.example/x"})
    rows.append({"id": "seed", "text": SPUN.read_text(encoding="utf-8")})
    rows.append({"id": "short", "text": "Too short to judge."})
    rows.append("{not json")
    rows.append({"id": "fresh2", "text": originals[2] + "\nMore."})
    rows.append({"id": "spun3", "text": spin(originals[1], "wordnet-blind", 0.4, 7).text})
    path = tmp_path_factory.mktemp("crawl") / "crawl.jsonl"
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory, originals: list[str]) -> Path:
    d = tmp_path_factory.mktemp("index")
    with Index(d) as idx:
        idx.add([("orig0", originals[0]), ("orig1", originals[1])])
    return d
