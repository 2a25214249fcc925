"""Build the red-team spinner dictionaries in ``src/unspin/resources/simulate/``.

    .venv/bin/python scripts/build_spinner_dicts.py

Deterministic; needs ``../shared`` (corpora, Moby) and Debian ``wordnet-base``
(``/usr/share/wordnet``). Every artefact is restricted to a *news vocabulary* (lower-cased
word types seen at least ``MIN_COUNT`` times in the ``lm`` + ``redteam`` splits) so the
files stay small; none holds corpus text.

* ``vocab.tsv.gz``   -- ``word<TAB>count<TAB>pos``: the news vocabulary with its WordNet
  most-frequent part of speech (``n v a r``; ``-`` when WordNet does not know the word).
* ``moby.tsv.gz``    -- Moby Thesaurus II: ``head<TAB>syn|syn|...`` (public domain).
* ``wordnet.tsv.gz`` -- WordNet 3.0 lemmas of *every* synset of the head, all parts of
  speech, in WordNet sense order (sense-blind, like real WordNet spinners).
* ``distrib.tsv.gz`` -- a distributional thesaurus: nearest neighbours of PPMI-SVD
  co-occurrence vectors over the ``lm`` + ``redteam`` corpora (a source no detector
  feature uses; neighbours are often co-hyponyms or antonyms, as in cheap spinners).
"""

from __future__ import annotations

import gzip
import shutil
import sys
import warnings
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from lemminflect import getAllLemmas
from sklearn.utils.extmath import randomized_svd

from unspin import corpora
from unspin.text import tokenize

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/unspin/resources/simulate"
WN_SRC = Path("/usr/share/wordnet")
WN_CACHE = ROOT / "bench/.cache/nltk_wordnet"
MIN_COUNT = 3
MAX_SYNS = 24
DIST_VOCAB = 20000
DIST_HEADS = 9000
DIST_DIM = 160
DIST_K = 12
DIST_MIN_COS = 0.35
SEED = 20261124

_LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group "
    "noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant "
    "noun.possession noun.process noun.quantity noun.relation noun.shape noun.state "
    "noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()


def wordnet_reader():  # -> nltk WordNetCorpusReader
    """NLTK's reader over Debian's WordNet 3.0 (copied to a private cache dir).

    Debian ships no ``lexnames`` file and NLTK >= 3.9 only reads from private data
    roots, so the files are copied to ``bench/.cache/nltk_wordnet`` (mode 700) first.
    """
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class _Reader(WordNetCorpusReader):
        def map_wn(self, version: str = "wordnet") -> None:  # no OMW mapping offline
            return None

    if not (WN_CACHE / "lexnames").exists():
        WN_CACHE.mkdir(parents=True, exist_ok=True)
        WN_CACHE.chmod(0o700)
        for f in WN_SRC.iterdir():
            if f.is_file():
                shutil.copy(f, WN_CACHE / f.name)
        pos = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}
        (WN_CACHE / "lexnames").write_text(
            "".join(f"{i:02d}\t{n}\t{pos[n.split('.')[0]]}\n" for i, n in enumerate(_LEXNAMES))
        )
    if str(WN_CACHE) not in nltk.data.path:
        nltk.data.path.insert(0, str(WN_CACHE))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _Reader(str(WN_CACHE), None)


def _news_token_lists() -> Iterable[list[str]]:
    for art in corpora.all_articles():
        if art.split in ("lm", "redteam"):
            toks = tokenize(art.text)
            yield [f for f, w in zip(toks.lower, toks.is_word, strict=True) if w]


def _write_tsv(path: Path, rows: Iterable[tuple[str, ...]]) -> int:
    n = 0
    # mtime=0: byte-identical output on every run.
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz,
    ):
        for row in rows:
            gz.write(("\t".join(row) + "\n").encode("utf-8"))
            n += 1
    return n


def _in_vocab(phrase: str, vocab: set[str]) -> bool:
    words = phrase.lower().replace("-", " ").split()
    return 0 < len(words) <= 3 and all(len(w) > 1 and w in vocab for w in words)


def _lemmas(word: str) -> set[str]:
    out = {word}
    for forms in getAllLemmas(word).values():
        out.update(f.lower() for f in forms)
    return out


def build_pos(counts: Counter[str], wn) -> dict[str, str]:
    """Most frequent WordNet part of speech per vocabulary word (tag-count weighted)."""
    out: dict[str, str] = {}
    for w in counts:
        best, best_score = "-", 0.0
        for pos in "nvar":
            score = 0.0
            for lemma in {wn.morphy(w, pos)} - {None}:
                for s in wn.synsets(lemma, pos):
                    for lem in s.lemmas():
                        if lem.name().lower() == lemma:
                            score += lem.count() + 0.5
            if score > best_score:
                best, best_score = pos, score
        out[w] = best
    return out


