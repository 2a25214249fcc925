"""Whether to undo one candidate substitution: a small logistic model over the evidence.

For a site (a token span the lexicon can map back) and one of its candidate originals the
features are the LM gain, how improbable the text is as it is, the frequency of the
surface and of the candidate (spinners pick rarer words; originals are plain news words),
the lexicon route (hops, learned, tortured phrase, case repair) and the surface shape.
The coefficients are fitted on the red-team *train* set by ``scripts/build_learned.py``
and shipped as JSON; :data:`DEFAULT` is a hand-set fallback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from unspin.detect.evidence import Evidence, Site

__all__ = [
    "DEFAULT",
    "FEATURES",
    "DecisionModel",
    "detector_logodds",
    "learned_pairs",
    "load_decision",
    "option_order",
    "site_features",
]

RESOURCE = Path(__file__).resolve().parent.parent / "resources" / "learned" / "decision.json"

FEATURES: tuple[str, ...] = (
    "gain",
    "gain_pos",
    "logp_as_is",
    "zipf_surface",
    "zipf_option",
    "hops",
    "learned",
    "pps",
    "case",
    "n_tokens",
    "capitalised",
    "rank",
    "learned_count",
    "margin",
    "detector",
)


@dataclass(frozen=True)
class DecisionModel:
    """Standardised logistic regression; ``threshold`` on the probability to change."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.5
    top_k: int = 4  # options per site considered by the decoder
    uses_detector: bool = False  # fitted with the spin detector's token probabilities

    def logit(self, x: np.ndarray) -> np.ndarray:
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.coef) + self.intercept

    def proba(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self.logit(x), -30, 30)))

    @property
    def gain_weight(self) -> float:
        """Logit change per nat of LM gain (used to score joint choices)."""
        i, j = FEATURES.index("gain"), FEATURES.index("gain_pos")
        return self.coef[i] / self.scale[i] + self.coef[j] / self.scale[j]

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"features": FEATURES, **asdict(self)}, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> DecisionModel:
        d = json.loads(path.read_text())
        if tuple(d.pop("features")) != FEATURES:
            raise ValueError(f"{path}: feature list does not match this version")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


n = len(FEATURES)
DEFAULT = DecisionModel(
    mean=(0.0,) * n,
    scale=(1.0,) * n,
    coef=(0.6, 0.0, -0.3, 0.3, 0.0, -1.0, 3.0, 3.0, 1.0, 0.0, -1.0, -0.5, 0.5, 0.3, 0.0),
    intercept=-4.0,
)
del n


@lru_cache(maxsize=1)
def load_decision(path: Path | None = None) -> DecisionModel:
    """The shipped decision model, else :data:`DEFAULT`."""
    p = path or RESOURCE
    return DecisionModel.load(p) if p.exists() else DEFAULT


@lru_cache(maxsize=300_000)
def _zipf(text: str) -> float:
    from wordfreq import zipf_frequency

    words = text.split()
    return min(float(zipf_frequency(w, "en")) for w in words) if words else 0.0


def site_features(
    ev: Evidence,
    site: Site,
    order: np.ndarray,
    learned: Mapping[str, Mapping[str, int]],
    detector: float = 0.0,
) -> np.ndarray:
    """One row of :data:`FEATURES` per option index in ``order``; ``learned`` maps a spun
    key to its learned originals and counts, ``detector`` is the log-odds of the spin
    detector's highest token probability in the site (0 without a detector)."""
    tokens = ev.tokens
    surface = " ".join(tokens.lower[site.first : site.last])
    seen = learned.get(surface, {})
    top = float(site.gains.max())
    second = float(np.partition(site.gains, -2)[-2]) if len(site.gains) > 1 else top - 5.0
    logp = float(ev.logp[site.first : site.last].mean())
    zs = _zipf(surface)
    first = tokens.forms[site.first]
    sentence_start = any(a == site.first for a, _ in ev.sentences)
    cap = float(first[:1].isupper() and not sentence_start)
    rows = []
    for rank, k in enumerate(order.tolist()):
        src = site.sources[k]
        g = float(site.gains[k])
        rows.append(
            (
                g,
                max(g, 0.0),
                logp,
                zs,
                _zipf(site.options[k].lower()),
                float(site.hops[k]),
                float("learned" in src),
                float("pps" in src),
                float("case" in src),
                float(site.last - site.first),
                cap,
                float(rank),
                float(np.log1p(seen.get(site.options[k], 0))),
                g - (second if g >= top else top),
                detector,
            )
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def learned_pairs(lexicon: object) -> Mapping[str, Mapping[str, int]]:
    """The lexicon's learned pairs: spun key -> {original: count} (empty if it has none)."""
    return getattr(lexicon, "learned", {})


def detector_logodds(token_prob: np.ndarray | None, first: int, last: int) -> float:
    """Log-odds of the highest substitution probability among tokens ``[first, last)``."""
    if token_prob is None:
        return 0.0
    p = float(np.clip(token_prob[first:last].max(), 1e-4, 1 - 1e-4))
    return float(np.log(p / (1 - p)))


def option_order(site: Site, top_k: int, max_learned: int = 3) -> np.ndarray:
    """The options a decoder considers: the ``top_k`` by LM gain, then learned ones."""
    order = np.argsort(-site.gains, kind="stable")
    head = order[:top_k].tolist()
    extra = [k for k in order[top_k:].tolist() if "learned" in site.sources[k]][:max_learned]
    return np.asarray(head + extra, dtype=np.int64)
