"""statmaker against hand-worked values and scikit-learn on random matrices."""

import json
import pickle
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn import metrics

from cxreval._statistics import AVERAGED_KEYS, BINARY_KEYS
from cxreval.confusion import confusion_matrix
from cxreval.exceptions import UndefinedStatisticWarning
from cxreval.intervals import proportion_ci, ratio_ci
from cxreval.statmaker import (
    BinaryStatistics,
    MulticlassStatistics,
    binary_intervals,
    binary_statistics,
    statmaker,
    statmaker_from_predictions,
)

ARCH2 = [[174, 60], [40, 350]]  # 000's "Arch 2": [[TN, FP], [FN, TP]]


def expand(cm):
    """(y_true, y_pred) pairs with the counts of ``cm`` (rows true, columns predicted)."""
    cm = np.asarray(cm)
    k = cm.shape[0]
    y_true = np.repeat(np.repeat(np.arange(k), k), cm.ravel())
    y_pred = np.repeat(np.tile(np.arange(k), k), cm.ravel())
    return y_true, y_pred


@st.composite
def matrices(draw, min_k=2, max_k=5, max_count=40):
    k = draw(st.integers(min_k, max_k))
    flat = draw(st.lists(st.integers(0, max_count), min_size=k * k, max_size=k * k))
    cm = np.array(flat).reshape(k, k)
    assume(cm.sum() > 0)
    return cm


# --------------------------------------------------------------------- worked example


def test_binary_worked_example_by_hand():
    tp, fp, fn, tn = 350, 60, 40, 174
    n = 624
    s = statmaker(ARCH2)
    expected = {
        "tp": 350,
        "fp": 60,
        "fn": 40,
        "tn": 174,
        "n": 624,
        "prevalence": 390 / n,
        "accuracy": 524 / n,
        "recall": 350 / 390,
        "specificity": 174 / 234,
        "precision": 350 / 410,
        "npv": 174 / 214,
        "fpr": 60 / 234,
        "fnr": 40 / 390,
        "fdr": 60 / 410,
        "false_omission_rate": 40 / 214,
        "f1": 700 / 800,
        "mcc": (tp * tn - fp * fn) / np.sqrt(410 * 390 * 234 * 214),
        "youden_j": 350 / 390 + 174 / 234 - 1,
        "markedness": 350 / 410 + 174 / 214 - 1,
        "lr_positive": (350 / 390) / (60 / 234),
        "lr_negative": (40 / 390) / (174 / 234),
        "diagnostic_odds_ratio": (350 * 174) / (60 * 40),
        "balanced_accuracy": (350 / 390 + 174 / 234) / 2,
        "auc_single_point": (350 / 390 + 174 / 234) / 2,
    }
    p_o = 524 / n
    p_e = (410 * 390 + 214 * 234) / n**2
    expected["cohen_kappa"] = (p_o - p_e) / (1 - p_e)
    for key, value in expected.items():
        assert s[key] == pytest.approx(value, rel=1e-12), key
    assert s.sensitivity == s.tpr == s.recall
    assert s.tnr == s.specificity
    assert s.ppv == s.precision
    assert list(s.keys()) == list(BINARY_KEYS)
    assert isinstance(s, BinaryStatistics)
    assert s.positive == 1 and s.labels == (0, 1)


def test_every_proportion_carries_its_interval_and_method():
    s = statmaker(ARCH2, level=0.9, ci_method="clopper-pearson")
    low, high = proportion_ci(350, 390, level=0.9, ci_method="clopper-pearson")
    assert s.ci["recall"] == (float(low), float(high))
    assert s.ci["sensitivity"] == s.ci["recall"]
    low, high = proportion_ci(174, 214, level=0.9, ci_method="clopper-pearson")
    assert s.ci["npv"] == (float(low), float(high))
    low, high = ratio_ci(350, 60, 40, 174, statistic="lr_negative", level=0.9)
    assert s.ci["lr_negative"] == (float(low), float(high))
    proportions = {
        "prevalence", "accuracy", "recall", "specificity", "precision", "npv",
        "fpr", "fnr", "fdr", "false_omission_rate",
    }  # fmt: skip
    for key in proportions:
        assert s.ci_methods[key] == "Clopper-Pearson"
        assert s.ci[key][0] <= s[key] <= s.ci[key][1]
    assert s.ci_methods["diagnostic_odds_ratio"] == "log (Woolf)"
    assert s.ci_methods["lr_positive"] == "log (Simel)"


