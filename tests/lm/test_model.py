from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.lm.conftest import TOY_TEXT, toy_sentences
from unspin.lm import DEFAULT_PATH, LanguageModel, load_lm
from unspin.lm.build import BuildConfig, build_model

ROOT = Path(__file__).resolve().parents[2]


def _next_word_mass(lm: LanguageModel, w1: int, w2: int) -> float:
    """Sum over the vocabulary of P(w | w1 w2)."""
    w3 = np.arange(lm.vocab_size)
    lp = lm.logprob(np.full_like(w3, w1), np.full_like(w3, w2), w3)
    return float(np.exp(lp.astype(np.float64)).sum())


def _ids(lm: LanguageModel, text: str) -> list[int]:
    return [int(i) for i in lm.encode(text.split())]


@pytest.mark.parametrize(
    "context",
    [
        "the cat",  # seen trigram context
        "trade talks",  # seen context, several continuations
        "cat on",  # both words seen, context never seen
        "mat garden",  # second word never in the corpus (wordfreq only or unk)
        "<s> <s>",  # sentence start
        "<s> the",
        "<unk> <unk>",
        "<unk> united",  # context only in the symspell bigram list
    ],
)
@pytest.mark.parametrize("model", ["toy", "toy_plain"])
def test_probabilities_sum_to_one(request: pytest.FixtureRequest, model: str, context: str) -> None:
    lm: LanguageModel = request.getfixturevalue(model)
    w1, w2 = _ids(lm, context)
    assert _next_word_mass(lm, w1, w2) == pytest.approx(1.0, abs=1e-4)


def test_symspell_bigrams_add_general_english(toy: LanguageModel, toy_plain: LanguageModel) -> None:
    united, states, house = toy.encode(["united", "states", "house"])
    assert len(toy.bi) > len(toy_plain.bi)
    with_list = toy.bigram_logprob(united, states) - toy.bigram_logprob(united, house)
    without = toy_plain.bigram_logprob(united, states) - toy_plain.bigram_logprob(united, house)
    assert with_list > without


def test_bigram_and_unigram_distributions_normalised(toy: LanguageModel) -> None:
    ids = np.arange(toy.vocab_size)
    assert float(np.exp(toy.unigram_logprob(ids).astype(np.float64)).sum()) == pytest.approx(
        1.0, abs=1e-4
    )
    for w in ("the", "sat", "garden"):
        lp = toy.bigram_logprob(np.full_like(ids, _ids(toy, w)[0]), ids)
        assert float(np.exp(lp.astype(np.float64)).sum()) == pytest.approx(1.0, abs=1e-4)


def test_saved_float16_model_stays_normalised(toy: LanguageModel, tmp_path: Path) -> None:
    toy.save(tmp_path / "m", float_dtype="float16")
    lm = LanguageModel.load(tmp_path / "m")
    assert lm.vocab == toy.vocab
    for context in ("the cat", "cat on", "<s> <s>"):
        w1, w2 = _ids(lm, context)
        assert _next_word_mass(lm, w1, w2) == pytest.approx(1.0, abs=1e-2)
    words = "the cat sat on the mat".split()
    np.testing.assert_allclose(lm.token_logprobs(words), toy.token_logprobs(words), atol=0.02)


def test_seen_trigram_beats_back_off(toy: LanguageModel) -> None:
    the, a, cat, sat, mat = _ids(toy, "the a cat sat mat")
    lp = toy.logprob(np.array([the, a]), np.array([cat, cat]), np.array([sat, sat]))
    # "the cat sat" seen twice > "a cat sat" (unseen trigram, backs off to "cat sat")
    assert lp[0] > lp[1]
    # A seen bigram after an unseen context beats a word never seen after that word.
    lower = toy.logprob(np.array([a, a]), np.array([cat, cat]), np.array([sat, mat]))
    assert lower[0] > lower[1]
    # "a cat" was never a context: P(sat | a cat) is exactly P(sat | cat).
    assert float(toy.logprob(a, cat, sat)) == pytest.approx(float(toy.bigram_logprob(cat, sat)))


