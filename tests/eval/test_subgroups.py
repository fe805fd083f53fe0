"""Subgroup audits: checked against scikit-learn, hand formulas, a published example, and NIH.

Cochran's Q and Newcombe's interval are recomputed here from their textbook formulas (the
Wilson interval written out by hand); Newcombe's own worked example (1998, Table II) is in
the docstring of :func:`cxreval.subgroups.newcombe_difference`. The NIH ChestX-ray14
metadata (``../shared/data/nih_chestxray14/``) is absent on a fresh clone; that test skips.
"""

from __future__ import annotations

import json
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from benchmarks.nih_findings_example import read_nih_findings, simulated_scores
from benchmarks.nih_leakage import NIH_FOLDER
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from scipy.stats import chi2
from sklearn.metrics import roc_auc_score

from cxreval import delong_test_unpaired
from cxreval._plain import to_plain
from cxreval.exceptions import UndefinedStatisticWarning
from cxreval.subgroups import age_bands, cochran_q, subgroup_audit

RNG = np.random.default_rng(21)
N = 600
SEX = RNG.choice(["F", "M"], N)
VIEW = RNG.choice(["AP", "PA", "lateral"], N, p=[0.45, 0.45, 0.1])
Y = RNG.integers(0, 2, N)
S = Y * np.where(SEX == "F", 0.7, 1.4) + RNG.normal(size=N)
T = 0.6