def test_table_names_methods_level_and_single_point_auc():
    text = str(statmaker(ARCH2, level=0.9))
    assert "90% CI" in text and "Wilson" in text and "log (Simel)" in text
    assert "not a ranking AUC" in text
    assert "0.8974" in text and "0.8750" in text  # 4 decimals, trailing zeros kept
    assert "[[TN, FP], [FN, TP]]" in text


def test_positive_swaps_the_roles():
    s = statmaker(ARCH2, labels=["NORMAL", "PNEUMONIA"], pos_label="NORMAL")
    assert (s.tp, s.fp, s.fn, s.tn) == (174, 40, 60, 350)
    # the positive class is the first row/column now: the table names that layout
    assert "[[TP, FN], [FP, TN]]" in s.table() and "[[TN, FP]" not in s.table()
    assert "[[TN, FP], [FN, TP]]" in statmaker(ARCH2, pos_label=1).table()
    flipped = statmaker([[350, 40], [60, 174]])
    for key in BINARY_KEYS:
        assert s[key] == pytest.approx(flipped[key], nan_ok=True)


def test_fbeta_any_beta_matches_sklearn():
    y_true, y_pred = expand(ARCH2)
    s = statmaker(ARCH2)
    for beta in (0.5, 1, 2, 3.7):
        assert s.fbeta(beta) == pytest.approx(metrics.fbeta_score(y_true, y_pred, beta=beta))
    assert s.fbeta(1) == pytest.approx(s.f1)


def test_to_dict_is_json_ready_and_complete():
    s = statmaker(ARCH2, labels=np.array(["NORMAL", "PNEUMONIA"]))
    d = json.loads(json.dumps(s.to_dict()))
    assert d["kind"] == "binary" and d["positive"] == "PNEUMONIA"
    assert d["confusion_matrix"] == ARCH2
    assert d["statistics"]["f1"] == pytest.approx(0.875)
    assert d["ci_methods"]["recall"] == "Wilson" and d["level"] == 0.95
    assert set(d["statistics"]) == set(BINARY_KEYS)


def test_result_is_frozen_pickles_and_unknown_names_fail():
    s = statmaker(ARCH2)
    again = pickle.loads(pickle.dumps(s))
    assert again.to_dict() == s.to_dict() and again.recall == s.recall
    with pytest.raises(AttributeError, match="no statistic 'auc'"):
        s.auc
    with pytest.raises(KeyError):
        s["auc"]
    with pytest.raises(AttributeError):
        s.level = 0.5


# ---------------------------------------------------------- against scikit-learn


