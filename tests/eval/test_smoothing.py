"""Binormal smoothing (cxreval.smoothing) against pROC 1.18.

Reference numbers: /work/notes/refs (REFERENCES.md item 5). ``asah.csv`` is pROC's ``aSAH``
data in its row order (outcome Good=0 / Poor=1). In R:

    library(pROC); data(aSAH)
    r1 <- roc(aSAH$outcome, aSAH$s100b, levels=c("Good","Poor"), direction="<")
    r2 <- roc(aSAH$outcome, aSAH$ndka,  levels=c("Good","Poor"), direction="<")
    s1 <- smooth(r1, method="binormal"); coef(s1$model); auc(s1)
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtr

from cxreval._plain import to_plain
from cxreval.plotting import plot_smooth_roc
from cxreval.smoothing import SmoothROC, smooth_roc

ASAH = np.genfromtxt(Path(__file__).with_name("asah.csv"), delimiter=",", names=True)
Y = ASAH["outcome"].astype(int)
S100B, NDKA = ASAH["s100b"], ASAH["ndka"]


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        # coef(smooth(r1)$model): 1.011830373144, -1.2137879199176; nrow of the lm data 37;
        # auc(smooth(r1)) = 0.740012862077311
        (S100B, (1.011830373144, -1.2137879199176, 37, 0.740012862077311)),
        # the same for r2 (ndka): 0.379507623303205, -1.103639001546, 106, 0.600569923699544
        (NDKA, (0.379507623303205, -1.103639001546, 106, 0.600569923699544)),
    ],
    ids=["s100b", "ndka"],
)
def test_binormal_fit_and_auc_equal_pROC(score, expected):
    intercept, slope, n_points, auc = expected
    smooth = smooth_roc(Y, score)
    assert smooth.intercept == pytest.approx(intercept, rel=1e-12)
    assert smooth.slope == pytest.approx(slope, rel=1e-12)
    assert smooth.n_fit_points == n_points
    assert smooth.auc == pytest.approx(auc, rel=1e-13)
    assert smooth.a == pytest.approx(-intercept / slope, rel=1e-12)
    assert smooth.b == pytest.approx(-1 / slope, rel=1e-12)


def test_closed_form_sensitivities_equal_the_binormal_curve_and_pROC_grid():
    # closed form Phi(A + B qnorm(1 - sp)) at sp = 0.5, 0.8, 0.9 (refs item 5) ...
    smooth = smooth_roc(Y, S100B)
    got = smooth.sensitivity([0.5, 0.8, 0.9])
    np.testing.assert_allclose(
        got, [0.797750679658754, 0.555760754443484, 0.412073480179268], rtol=1e-12
    )
    # ... and coords(s1, c(0.5, 0.8, 0.9), input="specificity", ret="sensitivity"), which
    # interpolates on pROC's 512-point grid: within 2e-6 of the closed form
    grid = np.interp(1 - np.array([0.5, 0.8, 0.9]), smooth.fpr, smooth.tpr)
    np.testing.assert_allclose(
        grid, [0.797749392103789, 0.555760719394182, 0.412071871553968], atol=2e-6
    )
    np.testing.assert_allclose(smooth.specificity(got), [0.5, 0.8, 0.9], rtol=1e-12)


def test_curve_runs_from_corner_to_corner_on_pROC_grid():
    smooth = smooth_roc(Y, NDKA, n_points=100)
    assert len(smooth.fpr) == len(smooth.tpr) == 100
    np.testing.assert_allclose(smooth.tpr, np.linspace(0, 1, 100))
    assert (smooth.fpr[0], smooth.fpr[-1]) == (0.0, 1.0)
    assert np.all(np.diff(smooth.fpr) >= 0)
    # the trapezoid area of the fine curve approaches the closed-form AUC
    fine = smooth_roc(Y, NDKA, n_points=20001)
    assert np.trapezoid(fine.tpr, fine.fpr) == pytest.approx(fine.auc, abs=1e-4)


@settings(max_examples=25, deadline=None)
@given(
    mu=st.floats(0.0, 2.5),
    sigma=st.floats(0.5, 2.0),
    seed=st.integers(0, 2**16),
)
def test_fit_recovers_a_binormal_population(mu, sigma, seed):
    rng = np.random.default_rng(seed)
    y = np.r_[np.zeros(400), np.ones(400)]
    s = np.r_[rng.normal(0, 1, 400), rng.normal(mu, sigma, 400)]
    smooth = smooth_roc(y, s)
    assert smooth.auc == pytest.approx(ndtr(mu / np.sqrt(1 + sigma**2)), abs=0.06)


def test_a_monotone_transformation_of_the_scores_changes_nothing():
    a, b = smooth_roc(Y, S100B), smooth_roc(Y, np.log(S100B) * 3 + 1)
    assert (a.intercept, a.slope, a.auc) == pytest.approx((b.intercept, b.slope, b.auc))


def test_result_protocol_and_plot():
    smooth = smooth_roc(Y, S100B)
    assert isinstance(smooth, SmoothROC)
    assert json.dumps(to_plain(smooth.to_dict(), json_safe=True), allow_nan=False)
    assert "smoothed AUC" in smooth.table() and "0.7400" in str(smooth)
    ax = plot_smooth_roc(smooth, label="s100b")
    try:
        assert ax.get_legend().get_texts()[0].get_text() == "s100b: smoothed AUC 0.740"
    finally:
        plt.close("all")


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="method"):
        smooth_roc(Y, S100B, method="density")
    with pytest.raises(TypeError, match="n_points"):
        smooth_roc(Y, S100B, n_points=5.0)
    with pytest.raises(ValueError, match="n_points"):
        smooth_roc(Y, S100B, n_points=1)
    with pytest.raises(ValueError, match="y_score"):
        smooth_roc(Y, np.r_[np.nan, S100B[1:]])
    with pytest.raises(ValueError, match="y_true"):
        smooth_roc(np.zeros(5), np.arange(5.0))
    with pytest.raises(ValueError, match="cannot be smoothed"):
        smooth_roc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])  # a perfect curve has no inner point
