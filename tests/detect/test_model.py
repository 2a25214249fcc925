"""The shipped detector on the seeds, its calibration and its evidence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from unspin.detect import check_text
from unspin.detect.evidence import gather, load_resources
from unspin.detect.model import Calibration, SpinDetector, load_detector


@pytest.fixture(scope="module")
def seed000(spun_text: str):  # type: ignore[no-untyped-def]
    return check_text(spun_text, id="000")


def test_seed_000_is_spun_with_its_substitutions(seed000, spun_text: str) -> None:  # type: ignore[no-untyped-def]
    assert seed000.label == "spun" and seed000.spin_probability > 0.9
    marked: dict[str, set[str]] = {}
    for sp in seed000.spans:
        marked.setdefault(sp.text.lower(), set()).add((sp.original or "").lower())
    for word, original in (("replace", "trade"), ("acknowledged", "said")):
        assert original in marked.get(word, set()), sorted(marked)
    joined = " | ".join(marked)
    # multi-word substitutions: the padding "Chinese language" and the spun "May"
    assert "chinese language" in joined or "language" in joined, joined
    assert any(w in joined for w in ("presumably", "perhaps")), joined
    for sp in seed000.spans:
        assert spun_text[sp.start : sp.end] == sp.text


def test_seed_004_is_clean(related_text: str) -> None:
    r = check_text(related_text, id="004")
    assert r.label == "clean" and r.spin_probability < 0.5


def test_calibration_is_monotone_and_bounded() -> None:
    det = load_detector()
    assert det.calibration is not None
    s = np.linspace(-50, 50, 2001)
    p = det.calibration(s)
    assert np.all((p >= 0) & (p <= 1)) and np.all(np.diff(p) >= 0)
    assert 0.0 < det.threshold < 1.0


def test_calibration_fit_recovers_a_slope() -> None:
    rng = np.random.default_rng(0)
    scores = rng.normal(size=4000)
    labels = (rng.random(4000) < 1 / (1 + np.exp(-2 * scores))).astype(int)
    cal = Calibration.fit(scores, labels)
    assert 1.6 < cal.a < 2.4 and abs(cal.b) < 0.2


def test_gains_are_finite_and_one_per_option(spun_text: str) -> None:
    ev = gather(spun_text)
    assert ev.sites and len(ev.logp) == len(ev.tokens)
    for site in ev.sites:
        assert len(site.gains) == len(site.options) == len(site.sources) == len(site.hops)
        assert np.all(np.isfinite(site.gains))
        assert 0 <= site.first < site.last <= len(ev.tokens)


def test_gain_matches_a_direct_rescoring(spun_text: str) -> None:
    """A same-length option's gain is the change of the sentence's log-probability."""
    res = load_resources()
    lm = res.lm
    ev = gather(spun_text, res)
    site = next(s for s in ev.sites if s.last - s.first == 1 and len(s.options[0].split()) == 1)
    a, b = next((a, b) for a, b in ev.sentences if a <= site.first < b)
    words = [w.lower() for w in ev.tokens.lower[a:b]]
    new = [*words]
    new[site.first - a] = site.options[0].lower()
    before = lm.token_logprobs(words, eos=True).sum()  # type: ignore[attr-defined]
    after = lm.token_logprobs(new, eos=True).sum()  # type: ignore[attr-defined]
    assert site.gains[0] == pytest.approx(after - before, abs=1e-2)


def test_short_texts_carry_a_warning(related_text: str) -> None:
    words = related_text.split()
    short = check_text(" ".join(words[:60]))
    assert short.spin_probability is not None  # scored, with a caveat
    assert any(w.startswith("short text (") for w in short.warnings), short.warnings
    whole = check_text(related_text)
    assert not any(w.startswith("short text") for w in whole.warnings)


def test_threshold_cut_holds_in_every_calibration_group() -> None:
    from unspin.detect.model import _fpr_cut

    rng = np.random.default_rng(0)
    whole, short = rng.uniform(0, 0.6, 300), rng.uniform(0, 0.9, 200)
    # at most 1% of each group reach the threshold just above its cut
    for neg in (whole, short):
        cut = _fpr_cut(neg, 0.01)
        assert np.count_nonzero(neg > cut) <= 0.01 * len(neg) < np.count_nonzero(neg >= cut)
    assert _fpr_cut(np.zeros(0), 0.01) == 0.5
    # the grouped threshold is the strictest group's: pooled, the short texts would leak
    pooled = _fpr_cut(np.concatenate([whole, short]), 0.01)
    assert pooled < _fpr_cut(short, 0.01) == max(_fpr_cut(whole, 0.01), _fpr_cut(short, 0.01))


def _synthetic_docs(seed: int, n: int) -> tuple[list[np.ndarray], list[np.ndarray], list[int]]:
    """Token-feature matrices where substituted tokens differ in a non-linear way."""
    from unspin.detect.features import TOKEN_FEATURES

    rng = np.random.default_rng(seed)
    xs, ys, labels = [], [], []
    for i in range(n):
        spun = i % 2
        x = rng.normal(size=(60, len(TOKEN_FEATURES))).astype(np.float32)
        y = (spun & (rng.random(60) < 0.3)).astype(np.int8)
        x[y == 1, 0] = np.abs(x[y == 1, 0]) + 2.0 * rng.choice([-1, 1], size=int(y.sum()))
        xs.append(x)
        ys.append(y)
        labels.append(spun)
    return xs, ys, labels


def test_a_tree_token_model_fits_saves_and_loads(tmp_path: Path) -> None:
    from unspin.detect.model import SpinDetector
    from unspin.detect.trees import TreeEnsemble

    tx, ty, td = _synthetic_docs(0, 120)
    cx, cy, cd = _synthetic_docs(1, 80)
    trees = {"max_iter": 20, "max_depth": 3, "random_state": 0}
    det = SpinDetector().fit(
        tx, ty, td, calib_x=cx, calib_token_y=cy, calib_y=cd, token_trees=trees
    )
    linear = SpinDetector().fit(tx, ty, td, calib_x=cx, calib_token_y=cy, calib_y=cd)
    assert isinstance(det.token_model, TreeEnsemble) and det.meta["token_model"] == {"trees": trees}
    # |x0| ~ 2 marks a substituted token: trees see it, a line through x0 cannot
    x, y = np.concatenate(cx), np.concatenate(cy).astype(bool)
    tree_p, line_p = det.token_model.predict_proba(x), linear.token_model.predict_proba(x)  # type: ignore[union-attr]
    assert tree_p[y].mean() - tree_p[~y].mean() > 2 * (line_p[y].mean() - line_p[~y].mean())
    det.save(tmp_path / "det.json")
    back = SpinDetector.load(tmp_path / "det.json")
    assert isinstance(back.token_model, TreeEnsemble) and back.threshold == det.threshold
    np.testing.assert_array_equal(back.token_model.predict_proba(x), tree_p)
    assert len((tmp_path / "det.json").read_text().splitlines()) < 120  # arrays on one line


def test_a_model_trained_on_other_token_features_is_refused(tmp_path: Path) -> None:
    from unspin.detect.model import DEFAULT_MODEL

    data = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    SpinDetector.load(DEFAULT_MODEL)  # the shipped one matches
    data["meta"]["token_features"] = [*data["meta"]["token_features"], "new_feature"]
    path = tmp_path / "detector.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="other token features"):
        SpinDetector.load(path)


ABSTRACT = (
    "In this paper we propose a novel approach based on counterfeit consciousness and profound "
    "learning for the classification of medical images. Our technique uses an irregular "
    "woodland classifier together with a convolutional neural organization trained on a large "
    "dataset. The results show that the proposed strategy outperforms existing strategies in "
    "terms of precision and review. We also discuss the limitations of our approach and "
    "outline directions for future work on enormous information analytics in the Internet of "
    "Things."
)


def test_tortured_phrases_make_a_scientific_text_spun() -> None:
    from unspin.detect.model import FINGERPRINT_PROB

    res = check_text(ABSTRACT)
    assert res.label == "spun" and res.spin_probability == pytest.approx(FINGERPRINT_PROB)
    spans = {s.text: s for s in res.spans}
    assert spans["counterfeit consciousness"].original == "artificial intelligence"
    assert spans["profound learning"].original == "deep learning"  # not the padding "learning"
    assert spans["convolutional neural organization"].original == "convolutional neural network"
    woodland = spans["irregular woodland"]  # no flagged token: a span of its own
    assert woodland.original == "random forest" and woodland.score is None
    assert "Problematic Paper Screener" in (woodland.evidence or "")
    for s in res.spans:
        assert ABSTRACT[s.start : s.end] == s.text


def test_one_tortured_phrase_leaves_the_probability_to_the_model() -> None:
    from unspin.detect.model import tortured_phrases

    text = (
        ABSTRACT.replace("profound learning", "deep learning")
        .replace("irregular woodland", "random forest")
        .replace("neural organization", "neural network")
    )
    det = load_detector()
    ev = det.evidence(text)
    assert [f.surface for f in tortured_phrases(ev)] == ["counterfeit consciousness"]
    prob, _, _ = det.score_evidence(ev, det.resources())
    res = check_text(text)
    assert res.spin_probability == pytest.approx(prob, abs=1e-4) and prob < 0.99


def test_overlapping_tortured_phrases_count_once() -> None:
    from unspin.detect.model import is_fingerprinted, tortured_phrases

    # "convolutional neural organization" holds "neural organization": one phrase, not two
    text = ABSTRACT.replace("counterfeit consciousness", "artificial intelligence")
    text = text.replace("profound learning", "deep learning").replace(
        "irregular woodland", "random forest"
    )
    found = tortured_phrases(gather(text))
    assert [f.surface for f in found] == ["convolutional neural organization"]
    assert not is_fingerprinted(found)


def test_detection_reads_the_shipped_and_the_users_learned_pairs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 6: the learned-pairs store is read by the detector too, so a spinner traced
    # before is recognised; the shipped detector was trained with (cross-fitted) pairs
    from unspin.lexicon.learned import LearnedStore

    det = load_detector()
    assert det.meta.get("learned")
    text = "The minister gloriously rejected the plan on Monday, officials told reporters."

    def learned_at(word: str) -> set[str]:
        ev = det.evidence(text)
        at = ev.tokens.lower.index(word)
        return {
            o
            for s in ev.sites
            if s.first == at
            for o, src in zip(s.options, s.sources, strict=True)
            if "learned" in src
        }

    monkeypatch.setenv("UNSPIN_STORE", str(tmp_path / "none.sqlite"))
    assert "firmly" not in learned_at("gloriously")
    store = tmp_path / "learned.sqlite"
    with LearnedStore(store) as st:
        st.add([("gloriously", "firmly")] * 3)
    monkeypatch.setenv("UNSPIN_STORE", str(store))
    assert "firmly" in learned_at("gloriously")
    assert det.resources() is det.resources()  # one per store state: caches stay warm


def test_short_texts_get_a_stricter_threshold(tmp_path: Path, related_text: str) -> None:
    det = load_detector()
    assert det.short_thresholds and [b for b, _ in det.short_thresholds] == [80, 150]
    assert all(t >= det.threshold for _, t in det.short_thresholds)
    assert det.threshold_for(60) == det.short_thresholds[0][1]
    assert det.threshold_for(120) == det.short_thresholds[1][1]
    assert det.threshold_for(150) == det.threshold_for(5000) == det.threshold
    det.save(tmp_path / "d.json")
    assert SpinDetector.load(tmp_path / "d.json").short_thresholds == det.short_thresholds


class _Fixed:
    """A scorer that calls every text 0.9, with a stricter threshold under 150 words."""

    name = "fixed"
    threshold = 0.85

    def threshold_for(self, n_words: int) -> float:
        return 0.95 if n_words < 150 else self.threshold

    def score(self, tokens):  # type: ignore[no-untyped-def]
        return 0.9, []


def test_the_label_uses_the_threshold_of_the_texts_length(related_text: str) -> None:
    words = related_text.split()
    short, long = " ".join(words[:100]), " ".join(words[:300])
    assert check_text(short, scorer=_Fixed()).label == "clean"
    assert check_text(long, scorer=_Fixed()).label == "spun"
    assert check_text(short, scorer=_Fixed(), threshold=0.85).label == "spun"  # --threshold
