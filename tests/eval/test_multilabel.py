"""Many findings per image: checked against scikit-learn, by hand, and on the real NIH labels.

The NIH ChestX-ray14 metadata (``../shared/data/nih_chestxray14/``) is absent on a fresh
clone; the test using it skips then. Its expected counts are the README's.
"""

from __future__ import annotations

import json
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from benchmarks.nih_findings_example import FINDINGS, read_nih_findings, simulated_scores
from benchmarks.nih_leakage import NIH_FOLDER
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from sklearn.metrics import average_precision_score, roc_auc_score

from cxreval import roc_auc_ci
from cxreval._plain import to_plain
from cxreval.exceptions import UndefinedStatisticWarning
from cxreval.intervals import proportion_ci
from cxreval.multilabel import (
    CHEXPERT_COMPETITION,
    multilabel_auc,
    multilabel_operating_points,
)
from cxreval.operating_point import operating_point

RNG = np.random.default_rng(17)
N, L = 300, 5
Y = (RNG.random((N, L)) < np.linspace(0.1, 0.5, L)).astype(float)
S = Y * np.linspace(0.5, 2.0, L) + RNG.normal(size=(N, L))
NAMES = list(CHEXPERT_COMPETITION)


def test_per_finding_aucs_and_means_equal_sklearn():
    res = multilabel_auc(Y, S, labels=NAMES)
    aucs = [f["auc"] for f in res.findings]
    np.testing.assert_allclose(aucs, roc_auc_score(Y, S, average=None), rtol=0, atol=1e-12)
    for average in ("macro", "micro", "weighted"):
        expected = roc_auc_score(Y, S, average=average)
        assert res.means[average] == pytest.approx(expected, abs=1e-12), average
    aps = [f["average_precision"] for f in res.findings]
    np.testing.assert_allclose(aps, average_precision_score(Y, S, average=None), atol=1e-12)
    np.testing.assert_allclose([f["prevalence"] for f in res.findings], Y.mean(axis=0))


def test_per_finding_interval_is_delong_and_counts_are_right():
    res = multilabel_auc(Y, S, labels=NAMES)
    for j, name in enumerate(NAMES):
        ci = roc_auc_ci(Y[:, j], S[:, j])
        f = res[name]
        assert (f["auc"], f["low"], f["high"], f["se"]) == (ci.auc, ci.low, ci.high, ci.se)
        assert (f["n_images"], f["n_pos"], f["n_missing"]) == (N, int(Y[:, j].sum()), 0)
    assert res.method == "DeLong" and res.labels == tuple(NAMES)


def test_missing_and_uncertain_labels():
    y = Y.copy()
    y[::7, 0] = np.nan
    y[1::9, 1] = -1
    ignore = multilabel_auc(y, S, labels=NAMES)
    known = ~np.isnan(y[:, 0])
    assert ignore["Atelectasis"]["auc"] == pytest.approx(roc_auc_score(y[known, 0], S[known, 0]))
    assert ignore["Atelectasis"]["n_missing"] == int((~known).sum())
    unc = y[:, 1] == -1
    assert ignore["Cardiomegaly"]["n_uncertain"] == int(unc.sum())
    assert ignore["Cardiomegaly"]["n_images"] == N - int(unc.sum())
    for policy, value in (("zeros", 0.0), ("ones", 1.0)):
        res = multilabel_auc(y, S, labels=NAMES, uncertain=policy)
        target = np.where(unc, value, y[:, 1])
        assert res["Cardiomegaly"]["auc"] == pytest.approx(roc_auc_score(target, S[:, 1]))
        assert res["Cardiomegaly"]["n_images"] == N
    # micro pools the known cells only
    cells = ~np.isnan(np.where(y == -1, np.nan, y))
    pooled = roc_auc_score(y[cells], S[cells])
    assert ignore.means["micro"] == pytest.approx(pooled, abs=1e-12)


def test_subset_mean_is_the_mean_of_its_findings():
    res = multilabel_auc(Y, S, labels=NAMES, subset=["Edema", "Atelectasis"])
    assert res.means["subset"] == pytest.approx(
        (res["Edema"]["auc"] + res["Atelectasis"]["auc"]) / 2
    )
    assert "subset of 2" in str(res)


