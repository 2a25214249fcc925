"""A boosted tree ensemble in plain arrays: scikit-learn's histogram gradient boosting,
exported to JSON and evaluated with NumPy (no pickles, no private API at run time).

Every tree's nodes sit in one set of arrays; a leaf points to itself on both sides, so all
trees of all rows descend together, one level a step, for ``depth`` steps. Used by the spin
detector's token model and by restore's decision model.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

__all__ = ["TreeEnsemble", "json_text", "sigmoid"]


def sigmoid(z: Any) -> Any:
    """The logistic function of ``z`` (array or scalar; clipped to +-30, so never 0 or 1
    exactly and never an overflow), in ``z``'s float type."""
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


BLOCK = 1 << 17  # (row, tree) pairs evaluated together by TreeEnsemble.decision
TREE_KEYS = frozenset({"feature", "threshold", "left", "right", "value", "roots", "depth"})


def json_text(data: Any, sort_keys: bool = False) -> str:
    """``data`` as JSON indented by one space, except that each list of more than eight
    numbers (model arrays) stays on one line."""
    arrays: list[str] = []

    def walk(o: Any) -> Any:
        if isinstance(o, dict):
            return {k: walk(v) for k, v in o.items()}
        if isinstance(o, list | tuple):
            numbers = all(type(v) in (int, float) for v in o)
            if numbers and len(o) > 8:
                arrays.append(json.dumps(list(o), separators=(",", ":")))
                return f"\0array{len(arrays) - 1}\0"
            return [walk(v) for v in o]
        return o

    text = json.dumps(walk(data), indent=1, sort_keys=sort_keys)
    for i, a in enumerate(arrays):
        text = text.replace(f'"\\u0000array{i}\\u0000"', a, 1)
    return text