def wilson(x: float, n: float, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson's score interval, by hand."""
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_per_subgroup_values_by_hand():
    res = subgroup_audit(Y, S, {"sex": SEX}, threshold=T)
    for level in ("F", "M"):
        m = np.equal(SEX, level)
        r = res.row("sex", level)
        assert r["auc"] == pytest.approx(roc_auc_score(Y[m], S[m]), abs=1e-12)
        pos, pred = Y[m] == 1, S[m] >= T
        tp, fn = (pos & pred).sum(), (pos & ~pred).sum()
        assert r["sensitivity"] == tp / (tp + fn) and r["underdiagnosis"] == fn / (tp + fn)
        assert (r["underdiagnosis_low"], r["underdiagnosis_high"]) == pytest.approx(
            wilson(fn, tp + fn), abs=1e-12
        )
        # AUC difference from the rest: unpaired DeLong
        test = delong_test_unpaired(Y[m], S[m], Y[~m], S[~m])
        assert r["auc_difference"] == pytest.approx(test.difference, abs=1e-12)
        assert (r["auc_difference_low"], r["auc_difference_high"]) == (test.low, test.high)
        assert r["compared_with"] == "rest"
    assert res.overall["auc"] == pytest.approx(roc_auc_score(Y, S), abs=1e-12)
    assert res.n_images == N and res.methods["auc_difference"] == "DeLong unpaired (Welch t)"


def test_newcombe_difference_by_hand():
    res = subgroup_audit(Y, S, {"sex": SEX}, threshold=T)
    f, m = SEX == "F", SEX == "M"
    counts = []
    for mask in (f, m):
        pos, pred = Y[mask] == 1, S[mask] >= T
        counts.append(((pos & pred).sum(), pos.sum()))
    (x1, n1), (x2, n2) = counts
    p1, p2 = x1 / n1, x2 / n2
    (l1, u1), (l2, u2) = wilson(x1, n1), wilson(x2, n2)
    low = p1 - p2 - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = p1 - p2 + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    r = res.row("sex", "F")
    assert r["sensitivity_difference"] == pytest.approx(p1 - p2, abs=1e-12)
    assert (r["sensitivity_difference_low"], r["sensitivity_difference_high"]) == pytest.approx(
        (low, high), abs=1e-12
    )
    wald = subgroup_audit(Y, S, {"sex": SEX}, threshold=T, difference_method="wald")
    half = 1.959963984540054 * np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    r = wald.row("sex", "F")
    assert r["sensitivity_difference_high"] == pytest.approx(p1 - p2 + half, abs=1e-12)


def test_cochran_q_by_hand():
    res = subgroup_audit(Y, S, {"view": VIEW}, threshold=T)
    rows = [res.row("view", v) for v in ("AP", "PA", "lateral")]
    a = np.array([r["auc"] for r in rows])
    w = 1 / np.array([r["auc_se"] for r in rows]) ** 2
    # the computational form Q = sum w a^2 - (sum w a)^2 / sum w
    q = np.sum(w * a**2) - np.sum(w * a) ** 2 / np.sum(w)
    het = res.heterogeneity["view"]
    assert het["q"] == pytest.approx(q, rel=1e-10) and het["df"] == 2
    assert het["p_value"] == pytest.approx(chi2.sf(q, 2), rel=1e-10)
    assert het["i2"] == pytest.approx(max(0.0, (q - 2) / q), abs=1e-12)
    one = cochran_q([0.8], [0.01])
    assert one["df"] == 0 and np.isnan(one["q"]) and one["pooled"] == 0.8


def test_reference_group():
    res = subgroup_audit(Y, S, {"view": VIEW}, threshold=T, reference="PA")
    assert res.row("view", "PA")["compared_with"] is None
    assert np.isnan(res.row("view", "PA")["auc_difference"])
    ap, pa = VIEW == "AP", VIEW == "PA"
    test = delong_test_unpaired(Y[ap], S[ap], Y[pa], S[pa])
    assert res.row("view", "AP")["compared_with"] == "PA"
    assert res.row("view", "AP")["auc_difference"] == pytest.approx(test.difference, abs=1e-12)
    assert res.reference == {"view": "PA"}


def test_small_subgroup_and_one_class_subgroup_warn_and_give_nan():
    site = np.where(np.arange(N) < 10, "tiny", "big")
    with pytest.warns(UndefinedStatisticWarning, match="subgroup site='tiny' has 10 images"):
        res = subgroup_audit(Y, S, {"site": site}, threshold=T)
    r = res.row("site", "tiny")
    assert np.isnan(r["auc"]) and np.isnan(r["sensitivity"]) and r["n"] == 10
    assert r["note"] == "fewer than min_size=30 images"
    y = np.where(site == "tiny", 1, Y)
    with pytest.warns(UndefinedStatisticWarning, match="holds one class only"):
        res = subgroup_audit(y, S, {"site": site}, threshold=T, min_size=5)
    r = res.row("site", "tiny")
    assert np.isnan(r["auc"]) and r["sensitivity"] == np.mean(S[:10] >= T)
    assert np.isnan(r["specificity"]) and r["note"] == "one class only"


def test_groups_with_one_image_each_equal_the_image_level_intervals():
    plain = subgroup_audit(Y, S, {"view": VIEW}, threshold=T)
    single = subgroup_audit(Y, S, {"view": VIEW}, threshold=T, groups=np.arange(N))
    for a, b in zip(plain.rows, single.rows, strict=True):
        for key in ("auc", "auc_low", "auc_high", "sensitivity", "specificity_low",
                    "underdiagnosis_high", "sensitivity_difference_low"):  # fmt: skip
            assert b[key] == pytest.approx(a[key], abs=1e-12), key
    assert single.heterogeneity["view"]["q"] == pytest.approx(plain.heterogeneity["view"]["q"])
    patients = np.arange(N) // 3
    with pytest.warns(UserWarning, match="patient"):  # images of one patient in two views
        clustered = subgroup_audit(Y, S, {"view": VIEW}, threshold=T, groups=patients)
    assert clustered.methods["auc"] == "Obuchowski (clustered DeLong)"
    assert clustered.row("view", "AP")["shared_patients"] > 0


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_one_level_gives_the_overall_result_and_permuting_changes_nothing(rnd):
    one = subgroup_audit(Y, S, np.full(N, "all images"), threshold=T)
    row = one.row("subgroup", "all images")
    for key in ("auc", "auc_low", "sensitivity", "specificity_high", "underdiagnosis", "n"):
        assert row[key] == one.overall[key]
    assert row["compared_with"] is None and np.isnan(one.heterogeneity["subgroup"]["q"])
    order = np.array(rnd.sample(range(N), N))
    a = subgroup_audit(Y, S, {"sex": SEX, "view": VIEW}, threshold=T)
    b = subgroup_audit(Y[order], S[order], {"sex": SEX[order], "view": VIEW[order]}, threshold=T)
    for ra, rb in zip(a.rows, b.rows, strict=True):
        for key, value in ra.items():
            assert rb[key] == pytest.approx(value, abs=1e-12, nan_ok=True), key


def test_age_bands():
    assert age_bands([0, 19, 19.99, 20, 59, 60, 79, 80, 95]).tolist() == [
        "0-19", "0-19", "0-19", "20-39", "40-59", "60-79", "60-79", "80+", "80+",
    ]  # fmt: skip
    assert age_bands([17, 18, 65], edges=[18, 65]).tolist() == ["0-17", "18-64", "65+"]
    with pytest.raises(ValueError, match="age must hold finite, non-negative"):
        age_bands([30, -1])
    with pytest.raises(ValueError, match="edges must be increasing positive whole numbers"):
        age_bands([30], edges=[40, 20])


def test_result_protocol():
    res = subgroup_audit(Y, S, {"sex": SEX, "view": VIEW}, threshold=T)
    plain = json.loads(json.dumps(to_plain(res.to_dict(), json_safe=True), allow_nan=False))
    assert len(plain["rows"]) == 5 and plain["heterogeneity"]["sex"]["df"] == 1
    assert "underdiagnosis" in res.table() and "Cochran's Q" in str(res)
    try:
        ax = res.plot()
        assert isinstance(ax, Axes) and len(ax.get_yticklabels()) == 5
    finally:
        plt.close("all")
    assert res.attributes == ("sex", "view")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"subgroups": SEX[:-1]}, ValueError, "subgroups must hold one subgroup per image (600)"),
        ({"subgroups": {"sex": SEX, "view": VIEW[:5]}}, ValueError,
         "subgroups['view'] must hold one subgroup per image"),
        ({"subgroups": np.where(SEX == "F", np.nan, 1.0)}, ValueError, "subgroups contains NaN"),
        ({"subgroups": "sex"}, TypeError, "subgroups must be one column"),
        ({"groups": np.arange(N - 2)}, ValueError, "groups must hold one cluster ID per image"),
        ({"y_score": S[:-1]}, ValueError, "y_true=600, y_score=599"),
        ({"y_true": Y + np.arange(N) % 3}, ValueError, "y_true must be binary"),
        ({"reference": "X"}, ValueError, "reference 'X' is not a subgroup"),
        ({"threshold": "0.5"}, TypeError, "threshold must be a number"),
        ({"difference_method": "exact"}, ValueError, "difference_method must be one of"),
        ({"min_size": 0}, ValueError, "min_size must be a positive integer"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_by_name(kwargs, error, message):
    args = {"y_true": Y, "y_score": S, "subgroups": SEX, "threshold": T, **kwargs}
    with pytest.raises(error) as info:
        subgroup_audit(args.pop("y_true"), args.pop("y_score"), args.pop("subgroups"), **args)
    assert message in str(info.value)


@pytest.fixture(scope="module")
def nih():
    data = read_nih_findings(NIH_FOLDER)
    if data is None:
        pytest.skip(f"real data not available: {NIH_FOLDER} is absent (fresh clone)")
    return data


def test_nih_per_sex_underdiagnosis_with_simulated_scores(nih):
    test = nih["split"] == "test"
    any_finding = nih["labels"][test].max(axis=1)
    score = simulated_scores(nih)[test].max(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # sex is a patient attribute: no patient in both
        res = subgroup_audit(
            any_finding, score, {"sex": nih["sex"][test]}, threshold=1.85,
            groups=nih["patient"][test],
        )  # fmt: skip
    # README: test split sex M / F 14,882 / 10,714 images; 9,861 No Finding images
    assert (res.row("sex", "M")["n"], res.row("sex", "F")["n"]) == (14_882, 10_714)
    assert res.overall["n_neg"] == 9_861 and res.n_clusters == 2_797
    assert res.row("sex", "F")["shared_patients"] == 0
    # the simulation gives women a weaker signal: more underdiagnosis, detected
    f = res.row("sex", "F")
    assert f["underdiagnosis"] > res.row("sex", "M")["underdiagnosis"]
    assert f["underdiagnosis_difference_low"] > 0