def test_a_finding_without_positives_is_nan_with_a_warning_naming_it():
    y = Y.copy()
    y[:, 2] = 0
    with pytest.warns(UndefinedStatisticWarning, match="'Consolidation' has 0 positive"):
        res = multilabel_auc(y, S, labels=NAMES)
    assert np.isnan(res["Consolidation"]["auc"]) and np.isnan(res["Consolidation"]["low"])
    rest = [j for j in range(L) if j != 2]
    assert res.means["macro"] == pytest.approx(roc_auc_score(Y[:, rest], S[:, rest]))


def test_groups_with_one_image_each_equal_delong_and_clustered_equals_obuchowski():
    plain = multilabel_auc(Y, S, labels=NAMES)
    single = multilabel_auc(Y, S, labels=NAMES, groups=np.arange(N))
    for a, b in zip(plain.findings, single.findings, strict=True):
        for key in ("auc", "low", "high", "se"):
            assert a[key] == pytest.approx(b[key], abs=1e-12)
    patients = np.arange(N) // 4
    clustered = multilabel_auc(Y, S, labels=NAMES, groups=patients)
    ci = roc_auc_ci(Y[:, 3], S[:, 3], groups=patients)
    assert clustered["Edema"]["se"] == ci.se and clustered["Edema"]["n_clusters"] == N // 4
    assert clustered.method == "Obuchowski (clustered DeLong)" and clustered.n_clusters == N // 4


@settings(max_examples=20, deadline=None)
@given(st.randoms(use_true_random=False))
def test_permuting_the_images_changes_nothing(rnd):
    order = np.array(rnd.sample(range(N), N))
    a = multilabel_auc(Y, S, labels=NAMES, groups=np.arange(N) // 3)
    b = multilabel_auc(Y[order], S[order], labels=NAMES, groups=(np.arange(N) // 3)[order])
    for fa, fb in zip(a.findings, b.findings, strict=True):
        for key, value in fa.items():
            assert fb[key] == pytest.approx(value, abs=1e-12), key
    for key, value in a.means.items():
        assert b.means[key] == pytest.approx(value, abs=1e-12, nan_ok=True)


def test_operating_points_come_from_validation_and_apply_to_test():
    val, test = slice(0, 150), slice(150, N)
    res = multilabel_operating_points(
        Y[test], S[test], y_true_val=Y[val], y_score_val=S[val], labels=NAMES,
        criterion="sensitivity", target=0.8,
    )  # fmt: skip
    for j, name in enumerate(NAMES):
        op = operating_point(Y[val, j], S[val, j], criterion="sensitivity", target=0.8)
        f = res[name]
        assert f["threshold"] == op.threshold and f["val_sensitivity"] == op.sensitivity
        pred, pos = S[test, j] >= op.threshold, Y[test, j] == 1
        tp, fn = int((pred & pos).sum()), int((~pred & pos).sum())
        fp, tn = int((pred & ~pos).sum()), int((~pred & ~pos).sum())
        assert (f["tp"], f["fp"], f["fn"], f["tn"]) == (tp, fp, fn, tn)
        assert f["sensitivity"] == tp / (tp + fn) and f["ppv"] == tp / (tp + fp)
        low, high = proportion_ci(tn, tn + fp)
        assert (f["specificity_low"], f["specificity_high"]) == (float(low), float(high))
    assert "thresholds by sensitivity >= 0.8 on validation data" in res.table()


def test_operating_points_with_groups_of_one_image_equal_wilson():
    kwargs = {"y_true_val": Y[:150], "y_score_val": S[:150], "labels": NAMES}
    plain = multilabel_operating_points(Y[150:], S[150:], **kwargs)
    single = multilabel_operating_points(Y[150:], S[150:], groups=np.arange(150), **kwargs)
    for a, b in zip(plain.findings, single.findings, strict=True):
        for key, value in a.items():
            assert b[key] == pytest.approx(value, abs=1e-12), key
    assert single.method == "Wilson, clustered (Rao-Scott design effect)"


def test_operating_point_of_a_finding_with_one_class_in_validation_is_nan():
    y_val = Y[:150].copy()
    y_val[:, 0] = 0
    with pytest.warns(UndefinedStatisticWarning, match="'Atelectasis'"):
        res = multilabel_operating_points(
            Y[150:], S[150:], y_true_val=y_val, y_score_val=S[:150], labels=NAMES
        )
    assert np.isnan(res["Atelectasis"]["threshold"]) and np.isnan(res["Atelectasis"]["npv"])


def test_result_protocol():
    res = multilabel_auc(Y, S, labels=NAMES, subset=CHEXPERT_COMPETITION)
    ops = multilabel_operating_points(Y, S, y_true_val=Y, y_score_val=S, labels=NAMES)
    for r in (res, ops):
        plain = json.loads(json.dumps(to_plain(r.to_dict(), json_safe=True), allow_nan=False))
        assert len(plain["findings"]) == L
        assert "Atelectasis" in r.table() and str(r)
        try:
            ax = r.plot()
            assert isinstance(ax, Axes) and len(ax.get_yticklabels()) == L
        finally:
            plt.close("all")
    assert res.ci is None  # filled by the joint bootstrap
    assert str(res).startswith("mean AUC over 5 findings: macro ")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"y_true": np.where(Y == 1, 2, Y)}, ValueError, "y_true must hold 1, 0, -1"),
        ({"y_true": Y + 0.5}, ValueError, "got 0.5 at row 0"),
        ({"y_true": Y.astype(str)}, TypeError, "y_true must be numeric"),
        ({"y_score": S[:, :3]}, ValueError, "y_score must have the shape of y_true (300, 5)"),
        ({"y_score": S[:-1]}, ValueError, "y_score must have the shape of y_true"),
        ({"y_score": np.where(Y == 1, np.nan, S)}, ValueError, "y_score must be finite"),
        ({"groups": np.arange(N - 1)}, ValueError, "groups must hold one cluster ID per image"),
        ({"labels": NAMES[:3]}, ValueError, "labels has 3 entries"),
        ({"uncertain": "u-ones"}, ValueError, "uncertain must be one of"),
        ({"subset": ["Hernia"]}, ValueError, "subset names findings ['Hernia']"),
    ],
)
def test_bad_input_is_refused_by_name(kwargs, error, message):
    args = {"y_true": Y, "y_score": S, "labels": NAMES, **kwargs}
    with pytest.raises(error) as info:
        multilabel_auc(args.pop("y_true"), args.pop("y_score"), **args)
    assert message in str(info.value)


