"""The fast scorer of ``unspin scan --fast``: a triage score for crawl-scale screening.

The shipped detector scores every candidate original of every word in context (~30 ms
for a 600-word article). Triage reads only what one pass of the language model and a
few table look-ups give (~2 ms): how unlikely the words are in context, how many are
rare in today's English, and how many are words the red-team training spinners put in
(the spun side of the shipped learned pairs). A logistic regression over these
:data:`FEATURES`, fitted by ``scripts/train_triage.py`` on the red-team *train* split,
gives the probability; its label threshold flags at most 1% of the dev split's clean and
related documents, as the detector's does. No spans: it says which pages to look at,
and ``unspin check`` (or a scan without ``--fast``) says what was swapped. It replaced
a rare-word share (``detect.baseline``); both are measured in ``bench/results/detect.md``.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from unspin.detect.options import zipf as _zipf
from unspin.io.document import Document
from unspin.results import CheckResult, Span
from unspin.text import Tokens

__all__ = [
    "FEATURES",
    "RESOURCE",
    "TriageModel",
    "TriageScorer",
    "features",
    "load_triage",
    "screen_document",
]

RESOURCE = Path(__file__).resolve().parent.parent / "resources" / "detect" / "triage.json"

FEATURES: tuple[str, ...] = (
    "lp_mean",  # mean log P(token | two before) over the text's tokens
    "lp_p10",  # 10th percentile of the same
    "lp_spread",  # median - 10th percentile
    "lp_low",  # share of tokens 5 nats below the median
    "rare",  # share of lower-case words with Zipf < 3.5 (wordfreq)
    "mid",  # share with 3.5 <= Zipf < 4.5
    "zipf_mean",  # mean Zipf of lower-case words
    "unknown",  # share of lower-case words wordfreq does not know
    "spun_words",  # share of words that training spinners put in (learned pairs' spun side)
    "stop",  # share of function words (_STOP) among the words
    "log_words",
)


# The function words the model was fitted with (shorter than detect.features' stop list,
# which is a token feature there; swapping lists changes the fitted model)
_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been it its
    this that these those he she they we i you his her their not no than so which who what when
    where how all any some can could may might will would should has have had do does did""".split()
)


@cache
def _spun_words() -> frozenset[str]:
    """Single words on the spun side of the shipped learned pairs."""
    from unspin.lexicon.learned import read_shipped

    return frozenset(s for s, _, _ in read_shipped() if " " not in s)


def features(tokens: Tokens, lm: Any) -> np.ndarray:
    """One row of :data:`FEATURES` for a tokenised text (``lm``: the shipped model)."""
    from unspin.lm import lm_form
    from unspin.text import sentence_bounds

    forms = tokens.forms
    sentences = [[lm_form(f) for f in forms[a:b]] for a, b in sentence_bounds(tokens) if b > a]
    scored = lm.token_logprobs_many(sentences, eos=True)
    lp = np.concatenate(scored).astype(np.float64) if scored else np.zeros(1)
    med = float(np.median(lp))
    p10 = float(np.percentile(lp, 10))
    words = [forms[i] for i in np.flatnonzero(tokens.is_word)]
    lower = [w for w in words if w.isalpha() and w.islower()]
    z = np.fromiter(map(_zipf, lower), np.float64, len(lower)) if lower else np.zeros(0)
    n_low = max(len(lower), 1)
    spun = _spun_words()
    n_words = max(len(words), 1)
    return np.array(
        [
            float(lp.mean()),
            p10,
            med - p10,
            float((lp < med - 5).mean()),
            float((z < 3.5).sum()) / n_low,
            float(((z >= 3.5) & (z < 4.5)).sum()) / n_low,
            float(z.mean()) if len(z) else 0.0,
            float((z == 0).sum()) / n_low,
            sum(w in spun for w in lower) / n_low,
            sum(w.lower() in _STOP for w in words) / n_words,
            math.log1p(len(words)),
        ]
    )


@dataclass(frozen=True)
class TriageModel:
    """Standardised logistic regression over :data:`FEATURES` and its label threshold."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float  # label threshold: at most 1% of dev clean and related texts above
    info: dict[str, Any]

    def probability(self, x: np.ndarray) -> float:
        z = float(np.dot((x - np.asarray(self.mean)) / np.asarray(self.scale), self.coef))
        z += self.intercept
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> str:
        return json.dumps({"features": list(FEATURES), **asdict(self)}, indent=1, sort_keys=True)


@cache
def load_triage(path: Path = RESOURCE) -> TriageModel:
    """The shipped triage model (``resources/detect/triage.json``)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    if tuple(doc.pop("features")) != FEATURES:
        raise ValueError(f"{path}: fitted on other features than {FEATURES}")
    return TriageModel(**{k: tuple(v) if isinstance(v, list) else v for k, v in doc.items()})


class TriageScorer:
    """The triage probability alone (a :class:`~unspin.detect.Scorer`; no spans)."""

    name = "triage-v1"

    def __init__(self, model: TriageModel | None = None) -> None:
        from unspin.lm import load_lm

        self.model = model or load_triage()
        self.lm = load_lm()
        self.threshold = self.model.threshold

    def score(self, tokens: Tokens) -> tuple[float, list[Span]]:
        return self.model.probability(features(tokens, self.lm)), []


def screen_document(
    doc: Document, triage: TriageScorer, *, threshold: float | None = None
) -> CheckResult:
    """Triage first; a document it labels spun is checked again by the shipped detector,
    whose probability, label and spans the result then carries (``threshold``: the
    detector's label threshold, default its own). ``scorer`` in the result names the model
    that decided (``scan --fast --confirm``, ``check --fast --confirm``)."""
    from unspin.detect import check_document

    first = check_document(doc, scorer=triage)
    if first.label != "spun":
        return first
    return check_document(doc, threshold=threshold)
