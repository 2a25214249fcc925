"""Restore without a source: decode the suspicious sites of each sentence jointly.

Every site the lexicon can map back gets up to ``top_k`` options (its best candidate
originals by LM gain) besides *keep as is*. A site whose best option is far from the
decision threshold stays as it is. Sites whose trigram windows touch (fewer than two
tokens apart, same sentence) form a *cluster*; every combination of choices in a cluster
is scored at once -- the LM log-probability of the cluster's window plus each change's
non-LM evidence -- so neighbouring choices agree ("replace war" -> "trade war"). Isolated
sites reduce to the per-site decision model.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from unspin.despin.decide import (
    FEATURES,
    DecisionModel,
    SiteTable,
    detector_logodds_spans,
    feature_matrix,
    learned_pairs,
    option_rows,
    rank_in_site,
)
from unspin.detect.evidence import Evidence, Resources, Site
from unspin.detect.options import MAX_RARER, option_forms
from unspin.detect.trees import sigmoid
from unspin.text import Tokens
from unspin.text.case import match_case

__all__ = [
    "TokenEdit",
    "agree_articles",
    "apply_edits",
    "article_for",
    "decode",
]

MAX_CLUSTER = 5  # sites decoded jointly; larger clusters are split
SLACK = 2.0  # logits below the threshold still worth trying jointly
MAX_OPTIONS = 3  # per site in a cluster (best by logit)


@dataclass(frozen=True, slots=True)
class TokenEdit:
    """Replace tokens ``[first, last)`` by ``text``."""

    first: int
    last: int
    text: str
    confidence: float


@dataclass(frozen=True, slots=True)
class _Cand:
    first: int
    last: int
    sentence: int
    options: tuple[str, ...]
    rest: tuple[float, ...]  # logit minus its LM-gain part, minus the threshold logit


# Words whose spelling misleads about their first sound.
_AN_CONSONANT = ("hour", "honest", "honor", "honour", "heir")  # silent h: "an hour"
_A_VOWEL = ("uni", "use", "usu", "uti", "eu", "ubiq")  # "a unit", "a user", "a euro"
_AN_UN = ("unin", "unim", "unid")  # but "an uninsured", "an unidentified"
_A_WORDS = frozenset({"one", "once", "oneself"})


def article_for(word: str) -> str | None:
    """The article, "a" or "an", before ``word`` by its first sound (spelling rules with
    the common exceptions); ``None`` when spelling cannot tell (acronyms, digits)."""
    w = word.lower()
    if not w[:1].isalpha() or (len(word) > 1 and word.isupper()):
        return None
    if w.startswith(_AN_CONSONANT):
        return "an"
    if w[0] not in "aeiou":
        return "a"
    vowel_sound = w not in _A_WORDS and (not w.startswith(_A_VOWEL) or w.startswith(_AN_UN))
    return "an" if vowel_sound else "a"


def agree_articles(tokens: Tokens, edits: Sequence[TokenEdit]) -> list[TokenEdit]:
    """Edits for the articles before ``edits`` that agreed with the word replaced but not
    with its replacement ("a rise" -> "an increase"): spinners fix the article when they
    swap the word, so restoring the word must fix it back. Articles that were already off,
    or that an edit covers, are left alone."""
    covered = {i for e in edits for i in range(e.first, e.last)}
    out: list[TokenEdit] = []
    for e in edits:
        j = e.first - 1
        if j < 0 or j in covered or tokens.lower[j] not in ("a", "an") or not e.text:
            continue
        now, was, want = tokens.lower[j], article_for(tokens.forms[e.first]), article_for(e.text)
        if was == now and want is not None and want != now:
            form = tokens.forms[j]
            text = want.capitalize() if form[:1].isupper() else want
            out.append(TokenEdit(j, j + 1, text, e.confidence))
    return out


def _allowed_sites(sites: list[Site], allowed: np.ndarray | None) -> list[Site]:
    """The sites that lie wholly inside ``allowed`` (all of them without a mask)."""
    if allowed is None:
        return list(sites)
    blocked = np.zeros(len(allowed) + 1, dtype=np.int64)
    np.cumsum(~np.asarray(allowed, dtype=bool), out=blocked[1:])
    out = blocked.tolist()
    return [s for s in sites if out[s.last] == out[s.first]]


def _detector(model: DecisionModel, token_prob: np.ndarray | None, table: SiteTable) -> np.ndarray:
    """The detector feature per site of ``table``."""
    if token_prob is None:  # neutral: the training mean for models that use it
        fill = model.mean[FEATURES.index("detector")] if model.uses_detector else 0.0
        return np.full(len(table.first), fill, dtype=np.float64)
    return detector_logodds_spans(token_prob, table.first, table.last)


def _sentence_of(ev: Evidence) -> np.ndarray:
    """The sentence index of each token (-1 outside every sentence)."""
    out = np.full(len(ev.tokens), -1, dtype=np.int64)
    for s, (a, b) in enumerate(ev.sentences):
        out[a:b] = s
    return out


def _candidates(
    ev: Evidence,
    res: Resources,
    model: DecisionModel,
    token_prob: np.ndarray | None,
    allowed: np.ndarray | None,
) -> list[_Cand]:
    """Sites with options worth trying (logit within :data:`SLACK` of the threshold), each
    with its :data:`MAX_OPTIONS` best options and their non-LM evidence. An option much
    rarer than the words it would replace (:data:`~unspin.detect.options.MAX_RARER`) is
    not tried unless it is a learned pair or a tortured phrase's expected phrase."""
    sites = _allowed_sites(ev.sites, allowed)
    if not sites:
        return []
    table = SiteTable.of(sites)
    rows = option_rows(table, model.top_k)
    x = feature_matrix(
        ev, table, rows, learned_pairs(res.lexicon), _detector(model, token_prob, table)
    )
    logits = model.logit(x)
    t = float(np.log(model.threshold / (1 - model.threshold)))
    zs, zo = x[:, FEATURES.index("zipf_surface")], x[:, FEATURES.index("zipf_option")]
    trusted = x[:, FEATURES.index("learned")] + x[:, FEATURES.index("pps")] > 0
    good = np.flatnonzero((logits >= t - SLACK) & ((zo >= zs - MAX_RARER) | trusted))
    site = table.site[rows[good]]
    ranked = good[np.lexsort((-logits[good], site))]  # by site, then best logit first
    site = table.site[rows[ranked]]
    picked = ranked[rank_in_site(site) < MAX_OPTIONS]
    site = table.site[rows[picked]]
    rest = logits[picked] - model.gain_weight * table.gains[rows[picked]] - t
    bounds = np.flatnonzero(np.diff(site, prepend=-1, append=len(table.first)))
    firsts, lasts = table.first.tolist(), table.last.tolist()
    heads = site[bounds[:-1]].tolist()
    sentences = _sentence_of(ev)[table.first[heads]].tolist()
    options, picked_rows, rest_l = table.options, rows[picked].tolist(), rest.tolist()
    return [
        _Cand(
            firsts[i],
            lasts[i],
            sentence,
            tuple(options[r] for r in picked_rows[lo:hi]),
            tuple(rest_l[lo:hi]),
        )
        for i, sentence, lo, hi in zip(
            heads, sentences, bounds[:-1].tolist(), bounds[1:].tolist(), strict=True
        )
    ]


