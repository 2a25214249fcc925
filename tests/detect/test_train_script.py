"""The training recipe's prefix copies (scripts/train_detector.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_detector.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_detector", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_prefix_copies_are_word_aligned_prefixes() -> None:
    mod = _script()
    long = " ".join(f"w{i}" for i in range(1000)) + " end."
    records = [
        {"id": "a", "label": "spun", "text": long, "alignment": [{"op": "substitute"}]},
        {"id": "b", "label": "clean", "text": "too short to cut " * 5},
    ]
    out = mod.with_prefixes(records, seed=3)
    assert out[:2] == records  # the whole documents stay
    extra = out[2:]
    assert len(extra) == 1  # 20 words: shorter than any drawn length
    cut = extra[0]
    assert cut["id"].startswith("a#first") and cut["label"] == "spun"
    assert cut["alignment"] == records[0]["alignment"]
    n = int(cut["id"].split("#first")[1])
    lo, hi = mod.PREFIX_WORDS
    assert lo <= n <= hi and len(cut["text"].split()) == n
    assert long.startswith(cut["text"]) and long[len(cut["text"])] == " "
    assert mod.with_prefixes(records, seed=3) == out  # seeded