def test_relaunch_trade_talks_in_toy(toy: LanguageModel) -> None:
    good = toy.token_logprobs("relaunch trade talks".split()).sum()
    bad = toy.token_logprobs("relaunch replace talks".split()).sum()
    assert good > bad


def test_unknown_words(toy: LanguageModel) -> None:
    ids = toy.encode(["qwxzzy", "garden", "cat"])
    assert ids[0] == toy.unk
    assert ids[1] != toy.unk  # a wordfreq word absent from the corpus keeps its own id
    lp = toy.unigram_logprob(ids)
    assert np.isfinite(lp).all()
    # The frequency prior ranks common unseen words above rare unseen words.
    house, garden = toy.encode(["house", "garden"])
    assert toy.unigram_logprob([house])[0] > toy.unigram_logprob([garden])[0]
    assert "garden" in toy and "qwxzzy" not in toy


def test_encode_numbers_and_case(toy: LanguageModel) -> None:
    ids = toy.encode(["300", "1,000.5", "2017", "5g", "The"])
    assert list(ids[:3]) == [toy.num] * 3
    assert ids[3] != toy.num
    assert ids[4] == toy.encode(["the"])[0]
    assert ids.dtype == np.int32
    assert toy.decode(toy.encode(["the", "cat"])) == ["the", "cat"]


def test_token_logprobs_matches_logprob(toy: LanguageModel) -> None:
    words = "the cat sat on the mat".split()
    ids = toy.encode(words)
    lp = toy.token_logprobs(words, eos=True)
    assert lp.shape == (len(words) + 1,) and lp.dtype == np.float32
    b = toy.bos
    assert lp[0] == pytest.approx(float(toy.logprob(b, b, ids[0])))
    assert lp[2] == pytest.approx(float(toy.logprob(ids[0], ids[1], ids[2])))
    assert lp[-1] == pytest.approx(float(toy.logprob(ids[-2], ids[-1], toy.eos)))
    assert toy.sentence_logprob(words) == pytest.approx(float(lp.sum()), abs=1e-4)


def test_logprob_broadcasts_candidate_batches(toy: LanguageModel) -> None:
    w1 = toy.encode(["relaunch", "the"])[:, None]
    w2 = toy.encode(["trade", "cat"])[:, None]
    cands = np.stack([toy.encode(["talks", "sat", "mat"]), toy.encode(["sat", "mat", "talks"])])
    out = toy.logprob(w1, w2, cands)
    assert out.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            assert out[i, j] == pytest.approx(float(toy.logprob(w1[i, 0], w2[i, 0], cands[i, j])))


