"""The tree ensemble evaluates as scikit-learn does, and survives the JSON round trip."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from unspin.despin.decide import FEATURES, DecisionModel, load_decision
from unspin.detect.trees import TreeEnsemble, json_text


def _fitted(seed: int = 0) -> tuple[HistGradientBoostingClassifier, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3000, 5))
    y = ((x[:, 0] * x[:, 1] > 0.2) | (x[:, 2] > 1.5)).astype(int)
    x[rng.random(x.shape) < 0.05] = np.nan  # NaN routes are part of the trees
    clf = HistGradientBoostingClassifier(max_iter=30, max_depth=4, random_state=0)
    return clf.fit(x, y), x


def test_decision_matches_sklearn_with_missing_values() -> None:
    clf, x = _fitted()
    trees = TreeEnsemble.from_sklearn(clf)
    probe = np.random.default_rng(1).normal(size=(500, 5))
    probe[::7, 2] = np.nan
    probe[::11, 0] = np.nan
    assert trees.depth == 4
    assert len(trees.roots) == clf.n_iter_
    np.testing.assert_allclose(trees.decision(probe), clf.decision_function(probe), atol=1e-9)
    np.testing.assert_allclose(trees.decision(x), clf.decision_function(x), atol=1e-9)


@pytest.mark.parametrize("block", [1, 29, 64, 1 << 17])
def test_decision_is_the_same_in_blocks_of_any_size(
    monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    import unspin.detect.trees as trees_mod

    clf, x = _fitted()
    trees = TreeEnsemble.from_sklearn(clf)
    monkeypatch.setattr(trees_mod, "BLOCK", block)  # 1: a row a block; 29: a part of the trees
    probe = x[:997]  # not a multiple of any block; NaN in places
    np.testing.assert_allclose(trees.decision(probe), clf.decision_function(probe), atol=1e-9)


def test_decision_refuses_rows_with_too_few_features() -> None:
    trees = TreeEnsemble.from_sklearn(_fitted()[0])
    with pytest.raises(ValueError, match="columns"):
        trees.decision(np.zeros((3, 2)))


def test_fit_exports_the_classifier_it_fits() -> None:
    clf, x = _fitted(3)
    y = clf.predict(x)  # any labels will do; the same for both fits
    params = {"max_iter": 10, "max_depth": 3, "random_state": 0}
    fitted = TreeEnsemble.fit(x, y, params)
    direct = TreeEnsemble.from_sklearn(HistGradientBoostingClassifier(**params).fit(x, y))
    np.testing.assert_array_equal(fitted.decision(x), direct.decision(x))
    assert fitted.depth <= 3 and len(fitted.roots) <= 10


def test_json_round_trip_keeps_every_value() -> None:
    clf, x = _fitted(2)
    trees = TreeEnsemble.from_sklearn(clf)
    back = TreeEnsemble.from_dict(json.loads(json.dumps(trees.to_dict())))
    np.testing.assert_array_equal(back.decision(x), trees.decision(x))
    assert back.threshold.tobytes() == trees.threshold.tobytes()


def test_a_link_outside_the_arrays_is_refused() -> None:
    d = TreeEnsemble.from_sklearn(_fitted()[0]).to_dict()
    d["left"][0] = len(d["left"])
    with pytest.raises(ValueError, match="outside"):
        TreeEnsemble.from_dict(d)


def test_decision_wants_rows() -> None:
    trees = TreeEnsemble.from_sklearn(_fitted()[0])
    with pytest.raises(ValueError, match="2-d"):
        trees.decision(np.zeros(5))
    assert trees.decision(np.zeros((0, 5))).shape == (0,)


def test_decision_model_with_trees_saves_and_loads(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2000, len(FEATURES)))
    y = (x[:, 0] + 0.5 * x[:, 3] ** 2 > 1).astype(int)
    clf = HistGradientBoostingClassifier(max_iter=20, max_depth=3, random_state=0).fit(x, y)
    n = len(FEATURES)
    linear = DecisionModel((0.0,) * n, (1.0,) * n, (0.5,) * n, -1.0, threshold=0.45)
    model = replace(linear, trees=TreeEnsemble.from_sklearn(clf))
    path = tmp_path / "decision.json"
    model.save(path)
    back = DecisionModel.load(path)
    assert back.trees is not None and back.threshold == 0.45
    np.testing.assert_array_equal(back.logit(x), model.logit(x))
    np.testing.assert_allclose(back.logit(x), clf.decision_function(x), atol=1e-9)
    assert not np.allclose(back.logit(x), linear.logit(x))  # the trees decide, not the line
    assert back.gain_weight == linear.gain_weight  # joint choices weigh LM gain linearly
    assert len(path.read_text().splitlines()) < 60  # model arrays take a line each
    linear.save(tmp_path / "linear.json")
    assert DecisionModel.load(tmp_path / "linear.json") == linear


def test_the_shipped_model_has_trees() -> None:
    model = load_decision()
    assert model.trees is not None
    x = np.zeros((3, len(FEATURES)))
    assert np.isfinite(model.logit(x)).all()


def test_json_text_keeps_number_arrays_on_one_line() -> None:
    data = {
        "b": {"long": list(range(20)), "floats": [0.1] * 9},
        "short": [1, 2],
        "words": ["x"] * 9,
    }
    text = json_text(data)
    assert json.loads(text) == data
    assert '"long": [0,1,2,3' in text and '"floats": [0.1,0.1' in text
    assert '"short": [\n' in text and '"words": [\n' in text  # short or not numbers: indented
    assert list(json.loads(json_text(data, sort_keys=True))) == ["b", "short", "words"]


def test_predict_proba_is_the_logistic_of_the_decision() -> None:
    clf, x = _fitted()
    trees = TreeEnsemble.from_sklearn(clf)
    np.testing.assert_allclose(trees.predict_proba(x), clf.predict_proba(x)[:, 1], atol=1e-9)
    assert TreeEnsemble.is_dict(trees.to_dict()) and not TreeEnsemble.is_dict({"coef": []})
