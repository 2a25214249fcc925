"""Building a :class:`~unspin.lm.model.LanguageModel` from token sentences.

The vocabulary is the special tokens, every training token (by count), then the top
``wordfreq_top`` English words of ``wordfreq`` that are single project tokens. The base
distribution under the Kneser-Ney unigrams is the wordfreq frequency of each vocabulary
word (a small floor for tokens wordfreq lacks, e.g. punctuation); ``<unk>`` gets the
wordfreq mass of all words outside the vocabulary. symspellpy's English bigram counts
(Google Books n-grams) add a general-English bigram distribution under the Kneser-Ney
bigrams (see :func:`~unspin.lm.estimate.estimate_kn`).

The two weights were tuned on the split "lm" only: ``symspell_weight`` on held-out lm
articles and on a cross-domain check (train on Reuters, score BBC), both best at 0.2;
``base_weight`` on the cross-domain check (0.35; 0.2 in-domain, where it matters less).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from unspin.lm.estimate import BITS, estimate_kn, pack2
from unspin.lm.model import LanguageModel
from unspin.lm.vocab import BOS, EOS, NUM, SPECIALS, UNK, is_number, lm_form

__all__ = [
    "BuildConfig",
    "build_model",
    "build_vocab",
    "corpus_documents",
    "encode_corpus",
    "training_digest",
    "wordfreq_prior",
]


@dataclass(frozen=True)
class BuildConfig:
    """Build settings (recorded in the model's ``meta.json``)."""

    wordfreq_top: int = 150_000  # wordfreq words added to the vocabulary (0: none)
    min_count: int = 1  # training tokens seen fewer times are left to wordfreq / <unk>
    base_weight: float = 0.35  # extra weight of the wordfreq prior in the unigrams
    base_floor: float = 1e-9  # base probability of a vocabulary token wordfreq lacks
    unk_min: float = 1e-4  # least base mass for <unk>
    symspell_weight: float = 0.2  # weight of symspellpy's bigram list under the KN bigrams


def corpus_documents() -> Iterator[tuple[str, str]]:
    """(id, text) of every article in the split "lm" (needs ../shared)."""
    from unspin.corpora import bbc, reuters

    for art in (*reuters(), *bbc()):
        if art.split == "lm":
            yield art.id, art.text


def training_digest(sentences: Iterable[Sequence[str]]) -> str:
    """SHA-1 of the token sentences: tells whether a model matches the current tokenizer."""
    h = hashlib.sha1()
    for s in sentences:
        h.update(("\x1f".join(s) + "\n").encode("utf-8"))
    return h.hexdigest()


def wordfreq_prior(top: int) -> tuple[list[str], dict[str, float]]:
    """The ``top`` most frequent English wordfreq words and the full frequency table."""
    import wordfreq

    freqs: dict[str, float] = wordfreq.get_frequency_dict("en")
    words = wordfreq.top_n_list("en", top) if top > 0 else []
    return words, freqs


def _single_token(word: str) -> bool:
    from unspin.text import tokenize

    toks = tokenize(word)
    return len(toks) == 1 and toks.forms[0] == word


def build_vocab(
    sentences: Iterable[Sequence[str]], extra: Iterable[str], min_count: int = 1
) -> tuple[list[str], Counter[str]]:
    """Specials, training tokens (count desc, then text), then unseen ``extra`` words."""
    counts: Counter[str] = Counter()
    for s in sentences:
        counts.update(map(lm_form, s))
    for s in SPECIALS:
        counts.pop(s, None)
    seen = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    vocab = [*SPECIALS, *seen]
    have = set(vocab)
    for w in extra:
        if w not in have and not is_number(w) and _single_token(w):
            vocab.append(w)
            have.add(w)
    return vocab, counts


def encode_corpus(
    sentences: Iterable[Sequence[str]], index: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated ``[<s>, w1 .. wn, </s>]`` ids and each token's position in its sentence."""
    unk, bos, eos = index[UNK], index[BOS], index[EOS]
    ids: list[int] = []
    lengths: list[int] = []
    for s in sentences:
        ids.append(bos)
        ids.extend(index.get(lm_form(w), unk) for w in s)
        ids.append(eos)
        lengths.append(len(s) + 2)
    tokens = np.asarray(ids, dtype=np.int32)
    lens = np.asarray(lengths, dtype=np.int64)
    starts = np.repeat(np.cumsum(lens) - lens, lens)
    positions = np.arange(len(tokens), dtype=np.int64) - starts
    return tokens, positions


def symspell_bigrams(index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """symspellpy's bigram counts as P(w | v) over the vocabulary (keys sorted).

    A context outside the vocabulary is dropped; a next word outside it counts for ``<unk>``.
    """
    from pathlib import Path

    import symspellpy

    path = Path(symspellpy.__file__).parent / "frequency_bigramdictionary_en_243_342.txt"
    unk = index[UNK]
    vs, ws, cs = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        v = index.get(lm_form(parts[0]), unk)
        if v != unk:
            vs.append(v)
            ws.append(index.get(lm_form(parts[1]), unk))
            cs.append(float(parts[2]))
    v_arr = np.asarray(vs, dtype=np.int64)
    keys, inverse = np.unique(pack2(v_arr, np.asarray(ws, dtype=np.int64)), return_inverse=True)
    counts = np.bincount(inverse, weights=np.asarray(cs))
    totals = np.bincount(v_arr, weights=np.asarray(cs))
    return keys, counts / totals[(keys >> np.uint64(BITS)).astype(np.int64)]


def base_distribution(
    vocab: Sequence[str], freqs: dict[str, float], config: BuildConfig
) -> np.ndarray:
    """The wordfreq prior over ``vocab`` (sums to one; 0 for ``<s>``)."""
    f = np.array([freqs.get(w, 0.0) for w in vocab], dtype=np.float64)
    covered = f.sum()
    f[f == 0] = config.base_floor
    index = {w: i for i, w in enumerate(vocab)}
    f[index[NUM]] = max(sum(v for w, v in freqs.items() if is_number(w)), config.base_floor)
    f[index[UNK]] = max(1.0 - covered, config.unk_min)
    f[index[BOS]] = 0.0
    return f / f.sum()


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("wordfreq", "symspellpy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


def build_model(
    sentences: Sequence[Sequence[str]],
    config: BuildConfig = BuildConfig(),
    meta: dict[str, object] | None = None,
) -> LanguageModel:
    """Estimate the model from lower-cased token sentences (a list: it is read twice)."""
    top_words, freqs = wordfreq_prior(config.wordfreq_top)
    vocab, counts = build_vocab(sentences, top_words, config.min_count)
    index = {w: i for i, w in enumerate(vocab)}
    tokens, positions = encode_corpus(sentences, index)
    base = base_distribution(vocab, freqs, config)
    bigrams = symspell_bigrams(index) if config.symspell_weight > 0 else None
    kn = estimate_kn(
        tokens,
        positions,
        base,
        bos=index[BOS],
        base_weight=config.base_weight,
        extra_bigrams=bigrams,
        extra_weight=config.symspell_weight,
    )
    info = {
        **(meta or {}),
        "order": 3,
        "smoothing": "interpolated modified Kneser-Ney; unigrams interpolated with wordfreq"
        + ("; bigrams with symspellpy's bigram list" if bigrams is not None else ""),
        "packages": _versions(),
        "config": asdict(config),
        "discounts": [list(d) for d in kn.discounts],
        "training_sentences": len(sentences),
        "training_sha1": training_digest(sentences),
        "training_tokens": int(len(tokens) - 2 * len(sentences)),
        "vocab_size": len(vocab),
        "corpus_types": sum(1 for c in counts.values() if c >= config.min_count),
        "bigrams": len(kn.bi_keys),
        "trigrams": len(kn.tri_keys),
    }
    return LanguageModel.from_estimate(vocab, kn, info)
