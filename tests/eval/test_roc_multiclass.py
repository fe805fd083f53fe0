"""Multi-class AUCs against scikit-learn and the generic engine."""

import numpy as np
import pytest
from sklearn import metrics
from tests._helpers import multiclass_probabilities

from cxreval import bootstrap, hand_till_auc, roc_auc_ci, roc_auc_multiclass


def test_point_estimates_equal_sklearn():
    y, p = multiclass_probabilities(k=4)
    res = roc_auc_multiclass(y, p, n_boot=50, random_state=0)
    for c, ci in enumerate(res.per_class):
        assert ci.auc == pytest.approx(metrics.roc_auc_score(y == c, p[:, c]), abs=1e-12)
        assert ci.method == "DeLong" and ci.positive == c
    assert res.macro.estimate == pytest.approx(
        metrics.roc_auc_score(y, p, multi_class="ovr", average="macro"), abs=1e-12
    )
    assert res.weighted.estimate == pytest.approx(
        metrics.roc_auc_score(y, p, multi_class="ovr", average="weighted"), abs=1e-12
    )
    ovo = metrics.roc_auc_score(y, p, multi_class="ovo", average="macro")
    assert res.hand_till.estimate == pytest.approx(ovo, abs=1e-12)
    assert hand_till_auc(y, p) == pytest.approx(ovo, abs=1e-12)
    np.testing.assert_allclose(res.prevalence, np.bincount(y) / len(y))


def test_hand_till_by_hand():
    # class pairs all perfectly separated except A(1|0): 1 of 2 x 2 pairs tied/ordered
    y = [0, 0, 1, 1, 2, 2]
    p = [[0.8, 0.1, 0.1], [0.5, 0.3, 0.2], [0.2, 0.7, 0.1], [0.4, 0.4, 0.2], [0.1, 0.2, 0.7],
         [0.3, 0.3, 0.4]]  # fmt: skip
    # A(1|0): class-1 scores 0.7, 0.4 vs class-0 scores 0.1, 0.3 -> 1; every pair is 1
    assert hand_till_auc(y, p) == 1.0
    p[3] = [0.4, 0.05, 0.55]  # now class-1 case 3 scores 0.05 < 0.1, 0.3 on column 1
    # A(1|0) = 2/4, A(0|1) = 1 -> pair 0.75; A(1|2) = (0.7 > 0.2, 0.3; 0.05 < both) = 0.5,
    # A(2|1): column 2: class 2 (0.7, 0.4) vs class 1 (0.1, 0.55) -> 3/4; pair 0.625
    # pair (0, 2) = 1 -> M = (0.75 + 0.625 + 1) / 3
    assert hand_till_auc(y, p) == pytest.approx((0.75 + 0.625 + 1) / 3, abs=1e-15)


def test_bootstrap_equals_generic_engine_looping_sklearn():
    y, p = multiclass_probabilities(n=90, seed=5)
    res = roc_auc_multiclass(y, p, ci_method="bootstrap", n_boot=40, random_state=3)

    def stats(yy, pp):
        per = [metrics.roc_auc_score(yy == c, pp[:, c]) for c in range(3)]
        return [
            *per,
            metrics.roc_auc_score(yy, pp, multi_class="ovr", average="macro"),
            metrics.roc_auc_score(yy, pp, multi_class="ovr", average="weighted"),
            metrics.roc_auc_score(yy, pp, multi_class="ovo"),
        ]

    ref = bootstrap(stats, y, p, n_boot=40, strata=y, random_state=3, bounds=(0, 1))
    got = [*res.per_class, res.macro, res.weighted, res.hand_till]
    for j, r in enumerate(got):
        boot = r.bootstrap if hasattr(r, "bootstrap") else r
        np.testing.assert_allclose(boot.replicates, ref.replicates[:, j], atol=1e-12)
        assert (r.low, r.high) == pytest.approx((ref.low[j], ref.high[j]), abs=1e-12)


def test_bca_uses_exact_jackknife():
    y, p = multiclass_probabilities(n=60, seed=2)
    res = roc_auc_multiclass(y, p, bootstrap_method="bca", n_boot=60, random_state=1)

    def stats(yy, pp):
        return [
            metrics.roc_auc_score(yy, pp, multi_class="ovr", average="macro"),
            metrics.roc_auc_score(yy, pp, multi_class="ovr", average="weighted"),
            metrics.roc_auc_score(yy, pp, multi_class="ovo"),
        ]

    ref = bootstrap(stats, y, p, n_boot=60, strata=y, random_state=1, bootstrap_method="bca",
                    bounds=(0, 1))  # fmt: skip
    for j, r in enumerate([res.macro, res.weighted, res.hand_till]):
        assert r.ci_type == "bca"
        assert (r.low, r.high) == pytest.approx((ref.low[j], ref.high[j]), abs=1e-12)


def test_delong_per_class_matches_binary_call_and_output():
    y, p = multiclass_probabilities(seed=8)
    labels = np.array(["covid", "normal", "pneumonia"])[y]
    res = roc_auc_multiclass(labels, p, n_boot=40, random_state=0)
    ci = roc_auc_ci(labels == "normal", p[:, 1])
    assert (res.per_class[1].low, res.per_class[1].high) == (ci.low, ci.high)
    assert res.labels == ("covid", "normal", "pneumonia")
    table = res.table()
    assert "Hand & Till M" in table and "pneumonia vs rest" in table
    assert res.to_dict()["macro"]["method"] == "bootstrap"
    ax = res.plot()
    assert len(ax.get_lines()) == 6  # three curves and three chance lines
    import matplotlib.pyplot as plt

    plt.close("all")


def test_labels_fix_the_column_order():
    y, p = multiclass_probabilities(seed=1)
    names = np.array(["c", "a", "b"])[y]
    res = roc_auc_multiclass(names, p, labels=["c", "a", "b"], n_boot=40, random_state=0)
    assert res.labels == ("c", "a", "b")
    assert res.per_class[0].auc == pytest.approx(metrics.roc_auc_score(y == 0, p[:, 0]))


def test_bad_input():
    y, p = multiclass_probabilities(n=30)
    with pytest.raises(ValueError, match="y_score has 3 columns but there are 4 classes"):
        roc_auc_multiclass(y, p, labels=[0, 1, 2, 3])
    with pytest.raises(ValueError, match=r"y_score must be 2-D .* got shape \(30,\)"):
        roc_auc_multiclass(y, p[:, 0])
    with pytest.raises(ValueError, match="y_true=29, y_score=30"):
        roc_auc_multiclass(y[:-1], p)
    bad = p.copy()
    bad[4, 1] = np.nan
    with pytest.raises(ValueError, match="y_score contains NaN values"):
        roc_auc_multiclass(y, bad)
    with pytest.raises(ValueError, match="needs at least 3"):
        roc_auc_multiclass(y % 2, p[:, :2])
    with pytest.raises(ValueError, match="labels not in labels"):
        roc_auc_multiclass(y, p, labels=[0, 1, 5])
    with pytest.raises(ValueError, match="no case of class 9"):
        roc_auc_multiclass(np.where(y == 2, 1, y), p, labels=[0, 1, 9])
    with pytest.raises(ValueError, match="ci_method must be one of"):
        roc_auc_multiclass(y, p, ci_method="hanley")
