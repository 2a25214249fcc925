"""Build the shipped news language model (``src/unspin/resources/lm``).

    .venv/bin/python scripts/build_lm.py                 # from the corpora split "lm"
    .venv/bin/python scripts/build_lm.py --text a.txt --out /tmp/toy   # from text files
    .venv/bin/python scripts/build_lm.py --holdout 20 --no-write   # dev perplexity only

Trains on Reuters-21578 (Lewis TRAIN / NOT-USED) and BBC buckets 1-4 (``unspin.corpora``
split "lm"): lower-cased project tokens, one sentence per ``sentence_bounds`` range.
Deterministic: the same inputs give byte-identical arrays. Only derived statistics are
written (vocabulary, n-gram keys, log-probabilities), never text.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from unspin.lm.build import BuildConfig, build_model, corpus_documents
from unspin.lm.model import DEFAULT_PATH
from unspin.lm.vocab import lm_sentences


def text_documents(paths: list[Path]) -> Iterator[tuple[str, str]]:
    """(id, text) per non-empty line of each text file."""
    for path in paths:
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                yield f"{path.name}:{i}", line


def _held_out(doc_id: str, every: int) -> bool:
    return every > 0 and int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % every == 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--text", type=Path, nargs="+", help="train on these text files instead")
    ap.add_argument("--out", type=Path, default=DEFAULT_PATH, help="model directory to write")
    ap.add_argument("--no-write", action="store_true", help="do not write the model")
    ap.add_argument(
        "--wordfreq-top", type=int, default=BuildConfig.wordfreq_top, help="wordfreq words added"
    )
    ap.add_argument(
        "--min-count", type=int, default=BuildConfig.min_count, help="least training count"
    )
    ap.add_argument(
        "--base-weight", type=float, default=BuildConfig.base_weight, help="wordfreq prior weight"
    )
    ap.add_argument(
        "--symspell-weight",
        type=float,
        default=BuildConfig.symspell_weight,
        help="weight of symspellpy's bigram list (0: off)",
    )
    ap.add_argument("--float-dtype", choices=("float16", "float32"), default="float16")
    ap.add_argument(
        "--holdout", type=int, default=0, metavar="K", help="hold out 1 in K documents; report"
    )
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    docs = text_documents(args.text) if args.text else corpus_documents()
    train: list[list[str]] = []
    dev: list[list[str]] = []
    for doc_id, text in docs:
        (dev if _held_out(doc_id, args.holdout) else train).extend(lm_sentences(text))
    config = BuildConfig(
        wordfreq_top=args.wordfreq_top,
        min_count=args.min_count,
        base_weight=args.base_weight,
        symspell_weight=args.symspell_weight,
    )
    source = "text files" if args.text else "unspin.corpora split 'lm' (Reuters-21578, BBC)"
    lm = build_model(train, config, meta={"source": source})
    print(f"built {lm!r} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if dev:
        n = sum(len(s) + 1 for s in dev)
        print(f"dev perplexity {lm.perplexity(dev):.2f} over {n} tokens", file=sys.stderr)
    if not args.no_write:
        lm.save(args.out, float_dtype=args.float_dtype)
        size = sum(p.stat().st_size for p in args.out.iterdir()) / 1e6
        print(f"wrote {args.out} ({size:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