@settings(max_examples=50)
@given(cm=matrices())
def test_per_class_and_averages_match_sklearn(cm):
    y_true, y_pred = expand(cm)
    k = cm.shape[0]
    labels = list(range(k))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = statmaker(cm, zero_division=np.nan)  # binary result when k == 2
        for beta in (0.5, 1.0, 2.0):
            for avg in (None,) if k == 2 else (None, "macro", "micro", "weighted"):
                prec, rec, fbeta, _ = metrics.precision_recall_fscore_support(
                    y_true, y_pred, beta=beta, labels=labels, average=avg, zero_division=np.nan
                )
                if k == 2:  # the binary result is the positive class, label 1
                    np.testing.assert_allclose(
                        [s.precision, s.recall, s.fbeta(beta)],
                        [prec[1], rec[1], fbeta[1]],
                        rtol=1e-12,
                    )
                    continue
                np.testing.assert_allclose(s.fbeta(beta, average=avg), fbeta, rtol=1e-12)
                if avg is None:
                    np.testing.assert_allclose(s.per_class["precision"], prec, rtol=1e-12)
                    np.testing.assert_allclose(s.per_class["recall"], rec, rtol=1e-12)
                elif beta == 1.0:
                    np.testing.assert_allclose(s[f"{avg}_precision"], prec, rtol=1e-12)
                    np.testing.assert_allclose(s[f"{avg}_recall"], rec, rtol=1e-12)
                    np.testing.assert_allclose(s[f"{avg}_f1"], fbeta, rtol=1e-12)
        kappa = metrics.cohen_kappa_score(y_true, y_pred, labels=labels)
        np.testing.assert_allclose(s.cohen_kappa, kappa, rtol=1e-9, atol=1e-12)
        mcc = metrics.matthews_corrcoef(y_true, y_pred)
        if np.isnan(s.mcc):  # undefined; scikit-learn reports 0.0 there
            assert mcc == 0.0
        else:
            np.testing.assert_allclose(s.mcc, mcc, rtol=1e-9, atol=1e-12)
        if k > 2:
            bal = metrics.balanced_accuracy_score(y_true, y_pred)
            np.testing.assert_allclose(s.balanced_accuracy, bal, rtol=1e-12)
            np.testing.assert_allclose(s.accuracy, metrics.accuracy_score(y_true, y_pred))


@settings(max_examples=80)
@given(cm=matrices(max_k=2))
def test_binary_matches_sklearn(cm):
    assume(cm[1].sum() > 0 and cm[0].sum() > 0)  # both classes present, as sklearn needs
    y_true, y_pred = expand(cm)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = statmaker(cm, zero_division=np.nan)
        bal = metrics.balanced_accuracy_score(y_true, y_pred)
        lr_pos, lr_neg = metrics.class_likelihood_ratios(y_true, y_pred, labels=[0, 1])
        spec = metrics.recall_score(y_true, y_pred, pos_label=0, zero_division=np.nan)
        npv = metrics.precision_score(y_true, y_pred, pos_label=0, zero_division=np.nan)
    np.testing.assert_allclose(s.balanced_accuracy, bal, rtol=1e-12)
    np.testing.assert_allclose(s.auc_single_point, bal, rtol=1e-12)
    np.testing.assert_allclose(s.specificity, spec, rtol=1e-12)
    np.testing.assert_allclose(s.npv, npv, rtol=1e-12)
    np.testing.assert_allclose(s.accuracy, metrics.accuracy_score(y_true, y_pred))
    # scikit-learn also calls LR+ undefined when LR- is (tn = 0); compare where both agree
    if np.isfinite(lr_pos):
        np.testing.assert_allclose(s.lr_positive, lr_pos, rtol=1e-12)
    if np.isfinite(lr_neg):
        np.testing.assert_allclose(s.lr_negative, lr_neg, rtol=1e-12)


@settings(max_examples=50)
@given(cm=matrices(min_k=3))
def test_vectorized_counts_equal_per_entry_calls(cm):
    tp, fp, fn, tn = (np.diag(cm), cm.sum(0) - np.diag(cm), cm.sum(1) - np.diag(cm), None)
    tn = cm.sum() - tp - fp - fn
    vec = binary_statistics(tp, fp, fn, tn, zero_division=np.nan)
    vec_ci = binary_intervals(tp, fp, fn, tn)
    for i in range(len(tp)):
        one = binary_statistics(tp[i], fp[i], fn[i], tn[i], zero_division=np.nan)
        one_ci = binary_intervals(tp[i], fp[i], fn[i], tn[i])
        for key in BINARY_KEYS:
            np.testing.assert_equal(vec[key][i], one[key])
        for key, (low, high) in one_ci.items():
            np.testing.assert_equal((vec_ci[key][0][i], vec_ci[key][1][i]), (low, high))


def test_bootstrap_shaped_counts():
    rng = np.random.default_rng(0)
    tp = rng.integers(1, 50, size=(4, 3))
    out = binary_statistics(tp, tp + 1, tp + 2, tp + 3)
    assert out["f1"].shape == (4, 3)
    np.testing.assert_allclose(out["recall"], tp / (2 * tp + 2))


# ------------------------------------------------------------- multi-class result


