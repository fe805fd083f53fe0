"""DeLong variance, covariance, intervals and tests against an independent computation.

Expected values come from the definition in DeLong, DeLong & Clarke-Pearson (1988): the
O(n1 n0) Mann-Whitney kernel psi(x, y) = [x > y] + [x == y] / 2, its row and column means
(the placement values) and sample (co)variances with ddof = 1 -- what pROC computes. The
package computes the same numbers by Sun & Xu's midrank algorithm.
"""

import numpy as np
import pytest
from scipy import stats

from cxreval import delong_covariance, delong_test, delong_test_unpaired, roc_auc_ci
from cxreval.delong import midranks


def naive_placements(y, score):
    """(auc, V10, V01) from the full n1 x n0 kernel matrix."""
    y = np.asarray(y).astype(bool)
    x, z = score[y], score[~y]
    psi = (x[:, None] > z[None, :]) + 0.5 * (x[:, None] == z[None, :])
    return psi.mean(), psi.mean(axis=1), psi.mean(axis=0)


def naive_cov(y, *scores):
    parts = [naive_placements(y, s) for s in scores]
    m, n = len(parts[0][1]), len(parts[0][2])
    k = len(scores)
    cov = np.empty((k, k))
    for a in range(k):
        for b in range(k):
            va, vb = parts[a], parts[b]
            s10 = np.sum((va[1] - va[1].mean()) * (vb[1] - vb[1].mean())) / (m - 1)
            s01 = np.sum((va[2] - va[2].mean()) * (vb[2] - vb[2].mean())) / (n - 1)
            cov[a, b] = s10 / m + s01 / n
    return np.array([p[0] for p in parts]), cov


@pytest.fixture
def paired_data():
    rng = np.random.default_rng(42)
    y = rng.integers(0, 2, 150)
    a = np.round(y * 1.2 + rng.normal(0, 1, 150), 1)  # rounding makes ties
    b = np.round(y * 0.6 + 0.5 * a + rng.normal(0, 1, 150), 1)
    return y, a, b


def test_midranks_match_scipy():
    x = np.array([3.0, 1.0, 3.0, 2.0, 3.0, 1.0])
    np.testing.assert_array_equal(midranks(x), stats.rankdata(x))


def test_variance_by_hand():
    # positives 0.35, 0.8; negatives 0.1, 0.4 -> V10 = (0.5, 1), V01 = (1, 0.5)
    # var(V10) = var(V01) = 0.125 (ddof=1): 0.125 / 2 + 0.125 / 2 = 0.125
    aucs, cov = delong_covariance([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    assert aucs[0] == 0.75
    assert cov[0, 0] == pytest.approx(0.125, abs=1e-15)


def test_covariance_matches_kernel_definition(paired_data):
    y, a, b = paired_data
    aucs, cov = delong_covariance(y, a, b)
    expected_aucs, expected_cov = naive_cov(y, a, b)
    np.testing.assert_allclose(aucs, expected_aucs, atol=1e-12)
    np.testing.assert_allclose(cov, expected_cov, atol=1e-12)


def test_ci_is_wald_interval_clipped(paired_data):
    y, a, _ = paired_data
    auc, cov = naive_cov(y, a)
    ci = roc_auc_ci(y, a, level=0.9)
    half = stats.norm.ppf(0.95) * np.sqrt(cov[0, 0])
    assert ci.auc == pytest.approx(auc[0], abs=1e-12)
    assert ci.se == pytest.approx(np.sqrt(cov[0, 0]), abs=1e-12)
    assert ci.low == pytest.approx(auc[0] - half, abs=1e-9)
    assert ci.high == pytest.approx(auc[0] + half, abs=1e-9)
    assert (ci.method, ci.level, ci.n_boot) == ("DeLong", 0.9, None)


def test_paired_test_matches_definition(paired_data):
    y, a, b = paired_data
    aucs, cov = naive_cov(y, a, b)
    se = np.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
    z = (aucs[0] - aucs[1]) / se
    res = delong_test(y, a, b)
    assert res.statistic == pytest.approx(z, abs=1e-9)
    assert res.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), abs=1e-9)
    assert res.low == pytest.approx(aucs[0] - aucs[1] - 1.959963984540054 * se, abs=1e-9)
    greater = delong_test(y, a, b, alternative="greater")
    less = delong_test(y, a, b, alternative="less")
    assert greater.p_value == pytest.approx(stats.norm.sf(z), abs=1e-12)
    assert greater.p_value + less.p_value == pytest.approx(1.0, abs=1e-12)
    assert res.method == "DeLong paired" and res.paired and res.df is None


def test_identical_curves_give_z_zero_and_p_one(paired_data):
    y, a, _ = paired_data
    res = delong_test(y, a, a)
    assert (res.statistic, res.p_value, res.difference) == (0.0, 1.0, 0.0)


def test_unpaired_test_matches_proc_formula(paired_data):
    y, a, _ = paired_data
    rng = np.random.default_rng(1)
    y2 = rng.integers(0, 2, 90)
    s2 = y2 * 0.5 + rng.normal(0, 1, 90)
    (auc1,), c1 = naive_cov(y, a)
    (auc2,), c2 = naive_cov(y2, s2)
    v1, v2 = c1[0, 0], c2[0, 0]
    d = (auc1 - auc2) / np.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (len(y) - 1) + v2**2 / (len(y2) - 1))
    res = delong_test_unpaired(y, a, y2, s2)
    assert res.statistic == pytest.approx(d, abs=1e-9)
    assert res.df == pytest.approx(df, rel=1e-9)
    assert res.p_value == pytest.approx(2 * stats.t.sf(abs(d), df), abs=1e-9)
    assert res.high - res.difference == pytest.approx(
        stats.t.ppf(0.975, df) * np.sqrt(v1 + v2), abs=1e-9
    )
    assert not res.paired and res.method == "DeLong unpaired"


