"""Partial AUC (cxreval.partial_roc) against pROC 1.18.

Reference numbers: /work/notes/refs (REFERENCES.md item 1). ``asah.csv`` is pROC's ``aSAH``
data in its row order (outcome Good=0 / Poor=1). In R:

    library(pROC); data(aSAH)
    r1 <- roc(aSAH$outcome, aSAH$s100b, levels=c("Good","Poor"), direction="<")
    r2 <- roc(aSAH$outcome, aSAH$ndka,  levels=c("Good","Poor"), direction="<")
    auc(r1, partial.auc=c(1, 0.8), partial.auc.focus="specificity",
        partial.auc.correct=FALSE)   # and the other rows of the table below

Bootstrap results are RANDOM in R (set.seed(1), boot.n=2000, stratified): they are compared
within Monte Carlo error only.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxreval import AUCComparison, roc_auc
from cxreval._plain import to_plain
from cxreval.partial_roc import (
    PartialAUCInterval,
    partial_auc,
    partial_auc_ci,
    partial_auc_test,
    partial_auc_test_unpaired,
)
from cxreval.plotting import plot_partial_auc

ASAH = np.genfromtxt(Path(__file__).with_name("asah.csv"), delimiter=",", names=True)
Y = ASAH["outcome"].astype(int)
S100B, NDKA = ASAH["s100b"], ASAH["ndka"]

#: auc(r, partial.auc=c(hi, lo), partial.auc.focus=focus, partial.auc.correct=...) in R:
#: (marker, focus, (lo, hi)) -> (uncorrected, McClish-corrected)
PROC_PAUC = {
    ("s100b", "specificity", (0.8, 1.0)): (0.0805894308943089, 0.668303974706414),
    ("s100b", "sensitivity", (0.8, 1.0)): (0.0488211382113821, 0.580058717253839),
    ("s100b", "specificity", (0.6, 0.9)): (0.177804878048781, 0.728455284552845),
    ("s100b", "sensitivity", (0.6, 0.9)): (0.157205284552846, 0.682678410117434),
    ("ndka", "specificity", (0.8, 1.0)): (0.0384823848238482, 0.551339957844023),
    ("ndka", "sensitivity", (0.8, 1.0)): (0.0280487804878049, 0.522357723577236),
    ("ndka", "specificity", (0.6, 0.9)): (0.122831978319783, 0.606293285155074),
    ("ndka", "sensitivity", (0.6, 0.9)): (0.115277777777778, 0.589506172839506),
}


@pytest.mark.parametrize(("key", "expected"), PROC_PAUC.items(), ids=str)
def test_partial_auc_equals_pROC(key, expected):
    marker, focus, limits = key
    score = S100B if marker == "s100b" else NDKA
    plain = partial_auc(Y, score, limits=limits, focus=focus)
    corrected = partial_auc(Y, score, limits=limits, focus=focus, standardized=True)
    assert plain == pytest.approx(expected[0], rel=1e-13)
    assert corrected == pytest.approx(expected[1], rel=1e-13)
    # pROC writes the range high to low: either order is accepted
    assert partial_auc(Y, score, limits=limits[::-1], focus=focus) == plain


def test_full_range_is_the_auc_in_both_focuses():
    # auc(r1) = 0.731368563685637
    for focus in ("specificity", "sensitivity"):
        assert partial_auc(Y, S100B, limits=(0, 1), focus=focus) == pytest.approx(
            0.731368563685637, rel=1e-13
        )


scores = st.lists(st.integers(0, 6), min_size=4, max_size=30)
limits = st.tuples(st.floats(0, 1), st.floats(0, 1)).filter(lambda p: abs(p[0] - p[1]) > 1e-3)


def _labels(n: int) -> np.ndarray:
    return np.arange(n) % 2  # both classes


@settings(max_examples=60, deadline=None)
@given(s=scores, focus=st.sampled_from(["specificity", "sensitivity"]))
def test_property_full_range_equals_auc_with_ties(s, focus):
    y = _labels(len(s))
    assert partial_auc(y, s, limits=(0, 1), focus=focus) == pytest.approx(roc_auc(y, s))


@settings(max_examples=60, deadline=None)
@given(s=scores, cut=st.floats(0.01, 0.99), focus=st.sampled_from(["specificity", "sensitivity"]))
def test_property_partial_areas_add_up(s, cut, focus):
    y = _labels(len(s))
    left = partial_auc(y, s, limits=(0, cut), focus=focus)
    right = partial_auc(y, s, limits=(cut, 1), focus=focus)
    assert left + right == pytest.approx(roc_auc(y, s), abs=1e-12)
    assert 0 <= left <= cut + 1e-12 and 0 <= right <= 1 - cut + 1e-12


@settings(max_examples=60, deadline=None)
@given(s=scores, lim=limits)
def test_property_sensitivity_focus_is_specificity_focus_with_classes_swapped(s, lim):
    y = _labels(len(s))
    swapped = partial_auc(1 - y, -np.asarray(s), limits=lim, focus="specificity")
    assert partial_auc(y, s, limits=lim, focus="sensitivity") == pytest.approx(swapped, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(lim=limits, focus=st.sampled_from(["specificity", "sensitivity"]), n=st.integers(2, 20))
def test_property_mcclish_is_half_for_chance_and_one_for_perfect(lim, focus, n):
    y = _labels(2 * n)
    chance = partial_auc(y, np.ones(2 * n), limits=lim, focus=focus, standardized=True)
    perfect = partial_auc(y, y * 1.0, limits=lim, focus=focus, standardized=True)
    # McClish divides by max - min, as small as (hi - lo)^2 / 2 (a narrow range at lo = 0):
    # the rounding of the area grows by that factor (lim=(0, 0.0069): 1.6e-12)
    tol = max(1e-12, 1e-14 / (max(lim) - min(lim)) ** 2)
    assert chance == pytest.approx(0.5, abs=tol)
    assert perfect == pytest.approx(1.0, abs=tol)


def test_bootstrap_ci_agrees_with_pROC_within_monte_carlo_error():
    # set.seed(1); ci.auc(r1, partial.auc=c(1, 0.8), partial.auc.focus="specificity",
    #   method="bootstrap", boot.n=2000, reuse.auc=FALSE) -> 0.0499202235772358,
    #   0.0821815718157181, 0.116193258807588 (RANDOM)
    ci = partial_auc_ci(Y, S100B, limits=(0.8, 1), random_state=1)
    assert ci.partial_auc == pytest.approx(0.0805894308943089, rel=1e-13)
    assert ci.low == pytest.approx(0.0499202235772358, abs=0.006)
    assert ci.high == pytest.approx(0.116193258807588, abs=0.006)
    # set.seed(1); var(r1, partial.auc=c(1, 0.8), method="bootstrap", boot.n=2000,
    #   reuse.auc=FALSE) -> 0.000287245240040762 (RANDOM)
    assert ci.se**2 == pytest.approx(0.000287245240040762, rel=0.15)
    assert ci.method == "stratified bootstrap (percentile, B=2000)" and ci.seed == 1
    # McClish: 0.583111732158988, 0.672726588376995, 0.767203496687745 (RANDOM)
    corrected = partial_auc_ci(Y, S100B, limits=(0.8, 1), standardized=True, random_state=1)
    assert corrected.low == pytest.approx(0.583111732158988, abs=0.02)
    assert corrected.high == pytest.approx(0.767203496687745, abs=0.02)
    # sensitivity focus: 0.0209075203252032, 0.0504550587172538, 0.0885073678861788 (RANDOM)
    sens = partial_auc_ci(Y, S100B, limits=(0.8, 1), focus="sensitivity", random_state=1)
    assert sens.low == pytest.approx(0.0209075203252032, abs=0.006)
    assert sens.high == pytest.approx(0.0885073678861788, abs=0.006)


def test_bootstrap_ci_is_seeded_and_clipped():
    a = partial_auc_ci(Y, NDKA, n_boot=300, random_state=7)
    b = partial_auc_ci(Y, NDKA, n_boot=300, random_state=7)
    assert (a.low, a.high, a.se) == (b.low, b.high, b.se)
    assert 0 <= a.low <= a.partial_auc <= a.high <= 0.2


def test_paired_test_agrees_with_pROC_within_monte_carlo_error():
    # set.seed(1); roc.test(r1, r2, method="bootstrap", boot.n=2000, partial.auc=c(1, 0.8),
    #   reuse.auc=FALSE) -> D = 1.83978887088458, p = 0.0657992399704368 (RANDOM);
    #   partial.auc.focus="sensitivity": D = 0.860236594542889, p = 0.389658636225857
    res = partial_auc_test(Y, S100B, NDKA, limits=(0.8, 1), random_state=1)
    assert isinstance(res, AUCComparison) and res.paired
    assert (res.auc_a, res.auc_b) == pytest.approx((0.0805894308943089, 0.0384823848238482))
    assert res.statistic == pytest.approx(1.83978887088458, abs=0.15)
    assert res.p_value == pytest.approx(0.0657992399704368, abs=0.02)
    sens = partial_auc_test(Y, S100B, NDKA, focus="sensitivity", random_state=1)
    assert sens.statistic == pytest.approx(0.860236594542889, abs=0.1)
    assert sens.p_value == pytest.approx(0.389658636225857, abs=0.04)
    # pROC: D is identical with partial.auc.correct=TRUE (the correction is linear)
    corrected = partial_auc_test(Y, S100B, NDKA, standardized=True, random_state=1)
    assert corrected.statistic == pytest.approx(res.statistic, rel=1e-9)
    assert corrected.p_value == pytest.approx(res.p_value, rel=1e-9)
    assert "partial AUC (specificity 0.8 to 1)" in res.method


def test_paired_test_of_a_model_with_itself_is_null():
    res = partial_auc_test(Y, S100B, S100B, n_boot=200, random_state=0)
    assert res.difference == 0 and res.statistic == 0 and res.p_value == 1


def test_unpaired_test():
    same = partial_auc_test_unpaired(Y, S100B, Y, S100B, n_boot=300, random_state=3)
    assert same.difference == 0 and same.p_value == 1 and not same.paired
    res = partial_auc_test_unpaired(Y, S100B, Y, NDKA, n_boot=500, random_state=3)
    assert res.seed == 3 and res.n_boot == 500
    assert res.low < res.difference < res.high
    assert res.alternative == "two-sided"
    greater = partial_auc_test_unpaired(
        Y, S100B, Y, NDKA, n_boot=500, random_state=3, alternative="greater"
    )
    assert greater.p_value == pytest.approx(res.p_value / 2)


def test_result_protocol_and_plot():
    ci = partial_auc_ci(Y, S100B, n_boot=100, random_state=0)
    assert isinstance(ci, PartialAUCInterval)
    plain = to_plain(ci.to_dict(), json_safe=True)
    assert "bootstrap" not in plain and json.dumps(plain, allow_nan=False)
    assert "partial AUC (specificity 0.8 to 1)" in ci.table() and "seed 0" in str(ci)
    try:
        for focus in ("specificity", "sensitivity"):
            result = partial_auc_ci(Y, S100B, focus=focus, n_boot=50, random_state=0)
            ax = plot_partial_auc(result, label="s100b")
            assert len(ax.collections) == 1
            assert ax.get_legend().get_texts()[0].get_text().startswith("s100b: pAUC")
    finally:
        plt.close("all")


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"limits": "0.8"}, TypeError, "limits"),
        ({"limits": (0.8,)}, TypeError, "limits"),
        ({"limits": (True, 0.8)}, TypeError, "limits"),
        ({"limits": (0.8, 0.8)}, ValueError, "limits"),
        ({"limits": (-0.1, 0.8)}, ValueError, "limits"),
        ({"limits": (0.5, 1.2)}, ValueError, "limits"),
        ({"limits": (np.nan, 0.8)}, ValueError, "limits"),
        ({"focus": "specificities"}, ValueError, "focus"),
    ],
)
def test_bad_options_name_the_argument(kwargs, error, name):
    with pytest.raises(error, match=name):
        partial_auc(Y, S100B, **kwargs)
    with pytest.raises(error, match=name):
        partial_auc_ci(Y, S100B, n_boot=10, random_state=0, **kwargs)


def test_bad_data_names_the_argument():
    with pytest.raises(ValueError, match="y_score"):
        partial_auc(Y, S100B[:-1])
    with pytest.raises(ValueError, match="score_b"):
        partial_auc_test(Y, S100B, NDKA[:-1], n_boot=10)
    with pytest.raises(ValueError, match="alternative"):
        partial_auc_test(Y, S100B, NDKA, n_boot=10, alternative="both")
    with pytest.raises(ValueError, match="level"):
        partial_auc_ci(Y, S100B, level=95)
    with pytest.raises(ValueError, match="n_boot"):
        partial_auc_ci(Y, S100B, n_boot=0)