def test_multiclass_result_and_for_class():
    cm = [[5, 1, 0], [2, 6, 1], [0, 1, 4]]
    m = statmaker(cm, labels=["a", "b", "c"])
    assert isinstance(m, MulticlassStatistics)
    for avg in ("macro", "micro", "weighted"):
        for key in AVERAGED_KEYS:
            assert f"{avg}_{key}" in m
    assert m.micro_precision == pytest.approx(m.accuracy) == pytest.approx(15 / 20)
    b = m.for_class("b")
    assert (b.tp, b.fp, b.fn, b.tn) == (6, 2, 3, 9)
    assert b.recall == pytest.approx(m.per_class["recall"][1])
    assert m.ci["accuracy"] == tuple(float(v) for v in proportion_ci(15, 20))
    d = json.loads(json.dumps(m.to_dict()))
    assert d["per_class"]["c"]["precision"] == pytest.approx(4 / 5)
    assert d["per_class_ci"]["a"]["recall"][0] == pytest.approx(m.per_class_ci["recall"][0][0])
    ax = m.plot()
    assert len(ax.texts) == 9 and "6\n66.7%" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)
    text = m.table()
    assert "macro avg" in text and "weighted avg" in text and "one-vs-rest" in text
    assert "mcc (multi-class)" in text
    with pytest.raises(ValueError, match="label='z' is not one of labels"):
        m.for_class("z")
    with pytest.raises(ValueError, match="average must be"):
        m.fbeta(1, average="samples")


# ------------------------------------------------------------------ zero_division


def test_undefined_precision_warns_and_is_nan():
    cm = [[10, 0], [5, 0]]  # nothing predicted positive
    with pytest.warns(UndefinedStatisticWarning, match=r"precision.*zero_division="):
        s = statmaker(cm)
    assert np.isnan(s.precision) and np.isnan(s.mcc) and np.isnan(s.lr_positive)
    assert s.f1 == 0.0  # defined: TP + FP + FN > 0
    assert "NaN" in s.table()


@pytest.mark.parametrize("zero_division", [0.0, 1.0])
def test_zero_division_value_matches_sklearn(zero_division):
    cm = [[10, 0], [5, 0]]
    y_true, y_pred = expand(cm)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = statmaker(cm, zero_division=zero_division)
    assert s.precision == metrics.precision_score(y_true, y_pred, zero_division=zero_division)
    assert s.fdr == zero_division


def test_zero_division_nan_is_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = statmaker([[10, 0], [5, 0]], zero_division=np.nan)
    assert np.isnan(s.precision)


def test_multiclass_warning_names_the_class():
    with pytest.warns(UndefinedStatisticWarning, match=r"recall \(class 'c'\)"):
        m = statmaker([[5, 1, 0], [2, 6, 1], [0, 0, 0]], labels=["a", "b", "c"])
    assert np.isnan(m.per_class["recall"][2])
    assert m.macro_recall == pytest.approx((5 / 6 + 6 / 9) / 2)  # NaN class skipped


# ------------------------------------------------------------- from predictions


@settings(max_examples=60)
@given(pairs=st.lists(st.tuples(st.integers(-3, 4), st.integers(-3, 4)), min_size=1, max_size=60))
def test_confusion_matrix_matches_sklearn_integers(pairs):
    y_true, y_pred = np.array(pairs).T
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn on a single label
        expected = metrics.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred), expected)
    labels = [4, 3, 2, 1, 0, -1, -2, -3, 7]
    np.testing.assert_array_equal(
        confusion_matrix(y_true, y_pred, labels=labels),
        metrics.confusion_matrix(y_true, y_pred, labels=labels),
    )


@settings(max_examples=40)
@given(pairs=st.lists(st.tuples(st.sampled_from("xyzw"), st.sampled_from("xyz")), min_size=1))
def test_confusion_matrix_matches_sklearn_strings(pairs):
    y_true, y_pred = np.array(pairs).T
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn on a single label
        expected = metrics.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred), expected)
    labels = ["z", "w", "y", "x", "v"]
    np.testing.assert_array_equal(
        confusion_matrix(y_true, y_pred, labels=labels),
        metrics.confusion_matrix(y_true, y_pred, labels=labels),
    )


