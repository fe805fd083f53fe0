import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from cxreval.calibration import brier_score, reliability_curve

# Worked by hand: two equal-width bins.
#   bin (0, 0.5]: p = .05 .15 .35 .45, y = 0 0 1 1 -> mean .25, observed .50, gap .25
#   bin (0.5, 1]: p = .65 .75 .85 .95, y = 1 0 1 0 -> mean .80, observed .50, gap .30
#   ECE = 4/8 * .25 + 4/8 * .30 = .275, MCE = .30
#   Brier = (.05² + .15² + .65² + .55² + .35² + .75² + .15² + .95²) / 8 = 2.36 / 8 = .295
Y = np.array([0, 0, 1, 1, 1, 0, 1, 0])
P = np.array([0.05, 0.15, 0.35, 0.45, 0.65, 0.75, 0.85, 0.95])


def test_brier_by_hand():
    assert brier_score(Y, P) == pytest.approx(0.295, abs=1e-15)
    # the other class as positive: probabilities are of that class, so flip them
    assert brier_score(Y, 1 - P, pos_label=0) == pytest.approx(0.295, abs=1e-15)


def test_reliability_by_hand():
    curve = reliability_curve(Y, P, n_bins=2)
    np.testing.assert_allclose(curve.mean_predicted, [0.25, 0.80])
    np.testing.assert_allclose(curve.fraction_positive, [0.5, 0.5])
    np.testing.assert_array_equal(curve.count, [4, 4])
    np.testing.assert_array_equal(curve.n_positive, [2, 2])
    assert curve.ece == pytest.approx(0.275)
    assert curve.mce == pytest.approx(0.30)
    assert curve.brier == pytest.approx(0.295)
    # Wilson 95 % for 2 of 4, worked by hand: centre 0.5, half-width 0.349962
    np.testing.assert_allclose(curve.ci_low, [0.150039, 0.150039], atol=1e-6)
    np.testing.assert_allclose(curve.ci_high, [0.849961, 0.849961], atol=1e-6)
    # the median .55 splits the same way: equal-mass bins give the same numbers
    mass = reliability_curve(Y, P, n_bins=2, strategy="quantile")
    assert mass.ece == pytest.approx(0.275)
    np.testing.assert_allclose(mass.bin_low, [0.05, 0.55])
    np.testing.assert_allclose(mass.bin_high, [0.55, 0.95])


def test_value_on_an_edge_goes_to_the_lower_bin():
    curve = reliability_curve([0, 1, 1], [0.5, 0.5, 0.9], n_bins=2)
    np.testing.assert_array_equal(curve.count, [2, 1])


def test_tied_quantile_edges():
    # quartile edges 0, 0, 0, .5, 1: the three zeros share the first bin, the middle
    # bin between two equal edges is empty and dropped
    curve = reliability_curve([0, 0, 1, 0, 1], [0, 0, 0, 0.5, 1], n_bins=4, strategy="quantile")
    np.testing.assert_array_equal(curve.count, [3, 1, 1])
    np.testing.assert_allclose(curve.fraction_positive, [1 / 3, 0, 1])


def test_empty_bins_are_dropped_and_constant_probabilities_make_one_bin():
    curve = reliability_curve([0, 1, 0, 1], [0.1, 0.1, 0.9, 0.9], n_bins=10)
    np.testing.assert_array_equal(curve.count, [2, 2])
    assert curve.n_bins == 10
    one = reliability_curve([0, 1, 1, 1], [0.7] * 4, n_bins=5, strategy="quantile")
    np.testing.assert_array_equal(one.count, [4])
    assert one.ece == pytest.approx(0.05)  # |0.75 - 0.70|


@settings(max_examples=40)
@given(
    data=st.lists(
        st.tuples(st.booleans(), st.floats(0, 1, allow_subnormal=False)), min_size=2, max_size=60
    ),
    n_bins=st.integers(1, 12),
    strategy=st.sampled_from(["uniform", "quantile"]),
)
def test_against_sklearn(data, n_bins, strategy):
    y = np.array([d[0] for d in data], dtype=int)
    p = np.array([d[1] for d in data])
    if len(np.unique(y)) < 2:
        y[0], y[1] = 0, 1
    curve = reliability_curve(y, p, n_bins=n_bins, strategy=strategy)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    np.testing.assert_allclose(curve.fraction_positive, prob_true, rtol=0, atol=1e-12)
    np.testing.assert_allclose(curve.mean_predicted, prob_pred, rtol=0, atol=1e-12)
    assert curve.brier == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    assert brier_score(y, p) == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    # the ECE is the count-weighted gap; MCE its maximum; both bounded by 1
    assert 0 <= curve.ece <= curve.mce + 1e-12 <= 1 + 1e-12
    assert curve.count.sum() == len(y)


def test_wilson_interval_against_scipy():
    rng = np.random.default_rng(1)
    p = rng.uniform(size=300)
    y = rng.uniform(size=300) < p
    curve = reliability_curve(y, p, n_bins=7, level=0.9)
    for k, n, lo, hi in zip(
        curve.n_positive, curve.count, curve.ci_low, curve.ci_high, strict=True
    ):
        ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=0.9, method="wilson")
        assert lo == pytest.approx(ci.low, abs=1e-12)
        assert hi == pytest.approx(ci.high, abs=1e-12)


def test_result_is_printable_serialisable_and_plots():
    curve = reliability_curve(Y, P, n_bins=2)
    text = str(curve)
    assert "ECE 0.2750" in text and "MCE 0.3000" in text and "wilson 95% CI" in text
    d = curve.to_dict()
    assert d["count"] == [4, 4] and d["strategy"] == "uniform" and d["ci_method"] == "wilson"
    ax = curve.plot()
    assert ax.get_xlabel() == "mean predicted probability"
    assert len(ax.lines) >= 2  # diagonal and the curve


def test_bad_input():
    with pytest.raises(ValueError, match=r"y_prob must hold probabilities in \[0, 1\]"):
        brier_score([0, 1], [0.2, 1.2])
    with pytest.raises(ValueError, match="arrays must have the same length"):
        reliability_curve([0, 1, 1], [0.2, 0.3])
    with pytest.raises(ValueError, match="one class only"):
        reliability_curve([1, 1], [0.2, 0.3])
    with pytest.raises(ValueError, match="strategy must be one of"):
        reliability_curve(Y, P, strategy="kmeans")
    with pytest.raises(ValueError, match="n_bins must be a positive integer"):
        reliability_curve(Y, P, n_bins=0)
    with pytest.raises(ValueError, match="y_prob contains NaN"):
        brier_score([0, 1], [0.2, np.nan])
