"""Issue 18 (PyCM, scikit-learn, pROC and statsmodels methods) against reference numbers.

Every literal below was computed outside cxreval by the "refs" helper (notes/refs,
REFERENCES.md items 4, 7, 8, 9): R 4 with pROC 1.18.0, scikit-learn 1.9.1, statsmodels
0.15.0 and PyCM 4.6. The command that produced each number is in the comment above it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics

import cxreval
from cxreval.intervals import kappa_ci, proportion_ci

BINARY = [[174, 60], [40, 350]]  # [[TN, FP], [FN, TP]], n = 624
THREE = [[30, 2, 3], [4, 40, 1], [2, 2, 50]]  # n = 134
MODERATE = [[30, 20], [15, 85]]  # n = 150, an NIR p-value that is not tiny


def _expand(cm):
    cm = np.asarray(cm)
    pairs = [(i, j) for i in range(len(cm)) for j in range(len(cm)) for _ in range(cm[i, j])]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


# --- item 8: proportion intervals ----------------------------------------------------------
# Jeffreys with Brown-Cai-DasGupta's endpoint rules: scipy beta.ppf by hand
# (item8_proportions.py), lower 0 at x = 0, upper 1 at x = n. Wilson-cc: R
# prop.test(x, n, correct=TRUE)$conf.int (item8_proportions.R).
PROPORTIONS = {
    (0, 3): {"jeffreys": (0.0, 0.5355832430429502), "wilson-cc": (0.0, 0.6900118935580435)},
    (1, 10): {
        "jeffreys": (0.011011673763161133, 0.3813147710666164),
        "wilson-cc": (0.005242301569677723, 0.45884601615665616),
    },
    (7, 29): {
        "jeffreys": (0.1150091961872996, 0.4164793368378635),
        "wilson-cc": (0.1101787356441701, 0.43925060704522545),
    },
    (29, 29): {"jeffreys": (0.9177135170761761, 1.0), "wilson-cc": (0.8543835244204265, 1.0)},
    (81, 263): {
        "jeffreys": (0.2545219349910236, 0.36564749917408246),
        "wilson-cc": (0.25350868229518514, 0.3681762010430035),
    },
}
# one-sided 95 %: R prop.test(x, n, correct=FALSE, alternative="greater"/"less") (Wilson) and
# binom.test(x, n, alternative="greater"/"less") (Clopper-Pearson): (lower, upper) bounds
ONE_SIDED = {
    (0, 3): {"wilson": (0.0, 0.4741955741575128), "clopper-pearson": (0.0, 0.6315968501359612)},
    (1, 10): {
        "wilson": (0.02263490873086719, 0.34771866733585843),
        "clopper-pearson": (0.005116196891823701, 0.39416330243650466),
    },
    (7, 29): {
        "wilson": (0.13651169044753939, 0.39038492238871064),
        "clopper-pearson": (0.11916940434666819, 0.40596597682466384),
    },
    (29, 29): {"wilson": (0.9146665485165832, 1.0), "clopper-pearson": (0.9018553723227043, 1.0)},
    (81, 263): {
        "wilson": (0.26331361718848145, 0.35656634960848815),
        "clopper-pearson": (0.26105574600911197, 0.35817849557578413),
    },
}


@pytest.mark.parametrize("case", list(PROPORTIONS))
@pytest.mark.parametrize("method", ["jeffreys", "wilson-cc"])
def test_jeffreys_and_wilson_cc_equal_the_references(case, method):
    low, high = proportion_ci(*case, ci_method=method)
    assert (float(low), float(high)) == pytest.approx(PROPORTIONS[case][method], abs=1e-14)


def test_jeffreys_applies_the_endpoint_rules_statsmodels_omits():
    # statsmodels proportion_confint(0, 3, method="jeffreys") = (0.00015063602543656843, ...)
    # and (29, 29) -> upper 0.9999832132478752: without Brown-Cai-DasGupta's rules
    assert proportion_ci(0, 3, ci_method="jeffreys")[0] == 0.0
    assert proportion_ci(29, 29, ci_method="jeffreys")[1] == 1.0


@pytest.mark.parametrize("case", list(ONE_SIDED))
@pytest.mark.parametrize("method", ["wilson", "clopper-pearson"])
def test_one_sided_bounds_equal_r(case, method):
    lower, upper = ONE_SIDED[case][method]
    # R's alternative="greater" is a lower bound: [low, 1]
    low, high = proportion_ci(*case, ci_method=method, alternative="greater")
    assert float(low) == pytest.approx(lower, abs=1e-14) and high == 1.0
    low, high = proportion_ci(*case, ci_method=method, alternative="less")
    assert low == 0.0 and float(high) == pytest.approx(upper, abs=1e-14)


def test_one_sided_ratio_and_statmaker_intervals_keep_one_end_open():
    two = cxreval.ratio_ci(350, 60, 40, 174, statistic="lr_positive", level=0.9)
    low, high = cxreval.ratio_ci(350, 60, 40, 174, statistic="lr_positive", alternative="greater")
    assert low == pytest.approx(two[0], rel=1e-12) and high == np.inf  # one-sided 95 = 90 two
    s = cxreval.statmaker(BINARY, alternative="less")
    assert s.ci["recall"][0] == 0.0 and s.ci["cohen_kappa"][0] == -1.0
    assert "one-sided upper bounds" in s.table()
    with pytest.raises(ValueError, match="alternative must be"):
        proportion_ci(1, 2, alternative="larger")


# --- item 7: PyCM statistics ------------------------------------------------------------------
def test_kappa_standard_errors_and_intervals():
    # statsmodels cohens_kappa(table): std_kappa, kappa_low, kappa_upp (Fleiss-Cohen-Everitt)
    kappa, se, low, high = kappa_ci(BINARY)
    assert float(kappa) == pytest.approx(0.6521739130434783, abs=1e-15)
    assert float(se) == pytest.approx(0.03162272010030471, abs=1e-15)
    assert (low, high) == pytest.approx((0.5901945205536901, 0.7141533055332664), abs=1e-14)
    kappa, se, low, high = kappa_ci(THREE)
    assert float(se) == pytest.approx(0.040025976867934694, abs=1e-15)
    assert (low, high) == pytest.approx((0.7625674760453569, 0.9194664222597275), abs=1e-14)
    # PyCM 4.6 ConfusionMatrix(matrix=...).Kappa_SE (Cohen 1960); Kappa_CI uses 1.96
    for cm, se_pycm, ci_pycm in (
        (BINARY, 0.031873921567016156, (0.5897010267721267, 0.7146467993148299)),
        (THREE, 0.040209162989040585, (0.7622069896940227, 0.9198269086110618)),
    ):
        kappa, se, _, _ = kappa_ci(cm, kappa_ci_method="cohen")
        assert float(se) == pytest.approx(se_pycm, abs=1e-15)
        assert (kappa - 1.96 * se, kappa + 1.96 * se) == pytest.approx(ci_pycm, abs=1e-14)


def test_weighted_kappas_equal_sklearn_and_statsmodels():
    y_true, y_pred = _expand(THREE)
    m = cxreval.statmaker(THREE)
    for weights, sm_se in (("linear", 0.0436699451101043), ("quadratic", 0.051949237251772154)):
        # sklearn cohen_kappa_score(y_true, y_pred, weights=...): 0.8371498017142126 and
        # 0.83323319886705; statsmodels cohens_kappa(table, wt=...).std_kappa: sm_se
        expected = metrics.cohen_kappa_score(y_true, y_pred, weights=weights)
        assert m[f"cohen_kappa_{weights}"] == pytest.approx(expected, abs=1e-14)
        assert m.standard_errors[f"cohen_kappa_{weights}"] == pytest.approx(sm_se, abs=1e-14)
    assert m.cohen_kappa_linear == pytest.approx(0.8371498017142126, abs=1e-14)
    assert m.cohen_kappa_quadratic == pytest.approx(0.83323319886705, abs=1e-14)
    # a 2 x 2 table: weighted kappa = kappa (PyCM, sklearn)
    assert float(kappa_ci(BINARY, weights="quadratic")[0]) == pytest.approx(0.6521739130434783)


def test_binary_pycm_statistics():
    s = cxreval.statmaker(BINARY)
    # PyCM 4.6: GM, J["1"], ScottPI, GwetAC1, NIR; R binom.test(524, 624, p=0.625,
    # alternative="greater")$p.value = 3.25900995945717e-32 (PyCM's PValue 2.2e-16 is wrong)
    assert s.g_mean == pytest.approx(0.8168990934396918, abs=1e-15)
    assert s.jaccard == pytest.approx(0.7777777777777778, abs=1e-15)
    assert s.scott_pi == pytest.approx(0.6517857142857144, abs=1e-14)
    assert s.gwet_ac1 == pytest.approx(0.7031059683313033, abs=1e-14)
    assert s.no_information_rate == 0.625
    assert s.p_values["no_information_rate"] == pytest.approx(3.25900995945717e-32, rel=1e-12)
    assert s.standard_errors["cohen_kappa"] == pytest.approx(0.03162272010030471, abs=1e-15)
    assert s.ci["cohen_kappa"] == pytest.approx((0.5901945205536901, 0.7141533055332664))
    assert s.ci_methods["cohen_kappa"] == "normal, SE Fleiss-Cohen-Everitt 1969"
    # sklearn jaccard_score(y_true, y_pred) (binary, pos_label=1)
    assert s.jaccard == pytest.approx(metrics.jaccard_score(*_expand(BINARY)))
    m = cxreval.statmaker(MODERATE, kappa_ci_method="cohen")
    # R binom.test(115, 150, p=100/150, alternative="greater")$p.value
    assert m.p_values["no_information_rate"] == pytest.approx(0.00500908763180806, rel=1e-12)
    assert m.scott_pi == pytest.approx(0.46084724005134764, abs=1e-14)
    assert m.gwet_ac1 == pytest.approx(0.5886385896180214, abs=1e-14)
    assert m.standard_errors["cohen_kappa"] == pytest.approx(0.07969369368164131, abs=1e-15)
    assert m.ci_methods["cohen_kappa"] == "normal, SE Cohen 1960"


def test_multiclass_pycm_statistics():
    m = cxreval.statmaker(THREE)
    y_true, y_pred = _expand(THREE)
    # PyCM GM and J per class; sklearn jaccard_score(average=None / "macro" / ...)
    np.testing.assert_allclose(
        m.per_class["g_mean"], [0.8973264763701143, 0.9213787638462894, 0.9378857231185629]
    )
    np.testing.assert_allclose(
        m.per_class["jaccard"], [0.7317073170731707, 0.8163265306122449, 0.8620689655172413]
    )
    for average, value in (("macro", 0.8033676044008856), ("micro", 0.8108108108108109),
                           ("weighted", 0.8126580157689779)):  # fmt: skip
        assert m[f"{average}_jaccard"] == pytest.approx(value, abs=1e-15)
        assert value == pytest.approx(metrics.jaccard_score(y_true, y_pred, average=average))
    assert m.g_mean == pytest.approx(0.8902096766991083, abs=1e-15)  # (prod of recalls)^(1/K)
    assert m.scott_pi == pytest.approx(0.8410102122971311, abs=1e-14)
    assert m.gwet_ac1 == pytest.approx(0.8443960601347847, abs=1e-14)
    assert m.no_information_rate == pytest.approx(0.40298507462686567)
    # R binom.test(120, 134, p=54/134, alternative="greater")$p.value
    assert m.p_values["no_information_rate"] == pytest.approx(1.16743831616677e-32, rel=1e-12)
    assert m.ci["cohen_kappa"] == pytest.approx((0.7625674760453569, 0.9194664222597275))
    text = m.table()
    assert "cohen_kappa_quadratic" in text and "Fleiss-Cohen-Everitt" in text


# --- item 9: scikit-learn with sample_weight, log loss, Brier, one-vs-one ------------------------
YB = np.array([0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1])
SB = np.array([0.10, 0.30, 0.30, 0.35, 0.55, 0.55, 0.60, 0.65, 0.20, 0.90, 0.45, 0.80])
WB = np.array([1.0, 2.0, 0.5, 1.5, 1.0, 3.0, 0.5, 1.0, 2.5, 1.0, 1.0, 2.0])


def test_weighted_roc_auc_and_curve_equal_sklearn():
    # roc_auc_score(y, s, sample_weight=w) = 0.9446366782006921 (unweighted 0.8472222222222223)
    assert cxreval.roc_auc(YB, SB, sample_weight=WB) == pytest.approx(0.9446366782006921, abs=1e-15)
    assert cxreval.roc_auc(YB, SB) == pytest.approx(0.8472222222222223, abs=1e-15)
    # roc_curve(y, s, sample_weight=w)
    curve = cxreval.roc_curve(YB, SB, sample_weight=WB)
    fpr = [0, 0, 0, 0, 1 / 17, 1 / 17, 3 / 17, 6 / 17, 10 / 17, 15 / 17, 1]
    tpr = [0, 2 / 17, 6 / 17, 8 / 17, 8 / 17, 16 / 17, 16 / 17, 16 / 17, 1, 1, 1]
    np.testing.assert_allclose(curve.fpr, fpr, atol=1e-15)
    np.testing.assert_allclose(curve.tpr, tpr, atol=1e-15)
    np.testing.assert_array_equal(
        curve.thresholds, [np.inf, 0.9, 0.8, 0.65, 0.6, 0.55, 0.45, 0.35, 0.3, 0.2, 0.1]
    )
    assert curve.auc == pytest.approx(0.9446366782006921, abs=1e-15)


def test_weighted_curves_match_sklearn_on_random_data():
    rng = np.random.default_rng(7)
    for _ in range(30):
        n = int(rng.integers(6, 50))
        y = np.r_[0, 1, rng.integers(0, 2, n - 2)]
        s = rng.integers(0, 8, n) / 7  # ties
        w = np.r_[1.0, 1.0, rng.exponential(size=n - 2) * (rng.random(n - 2) > 0.2)]
        for drop in (True, False):
            ours = cxreval.roc_curve(y, s, sample_weight=w, drop_intermediate=drop)
            theirs = metrics.roc_curve(y, s, sample_weight=w, drop_intermediate=drop)
            for a, b in zip(ours, theirs, strict=True):
                np.testing.assert_allclose(a, b, rtol=1e-12)
        auc = metrics.roc_auc_score(y, s, sample_weight=w)
        assert cxreval.roc_auc(y, s, sample_weight=w) == pytest.approx(auc, abs=1e-12)
        ap = metrics.average_precision_score(y, s, sample_weight=w)
        assert cxreval.average_precision(y, s, sample_weight=w) == pytest.approx(ap, abs=1e-12)
        ours = cxreval.pr_curve(y, s, sample_weight=w)
        theirs = metrics.precision_recall_curve(y, s, sample_weight=w)
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12)


def test_weighted_confusion_matrix_and_statmaker():
    # confusion_matrix(y, s >= 0.5, sample_weight=w) = [[8.0, 0.5], [0.5, 8.0]]
    pred = (SB >= 0.5).astype(int)
    cm = cxreval.confusion_matrix(YB, pred, sample_weight=WB)
    np.testing.assert_array_equal(cm, [[8.0, 0.5], [0.5, 8.0]])
    s = cxreval.statmaker_from_predictions(YB, y_score=SB, sample_weight=WB)
    assert s.sample_weighted and s.recall == pytest.approx(8 / 8.5)
    assert s.f1 == pytest.approx(metrics.f1_score(YB, pred, sample_weight=WB))
    assert s.mcc == pytest.approx(metrics.matthews_corrcoef(YB, pred, sample_weight=WB))
    assert np.isnan(s.ci["recall"][0]) and np.isnan(s.p_values["no_information_rate"])
    whole = cxreval.statmaker_from_predictions(YB, pred, sample_weight=np.ones(12) * 2)
    assert (
        whole.ci["recall"] == cxreval.statmaker(2 * cxreval.confusion_matrix(YB, pred)).ci["recall"]
    )
    with pytest.raises(ValueError, match="sample_weight has 11 weights"):
        cxreval.roc_auc(YB, SB, sample_weight=WB[:-1])
    with pytest.raises(ValueError, match="sample_weight must hold finite non-negative"):
        cxreval.confusion_matrix(YB, pred, sample_weight=-WB)
    with pytest.raises(TypeError, match="sample_weight"):
        cxreval.roc_auc_ci(YB, SB, sample_weight=WB)  # intervals take no weights


def test_log_loss_brier_and_ovo_equal_sklearn():
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    p = np.array(
        [[0.70, 0.20, 0.10], [0.50, 0.30, 0.20], [0.30, 0.40, 0.30], [0.60, 0.10, 0.30],
         [0.20, 0.60, 0.20], [0.10, 0.80, 0.10], [0.40, 0.35, 0.25], [0.30, 0.30, 0.40],
         [0.10, 0.20, 0.70], [0.25, 0.25, 0.50], [0.20, 0.50, 0.30], [0.05, 0.15, 0.80]]
    )  # fmt: skip
    # sklearn 1.9.1: log_loss, brier_score_loss (multi-class), roc_auc_score(multi_class="ovo")
    expected = {
        "all": (0.6857769280528535, 0.3804166666666667, 0.9166666666666666, 0.9166666666666665),
        "unbalanced": (0.7495353961554041, 0.42400000000000004, 0.8935185185185185,
                       0.8895833333333333),
    }  # fmt: skip
    rows = {"all": np.arange(12), "unbalanced": np.array([0, 1, 2, 4, 5, 6, 7, 8, 9, 10])}
    for name, idx in rows.items():
        loss, brier, macro, weighted = expected[name]
        assert cxreval.log_loss(y[idx], p[idx]) == pytest.approx(loss, abs=1e-15)
        assert cxreval.brier_score_multiclass(y[idx], p[idx]) == pytest.approx(brier, abs=1e-15)
        assert cxreval.roc_auc_ovo(y[idx], p[idx]) == pytest.approx(macro, abs=1e-15)
        ovo = cxreval.roc_auc_ovo(y[idx], p[idx], average="weighted")
        assert ovo == pytest.approx(weighted, abs=1e-15)
        assert cxreval.hand_till_auc(y[idx], p[idx]) == pytest.approx(macro, abs=1e-15)
    # log_loss(y, s, sample_weight=w) = 0.41497005660096137, unweighted 0.48241862071122216
    assert cxreval.log_loss(YB, SB, sample_weight=WB) == pytest.approx(0.41497005660096137)
    assert cxreval.log_loss(YB, SB) == pytest.approx(0.48241862071122216, abs=1e-15)
    # sklearn clips to [eps, 1 - eps]: log_loss([0, 1], [0.0, 0.0]) = 18.021826694558577
    assert cxreval.log_loss([0, 1], [0.0, 0.0]) == pytest.approx(18.021826694558577)
    with pytest.raises(ValueError, match="y_prob rows must sum to 1"):
        cxreval.log_loss([0, 1, 2], [[0.5, 0.3, 0.3], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])
    with pytest.raises(ValueError, match="y_prob must be 2-D"):
        cxreval.brier_score_multiclass(YB, SB)


# --- item 4: direction ------------------------------------------------------------------------
def _asah():
    import pathlib

    data = np.genfromtxt(
        pathlib.Path(__file__).with_name("asah.csv"), delimiter=",", names=True, dtype=None,
        encoding=None,
    )  # fmt: skip
    return data["outcome"], data


@pytest.mark.parametrize(
    ("marker", "sign", "direction", "auc"),
    [
        # R: r <- roc(aSAH$outcome, marker, levels=c("Good","Poor"), direction="auto");
        # r$direction; auc(r)
        ("s100b", 1, "<", 0.731368563685637),
        ("ndka", 1, "<", 0.611957994579946),
        ("wfns", 1, "<", 0.823678861788618),
        ("s100b", -1, ">", 0.731368563685637),
        ("age", 1, "<", 0.615006775067751),
    ],
)
def test_direction_auto_as_proc(marker, sign, direction, auc):
    y, data = _asah()
    score = sign * data[marker].astype(float)
    curve = cxreval.roc_curve(y, score, direction="auto")
    assert curve.direction == direction and curve.auc == pytest.approx(auc, abs=1e-14)
    assert cxreval.roc_auc(y, score, direction="auto") == pytest.approx(auc, abs=1e-14)
    ci = cxreval.roc_auc_ci(y, score, direction="auto")
    assert ci.direction == direction and ci.auc == pytest.approx(auc, abs=1e-14)


def test_direction_flips_and_default_is_unchanged():
    y, data = _asah()
    s = data["s100b"].astype(float)
    # R: auc(roc(aSAH$outcome, -aSAH$s100b, levels=c("Good","Poor"), direction="<"))
    assert cxreval.roc_auc(y, -s) == pytest.approx(0.268631436314363, abs=1e-14)
    assert cxreval.roc_auc(y, -s, direction=">") == pytest.approx(0.731368563685637, abs=1e-14)
    flipped = cxreval.roc_curve(y, -s, direction=">")
    plain = cxreval.roc_curve(y, s)
    np.testing.assert_array_equal(flipped.tpr, plain.tpr)
    np.testing.assert_array_equal(flipped.thresholds, -plain.thresholds)
    a = cxreval.roc_auc_ci(y, -s, direction=">", ci_method="bootstrap", n_boot=1000, random_state=3)
    b = cxreval.roc_auc_ci(y, s, ci_method="bootstrap", n_boot=1000, random_state=3)
    assert (a.low, a.high, a.auc) == (b.low, b.high, b.auc)
    assert "direction >" in str(a) and "direction" not in str(b)
    with pytest.raises(ValueError, match="direction must be"):
        cxreval.roc_auc(y, s, direction="auto-ish")


@settings(max_examples=100, deadline=None)
@given(
    counts=st.tuples(*[st.integers(0, 10**5)] * 4).filter(lambda c: sum(c) > 0),
    level=st.sampled_from([0.8, 0.95, 0.99]),
    method=st.sampled_from(["jeffreys", "wilson-cc"]),
    alternative=st.sampled_from(["two-sided", "greater", "less"]),
)
def test_new_intervals_contain_their_estimate(counts, level, method, alternative):
    values = cxreval.binary_statistics(*counts, zero_division=np.nan)
    intervals = cxreval.binary_intervals(
        *counts, level=level, ci_method=method, alternative=alternative
    )
    for key, (low, high) in intervals.items():
        if not (np.isnan(low) or np.isnan(values[key])):
            assert low <= values[key] <= high, (key, counts)
