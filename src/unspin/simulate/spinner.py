"""The reference spinner: ``spin(text, profile, rate, seed) -> SpunText`` with gold edits.

The text is cut into project tokens and sentences; a plan says which token runs are
replaced (synonyms, phrase rules, entity accidents, number formats), which paragraphs a
partial copy keeps, which sentences swap places and where boilerplate goes. The plan is
rendered as :class:`~unspin.simulate.alignment.Edit` pieces, so the alignment is exact by
construction.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lemminflect import getAllInflections, getAllLemmas, getInflection, getLemma

from unspin.simulate.alignment import Edit, Op
from unspin.simulate.dictionaries import DictName, thesaurus, vocab_pos
from unspin.simulate.profiles import Profile, get_profile
from unspin.simulate.rules import (
    BOILERPLATE,
    EMBEDS,
    ENTITY_ACCIDENTS,
    NUMBER_WORDS,
    PHRASES,
    STOPWORDS,
)
from unspin.text import Tokens, sentence_bounds, tokenize

__all__ = ["SpunText", "spin"]

_UPOS = {"n": "NOUN", "v": "VERB", "a": "ADJ", "r": "ADV"}
_TAGS = {
    "NOUN": ("NN", "NNS"),
    "VERB": ("VB", "VBD", "VBG", "VBN", "VBZ"),
    "ADJ": ("JJ", "JJR", "JJS"),
    "ADV": ("RB", "RBR", "RBS"),
}
_MAX_RULE = 3  # longest rule key, in tokens
_QUOTES = frozenset(('"', "\u201c", "\u201d"))


@dataclass(slots=True)
class SpunText:
    """A spun copy of ``original`` and the gold alignment between the two."""

    text: str
    original: str
    profile: str
    rate: float
    seed: int
    alignment: list[Edit] = field(default_factory=list)
    n_words: int = 0  # word tokens of the original kept in the copy
    n_substituted: int = 0  # of those, how many a substitution replaced

    @property
    def realised_rate(self) -> float:
        return self.n_substituted / self.n_words if self.n_words else 0.0

    def to_dict(self, id: str = "", original_id: str = "") -> dict[str, Any]:
        """The ``unspin simulate`` JSONL record."""
        return {
            "id": id,
            "original_id": original_id,
            "profile": self.profile,
            "rate": self.rate,
            "seed": self.seed,
            "text": self.text,
            "original": self.original,
            "alignment": [e.to_dict() for e in self.alignment],
        }


@dataclass(slots=True)
class _Piece:
    o0: int
    o1: int
    op: Op
    text: str = ""
    kind: str = ""


@dataclass(frozen=True, slots=True)
class _Unit:
    """A candidate token run ``[i, j)`` and what it may become."""

    i: int
    j: int
    kind: str
    options: tuple[str, ...]
    weight: float
    upos: str | None = None
    tag: str | None = None
    initial: bool = False  # starts its sentence


# ---------------------------------------------------------------- dictionary look-ups


def _tag_of(word: str, lemma: str, upos: str) -> str | None:
    for tag, forms in getAllInflections(lemma, upos).items():
        if word in forms:
            return tag
    return None


@lru_cache(maxsize=200_000)
def _lookup(
    dictionary: DictName, word: str, reinflect: bool
) -> tuple[tuple[str, ...], str | None, str | None]:
    """Synonyms of ``word`` (lower-case), with the POS/tag to re-inflect them to."""
    thes = thesaurus(dictionary)
    lemmas = getAllLemmas(word)
    first = _UPOS.get(vocab_pos().get(word, "-"))
    order = sorted(lemmas, key=lambda u: u != first)
    if reinflect:
        for upos in order:
            for lem in lemmas[upos]:
                if lem != word and lem in thes and (tag := _tag_of(word, lem, upos)):
                    return thes[lem], upos, tag
    if word in thes:
        return thes[word], None, None
    for upos in order:
        for lem in lemmas[upos]:
            if lem in thes:
                return thes[lem], None, None
    return (), None, None


def _pos_filter(syns: Sequence[str], word: str) -> tuple[str, ...]:
    """Lower-case synonyms whose head has the most frequent POS of ``word``."""
    pos = vocab_pos()
    want = pos.get(word, "-")
    syns = [s for s in syns if not s[:1].isupper()]
    if want == "-":
        return tuple(syns)
    return tuple(s for s in syns if pos.get(s.split()[-1].lower(), "-") == want)


def _inflect(phrase: str, upos: str, tag: str) -> str:
    words = phrase.split(" ")
    h = 0 if upos == "VERB" else len(words) - 1
    if words[h][:1].isupper():  # a name: leave it alone
        return phrase
    lemma = (getLemma(words[h], upos) or (words[h],))[0]
    forms = getInflection(lemma, tag, inflect_oov=True)
    if forms:
        words[h] = forms[0]
    return " ".join(words)


def _match_case(src: str, repl: str) -> str:
    if len(src) > 1 and src.isupper() and src.isalpha():
        return repl.upper()
    if src[:1].isupper():
        return repl[:1].upper() + repl[1:]
    return repl


def _entity_case(name: str) -> str:
    if len(name) <= 3 and name.isalpha():
        return name.upper()
    return " ".join(w[:1].upper() + w[1:] for w in name.split(" "))


# ---------------------------------------------------------------- planning


def _quoted(toks: Tokens) -> list[bool]:
    """Tokens inside quotation marks (a paragraph break closes an open quote)."""
    out: list[bool] = []
    inside = False
    src, starts, ends = toks.source, toks.starts, toks.ends
    for i, f in enumerate(toks.forms):
        if i and "\n\n" in src[int(ends[i - 1]) : int(starts[i])]:
            inside = False
        if f in _QUOTES:
            inside = f == "\u201c" or (f == '"' and not inside)
            out.append(True)
        else:
            out.append(inside)
    return out


def _candidate_units(
    toks: Tokens,
    a: int,
    b: int,
    initial: int,
    prof: Profile,
    quoted: Sequence[bool] | None = None,
) -> list[_Unit]:
    """Candidate substitutions in sentence ``[a, b)`` (``initial``: its first word)."""
    lower, forms, is_word = toks.lower, toks.forms, toks.is_word
    units: list[_Unit] = []
    i = a
    while i < b:
        if not is_word[i] or (quoted is not None and quoted[i]):
            i += 1
            continue
        rule = None
        for table, p, kind in (
            (ENTITY_ACCIDENTS, prof.entity_accidents, "entity"),
            (PHRASES, prof.phrases, "phrase"),
        ):
            if p <= 0 or rule:
                continue
            for n in range(min(_MAX_RULE, b - i), 0, -1):
                key = tuple(lower[i : i + n])
                if key in table:
                    rule = _Unit(i, i + n, kind, table[key], 2.0 * p, initial=i == initial)
                    break
        if rule:
            units.append(rule)
            i = rule.j
            continue
        f, w = forms[i], lower[i]
        if len(w) < 2 or not w[0].isalnum():  # single letters ("a", "I"), clitics ("'s")
            i += 1
            continue
        capital = f[:1].isupper() and (i != initial or (len(f) > 1 and f.isupper()))
        if prof.protect_caps and capital:
            i += 1
            continue
        syns, upos, tag = _lookup(prof.dictionary, w, prof.inflect != "none")
        if prof.pos_aware:
            syns = _pos_filter(syns, w)
        if prof.first_senses:
            syns = syns[: prof.first_senses]
        if syns:
            weight = prof.stop_factor if w in STOPWORDS else 1.0
            units.append(_Unit(i, i + 1, "synonym", syns, weight, upos, tag, i == initial))
        i += 1
    return units


def _probabilities(units: Sequence[_Unit], target: float) -> list[float]:
    """Per-unit firing chances ``min(1, c * weight)`` whose expected word count is ``target``."""
    total = sum(u.weight * (u.j - u.i) for u in units)
    if total <= 0 or target <= 0:
        return [0.0] * len(units)
    c = target / total
    for _ in range(20):
        got = sum(min(1.0, c * u.weight) * (u.j - u.i) for u in units)
        if got >= target - 1e-6 or got <= 0:
            break
        if all(c * u.weight >= 1.0 for u in units if u.weight > 0):
            break
        c *= target / got
    return [min(1.0, c * u.weight) for u in units]


def _pick(unit: _Unit, prof: Profile, rng: random.Random) -> str:
    """A replacement for ``unit`` before case matching (choice, inflection, doubling)."""
    if unit.kind == "synonym" and prof.multiword != 1.0:
        weights = [prof.multiword if " " in o else 1.0 for o in unit.options]
        repl = rng.choices(unit.options, weights)[0]
    else:
        repl = rng.choice(unit.options)
    if unit.kind == "synonym" and unit.upos and unit.tag:
        tag = unit.tag
        if prof.inflect == "noisy" and rng.random() < 0.5:
            tag = rng.choice(_TAGS.get(unit.upos, (tag,)))
        repl = _inflect(repl, unit.upos, tag)
    if unit.kind in ("synonym", "phrase") and prof.double > 0 and rng.random() < prof.double:
        words = repl.split(" ")
        again, _, _ = _lookup(prof.dictionary, words[-1].lower(), False)
        if again:
            words[-1] = rng.choice(again)
            repl = " ".join(words)
    return repl


def _finish(unit: _Unit, pick: str, toks: Tokens, prof: Profile, rng: random.Random) -> str | None:
    """``pick`` in the case this occurrence needs (``None`` when it changes nothing)."""
    src = toks.source[int(toks.starts[unit.i]) : int(toks.ends[unit.j - 1])]
    first = toks.forms[unit.i]
    damaged = (
        first[:1].isupper()
        and not unit.initial
        and rng.random() < (0.5 if unit.kind == "entity" else prof.case_damage)
    )
    if damaged:
        repl = pick
    elif unit.kind == "entity":
        repl = _entity_case(pick)
    else:
        repl = _match_case(first, pick)
    if repl == src or (unit.kind == "synonym" and repl.lower() == src.lower() and not damaged):
        return None
    return repl


def _number_edit(form: str, prof: Profile, rng: random.Random) -> str | None:
    low = form.lower()
    if form.isdigit() and len(form) <= 2 and int(form) < len(NUMBER_WORDS):
        new = NUMBER_WORDS[int(form)]
    elif low in NUMBER_WORDS and low != "one":
        new = str(NUMBER_WORDS.index(low))
    elif "," in form and form.replace(",", "").isdigit():
        new = form.replace(",", "")
    else:
        return None
    return new if rng.random() < prof.numbers else None


# ---------------------------------------------------------------- structure


def _paragraph_starts(toks: Tokens, sents: Sequence[tuple[int, int]]) -> list[int]:
    """Indices of the sentences that open a paragraph (a newline before them)."""
    out = [0]
    for k in range(1, len(sents)):
        gap = toks.source[int(toks.ends[sents[k][0] - 1]) : int(toks.starts[sents[k][0]])]
        if "\n" in gap:
            out.append(k)
    return out


def _kept_sentences(
    n_sents: int, para_starts: Sequence[int], prof: Profile, rng: random.Random
) -> list[bool]:
    """Which sentences a partial copy keeps (30-100% of paragraphs, or of sentences)."""
    keep = [True] * n_sents
    if prof.partial <= 0 or rng.random() >= prof.partial:
        return keep
    bounds = list(para_starts) if len(para_starts) >= 3 else list(range(n_sents))
    if len(bounds) < 3:
        return keep
    groups = [range(s, e) for s, e in zip(bounds, [*bounds[1:], n_sents], strict=True)]
    k = max(1, round(len(groups) * rng.uniform(0.3, 1.0)))
    if k >= len(groups):
        return keep
    # Mostly a truncated copy (the first k paragraphs), else paragraphs dropped here and there.
    truncated = rng.random() < 0.7
    chosen = set(range(k)) if truncated else set(rng.sample(range(len(groups)), k)) | {0}
    for g, sents in enumerate(groups):
        if g not in chosen:
            for s in sents:
                keep[s] = False
    return keep


def _swaps(
    keep: Sequence[bool], para_starts: Sequence[int], prof: Profile, rng: random.Random
) -> list[int]:
    """Sentence order after swapping a few adjacent pairs inside paragraphs."""
    order = list(range(len(keep)))
    if prof.reorder <= 0 or rng.random() >= prof.reorder:
        return order
    starts = set(para_starts)
    pairs = [k for k in range(len(keep) - 1) if keep[k] and keep[k + 1] and k + 1 not in starts]
    used: set[int] = set()
    for k in rng.sample(pairs, min(len(pairs), max(1, len(keep) // 10))):
        if k in used or k + 1 in used:
            continue
        used.update((k, k + 1))
        order[k], order[k + 1] = order[k + 1], order[k]
    return order


def _boilerplate(rng: random.Random) -> str:
    if rng.random() < 0.3:
        months = "January February March April May June July August September October"
        return rng.choice(EMBEDS).format(
            code="".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGH23456789") for _ in range(10)),
            handle=rng.choice(("newsdesk", "breakingwire", "dailybrief", "worldupdate")),
            month=rng.choice(months.split()),
            day=rng.randint(1, 28),
        )
    return rng.choice(BOILERPLATE)


# ---------------------------------------------------------------- spin


def spin(
    text: str, profile: str | Profile = "moby-basic", rate: float = 0.3, seed: int = 0
) -> SpunText:
    """Spin ``text`` with ``profile``, replacing about ``rate`` of its words.

    ``rate`` is the target share of (kept) word tokens replaced, 0-1; the realised share
    is capped by what the profile's dictionary covers (see ``SpunText.realised_rate``).
    The same ``(text, profile, rate, seed)`` always gives the same output.
    """
    prof = get_profile(profile)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be in [0, 1], got {rate}")
    rng = random.Random(f"{prof.name}|{rate:.6f}|{seed}")
    toks = tokenize(text)
    sents = sentence_bounds(toks)
    if not sents:
        edits = _edits([_Piece(0, len(text), "equal")])
        return SpunText(text, text, prof.name, rate, seed, edits)
    para_starts = _paragraph_starts(toks, sents)
    keep = _kept_sentences(len(sents), para_starts, prof, rng)
    subs, n_words, n_sub = _plan_substitutions(toks, sents, keep, prof, rate, rng)
    order = _swaps(keep, para_starts, prof, rng)
    inserts = _plan_boilerplate(para_starts, keep, prof, rng)
    edits = _edits(_render(toks, sents, keep, order, subs, inserts))
    spun = "".join(
        text[e.orig_start : e.orig_end] if e.op in ("equal", "move") else e.text for e in edits
    )
    return SpunText(spun, text, prof.name, rate, seed, edits, n_words, n_sub)


_Subs = dict[int, tuple[int, str, str]]  # first token -> (end token, new text, kind)


def _plan_substitutions(
    toks: Tokens,
    sents: Sequence[tuple[int, int]],
    keep: Sequence[bool],
    prof: Profile,
    rate: float,
    rng: random.Random,
) -> tuple[_Subs, int, int]:
    """Which token runs of the kept sentences are replaced, and by what."""
    is_word = toks.is_word
    quoted = _quoted(toks) if prof.protect_quotes else None
    units: list[_Unit] = []
    n_words = 0
    for (a, b), kept in zip(sents, keep, strict=True):
        if kept:
            n_words += int(is_word[a:b].sum())
            initial = next((i for i in range(a, b) if is_word[i]), a)
            units += _candidate_units(toks, a, b, initial, prof, quoted)
    subs: _Subs = {}
    n_sub = 0
    memo: dict[tuple[str, ...], str | None] = {}  # first decision per word type
    for unit, p in zip(units, _probabilities(units, rate * n_words), strict=True):
        key = (unit.kind, *toks.lower[unit.i : unit.j])
        if key in memo and rng.random() < prof.consistent:
            pick = memo[key]
        else:
            pick = _pick(unit, prof, rng) if rng.random() < p else None
            memo.setdefault(key, pick)
        if pick is not None and (repl := _finish(unit, pick, toks, prof, rng)) is not None:
            subs[unit.i] = (unit.j, repl, unit.kind)
            n_sub += int(is_word[unit.i : unit.j].sum())
    if prof.numbers > 0:
        covered = {i for s, (e, _, _) in subs.items() for i in range(s, e)}
        for (a, b), kept in zip(sents, keep, strict=True):
            for i in range(a, b) if kept else ():
                if i not in covered and (new := _number_edit(toks.forms[i], prof, rng)):
                    subs[i] = (i + 1, new, "number")
                    n_sub += int(is_word[i])
    return subs, n_words, n_sub


def _plan_boilerplate(
    para_starts: Sequence[int], keep: Sequence[bool], prof: Profile, rng: random.Random
) -> dict[int, list[str]]:
    """Lines to insert before sentence ``k`` (key -1: at the top; ``len(keep)``: at the end)."""
    inserts: dict[int, list[str]] = {}
    if prof.boilerplate <= 0 or rng.random() >= prof.boilerplate:
        return inserts
    kept_paras = [k for k in para_starts if keep[k]]
    for _ in range(rng.randint(1, 2)):
        where = rng.random()
        if where < 0.35:
            inserts.setdefault(-1, []).append(_boilerplate(rng) + "\n")
        elif where < 0.7 or len(kept_paras) < 2:
            inserts.setdefault(len(keep), []).append("\n\n" + _boilerplate(rng))
        else:
            k = rng.choice(kept_paras[1:])
            inserts.setdefault(k, []).append(_boilerplate(rng) + "\n\n")
    return inserts


def _render(
    toks: Tokens,
    sents: Sequence[tuple[int, int]],
    keep: Sequence[bool],
    order: Sequence[int],
    subs: _Subs,
    inserts: dict[int, list[str]],
) -> list[_Piece]:
    """The plan as pieces in spun order. Sentence ``order[pos]`` is written at position
    ``pos``; the white space after each position stays in place."""
    starts, ends = toks.starts.tolist(), toks.ends.tolist()
    n_text = len(toks.source)

    def core(k: int, moved: bool) -> list[_Piece]:
        a, b = sents[k]
        op: Op = "move" if moved else "equal"
        why = "reorder" if moved else ""
        out: list[_Piece] = []
        i = a
        while i < b:
            if i > a:
                out.append(_Piece(ends[i - 1], starts[i], op, kind=why))
            if i in subs:
                j, new, kind = subs[i]
                out.append(_Piece(starts[i], ends[j - 1], "substitute", new, kind))
                i = j
            else:
                out.append(_Piece(starts[i], ends[i], op, kind=why))
                i += 1
        return out

    def gap_end(k: int) -> int:
        return starts[sents[k + 1][0]] if k + 1 < len(sents) else n_text

    def insert(at: int, key: int) -> list[_Piece]:
        return [_Piece(at, at, "insert", t, "boilerplate") for t in inserts.get(key, ())]

    pieces = [_Piece(0, starts[sents[0][0]], "equal"), *insert(0, -1)]
    for pos, k in enumerate(order):
        if not keep[k]:  # partial copy (never swapped: swaps are between kept sentences)
            pieces.append(_Piece(starts[sents[k][0]], gap_end(k), "delete", kind="partial"))
            continue
        pieces += insert(starts[sents[pos][0]], pos)
        pieces += core(k, moved=pos != k)
        pieces.append(_Piece(ends[sents[pos][1] - 1], gap_end(pos), "equal"))
    return pieces + insert(n_text, len(sents))


def _edits(pieces: list[_Piece]) -> list[Edit]:
    """Merge contiguous equal/move/delete pieces, drop empty ones, add spun offsets."""
    merged: list[_Piece] = []
    for p in pieces:
        if p.o0 == p.o1 and p.op != "insert":
            continue
        last = merged[-1] if merged else None
        if last and last.op == p.op and p.op in ("equal", "move", "delete") and last.o1 == p.o0:
            last.o1 = p.o1
            continue
        merged.append(_Piece(p.o0, p.o1, p.op, p.text, p.kind))
    out: list[Edit] = []
    pos = 0
    for p in merged:
        n = (
            len(p.text)
            if p.op in ("substitute", "insert")
            else (0 if p.op == "delete" else p.o1 - p.o0)
        )
        out.append(Edit(p.o0, p.o1, pos, pos + n, p.op, p.text, p.kind))
        pos += n
    return out
