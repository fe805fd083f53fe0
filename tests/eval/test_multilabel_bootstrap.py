"""The joint multi-label bootstrap (issue 17): images -- or patients with ``groups=`` --
resampled once for all findings, intervals for the macro / micro / weighted / subset mean
AUCs, equal to a brute-force loop of scikit-learn calls on the same resamples."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

import cxreval
from cxreval._resampling import cluster_units

pytestmark = pytest.mark.filterwarnings("ignore:n_boot=.*resamples give:UserWarning")
MEANS = ("macro", "micro", "weighted", "subset")


def _study(n=150, n_labels=4, seed=0, missing=0.1):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, (n, n_labels)).astype(float)
    s = y + rng.normal(0, 1.2, (n, n_labels))
    s = np.round(s, 1)  # ties
    y[rng.random((n, n_labels)) < missing] = np.nan
    return y, s


def _brute_force(y, s, units, n_boot, seed, subset_cols):
    """Draw the units once with the seed (one chunk), take their rows, sklearn per finding."""
    k = units.max() + 1
    draws = np.random.default_rng(seed).integers(0, k, (n_boot, k))
    reps = []
    for d in draws:
        idx = np.concatenate([np.flatnonzero(units == u) for u in d])
        yy, ss = y[idx], s[idx]
        aucs, pos = [], []
        for j in range(y.shape[1]):
            known = ~np.isnan(yy[:, j])
            aucs.append(roc_auc_score(yy[known, j], ss[known, j]))
            pos.append((yy[known, j] == 1).sum())
        known = ~np.isnan(yy)
        micro = roc_auc_score(yy[known], ss[known])
        subset = np.mean([aucs[j] for j in subset_cols])
        reps.append([np.mean(aucs), micro, np.average(aucs, weights=pos), subset])
    return np.quantile(np.array(reps), [0.025, 0.975], axis=0)


@pytest.mark.parametrize("clustered", [False, True])
def test_joint_bootstrap_equals_a_loop_of_sklearn_calls(each_engine, clustered):
    y, s = _study()
    groups = np.random.default_rng(1).permutation(len(y)) // 3 if clustered else None
    res = cxreval.multilabel_auc(
        y,
        s,
        labels=list("ABCD"),
        subset=["A", "C"],
        groups=groups,
        ci=True,
        n_boot=300,
        random_state=5,
    )
    units = np.arange(len(y)) if groups is None else cluster_units(groups)
    low, high = _brute_force(y, s, units, 300, 5, [0, 2])
    got = np.array([res.ci[m] for m in MEANS])
    np.testing.assert_allclose(got[:, 0], low, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got[:, 1], high, rtol=0, atol=1e-12)
    kind = "cluster bootstrap" if clustered else "bootstrap"
    assert res.ci["method"] == f"{kind} (percentile, B=300)" and res.ci["seed"] == 5
    for m in MEANS:
        assert res.ci[m][0] <= res.means[m] <= res.ci[m][1]


def test_one_image_per_patient_gives_the_same_intervals():
    y, s = _study(seed=3)
    plain = cxreval.multilabel_auc(y, s, ci=True, n_boot=200, random_state=2)
    ids = np.random.default_rng(0).permutation(len(y)) + 7
    grouped = cxreval.multilabel_auc(y, s, groups=ids, ci=True, n_boot=200, random_state=2)
    for m in ("macro", "micro", "weighted"):
        assert grouped.ci[m] == plain.ci[m]
    assert "subset" not in plain.ci


def test_no_ci_by_default_and_points_unchanged():
    y, s = _study()
    plain = cxreval.multilabel_auc(y, s)
    boot = cxreval.multilabel_auc(y, s, ci=True, n_boot=200, random_state=0)
    assert plain.ci is None
    assert plain.means == boot.means and plain.findings == boot.findings


def test_undefined_finding_is_left_out_of_the_bootstrap():
    y, s = _study()
    y[:, 1] = np.where(np.isnan(y[:, 1]), np.nan, 0.0)  # no positives
    with pytest.warns(cxreval.UndefinedStatisticWarning, match="finding 'finding 1'"):
        res = cxreval.multilabel_auc(y, s, ci=True, n_boot=200, random_state=0)
    kept = np.delete(np.arange(4), 1)
    low, high = _brute_force(y[:, kept], s[:, kept], np.arange(len(y)), 200, 0, [0])
    np.testing.assert_allclose(res.ci["macro"], [low[0], high[0]], rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.ci["weighted"], [low[2], high[2]], rtol=0, atol=1e-12)