def test_perfect_separation_has_zero_variance_and_no_nan():
    ci = roc_auc_ci([0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.8, 0.9])
    assert (ci.auc, ci.low, ci.high, ci.se) == (1.0, 1.0, 1.0, 0.0)
    ci = roc_auc_ci([0, 0, 1, 1], [0.5, 0.5, 0.5, 0.5])
    assert (ci.auc, ci.low, ci.high) == (0.5, 0.5, 0.5)


def test_bad_inputs():
    with pytest.raises(ValueError, match="score_a=3, score_b=2"):
        delong_test([0, 1, 1], [0.1, 0.2, 0.3], [0.1, 0.2])
    with pytest.raises(ValueError, match="alternative must be one of"):
        delong_test([0, 1], [0.1, 0.2], [0.2, 0.1], alternative="bigger")
    with pytest.raises(ValueError, match="one class only"):
        delong_covariance([1, 1, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"y_scores\[1\] contains NaN"):
        delong_covariance([0, 1], [0.1, 0.2], [0.3, np.nan])
    with pytest.raises(ValueError, match="at least one score"):
        delong_covariance([0, 1])
    with pytest.raises(ValueError, match="score_b contains infinite"):
        delong_test_unpaired([0, 1], [0.1, 0.2], [0, 1], [0.1, np.inf])


# ------------------------------------------------- undefined variance: < 2 of a class
# With one positive the ddof=1 variance of its single placement value does not exist
# (pROC: NA). Positive 0.5 beats 4 of the 5 negatives: AUC = 4/5 stays defined.
ONE_POS_Y = np.array([0, 0, 0, 0, 0, 1])
ONE_POS_S = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.5])


def test_single_positive_gives_nan_covariance_with_warning():
    with pytest.warns(RuntimeWarning, match="undefined with 1 positive") as record:
        aucs, cov = delong_covariance(ONE_POS_Y, ONE_POS_S, ONE_POS_S[::-1])
    assert record[0].filename == __file__  # the warning points at the caller's line
    # reversed, the positive scores 0.1 and beats no negative: AUC 0
    assert aucs.tolist() == [0.8, 0.0]  # the AUCs themselves stay defined
    assert cov.shape == (2, 2) and np.isnan(cov).all()


def test_single_positive_gives_nan_delong_interval():
    with pytest.warns(RuntimeWarning, match="DeLong variance is undefined"):
        ci = roc_auc_ci(ONE_POS_Y, ONE_POS_S)
    assert ci.auc == 0.8
    assert np.isnan(ci.se) and np.isnan(ci.low) and np.isnan(ci.high)


def test_single_negative_gives_nan_paired_test():
    y = 1 - ONE_POS_Y  # one negative: a scores it 0.5 (below 0.6 only), b 0.1 (lowest)
    with pytest.warns(RuntimeWarning, match="1 negative"):
        res = delong_test(y, ONE_POS_S, ONE_POS_S[::-1])
    assert res.auc_a == pytest.approx(0.2) and res.auc_b == 1.0
    for value in (res.statistic, res.p_value, res.low, res.high):
        assert np.isnan(value)


def test_single_positive_gives_nan_unpaired_test():
    y_b = np.array([0, 0, 1, 1])
    with pytest.warns(RuntimeWarning, match="undefined with 1 positive"):
        res = delong_test_unpaired(ONE_POS_Y, ONE_POS_S, y_b, [0.1, 0.4, 0.35, 0.8])
    assert res.difference == pytest.approx(0.8 - 0.75)
    for value in (res.statistic, res.p_value, res.low, res.high, res.df):
        assert np.isnan(value)


def test_two_of_each_class_is_defined_without_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ci = roc_auc_ci([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    # variance 0.125 by hand (test_variance_by_hand), z_0.975 = 1.959964
    assert ci.se == pytest.approx(np.sqrt(0.125))
    assert ci.low == pytest.approx(0.75 - 1.959963984540054 * np.sqrt(0.125))
    assert ci.high == 1.0


def test_multiclass_per_class_interval_nan_for_a_single_case_class():
    from cxreval import roc_auc_multiclass

    y = np.array([0, 0, 0, 1, 1, 1, 2])
    scores = np.eye(3)[y] * 0.5 + np.linspace(0, 0.3, 21).reshape(7, 3)
    with pytest.warns(RuntimeWarning, match="undefined with 1 positive"):
        res = roc_auc_multiclass(y, scores, n_boot=40, random_state=0)
    assert np.isnan(res.per_class[2].low) and np.isnan(res.per_class[2].high)
    assert np.isfinite(res.per_class[0].low)


def test_scalar_score_is_rejected_by_name():
    with pytest.raises(ValueError, match="score_a must be 1-D"):
        delong_test([0, 0, 1, 1], 0.5, [0.1, 0.4, 0.35, 0.8])
    with pytest.raises(ValueError, match="score_b must be 1-D"):
        delong_test([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.5)
