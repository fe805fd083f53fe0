"""Clustered intervals (several images per patient): Obuchowski's AUC (``roc_auc_ci`` and
``delong_test`` with ``groups=``) and clustered proportions.

Expected values are independent of cxreval: the worked example of Obuchowski (1997) was
computed by hand from the paper's formulas (/work/notes/refs item 11, ``item11_obuchowski.py``),
and the same images as singleton clusters were checked against pROC 1.18.0:

    r1 <- roc(y, s1, levels = c(0, 1), direction = "<"); var(r1)      # 0.00711111111111111
    r2 <- roc(y, s2, levels = c(0, 1), direction = "<"); var(r2)      # 0.00911111111111111
    cov(r1, r2)                                                       # -0.000361111111111111
    roc.test(r1, r2, method = "delong", paired = TRUE)
    # Z = 0.128036879932896, p-value = 0.898119787253741
"""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from tests._helpers import binary_scores

from cxreval import (
    binary_intervals,
    delong_test,
    proportion_ci,
    roc_auc_ci,
    statmaker_from_predictions,
)
from cxreval._plain import to_plain
from cxreval.clustered import (
    cluster_ratio_variance,
    clustered_proportion_ci,
)
from cxreval.delong import CLUSTERED_AUC_METHOD, clustered_auc_covariance
from cxreval.exceptions import UndefinedStatisticWarning

# Obuchowski's worked example: 5 patients A..E, 11 images (refs item 11).
GROUPS = list("AABBBCDDEEE")
Y = [1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1]
S1 = [0.90, 0.30, 0.70, 0.40, 0.50, 0.20, 0.60, 0.60, 0.10, 0.35, 0.80]
S2 = [0.80, 0.40, 0.60, 0.75, 0.20, 0.10, 0.50, 0.55, 0.30, 0.65, 0.90]