def test_confusion_matrix_wide_integers_booleans_and_floats():
    y_true = np.array([0, 10**12, 10**12, -(10**9)])
    y_pred = np.array([0, 10**12, 0, 0])
    np.testing.assert_array_equal(
        confusion_matrix(y_true, y_pred), metrics.confusion_matrix(y_true, y_pred)
    )
    np.testing.assert_array_equal(
        confusion_matrix([True, False, True], [True, True, True]), [[0, 1], [0, 2]]
    )
    np.testing.assert_array_equal(
        confusion_matrix([0.0, 1.0, 1.0], [1.0, 1.0, 0.0]), [[0, 1], [1, 1]]
    )


def test_from_predictions_labels_and_strings():
    y_true, y_pred = expand(ARCH2)
    names = np.array(["NORMAL", "PNEUMONIA"])
    s = statmaker_from_predictions(names[y_true], names[y_pred])
    assert s.labels == ("NORMAL", "PNEUMONIA") and s.positive == "PNEUMONIA"
    assert s.confusion_matrix.tolist() == ARCH2
    assert s.f1 == pytest.approx(0.875)


def test_from_scores_with_threshold():
    y_true = [0, 0, 0, 1, 1, 1]
    y_score = [0.1, 0.5, 0.7, 0.5, 0.8, 0.2]
    s = statmaker_from_predictions(y_true, y_score=y_score, threshold=0.5)
    # score >= 0.5 is positive: predictions 0, 1, 1, 1, 1, 0
    assert s.confusion_matrix.tolist() == [[1, 2], [1, 2]]
    with pytest.warns(UndefinedStatisticWarning, match="lr_negative"):  # TN = 0
        s = statmaker_from_predictions(
            ["neg", "neg", "pos"], y_score=[0.9, 0.1, 0.3], threshold=0.25, pos_label="neg"
        )
    # positive "neg" scored: predicted neg for 0.9 and 0.3; labels sorted ("neg", "pos")
    assert s.positive == "neg"
    assert s.confusion_matrix.tolist() == [[1, 1], [1, 0]]
    assert (s.tp, s.fn) == (1, 1)


def test_from_multiclass_predictions():
    y_true = ["a", "b", "c", "c", "b"]
    y_pred = ["a", "c", "c", "c", "b"]
    with pytest.warns(UndefinedStatisticWarning, match="diagnostic_odds_ratio") as record:
        m = statmaker_from_predictions(y_true, y_pred)
    assert record[0].filename == __file__  # points at the caller, not at cxreval
    assert m.labels == ("a", "b", "c")
    assert m.accuracy == pytest.approx(0.8)


# ------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("cm", "error", "message"),
    [
        ([[1, -1], [0, 2]], ValueError, "cm must hold non-negative counts"),
        ([[1.5, 0], [0, 2]], ValueError, "cm must hold integer counts"),
        ([[1, 0, 0], [0, 2, 0]], ValueError, "cm must be a square"),
        ([], ValueError, "cm is empty"),
        ([[0, 0], [0, 0]], ValueError, "cm is all zeros"),
        ([[np.nan, 0], [0, 2]], ValueError, "cm contains NaN"),
        ([[np.inf, 0], [0, 2]], ValueError, "cm contains infinite"),
        ([[3]], ValueError, "at least 2 classes"),
        ([[1, 2], [3]], ValueError, "cm could not be read"),
        ([["a", "b"], ["c", "d"]], TypeError, "cm must hold integer counts"),
        ([[True, False], [False, True]], TypeError, "cm must hold integer counts"),
    ],
)
def test_bad_matrix(cm, error, message):
    with pytest.raises(error, match=message):
        statmaker(cm)


