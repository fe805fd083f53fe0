"""Operating points against a brute-force search with statmaker; bootstrap intervals of
statmaker statistics against the generic engine looping scikit-learn."""

import warnings
from functools import partial

import numpy as np
import pytest
from sklearn import metrics
from tests._helpers import binary_scores

from cxreval import (
    bootstrap,
    bootstrap_statmaker,
    operating_point,
    roc_curve,
    statmaker_from_predictions,
)
from cxreval.exceptions import UndefinedStatisticWarning

#: 200 cases, scores rounded to one decimal: many ties.
make_data = partial(binary_scores, n=200, noise=1.0, ties=True)


def brute_force(y, s):
    """(threshold, sensitivity, specificity) just above the highest score and at every
    distinct score, highest first, read from statmaker's confusion matrix there."""
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        above = np.nextafter(s.max(), np.inf)  # everything called negative
        for t in [above, *np.unique(s)[::-1]]:
            st = statmaker_from_predictions(y, y_score=s, threshold=t)
            rows.append((t, st.recall, st.specificity))
    return rows


def test_youden_and_closest_topleft_match_brute_force():
    y, s = make_data()
    rows = brute_force(y, s)
    j = [se + sp - 1 for _, se, sp in rows]
    best = rows[int(np.argmax(np.isclose(j, max(j), atol=1e-12, rtol=0)))]
    op = operating_point(y, s)
    assert (op.threshold, op.sensitivity, op.specificity) == pytest.approx(best)
    d = [(1 - se) ** 2 + (1 - sp) ** 2 for _, se, sp in rows]
    best = rows[int(np.argmax(np.isclose(d, min(d), atol=1e-12, rtol=0)))]
    op = operating_point(y, s, criterion="closest_topleft")
    assert (op.threshold, op.sensitivity, op.specificity) == pytest.approx(best)


@pytest.mark.filterwarnings("ignore::cxreval.UndefinedStatisticWarning")  # extreme targets
@pytest.mark.parametrize("target", [0.0, 0.5, 0.8, 0.95, 1.0])
def test_targets_match_brute_force(target):
    y, s = make_data(seed=1)
    rows = brute_force(y, s)
    by_sens = next(r for r in rows if r[1] >= target)  # highest threshold reaching it
    op = operating_point(y, s, criterion="sensitivity", target=target)
    assert (op.threshold, op.sensitivity, op.specificity) == pytest.approx(by_sens)
    by_spec = [r for r in rows if r[2] >= target][-1]  # lowest threshold reaching it
    op = operating_point(y, s, criterion="specificity", target=target)
    assert (op.threshold, op.sensitivity, op.specificity) == pytest.approx(by_spec)


def test_statistics_are_statmakers_at_the_threshold():
    y, s = make_data(seed=2)
    names = np.where(y == 1, "PNEUMONIA", "NORMAL")
    op = operating_point(names, s, criterion="sensitivity", target=0.9)
    ref = statmaker_from_predictions(names, y_score=s, threshold=op.threshold)
    np.testing.assert_array_equal(op.confusion_matrix, ref.confusion_matrix)
    assert op.statistics.labels == ref.labels and op.positive == "PNEUMONIA"
    for key in ("recall", "specificity", "precision", "f1", "mcc"):
        assert op.statistics[key] == pytest.approx(ref[key], abs=1e-15)
    assert op.statistics.ci.keys() == ref.ci.keys()
    for key, interval in ref.ci.items():
        np.testing.assert_allclose(op.statistics.ci[key], interval, rtol=0, atol=1e-15)
    assert op.statistics.recall == op.sensitivity >= 0.9
    assert "operating point by sensitivity >= 0.9" in str(op)
    assert op.to_dict()["statistics"]["positive"] == "PNEUMONIA"


def test_operating_point_with_bootstrap_intervals_and_plot():
    import matplotlib.pyplot as plt

    y, s = make_data(seed=3)
    op = operating_point(y, s, n_boot=200, random_state=5)
    ref = bootstrap_statmaker(y, y_score=s, threshold=op.threshold, n_boot=200, random_state=5)
    assert op.bootstrap["f1"].low == ref["f1"].low and op.bootstrap["f1"].seed == 5
    assert op.to_dict()["bootstrap"]["recall"]["n_boot"] == 200
    ax = op.plot(curve=roc_curve(y, s))
    assert ax.get_legend().get_texts()[-1].get_text().startswith("youden: threshold")
    plt.close("all")