def test_validation_data_of_other_findings_is_refused():
    with pytest.raises(ValueError, match="y_score_val must have the shape of y_true_val"):
        multilabel_operating_points(Y, S, y_true_val=Y, y_score_val=S[:, :2], labels=NAMES)
    with pytest.raises(ValueError, match="labels has 5 entries"):
        multilabel_operating_points(Y, S, y_true_val=Y[:, :2], y_score_val=S[:, :2])


@pytest.fixture(scope="module")
def nih():
    data = read_nih_findings(NIH_FOLDER)
    if data is None:
        pytest.skip(f"real data not available: {NIH_FOLDER} is absent (fresh clone)")
    return data


#: Test-split positives per finding (README, "By official split").
NIH_TEST_POSITIVES = {
    "Atelectasis": 3279, "Cardiomegaly": 1069, "Effusion": 4658, "Infiltration": 6112,
    "Mass": 1748, "Nodule": 1623, "Pneumonia": 555, "Pneumothorax": 2665,
    "Consolidation": 1815, "Edema": 925, "Emphysema": 1093, "Fibrosis": 435,
    "Pleural_Thickening": 1143, "Hernia": 86,
}  # fmt: skip


def test_nih_test_split_14_findings_with_simulated_scores(nih):
    test = nih["split"] == "test"
    score = simulated_scores(nih)[test]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = multilabel_auc(
            nih["labels"][test], score, labels=FINDINGS, groups=nih["patient"][test]
        )
    assert res.n_images == 25_596 and res.n_clusters == 2_797
    assert {f["finding"]: f["n_pos"] for f in res.findings} == NIH_TEST_POSITIVES
    assert all(f["n_missing"] == 0 and 0.5 < f["auc"] < 1 for f in res.findings)
    assert all(f["low"] < f["auc"] < f["high"] for f in res.findings)
    np.testing.assert_allclose(
        [f["auc"] for f in res.findings],
        roc_auc_score(nih["labels"][test], score, average=None),
        atol=1e-12,
    )
