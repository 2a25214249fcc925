"""Fit ``src/unspin/resources/detect/triage.json``: the fast scorer of ``scan --fast``.

    .venv/bin/python scripts/train_triage.py [--max-fpr 0.01]

A logistic regression over :data:`unspin.detect.triage.FEATURES` of the red-team *train*
documents (spun vs clean and related), standardised. The label threshold is the lowest
probability that flags at most ``--max-fpr`` (1%) of the *dev* clean and related
documents, as the shipped detector's is. Deterministic: a second run writes the same file.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

import numpy as np

from unspin.detect.triage import FEATURES, RESOURCE, TriageModel, features
from unspin.lm import load_lm
from unspin.simulate import evalsets
from unspin.text import tokenize


def _matrix(recs: list[dict], lm: object) -> np.ndarray:  # type: ignore[type-arg]
    return np.stack([features(tokenize(r["text"]), lm) for r in recs])


def main(argv: list[str] | None = None) -> None:
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--max-fpr", type=float, default=0.01, help="dev unspun share flagged")
    a = ap.parse_args(argv)
    lm = load_lm()
    train = list(evalsets.load("train"))
    dev = list(evalsets.load("dev"))
    x = _matrix(train, lm)
    y = np.array([r["label"] == "spun" for r in train], dtype=int)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=5000).fit((x - mean) / scale, y)
    model = TriageModel(
        tuple(np.round(mean, 6).tolist()),
        tuple(np.round(scale, 6).tolist()),
        tuple(np.round(lr.coef_[0], 6).tolist()),
        round(float(lr.intercept_[0]), 6),
        0.5,
        {},
    )
    pd = np.array([model.probability(row) for row in _matrix(dev, lm)])
    yd = np.array([r["label"] == "spun" for r in dev])
    neg = np.sort(pd[~yd])[::-1]
    k = int(np.floor(a.max_fpr * len(neg)))  # this many may lie above the threshold
    threshold = float(np.ceil(neg[k] * 1e4) / 1e4 + 1e-4) if len(neg) else 0.5
    info = {
        "train_docs": len(train),
        "dev_docs": len(dev),
        "dev_flagged_unspun": round(float((pd[~yd] >= threshold).mean()), 4),
        "dev_found_spun": round(float((pd[yd] >= threshold).mean()), 4),
        "max_fpr": a.max_fpr,
    }
    model = replace(model, threshold=threshold, info=info)
    RESOURCE.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"triage: threshold {threshold}, {info}", file=sys.stderr)
    print(f"weights: {dict(zip(FEATURES, model.coef, strict=True))}", file=sys.stderr)


if __name__ == "__main__":
    main()