def _clusters(cands: list[_Cand]) -> list[list[_Cand]]:
    cands = sorted(cands, key=lambda c: (c.first, c.last))
    groups: list[list[_Cand]] = []
    reach = -10
    for c in cands:
        g = groups[-1] if groups else None
        if g and c.sentence == g[-1].sentence and c.first < reach + 2 and len(g) < MAX_CLUSTER:
            g.append(c)
            reach = max(reach, c.last)
        else:
            groups.append([c])
            reach = c.last
    return groups


def _combos(group: list[_Cand]) -> list[tuple[int, ...]]:
    """Choice tuples (-1 = keep, else option index) without overlapping changes; the first
    keeps everything. ``group`` is in token order."""
    if len(group) == 1:
        return [(k,) for k in range(-1, len(group[0].options))]
    out = []
    for combo in itertools.product(*[range(-1, len(c.options)) for c in group]):
        reach = -1
        for c, k in zip(group, combo, strict=True):
            if k >= 0:
                if c.first < reach:
                    break
                reach = c.last
        else:
            out.append(combo)
    return out


@dataclass(slots=True)
class _Windows:
    """The LM windows of every choice of every cluster of a document, as trigrams."""

    ids: list[int]  # the document's LM ids
    bos: int
    eos: int
    w1: list[int]
    w2: list[int]
    w3: list[int]

    def add(self, seq: list[int]) -> tuple[int, int, int]:
        """Score ``seq`` from its third id on; (first trigram, end, count)."""
        s0 = len(self.w3)
        self.w1.extend(seq[:-2])
        self.w2.extend(seq[1:-1])
        self.w3.extend(seq[2:])
        return s0, len(self.w3), len(seq) - 2

    def cluster(
        self,
        group: list[_Cand],
        combos: list[tuple[int, ...]],
        sentence: tuple[int, int],
        encoded: list[list[list[int]]],
    ) -> list[tuple[int, int, int]]:
        """One window per choice: the cluster's span with the choice's changes made, two
        tokens of context before and after (within the sentence)."""
        ids = self.ids
        a, b = sentence
        lo = min(c.first for c in group)
        hi = max(c.last for c in group)
        head = [self.bos, self.bos, *ids[max(a, lo - 2) : lo]][-2:]
        tail = ids[hi : min(hi + 2, b)]
        if len(tail) < 2:
            tail = [*tail, self.eos]
        segs = []
        for combo in combos:
            seq = head.copy()
            pos = lo
            for c, k, enc in zip(group, combo, encoded, strict=True):
                if k >= 0:
                    seq += ids[pos : c.first]
                    seq += enc[k]
                    pos = c.last
            seq += ids[pos:hi]
            seq += tail
            segs.append(self.add(seq))
        return segs