def test_bootstrap_statmaker_equals_generic_engine_looping_sklearn():
    y, s = make_data(n=120, seed=4)
    pred = (s >= 0.5).astype(int)
    got = bootstrap_statmaker(
        y, pred, keys=["recall", "precision", "f1", "mcc"], n_boot=150, random_state=9,
        bootstrap_method="bca",
    )  # fmt: skip
    for key, fn in [
        ("recall", metrics.recall_score),
        ("precision", metrics.precision_score),
        ("f1", metrics.f1_score),
        ("mcc", metrics.matthews_corrcoef),
    ]:
        ref = bootstrap(fn, y, pred, n_boot=150, strata=y, random_state=9, bootstrap_method="bca")
        np.testing.assert_allclose(got[key].replicates, ref.replicates, atol=1e-12)
        assert (got[key].low, got[key].high) == pytest.approx((ref.low, ref.high), abs=1e-12)
        assert got[key].estimate == pytest.approx(fn(y, pred), abs=1e-12)


def test_bootstrap_statmaker_default_keys_and_undefined_resamples():
    y = np.r_[np.zeros(30), np.ones(5)]
    pred = np.r_[np.zeros(30), np.ones(1), np.zeros(4)]  # one predicted positive
    with pytest.warns(RuntimeWarning) as caught:
        res = bootstrap_statmaker(y, pred, n_boot=200, random_state=0)
    messages = [str(w.message) for w in caught]
    assert any("resamples gave an undefined precision" in m for m in messages)
    # no negative is ever called positive (FP = 0): LR+ = TPR / 0 is +inf on every
    # resample that draws the one true positive call, and 0 / 0 (left out) on the others
    lr = res["lr_positive"]
    assert lr.estimate == lr.low == lr.high == lr.se == np.inf
    assert lr.n_boot == int(np.sum(res["recall"].replicates > 0)) < 200
    assert any(f"{200 - lr.n_boot} of 200 resamples gave an undefined lr_positive" in m
               for m in messages)  # fmt: skip
    assert "tp" not in res and "sensitivity" not in res and "recall" in res
    assert res["precision"].n_boot < 200 and res["recall"].n_boot == 200
    assert np.isfinite([res["precision"].low, res["precision"].high]).all()
    assert res["accuracy"].stratified and res["accuracy"].high <= 1.0


def test_bootstrap_statmaker_statistic_undefined_on_every_resample_is_nan():
    y = np.r_[np.zeros(10), np.ones(5)]
    with pytest.warns(RuntimeWarning, match="lr_positive is undefined on every resample"):
        res = bootstrap_statmaker(y, np.zeros(15), keys=["lr_positive"], n_boot=50,
                                  random_state=0)  # fmt: skip
    # nothing is called positive: TP = FP = 0, LR+ = 0 / 0 on every resample
    assert np.isnan([res["lr_positive"].low, res["lr_positive"].high]).all()
    assert res["lr_positive"].n_boot == 0


def test_undefined_resample_warning_points_at_the_caller():
    with pytest.warns(RuntimeWarning, match="resamples gave an undefined precision") as rec:
        bootstrap_statmaker([0, 0, 1, 1, 1], [0, 0, 1, 0, 0], keys=["precision"], n_boot=50,
                            random_state=0)  # fmt: skip
    assert rec[0].filename == __file__


def lr_positive_by_hand(y, pred):
    """TPR / FPR from the counts: +inf for FP = 0 < TP, NaN for 0 / 0."""
    tp, fp = np.sum((y == 1) & (pred == 1)), np.sum((y == 0) & (pred == 1))
    tpr, fpr = tp / np.sum(y == 1), fp / np.sum(y == 0)
    if fpr == 0:
        return np.inf if tpr > 0 else np.nan
    return tpr / fpr


