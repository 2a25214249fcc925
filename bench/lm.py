"""Language model: held-out perplexity against two baselines, look-up speed, load cost, size.

``python -m bench lm [--articles N]``

Perplexity is measured on the ISOT sample (split "heldout": 2017 Reuters politics, never
used to build or tune anything), tokenised exactly as in training (lower-cased project
tokens, ``sentence_bounds`` sentences). Every token counts: a token outside the model
vocabulary is scored as ``<unk>`` with the probability the model gives ``<unk>`` (the
mass of all words outside the vocabulary); nothing is skipped. All three models share
that vocabulary, so their figures are comparable.

* **ours (all tokens)**: every token plus each sentence end.
* **word tokens**: only tokens containing a letter are scored (the baselines know no
  punctuation or numbers). Ours still conditions on the full history, punctuation
  included, and spends probability mass on punctuation that this count never collects.
* **wordfreq unigram**: P(w) = wordfreq frequency over the vocabulary's words, ``<unk>`` =
  wordfreq mass outside it.
* **symspell bigram**: symspellpy's 242k English bigram counts, P(w | v) = lam * c(v w) /
  c(v .) + (1 - lam) * P_wordfreq(w) for a context word v with bigrams, else P_wordfreq(w);
  v is the previous word token of the sentence (punctuation skipped). lam is tuned on
  articles of the split "lm" (never on the held-out sample).
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from unspin.lm import DEFAULT_PATH, LanguageModel, lm_sentences, load_lm
from unspin.lm.build import BuildConfig, base_distribution
from unspin.lm.estimate import pack2, pack3
from unspin.lm.index import KeyIndex, _split, mix64

_LAMBDAS = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95)


def _is_word(token: str) -> bool:
    return any(ch.isalpha() for ch in token)


def _sentences(split: str, limit: int) -> list[list[str]]:
    from unspin.corpora import bbc, isot, reuters

    source = isot() if split == "heldout" else (a for c in (reuters(), bbc()) for a in c)
    out: list[list[str]] = []
    n = 0
    for art in source:
        if art.split != split:
            continue
        out.extend(lm_sentences(art.text))
        n += 1
        if n >= limit:
            break
    return out


def _wordfreq_unigram(lm: LanguageModel) -> np.ndarray:
    """log P over the model vocabulary: wordfreq frequencies of word types, <unk> = the rest."""
    import wordfreq

    freqs = wordfreq.get_frequency_dict("en")
    p = base_distribution(lm.vocab, freqs, BuildConfig())
    words = np.array([_is_word(w) and not w.startswith("<") for w in lm.vocab])
    words[lm.unk] = True
    p = np.where(words, p, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(p / p.sum())


class SymspellBigram:
    """Bigram counts from symspellpy's list, interpolated with the wordfreq unigram."""

    def __init__(self, lm: LanguageModel, uni_logp: np.ndarray) -> None:
        import symspellpy

        path = Path(symspellpy.__file__).parent / "frequency_bigramdictionary_en_243_342.txt"
        v_ids, w_ids, counts = [], [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) != 3:
                continue
            v, w = (int(i) for i in lm.encode(parts[:2]))
            if v == lm.unk:
                continue  # an out-of-vocabulary context uses the unigram anyway
            v_ids.append(v)
            w_ids.append(w)  # an out-of-vocabulary word counts for <unk>
            counts.append(float(parts[2]))
        keys, inverse = np.unique(pack2(np.array(v_ids), np.array(w_ids)), return_inverse=True)
        self.keys = keys
        self.counts = np.bincount(inverse, weights=np.array(counts))
        self.context_total = np.bincount(
            np.array(v_ids), weights=np.array(counts), minlength=lm.vocab_size
        )
        self.uni = np.exp(uni_logp)
        self.lam = 0.8

    def logprob(self, v: np.ndarray, w: np.ndarray) -> np.ndarray:
        """log P(w | v); ``v = -1`` for no context."""
        has = v >= 0
        vv = np.where(has, v, 0)
        total = self.context_total[vv]
        has &= total > 0
        idx = np.minimum(np.searchsorted(self.keys, pack2(vv, w)), len(self.keys) - 1)
        c = np.where(self.keys[idx] == pack2(vv, w), self.counts[idx], 0.0)
        p_bi = np.divide(c, total, out=np.zeros_like(c), where=total > 0)
        p = np.where(has, self.lam * p_bi + (1 - self.lam) * self.uni[w], self.uni[w])
        return np.log(p)