@dataclass(frozen=True, eq=False)
class TreeEnsemble:
    """Sum of regression trees plus a baseline (a binary classifier's log-odds)."""

    feature: np.ndarray  # int64 per node (0 at leaves)
    threshold: np.ndarray  # float64 per node: ``x <= threshold`` goes left
    missing_left: np.ndarray  # bool per node: NaN goes left
    left: np.ndarray  # int64 per node (itself at leaves)
    right: np.ndarray  # int64 per node (itself at leaves)
    value: np.ndarray  # float64 per node (used at leaves)
    roots: np.ndarray  # int64 per tree
    depth: int  # the deepest leaf's depth
    baseline: float

    def decision(self, x: np.ndarray) -> np.ndarray:
        """The log-odds of each row of ``x`` (rows x features).

        Rows go through in blocks of about :data:`BLOCK` (row, tree) pairs, which stay in
        the CPU cache: 3x faster than all rows at once on restore's ~3,000 option rows.
        """
        x = np.ascontiguousarray(x, dtype=np.float64)
        if x.ndim != 2:
            raise ValueError(f"expected a 2-d array, got shape {x.shape}")
        n, d = x.shape
        if self._max_feature >= d:
            raise ValueError(f"the trees read feature {self._max_feature}; x has {d} columns")
        n_trees = len(self.roots)
        child, feature, threshold = self._children, self.feature, self.threshold
        nan = bool(np.isnan(x).any())
        out = np.zeros(n, dtype=np.float64)
        step = max(1, BLOCK // max(n_trees, 1))
        for a in range(0, n, step):
            m = min(step, n - a)
            flat = x[a : a + m].ravel()
            node = np.tile(self.roots, m)  # (row, tree) pairs, row-major
            at = np.repeat(np.arange(m, dtype=np.int64) * d, n_trees)  # each row's offset
            for _ in range(self.depth):
                value = flat.take(at + feature.take(node))
                if nan:  # NaN goes where the node says
                    right = ~(
                        (value <= threshold.take(node))
                        | (np.isnan(value) & self.missing_left.take(node))
                    )
                else:
                    right = value > threshold.take(node)
                node += node
                node += right
                node = child.take(node)  # left child at 2 * node, right at 2 * node + 1
            out[a : a + m] = self.value.take(node).reshape(m, n_trees).sum(axis=1)
        return self.baseline + out

    @cached_property
    def _children(self) -> np.ndarray:
        """``left`` and ``right`` interleaved: node ``i``'s children at ``2i`` and ``2i + 1``."""
        return np.stack([self.left, self.right], axis=1).ravel()

    @cached_property
    def _max_feature(self) -> int:
        return int(self.feature.max(initial=0))

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """The probability of the positive class for each row of ``x``."""
        return sigmoid(self.decision(x))

    @staticmethod
    def is_dict(d: Any) -> bool:
        """Does ``d`` look like :meth:`to_dict`'s output?"""
        return isinstance(d, dict) and d.keys() >= TREE_KEYS

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, params: Mapping[str, Any]) -> TreeEnsemble:
        """Fit scikit-learn's ``HistGradientBoostingClassifier(**params)`` on ``x``, ``y``
        (build time: scikit-learn is not needed to evaluate the result) and export it."""
        from sklearn.ensemble import HistGradientBoostingClassifier

        return cls.from_sklearn(HistGradientBoostingClassifier(**params).fit(x, y))

    @classmethod
    def from_sklearn(cls, clf: Any) -> TreeEnsemble:
        """From a fitted binary ``HistGradientBoostingClassifier`` without categorical
        features."""
        if getattr(clf, "n_trees_per_iteration_", 1) != 1:
            raise ValueError("only binary classifiers are supported")
        if getattr(clf, "is_categorical_", None) is not None and clf.is_categorical_.any():
            raise ValueError("categorical features are not supported")
        parts: dict[str, list[np.ndarray]] = {k: [] for k in ("f", "t", "m", "l", "r", "v")}
        roots, offset, depth = [], 0, 0
        for (pred,) in clf._predictors:
            nodes = pred.nodes
            n = len(nodes)
            own = np.arange(offset, offset + n, dtype=np.int64)
            leaf = nodes["is_leaf"].astype(bool)
            parts["f"].append(np.where(leaf, 0, nodes["feature_idx"]).astype(np.int64))
            parts["t"].append(nodes["num_threshold"].astype(np.float64))
            parts["m"].append(nodes["missing_go_to_left"].astype(bool))
            parts["l"].append(np.where(leaf, own, nodes["left"].astype(np.int64) + offset))
            parts["r"].append(np.where(leaf, own, nodes["right"].astype(np.int64) + offset))
            parts["v"].append(nodes["value"].astype(np.float64))
            roots.append(offset)
            depth = max(depth, int(nodes["depth"].max()))
            offset += n
        return cls(
            feature=np.concatenate(parts["f"]),
            threshold=np.concatenate(parts["t"]),
            missing_left=np.concatenate(parts["m"]),
            left=np.concatenate(parts["l"]),
            right=np.concatenate(parts["r"]),
            value=np.concatenate(parts["v"]),
            roots=np.asarray(roots, dtype=np.int64),
            depth=depth,
            baseline=float(np.ravel(clf._baseline_prediction)[0]),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (floats keep their exact value through ``json``)."""
        return {
            "feature": self.feature.tolist(),
            "threshold": self.threshold.tolist(),
            "missing_left": self.missing_left.astype(int).tolist(),
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": self.value.tolist(),
            "roots": self.roots.tolist(),
            "depth": self.depth,
            "baseline": self.baseline,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TreeEnsemble:
        """Inverse of :meth:`to_dict`; checks that every link stays inside the arrays."""
        ints = {k: np.asarray(d[k], dtype=np.int64) for k in ("feature", "left", "right", "roots")}
        n = len(ints["left"])
        arrays = [ints["left"], ints["right"], ints["roots"]]
        if any(a.size and (a.min() < 0 or a.max() >= n) for a in arrays):
            raise ValueError("tree ensemble: a node link points outside the node arrays")
        return cls(
            feature=ints["feature"],
            threshold=np.asarray(d["threshold"], dtype=np.float64),
            missing_left=np.asarray(d["missing_left"], dtype=bool),
            left=ints["left"],
            right=ints["right"],
            value=np.asarray(d["value"], dtype=np.float64),
            roots=ints["roots"],
            depth=int(d["depth"]),
            baseline=float(d["baseline"]),
        )
