"""Rank the first-hop detection options of every lexicon key into
``src/unspin/resources/detect/options.npz`` (see :mod:`unspin.detect.options`).

Run after the lexicon or the language model changes (``make resources`` does)::

    python scripts/build_options.py [--workers 2] [--limit N] [--ids-only]

Without the table detection still works, ranking each key on first use (slower).
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from unspin.detect.options import (
    TABLE,
    OptionSource,
    OptionTable,
    build_table,
    fingerprint,
    load_table,
    merge_tables,
    save_table,
    table_keys,
    with_lm_ids,
)
from unspin.lexicon import load_lexicon
from unspin.lexicon.lexicon import RESOURCE
from unspin.lm import DEFAULT_PATH, load_lm


def _build(keys: list[str]) -> OptionTable:
    source = OptionSource(load_lexicon(), load_lm())
    return build_table(source, keys, fingerprint(RESOURCE, Path(DEFAULT_PATH)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="only the first N keys (a trial)")
    ap.add_argument("--out", type=Path, default=TABLE)
    ap.add_argument(
        "--ids-only",
        action="store_true",
        help="keep the ranked options of the current table, rebuild only its LM id table",
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.ids_only:
        current = load_table(args.out)
        if current is None or current.fingerprint != fingerprint(RESOURCE, Path(DEFAULT_PATH)):
            raise SystemExit(f"{args.out} is missing or stale: rebuild it in full")
        save_table(with_lm_ids(current, load_lexicon(), load_lm()), args.out)
        print(f"LM id table -> {args.out} in {time.perf_counter() - t0:.0f}s")
        return
    keys = table_keys(load_lexicon())
    if args.limit:
        keys = keys[: args.limit]
    n = max(1, args.workers) * 8
    chunks = [keys[i * len(keys) // n : (i + 1) * len(keys) // n] for i in range(n)]
    with ProcessPoolExecutor(max(1, args.workers)) as pool:
        table = merge_tables(list(pool.map(_build, chunks)))
    table = with_lm_ids(table, load_lexicon(), load_lm())
    save_table(table, args.out)
    print(
        f"{len(table.keys)} keys, {int(table.indptr[-1])} options, {len(table.texts)} texts "
        f"-> {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f}s"
    )


if __name__ == "__main__":
    main()