def _word_stream(lm: LanguageModel, sentences: list[list[str]]) -> dict[str, np.ndarray]:
    """Ids, previous word id (-1 at sentence start) and word mask of every token."""
    ids, prev_word, is_word = [], [], []
    for s in sentences:
        enc = lm.encode(s)
        last = -1
        for tok, i in zip(s, enc, strict=True):
            word = _is_word(tok)
            ids.append(i)
            prev_word.append(last)
            is_word.append(word)
            if word:
                last = int(i)
    return {
        "ids": np.array(ids, dtype=np.int64),
        "prev": np.array(prev_word, dtype=np.int64),
        "word": np.array(is_word, dtype=bool),
    }


def _ours(lm: LanguageModel, sentences: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Our log-probabilities of every token (+ sentence ends) and the word-token mask."""
    lps, words = [], []
    for s in sentences:
        lps.append(lm.token_logprobs(s, eos=True))
        words.append(np.array([*map(_is_word, s), False]))
    return np.concatenate(lps), np.concatenate(words)


def _ppl(logps: np.ndarray) -> float:
    return math.exp(-float(np.mean(logps.astype(np.float64))))


def _tune_lambda(model: SymspellBigram, lm: LanguageModel, uni: np.ndarray) -> float:
    dev = _word_stream(lm, _sentences("lm", 300))
    m = dev["word"]
    best = (math.inf, 0.0)
    for lam in _LAMBDAS:
        model.lam = lam
        best = min(best, (_ppl(model.logprob(dev["prev"][m], dev["ids"][m])), lam))
    model.lam = best[1]
    return best[1]


def _searchsorted_logprob(lm: LanguageModel, a: np.ndarray, b: np.ndarray, c: np.ndarray):
    """The same look-ups through plain ``np.searchsorted`` over the same table entries.

    Each entry's (bucket, fingerprint) pair is one sorted ``uint64``; a query is hashed
    the same way and searched over the whole array instead of within its bucket.
    """

    def flat(index: KeyIndex) -> np.ndarray:
        buckets = np.repeat(np.arange(len(index.offsets) - 1), np.diff(index.offsets))
        return (buckets.astype(np.uint64) << np.uint64(32)) | index.keys

    tri_flat, bi_flat = flat(lm.tri), flat(lm.bi)

    def find(index: KeyIndex, keys: np.ndarray, raw: np.ndarray):
        bucket, fp = _split(mix64(raw), index.bits)
        q = (bucket.astype(np.uint64) << np.uint64(32)) | fp
        i = np.minimum(np.searchsorted(keys, q), len(keys) - 1)
        return i, keys[i] == q

    def logprob() -> np.ndarray:
        i3, h3 = find(lm.tri, tri_flat, pack3(a, b, c))
        ic, hc = find(lm.bi, bi_flat, pack2(a, b))
        i2, h2 = find(lm.bi, bi_flat, pack2(b, c))
        f32 = np.float32
        lower = np.where(h2, lm.bi_logp[i2].astype(f32), lm.uni_bow[b].astype(f32) + lm.uni_logp[c])
        bow = np.where(hc, lm.bi_bow[ic].astype(f32), f32(0))
        return np.where(h3, lm.tri_logp[i3].astype(f32), bow + lower)

    return logprob


def _rate(fn: Callable[[], object], n: int, repeats: int = 5) -> tuple[float, float]:
    """Best and median look-ups per second over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return n / min(times), n / float(np.median(times))


_COLD = """
import os, resource, time
def rss():
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) for l in fh if l.startswith("VmRSS")) / 1024
t0 = time.perf_counter()
from unspin.lm import load_lm
t1 = time.perf_counter(); r0 = rss()
lm = load_lm(); lm.encode(["the"])
t2 = time.perf_counter(); r1 = rss()
lm.token_logprobs("the trade talks resumed".split())
print(t1 - t0, t2 - t1, r0, r1, rss())
"""


def _cold_load() -> list[float]:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", _COLD], capture_output=True, text=True, env=env, check=True
        )
        runs.append([float(x) for x in out.stdout.split()])
    return list(np.median(np.array(runs), axis=0))


