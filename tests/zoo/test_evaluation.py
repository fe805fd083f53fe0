"""Evaluation: predictions to cxreval, the validation threshold, saved reports."""

import csv
import json

import keras
import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from test_data_loaders import make_tree

from cxrzoo.data import ImageSet, load_folders, synthetic
from cxrzoo.evaluation import evaluate, predict


class Fixed(keras.layers.Layer):
    """A 'model' whose probability is a fixed function of the image mean: known scores."""

    def call(self, x):
        return keras.ops.mean(x, axis=(1, 2, 3))[:, None] / 255.0


def mean_model(size=8, units=1):
    inputs = keras.Input((size, size, 1))
    p = Fixed()(inputs)
    outputs = p if units == 1 else keras.ops.concatenate([1 - p, p], axis=-1)
    return keras.Model(inputs, outputs, name="mean_model")


class LeftHalf(keras.layers.Layer):
    """Probability = mean of the image's left half / 255: it tells an image from its mirror."""

    def call(self, x):
        half = x.shape[2] // 2
        return keras.ops.mean(x[:, :, :half], axis=(1, 2, 3))[:, None] / 255.0


def left_model(size=8):
    inputs = keras.Input((size, size, 1))
    return keras.Model(inputs, LeftHalf()(inputs), name="left_model")


def halves(pairs, labels, names=("normal", "pneumonia")):
    """8x8 images whose left half is ``a`` and right half ``b`` for each (a, b)."""
    images = np.stack(
        [np.hstack([np.full((8, 4), a, np.uint8), np.full((8, 4), b, np.uint8)]) for a, b in pairs]
    )
    return ImageSet(names, np.asarray(labels), images=images)


def constant_images(values, labels, names=("normal", "pneumonia")):
    images = np.stack([np.full((8, 8), v, np.uint8) for v in values])
    return ImageSet(names, np.asarray(labels), images=images)


def test_binary_report_matches_scores_and_threshold_from_validation():
    test = constant_images([10, 50, 90, 130, 170, 210, 60, 200], [0, 0, 0, 1, 1, 1, 1, 0])
    val = constant_images([20, 40, 100, 160, 180], [0, 0, 0, 1, 1])
    ev = evaluate(mean_model(), {"test": test, "val": val})
    expected = np.array([10, 50, 90, 130, 170, 210, 60, 200]) / 255
    np.testing.assert_allclose(ev.y_score, expected, rtol=1e-6)
    # Youden's J on validation: 160/255 separates it perfectly (highest such threshold)
    assert ev.report.threshold == pytest.approx(160 / 255)
    assert ev.threshold_method == "Youden's J on validation data, n = 5"
    s = ev.report.statistics
    # called positive: score >= 160/255 -> 170, 210, 200 -> TP 2 (170, 210), FP 1 (200)
    assert (s.tp, s.fp, s.fn, s.tn) == (2, 1, 2, 3)
    auc = ev.report.auc["pneumonia"]
    assert auc.auc == pytest.approx(roc_auc_score(test.labels, expected))
    assert auc.method == "DeLong"
    assert "threshold 0.6275 (Youden's J on validation data, n = 5)" in str(ev)
    # sensitivity >= 0.5 on validation: the highest threshold calling one of the two
    # positives positive, 180/255
    strict = evaluate(mean_model(), {"test": test, "val": val}, criterion="sensitivity", target=0.5)
    assert strict.report.threshold == pytest.approx(180 / 255)
    assert strict.threshold_method == "sensitivity >= 0.5 on validation data, n = 5"


def test_given_and_default_thresholds_and_two_column_softmax():
    test = constant_images([10, 50, 130, 170], [0, 0, 1, 1])
    given = evaluate(mean_model(), test, threshold=0.3)
    assert given.report.threshold == 0.3 and given.threshold_method == "given"
    default = evaluate(mean_model(units=2), test)
    assert default.report.threshold == 0.5 and default.threshold_method == "default 0.5"
    np.testing.assert_allclose(default.y_score, np.array([10, 50, 130, 170]) / 255, rtol=1e-6)


def test_multiclass_model():
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1, 2], 10)
    images = rng.integers(0, 255, (30, 8, 8), dtype=np.uint8)
    three = ImageSet(("a", "b", "c"), labels, images=images)
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(3, "softmax")]
    )
    ev = evaluate(model, three)
    assert ev.report.task == "multiclass" and ev.threshold_method == "highest probability"
    assert set(ev.report.auc) == {"a", "b", "c"} and ev.y_score.shape == (30, 3)
    with pytest.raises(ValueError, match=r"the model has 3 output\(s\) but there are 2 classes"):
        evaluate(model, three, class_names=("a", "b"))


def test_files_and_unreadable_images(tmp_path):
    make_tree(tmp_path / "data", {"test": {"NORMAL": 3, "PNEUMONIA": 3}})
    bad = tmp_path / "data" / "test" / "NORMAL" / "broken.png"
    bad.write_bytes(b"\x89PNG broken")
    data = load_folders(tmp_path / "data")
    with pytest.warns(UserWarning, match="1 unreadable image file"):
        ev = evaluate(mean_model(), data, out=tmp_path / "eval")
    assert ev.skipped == (str(bad),) and len(ev.y_true) == 6
    assert "1 unreadable file(s) left out" in str(ev)
    report = json.loads((tmp_path / "eval" / "report" / "report.json").read_text())
    assert report["n"] == 6 and report["positive"] == "PNEUMONIA"
    info = json.loads((tmp_path / "eval" / "evaluation.json").read_text())
    assert info["skipped"] == [str(bad)] and info["threshold_method"] == "default 0.5"
    with open(tmp_path / "eval" / "predictions.csv") as f:
        rows = list(csv.DictReader(f))
    assert [r["true"] for r in rows] == ["NORMAL"] * 3 + ["PNEUMONIA"] * 3
    assert rows[0]["path"].endswith(".png") and "p_PNEUMONIA" in rows[0]
    figures = {p.name for p in (tmp_path / "eval" / "figures").iterdir()}
    assert {"roc_curve.png", "confusion_matrix.png", "reliability_diagram.png"} <= figures
    with pytest.raises(ValueError, match=r"1 unreadable image file\(s\)"):
        evaluate(mean_model(), data, on_error="raise")