def clustered_data(n_patients: int = 60, seed: int = 0):
    """Images of patients with 1-6 images, a patient effect on the score and the label."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 7, n_patients)
    groups = np.repeat(np.arange(n_patients), sizes)
    risk = np.repeat(rng.normal(0, 1.2, n_patients), sizes)
    y = (rng.random(len(groups)) < 1 / (1 + np.exp(-risk))).astype(int)
    s = 1.2 * y + np.repeat(rng.normal(0, 1, n_patients), sizes) + rng.normal(0, 1, len(y))
    return y, s, groups


# ----------------------------------------------------------------- worked example by hand


def test_worked_example_variances_equal_the_hand_computation():
    aucs, cov = clustered_auc_covariance(Y, S1, S2, groups=GROUPS)
    assert aucs == pytest.approx([0.9166666666666666, 0.9], abs=1e-15)
    assert cov[0, 0] == pytest.approx(0.00912808641975309, abs=1e-15)
    assert cov[1, 1] == pytest.approx(0.008196296296296299, abs=1e-15)
    assert cov[0, 1] == pytest.approx(0.002305555555555555, abs=1e-15)
    assert cov[1, 0] == cov[0, 1]


def test_worked_example_interval_and_paired_test():
    ci = roc_auc_ci(Y, S1, groups=GROUPS)
    assert ci.se == pytest.approx(0.09554101956622135, abs=1e-14)
    assert (ci.n_clusters, ci.n_clusters_pos, ci.n_clusters_neg) == (5, 4, 5)
    assert (ci.n_pos, ci.n_neg) == (5, 6)
    half = 1.959963984540054 * 0.09554101956622135
    assert ci.low == pytest.approx(0.9166666666666666 - half, abs=1e-12)
    assert ci.high == 1.0  # clipped
    assert ci.design_effect == pytest.approx(0.00912808641975309 / 0.0071111111111111115)
    res = delong_test(Y, S1, S2, groups=GROUPS)
    assert res.difference == pytest.approx(0.016666666666666607, abs=1e-14)
    assert res.se == pytest.approx(0.11275314454567677, abs=1e-14)
    assert res.statistic == pytest.approx(0.14781553750738075, abs=1e-12)
    assert res.p_value == pytest.approx(0.8824883468852938, abs=1e-12)
    assert res.method == "Obuchowski (clustered DeLong) paired"


def test_worked_example_as_singletons_equals_proc():
    singletons = np.arange(len(Y))
    _aucs, cov = clustered_auc_covariance(Y, S1, S2, groups=singletons)
    assert cov[0, 0] == pytest.approx(0.00711111111111111, abs=1e-15)
    assert cov[1, 1] == pytest.approx(0.00911111111111111, abs=1e-15)
    assert cov[0, 1] == pytest.approx(-0.000361111111111111, abs=1e-15)
    res = delong_test(Y, S1, S2, groups=singletons)
    assert res.statistic == pytest.approx(0.128036879932896, abs=1e-12)
    assert res.p_value == pytest.approx(0.898119787253741, abs=1e-12)


# ------------------------------------------------------------------- reduction to DeLong


@pytest.mark.parametrize("ties", [False, True])
def test_one_image_per_patient_equals_delong(ties):
    y, s = binary_scores(150, seed=4, ties=ties)
    _, s2 = binary_scores(150, seed=5, ties=ties)
    ids = np.random.default_rng(1).permutation(len(y)).astype(str)  # any unique IDs
    ci, ref = roc_auc_ci(y, s, groups=ids), roc_auc_ci(y, s)
    for name in ("auc", "low", "high", "se"):
        assert getattr(ci, name) == pytest.approx(getattr(ref, name), abs=1e-12)
    assert ci.se_unclustered == pytest.approx(ref.se, abs=1e-12)
    assert ci.design_effect == pytest.approx(1.0, abs=1e-12)
    for alternative in ("two-sided", "greater", "less"):
        res = delong_test(y, s, s2, groups=ids, alternative=alternative, level=0.9)
        ref = delong_test(y, s, s2, alternative=alternative, level=0.9)
        for name in ("auc_a", "auc_b", "difference", "low", "high", "statistic", "p_value"):
            assert getattr(res, name) == pytest.approx(getattr(ref, name), abs=1e-12)


@pytest.mark.parametrize("ci_method", ["wilson", "normal", "agresti-coull", "clopper-pearson"])
def test_one_image_per_patient_proportions_equal_image_level(ci_method):
    y, s = binary_scores(200, seed=2)
    pred = (s > 0.5).astype(int)
    res = statmaker_from_predictions(y, pred, groups=np.arange(200), ci_method=ci_method)
    tp = int(((y == 1) & (pred == 1)).sum())
    fp = int(((y == 0) & (pred == 1)).sum())
    fn = int(((y == 1) & (pred == 0)).sum())
    tn = int(((y == 0) & (pred == 0)).sum())
    assert res.confusion_matrix.tolist() == [[tn, fp], [fn, tp]]
    ref = binary_intervals(tp, fp, fn, tn, ci_method=ci_method)
    for name in ("recall", "sensitivity", "specificity", "precision", "npv", "accuracy", "fdr"):
        assert res.design_effects[name] == pytest.approx(1.0, abs=1e-12)
        assert list(res.ci[name]) == pytest.approx(
            [float(ref[name][0]), float(ref[name][1])], abs=1e-12
        )
    single = clustered_proportion_ci(pred[y == 1], groups=np.arange(tp + fn), ci_method=ci_method)
    assert [single.low, single.high] == pytest.approx(
        np.ravel(proportion_ci(tp, tp + fn, ci_method=ci_method)).tolist(), abs=1e-12
    )


def test_wald_is_the_normal_interval_without_clustering():
    """Clustered "normal" with singletons: p -/+ z sqrt(p (1 - p) / n), by hand."""
    hits = np.r_[np.ones(30), np.zeros(10)]
    res = clustered_proportion_ci(hits, groups=np.arange(40), ci_method="normal")
    half = 1.959963984540054 * np.sqrt(0.75 * 0.25 / 40)
    assert [res.low, res.high] == pytest.approx([0.75 - half, 0.75 + half], abs=1e-12)


# ------------------------------------------------------------ clustered proportions by hand


def test_ratio_variance_by_hand():
    # p = 6/8; residuals x_i - p n_i = .75, -.75, .5, -.5; sum of squares 1.625
    p, var, deff = cluster_ratio_variance([3, 0, 2, 1], [3, 1, 2, 2])
    assert float(p) == 0.75
    assert float(var) == pytest.approx(4 / 3 * 1.625 / 64, abs=1e-15)
    assert float(deff) == pytest.approx((4 / 3 * 1.625 / 64) / (0.75 * 0.25 / 7), abs=1e-12)


def test_clustered_wilson_is_wilson_at_the_effective_size():
    hits = [1, 1, 1, 0, 1, 1, 0, 0, 1, 1]
    res = clustered_proportion_ci(hits, groups=[1, 1, 1, 2, 3, 3, 4, 4, 5, 5])
    # clusters: 3/3, 0/1, 2/2, 0/2, 2/2; p = 0.7; sum (x_i - p n_i)^2 = 2.1^2 ... by hand:
    ss = 0.9**2 + 0.7**2 + 0.6**2 + 1.4**2 + 0.6**2
    var = 5 / 4 * ss / 100
    deff = var / (0.7 * 0.3 / 9)
    assert res.design_effect == pytest.approx(deff, abs=1e-12)
    assert res.se == pytest.approx(np.sqrt(var), abs=1e-12)
    assert res.effective_trials == pytest.approx(10 / deff, abs=1e-12)
    low, high = proportion_ci(7 / deff, 10 / deff)
    assert [res.low, res.high] == pytest.approx([float(low), float(high)], abs=1e-12)
    assert res.method == "Wilson, clustered (Rao-Scott design effect)"


def test_sensitivity_uses_only_clusters_with_positives():
    y = [1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]
    pred = [1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0]
    groups = [1, 1, 1, 2, 2, 3, 3, 3, 4, 5, 5, 6]
    res = statmaker_from_predictions(y, pred, groups=groups)
    assert res.ci["sensitivity"] == res.ci["recall"]
    assert (res.tp, res.tp + res.fn, res.n_clusters) == (4, 6, 6)
    # positive clusters 1: 2/2, 2: 0/1, 3: 2/2, 5: 0/1 -> residuals +-2/3, K = 4
    deff = (4 / 3 * 16 / 9 / 36) / (2 / 9 / 5)
    assert res.design_effects["sensitivity"] == pytest.approx(deff, abs=1e-12)
    assert res.standard_errors["recall"] == pytest.approx(np.sqrt(4 / 3 * 16 / 9 / 36), abs=1e-12)
    low, high = proportion_ci(4 / deff, 6 / deff)
    assert list(res.ci["recall"]) == pytest.approx([float(low), float(high)], abs=1e-12)
    assert res.tn + res.fp == 6


# ------------------------------------------------------------------------------ properties


@settings(max_examples=40)
@given(seed=st.integers(0, 10_000), offset=st.integers(-50, 50))
def test_relabelling_and_reordering_change_nothing(seed, offset):
    y, s, groups = clustered_data(30, seed)
    s2 = s + np.random.default_rng(seed).normal(0, 1, len(s))
    order = np.random.default_rng(seed + 1).permutation(len(y))
    relabel = np.array([f"patient-{g * 7 + offset}" for g in groups])
    a = delong_test(y, s, s2, groups=groups)
    b = delong_test(y[order], s[order], s2[order], groups=relabel[order])
    assert b.statistic == pytest.approx(a.statistic, rel=1e-10, abs=1e-12)
    assert b.se == pytest.approx(a.se, rel=1e-10)
    pred = (s > 0.6).astype(int)
    p = statmaker_from_predictions(y, pred, groups=groups).ci["recall"]
    q = statmaker_from_predictions(y[order], pred[order], groups=relabel[order]).ci["recall"]
    assert q == pytest.approx(p, abs=1e-12)


@settings(max_examples=40)
@given(seed=st.integers(0, 10_000), copies=st.integers(2, 4))
def test_duplicating_every_image_within_its_cluster_keeps_auc_and_variance(seed, copies):
    """Copies of an image in the same cluster add no information: the AUC, its clustered
    variance and a proportion's clustered variance are unchanged (image-level ones shrink).
    The proportion's effective size n / deff = p (1 - p) / v * n / (n - 1) moves only by
    Kish's n / (n - 1) factor of the unclustered variance."""
    y, s, groups = clustered_data(25, seed)
    ci = roc_auc_ci(y, s, groups=groups)
    dup = roc_auc_ci(np.tile(y, copies), np.tile(s, copies), groups=np.tile(groups, copies))
    assert dup.auc == pytest.approx(ci.auc, abs=1e-12)
    assert dup.se == pytest.approx(ci.se, rel=1e-9)
    assert dup.se_unclustered < ci.se_unclustered
    pred = (s > 0.6).astype(int)
    a = statmaker_from_predictions(y, pred, groups=groups)
    b = statmaker_from_predictions(
        np.tile(y, copies), np.tile(pred, copies), groups=np.tile(groups, copies)
    )
    key = "specificity"
    assert (b[key], b.standard_errors[key]) == pytest.approx(
        (a[key], a.standard_errors[key]), abs=1e-12
    )
    n = a.tn + a.fp
    big = copies * n  # p (1 - p) / v = n_eff (n - 1) / n is invariant
    assert big / b.design_effects[key] * (big - 1) / big == pytest.approx(
        n / a.design_effects[key] * (n - 1) / n, rel=1e-9
    )
    assert b.ci[key] == pytest.approx(a.ci[key], abs=1e-2)


