"""Whether to undo one candidate substitution: a small logistic model over the evidence.

For a site (a token span the lexicon can map back) and one of its candidate originals the
features are the LM gain, how improbable the text is as it is, the frequency of the
surface and of the candidate (spinners pick rarer words; originals are plain news words),
the lexicon route (hops, learned, tortured phrase, case repair) and the surface shape.
The shipped model is a boosted tree ensemble (:mod:`unspin.detect.trees`) with a logistic
regression beside it, whose weight per nat of LM gain scores joint choices; both are
fitted on the red-team *train* set by ``scripts/build_learned.py`` and shipped as JSON.
:data:`DEFAULT` is a hand-set linear fallback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np

from unspin.detect.evidence import Evidence, Site
from unspin.detect.options import phrase_zipf
from unspin.detect.trees import TreeEnsemble, json_text, sigmoid

__all__ = [
    "DEFAULT",
    "FEATURES",
    "ROUTES",
    "DecisionModel",
    "SiteTable",
    "detector_logodds_spans",
    "feature_matrix",
    "learned_pairs",
    "load_decision",
    "option_rows",
    "rank_in_site",
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
    # the same words elsewhere in the document (spinners swap a word the same way each time)
    "occurrences",  # log1p(sites with this site's words)
    "option_share",  # share of those sites that consider this option
    "option_best",  # share of those sites where this option fits best
    "option_gain_mean",  # this option's mean gain over those sites
)


@dataclass(frozen=True)
class DecisionModel:
    """Standardised logistic regression, or a tree ensemble when ``trees`` is set (the
    linear part then only weighs LM gain in joint choices: :attr:`gain_weight`);
    ``threshold`` on the probability to change."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.5
    top_k: int = 4  # options per site considered by the decoder
    uses_detector: bool = False  # fitted with the spin detector's token probabilities
    trees: TreeEnsemble | None = None  # if set, the log-odds come from these

    def logit(self, x: np.ndarray) -> np.ndarray:
        if self.trees is not None:
            return self.trees.decision(x)
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.coef) + self.intercept

    def proba(self, x: np.ndarray) -> np.ndarray:
        return sigmoid(self.logit(x))

    @property
    def gain_weight(self) -> float:
        """Logit change per nat of LM gain (used to score joint choices)."""
        i, j = FEATURES.index("gain"), FEATURES.index("gain_pos")
        return self.coef[i] / self.scale[i] + self.coef[j] / self.scale[j]

    def save(self, path: Path) -> None:
        d: dict[str, object] = {"features": FEATURES}
        d.update({f.name: getattr(self, f.name) for f in fields(self) if f.name != "trees"})
        if self.trees is not None:
            d["trees"] = self.trees.to_dict()
        path.write_text(json_text(d) + "\n")

    @classmethod
    def load(cls, path: Path) -> DecisionModel:
        d = json.loads(path.read_text())
        if tuple(d.pop("features")) != FEATURES:
            raise ValueError(f"{path}: feature list does not match this version")
        trees = d.pop("trees", None)
        model = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})
        if trees is None:
            return model
        return replace(model, trees=TreeEnsemble.from_dict(trees))


n = len(FEATURES)
DEFAULT = DecisionModel(
    mean=(0.0,) * n,
    scale=(1.0,) * n,
    coef=(0.6, 0.0, -0.3, 0.3, 0.0, -1.0, 3.0, 3.0, 1.0, 0.0, -1.0, -0.5, 0.5, 0.3, 0.0)
    + (0.0,) * 4,
    intercept=-4.0,
)
del n


@lru_cache(maxsize=1)
def load_decision(path: Path | None = None) -> DecisionModel:
    """The shipped decision model, else :data:`DEFAULT`."""
    p = path or RESOURCE
    return DecisionModel.load(p) if p.exists() else DEFAULT


@lru_cache(maxsize=300_000)
def _zipf_option(option: str) -> float:
    return phrase_zipf(option.lower())


@lru_cache(maxsize=4096)
def _log1p(count: int) -> float:
    return float(np.log1p(count))


ROUTES: tuple[str, ...] = ("learned", "pps", "case")  # source flags that are features
LEARNED_BIT = 1 << ROUTES.index("learned")  # in :attr:`SiteTable.routes`


@lru_cache(maxsize=65_536)
def _route_bits(sources: tuple[frozenset[str], ...]) -> tuple[int, ...]:
    """Per option: bit mask of :data:`ROUTES` in its sources (bit i: ``ROUTES[i]``)."""
    return tuple(sum(1 << i for i, name in enumerate(ROUTES) if name in src) for src in sources)