def test_trained_model_end_to_end():
    from cxrzoo.training import train

    result = train("szanet", synthetic(40, size=32), input_shape=(32, 32, 1), epochs=1, verbose=0)
    ev = evaluate(result, synthetic(30, size=32, seed=5))
    assert ev.class_names == ("normal", "pneumonia") and ev.report.name == "szanet_gupta"
    with pytest.raises(ValueError, match="data has no 'test' split"):
        evaluate(result, {"a": synthetic(10, size=32), "b": synthetic(10, size=32)})


def test_predict_averages_ensemble_members_and_flip_views():
    pairs = [(0, 200), (100, 50), (255, 255), (30, 90)]
    data = halves(pairs, [0, 1, 1, 0])
    a, b = np.array(pairs, float).T
    left = predict(left_model(), data)
    np.testing.assert_allclose(left.y_score[:, 0], a / 255, rtol=1e-6)
    assert (left.n_models, left.tta, left.y_true.tolist()) == (1, None, [0, 1, 1, 0])
    # the mirror image's left half is the original's right half
    flipped = predict(left_model(), data, tta="flip")
    np.testing.assert_allclose(flipped.y_score[:, 0], (a + b) / 2 / 255, rtol=1e-6)
    # ensemble: mean of the image-mean model, (a + b) / 2, and the left-half model, a
    both = predict([mean_model(), left_model()], data)
    np.testing.assert_allclose(both.y_score[:, 0], ((a + b) / 2 + a) / 2 / 255, rtol=1e-6)
    assert both.n_models == 2
    both_flipped = predict([mean_model(), left_model()], data, tta="flip")
    np.testing.assert_allclose(both_flipped.y_score[:, 0], (a + b) / 2 / 255, rtol=1e-6)


def test_evaluate_an_ensemble_with_flip_tta_chooses_the_threshold_the_same_way():
    test = halves([(0, 40), (60, 20), (200, 120), (90, 250)], [0, 0, 1, 1])
    val = halves([(10, 30), (120, 140), (40, 0), (250, 170)], [0, 1, 0, 1])
    ev = evaluate([left_model(), mean_model()], {"test": test, "val": val}, tta="flip")
    # flip TTA makes both models the image mean: test (20, 40, 160, 170) / 255
    np.testing.assert_allclose(ev.y_score, np.array([20, 40, 160, 170]) / 255, rtol=1e-6)
    # validation means 20, 130, 20, 210: Youden's J picks 130/255 (sensitivity 1, spec. 1)
    assert ev.report.threshold == pytest.approx(130 / 255)
    assert ev.report.name == "mean of left_model + mean_model, flip TTA"
    plain = evaluate(left_model(), {"test": test, "val": val})
    np.testing.assert_allclose(plain.y_score, np.array([0, 60, 200, 90]) / 255, rtol=1e-6)


def test_predict_rejects_bad_input():
    data = halves([(0, 1), (2, 3)], [0, 1])
    with pytest.raises(ValueError, match=r"tta must be None or one of \['flip'\], got 'rotate'"):
        predict(left_model(), data, tta="rotate")
    with pytest.raises(ValueError, match=r"same number of outputs, got \[1, 2\]"):
        predict([mean_model(), mean_model(units=2)], data)
    with pytest.raises(ValueError, match="an ensemble needs at least one model"):
        predict([], data)
    with pytest.raises(TypeError, match="a TrainResult or a sequence of them, got str"):
        evaluate(["szanet"], data)


def test_data_with_other_class_names_than_the_model_is_refused():
    model_names = ("normal", "pneumonia")
    test = constant_images([10, 20, 200, 250], [0, 0, 1, 1], names=("bacteria", "virus"))
    with pytest.raises(ValueError) as error:
        evaluate(mean_model(), test, class_names=model_names)
    assert str(error.value) == (
        "data has the classes ['bacteria', 'virus'], the model ['normal', 'pneumonia']: they "
        "must be the same names in the same order (case aside), or every AUC would be "
        "computed against the wrong class"
    )
    swapped = constant_images([10, 20, 200, 250], [1, 1, 0, 0], names=("pneumonia", "normal"))
    with pytest.raises(ValueError, match=r"^data has the classes \['pneumonia', 'normal'\]"):
        evaluate(mean_model(), swapped, class_names=model_names)
    upper = constant_images([10, 20, 200, 250], [0, 0, 1, 1], names=("NORMAL", "Pneumonia"))
    ev = evaluate(mean_model(), upper, class_names=model_names)  # case aside: the same
    assert ev.report.auc["pneumonia"].auc == 1.0  # every pneumonia image is brighter
    with pytest.raises(ValueError, match=r"^val_data has the classes \['pneumonia', 'normal'\]"):
        evaluate(mean_model(), upper, val_data=swapped, class_names=model_names)