def test_positive_within_patient_correlation_widens_the_interval():
    y, s, groups = clustered_data(200, seed=3)
    ci = roc_auc_ci(y, s, groups=groups)
    assert ci.design_effect > 1 and ci.high - ci.low > 0


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        (list("AABBBCDDEE"), "groups must hold one cluster ID per image (11), got 10"),
        ([1.0] * 10 + [np.nan], "groups contains NaN"),
        (["A"] * 10 + [None], "groups contains None"),
        (np.array(["A"] * 10 + [np.nan], dtype=object), "groups contains NaN"),
        (["A"] * 11, "groups holds 1 cluster(s) only"),
        (np.ones((11, 2)), "groups must be 1-D"),
    ],
)
def test_bad_groups_are_refused_by_name(groups, message):
    for call in (
        lambda: roc_auc_ci(Y, S1, groups=groups),
        lambda: delong_test(Y, S1, S2, groups=groups),
        lambda: statmaker_from_predictions(Y, Y, groups=groups),
        lambda: clustered_proportion_ci(Y, groups=groups),
    ):
        with pytest.raises(ValueError) as info:
            call()
        assert message in str(info.value)


def test_other_bad_input_is_refused_by_name():
    with pytest.raises(TypeError, match="groups must hold labels of one type"):
        roc_auc_ci(Y, S1, groups=np.array([1, "a"] * 5 + [2], dtype=object))
    with pytest.raises(ValueError, match="score_b contains NaN"):
        delong_test(Y, S1, [np.nan] * 11, groups=GROUPS)
    with pytest.raises(ValueError, match="successes must hold 0/1"):
        clustered_proportion_ci([0, 2, 1], groups=[1, 2, 3])
    with pytest.raises(ValueError, match="groups= needs a binary problem"):
        statmaker_from_predictions(Y, [7, *Y[1:]], groups=GROUPS)
    with pytest.raises(ValueError, match="ci_method must be one of"):
        clustered_proportion_ci([0, 1, 1], groups=[1, 2, 3], ci_method="exact")
    with pytest.raises(ValueError, match="alternative must be one of"):
        delong_test(Y, S1, S2, groups=GROUPS, alternative="bigger")
    with pytest.raises(ValueError, match="y_true contains one class only"):
        roc_auc_ci([1] * 11, S1, groups=GROUPS)


