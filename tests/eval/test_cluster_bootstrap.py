"""``groups=`` on the bootstrap engine and on the AUC intervals and tests (issue 17).

The cluster bootstrap resamples patients with replacement and takes all their images; the
analytic counterpart is Obuchowski's (1997) clustered DeLong. With one image per patient
every clustered number equals its unclustered one: the analytic ones to rounding, the
bootstrap ones exactly (clusters are numbered so that the draws are the case bootstrap's).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from tests._helpers import binary_scores

import cxreval
from cxreval._resampling import cluster_units
from cxreval.delong import clustered_auc_covariance

pytestmark = pytest.mark.filterwarnings("ignore:n_boot=.*resamples give:UserWarning")


def _data(n=240, per_patient=3, seed=0, ties=False):
    y, s = binary_scores(n, seed=seed, ties=ties)
    s2 = y + np.random.default_rng(seed + 1).normal(0, 2.0, n)
    return y, s, s2, np.arange(n) // per_patient


def test_one_image_per_patient_analytic_equals_delong():
    y, s, s2, _ = _data()
    ids = np.random.default_rng(5).permutation(len(y)) + 100  # any order of patient IDs
    plain, grouped = cxreval.roc_auc_ci(y, s), cxreval.roc_auc_ci(y, s, groups=ids)
    assert grouped.method == "Obuchowski (clustered DeLong)" and plain.method == "DeLong"
    assert grouped.n_clusters == len(y) and plain.n_clusters is None
    np.testing.assert_allclose(
        [grouped.auc, grouped.se, grouped.low, grouped.high],
        [plain.auc, plain.se, plain.low, plain.high],
        rtol=1e-13,
    )
    t0, t1 = cxreval.delong_test(y, s, s2), cxreval.delong_test(y, s, s2, groups=ids)
    assert t1.method == "Obuchowski (clustered DeLong) paired" and t1.n_clusters == len(y)
    np.testing.assert_allclose(
        [t1.difference, t1.statistic, t1.p_value, t1.low, t1.high],
        [t0.difference, t0.statistic, t0.p_value, t0.low, t0.high],
        rtol=1e-12,
    )


def test_grouped_analytic_is_obuchowskis_covariance():
    """The interval and the test are the Wald ones of the clustered covariance."""
    y, s, s2, g = _data()
    aucs, cov = clustered_auc_covariance(y, s, s2, groups=g)
    z = 1.959963984540054
    ci = cxreval.roc_auc_ci(y, s, groups=g)
    se = np.sqrt(cov[0, 0])
    np.testing.assert_allclose(
        [ci.auc, ci.se, ci.low, ci.high], [aucs[0], se, aucs[0] - z * se, aucs[0] + z * se]
    )
    t = cxreval.delong_test(y, s, s2, groups=g)
    se_d = np.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
    d = aucs[0] - aucs[1]
    np.testing.assert_allclose([t.difference, t.se, t.statistic], [d, se_d, d / se_d])
    assert (t.n_clusters, t.n_pos, t.n_neg) == (80, int(y.sum()), int((1 - y).sum()))


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("bootstrap_method", ["percentile", "bca"])
def test_one_image_per_patient_bootstrap_is_the_case_bootstrap_exactly(
    each_engine, ties, bootstrap_method
):
    """The same draws (clusters numbered along the score order), so the same replicates
    -- exactly, not only the same distribution."""
    y, s, s2, _ = _data(ties=ties)
    ids = np.random.default_rng(2).permutation(len(y))
    kw = {"n_boot": 400, "random_state": 7, "bootstrap_method": bootstrap_method}
    plain = cxreval.roc_auc_ci(y, s, ci_method="bootstrap", stratified=False, **kw)
    grouped = cxreval.roc_auc_ci(y, s, ci_method="bootstrap", groups=ids, **kw)
    np.testing.assert_array_equal(grouped.bootstrap.replicates, plain.bootstrap.replicates)
    # BCa's acceleration: leave-one-patient-out AUCs from counts vs DeLong's placements,
    # equal to rounding; everything else is the same arithmetic on the same replicates
    rtol = 1e-12 if bootstrap_method == "bca" else 0
    np.testing.assert_allclose(
        [grouped.low, grouped.high, grouped.se], [plain.low, plain.high, plain.se], rtol=rtol
    )
    assert grouped.method == f"cluster bootstrap ({bootstrap_method}, B=400)"
    assert grouped.n_clusters == len(y) and grouped.to_dict()["n_clusters"] == len(y)
    assert "n_clusters" not in plain.to_dict() and "n_clusters" not in plain.bootstrap.to_dict()
    t0 = cxreval.bootstrap_auc_test(y, s, s2, stratified=False, n_boot=400, random_state=7)
    t1 = cxreval.bootstrap_auc_test(y, s, s2, groups=ids, n_boot=400, random_state=7)
    assert (t1.difference, t1.statistic, t1.p_value) == (t0.difference, t0.statistic, t0.p_value)
    assert t1.method == "paired cluster bootstrap" and t1.n_clusters == len(y)


@pytest.mark.parametrize("ties", [False, True])
def test_cluster_bootstrap_equals_a_loop_over_patients(each_engine, ties):
    """Brute force: draw the patients with the same seed, take their rows, sklearn's AUC."""
    y, s, _, g = _data(n=241, per_patient=4, ties=ties)
    g = np.random.default_rng(3).permutation(g)  # patients' images scattered
    res = cxreval.roc_auc_ci(y, s, ci_method="bootstrap", groups=g, n_boot=300, random_state=11)
    units = cluster_units(g, np.argsort(s, kind="stable"))
    rows = [np.flatnonzero(units == u) for u in range(units.max() + 1)]
    draws = np.random.default_rng(11).integers(0, len(rows), (300, len(rows)))
    expected = [
        roc_auc_score(y[np.r_[tuple(rows[u] for u in d)]], s[np.r_[tuple(rows[u] for u in d)]])
        for d in draws
    ]
    np.testing.assert_allclose(res.bootstrap.replicates, expected, rtol=0, atol=1e-12)
    assert res.n_clusters == 61


