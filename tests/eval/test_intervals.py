"""Proportion and ratio intervals against published and independently computed values."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from cxreval.intervals import PROPORTION_CI_METHODS, proportion_ci, ratio_ci

Z95 = 1.959963984540054  # standard normal 97.5 % quantile

# Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison
# of seven methods", Stat Med 17:857-872, Table II: methods 1 (Wald), 3 (Wilson score) and
# 5 (Clopper-Pearson), 95 %, to 4 decimals. The Wald bounds are shown clipped to [0, 1].
NEWCOMBE = [
    (81, 263, "normal", (0.2522, 0.3638)),
    (81, 263, "wilson", (0.2553, 0.3662)),
    (81, 263, "clopper-pearson", (0.2527, 0.3676)),
    (15, 148, "normal", (0.0527, 0.1500)),
    (15, 148, "wilson", (0.0624, 0.1605)),
    (15, 148, "clopper-pearson", (0.0578, 0.1617)),
    (0, 20, "wilson", (0.0, 0.1611)),
    (0, 20, "clopper-pearson", (0.0, 0.1684)),
    (1, 29, "normal", (0.0, 0.1009)),
    (1, 29, "wilson", (0.0061, 0.1718)),
    (1, 29, "clopper-pearson", (0.0009, 0.1776)),
    (29, 29, "wilson", (0.8830, 1.0)),
    (29, 29, "clopper-pearson", (0.8806, 1.0)),
]


@pytest.mark.parametrize(("x", "n", "method", "expected"), NEWCOMBE)
def test_newcombe_1998_table(x, n, method, expected):
    low, high = proportion_ci(x, n, ci_method=method)
    assert round(float(low), 4) == pytest.approx(expected[0], abs=1e-12)
    assert round(float(high), 4) == pytest.approx(expected[1], abs=1e-12)


@settings(max_examples=60)
@given(
    n=st.integers(1, 500),
    frac=st.floats(0, 1),
    level=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_wilson_and_clopper_pearson_match_scipy(n, frac, level):
    x = round(frac * n)
    for method, scipy_name in (("wilson", "wilson"), ("clopper-pearson", "exact")):
        ref = binomtest(x, n).proportion_ci(level, scipy_name)
        low, high = proportion_ci(x, n, level=level, ci_method=method)
        assert float(low) == pytest.approx(ref.low, abs=1e-10)
        assert float(high) == pytest.approx(ref.high, abs=1e-10)


def test_agresti_coull_by_hand():
    # 350 of 390 at 95 %: n~ = n + z^2, p~ = (x + z^2/2) / n~, p~ -+ z sqrt(p~ (1-p~) / n~)
    n_t = 390 + Z95**2
    p_t = (350 + Z95**2 / 2) / n_t
    half = Z95 * math.sqrt(p_t * (1 - p_t) / n_t)
    low, high = proportion_ci(350, 390, ci_method="agresti-coull")
    assert float(low) == pytest.approx(p_t - half, rel=1e-12)
    assert float(high) == pytest.approx(p_t + half, rel=1e-12)


def test_normal_by_hand_at_90_percent():
    z90 = 1.6448536269514722
    p = 60 / 234
    half = z90 * math.sqrt(p * (1 - p) / 234)
    low, high = proportion_ci(60, 234, level=0.9, ci_method="normal")
    assert (float(low), float(high)) == pytest.approx((p - half, p + half), rel=1e-12)


def test_vectorized_and_nan_without_trials():
    low, high = proportion_ci([3, 0, 5], [10, 0, 5])
    assert low.shape == (3,)
    assert np.isnan(low[1]) and np.isnan(high[1])
    single = proportion_ci(3, 10)
    assert low[0] == pytest.approx(float(single[0]))
    assert high[2] == 1.0


@settings(max_examples=40)
@given(
    n=st.integers(1, 300),
    frac=st.floats(0, 1),
    method=st.sampled_from(sorted(PROPORTION_CI_METHODS)),
)
def test_interval_contains_estimate_and_widens_with_level(n, frac, method):
    x = round(frac * n)
    lo90, hi90 = proportion_ci(x, n, level=0.9, ci_method=method)
    lo99, hi99 = proportion_ci(x, n, level=0.99, ci_method=method)
    assert 0.0 <= lo99 <= lo90 + 1e-12 and hi90 <= hi99 + 1e-12 <= 1.0 + 1e-12
    if method != "agresti-coull":  # its centre is pulled to 1/2 and may exclude x/n = 0 or 1
        assert lo90 - 1e-12 <= x / n <= hi90 + 1e-12


def test_likelihood_ratio_intervals_by_hand():
    tp, fp, fn, tn = 350, 60, 40, 174
    lr_pos = (tp / (tp + fn)) / (fp / (fp + tn))
    se_pos = math.sqrt(1 / tp - 1 / (tp + fn) + 1 / fp - 1 / (fp + tn))
    low, high = ratio_ci(tp, fp, fn, tn, statistic="lr_positive")
    assert (float(low), float(high)) == pytest.approx(
        (lr_pos * math.exp(-Z95 * se_pos), lr_pos * math.exp(Z95 * se_pos)), rel=1e-12
    )
    lr_neg = (fn / (tp + fn)) / (tn / (fp + tn))
    se_neg = math.sqrt(1 / fn - 1 / (tp + fn) + 1 / tn - 1 / (fp + tn))
    low, high = ratio_ci(tp, fp, fn, tn, statistic="lr_negative")
    assert (float(low), float(high)) == pytest.approx(
        (lr_neg * math.exp(-Z95 * se_neg), lr_neg * math.exp(Z95 * se_neg)), rel=1e-12
    )


def test_odds_ratio_woolf_worked_example():
    # 2 x 2 table a=20, b=10, c=5, d=15 (tp, fp, fn, tn): OR = 6, SE(ln OR) = sqrt(1/20 +
    # 1/10 + 1/5 + 1/15) = 0.645497, 95 % CI 6 exp(-+ 1.959964 * 0.645497) = 1.6932 .. 21.2618
    low, high = ratio_ci(20, 10, 5, 15, statistic="diagnostic_odds_ratio")
    assert round(float(low), 4) == 1.6932
    assert round(float(high), 4) == 21.2618


def test_ratio_interval_undefined_with_a_zero_cell():
    low, high = ratio_ci([10, 10], [0, 5], [3, 3], [20, 20], statistic="lr_positive")
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert np.isfinite(low[1]) and np.isfinite(high[1])
    low, _ = ratio_ci(10, 5, 0, 20, statistic="diagnostic_odds_ratio")
    assert np.isnan(low)


def test_bad_arguments():
    with pytest.raises(ValueError, match="method must be one of"):
        proportion_ci(1, 2, ci_method="bayes")  # "jeffreys" became a method (issue 18)
    with pytest.raises(ValueError, match="level must be in"):
        proportion_ci(1, 2, level=95)
    with pytest.raises(ValueError, match="successes must not exceed trials"):
        proportion_ci(3, 2)
    with pytest.raises(ValueError, match="trials must be non-negative"):
        proportion_ci(1, -2)
    with pytest.raises(ValueError, match="successes must be non-negative counts without NaN"):
        proportion_ci(np.nan, 2)
    with pytest.raises(
        ValueError, match="successes must be non-negative counts without NaN or inf"
    ):
        proportion_ci(np.inf, np.inf)
    with pytest.raises(ValueError, match="trials must be non-negative counts without NaN or inf"):
        proportion_ci(1, np.inf)
    with pytest.raises(ValueError, match="statistic must be one of"):
        ratio_ci(1, 1, 1, 1, statistic="f1")
    with pytest.raises(ValueError, match="tn must be non-negative"):
        ratio_ci(1, 1, 1, -1, statistic="lr_positive")


# issue 16, item 16: the exact endpoints were off by one rounding unit (Wilson's lower
# bound at 0 successes was 5.55e-17 and its upper bound at n successes 0.9999999999999999)
def test_wilson_endpoints_are_exact():
    assert proportion_ci(0, 3)[0] == 0.0
    assert proportion_ci(29, 29)[1] == 1.0
    # the other bounds against the closed forms: x = 0 -> high z^2 / (n + z^2)
    assert proportion_ci(0, 3)[1] == pytest.approx(Z95**2 / (3 + Z95**2), rel=1e-14)
    assert proportion_ci(29, 29)[0] == pytest.approx(29 / (29 + Z95**2), rel=1e-14)


@pytest.mark.parametrize("method", sorted(PROPORTION_CI_METHODS))
@pytest.mark.parametrize("n", [1, 2, 3, 7, 29, 100, 1001])
def test_exact_endpoints_for_every_method(method, n):
    low, high = proportion_ci(np.arange(n + 1), n, ci_method=method)
    assert low[0] == 0.0 and high[-1] == 1.0
    assert np.all(low <= np.arange(n + 1) / n) and np.all(np.arange(n + 1) / n <= high)


def test_statmaker_recall_interval_contains_a_perfect_recall():
    from cxreval import statmaker

    low, high = statmaker([[10, 0], [0, 29]], zero_division=np.nan).ci["recall"]
    assert high == 1.0 and low <= 1.0


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(1, 10**6),
    share=st.floats(0, 1),
    level=st.floats(0.5, 0.9999),
    method=st.sampled_from(sorted(PROPORTION_CI_METHODS)),
)
def test_every_interval_contains_its_estimate(n, share, level, method):
    x = math.floor(share * n)
    low, high = proportion_ci(x, n, level=level, ci_method=method)
    assert 0.0 <= low <= x / n <= high <= 1.0


# issue 16, items 20 and 23: mismatched shapes and numeric strings, named
def test_counts_of_two_shapes_and_strings_are_refused_by_name():
    from cxreval import binary_intervals, binary_statistics

    with pytest.raises(ValueError, match=r"successes, trials must have one shape.*\(2,\)"):
        proportion_ci([1, 2], [3, 4, 5])
    with pytest.raises(ValueError, match="tp, fp, fn, tn must have one shape"):
        binary_statistics([1, 2], [1, 2, 3], 1, 1)
    with pytest.raises(ValueError, match="tp, fp, fn, tn must have one shape"):
        binary_intervals([1, 2], [1, 2, 3], 1, 1)
    with pytest.raises(TypeError, match="successes must be numeric counts"):
        proportion_ci("3", 5)
    with pytest.raises(TypeError, match="trials must be numeric counts"):
        proportion_ci(3, np.array(["5"], dtype=object))
    with pytest.raises(TypeError, match="fp must be numeric counts"):
        binary_statistics(1, "2", 3, 4)
    with pytest.raises(TypeError, match="tn must be numeric counts"):
        binary_intervals(1, 2, 3, ["4"])
    with pytest.raises(TypeError, match="tp must be numeric counts"):
        ratio_ci(True, 2, 3, 4, statistic="lr_positive")


def test_entry_names_must_name_every_entry():
    from cxreval import binary_statistics

    with pytest.raises(ValueError, match="entry_names has 1 names but the counts have 2"):
        binary_statistics([1, 2], [0, 0], [1, 1], [1, 1], entry_names=["a"])
    with pytest.raises(TypeError, match="entry_names must be a sequence"):
        binary_statistics([1, 2], [0, 0], [1, 1], [1, 1], entry_names="ab")