def test_build_is_deterministic(tmp_path: Path) -> None:
    config = BuildConfig(wordfreq_top=500)
    for name in ("a", "b"):
        build_model(toy_sentences(), config).save(tmp_path / name)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files and files == sorted(p.name for p in (tmp_path / "b").iterdir())
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_build_script_from_text(tmp_path: Path) -> None:
    src = tmp_path / "toy.txt"
    src.write_text("\n".join(TOY_TEXT), encoding="utf-8")
    out = tmp_path / "model"
    cmd = [sys.executable, str(ROOT / "scripts/build_lm.py"), "--text", str(src)]
    subprocess.run([*cmd, "--out", str(out), "--wordfreq-top", "100"], check=True)
    lm = load_lm(out)
    assert lm.meta["source"] == "text files"
    assert lm.meta["training_sentences"] == len(toy_sentences())
    help_text = subprocess.run(
        [sys.executable, str(ROOT / "scripts/build_lm.py"), "--help"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "--text" in help_text


@pytest.mark.skipif(not (DEFAULT_PATH / "meta.json").exists(), reason="shipped LM not built")
def test_shipped_model_prefers_original_wording() -> None:
    lm = load_lm()
    assert lm is load_lm()  # cached
    assert lm.vocab_size > 100_000
    good = lm.token_logprobs("they plan to relaunch trade talks".split())
    bad = lm.token_logprobs("they plan to relaunch replace talks".split())
    assert good[-2:].sum() > bad[-2:].sum()
    us, usa = (lm.token_logprobs(s.split()).sum() for s in ("the united states", "the usa"))
    assert us > usa


def test_substitution_logprobs_match_token_logprobs(toy: LanguageModel) -> None:
    words = "the us and china relaunch trade talks".split()
    full = toy.token_logprobs(words, eos=True)
    ids = toy.encode(words)
    positions = np.arange(len(words))
    out = toy.substitution_logprobs(words, positions, ids[:, None])
    assert out.shape == (len(words), 1)
    for i in positions:
        expect = full[i : i + 3].sum()  # the token's own trigram and the next two (</s> incl.)
        assert out[i, 0] == pytest.approx(float(expect), abs=1e-4)
    cands = toy.encode(["trade", "replace"])[None, :]
    scores = toy.substitution_logprobs(ids, [5], cands)
    assert scores[0, 0] > scores[0, 1]


def test_perplexity(toy: LanguageModel) -> None:
    sents = toy_sentences()
    lp = np.concatenate([toy.token_logprobs(s, eos=True) for s in sents]).astype(np.float64)
    assert toy.perplexity(sents) == pytest.approx(float(np.exp(-lp.mean())), rel=1e-5)
    assert toy.perplexity(sents) < toy.perplexity([s[::-1] for s in sents])
    assert np.isnan(toy.perplexity([]))


@pytest.mark.parametrize(("start", "end"), [(0, 1), (2, 4), (5, 7), (7, 7)])
def test_replacement_logprobs_equal_sentence_differences(
    toy: LanguageModel, start: int, end: int
) -> None:
    words = "the us and china relaunch trade talks".split()
    cands = [["trade"], ["replace", "the"], [], ["could", "presumably", "perhaps"]]
    out = toy.replacement_logprobs(words, start, end, cands)
    assert out.shape == (len(cands),)
    full = [
        toy.sentence_logprob([*words[:start], *c, *words[end:]]) for c in cands
    ]  # the rest of the sentence is shared, so differences must agree
    for i in range(1, len(cands)):
        assert out[i] - out[0] == pytest.approx(full[i] - full[0], abs=1e-3)


def test_replacement_prefers_the_original_word(toy: LanguageModel) -> None:
    words = "the us and china relaunch replace talks".split()
    trade, replace = toy.replacement_logprobs(words, 5, 6, [["trade"], ["replace"]])
    assert trade > replace
    assert toy.replacement_logprobs(words, 5, 6, []).shape == (0,)


@pytest.mark.parametrize("eos", [False, True])
def test_token_logprobs_many_equals_one_by_one(toy: LanguageModel, eos: bool) -> None:
    sents = [*toy_sentences(), [], ["cat"]]
    many = toy.token_logprobs_many(sents, eos=eos)
    assert len(many) == len(sents)
    for s, lp in zip(sents, many, strict=True):
        np.testing.assert_allclose(lp, toy.token_logprobs(s, eos=eos), rtol=1e-6)
    assert toy.token_logprobs_many([]) == []


def test_pickle_round_trip(toy: LanguageModel, tmp_path: Path) -> None:
    import pickle

    words = "the cat sat".split()
    in_memory = pickle.loads(pickle.dumps(toy))
    np.testing.assert_array_equal(in_memory.token_logprobs(words), toy.token_logprobs(words))
    toy.save(tmp_path / "m")
    loaded = LanguageModel.load(tmp_path / "m")
    blob = pickle.dumps(loaded)
    assert len(blob) < 1000  # only the path travels
    again = pickle.loads(blob)
    np.testing.assert_array_equal(again.token_logprobs(words), loaded.token_logprobs(words))