def _realworld_rows(lm: LanguageModel) -> list[str]:
    """Perplexity per role of the real-world clusters (reporting only, never tuned on)."""
    from unspin.corpora import realworld

    by_role: dict[str, list[float]] = {}
    docs: dict[str, list[float]] = {}
    for rec in realworld():
        lp = [lm.token_logprobs(s, eos=True) for s in lm_sentences(rec.get("text") or "")]
        if not lp:
            continue
        all_lp = np.concatenate(lp)
        by_role.setdefault(rec["role"], []).extend(all_lp.tolist())
        docs.setdefault(rec["role"], []).append(_ppl(all_lp))
    rows = [
        "| role | pages | tokens | perplexity (pooled) | median page perplexity |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for role in sorted(by_role, key=lambda r: _ppl(np.array(by_role[r]))):
        pooled = np.array(by_role[role])
        rows.append(
            f"| {role} | {len(docs[role])} | {len(pooled):,} | {_ppl(pooled):.1f} | "
            f"{float(np.median(docs[role])):.1f} |"
        )
    return rows


def _ablations(lm: LanguageModel, held: list[list[str]]) -> list[str]:
    """Held-out perplexity of the shipped recipe with one component removed (same vocabulary)."""
    import dataclasses

    from unspin.lm.build import build_model

    train = _sentences("lm", 10**9)
    shipped = BuildConfig(**lm.meta["config"])
    variants = [
        ("shipped recipe, rebuilt", shipped),
        ("without symspell bigrams", dataclasses.replace(shipped, symspell_weight=0.0)),
        ("without the extra wordfreq weight", dataclasses.replace(shipped, base_weight=0.0)),
        (
            "plain KN (neither)",
            dataclasses.replace(shipped, symspell_weight=0.0, base_weight=0.0),
        ),
    ]
    rows = ["| variant | perplexity (all tokens) |", "| --- | ---: |"]
    for name, config in variants:
        model = build_model(train, config)
        assert model.vocab == lm.vocab
        rows.append(f"| {name} | {model.perplexity(held):.1f} |")
    return rows


def _moby(lm: LanguageModel) -> dict[str, list[int]]:
    """Moby thesaurus: head word -> ids of its one-token synonyms in the vocabulary."""
    import gzip

    from unspin.corpora import shared_dir

    root = shared_dir()
    assert root is not None
    out: dict[str, list[int]] = {}
    with gzip.open(root / "data/moby_thesaurus/mthesaur.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            head, *syns = line.rstrip("\n").split(",")
            ids = [int(i) for i in lm.encode([w for w in syns if w.isalpha()])]
            ids = [i for i in ids if i != lm.unk]
            if head.isalpha() and ids:
                out[head] = ids
    return out


def _substitution_test(
    lm: LanguageModel, held: list[list[str]], uni: np.ndarray, ss: SymspellBigram, n: int
) -> tuple[int, list[tuple[str, float]]]:
    """How often each model prefers the original word to a random Moby synonym."""
    moby = _moby(lm)
    rng = np.random.default_rng(1)
    picks = []  # (sentence, position, synonym id)
    for si in rng.permutation(len(held)):
        s = held[si]
        spots = [i for i, w in enumerate(s) if len(w) > 2 and w in moby]
        if spots:
            i = spots[rng.integers(len(spots))]
            picks.append((s, i, moby[s[i]][rng.integers(len(moby[s[i]]))]))
        if len(picks) >= n:
            break
    wins = {"ours": 0.0, "uni": 0.0, "ss": 0.0}
    total = 0
    for s, i, syn in picks:
        ids = lm.encode(s)
        orig = int(ids[i])
        if orig == syn:
            continue
        total += 1
        ours = lm.substitution_logprobs(ids, [i], np.array([[orig, syn]]))[0]
        prev = next((int(ids[j]) for j in range(i - 1, -1, -1) if _is_word(s[j])), -1)
        nxt = next((int(ids[j]) for j in range(i + 1, len(s)) if _is_word(s[j])), None)
        cand = np.array([orig, syn])
        bi = ss.logprob(np.full(2, prev), cand)
        if nxt is not None:
            bi = bi + ss.logprob(cand, np.full(2, nxt))
        for key, sc in (("ours", ours), ("uni", uni[cand]), ("ss", bi)):
            wins[key] += 1.0 if sc[0] > sc[1] else 0.5 if sc[0] == sc[1] else 0.0
    names = {
        "ours": "ours: `substitution_logprobs` (3 trigrams)",
        "uni": "baseline: wordfreq unigram",
        "ss": "baseline: symspell bigram (left and right)",
    }
    return total, [(names[k], wins[k] / max(total, 1)) for k in ("ours", "uni", "ss")]


def run(argv: list[str]) -> str:
    ap = argparse.ArgumentParser(prog="python -m bench lm")
    ap.add_argument("--articles", type=int, default=10_000, help="held-out articles to score")
    ap.add_argument("--no-ablations", action="store_true", help="skip rebuilding variants")
    args = ap.parse_args(argv)

    lm = load_lm()
    held = _sentences("heldout", args.articles)
    n_articles = min(args.articles, 989)
    ours_lp, ours_word = _ours(lm, held)
    stream = _word_stream(lm, held)
    wmask = stream["word"]
    uni = _wordfreq_unigram(lm)
    ss = SymspellBigram(lm, uni)
    lam = _tune_lambda(ss, lm, uni)
    wf_lp = uni[stream["ids"][wmask]]
    ss_lp = ss.logprob(stream["prev"][wmask], stream["ids"][wmask])

    n_tok = len(stream["ids"])
    n_unk = int((stream["ids"] == lm.unk).sum())
    n_words = int(wmask.sum())
    trained = set(lm.vocab[: 4 + int(lm.meta.get("corpus_types", 0))])
    wf_only = sum(1 for s in held for t in s if _is_word(t) and t.lower() not in trained)

    ppl_rows = [
        ("ours: KN trigram (all tokens + sentence ends)", len(ours_lp), _ppl(ours_lp)),
        ("ours: KN trigram (word tokens)", n_words, _ppl(ours_lp[ours_word])),
        ("baseline: wordfreq unigram (word tokens)", n_words, _ppl(wf_lp)),
        (f"baseline: symspell bigram, lam={lam} (word tokens)", n_words, _ppl(ss_lp)),
    ]
    ours_w = ppl_rows[1][2]
    ablation_rows = [] if args.no_ablations else _ablations(lm, held)
    n_subst, subst = _substitution_test(lm, held, uni, ss, 5000)

    # Speed: every trigram of the held-out text, in one vectorised call.
    ids = [np.r_[[lm.bos, lm.bos], lm.encode(s), [lm.eos]] for s in held]
    x = np.concatenate(ids).astype(np.int64)
    a, b, c = x[:-2], x[1:-1], x[2:]
    reps = max(1, 1_000_000 // len(a))
    a, b, c = np.tile(a, reps), np.tile(b, reps), np.tile(c, reps)
    lm.logprob(a, b, c)
    baseline = _searchsorted_logprob(lm, a, b, c)
    same = np.allclose(lm.logprob(a, b, c), baseline(), atol=1e-3)
    ours_best, ours_med = _rate(lambda: lm.logprob(a, b, c), len(a))
    ss_best, ss_med = _rate(baseline, len(a), 3)
    rng = np.random.default_rng(0)
    r = rng.integers(4, lm.vocab_size, (3, len(a)))
    rnd_best, rnd_med = _rate(lambda: lm.logprob(r[0], r[1], r[2]), len(a))
    cand = rng.integers(4, lm.vocab_size, (len(a) // 50, 50))
    cb, cm = _rate(lambda: lm.logprob(a[: len(cand), None], b[: len(cand), None], cand), cand.size)

    # Normalisation of the shipped (float16) model over the whole vocabulary.
    rng_n = np.random.default_rng(2)
    w3 = np.arange(lm.vocab_size)
    picks = rng_n.integers(0, len(a), 20)
    contexts = [(lm.bos, lm.bos), *zip(a[picks].tolist(), b[picks].tolist(), strict=True)]
    contexts += [tuple(rng_n.integers(4, lm.vocab_size, 2).tolist()) for _ in range(10)]
    sums = [float(np.exp(lm.logprob(u, v, w3).astype(np.float64)).sum()) for u, v in contexts]
    worst = max(abs(x - 1.0) for x in sums)
    doc = held[:3000]
    doc_tokens = sum(map(len, doc))
    many_best, many_med = _rate(lambda: lm.token_logprobs_many(doc), doc_tokens)
    one_best, one_med = _rate(lambda: [lm.token_logprobs(s) for s in doc], doc_tokens, 3)
    imp, load, rss0, rss1, rss2 = _cold_load()
    disk = sum(p.stat().st_size for p in DEFAULT_PATH.iterdir()) / 1e6
    meta = lm.meta

    lines = [
        "# Language model (`unspin.lm`)",
        "",
        f"Model: {meta['smoothing']}; vocabulary {lm.vocab_size:,} "
        f"({meta.get('corpus_types', '?')} training types + wordfreq top "
        f"{meta['config']['wordfreq_top']:,}), {len(lm.bi):,} bigrams, {len(lm.tri):,} "
        f"trigrams, trained on {meta['training_tokens']:,} tokens "
        f"({meta['training_sentences']:,} sentences) of the split `lm`.",
        "",
        f"## Perplexity on the held-out ISOT sample ({n_articles} articles)",
        "",
        f"{n_tok:,} tokens, {n_words:,} word tokens; {n_unk:,} tokens "
        f"({100 * n_unk / n_tok:.2f} %) outside the vocabulary are scored as `<unk>` "
        f"(none skipped); {wf_only:,} word tokens ({100 * wf_only / n_words:.2f} %) never "
        "occur in the training text and are scored through the wordfreq prior.",
        "",
        "| model | tokens scored | perplexity | ours / this |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, n, ppl in ppl_rows:
        ratio = f"{ours_w / ppl:.2f}" if "word tokens" in name else ""
        lines.append(f"| {name} | {n:,} | {ppl:.1f} | {ratio} |")
    beats = ours_w < ppl_rows[2][2] and ours_w < ppl_rows[3][2]
    lines += [
        "",
        "Target (ours below both baselines on the same tokens): "
        f"**{'met' if beats else 'MISSED'}**.",
        "",
        *(
            [
                "Ablations (each rebuilt from the split `lm`, same vocabulary, same tokens):",
                "",
                *ablation_rows,
                "",
            ]
            if ablation_rows
            else []
        ),
        "## Original word vs. a thesaurus synonym (held-out ISOT sentences)",
        "",
        f"{n_subst:,} sentences; in each, one word with a one-token Moby synonym in the",
        "vocabulary is paired with a random such synonym (what a spinner does). Share of",
        "pairs where the model scores the original higher (ties count half):",
        "",
        "| model | original preferred |",
        "| --- | ---: |",
        *(f"| {name} | {100 * acc:.1f} % |" for name, acc in subst),
        "",
        "## Real-world clusters (`realworld-dev.jsonl`, reporting only)",
        "",
        "All tokens and sentence ends, as in the first row above. Machine-spun pages should",
        "read as far less probable than originals and verbatim copies.",
        "",
        *_realworld_rows(lm),
    ]
    lines += [
        "",
        "## Speed, load, memory, size (one core)",
        "",
        "| measure | value | target |",
        "| --- | ---: | ---: |",
        f"| `logprob` look-ups/s, held-out trigrams (best / median of 5, {len(a):,} per call) "
        f"| {ours_best / 1e6:.2f} M / {ours_med / 1e6:.2f} M | >= 1 M |",
        f"| same look-ups via plain `np.searchsorted` (baseline, best / median of 3) "
        f"| {ss_best / 1e6:.2f} M / {ss_med / 1e6:.2f} M (ours x{ours_med / ss_med:.1f}) | |",
        f"| `logprob` look-ups/s, uniformly random trigrams | {rnd_best / 1e6:.2f} M / "
        f"{rnd_med / 1e6:.2f} M | |",
        f"| `logprob` 2-D candidate batch (50 per position) | {cb / 1e6:.2f} M / "
        f"{cm / 1e6:.2f} M | |",
        f"| results identical to the searchsorted baseline | {same} | |",
        f"| sum of P(w \\| context) over the vocabulary, {len(contexts)} contexts (held-out, "
        f"random, <s>), worst deviation from 1 | {worst:.4f} | |",
        f"| `token_logprobs_many`, {len(doc):,} sentences at once, incl. `encode` (tokens/s) | "
        f"{many_best / 1e6:.2f} M / {many_med / 1e6:.2f} M | |",
        f"| `token_logprobs` one sentence per call (tokens/s) | {one_best / 1e6:.2f} M / "
        f"{one_med / 1e6:.2f} M (many: x{many_med / one_med:.0f}) | |",
        f"| cold process: `import unspin.lm` | {imp:.3f} s | |",
        f"| cold process: `load_lm()` | {load:.3f} s | <= 1 s |",
        f"| resident memory: after import / after load / after first query | "
        f"{rss0:.0f} / {rss1:.0f} / {rss2:.0f} MB | |",
        f"| size on disk (`src/unspin/resources/lm`) | {disk:.1f} MB | <= 35 MB |",
    ]
    return "\n".join(lines)