def test_undefined_variances_are_nan_with_a_warning():
    # all positives in patient A: one cluster with positives
    with pytest.warns(RuntimeWarning, match="1 cluster\\(s\\) holding positives"):
        ci = roc_auc_ci([1, 1, 0, 0, 0], [0.9, 0.8, 0.1, 0.2, 0.3], groups=list("AABBC"))
    assert ci.auc == 1.0 and np.isnan(ci.se) and np.isnan(ci.low)
    with pytest.warns(UndefinedStatisticWarning, match="recall \\(1 cluster\\(s\\)\\)"):
        res = statmaker_from_predictions([1, 1, 0, 0], [1, 0, 0, 1], groups=[1, 1, 2, 3])
    assert res.recall == 0.5 and np.isnan(res.ci["recall"][0])


# -------------------------------------------------------------------------- result protocol


@pytest.mark.parametrize(
    "make",
    [
        lambda: roc_auc_ci(Y, S1, groups=GROUPS),
        lambda: delong_test(Y, S1, S2, groups=GROUPS),
        lambda: clustered_proportion_ci(Y, groups=GROUPS),
        lambda: statmaker_from_predictions(Y, (np.array(S1) > 0.5).astype(int), groups=GROUPS),
    ],
)
def test_results_keep_the_protocol_and_name_method_and_clusters(make):
    result = make()
    plain = to_plain(result.to_dict(), json_safe=True)
    text = json.dumps(plain, allow_nan=False)
    assert "Obuchowski (clustered DeLong)" in text or "Rao-Scott" in text
    assert "n_clusters" in text
    assert result.table() and str(result)
    ax = result.plot()
    try:
        assert isinstance(ax, Axes)
    finally:
        plt.close("all")


def test_interval_names_its_method():
    ci = roc_auc_ci(Y, S1, groups=GROUPS)
    assert ci.to_dict()["method"] == CLUSTERED_AUC_METHOD == "Obuchowski (clustered DeLong)"
    assert ci.to_dict()["n_clusters"] == 5
    assert "Obuchowski" in ci.label()