def test_infinite_likelihood_ratios_stay_in_the_replicates():
    # 1 false positive among 11 negatives: about (10/11)^11 = 35% of the stratified
    # resamples have FP = 0 < TP, where LR+ is +inf (was: dropped as undefined, which made
    # the "97.5%" bound the 64.5th percentile of all resamples)
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 30)
    pred = np.where(rng.random(30) < 0.8, y, 1 - y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no resample is 0 / 0 here: no warning
        got = bootstrap_statmaker(y, pred, keys=["lr_positive"], n_boot=2000, random_state=3)
        ref = bootstrap(lr_positive_by_hand, y, pred, n_boot=2000, strata=y, random_state=3)
    res = got["lr_positive"]
    np.testing.assert_allclose(res.replicates, ref.replicates, rtol=1e-12)
    reps = np.sort(ref.replicates)
    share_inf = np.mean(np.isinf(reps))
    assert 0.3 < share_inf < 0.4 and res.n_boot == 2000
    # type 7 by hand: position h = 1999 * 0.025 = 49.975 between two finite values, and
    # 1999 * 0.975 = 1949.025 lies among the infinite ones
    assert res.low == pytest.approx(reps[49] + 0.975 * (reps[50] - reps[49]), rel=1e-12)
    assert res.high == np.inf and res.se == np.inf
    assert res.estimate == pytest.approx(lr_positive_by_hand(y, pred))
    assert "inf" in str(res)


def test_bca_and_basic_with_infinite_ratios_fall_back_to_percentile():
    y = np.r_[np.zeros(10), np.ones(10)]
    pred = np.r_[np.zeros(10), np.ones(8), np.zeros(2)]  # FP = 0: LR+ = inf everywhere
    for ci_type in ("bca", "basic"):
        with pytest.warns(RuntimeWarning, match=f"{ci_type if ci_type == 'basic' else 'BCa'}"
                          " interval undefined"):  # fmt: skip
            res = bootstrap_statmaker(y, pred, keys=["lr_positive"], n_boot=100,
                                      random_state=0, bootstrap_method=ci_type)  # fmt: skip
        assert res["lr_positive"].ci_type == "percentile"
        assert res["lr_positive"].low == res["lr_positive"].high == np.inf


def test_operating_point_bootstrap_keeps_infinite_ratios():
    y = np.array([0] * 8 + [1] * 8)
    s = np.r_[np.linspace(0, 0.4, 8), np.linspace(0.3, 1.0, 8)]
    # statmaker's own LR+ stays undefined (scikit-learn's convention, zero_division)
    with pytest.warns(UndefinedStatisticWarning, match="lr_positive"):
        op = operating_point(y, s, n_boot=200, random_state=1)
    assert np.isnan(op.statistics.lr_positive)
    # Youden's point calls no negative positive: LR+ = inf on every resample (TP > 0 there)
    assert op.confusion_matrix[0, 1] == 0
    assert op.bootstrap["lr_positive"].low == np.inf


def test_bad_input():
    y, s = make_data(n=30)
    with pytest.raises(ValueError, match="criterion must be one of"):
        operating_point(y, s, criterion="f1")
    with pytest.raises(ValueError, match="needs target="):
        operating_point(y, s, criterion="sensitivity")
    with pytest.raises(ValueError, match="target must be a specificity in"):
        operating_point(y, s, criterion="specificity", target=95)
    with pytest.raises(TypeError, match="target must be a real number, a sensitivity in"):
        operating_point(y, s, criterion="sensitivity", target="0.8")
    with pytest.raises(TypeError, match="target must be a real number, a specificity in"):
        operating_point(y, s, criterion="specificity", target=[0.8])
    with pytest.raises(ValueError, match="target is not used by criterion='youden'"):
        operating_point(y, s, target=0.9)
    with pytest.raises(ValueError, match="one class only"):
        operating_point(np.ones(30), s)
    with pytest.raises(ValueError, match="give exactly one of y_pred and y_score"):
        bootstrap_statmaker(y, y, y_score=s)
    with pytest.raises(ValueError, match="threshold must be finite"):
        bootstrap_statmaker(y, y_score=s, threshold=np.nan)
    with pytest.raises(ValueError, match="y_pred has labels that y_true does not"):
        bootstrap_statmaker(y, y + 5)
    with pytest.raises(ValueError, match="keys must be one of"):
        bootstrap_statmaker(y, y, keys=["auroc"])
    with pytest.raises(ValueError, match="y_true=30, y_pred=29"):
        bootstrap_statmaker(y, y[:-1])