def test_bad_options():
    with pytest.raises(ValueError, match="labels has 3 entries but cm is 2 x 2"):
        statmaker(ARCH2, labels=["a", "b", "c"])
    with pytest.raises(ValueError, match="labels must be unique"):
        statmaker(ARCH2, labels=["a", "a"])
    with pytest.raises(TypeError, match="labels must be a sequence of 2 class labels, got str"):
        statmaker(ARCH2, labels="ab")
    with pytest.raises(TypeError, match="labels must be a sequence of 2 class labels, got int"):
        statmaker(ARCH2, labels=2)
    with pytest.raises(ValueError, match="labels must be 1-D"):
        statmaker(ARCH2, labels=np.array([[0, 1]]))
    with pytest.raises(ValueError, match="pos_label='x' is not one of labels"):
        statmaker(ARCH2, pos_label="x")
    with pytest.raises(ValueError, match="pos_label= applies to a binary matrix"):
        statmaker(np.eye(3, dtype=int), pos_label=1)
    with pytest.raises(ValueError, match="level must be in"):
        statmaker(ARCH2, level=95)
    with pytest.raises(ValueError, match="ci_method must be one of"):
        statmaker(ARCH2, ci_method="exact")
    with pytest.raises(ValueError, match="zero_division must be"):
        statmaker(ARCH2, zero_division=0.5)
    with pytest.raises(ValueError, match="zero_division must be"):
        statmaker(ARCH2, zero_division="ignore")
    with pytest.raises(ValueError, match="beta must be a positive"):
        statmaker(ARCH2).fbeta(0)
    with pytest.raises(TypeError, match="beta must be a positive number"):
        statmaker(ARCH2).fbeta("2")


def test_bad_predictions():
    with pytest.raises(ValueError, match="same length, got y_true=3, y_pred=2"):
        statmaker_from_predictions([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="y_pred contains NaN"):
        statmaker_from_predictions([0.0, 1.0], [np.nan, 1.0])
    with pytest.raises(ValueError, match="exactly one of y_pred and y_score"):
        statmaker_from_predictions([0, 1], [0, 1], y_score=[0.2, 0.8])
    with pytest.raises(ValueError, match="exactly one of y_pred and y_score"):
        statmaker_from_predictions([0, 1])
    with pytest.raises(TypeError, match="mix numbers and text"):
        statmaker_from_predictions([0, 1], ["0", "1"])
    with pytest.raises(ValueError, match=r"not in labels: \[2\]"):
        statmaker_from_predictions([0, 1, 2], [0, 1, 1], labels=[0, 1])
    with pytest.raises(ValueError, match=r"not in labels: \['c'\]"):
        statmaker_from_predictions(["a", "b"], ["a", "c"], labels=["a", "b"])
    with pytest.raises(ValueError, match="one class only"):
        statmaker_from_predictions([1, 1], [1, 1])
    with pytest.raises(ValueError, match="y_score contains NaN"):
        statmaker_from_predictions([0, 1], y_score=[np.nan, 0.3])
    with pytest.raises(ValueError, match="y_true must be binary"):
        statmaker_from_predictions([0, 1, 2], y_score=[0.1, 0.3, 0.9])
    with pytest.raises(TypeError, match="threshold must be a number"):
        statmaker_from_predictions([0, 1], y_score=[0.1, 0.9], threshold="0.5")
    with pytest.raises(ValueError, match="y_true is empty"):
        confusion_matrix([], [])


# ------------------------------------------------------------------------ picture


def test_plot_shows_counts_and_row_percentages():
    s = statmaker(ARCH2, labels=["NORMAL", "PNEUMONIA"])
    ax = s.plot()
    texts = [t.get_text() for t in ax.texts]
    assert "350\n89.7%" in texts and "174\n74.4%" in texts and "60\n25.6%" in texts
    assert [t.get_text() for t in ax.get_xticklabels()] == ["NORMAL", "PNEUMONIA"]
    assert ax.get_ylabel() == "true class"
    _, ax2 = plt.subplots()
    assert s.plot(ax=ax2) is ax2
    plt.close("all")


def test_infinite_ratios_only_zero_over_zero_is_undefined():
    # TP=5, FP=0, FN=1, TN=4: LR+ = (5/6) / (0/4) = inf, LR- = (1/6) / (4/4) = 1/6,
    # DOR = (5*4) / (0*1) = inf; every other statistic is unchanged
    s = binary_statistics(5, 0, 1, 4, infinite_ratios=True)
    assert s["lr_positive"] == np.inf and s["diagnostic_odds_ratio"] == np.inf
    assert s["lr_negative"] == pytest.approx(1 / 6)
    assert s["precision"] == 1.0 and s["fpr"] == 0.0
    # the default keeps scikit-learn's convention: any zero denominator is undefined
    with pytest.warns(UndefinedStatisticWarning, match="lr_positive"):
        assert np.isnan(binary_statistics(5, 0, 1, 4)["lr_positive"])
    # TP = FP = 0 with negatives present: LR+ = 0 / 0 stays undefined (NaN, warned)
    with pytest.warns(UndefinedStatisticWarning, match="lr_positive; diagnostic_odds_ratio"):
        s = binary_statistics(0, 0, 3, 4, infinite_ratios=True)
    assert np.isnan(s["lr_positive"]) and np.isnan(s["diagnostic_odds_ratio"])
    assert s["lr_negative"] == 1.0  # (3/3) / (4/4)
    # TN = 0 < FN: LR- = inf; vectorized entries are independent
    s = binary_statistics([5, 5], [1, 1], [1, 0], [0, 0], infinite_ratios=True,
                          zero_division=np.nan)  # fmt: skip
    assert s["lr_negative"][0] == np.inf and np.isnan(s["lr_negative"][1])


# issue 16, item 13: probabilities passed as predicted labels gave a 62 x 62 matrix
def test_scores_passed_as_predictions_are_refused_by_name():
    from cxreval import bootstrap_statmaker, statmaker_from_predictions

    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 2, 100), rng.random(100)
    for call in (confusion_matrix, statmaker_from_predictions, bootstrap_statmaker):
        with pytest.raises(ValueError, match=r"y_pred must hold predicted labels.*y_score="):
            call(y, p)
    with pytest.raises(ValueError, match="y_pred must hold predicted labels"):
        confusion_matrix(np.array(["a", "b"])[y], p)
    # whole-number scores (0 .. 100): more unseen classes than max(2 K, 20) is refused
    with pytest.raises(ValueError, match=r"y_pred holds [0-9]+ values that are not labels"):
        confusion_matrix(y, rng.integers(0, 101, 100))
    with pytest.raises(ValueError, match="y_score="):
        statmaker_from_predictions(y, rng.integers(0, 101, 100))