@dataclass(frozen=True, slots=True)
class SiteTable:
    """Sites flattened for batch work: per-site spans and one entry per (site, option).

    Site ``i`` owns the option entries ``[start[i], start[i + 1])``; ``by_gain`` lists the
    option entries site by site, each site's by descending gain (ties in option order).
    """

    first: np.ndarray  # int64 per site
    last: np.ndarray  # int64 per site
    start: np.ndarray  # int64 per site, plus the total at the end
    site: np.ndarray  # int64 per option: its site
    gains: np.ndarray  # float32 per option
    hops: np.ndarray  # float64 per option
    routes: np.ndarray  # int64 per option: bit mask of ROUTES
    options: list[str]  # per option
    by_gain: np.ndarray  # int64 option entries

    @classmethod
    def of(cls, sites: Sequence[Site]) -> SiteTable:
        """The table of ``sites`` (in the given order)."""
        n = len(sites)
        first = np.fromiter((s.first for s in sites), dtype=np.int64, count=n)
        last = np.fromiter((s.last for s in sites), dtype=np.int64, count=n)
        counts = np.fromiter((len(s.options) for s in sites), dtype=np.int64, count=n)
        start = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=start[1:])
        total = int(start[-1])
        site = np.repeat(np.arange(n, dtype=np.int64), counts)
        gains = np.concatenate([s.gains for s in sites]) if n else np.zeros(0)
        gains = gains.astype(np.float32, copy=False)  # as Site.gains; _descending needs it
        hops = np.fromiter(chain.from_iterable(s.hops for s in sites), np.int64, count=total)
        bits = chain.from_iterable(_route_bits(s.sources) for s in sites)
        return cls(
            first=first,
            last=last,
            start=start,
            site=site,
            gains=gains,
            hops=hops.astype(np.float64),
            routes=np.fromiter(bits, dtype=np.int64, count=total),
            options=list(chain.from_iterable(s.options for s in sites)),
            by_gain=np.argsort((site << 33) | _descending(gains), kind="stable"),
        )


def _descending(gains: np.ndarray) -> np.ndarray:
    """Non-negative int64 (32 bits) keys that sort finite ``float32`` gains descending, equal
    gains (also 0.0 and -0.0) on equal keys: a sort of ``(site << 33) | key`` that is stable
    orders each site's options as a stable sort of their negated gains does."""
    bits = (gains + np.float32(0.0)).view(np.int32).astype(np.int64)  # -0.0 -> 0.0
    ascending = np.where(bits < 0, bits ^ 0x7FFFFFFF, bits)  # negative floats: reversed bits
    return 0x7FFFFFFF - ascending


def option_rows(table: SiteTable, top_k: int, max_learned: int = 3) -> np.ndarray:
    """The option entries a decoder considers, site by site: each site's ``top_k`` by LM
    gain, then up to ``max_learned`` more learned ones (by gain)."""
    ranked = table.by_gain
    site = table.site[ranked]
    rank = np.arange(len(ranked)) - table.start[site]
    extra = (rank >= top_k) & ((table.routes[ranked] & LEARNED_BIT) != 0)
    seen = np.concatenate([[0], np.cumsum(extra)])  # extras up to each position
    nth = seen[1:] - seen[table.start[site]]  # 1-based among its site's extras
    return ranked[(rank < top_k) | (extra & (nth <= max_learned))]


def _span_reduce(
    values: np.ndarray, first: np.ndarray, last: np.ndarray, op: np.ufunc
) -> np.ndarray:
    """``op`` over ``values[first[i]:last[i]]`` for each (non-empty) span, left to right."""
    out = values[first]
    length = last - first
    for j in range(1, int(length.max(initial=1))):
        more = np.flatnonzero(length > j)
        out[more] = op(out[more], values[first[more] + j])
    return out


