"""Sample size and power (cxreval.power) against pROC 1.18's ``power.roc.test``.

Reference numbers: /work/notes/refs (REFERENCES.md item 6). ``asah.csv`` is pROC's ``aSAH``
data in its row order (outcome Good=0 / Poor=1). In R:

    library(pROC); data(aSAH)
    r1 <- roc(aSAH$outcome, aSAH$s100b, levels=c("Good","Poor"), direction="<")
    r2 <- roc(aSAH$outcome, aSAH$ndka,  levels=c("Good","Poor"), direction="<")

(41 cases = positives, 72 controls = negatives.)
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxreval import roc_auc, roc_auc_ci
from cxreval._plain import to_plain
from cxreval.plotting import plot_power
from cxreval.power import (
    auc_ci_sample_size,
    auc_difference_power,
    auc_difference_power_from_scores,
    auc_power,
    binormal_auc_variance,
    hanley_mcneil_se,
    obuchowski_variance,
    roc_auc_test,
)
from cxreval.smoothing import smooth_roc

ASAH = np.genfromtxt(Path(__file__).with_name("asah.csv"), delimiter=",", names=True)
Y = ASAH["outcome"].astype(int)
S100B, NDKA = ASAH["s100b"], ASAH["ndka"]
AUC_S100B = 0.731368563685637  # auc(r1)


# --- one AUC against 0.5 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "power"),
    [
        (S100B, 0.990483252763233),  # power.roc.test(r1)$power
        (NDKA, 0.529418857360346),  # power.roc.test(r2)$power
    ],
    ids=["s100b", "ndka"],
)
def test_power_of_a_pilot_curve_equals_pROC(score, power):
    res = auc_power(roc_auc(Y, score), n_pos=41, n_neg=72)
    assert res.power == pytest.approx(power, rel=1e-13)
    assert res.solved_for == "power" and res.reference == 0.5


def test_one_auc_power_sample_size_and_alpha_equal_pROC():
    # power.roc.test(ncases=41, ncontrols=72, auc=0.75, sig.level=0.05) -> 0.99687468465091
    assert auc_power(0.75, n_pos=41, n_neg=72).power == pytest.approx(0.99687468465091, rel=1e-13)
    # ... alternative="one.sided" -> 0.998923368749195
    one = auc_power(0.75, n_pos=41, n_neg=72, alternative="one-sided")
    assert one.power == pytest.approx(0.998923368749195, rel=1e-13)
    # power.roc.test(auc=0.75, sig.level=0.05, power=0.9, kappa=1) -> ncases 25.0233715824705
    equal = auc_power(0.75, power=0.9)
    assert (equal.n_pos, equal.n_neg) == pytest.approx((25.0233715824705,) * 2, rel=1e-13)
    # ... kappa=72/41 -> ncases 19.9776330261996, ncontrols 35.0826726313749
    res = auc_power(0.75, power=0.9, neg_pos_ratio=72 / 41)
    assert res.n_pos == pytest.approx(19.9776330261996, rel=1e-13)
    assert res.n_neg == pytest.approx(35.0826726313749, rel=1e-13)
    assert res.solved_for == "n"
    # power.roc.test(ncases=41, ncontrols=72, auc=0.75, power=0.9, sig.level=NULL)
    #   -> sig.level 0.000865371140905458
    alpha = auc_power(0.75, n_pos=41, n_neg=72, power=0.9, alpha=None)
    assert alpha.alpha == pytest.approx(0.000865371140905458, rel=1e-12)


def test_detectable_auc_equals_pROC_to_its_uniroot_tolerance():
    # power.roc.test(ncases=41, ncontrols=72, sig.level=0.05, power=0.9) -> auc
    #   0.677101999364667 (R's uniroot stops at tol ~ 1.2e-4; here the root is exact)
    res = auc_power(n_pos=41, n_neg=72, power=0.9)
    assert res.auc == pytest.approx(0.677101999364667, abs=1e-5)
    assert res.solved_for == "auc"
    assert auc_power(res.auc, n_pos=41, n_neg=72).power == pytest.approx(0.9, rel=1e-10)


def test_variance_formulas_equal_pROC_and_the_papers():
    # pROC:::var.theta.obuchowski(0.75, 72/41) = 0.110703573666286; V0 = 0.0792 (1 + 41/72)
    assert obuchowski_variance(0.75, 72 / 41) == pytest.approx(0.110703573666286, rel=1e-13)
    assert obuchowski_variance(0.5, 72 / 41) == pytest.approx(0.0792 * (1 + 41 / 72), rel=1e-12)
    # Hanley & McNeil (1982): A = 0.75, nA = 41, nN = 72 -> SE 0.0500435350539594;
    # at s100b's AUC -> 0.051248078934068 (item6_power.R)
    assert hanley_mcneil_se(0.75, 41, 72) == pytest.approx(0.0500435350539594, rel=1e-13)
    assert hanley_mcneil_se(AUC_S100B, 41, 72) == pytest.approx(0.051248078934068, rel=1e-12)
    # pROC:::var.roc.obuchowski(r1) = 0.1121259 (printed to 7 digits): pROC feeds its
    # smoothing regression's coefficients in as (A, B)
    smooth = smooth_roc(Y, S100B)
    assert binormal_auc_variance(smooth.intercept, smooth.slope, 72 / 41) == pytest.approx(
        0.1121259, abs=5e-8
    )


@settings(max_examples=50, deadline=None)
@given(
    auc=st.floats(0.55, 0.98),
    n=st.floats(5, 500),
    ratio=st.floats(0.2, 5),
    alpha=st.floats(0.001, 0.2),
    sided=st.sampled_from(["two-sided", "one-sided"]),
)
def test_property_solving_round_trips(auc, n, ratio, alpha, sided):
    opts = {"neg_pos_ratio": ratio, "alternative": sided}
    power = auc_power(auc, n_pos=n, alpha=alpha, **opts).power
    if 0.01 < power < 0.999:
        assert auc_power(auc, power=power, alpha=alpha, **opts).n_pos == pytest.approx(n, rel=1e-7)
        back = auc_power(auc, n_pos=n, power=power, alpha=None, **opts).alpha
        assert back == pytest.approx(alpha, rel=1e-7)
    assert auc_power(auc, n_pos=2 * n, alpha=alpha, **opts).power >= power


# --- two AUCs --------------------------------------------------------------------------------


def test_paired_power_from_pilot_scores_equals_pROC():
    # power.roc.test(r1, r2)$power = 0.30906243063217 (method="delong")
    res = auc_difference_power_from_scores(Y, S100B, NDKA)
    assert res.power == pytest.approx(0.30906243063217, rel=1e-12)
    assert (res.n_pos, res.n_neg) == (41, 72)
    # power.roc.test(r2, r1)$power = 0.261926846190328: pROC's null variance uses the first
    # curve's variance only, so the order matters
    swapped = auc_difference_power_from_scores(Y, NDKA, S100B)
    assert swapped.power == pytest.approx(0.261926846190328, rel=1e-12)
    # power.roc.test(r1, r2, method="obuchowski")$power = 0.483285373656406
    obu = auc_difference_power_from_scores(Y, S100B, NDKA, method="obuchowski")
    assert obu.power == pytest.approx(0.483285373656406, rel=1e-12)


def test_paired_sample_size_from_pilot_scores_equals_pROC():
    # power.roc.test(r1, r2, power=0.9) -> ncases 213.117676534004, ncontrols 374.255431962154
    res = auc_difference_power_from_scores(Y, S100B, NDKA, power=0.9)
    assert res.n_pos == pytest.approx(213.117676534004, rel=1e-12)
    assert res.n_neg == pytest.approx(374.255431962154, rel=1e-12)
    # ... method="obuchowski" -> ncases 119.811030350814, ncontrols 210.399858177039
    obu = auc_difference_power_from_scores(Y, S100B, NDKA, power=0.9, method="obuchowski")
    assert obu.n_pos == pytest.approx(119.811030350814, rel=1e-12)
    assert obu.n_neg == pytest.approx(210.399858177039, rel=1e-12)
    # the power at the solved size is the one asked for, and alpha solves back
    at_n = auc_difference_power_from_scores(Y, S100B, NDKA, n_pos=res.n_pos)
    assert at_n.power == pytest.approx(0.9, rel=1e-10)
    back = auc_difference_power_from_scores(Y, S100B, NDKA, n_pos=res.n_pos, power=0.9, alpha=None)
    assert back.alpha == pytest.approx(0.05, rel=1e-10)


def test_planned_difference_matches_the_pilot_formula_and_pairing_helps():
    # With the AUCs and variances of a pilot, the planned calculation is the same equation:
    # unpaired (correlation 0) with V_a = V_b = V(0.75) and delta = 0.1
    unpaired = auc_difference_power(0.85, 0.75, power=0.8)
    va, vb = obuchowski_variance(0.85), obuchowski_variance(0.75)
    z = 1.959963984540054 * np.sqrt(2 * va) + 0.8416212335729143 * np.sqrt(va + vb)
    assert unpaired.n_pos == pytest.approx(z**2 / 0.1**2, rel=1e-12)
    paired = auc_difference_power(0.85, 0.75, correlation=0.5, power=0.8)
    assert paired.n_pos < unpaired.n_pos
    assert auc_difference_power(0.85, 0.75, n_pos=paired.n_pos, correlation=0.5).power == (
        pytest.approx(0.8, rel=1e-10)
    )


# --- CI width ------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    auc=st.floats(0.55, 0.97),
    width=st.floats(0.03, 0.3),
    ratio=st.floats(0.3, 5),
    method=st.sampled_from(["hanley-mcneil", "obuchowski"]),
)
def test_property_ci_sample_size_is_the_smallest_that_is_narrow_enough(auc, width, ratio, method):
    plan = auc_ci_sample_size(auc, width=width, neg_pos_ratio=ratio, method=method)
    assert plan.width_at(plan.n_pos)[0] <= width
    if plan.n_pos > 1:
        assert plan.width_at(plan.n_pos - 1)[0] > width
    assert plan.n_neg == int(np.ceil(ratio * plan.n_pos - 1e-9))


def test_ci_sample_size_uses_hanley_mcneil():
    # Hanley & McNeil at A = 0.75 with 41 / 72 cases: SE 0.0500435350539594 (item6_power.R),
    # so a 95 % interval of that width needs n_pos = 41 at neg_pos_ratio 72/41 (the ratio
    # rounds n_neg up to 72)
    width = 2 * 1.959963984540054 * 0.0500435350539594
    plan = auc_ci_sample_size(0.75, width=width + 1e-12, neg_pos_ratio=72 / 41)
    assert (plan.n_pos, plan.n_neg) == (41, 72)
    assert plan.se == pytest.approx(0.0500435350539594, rel=1e-12)


# --- one-sample test ------------------------------------------------------------------------


def test_roc_auc_test_equals_delong_by_hand_in_R():
    # a <- auc(r1); se <- sqrt(var(r1)); z <- (a - 0.5) / se
    #   -> se 0.0516592920699891, z 4.47874050175085, 2*pnorm(-abs(z)) 7.50847432493533e-06,
    #      pnorm(-z) 3.75423716246767e-06
    res = roc_auc_test(Y, S100B)
    assert res.auc == pytest.approx(AUC_S100B, rel=1e-13)
    assert res.se == pytest.approx(0.0516592920699891, rel=1e-12)
    assert res.statistic == pytest.approx(4.47874050175085, rel=1e-12)
    assert res.p_value == pytest.approx(7.50847432493533e-06, rel=1e-10)
    greater = roc_auc_test(Y, S100B, alternative="greater")
    assert greater.p_value == pytest.approx(3.75423716246767e-06, rel=1e-10)
    # ndka: z 1.98200433966297, p 0.0474787549469454
    ndka = roc_auc_test(Y, NDKA)
    assert ndka.statistic == pytest.approx(1.98200433966297, rel=1e-12)
    assert ndka.p_value == pytest.approx(0.0474787549469454, rel=1e-11)
    # the same SE as roc_auc_ci's DeLong interval
    assert res.se == pytest.approx(roc_auc_ci(Y, S100B).se, rel=1e-14)
    assert roc_auc_test(Y, S100B, null=AUC_S100B).statistic == pytest.approx(0, abs=1e-12)


def test_roc_auc_test_with_one_negative_is_nan_with_a_warning():
    with pytest.warns(RuntimeWarning, match="DeLong variance is undefined"):
        res = roc_auc_test([0, 1, 1, 1], [0.1, 0.4, 0.6, 0.8])
    assert np.isnan(res.se) and np.isnan(res.p_value)


# --- results and errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: auc_power(0.75, n_pos=41, n_neg=72),
        lambda: auc_difference_power_from_scores(Y, S100B, NDKA, power=0.9),
        lambda: auc_ci_sample_size(0.8, width=0.1),
        lambda: roc_auc_test(Y, S100B),
    ],
    ids=["AUCPower", "AUCPower-pilot", "AUCSampleSize", "AUCTest"],
)
def test_result_protocol_and_plot(make):
    result = make()
    assert json.dumps(to_plain(result.to_dict(), json_safe=True), allow_nan=False)
    assert result.table() and str(result)
    try:
        assert plot_power(result).get_xlabel()
    finally:
        plt.close("all")


def test_table_marks_the_solved_quantity():
    table = auc_power(0.75, power=0.9).table()
    assert "25.02, 25.02  <- solved" in table
    assert "Obuchowski, Lieber & Wians 2004" in table


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: auc_power(0.75, n_pos=41, n_neg=72, power=0.9), ValueError, "exactly one"),
        (lambda: auc_power(0.75), ValueError, "exactly one"),
        (lambda: auc_power(0.4, n_pos=41), ValueError, "auc"),
        (lambda: auc_power(1.2, n_pos=41), ValueError, "auc"),
        (lambda: auc_power("0.8", n_pos=41), TypeError, "auc"),
        (lambda: auc_power(0.8, n_pos=-4), ValueError, "n_pos"),
        (lambda: auc_power(0.8, n_pos=True), TypeError, "n_pos"),
        (lambda: auc_power(0.8, n_neg=72), ValueError, "n_neg"),
        (lambda: auc_power(0.8, n_pos=4, n_neg=8, neg_pos_ratio=3), ValueError, "neg_pos_ratio"),
        (lambda: auc_power(0.8, n_pos=41, alpha=0), ValueError, "alpha"),
        (lambda: auc_power(0.8, power=1.0), ValueError, "power"),
        (lambda: auc_power(0.8, n_pos=41, alternative="greater"), ValueError, "alternative"),
        (lambda: auc_difference_power(0.8, 0.8, power=0.9), ValueError, "auc_a and auc_b"),
        (lambda: auc_difference_power(0.8, 0.7, correlation=1, power=0.9), ValueError, "corr"),
        (lambda: auc_difference_power(0.8, 0.7, correlation="0", power=0.9), TypeError, "corr"),
        (
            lambda: auc_difference_power_from_scores(Y, S100B, NDKA, method="bootstrap"),
            ValueError,
            "method",
        ),
        (lambda: auc_difference_power_from_scores(Y, S100B, NDKA[:5]), ValueError, "score_b"),
        (lambda: auc_ci_sample_size(0.8, width=0), ValueError, "width"),
        (lambda: auc_ci_sample_size(0.8, width=0.1, method="delong"), ValueError, "method"),
        (lambda: auc_ci_sample_size(0.8, width=0.1, neg_pos_ratio=0), ValueError, "neg_pos"),
        (lambda: hanley_mcneil_se(0.8, 0, 10), ValueError, "n_pos"),
        (lambda: obuchowski_variance(0.8, -1), ValueError, "neg_pos_ratio"),
        (lambda: roc_auc_test(Y, S100B, null=1.0), ValueError, "null"),
        (lambda: roc_auc_test(Y, S100B, alternative="one-sided"), ValueError, "alternative"),
        (lambda: roc_auc_test(Y[:5], S100B), ValueError, "y_score"),
    ],
)
def test_bad_input_names_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()