def test_cluster_bootstrap_is_wider_with_correlated_images():
    rng = np.random.default_rng(0)
    patients = 150
    y = np.repeat(rng.integers(0, 2, patients), 6)
    s = y + np.repeat(rng.normal(0, 1, patients), 6) + rng.normal(0, 0.2, patients * 6)
    g = np.repeat(np.arange(patients), 6)
    plain = cxreval.roc_auc_ci(y, s, ci_method="bootstrap", n_boot=500, random_state=0)
    grouped = cxreval.roc_auc_ci(y, s, ci_method="bootstrap", groups=g, n_boot=500, random_state=0)
    analytic = cxreval.roc_auc_ci(y, s, groups=g)
    assert grouped.se > 1.8 * plain.se
    assert grouped.se == pytest.approx(analytic.se, rel=0.2)


def test_generic_bootstrap_groups():
    x = np.random.default_rng(1).normal(size=60)
    strata = np.arange(60) % 3
    for kw in [{}, {"strata": strata}, {"bootstrap_method": "bca"}]:
        plain = cxreval.bootstrap(np.mean, x, n_boot=500, random_state=4, **kw)
        grouped = cxreval.bootstrap(
            np.mean, x, n_boot=500, random_state=4, groups=-np.arange(60), **kw
        )
        np.testing.assert_array_equal(grouped.replicates, plain.replicates)
        assert (grouped.low, grouped.high) == (plain.low, plain.high)
        assert grouped.n_clusters == 60 and plain.n_clusters is None
    g = np.arange(60) // 6
    res = cxreval.bootstrap(np.mean, x, n_boot=300, random_state=4, groups=g, strata=g % 2)
    assert res.method == "stratified cluster bootstrap (percentile, B=300)"
    # brute force: clusters (numbered by first case) drawn within their stratum
    rng = np.random.default_rng(4)
    unit_strata = [np.arange(0, 10, 2), np.arange(1, 10, 2)]
    draws = [rng.integers(0, 5, (300, 5)) for _ in unit_strata]
    drawn = np.concatenate([u[d] for u, d in zip(unit_strata, draws, strict=True)], axis=1)
    expected = [x[np.concatenate([np.flatnonzero(g == u) for u in d])].mean() for d in drawn]
    np.testing.assert_allclose(res.replicates, expected, rtol=0, atol=1e-15)
    vec = cxreval.bootstrap(
        lambda a: a.mean(axis=-1),
        x,
        n_boot=300,
        random_state=4,
        groups=g,
        strata=g % 2,
        vectorized=True,
    )
    np.testing.assert_allclose(vec.replicates, res.replicates, rtol=0, atol=1e-15)
