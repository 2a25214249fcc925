"""The spin detector: a token model, a document model and a calibration curve.

``SpinDetector`` follows scikit-learn's estimator conventions (``fit``,
``predict_proba``) and is stored as plain JSON (tree arrays, coefficients and calibration),
so the shipped model does not depend on pickles or a particular scikit-learn version.

* token model: boosted trees (:mod:`unspin.detect.trees`) or a logistic regression on
  :data:`~unspin.detect.features.TOKEN_FEATURES` — the probability that a word was
  substituted;
* document model: logistic regression on :data:`~unspin.detect.features.DOC_FEATURES`
  (aggregates of the token probabilities and of the raw evidence);
* calibration: Platt scaling of the document score on held-out data, so that
  ``spin_probability`` means what it says; the default threshold is chosen on held-out
  clean and related documents for at most 1% false positives.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from unspin.detect.evidence import Evidence, Resources, gather, load_resources, with_learned
from unspin.detect.features import (
    DOC_FEATURES,
    TOKEN_FEATURES,
    doc_features,
    token_features,
    word_rows,
)
from unspin.detect.gate import scorability
from unspin.detect.trees import TreeEnsemble, json_text, sigmoid
from unspin.results import Span
from unspin.text import Tokens, tokenize
from unspin.text.case import match_case

__all__ = [
    "DEFAULT_MODEL",
    "FINGERPRINT_MIN",
    "FINGERPRINT_PROB",
    "Calibration",
    "Fingerprint",
    "Logistic",
    "SpinDetector",
    "is_fingerprinted",
    "load_detector",
    "tortured_phrases",
]

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "resources" / "detect" / "detector.json"
# Tortured phrases (the Problematic Paper Screener's list, inverted in the lexicon) are a
# spinner's fingerprints in scientific text, where the news-trained model has little else
# to go on. A text holding FINGERPRINT_MIN distinct multi-word ones is called spun with at
# least FINGERPRINT_PROB: none of the 1,670 red-team dev/test and real-world news texts
# holds two (5 hold one).
FINGERPRINT_MIN = 2
FINGERPRINT_PROB = 0.99
FINGERPRINT_EVIDENCE = "tortured phrase (Problematic Paper Screener list)"


@dataclass
class Logistic:
    """Standardised logistic regression: ``sigmoid(((x - mean) / scale) @ coef + intercept)``."""

    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float

    @classmethod
    def fit(
        cls, x: np.ndarray, y: np.ndarray, c: float = 1.0, weight: str | None = None
    ) -> Logistic:
        from sklearn.linear_model import LogisticRegression

        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale[scale < 1e-6] = 1.0
        lr = LogisticRegression(C=c, max_iter=2000, class_weight=weight)
        lr.fit((x - mean) / scale, y)
        return cls(mean.tolist(), scale.tolist(), lr.coef_[0].tolist(), float(lr.intercept_[0]))

    def decision(self, x: np.ndarray) -> np.ndarray:
        z = (x - np.asarray(self.mean, dtype=np.float32)) / np.asarray(self.scale, dtype=np.float32)
        return z @ np.asarray(self.coef, dtype=np.float32) + np.float32(self.intercept)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return sigmoid(self.decision(x))


@dataclass
class Calibration:
    """Platt scaling: ``sigmoid(a * score + b)``, fitted on held-out documents."""

    a: float
    b: float

    @classmethod
    def fit(cls, scores: np.ndarray, labels: np.ndarray) -> Calibration:
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=1e6, max_iter=1000)
        lr.fit(np.asarray(scores, dtype=np.float64).reshape(-1, 1), labels)
        return cls(float(lr.coef_[0, 0]), float(lr.intercept_[0]))

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        return sigmoid(self.a * np.asarray(scores, dtype=np.float64) + self.b)


@dataclass
class SpinDetector:
    """Scores documents and marks substituted spans. See the module docstring."""

    token_model: Logistic | TreeEnsemble | None = None
    doc_model: Logistic | None = None
    calibration: Calibration | None = None
    threshold: float = 0.5
    token_threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)
    name: str = "spin-detector-v5"
    # (words below, threshold): a stricter cut for short texts, where a 1% cut over all
    # lengths flags more (see :meth:`fit_short_thresholds`); longer texts use ``threshold``
    short_thresholds: tuple[tuple[int, float], ...] = ()
    _last_rows: tuple[Evidence, Resources, np.ndarray, np.ndarray] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    # ------------------------------------------------------------------ scoring
    def evidence(self, text: str | Tokens, res: Resources | None = None) -> Evidence:
        """The evidence of ``text``, gathered with :meth:`resources` unless ``res`` is given."""
        return gather(text, res or self.resources())

    def _token_x(self, ev: Evidence, res: Resources) -> np.ndarray:
        return token_features(ev, res.lm.unk)  # type: ignore[attr-defined]

    def _token_rows(self, ev: Evidence, res: Resources | None) -> tuple[np.ndarray, np.ndarray]:
        """Token features and the token model's probabilities, one row per word (those of
        the last evidence are kept: restore asks again for a document detect just scored)."""
        if self.token_model is None:
            raise RuntimeError("SpinDetector is not fitted")
        res = res or load_resources()
        last = self._last_rows
        if last is not None and last[0] is ev and last[1] is res:
            return last[2], last[3]
        tok_x = self._token_x(ev, res)
        tok_p = self.token_model.predict_proba(tok_x) if len(tok_x) else np.zeros(0)
        self._last_rows = (ev, res, tok_x, tok_p)
        return tok_x, tok_p

    def token_probabilities(
        self, ev: Evidence, res: Resources | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(token probabilities, word-row indices) of one document: the token model alone,
        without the document model and the tortured-phrase rule (restore's feature)."""
        _, tok_p = self._token_rows(ev, res)
        return tok_p, word_rows(ev)

    def score_evidence(
        self, ev: Evidence, res: Resources | None = None, found: list[Fingerprint] | None = None
    ) -> tuple[float, np.ndarray, np.ndarray]:
        """(calibrated probability, token probabilities, word-row indices) of one document;
        ``found``: its :func:`tortured_phrases`, if the caller has them."""
        if self.doc_model is None or self.calibration is None:
            raise RuntimeError("SpinDetector is not fitted")
        tok_x, tok_p = self._token_rows(ev, res)
        doc_x = doc_features(tok_x, tok_p)[None, :]
        raw = self.doc_model.decision(doc_x)
        prob = float(self.calibration(raw)[0])
        if is_fingerprinted(tortured_phrases(ev) if found is None else found):
            prob = max(prob, FINGERPRINT_PROB)
        return prob, tok_p, word_rows(ev)

    def threshold_for(self, n_words: int) -> float:
        """The label threshold of a text of ``n_words`` words."""
        for below, t in self.short_thresholds:
            if n_words < below:
                return t
        return self.threshold

    def fit_short_thresholds(
        self,
        texts: Iterable[str],
        bands: Sequence[int],
        max_fpr: float = 0.01,
        res: Resources | None = None,
    ) -> None:
        """Per length band (words below each of ``bands``, ascending), the lowest threshold
        at or above :attr:`threshold` that flags at most ``max_fpr`` of ``texts`` (held-out
        negatives, cut to short lengths) of that band, scored with ``res`` (default:
        :meth:`resources`).

        One cut for all lengths flagged 2.8% of 60-word and 2.5% of 100-word dev negatives
        (the prefixes it is set on are 40-400 words, most of them long)."""
        res = res or self.resources()
        by_band: dict[int, list[float]] = {b: [] for b in bands}
        for text in texts:
            tokens = tokenize(text)
            gate = scorability(tokens)
            band = next((b for b in bands if gate.n_words < b), None)
            if gate.ok and band is not None:
                by_band[band].append(self.score_evidence(gather(tokens, res), res)[0])
        out = []
        for b in bands:
            cut = _fpr_cut(np.asarray(by_band[b]), max_fpr) if by_band[b] else 0.0
            out.append((b, float(min(max(np.nextafter(cut, 1.0), self.threshold), 0.99))))
        self.short_thresholds = tuple(out)
        self.meta["short_threshold_negatives"] = {str(b): len(v) for b, v in by_band.items()}

    def resources(self) -> Resources | None:
        """What this detector gathers evidence with: the lexicon with the shipped and the
        user's learned pairs (``$UNSPIN_STORE``) if it was trained with learned pairs, else
        the plain shared resources (``None``)."""
        if not self.meta.get("learned"):
            return None
        return with_learned(load_resources())

    def score(self, tokens: Tokens) -> tuple[float, list[Span]]:
        """The :class:`~unspin.detect.Scorer` protocol: probability and spans."""
        res = self.resources()
        ev = self.evidence(tokens, res)
        found = tortured_phrases(ev)
        prob, tok_p, rows = self.score_evidence(ev, res, found=found)
        spans = self.spans(ev, tok_p, rows)
        if is_fingerprinted(found):
            spans = _with_fingerprints(spans, ev, found)
        return prob, spans

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        res = self.resources()
        return np.array([self.score_evidence(gather(t, res), res)[0] for t in texts])

    def spans(self, ev: Evidence, tok_p: np.ndarray, rows: np.ndarray) -> list[Span]:
        """Merge flagged tokens into spans, each with its best candidate original."""
        flagged = {
            int(i): float(p) for i, p in zip(rows, tok_p, strict=True) if p >= self.token_threshold
        }
        if not flagged:
            return []
        tokens = ev.tokens
        src = tokens.source
        out: list[Span] = []
        i_sorted = sorted(flagged)
        skip_until = -1
        for i in i_sorted:
            if i < skip_until:
                continue
            s_idx = int(ev.lead[i])  # the site starting here with the best gain
            site = ev.sites[s_idx] if s_idx >= 0 else None
            last = site.last if site is not None and site.last > i + 1 else i + 1
            start, end = int(tokens.starts[i]), int(tokens.ends[last - 1])
            original = None
            evidence = f"p={flagged[i]:.2f}"
            if site is not None and (gain := float(ev.site_gain[s_idx])) > 0:
                b = int(ev.site_best[s_idx])
                original = match_case(site.options[b], src[start:end])
                evidence += f", LM gain {gain:+.1f}, {'/'.join(sorted(site.sources[b]))}"
            out.append(Span(start, end, src[start:end], original, round(flagged[i], 4), evidence))
            skip_until = last
        return out

    # ------------------------------------------------------------------ fitting
    def token_matrix(self, ev: Evidence) -> np.ndarray:
        """Token features of one document (the input :meth:`fit` takes)."""
        return self._token_x(ev, load_resources())

    def fit(
        self,
        token_x: Sequence[np.ndarray],
        token_y: Sequence[np.ndarray | None],
        doc_y: Sequence[int],
        *,
        calib_x: Sequence[np.ndarray],
        calib_token_y: Sequence[np.ndarray | None],
        calib_y: Sequence[int],
        calib_groups: Sequence[str] | None = None,
        max_fpr: float = 0.01,
        token_trees: Mapping[str, Any] | None = None,
    ) -> SpinDetector:
        """Fit from per-document token-feature matrices (:meth:`token_matrix`).

        The token model (a ``HistGradientBoostingClassifier`` with the parameters
        ``token_trees`` if given, else a logistic regression) learns from the labelled
        tokens of ``token_x``; the document model from the documents; Platt calibration,
        the document threshold (at most ``max_fpr`` of held-out negatives flagged, in each
        of ``calib_groups`` if given: the highest of the groups' cuts) and the token
        threshold (best token F1) come from the held-out ``calib_*`` documents.
        """
        xs = [x for x, y in zip(token_x, token_y, strict=True) if y is not None and len(x)]
        ys = [y for x, y in zip(token_x, token_y, strict=True) if y is not None and len(x)]
        tx, ty = np.concatenate(xs), np.concatenate(ys).astype(int)
        if token_trees is None:
            self.token_model = Logistic.fit(tx, ty)
        else:
            self.token_model = TreeEnsemble.fit(tx, ty, token_trees)
        dx = np.stack([self._doc_row(x) for x in token_x])
        self.doc_model = Logistic.fit(dx, np.asarray(doc_y))
        raw = self.doc_model.decision(np.stack([self._doc_row(x) for x in calib_x]))
        labels = np.asarray(calib_y)
        self.calibration = Calibration.fit(raw, labels)
        probs = self.calibration(raw)
        groups = np.asarray(calib_groups if calib_groups is not None else [""] * len(labels))
        neg = labels == 0
        cuts = {str(g): _fpr_cut(probs[neg & (groups == g)], max_fpr) for g in set(groups)}
        self.threshold = float(min(max(np.nextafter(max(cuts.values()), 1.0), 0.05), 0.95))
        self.token_threshold = self._best_token_threshold(calib_x, calib_token_y)
        self.meta.update(
            token_features=list(TOKEN_FEATURES),
            token_model="logistic" if token_trees is None else {"trees": dict(token_trees)},
            doc_features=list(DOC_FEATURES),
            n_train_docs=len(token_x),
            n_train_tokens=int(sum(len(y) for y in ys)),
            n_calib_docs=len(calib_x),
            max_fpr=max_fpr,
            threshold_cuts={g: round(c, 4) for g, c in sorted(cuts.items())},  # before the cap
        )
        return self

    def _doc_row(self, x: np.ndarray) -> np.ndarray:
        assert self.token_model is not None
        return doc_features(x, self.token_model.predict_proba(x) if len(x) else np.zeros(0))

    def _best_token_threshold(
        self, xs: Sequence[np.ndarray], ys: Sequence[np.ndarray | None]
    ) -> float:
        assert self.token_model is not None
        pairs = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None and len(x)]
        if not pairs:
            return 0.5
        p = np.concatenate([self.token_model.predict_proba(x) for x, _ in pairs])
        y = np.concatenate([y for _, y in pairs]).astype(bool)
        best, best_f1 = 0.5, -1.0
        for t in np.linspace(0.2, 0.9, 29):
            pred = p >= t
            tp = float(np.sum(pred & y))
            f1 = 2 * tp / max(float(pred.sum() + y.sum()), 1.0)
            if f1 > best_f1:
                best, best_f1 = float(t), f1
        return best

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "name": self.name,
            "threshold": self.threshold,
            "short_thresholds": [list(bt) for bt in self.short_thresholds],
            "token_threshold": self.token_threshold,
            "token_model": _model_dict(self.token_model),
            "doc_model": asdict(self.doc_model) if self.doc_model else None,
            "calibration": asdict(self.calibration) if self.calibration else None,
            "meta": self.meta,
        }
        path.write_text(json_text(data, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> SpinDetector:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        names = data.get("meta", {}).get("token_features")
        if names is not None and names != list(TOKEN_FEATURES):
            raise ValueError(
                f"{path}: the detector was trained on other token features than this "
                "version computes; retrain it (scripts/train_detector.py)"
            )
        return cls(
            token_model=(
                TreeEnsemble.from_dict(data["token_model"])
                if TreeEnsemble.is_dict(data["token_model"])
                else Logistic(**data["token_model"])
            ),
            doc_model=Logistic(**data["doc_model"]),
            calibration=Calibration(**data["calibration"]),
            threshold=float(data["threshold"]),
            short_thresholds=tuple((int(b), float(t)) for b, t in data.get("short_thresholds", ())),
            token_threshold=float(data["token_threshold"]),
            meta=data.get("meta", {}),
            name=data.get("name", "spin-detector-v1"),
        )


def _model_dict(model: Logistic | TreeEnsemble | None) -> dict[str, Any] | None:
    if model is None:
        return None
    return model.to_dict() if isinstance(model, TreeEnsemble) else asdict(model)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A multi-word tortured phrase at tokens ``[first, last)``, with its expected phrase."""

    first: int
    last: int
    surface: str  # lower-cased
    original: str


def tortured_phrases(ev: Evidence) -> list[Fingerprint]:
    """Every multi-word tortured phrase of a text, in text order; of overlapping ones the
    longest ("convolutional neural organization", not also "neural organization"). The
    original is the phrase's tortured-phrase option with as many words (any when none has),
    the one that fits its context best."""
    lower = ev.tokens.lower
    found: list[Fingerprint] = []
    taken = np.zeros(len(lower) + 1, dtype=bool)
    multi = [st for st in ev.sites if st.last - st.first >= 2]
    for site in sorted(multi, key=lambda st: (st.first - st.last, st.first)):
        n = site.last - site.first
        pps = [j for j, src in enumerate(site.sources) if "pps" in src]
        if not pps or taken[site.first : site.last].any():
            continue
        same = [j for j in pps if len(site.options[j].split()) == n] or pps
        best = max(same, key=lambda j: (float(site.gains[j]), -j))
        surface = " ".join(lower[site.first : site.last])
        found.append(Fingerprint(site.first, site.last, surface, site.options[best]))
        taken[site.first : site.last] = True
    return sorted(found, key=lambda f: f.first)


def is_fingerprinted(found: list[Fingerprint]) -> bool:
    """Enough distinct tortured phrases to call a text spun (:data:`FINGERPRINT_MIN`)."""
    return len({f.surface for f in found}) >= FINGERPRINT_MIN


def _with_fingerprints(spans: list[Span], ev: Evidence, found: list[Fingerprint]) -> list[Span]:
    """``spans`` with each tortured phrase marked: a span that covers exactly the phrase
    suggests its expected phrase; a phrase no span overlaps gets a span of its own."""
    tokens, src = ev.tokens, ev.tokens.source
    out = list(spans)
    for f in found:
        start, end = int(tokens.starts[f.first]), int(tokens.ends[f.last - 1])
        original = match_case(f.original, src[start:end])
        same = [n for n, sp in enumerate(out) if (sp.start, sp.end) == (start, end)]
        if same:
            sp = out[same[0]]
            prefix = "" if sp.score is None else f"p={sp.score:.2f}, "
            out[same[0]] = replace(sp, original=original, evidence=prefix + FINGERPRINT_EVIDENCE)
        elif not any(sp.start < end and start < sp.end for sp in out):
            out.append(Span(start, end, src[start:end], original, None, FINGERPRINT_EVIDENCE))
    return sorted(out, key=lambda sp: sp.start)


@lru_cache(maxsize=2)
def load_detector(path: str | None = None) -> SpinDetector:
    """The shipped detector (cached), or the one stored at ``path``."""
    return SpinDetector.load(DEFAULT_MODEL if path is None else path)


def _fpr_cut(neg: np.ndarray, max_fpr: float) -> float:
    """The score a threshold must exceed for at most ``max_fpr`` of the negatives ``neg``
    to reach it (0.5 when there are too few negatives to tell)."""
    neg = np.sort(neg)
    k = int(np.floor(max_fpr * len(neg)))  # negatives allowed at or above the threshold
    return float(neg[len(neg) - k - 1]) if len(neg) > k else 0.5
