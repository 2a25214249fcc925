"""Rebuild every shipped resource under ``src/unspin/resources/`` from ../shared, in order.

    .venv/bin/python scripts/build_resources.py            # lexicon, LM, spinner dicts, options
    .venv/bin/python scripts/build_resources.py --models   # ... then evalsets and the models

Steps (each a script of its own, run with this interpreter; the first failure stops it):

1. ``build_lexicon.py``        reverse thesaurus (WordNet from Debian ``wordnet-base``, Moby, PPS)
2. ``build_lm.py``             news language model (corpora split "lm")
3. ``build_spinner_dicts.py``  red-team spinner dictionaries
4. ``build_options.py``        detection's first-hop option table (needs 1 and 2)

With ``--models`` (slow: tens of minutes on 2 cores):

5. ``build_evalsets.py``       red-team train/dev/test sets (git-ignored, under bench/.cache)
6. ``build_learned.py``        learned pairs (gold alignments of the train split) ...
7. ``train_detector.py``       the spin detector (train split, with those pairs; calibrated on dev)
8. ``build_learned.py``        ... and again: the restore decision model reads the new detector
9. ``train_triage.py``         the fast triage scorer of ``scan --fast`` (reads the pairs of 6)
10. ``fit_trace_verdict.py``   trace's copy model (train split; threshold on dev)

Every step is deterministic; none writes corpus text into the package.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESOURCES = ["build_lexicon.py", "build_lm.py", "build_spinner_dicts.py", "build_options.py"]
MODELS = [
    "build_evalsets.py",
    "build_learned.py",
    "train_detector.py",
    "build_learned.py",
    "train_triage.py",
    "fit_trace_verdict.py",
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", action="store_true", help="also retrain the shipped models")
    args = ap.parse_args()
    for script in RESOURCES + (MODELS if args.models else []):
        t0 = time.perf_counter()
        print(f"== {script}", flush=True)
        rc = subprocess.call([sys.executable, str(HERE / script)])
        if rc:
            print(f"{script} failed (exit {rc})", file=sys.stderr)
            return rc
        print(f"== {script}: {time.perf_counter() - t0:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
