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

import itertools
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxreval import AUCComparison, delong_test, roc_auc, roc_auc_ci
from cxreval._plain import to_plain
from cxreval.delong import delong_variance
from cxreval.partial_roc import (
    PartialAUCInterval,
    _placements,
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


# --- the DeLong-type interval and tests (ci_method="delong") ---------------------------------

FOCI = ("specificity", "sensitivity")


def _binormal(n: int, seed: int, ties: bool) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.r_[np.zeros(n, int), np.ones(n, int)]
    s = 1.2 * y + rng.normal(0, 1, 2 * n)
    return y, (np.round(2 * s) / 2 if ties else s)  # ties: 11-ish distinct scores


def _wald_se(res) -> float:
    """The SE behind a Wald interval of level 0.95 (unclipped)."""
    return (res.high - res.low) / (2 * 1.959963984540054)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("focus", FOCI)
def test_delong_type_over_the_full_range_is_delong(ties, focus):
    y, s = _binormal(60, 11, ties)
    a, b = s, s + np.random.default_rng(3).normal(0, 1, len(s))
    ci = partial_auc_ci(y, a, limits=(0, 1), focus=focus, ci_method="delong")
    ref = roc_auc_ci(y, a)  # DeLong, as pROC's ci.auc
    _, var = delong_variance(a[y == 1], a[y == 0])
    assert ci.se**2 == pytest.approx(var, rel=1e-12, abs=1e-15)
    assert (ci.partial_auc, ci.low, ci.high) == pytest.approx(
        (ref.auc, ref.low, ref.high), rel=1e-12
    )
    assert ci.method == "DeLong-type (placement values, delta method)" and ci.ci_type == "wald"
    # the paired test is DeLong's test, the unpaired one uses the two DeLong variances
    paired = partial_auc_test(y, a, b, limits=(0, 1), focus=focus, ci_method="delong")
    ref_test = delong_test(y, a, b)
    assert paired.statistic == pytest.approx(ref_test.statistic, rel=1e-10)
    assert (paired.low, paired.high) == pytest.approx((ref_test.low, ref_test.high), rel=1e-10)
    unpaired = partial_auc_test_unpaired(y, a, y, b, limits=(0, 1), focus=focus, ci_method="delong")
    _, var_b = delong_variance(b[y == 1], b[y == 0])
    assert _wald_se(unpaired) == pytest.approx(np.sqrt(var + var_b), rel=1e-12)


def _brute_force_variance(y, s, lo, hi, focus):
    """The DeLong-type variance from its definition, by slow loops and quadrature: each
    positive's V = integral over [a, b] of its own ROC step (the share of its block of
    false-positive rates at or below t), each negative's W = the mean of R(clip(s, a, b))
    over its block + (b - 1) R(b) - a R(a), R drawn point by point from the thresholds."""
    from scipy.integrate import quad

    y, s = np.asarray(y), np.asarray(s, float)
    if focus == "sensitivity":
        y, s = 1 - y, -s
    pos, neg = s[y == 1], s[y == 0]
    a, b = 1 - hi, 1 - lo
    points = [(0.0, 0.0)]
    for c in sorted(set(s), reverse=True):
        points.append((np.mean(neg >= c), np.mean(pos >= c)))

    def roc(t):  # the broken line, the middle of a vertical step
        values = [tp for fp, tp in points if fp == t]
        if values:
            return (min(values) + max(values)) / 2
        for (f0, t0), (f1, t1) in itertools.pairwise(points):
            if f0 < t < f1:
                return t0 + (t1 - t0) * (t - f0) / (f1 - f0)
        raise AssertionError(t)

    def block(v):
        return np.mean(neg > v), np.mean(neg >= v)

    def own_step(t, p, q):  # the share of [p, q] at or below t
        return float(t >= p) if p == q else min(max((t - p) / (q - p), 0), 1)

    v_pos = []
    for x in pos:
        p, q = block(x)
        v_pos.append(quad(own_step, a, b, args=(p, q), points=[p, q], limit=200)[0])
    w_neg = []
    for v in neg:
        p, q = block(v)
        knots = [f for f, _ in points if p <= f <= q]
        mean = quad(lambda t: roc(min(max(t, a), b)), p, q, points=[*knots, a, b], limit=200)[0]
        w_neg.append(mean / (q - p) + (b - 1) * roc(b) - a * roc(a))
    return np.var(v_pos, ddof=1) / len(pos) + np.var(w_neg, ddof=1) / len(neg)


@pytest.mark.parametrize(
    ("ties", "focus", "limits"),
    [
        (False, "specificity", (0.8, 1.0)),
        (True, "specificity", (0.8, 1.0)),
        (True, "sensitivity", (0.9, 1.0)),
        (True, "specificity", (0.55, 0.85)),
        (False, "sensitivity", (0.3, 0.72)),
    ],
)
def test_delong_type_variance_equals_its_definition_by_brute_force(ties, focus, limits):
    y, s = _binormal(25, 5, ties)
    ci = partial_auc_ci(y, s, limits=limits, focus=focus, ci_method="delong")
    assert ci.se**2 == pytest.approx(_brute_force_variance(y, s, *limits, focus), rel=1e-8)


@pytest.mark.parametrize(
    ("n", "seed", "ties", "focus", "limits"),
    [
        (300, 1, False, "specificity", (0.8, 1.0)),
        (200, 6, False, "sensitivity", (0.9, 1.0)),
        (300, 3, True, "specificity", (0.9, 1.0)),
        (400, 4, True, "sensitivity", (0.6, 0.93)),
    ],
)
def test_delong_type_se_agrees_with_the_bootstrap_se(n, seed, ties, focus, limits):
    # The ratio analytic / bootstrap SE (B = 1000) over 20 binormal data sets (mu = 1.2,
    # sensitivity focus): 0.975 +/- 0.034 at n = 200 and range 0.9-1 (min 0.906, max 1.051),
    # 0.992 +/- 0.031 at 0.8-1, 0.999 +/- 0.028 at n = 400 and 0.9-1; so 10 % is about 3 SD
    # (seed 2 at n = 200, 0.9-1 gives 1.115, such a tail).
    y, s = _binormal(n, seed, ties)
    analytic = partial_auc_ci(y, s, limits=limits, focus=focus, ci_method="delong")
    boot = partial_auc_ci(y, s, limits=limits, focus=focus, n_boot=2000, random_state=seed)
    assert analytic.partial_auc == boot.partial_auc
    assert analytic.se == pytest.approx(boot.se, rel=0.10)


@settings(max_examples=60, deadline=None)
@given(s=scores, lim=limits, focus=st.sampled_from(FOCI))
def test_property_variance_is_nonnegative_and_rank_invariant(s, lim, focus):
    y = _labels(len(s))
    se = partial_auc_ci(y, s, limits=lim, focus=focus, ci_method="delong").se
    x = np.asarray(s, float)
    moved = partial_auc_ci(y, np.exp(x) + x**3, limits=lim, focus=focus, ci_method="delong").se
    assert se >= 0 and moved == pytest.approx(se, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(s=scores, lim=limits, focus=st.sampled_from(FOCI))
def test_property_placement_values_average_to_the_partial_auc(s, lim, focus):
    y = _labels(len(s)).astype(bool)
    value, _, w, _ = _placements(y, np.asarray(s, float), min(lim), max(lim), focus)
    expected = partial_auc(y, s, limits=lim, focus=focus)
    assert value == pytest.approx(expected, abs=1e-12)
    assert np.mean(w) == pytest.approx(expected, abs=1e-12)


def test_delong_type_mcclish_scales_the_se_and_leaves_the_test_unchanged():
    lo, hi = 0.8, 1.0
    plain = partial_auc_ci(Y, S100B, limits=(lo, hi), ci_method="delong")
    corrected = partial_auc_ci(Y, S100B, limits=(lo, hi), ci_method="delong", standardized=True)
    smallest = ((1 - lo) ** 2 - (1 - hi) ** 2) / 2
    assert corrected.se == pytest.approx(plain.se / (2 * (hi - lo - smallest)), rel=1e-12)
    a = partial_auc_test(Y, S100B, NDKA, ci_method="delong")
    b = partial_auc_test(Y, S100B, NDKA, ci_method="delong", standardized=True)
    assert b.statistic == pytest.approx(a.statistic, rel=1e-12)
    assert b.p_value == pytest.approx(a.p_value, rel=1e-12)


def test_delong_type_on_asah_near_pROCs_bootstrap():
    # pROC has no DeLong for a partial AUC; its bootstrap (RANDOM, set.seed(1), boot.n=2000):
    #   var(r1, partial.auc=c(1, 0.8), method="bootstrap") -> 0.000287245240040762
    #   roc.test(r1, r2, method="bootstrap", partial.auc=c(1, 0.8)) -> D = 1.83978887088458
    #   partial.auc.focus="sensitivity" -> D = 0.860236594542889
    # The analytic numbers were worked out here (0.000334436, 1.7719, 0.8306): on 41
    # positives they are within 20 % (variance) and 0.1 (D) of the bootstrap's.
    ci = partial_auc_ci(Y, S100B, limits=(0.8, 1), ci_method="delong")
    assert ci.se**2 == pytest.approx(0.000287245240040762, rel=0.2)
    assert ci.seed is None and ci.n_boot is None and "seed" not in str(ci)
    assert json.dumps(to_plain(ci.to_dict(), json_safe=True), allow_nan=False)
    res = partial_auc_test(Y, S100B, NDKA, limits=(0.8, 1), ci_method="delong")
    assert res.statistic == pytest.approx(1.83978887088458, abs=0.1)
    assert res.paired and res.n_boot is None and res.seed is None
    assert res.method.startswith("paired DeLong-type (placement values, delta method)")
    sens = partial_auc_test(Y, S100B, NDKA, focus="sensitivity", ci_method="delong")
    assert sens.statistic == pytest.approx(0.860236594542889, abs=0.1)


def test_delong_type_tests_of_a_model_with_itself_are_null():
    paired = partial_auc_test(Y, S100B, S100B, ci_method="delong")
    assert paired.difference == 0 and paired.statistic == 0 and paired.p_value == 1
    unpaired = partial_auc_test_unpaired(Y, S100B, Y, S100B, ci_method="delong")
    assert unpaired.statistic == 0 and not unpaired.paired and unpaired.seed is None
    greater = partial_auc_test_unpaired(
        Y, S100B, Y, NDKA, ci_method="delong", alternative="greater"
    )
    two = partial_auc_test_unpaired(Y, S100B, Y, NDKA, ci_method="delong")
    assert greater.p_value == pytest.approx(two.p_value / 2)


def test_delong_type_interval_is_clipped_and_undefined_with_one_positive():
    y, s = _binormal(15, 0, False)
    ci = partial_auc_ci(y, 5 * y + s, limits=(0.9, 1), ci_method="delong")  # near perfect
    assert ci.high <= 0.1 and ci.low >= 0
    with pytest.warns(RuntimeWarning, match="at least 2 of each"):
        nan = partial_auc_ci([0, 0, 0, 1], [0.1, 0.2, 0.3, 0.4], ci_method="delong")
    assert np.isnan(nan.se) and np.isnan(nan.low)


def test_delong_type_bad_input_names_the_argument():
    for call in (
        lambda **kw: partial_auc_ci(Y, S100B, **kw),
        lambda **kw: partial_auc_test(Y, S100B, NDKA, **kw),
        lambda **kw: partial_auc_test_unpaired(Y, S100B, Y, NDKA, **kw),
    ):
        with pytest.raises(ValueError, match="ci_method must be one of"):
            call(ci_method="wald")
        with pytest.raises(ValueError, match="n_boot"):
            call(ci_method="delong", n_boot=0)
    groups = np.arange(len(Y)) // 2
    with pytest.raises(ValueError, match='groups cannot be combined with ci_method="delong"'):
        partial_auc_ci(Y, S100B, ci_method="delong", groups=groups)
    with pytest.raises(ValueError, match='groups cannot be combined with ci_method="delong"'):
        partial_auc_test(Y, S100B, NDKA, ci_method="delong", groups=groups)
    with pytest.raises(ValueError, match="groups_b cannot be combined"):
        partial_auc_test_unpaired(Y, S100B, Y, NDKA, ci_method="delong", groups_b=groups)
    with pytest.raises(ValueError, match="bootstrap_method"):
        partial_auc_ci(Y, S100B, ci_method="delong", bootstrap_method="student")
