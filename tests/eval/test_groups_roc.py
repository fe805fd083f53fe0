"""``groups=`` (and ``resampling=``) on the ROC band, the specificity band, the multi-class
AUCs and the unpaired DeLong test (issues 17 and 20).

Each clustered result is checked three ways: with one image per patient it equals the
unclustered one (the bootstrap bit for bit with the same seed, the analytic numbers to
1e-12); the cluster bootstrap equals a brute-force loop that draws the same patients with
the same generator and recomputes the statistic with scikit-learn or cxreval's plain
functions on their images; Obuchowski's numbers equal ``roc_auc_ci(groups=)`` per class
and a hand computation from :func:`cxreval.delong.clustered_auc_covariance`.
"""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.special import stdtrit
from sklearn.metrics import roc_auc_score
from tests._helpers import binary_scores, multiclass_probabilities

import cxreval
from cxreval._plain import to_plain
from cxreval._resampling import cluster_units
from cxreval.coords import bootstrap_rates
from cxreval.delong import clustered_auc_covariance

pytestmark = pytest.mark.filterwarnings("ignore:n_boot=.*resamples give:UserWarning")

SPEC = np.array([0.5, 0.8, 0.9])


def _patients(n: int, seed: int, per: int = 3) -> np.ndarray:
    """Patient IDs of n images, about ``per`` each, scattered over the images."""
    return np.random.default_rng(seed).permutation(np.arange(n) // per)


def _draws(units: np.ndarray, n_boot: int, seed: int) -> list[np.ndarray]:
    """The rows of each cluster-bootstrap resample: the engine's draws of the units (one
    stratum) with a fresh generator of the same seed, each unit's rows taken."""
    rows = [np.flatnonzero(units == u) for u in range(units.max() + 1)]
    draws = np.random.default_rng(seed).integers(0, len(rows), (n_boot, len(rows)))
    return [np.concatenate([rows[u] for u in d]) for d in draws]


# ------------------------------------------------------------------------------ ROC band


@pytest.mark.parametrize("ties", [False, True])
def test_band_one_image_per_patient_is_the_unstratified_band_exactly(each_engine, ties):
    y, s = binary_scores(150, seed=1, ties=ties)
    ids = np.random.default_rng(2).permutation(150).astype(str)
    kw = {"specificities": SPEC, "n_boot": 300, "random_state": 5}
    plain = cxreval.roc_band(y, s, stratified=False, **kw)
    grouped = cxreval.roc_band(y, s, groups=ids, **kw)
    np.testing.assert_array_equal(grouped.low, plain.low)
    np.testing.assert_array_equal(grouped.high, plain.high)
    assert grouped.method == "cluster bootstrap (percentile, B=300)"
    assert grouped.n_clusters == 150 and grouped.to_dict()["n_clusters"] == 150
    assert "n_clusters" not in plain.to_dict()
    # the legend's DeLong interval becomes Obuchowski's, equal with singletons
    assert grouped.auc_ci.method == "Obuchowski (clustered DeLong)"
    assert grouped.auc_ci.se == pytest.approx(plain.auc_ci.se, abs=1e-12)


def test_band_cluster_bootstrap_equals_a_loop_over_patients(each_engine):
    y, s = binary_scores(121, seed=3, ties=True)
    g = _patients(121, seed=4, per=4)
    band = cxreval.roc_band(y, s, specificities=SPEC, n_boot=200, random_state=9, groups=g)
    units = cluster_units(np.unique(g, return_inverse=True)[1], np.argsort(s, kind="stable"))
    reps = np.array(
        [cxreval.sensitivity_at_specificity(y[r], s[r], SPEC) for r in _draws(units, 200, 9)]
    )
    np.testing.assert_allclose(band.low, np.quantile(reps, 0.025, axis=0), atol=1e-12)
    np.testing.assert_allclose(band.high, np.quantile(reps, 0.975, axis=0), atol=1e-12)
    assert band.n_clusters == 31 and band.n_boot == 200


def test_band_multinomial_resampling_is_recorded_and_draws_the_same_distribution():
    y, s = binary_scores(4000, seed=6, ties=True)
    kw = {"specificities": SPEC, "n_boot": 1000, "random_state": 1}
    cases = cxreval.roc_band(y, s, **kw)
    multi = cxreval.roc_band(y, s, resampling="multinomial", **kw)
    auto = cxreval.roc_band(y, s, resampling="auto", **kw)  # 146 distinct pairs <= n / 16
    np.testing.assert_array_equal(multi.sensitivity, cases.sensitivity)
    assert (cases.resampling, multi.resampling, auto.resampling) == (
        "cases",
        "multinomial",
        "multinomial",
    )
    np.testing.assert_array_equal(auto.low, multi.low)
    np.testing.assert_allclose(multi.low, cases.low, atol=0.02)  # Monte Carlo error
    np.testing.assert_allclose(multi.high, cases.high, atol=0.02)
    assert multi.to_dict()["resampling"] == "multinomial"
    continuous = binary_scores(300, seed=6)
    a = cxreval.roc_band(*continuous, resampling="auto", n_boot=200, random_state=1)
    b = cxreval.roc_band(*continuous, n_boot=200, random_state=1)
    assert a.resampling == "cases"
    np.testing.assert_array_equal(a.low, b.low)


# ------------------------------------------------------------------- specificity band


def test_specificity_band_with_groups(each_engine):
    y, s = binary_scores(160, seed=7)
    kw = {"sensitivities": [0.7, 0.9], "n_boot": 300, "random_state": 2}
    plain = cxreval.specificity_band(y, s, stratified=False, **kw)
    single = cxreval.specificity_band(y, s, groups=-np.arange(160), **kw)
    np.testing.assert_array_equal(single.low, plain.low)
    np.testing.assert_array_equal(single.high, plain.high)
    assert single.n_clusters == 160 and "n_clusters" not in plain.to_dict()
    g = _patients(160, seed=8, per=5)
    band = cxreval.specificity_band(y, s, groups=g, **kw)
    units = cluster_units(np.unique(g, return_inverse=True)[1], np.argsort(s, kind="stable"))
    reps = np.array(
        [cxreval.specificity_at_sensitivity(y[r], s[r], [0.7, 0.9]) for r in _draws(units, 300, 2)]
    )
    np.testing.assert_allclose(band.low, np.quantile(reps, 0.025, axis=0), atol=1e-12)
    assert band.method == "cluster bootstrap (percentile, B=300)" and band.n_clusters == 32


def test_bootstrap_rates_resamples_clusters_within_strata():
    """Two test sets (two strata), clusters nested in them: one case per cluster gives the
    case bootstrap's resamples; a cluster spanning both strata is refused."""
    y, s = binary_scores(80, seed=9)
    strata = [np.argsort(s[:40], kind="stable"), 40 + np.argsort(s[40:], kind="stable")]
    scores = [(s, np.arange(40)), (s, np.arange(40, 80))]
    kw = {"stratified": True, "combine": lambda r: (r[0] - r[1])[:, 0], "level": 0.95,
          "bootstrap_method": "percentile", "random_state": 3}  # fmt: skip
    plain = bootstrap_rates(strata, y == 1, scores, np.array([0.8]), "specificity", 200, **kw)
    grouped = bootstrap_rates(
        strata, y == 1, scores, np.array([0.8]), "specificity", 200, codes=np.arange(80)[::-1],
        **kw,
    )  # fmt: skip
    np.testing.assert_array_equal(grouped.replicates, plain.replicates)
    assert grouped.n_clusters == 80 and grouped.method.startswith("stratified cluster")
    with pytest.raises(ValueError, match="groups: a patient has images in two"):
        bootstrap_rates(
            strata, y == 1, scores, np.array([0.8]), "specificity", 200,
            codes=np.arange(80) % 40, **kw,
        )  # fmt: skip


# ------------------------------------------------------------------------- multi-class


def _mc_statistics(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Per-class one-vs-rest AUCs, macro, prevalence-weighted and Hand & Till by sklearn."""
    ovr = roc_auc_score(y, p, multi_class="ovr", average=None)
    weighted = roc_auc_score(y, p, multi_class="ovr", average="weighted")
    return np.r_[ovr, ovr.mean(), weighted, roc_auc_score(y, p, multi_class="ovo")]


@pytest.mark.parametrize("bootstrap_method", ["percentile", "bca"])
def test_multiclass_one_image_per_patient_equals_unclustered(each_engine, bootstrap_method):
    y, p = multiclass_probabilities(150, 3, seed=1)
    ids = np.random.default_rng(3).permutation(150) + 1000
    kw = {"n_boot": 300, "random_state": 4, "bootstrap_method": bootstrap_method}
    plain = cxreval.roc_auc_multiclass(y, p, stratified=False, ci_method="bootstrap", **kw)
    grouped = cxreval.roc_auc_multiclass(y, p, groups=ids, ci_method="bootstrap", **kw)
    np.testing.assert_array_equal(grouped.macro.replicates, plain.macro.replicates)
    np.testing.assert_array_equal(grouped.weighted.replicates, plain.weighted.replicates)
    np.testing.assert_array_equal(grouped.hand_till.replicates, plain.hand_till.replicates)
    rtol = 1e-12 if bootstrap_method == "bca" else 0  # leave-one-patient-out vs -case-out
    for a, b in zip(grouped.per_class, plain.per_class, strict=True):
        np.testing.assert_allclose([a.low, a.high], [b.low, b.high], rtol=rtol)
        assert a.n_clusters == 150 and b.n_clusters is None
    np.testing.assert_allclose(grouped.macro.low, plain.macro.low, rtol=rtol)
    assert grouped.n_clusters == 150 and grouped.to_dict()["n_clusters"] == 150
    assert "n_clusters" not in plain.to_dict()
    assert grouped.macro.method == f"cluster bootstrap ({bootstrap_method}, B=300)"
    # analytic per class: Obuchowski with singletons is DeLong
    d0 = cxreval.roc_auc_multiclass(y, p, n_boot=300, random_state=4)
    d1 = cxreval.roc_auc_multiclass(y, p, n_boot=300, random_state=4, groups=ids)
    for a, b in zip(d1.per_class, d0.per_class, strict=True):
        assert a.method == "Obuchowski (clustered DeLong)" and b.method == "DeLong"
        np.testing.assert_allclose([a.low, a.high, a.se], [b.low, b.high, b.se], atol=1e-12)


def test_multiclass_cluster_bootstrap_equals_a_loop_over_patients(each_engine):
    y, p = multiclass_probabilities(120, 3, seed=5)
    g = _patients(120, seed=6, per=3)
    res = cxreval.roc_auc_multiclass(y, p, n_boot=100, random_state=8, groups=g)
    units = cluster_units(np.unique(g, return_inverse=True)[1])  # cases in index order
    expected = np.array([_mc_statistics(y[r], p[r]) for r in _draws(units, 100, 8)])
    got = np.column_stack([res.macro.replicates, res.weighted.replicates, res.hand_till.replicates])
    np.testing.assert_allclose(got, expected[:, 3:], rtol=0, atol=1e-12)
    boot = cxreval.roc_auc_multiclass(
        y, p, n_boot=100, random_state=8, groups=g, ci_method="bootstrap"
    )
    per_class = np.column_stack([c.bootstrap.replicates for c in boot.per_class])
    np.testing.assert_allclose(per_class, expected[:, :3], rtol=0, atol=1e-12)
    assert res.n_clusters == 40 and boot.per_class[0].n_clusters == 40


def test_multiclass_obuchowski_per_class_is_roc_auc_ci_with_groups():
    y, p = multiclass_probabilities(150, 3, seed=2)
    g = _patients(150, seed=3, per=4)
    res = cxreval.roc_auc_multiclass(y, p, n_boot=200, random_state=0, groups=g)
    for c, ci in enumerate(res.per_class):
        ref = cxreval.roc_auc_ci(y == c, p[:, c], groups=g)
        assert (ci.auc, ci.low, ci.high, ci.se, ci.design_effect) == (
            ref.auc,
            ref.low,
            ref.high,
            ref.se,
            ref.design_effect,
        )
        assert ci.positive == c and ci.n_clusters == len(np.unique(g))


def test_multiclass_unstratified_weights_follow_each_resample_and_default_is_unchanged():
    """Stratified (default), the weighted mean's weights are the data's prevalences;
    unstratified they are each resample's class shares (sklearn's average="weighted")."""
    y, p = multiclass_probabilities(90, 3, seed=11)
    res = cxreval.roc_auc_multiclass(y, p, n_boot=100, random_state=0, stratified=False)
    draws = np.random.default_rng(0).integers(0, 90, (100, 90))
    expected = np.array([_mc_statistics(y[d], p[d]) for d in draws])
    np.testing.assert_allclose(res.weighted.replicates, expected[:, 4], rtol=0, atol=1e-12)
    assert res.macro.method == "bootstrap (percentile, B=100)"


def test_multiclass_multinomial_resampling():
    y, p = multiclass_probabilities(2000, 3, seed=12)
    p = np.round(p * 4) / 4  # probabilities in quarters: few distinct score rows
    kw = {"n_boot": 600, "random_state": 2}
    cases = cxreval.roc_auc_multiclass(y, p, **kw)
    multi = cxreval.roc_auc_multiclass(y, p, resampling="multinomial", **kw)
    auto = cxreval.roc_auc_multiclass(y, p, resampling="auto", ci_method="bootstrap", **kw)
    assert multi.macro.estimate == cases.macro.estimate
    assert cases.macro.resampling == "cases" and multi.macro.resampling == "multinomial"
    assert auto.macro.resampling == "multinomial" and auto.per_class[0].resampling == "multinomial"
    assert multi.to_dict()["macro"]["resampling"] == "multinomial"
    for a, b in ((multi.macro, cases.macro), (multi.hand_till, cases.hand_till)):
        assert a.se == pytest.approx(b.se, rel=0.15)  # the same distribution
        assert a.low == pytest.approx(b.low, abs=3 * b.se / np.sqrt(12))


# ------------------------------------------------------------------ unpaired DeLong test


def test_unpaired_with_singletons_equals_delong():
    ya, sa = binary_scores(90, seed=1)
    yb, sb = binary_scores(70, seed=2, noise=2.0)
    plain = cxreval.delong_test_unpaired(ya, sa, yb, sb, level=0.9, alternative="greater")
    grouped = cxreval.delong_test_unpaired(
        ya, sa, yb, sb, level=0.9, alternative="greater",
        groups_a=np.arange(90), groups_b=np.arange(100, 170).astype(str),
    )  # fmt: skip
    for name in ("auc_a", "auc_b", "difference", "low", "high", "statistic", "p_value", "df"):
        assert getattr(grouped, name) == pytest.approx(getattr(plain, name), abs=1e-12)
    assert grouped.method == "Obuchowski (clustered DeLong) unpaired"
    assert grouped.n_clusters == 160 and plain.n_clusters is None
    assert set(grouped.to_dict()) - set(plain.to_dict()) == {"n_clusters", "se"}
    half = cxreval.delong_test_unpaired(ya, sa, yb, sb, groups_a=np.arange(90) // 3)
    assert half.n_clusters == 30 + 70  # set b without groups: one image per patient


def test_unpaired_clustered_by_hand():
    """Obuchowski's variance per set, Welch-Satterthwaite df over patients, t interval."""
    ya, sa = binary_scores(120, seed=3)
    yb, sb = binary_scores(90, seed=4, noise=1.6)
    ga, gb = _patients(120, seed=5, per=4), 1000 + _patients(90, seed=6, per=3)
    res = cxreval.delong_test_unpaired(ya, sa, yb, sb, groups_a=ga, groups_b=gb)
    (auc_a,), va = clustered_auc_covariance(ya, sa, groups=ga)
    (auc_b,), vb = clustered_auc_covariance(yb, sb, groups=gb)
    va, vb = va[0, 0], vb[0, 0]
    df = (va + vb) ** 2 / (va**2 / (30 - 1) + vb**2 / (30 - 1))
    half = stdtrit(df, 0.975) * np.sqrt(va + vb)
    d = auc_a - auc_b
    np.testing.assert_allclose(
        [res.difference, res.df, res.low, res.high, res.statistic, res.se],
        [d, df, d - half, d + half, d / np.sqrt(va + vb), np.sqrt(va + vb)],
        rtol=1e-12,
    )


# --------------------------------------------------------------------------- bad input


Y, S = binary_scores(40, seed=0)
Y3, P3 = multiclass_probabilities(60, 3, seed=0)
G = np.arange(40) // 2


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: cxreval.roc_band(Y, S, groups=G[:-1]), "groups must hold one cluster ID"),
        (lambda: cxreval.specificity_band(Y, S, groups=G[:-1]), "groups must hold one cluster"),
        (lambda: cxreval.roc_auc_multiclass(Y3, P3, groups=G), "groups must hold one cluster ID"),
        (
            lambda: cxreval.roc_band(Y, S, groups=G, resampling="multinomial"),
            "resampling='multinomial' cannot be combined with groups=",
        ),
        (
            lambda: cxreval.roc_auc_multiclass(
                Y3, P3, groups=np.arange(60) // 2, resampling="multinomial"
            ),
            "resampling='multinomial' cannot be combined with groups=",
        ),
        (lambda: cxreval.roc_band(Y, S, resampling="poisson"), "resampling must be one of"),
        (lambda: cxreval.roc_auc_multiclass(Y3, P3, resampling="x"), "resampling must be one"),
        (
            lambda: cxreval.delong_test_unpaired(Y, S, Y, S, groups_a=G, groups_b=G + 15),
            r"groups_a and groups_b share 5 patient\(s\) \(\[15, 16, 17, 18, 19\]\)",
        ),
        (
            lambda: cxreval.delong_test_unpaired(Y, S, Y, S, groups_a=G[:-1]),
            "groups_a must hold one cluster ID per image",
        ),
        (
            lambda: cxreval.delong_test_unpaired(Y, S, Y, S, groups_b=np.zeros(40)),
            r"groups_b holds 1 cluster\(s\) only",
        ),
    ],
)
def test_bad_input_is_refused_by_name(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# ------------------------------------------------------------------------------ results


def test_results_without_groups_keep_their_keys():
    ci = cxreval.roc_auc_ci(Y, S)
    assert set(ci.to_dict()) == {
        "auc", "low", "high", "se", "method", "level", "n_pos", "n_neg", "positive",
        "n_boot", "ci_type", "seed", "resampling", "bootstrap", "direction",
    }  # fmt: skip
    test = cxreval.delong_test(Y, S, S[::-1])
    assert set(test.to_dict()) == {
        "auc_a", "auc_b", "difference", "low", "high", "statistic", "p_value", "df",
        "method", "alternative", "level", "paired", "n_boot", "seed", "resampling",
    }  # fmt: skip
    grouped = cxreval.roc_auc_ci(Y, S, groups=G).to_dict()
    assert set(grouped) - set(ci.to_dict()) == {
        "n_clusters", "n_clusters_pos", "n_clusters_neg", "se_unclustered", "design_effect",
    }  # fmt: skip
    boot = cxreval.roc_auc_ci(Y, S, groups=G, ci_method="bootstrap", n_boot=100, random_state=0)
    assert set(boot.to_dict()) - set(ci.to_dict()) == {
        "n_clusters",
        "n_clusters_pos",
        "n_clusters_neg",
    }
    paired = cxreval.delong_test(Y, S, S[::-1], groups=G).to_dict()
    assert set(paired) - set(test.to_dict()) == {"n_clusters", "se", "n_pos", "n_neg"}


@pytest.mark.parametrize(
    "make",
    [
        lambda: cxreval.roc_auc_ci(Y, S, groups=G),
        lambda: cxreval.delong_test(Y, S, S[::-1], groups=G),
        lambda: cxreval.bootstrap_auc_test(Y, S, S[::-1], groups=G, n_boot=100, random_state=0),
        lambda: cxreval.delong_test_unpaired(Y, S, Y, S, groups_a=G, groups_b=G + 100),
        lambda: cxreval.roc_band(Y, S, groups=G, n_boot=100, random_state=0),
        lambda: cxreval.specificity_band(Y, S, groups=G, n_boot=100, random_state=0),
        lambda: cxreval.roc_auc_multiclass(
            Y3, P3, groups=np.arange(60) // 2, n_boot=100, random_state=0
        ),
    ],
)
def test_grouped_results_keep_the_protocol_and_record_clusters(make):
    result = make()
    plain = to_plain(result.to_dict(), json_safe=True)
    assert "n_clusters" in json.dumps(plain, allow_nan=False)
    assert result.table() and str(result)
    try:
        assert result.plot() is not None
    finally:
        plt.close("all")


def test_grouped_interval_text_names_method_and_clusters():
    ci = cxreval.roc_auc_ci(Y, S, groups=G)
    assert str(ci).endswith(", Obuchowski (clustered DeLong), 20 clusters)")
    assert "design effect" in ci.table() and "clusters (with positives" in ci.table()
    assert ci.label().endswith(", Obuchowski)")
    assert "standard error" in cxreval.delong_test(Y, S, S[::-1], groups=G).table()
