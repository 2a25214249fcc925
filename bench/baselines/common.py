"""Helpers shared by the baselines."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def threshold_at_fpr(negative_scores: Sequence[float], max_fpr: float = 0.01) -> float:
    """The lowest threshold ``t`` with at most ``max_fpr`` of negatives scoring ``> t``.

    A document is called spun when its score is strictly above ``t``.
    """
    neg = np.sort(np.asarray(negative_scores, dtype=np.float64))[::-1]
    if neg.size == 0:
        return -math.inf
    k = math.floor(max_fpr * neg.size + 1e-9)
    return float(neg[min(k, neg.size - 1)])
