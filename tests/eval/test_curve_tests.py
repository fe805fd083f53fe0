"""Points of a ROC curve at a fixed rate, the specificity band, tests of rates at a fixed
rate, Venkatraman's tests and decision-curve inference -- against pROC 1.18 and dcurves.

Reference numbers: /work/notes/refs (REFERENCES.md items 2, 3, 10). ``asah.csv`` is pROC's
``aSAH`` data in its row order (``Rscript export_asah.R``: outcome Good=0 / Poor=1). In R:

    library(pROC); data(aSAH)
    r1 <- roc(aSAH$outcome, aSAH$s100b, levels=c("Good","Poor"), direction="<")
    r2 <- roc(aSAH$outcome, aSAH$ndka,  levels=c("Good","Poor"), direction="<")

RANDOM results (bootstrap, permutations) use R's RNG; they are compared within Monte Carlo
error: for a statistic with bootstrap SE s from B resamples, seeds differ by a few s/sqrt(B)
for a mean, and a p-value p by sqrt(p (1 - p) / B) (about 0.009 at p = 0.2, B = 2000).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests._helpers import binary_scores

from cxreval import roc_band
from cxreval.bootstrap_statistics import bootstrap_statmaker
from cxreval.coords import (
    sensitivity_at_specificity,
    specificity_at_sensitivity,
    specificity_band,
)
from cxreval.curve_tests import (
    sensitivity_test,
    sensitivity_test_unpaired,
    specificity_test,
    specificity_test_unpaired,
    venkatraman_test,
    venkatraman_test_unpaired,
)
from cxreval.decision_inference import (
    decision_curve_ci,
    net_benefit_difference,
    net_interventions_avoided,
)

# small n_perm for speed: its "permutations give p-values that move" warning is expected here
pytestmark = pytest.mark.filterwarnings("ignore:n_perm=.* permutations give p-values:UserWarning")

ASAH = np.genfromtxt(Path(__file__).with_name("asah.csv"), delimiter=",", names=True)
Y = ASAH["outcome"].astype(int)
S100B, NDKA = ASAH["s100b"], ASAH["ndka"]


# --- coords ---------------------------------------------------------------------------


def test_sensitivity_at_specificity_equals_pROC_coords():
    # coords(r, x=c(0.8, 0.9, 0.95), input="specificity", ret="sensitivity") (threshold NA)
    got = sensitivity_at_specificity(Y, S100B, [0.8, 0.9, 0.95])
    np.testing.assert_allclose(got, [0.634146341463415, 0.390243902439024, 0.341463414634146])
    got = sensitivity_at_specificity(Y, NDKA, [0.8, 0.9, 0.95])
    np.testing.assert_allclose(got, [0.341463414634146, 0.195121951219512, 0.0975609756097561])


def test_specificity_at_sensitivity_equals_pROC_coords():
    # coords(r, x=c(0.8, 0.9, 0.95), input="sensitivity", ret="specificity")
    got = specificity_at_sensitivity(Y, S100B, [0.8, 0.9, 0.95])
    np.testing.assert_allclose(got, [0.447222222222222, 0.230555555555556, 0.168055555555556])
    got = specificity_at_sensitivity(Y, NDKA, [0.8, 0.9, 0.95])
    np.testing.assert_allclose(got, [0.333333333333333, 0.166666666666667, 0.0416666666666667])


def test_one_target_gives_a_float():
    assert isinstance(sensitivity_at_specificity(Y, S100B, 0.9), float)


def test_specificity_band_agrees_with_pROC_ci_sp():
    # set.seed(1); ci.sp(r1, sensitivities=c(0.8, 0.9, 0.95), boot.n=2000) -- RANDOM
    # 2.5 %: 0.227708333333333, 0.112430555555556, 0; 97.5 %: 0.697291666666666,
    # 0.503489583333333, 0.377317708333333. A percentile bound from B = 2000 moves by
    # about 0.02 between seeds here (pROC's own seeds 1-3 in the refs differ as much).
    band = specificity_band(Y, S100B, sensitivities=[0.8, 0.9, 0.95], random_state=1)
    np.testing.assert_allclose(band.specificity, [0.447222222222222, 0.230555555555556,
                                                  0.168055555555556])  # fmt: skip
    np.testing.assert_allclose(band.low, [0.227708333333333, 0.112430555555556, 0], atol=0.03)
    np.testing.assert_allclose(
        band.high, [0.697291666666666, 0.503489583333333, 0.377317708333333], atol=0.03
    )
    assert band.seed == 1 and band.n_boot == 2000


def test_roc_band_is_pROC_ci_se_and_ci_coords_at_a_specificity():
    # set.seed(1); ci.coords(r1, x=0.9, input="specificity", ret="sensitivity") -- RANDOM
    # = ci.se at 0.9: 0.219512195121951, 0.390243902439024, 0.634146341463415
    band = roc_band(Y, S100B, specificities=[0.9], random_state=1)
    np.testing.assert_allclose(band.sensitivity, [0.390243902439024])
    np.testing.assert_allclose(band.low, [0.219512195121951], atol=0.03)
    np.testing.assert_allclose(band.high, [0.634146341463415], atol=0.03)


def test_bootstrap_statmaker_at_a_threshold_is_pROC_ci_thresholds():
    # set.seed(1); ci.coords(r1, x=0.2, input="threshold",
    #                        ret=c("specificity", "sensitivity", "accuracy")) -- RANDOM
    # sp 0.708333333333333, 0.805555555555556, 0.888888888888889
    # se 0.48780487804878, 0.634146341463415, 0.780487804878049
    # accuracy 0.663716814159292, 0.743362831858407, 0.823008849557522
    keys = ["specificity", "sensitivity", "accuracy"]
    ci = bootstrap_statmaker(Y, y_score=S100B, threshold=0.2, keys=keys, random_state=1)
    expected = {
        "specificity": (0.805555555555556, 0.708333333333333, 0.888888888888889),
        "sensitivity": (0.634146341463415, 0.48780487804878, 0.780487804878049),
        "accuracy": (0.743362831858407, 0.663716814159292, 0.823008849557522),
    }
    for key, (est, low, high) in expected.items():
        assert ci[key].estimate == pytest.approx(est, abs=1e-12)
        assert ci[key].low == pytest.approx(low, abs=0.03)
        assert ci[key].high == pytest.approx(high, abs=0.03)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.booleans())
def test_rates_at_the_ends_of_the_curve(seed, ties):
    y, s = binary_scores(40, seed=seed, ties=ties)
    if y.min() == y.max():
        return
    assert sensitivity_at_specificity(y, s, 0.0) == 1.0
    assert specificity_at_sensitivity(y, s, 0.0) == 1.0
    grid = np.linspace(0, 1, 11)
    assert np.all(np.diff(sensitivity_at_specificity(y, s, grid)) <= 1e-12)  # non-increasing
    assert np.all(np.diff(specificity_at_sensitivity(y, s, grid)) <= 1e-12)


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: sensitivity_at_specificity(Y, S100B, 1.5), ValueError, "specificity"),
        (lambda: specificity_at_sensitivity(Y, S100B, "0.9"), TypeError, "sensitivity"),
        (lambda: specificity_band(Y, S100B, sensitivities=[np.nan]), ValueError, "sensitivities"),
        (lambda: specificity_band(Y, S100B, n_boot=0), ValueError, "n_boot"),
        (lambda: specificity_band(Y, S100B, bootstrap_method="bca"), ValueError, "bootstrap"),
        (lambda: sensitivity_at_specificity(Y[:5], S100B, 0.9), ValueError, "length"),
    ],
)
def test_bad_coords_input_names_the_argument(call, error, word):
    with pytest.raises(error, match=word):
        call()


# --- tests of a rate at a fixed rate ----------------------------------------------------

# pROC's names are the other way round: method="specificity", specificity=0.9 compares the
# SENSITIVITIES at specificity 0.9 (our sensitivity_test(at_specificity=0.9)).
# set.seed(s); roc.test(r1, r2, method="specificity", specificity=0.9, boot.n=2000,
#                       paired=TRUE)  -- RANDOM, D for seeds 1, 2, 3:
PROC_SENS_PAIRED = (1.394384492748, 1.42894802815503, 1.39696164919145)
# set.seed(s); roc.test(r1, r2, method="sensitivity", sensitivity=0.9, paired=TRUE):
PROC_SPEC_PAIRED = (0.396203344633239, 0.400352594365468, 0.392237498414443)
# ... paired=FALSE:
PROC_SENS_UNPAIRED = (1.46775848092101, 1.47136514804609, 1.45141217591816)
PROC_SPEC_UNPAIRED = (0.417989315219021, 0.412703797448101, 0.405686340289652)


@pytest.mark.parametrize(
    ("test", "kwargs", "paired", "expected"),
    [
        (sensitivity_test, {"at_specificity": 0.9}, True, PROC_SENS_PAIRED),
        (specificity_test, {"at_sensitivity": 0.9}, True, PROC_SPEC_PAIRED),
        (sensitivity_test_unpaired, {"at_specificity": 0.9}, False, PROC_SENS_UNPAIRED),
        (specificity_test_unpaired, {"at_sensitivity": 0.9}, False, PROC_SPEC_UNPAIRED),
    ],
)
def test_rate_tests_agree_with_pROC_roc_test(test, kwargs, paired, expected):
    args = (Y, S100B, NDKA) if paired else (Y, S100B, Y, NDKA)
    res = test(*args, random_state=1, **kwargs)
    # D = diff / sd*: sd* from B = 2000 has relative SE about 1/sqrt(2 B) ~ 1.6 %, and
    # pROC's three seeds spread by ~0.04 on D ~ 1.4; 0.08 is about 3.5 Monte Carlo SEs.
    assert res.statistic == pytest.approx(np.mean(expected), abs=0.08)
    assert res.paired is paired and res.n_boot == 2000 and res.seed == 1
    # the compared rates are the coords values (pROC's estimate holds the AUCs instead)
    if "at_specificity" in kwargs:
        assert (res.rate_a, res.rate_b) == pytest.approx((0.390243902439024, 0.195121951219512))
    else:
        assert (res.rate_a, res.rate_b) == pytest.approx((0.230555555555556, 0.166666666666667))
    assert res.difference == pytest.approx(res.rate_a - res.rate_b)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.05, 0.95))
def test_a_model_against_itself(seed, at):
    y, s = binary_scores(60, seed=seed)
    if y.min() == y.max():
        return
    res = sensitivity_test(y, s, s, at_specificity=at, n_boot=50, random_state=seed)
    assert (res.difference, res.statistic, res.p_value) == (0.0, 0.0, 1.0)
    res = venkatraman_test(y, s, s, n_perm=50, random_state=seed)
    assert (res.statistic, res.p_value) == (0.0, 1.0)


def test_rate_test_is_seeded():
    a = sensitivity_test(Y, S100B, NDKA, at_specificity=0.8, n_boot=300, random_state=5)
    b = sensitivity_test(Y, S100B, NDKA, at_specificity=0.8, n_boot=300, random_state=5)
    assert a == b


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: sensitivity_test(Y, S100B, NDKA, at_specificity=[0.8, 0.9]), TypeError, "at_sp"),
        (lambda: specificity_test(Y, S100B, NDKA, at_sensitivity=2), ValueError, "at_sens"),
        (lambda: sensitivity_test(Y, S100B, NDKA[:9], at_specificity=0.9), ValueError, "score_b"),
        (
            lambda: sensitivity_test(Y, S100B, NDKA, at_specificity=0.9, alternative="up"),
            ValueError,
            "alternative",
        ),
        (lambda: venkatraman_test(Y, S100B, NDKA, n_perm=1.5), TypeError, "n_perm"),
        (lambda: venkatraman_test(Y, S100B, [np.nan] * 113), ValueError, "score_b"),
    ],
)
def test_bad_test_input_names_the_argument(call, error, word):
    with pytest.raises(error, match=word):
        call()


# --- Venkatraman ----------------------------------------------------------------------


def test_venkatraman_paired_statistic_is_pROC_exactly():
    # set.seed(s); roc.test(r1, r2, method="venkatraman", boot.n=2000) -- E = 692 (exact,
    # ties broken by row order, ties.method="first"); RANDOM p: 0.2085, 0.2195, 0.2055.
    res = venkatraman_test(Y, S100B, NDKA, random_state=1)
    assert res.statistic == 692
    assert res.p_value == pytest.approx(np.mean([0.2085, 0.2195, 0.2055]), abs=0.03)


def test_venkatraman_unpaired_agrees_with_pROC_within_its_grid_and_monte_carlo_error():
    # a <- roc(aSAH$outcome[1:56], aSAH$s100b[1:56], levels=c("Good","Poor"), direction="<")
    # b <- roc(aSAH$outcome[57:113], aSAH$ndka[57:113], ...); set.seed(s)
    # roc.test(a, b, method="venkatraman", paired=FALSE): E = 0.0775478688039107,
    # RANDOM p: 0.157, 0.178, 0.1735. Our E is the exact integral (0.077254...): pROC
    # integrates on its own grid (documented in the docstring).
    res = venkatraman_test_unpaired(Y[:56], S100B[:56], Y[56:], NDKA[56:], random_state=1)
    assert res.statistic == pytest.approx(0.0775478688039107, rel=0.01)
    assert res.p_value == pytest.approx(np.mean([0.157, 0.178, 0.1735]), abs=0.035)


def test_venkatraman_unpaired_of_two_perfect_curves_is_zero():
    # pROC: E = 0 for (0,0,1,1)/(1,2,3,4) against (0,0,0,1,1)/(1,2,3,4,5)
    res = venkatraman_test_unpaired([0, 0, 1, 1], [1, 2, 3, 4], [0, 0, 0, 1, 1],
                                    [1, 2, 3, 4, 5], n_perm=20, random_state=0)  # fmt: skip
    assert res.statistic == pytest.approx(0.0, abs=1e-12)  # pROC: 8.7e-18 in such cases


def test_venkatraman_is_seeded():
    assert venkatraman_test(Y, S100B, NDKA, n_perm=200, random_state=3) == venkatraman_test(
        Y, S100B, NDKA, n_perm=200, random_state=3
    )


def test_n_perm_and_n_boot_have_the_shared_minimum_and_warning():
    # a permutation test needs (n_perm + 1) * 0.05 >= 1, i.e. 19 permutations; below 1000
    # it warns, as n_boot does (issue 16 item 10)
    with pytest.raises(ValueError, match="n_perm=18 is too few permutations"):
        venkatraman_test(Y, S100B, NDKA, n_perm=18)
    with pytest.raises(ValueError, match="n_perm=18 is too few permutations"):
        venkatraman_test_unpaired(Y, S100B, Y, NDKA, n_perm=18)
    with pytest.warns(UserWarning, match="n_perm=19 permutations give p-values that move"):
        venkatraman_test(Y, S100B, NDKA, n_perm=19, random_state=0)
    with pytest.raises(ValueError, match="n_boot=38 is too few resamples for a 95% interval"):
        sensitivity_test(Y, S100B, NDKA, at_specificity=0.9, n_boot=38)
    with pytest.raises(ValueError, match="n_boot=198 is too few resamples for a 99% interval"):
        specificity_band(Y, S100B, n_boot=198, level=0.99)
    with pytest.raises(ValueError, match="n_boot=10 is too few"):
        decision_curve_ci(DCA_Y, DCA_P1, n_boot=10)


# --- decision curves ------------------------------------------------------------------

# item10_dca.py (hand formulas; dcurves 1.1.7 dca() gives the same net benefit)
DCA_Y = [1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1]
DCA_P1 = [0.80, 0.10, 0.25, 0.60, 0.05, 0.30, 0.35, 0.15, 0.20, 0.08,
          0.90, 0.40, 0.20, 0.12, 0.30, 0.02, 0.55, 0.22, 0.18, 0.45]  # fmt: skip
DCA_P2 = [0.50, 0.20, 0.40, 0.30, 0.10, 0.20, 0.60, 0.25, 0.15, 0.05,
          0.70, 0.30, 0.35, 0.28, 0.10, 0.10, 0.30, 0.45, 0.33, 0.25]  # fmt: skip
DCA_T = [0.1, 0.2, 0.3, 0.5]


def test_net_interventions_avoided_per_100_equals_dcurves_times_100():
    # dcurves.dca(...)["net_intervention_avoided"] (per patient): p1 0.15, 0.35,
    # 0.38333333333333336, 0.5; p2 0.050000000000000315, 0.25, 0.3333333333333333,
    # 0.45000000000000007
    res = net_interventions_avoided(DCA_Y, {"p1": DCA_P1, "p2": DCA_P2}, thresholds=DCA_T)
    np.testing.assert_allclose(res.avoided["p1"], [15.0, 35.0, 38.333333333333336, 50.0])
    np.testing.assert_allclose(res.avoided["p2"], [5.000000000000031, 25.0, 33.33333333333333,
                                                   45.00000000000001])  # fmt: skip


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.01, 0.99))
def test_treating_everyone_avoids_no_intervention(seed, t):
    y = np.random.default_rng(seed).integers(0, 2, 30)
    if y.min() == y.max():
        return
    res = net_interventions_avoided(y, np.ones(30), thresholds=[t])
    assert res.avoided["model"][0] == pytest.approx(0.0, abs=1e-9)


def test_decision_curve_ci_brackets_the_estimates_and_is_seeded():
    ci = decision_curve_ci(DCA_Y, {"p1": DCA_P1}, thresholds=DCA_T, random_state=0)
    np.testing.assert_allclose(
        ci.estimate["p1"], [0.2944444444444444, 0.27499999999999997, 0.2357142857142857, 0.2]
    )
    np.testing.assert_allclose(
        ci.estimate["treat all"],
        [0.27777777777777773, 0.18749999999999997, 0.0714285714285714, -0.30000000000000004],
    )
    for key in ("p1", "treat all"):
        assert np.all(ci.low[key] <= ci.estimate[key]) and np.all(ci.estimate[key] <= ci.high[key])
    again = decision_curve_ci(DCA_Y, {"p1": DCA_P1}, thresholds=DCA_T, random_state=0)
    np.testing.assert_array_equal(ci.low["p1"], again.low["p1"])


def test_decision_curve_ci_of_treat_all_is_the_prevalence_interval():
    # unstratified: NB_all = prev - (1 - prev) w is linear in the resampled prevalence, so its
    # percentile interval is the image of the prevalence's percentile interval
    from cxreval import bootstrap

    ci = decision_curve_ci(DCA_Y, DCA_P1, thresholds=[0.2], random_state=7)
    prev = bootstrap(np.mean, np.asarray(DCA_Y, float), random_state=7)
    w = 0.2 / 0.8
    assert ci.low["treat all"][0] == pytest.approx(prev.low - (1 - prev.low) * w)
    assert ci.high["treat all"][0] == pytest.approx(prev.high - (1 - prev.high) * w)


def test_net_benefit_difference():
    d = net_benefit_difference(DCA_Y, DCA_P1, DCA_P2, thresholds=DCA_T, random_state=0)
    np.testing.assert_allclose(
        d.estimate["a - b"],
        [0.011111111111111072, 0.024999999999999994, 0.021428571428571463, 0.05000000000000002],
    )
    assert np.all(d.low["a - b"] <= d.estimate["a - b"])
    same = net_benefit_difference(DCA_Y, DCA_P1, DCA_P1, thresholds=DCA_T, random_state=0)
    assert np.all(same.low["a - b"] == 0) and np.all(same.high["a - b"] == 0)


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: net_benefit_difference(DCA_Y, DCA_P1, [2.0] * 20), ValueError, "y_prob_b"),
        (lambda: decision_curve_ci(DCA_Y, DCA_P1, thresholds=[0, 0.5]), ValueError, "thresholds"),
        (lambda: decision_curve_ci(DCA_Y, DCA_P1, level=95), ValueError, "level"),
        (lambda: net_interventions_avoided(DCA_Y, DCA_P1[:5]), ValueError, "length"),
    ],
)
def test_bad_decision_input_names_the_argument(call, error, word):
    with pytest.raises(error, match=word):
        call()
