"""Build the red-team evaluation sets (deterministic, one command).

    .venv/bin/python scripts/build_evalsets.py [OUT_DIR]

Writes ``train.jsonl``, ``dev.jsonl``, ``test.jsonl`` and ``manifest.json`` under
``bench/.cache/evalsets/`` (git-ignored: the text comes from research-use corpora).
See :mod:`unspin.simulate.evalsets` for what the sets hold.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from unspin.simulate.evalsets import build, default_dir


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else default_dir()
    t0 = time.perf_counter()
    manifest = build(out)
    print(json.dumps(manifest["counts"], indent=1))
    print(f"wrote {out} in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