def _span_mean(values: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Mean of each span in the dtype of ``values``; for spans under 8 values this is
    exactly NumPy's ``mean`` (it sums longer ones pairwise; sites are 1-4 tokens)."""
    total = _span_reduce(values, first, last, np.add)
    return total / (last - first).astype(values.dtype)


def detector_logodds_spans(
    token_prob: np.ndarray, first: np.ndarray, last: np.ndarray
) -> np.ndarray:
    """Per span ``[first[i], last[i])``: log-odds of its highest substitution probability."""
    p = np.clip(_span_reduce(token_prob, first, last, np.maximum), 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def rank_in_site(site: np.ndarray) -> np.ndarray:
    """Position of each entry within its run of equal ``site`` values."""
    pos = np.arange(len(site))
    new = np.ones(len(site), dtype=bool)
    new[1:] = site[1:] != site[:-1]
    return pos - np.maximum.accumulate(np.where(new, pos, 0))


def _learned_counts(
    table: SiteTable,
    rows: np.ndarray,
    site: np.ndarray,
    surfaces: list[str],
    learned: Mapping[str, Mapping[str, int]],
) -> np.ndarray:
    """log1p of how often each row's option was learned for its site's surface."""
    out = np.zeros(len(rows), dtype=np.float64)
    seen = [learned.get(s) for s in surfaces]
    hit = np.fromiter((bool(m) for m in seen), dtype=bool, count=len(seen))
    idx = np.flatnonzero(hit[site])
    options = table.options
    out[idx] = [
        _log1p(seen[s].get(options[r], 0))  # type: ignore[union-attr]
        for s, r in zip(site[idx].tolist(), rows[idx].tolist(), strict=True)
    ]
    return out


def _top_two(table: SiteTable) -> tuple[np.ndarray, np.ndarray]:
    """Per site: its highest gain and its second highest (the highest minus 5 if it has one
    option; both meaningless, but defined, for a site without options)."""
    gains = np.append(table.gains, np.float32(0.0)).astype(np.float64)  # the pad: no options
    ranked = np.append(table.by_gain, len(table.gains))
    count = np.diff(table.start)
    top = gains[ranked[np.where(count > 0, table.start[:-1], -1)]]
    runner = gains[ranked[np.where(count > 1, table.start[:-1] + 1, -1)]]
    return top, np.where(count > 1, runner, top - 5.0)


def feature_matrix(
    ev: Evidence,
    table: SiteTable,
    rows: np.ndarray,
    learned: Mapping[str, Mapping[str, int]],
    detector: np.ndarray,
) -> np.ndarray:
    """One row of :data:`FEATURES` per option entry in ``rows`` (grouped by site; the
    ``rank`` feature is the position in its group). ``learned`` maps a spun key to its
    learned originals and counts; ``detector`` (per site of the table) is the log-odds of
    the spin detector's highest token probability in the site (0 without a detector)."""
    lower, forms = ev.tokens.lower, ev.tokens.forms
    spans = list(zip(table.first.tolist(), table.last.tolist(), strict=True))
    surfaces = [" ".join(lower[a:b]) for a, b in spans]
    starts = {a for a, _ in ev.sentences}
    cap = np.asarray([forms[a][:1].isupper() and a not in starts for a, _ in spans], float)
    zs = np.fromiter(map(phrase_zipf, surfaces), dtype=np.float64, count=len(surfaces))
    logp = _span_mean(ev.logp, table.first, table.last).astype(np.float64)
    top, second = _top_two(table)

    site = table.site[rows]
    g = table.gains[rows].astype(np.float64)
    bits = table.routes[rows]
    zipf_option = np.fromiter(
        map(_zipf_option, map(table.options.__getitem__, rows.tolist())), np.float64, len(rows)
    )
    columns = (
        g,
        np.maximum(g, 0.0),
        logp[site],
        zs[site],
        zipf_option,
        table.hops[rows],
        *(((bits >> i) & 1).astype(np.float64) for i in range(len(ROUTES))),
        (table.last - table.first)[site].astype(np.float64),
        cap[site],
        rank_in_site(site).astype(np.float64),
        _learned_counts(table, rows, site, surfaces, learned),
        g - np.where(g >= top[site], second[site], top[site]),
        np.asarray(detector, dtype=np.float64)[site],
        *_consistency(table, rows, site, surfaces),
    )
    return np.column_stack(columns)


def _consistency(
    table: SiteTable, rows: np.ndarray, site: np.ndarray, surfaces: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row, from the *other* sites of the document with the same words (lower-cased):
    how many there are (log1p), the share of them that consider the row's option, the
    share where it has the highest gain, and its mean gain there (0 where none does). A
    spinner swaps a repeated word the same way each time ("said" -> "acknowledged" 17
    times in seed 000), so an option that fits best wherever the word stands is more
    likely the original than one that fits one context only."""
    if not len(rows):
        z = np.zeros(0, dtype=np.float64)
        return z, z, z, z
    ids: dict[str, int] = {}
    word = np.fromiter((ids.setdefault(w, len(ids)) for w in surfaces), np.int64, len(surfaces))
    others = (np.bincount(word) - 1).astype(np.float64)[word[site]]
    ids = {}
    options = table.options
    option = np.fromiter(
        (ids.setdefault(options[r].lower(), len(ids)) for r in rows.tolist()), np.int64, len(rows)
    )
    # one group per (words, option); each site lists an option once
    _, group = np.unique(word[site] * len(ids) + option, return_inverse=True)
    g = table.gains[rows].astype(np.float64)
    best = (rank_in_site(site) == 0).astype(np.float64)  # rows: each site's by gain first
    size = np.bincount(group).astype(np.float64)[group] - 1  # other sites with the option
    won = np.bincount(group, weights=best)[group] - best
    gain = np.bincount(group, weights=g)[group] - g
    div = np.maximum(others, 1.0)
    return (
        np.log1p(others),
        size / div,
        won / div,
        np.where(size > 0, gain / np.maximum(size, 1.0), 0.0),
    )


def learned_pairs(lexicon: object) -> Mapping[str, Mapping[str, int]]:
    """The lexicon's learned pairs: spun key -> {original: count} (empty if it has none)."""
    return getattr(lexicon, "learned", {})