def test_labels_y_true_lacks_are_still_counted():
    # a model predicting a class the test set lacks, and whole-number floats, are labels
    assert confusion_matrix([0, 1, 1], [0.0, 1.0, 2.0]).tolist() == [
        [1, 0, 0],
        [0, 1, 1],
        [0, 0, 0],
    ]
    y = np.arange(100) % 2
    pred = np.r_[np.arange(2, 22), y[20:]]  # 20 unseen classes: not more than 20
    assert confusion_matrix(y, pred).shape == (22, 22)
    with pytest.raises(ValueError, match="21 values that are not labels"):
        confusion_matrix(y, np.r_[np.arange(2, 23), y[21:]])
    labels = np.arange(23)
    assert confusion_matrix(y, np.r_[np.arange(2, 23), y[21:]], labels=labels).shape == (23, 23)
    # non-integer labels on both sides are labels too
    assert confusion_matrix([0.5, 1.5], [1.5, 1.5]).tolist() == [[0, 1], [0, 1]]


def test_none_in_labels_is_named():
    from cxreval import bootstrap_statmaker

    with pytest.raises(ValueError, match=r"y_true contains None \(first at index 2\)"):
        bootstrap_statmaker(np.array([0, 1, None, 1], dtype=object), [0, 1, 1, 1])
    with pytest.raises(ValueError, match=r"y_pred contains None \(first at index 2\)"):
        bootstrap_statmaker([0, 1, 0, 1], np.array([0, 1, None, 1], dtype=object))
    with pytest.raises(ValueError, match=r"y_pred contains None"):
        confusion_matrix(["a", "b"], np.array(["a", None], dtype=object))