def build_moby(vocab: set[str], heads: set[str]) -> list[tuple[str, str]]:
    path = corpora._require_shared() / "data/moby_thesaurus/mthesaur.txt.gz"
    rng = np.random.default_rng(SEED)
    rows = []
    with gzip.open(path, "rt", encoding="ascii", errors="replace") as fh:
        for line in fh:
            head, *syns = line.rstrip("\n").split(",")
            if head.lower() not in heads:
                continue
            keep = [s for s in syns if s.lower() != head.lower() and _in_vocab(s, vocab)]
            if len(keep) > MAX_SYNS:  # Moby lists are alphabetical: sample, keep order
                idx = np.sort(rng.choice(len(keep), MAX_SYNS, replace=False))
                keep = [keep[i] for i in idx]
            if keep:
                rows.append((head.lower(), "|".join(keep)))
    return sorted(rows)


def build_wordnet(vocab: set[str], heads: set[str], wn) -> list[tuple[str, str]]:
    rows = []
    for head in sorted(heads):
        seen: dict[str, None] = {}
        for s in wn.synsets(head):
            for lem in s.lemmas():
                name = lem.name().replace("_", " ")
                if name.lower() != head and _in_vocab(name, vocab):
                    seen.setdefault(name, None)
        if seen:
            rows.append((head, "|".join(list(seen)[:MAX_SYNS])))
    return rows


def build_distrib(
    docs: list[list[str]], counts: Counter[str], pos: dict[str, str]
) -> list[tuple[str, str]]:
    """Nearest neighbours of PPMI-SVD vectors (window 2, 1/distance weights)."""
    words = [w for w, _ in counts.most_common(DIST_VOCAB) if w.isalpha()]
    index = {w: i for i, w in enumerate(words)}
    rows_, cols_, vals_ = [], [], []
    for doc in docs:
        ids = np.array([index.get(w, -1) for w in doc], dtype=np.int64)
        for d, wgt in ((1, 1.0), (2, 0.5)):
            a, b = ids[:-d], ids[d:]
            ok = (a >= 0) & (b >= 0)
            rows_ += [a[ok], b[ok]]
            cols_ += [b[ok], a[ok]]
            vals_ += [np.full(2 * int(ok.sum()), wgt)]
    n = len(words)
    m = sp.coo_matrix(
        (np.concatenate(vals_), (np.concatenate(rows_), np.concatenate(cols_))), shape=(n, n)
    ).tocsr()
    total = m.sum()
    row = np.asarray(m.sum(axis=1)).ravel()
    col = np.asarray(m.sum(axis=0)).ravel() ** 0.75  # context-distribution smoothing
    col = col / col.sum()
    m = m.tocoo()
    pmi = np.log(m.data * 1.0 / total) - np.log(row[m.row] / total) - np.log(col[m.col])
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=(n, n))
    u, s, _ = randomized_svd(ppmi, DIST_DIM, random_state=SEED)
    vec = u * np.sqrt(s)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    n_heads = min(DIST_HEADS, n)
    out = []
    for start in range(0, n_heads, 1000):
        sims = vec[start : min(start + 1000, n_heads)] @ vec.T
        for r, i in enumerate(range(start, min(start + 1000, n_heads))):
            head = words[i]
            if pos.get(head, "-") == "-":  # function words, names: not a synonym target
                continue
            order = np.argsort(-sims[r])[: DIST_K * 3]
            lem = _lemmas(head)
            nbrs = [
                words[j]
                for j in order
                if j != i
                and sims[r, j] >= DIST_MIN_COS
                and pos.get(words[j], "-") == pos[head]
                and not (_lemmas(words[j]) & lem)
            ][:DIST_K]
            if nbrs:
                out.append((head, "|".join(nbrs)))
    return sorted(out)


def main() -> int:
    if corpora.shared_dir() is None or not WN_SRC.is_dir():
        print("needs ../shared and /usr/share/wordnet (apt install wordnet-base)", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    docs = list(_news_token_lists())
    counts: Counter[str] = Counter(w for d in docs for w in d)
    counts = Counter({w: c for w, c in counts.items() if c >= MIN_COUNT})
    vocab = set(counts)
    heads = set().union(*(_lemmas(w) for w in vocab)) & vocab | vocab
    wn = wordnet_reader()
    pos = build_pos(counts, wn)
    n = _write_tsv(
        OUT / "vocab.tsv.gz",
        ((w, str(c), pos[w]) for w, c in sorted(counts.items(), key=lambda x: (-x[1], x[0]))),
    )
    print(f"vocab: {n} words")
    n = _write_tsv(OUT / "moby.tsv.gz", build_moby(vocab, heads))
    print(f"moby: {n} heads")
    n = _write_tsv(OUT / "wordnet.tsv.gz", build_wordnet(vocab, heads, wn))
    print(f"wordnet: {n} heads")
    n = _write_tsv(OUT / "distrib.tsv.gz", build_distrib(docs, counts, pos))
    print(f"distrib: {n} heads")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
