"""Build the reverse thesaurus shipped in ``src/unspin/resources/lexicon/``.

    .venv/bin/python scripts/build_lexicon.py [--shared DIR] [--wordnet DIR] [--out FILE]

Reads WordNet 3.0 (Debian ``wordnet-base``, /usr/share/wordnet), Moby Thesaurus II and
the PPS tortured-phrase list from ../shared/data, and writes one deterministic
``lexicon.npz`` (derived maps only; no corpus text).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import itertools
import sys
import time
from pathlib import Path

from wordfreq import zipf_frequency

from unspin.corpora import shared_dir
from unspin.lexicon.build import (
    build_tables,
    iter_moby,
    iter_pps,
    iter_rules,
    iter_wordnet,
    read_wordnet_dir,
)
from unspin.lexicon.lexicon import RESOURCE
from unspin.lexicon.tables import save_tables


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--shared", type=Path, default=shared_dir())
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    ap.add_argument("--out", type=Path, default=RESOURCE)
    args = ap.parse_args(argv)
    if args.shared is None:
        ap.error("../shared not found: pass --shared")
    data = args.shared / "data"
    t0 = time.time()
    wordnet = iter_wordnet(read_wordnet_dir(args.wordnet))
    with gzip.open(data / "moby_thesaurus/mthesaur.txt.gz", "rt", encoding="latin-1") as fh:
        moby = list(iter_moby(fh))
    pps_path = data / "tortured_phrases_pps/pps_tortured_merged.tsv"
    with open(pps_path, encoding="utf-8", newline="") as fh:
        pps = list(iter_pps(csv.DictReader(fh, delimiter="\t")))
    tables = build_tables(
        itertools.chain(wordnet, moby, pps, iter_rules()), freq=lambda w: zipf_frequency(w, "en")
    )
    save_tables(tables, args.out)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()[:16]
    print(
        f"{args.out}: {len(tables):,} phrases, {tables.n_edges:,} edges, "
        f"{args.out.stat().st_size / 1e6:.1f} MB, sha256 {digest}, {time.time() - t0:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