def _encoder(lm: object) -> Callable[[str], list[int]]:
    """LM ids of an option's tokens, cached for one document."""
    cache: dict[str, list[int]] = {}

    def encode(text: str) -> list[int]:
        hit = cache.get(text)
        if hit is None:
            hit = cache[text] = lm.encode(list(option_forms(text))).tolist()  # type: ignore[attr-defined]
        return hit

    return encode


def _choose(
    group: list[_Cand],
    combos: list[tuple[int, ...]],
    segs: list[tuple[int, int, int]],
    csum: list[float],
    gw: float,
    forms: list[str],
) -> list[TokenEdit]:
    """The edits of a cluster's best choice (none if keeping all wins); an edit's
    confidence is the logistic of how much better the choice is than without that edit."""
    s, e, n_old = segs[0]  # combos[0] keeps everything
    old = csum[e] - csum[s]
    totals = [
        gw * ((csum[e_] - csum[s_]) * n_old / n_ - old)
        + sum(c.rest[k] for c, k in zip(group, combo, strict=True) if k >= 0)
        for (s_, e_, n_), combo in zip(segs, combos, strict=True)
    ]
    best = int(np.argmax(totals))
    if best == 0 or totals[best] <= 0:
        return []
    combo = combos[best]
    by_combo = {cb: i for i, cb in enumerate(combos)}
    edits = []
    for j, (c, k) in enumerate(zip(group, combo, strict=True)):
        if k < 0:
            continue
        margin = totals[best] - totals[by_combo[(*combo[:j], -1, *combo[j + 1 :])]]
        edits.append(
            TokenEdit(
                c.first,
                c.last,
                match_case(c.options[k], forms[c.first]),
                float(sigmoid(margin)),
            )
        )
    return edits


def decode(
    ev: Evidence,
    res: Resources,
    model: DecisionModel,
    token_prob: np.ndarray | None = None,
    allowed: np.ndarray | None = None,
) -> list[TokenEdit]:
    """The changes to make, in token order.

    ``token_prob`` (per token, optional): the spin detector's substitution probabilities,
    a feature of models fitted with them. ``allowed`` (per token, optional): only sites
    inside it may change. All windows of a document are scored in one LM call.
    """
    cands = _candidates(ev, res, model, token_prob, allowed)
    if not cands:
        return []
    lm = res.lm
    win = _Windows(ev.ids.tolist(), lm.bos, lm.eos, [], [], [])  # type: ignore[attr-defined]
    encode = _encoder(lm)
    plan = []
    for group in _clusters(cands):
        combos = _combos(group)
        encoded = [[encode(o) for o in c.options] for c in group]
        sentence = ev.sentences[group[0].sentence]
        plan.append((group, combos, win.cluster(group, combos, sentence, encoded)))
    scores = lm.logprob(  # type: ignore[attr-defined]
        np.asarray(win.w1, dtype=np.int32),
        np.asarray(win.w2, dtype=np.int32),
        np.asarray(win.w3, dtype=np.int32),
    )
    csum = np.concatenate([[0.0], np.cumsum(scores, dtype=np.float64)]).tolist()
    gw, forms = model.gain_weight, ev.tokens.forms
    edits = [e for g, combos, segs in plan for e in _choose(g, combos, segs, csum, gw, forms)]
    edits.sort(key=lambda x: x.first)
    return edits


def apply_edits(text: str, starts: Sequence[int], ends: Sequence[int], repl: Sequence[str]) -> str:
    """``text`` with ``text[starts[i]:ends[i]]`` replaced by ``repl[i]`` (sorted, disjoint)."""
    parts: list[str] = []
    pos = 0
    for s, e, r in zip(starts, ends, repl, strict=True):
        parts.append(text[pos:s])
        parts.append(r)
        pos = e
    parts.append(text[pos:])
    return "".join(parts)
