"""``groups=`` (patient IDs) on the statistics beyond the AUC: bootstrap_statmaker,
operating_point, statmaker_from_predictions, the decision-curve intervals, the partial AUC,
the rate tests and Venkatraman's tests.

The contract (issue 17): with one image per patient every result equals the unclustered
one (a bootstrap bit for bit with the same seed: the cluster bootstrap is unstratified, so
the reference is ``stratified=False``); all images of a patient move together (replicates
against a brute-force loop over the same patient resamples); ``n_clusters`` is recorded.
"""

import itertools
import json
import warnings

import numpy as np
import pytest

import cxreval
from cxreval._plain import to_plain
from cxreval._resampling import count_chunks, seeded_generator

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::RuntimeWarning")


def clustered(n_patients=60, seed=0):
    """Patients with 1-5 images, a patient effect on the label and the scores."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 6, n_patients)
    groups = np.repeat(rng.permutation(n_patients) * 7 + 3, sizes)  # IDs not in order
    risk = np.repeat(rng.normal(0, 1.5, n_patients), sizes)
    y = (rng.random(len(groups)) < 1 / (1 + np.exp(-risk))).astype(int)
    offset = np.repeat(rng.normal(0, 1, n_patients), sizes)
    a = y + offset + rng.normal(0, 1, len(y))
    b = 0.7 * y + offset + rng.normal(0, 1, len(y))
    return y, a, b, groups


def singletons(seed=1, n=120):
    """One image per patient, patient IDs shuffled (the numbering is by first image)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    a, b = y + rng.normal(0, 1, n), 0.6 * y + rng.normal(0, 1, n)
    return y, a, b, rng.permutation(n) + 1000


def patient_of_unit(groups):
    """Patients in order of their first image: unit k is the k-th patient seen."""
    _, first = np.unique(groups, return_index=True)
    return groups[np.sort(first)]


def unit_counts(k, n_boot, seed):
    """The (B, k) patient counts the cluster bootstrap draws with this seed."""
    rng, _ = seeded_generator(seed)
    return np.vstack([np.hstack(parts) for parts in count_chunks([k], n_boot, rng)])


def expand(counts, groups, units):
    """Image indices of one resample: every image of a drawn patient, as often as drawn."""
    return np.concatenate(
        [np.flatnonzero(groups == p).repeat(c) for p, c in zip(units, counts, strict=True)]
    )


# ------------------------------------------------------------ one image per patient


def test_bootstrap_statmaker_with_singletons_is_the_unstratified_bootstrap_bit_for_bit():
    y, a, _, g = singletons()
    for method in ("percentile", "bca"):
        plain = cxreval.bootstrap_statmaker(
            y, y_score=a, n_boot=200, random_state=5, stratified=False, bootstrap_method=method
        )
        grouped = cxreval.bootstrap_statmaker(
            y, y_score=a, n_boot=200, random_state=5, groups=g, bootstrap_method=method
        )
        for key, res in plain.items():
            other = grouped[key]
            assert np.array_equal(res.replicates, other.replicates, equal_nan=True), key
            assert (res.low, res.high, res.se) == (other.low, other.high, other.se) or np.isnan(
                res.low
            )
            assert other.n_clusters == len(y) and res.n_clusters is None


def test_operating_point_with_singletons_equals_without():
    y, a, _, g = singletons()
    plain = cxreval.operating_point(y, a)
    grouped = cxreval.operating_point(y, a, groups=g, n_boot=200, random_state=3)
    assert grouped.threshold == plain.threshold  # the choice ignores the patients
    assert grouped.confusion_matrix.tolist() == plain.confusion_matrix.tolist()
    for key in ("recall", "specificity", "precision", "npv", "accuracy", "prevalence"):
        assert grouped.statistics[key] == plain.statistics[key]
        assert grouped.statistics.ci[key] == pytest.approx(plain.statistics.ci[key], abs=1e-12)
        assert grouped.statistics.design_effects[key] == pytest.approx(1.0, abs=1e-12)
    ref = cxreval.bootstrap_statmaker(
        y, y_score=a, threshold=plain.threshold, n_boot=200, random_state=3, stratified=False
    )
    for key, res in ref.items():
        assert np.array_equal(grouped.bootstrap[key].replicates, res.replicates, equal_nan=True)
    assert grouped.statistics.n_clusters == len(y)
    assert grouped.bootstrap["recall"].n_clusters == len(y)


def test_decision_curves_with_singletons_equal_the_unstratified_bootstrap():
    y, a, b, g = singletons()
    p, q = 1 / (1 + np.exp(-a)), 1 / (1 + np.exp(-b))
    grid = [0.1, 0.3, 0.5]
    for function, args in (
        (cxreval.decision_curve_ci, (y, {"a": p, "b": q})),
        (cxreval.net_benefit_difference, (y, p, q)),
    ):
        plain = function(*args, thresholds=grid, n_boot=200, random_state=2)
        grouped = function(*args, thresholds=grid, n_boot=200, random_state=2, groups=g)
        for key in plain.estimate:
            assert np.array_equal(plain.low[key], grouped.low[key])
            assert np.array_equal(plain.high[key], grouped.high[key])
        assert grouped.n_clusters == len(y) and plain.n_clusters is None
        assert "n_clusters" not in plain.to_dict() and grouped.to_dict()["n_clusters"] == len(y)


def test_partial_auc_with_singletons_equals_the_unstratified_bootstrap():
    y, a, b, g = singletons()
    opts = {"n_boot": 200, "random_state": 4}
    plain = cxreval.partial_auc_ci(y, a, stratified=False, **opts)
    grouped = cxreval.partial_auc_ci(y, a, groups=g, **opts)
    assert (grouped.partial_auc, grouped.low, grouped.high, grouped.se) == (
        plain.partial_auc, plain.low, plain.high, plain.se,
    )  # fmt: skip
    assert grouped.n_clusters == len(y) and grouped.method.startswith("cluster bootstrap")
    test = cxreval.partial_auc_test(y, a, b, stratified=False, **opts)
    gtest = cxreval.partial_auc_test(y, a, b, groups=g, **opts)
    assert (gtest.low, gtest.high, gtest.p_value) == (test.low, test.high, test.p_value)
    un = cxreval.partial_auc_test_unpaired(y, a, y, b, stratified=False, **opts)
    gun = cxreval.partial_auc_test_unpaired(y, a, y, b, groups_a=g, groups_b=g + 10**6, **opts)
    assert (gun.low, gun.high, gun.p_value) == (un.low, un.high, un.p_value)
    assert gun.n_clusters == 2 * len(y)


@pytest.mark.parametrize(
    ("paired", "unpaired", "at"),
    [
        (cxreval.sensitivity_test, cxreval.sensitivity_test_unpaired, {"at_specificity": 0.8}),
        (cxreval.specificity_test, cxreval.specificity_test_unpaired, {"at_sensitivity": 0.8}),
    ],
)
def test_rate_tests_with_singletons_equal_the_unstratified_bootstrap(paired, unpaired, at):
    y, a, b, g = singletons()
    opts = {"n_boot": 200, "random_state": 6, **at}
    plain = paired(y, a, b, stratified=False, **opts)
    grouped = paired(y, a, b, groups=g, **opts)
    assert (grouped.low, grouped.high, grouped.statistic) == (
        plain.low,
        plain.high,
        plain.statistic,
    )
    assert grouped.n_clusters == len(y) and grouped.method == "paired cluster bootstrap"
    un = unpaired(y, a, y[:80], b[:80], stratified=False, **opts)
    gun = unpaired(y, a, y[:80], b[:80], groups_a=g, groups_b=np.arange(80), **opts)
    assert (gun.low, gun.high, gun.statistic) == (un.low, un.high, un.statistic)
    assert gun.n_clusters == len(y) + 80 and gun.method == "unpaired cluster bootstrap"


def test_venkatraman_with_singletons_equals_the_plain_permutation():
    y, a, b, g = singletons()
    plain = cxreval.venkatraman_test(y, a, b, n_perm=300, random_state=8)
    grouped = cxreval.venkatraman_test(y, a, b, n_perm=300, random_state=8, groups=g)
    assert (grouped.statistic, grouped.p_value) == (plain.statistic, plain.p_value)
    assert grouped.n_clusters == len(y) and "patients swapped whole" in grouped.method
    un = cxreval.venkatraman_test_unpaired(y, a, y, b, n_perm=100, random_state=8)
    gun = cxreval.venkatraman_test_unpaired(
        y, a, y, b, n_perm=100, random_state=8, groups_a=g, groups_b=g + 10**6
    )
    assert (gun.statistic, gun.p_value) == (un.statistic, un.p_value)
    assert gun.n_clusters == 2 * len(y) and "n_clusters" not in un.to_dict()


# ------------------------------------------------- patients move together (brute force)


def test_bootstrap_statmaker_replicates_equal_a_loop_over_patient_resamples():
    y, a, _, g = clustered(25, seed=2)
    res = cxreval.bootstrap_statmaker(
        y, y_score=a, threshold=0.6, keys=["recall", "specificity", "f1"], n_boot=60,
        random_state=9, groups=g,
    )  # fmt: skip
    units = patient_of_unit(g)
    counts = unit_counts(len(units), 60, 9)
    pred = a >= 0.6
    for r, row in enumerate(counts):
        idx = expand(row, g, units)
        yt, yp = y[idx] == 1, pred[idx]
        tp, fp, fn = (yt & yp).sum(), (~yt & yp).sum(), (yt & ~yp).sum()
        tn = (~yt & ~yp).sum()
        recall = tp / (tp + fn) if tp + fn else np.nan
        assert res["recall"].replicates[r] == pytest.approx(recall, nan_ok=True, abs=1e-12)
        assert res["specificity"].replicates[r] == pytest.approx(tn / (tn + fp), abs=1e-12)
        assert res["f1"].replicates[r] == pytest.approx(2 * tp / (2 * tp + fp + fn), abs=1e-12)
    assert res["recall"].n_clusters == len(units)


def test_net_benefit_replicates_equal_a_loop_over_patient_resamples():
    y, a, _, g = clustered(20, seed=4)
    p = 1 / (1 + np.exp(-a))
    grid = np.array([0.2, 0.5])
    res = cxreval.decision_curve_ci(
        y, p, thresholds=grid, n_boot=40, random_state=1, groups=g, bootstrap_method="basic"
    )
    units = patient_of_unit(g)
    counts = unit_counts(len(units), 40, 1)
    reps = []
    for row in counts:
        idx = expand(row, g, units)
        yy, pp = y[idx], p[idx]
        n = len(idx)
        model = [((pp >= t) & (yy == 1)).sum() / n - ((pp >= t) & (yy == 0)).sum() / n * t / (1 - t)
                 for t in grid]  # fmt: skip
        treat_all = [yy.mean() - (1 - yy.mean()) * t / (1 - t) for t in grid]
        reps.append(model + treat_all)
    reps = np.array(reps)
    est = np.r_[res.estimate["model"], res.estimate["treat all"]]
    q_low, q_high = np.quantile(reps, [0.025, 0.975], axis=0)
    low, high = 2 * est - q_high, 2 * est - q_low  # the basic interval, by hand
    assert np.r_[res.low["model"], res.low["treat all"]] == pytest.approx(low, abs=1e-12)
    assert np.r_[res.high["model"], res.high["treat all"]] == pytest.approx(high, abs=1e-12)


def test_the_cluster_bootstrap_widens_intervals_of_correlated_images():
    y, a, _, g = clustered(150, seed=5)
    image = cxreval.bootstrap_statmaker(y, y_score=a, threshold=0.5, keys=["recall"],
                                        n_boot=400, random_state=0, stratified=False)  # fmt: skip
    patient = cxreval.bootstrap_statmaker(
        y, y_score=a, threshold=0.5, keys=["recall"], n_boot=400, random_state=0, groups=g
    )
    assert patient["recall"].se > 1.2 * image["recall"].se
    closed = cxreval.statmaker_from_predictions(y, y_score=a, groups=g)
    assert closed.design_effects["prevalence"] > 1.5  # the label is a patient trait here


# --------------------------------------------------------- Venkatraman's cluster permutation


def venkatraman_e(y, a, b):
    """E by a loop: errors of each model when its k lowest-ranked images are negative."""
    n = len(y)
    total = 0
    ranks = [np.argsort(np.argsort(s, kind="stable"), kind="stable") for s in (a, b)]
    for k in range(1, n):
        errors = []
        for r in ranks:
            below = r < k
            errors.append(int(np.sum(below & (y == 1)) + np.sum(~below & (y == 0))))
        total += abs(errors[0] - errors[1])
    return total


def test_venkatraman_cluster_permutation_matches_the_enumerated_exact_p_value():
    """Four patients: the 2**4 swap patterns are the whole permutation distribution;
    the Monte Carlo p-value (20,000 permutations) is within 4 standard errors of it."""
    y = np.array([1, 0, 1, 1, 0, 0, 1, 0, 1, 0])
    a = np.array([0.9, 0.2, 0.8, 0.7, 0.4, 0.1, 0.6, 0.5, 0.75, 0.3])
    b = np.array([0.5, 0.6, 0.4, 0.9, 0.3, 0.7, 0.2, 0.8, 0.1, 0.35])
    g = np.array([1, 1, 2, 2, 2, 3, 3, 4, 4, 4])
    observed = venkatraman_e(y, a, b)
    exact = []
    for pattern in itertools.product([False, True], repeat=4):
        swap = np.array(pattern)[g - 1]
        exact.append(venkatraman_e(y, np.where(swap, b, a), np.where(swap, a, b)) >= observed)
    p_exact = float(np.mean(exact))
    res = cxreval.venkatraman_test(y, a, b, n_perm=20000, random_state=0, groups=g)
    assert res.statistic == observed
    assert abs(res.p_value - p_exact) < 4 * np.sqrt(p_exact * (1 - p_exact) / 20000) + 1e-9
    assert res.n_clusters == 4


# ------------------------------------------------------------------ records and bad input


def test_results_record_the_patients_and_stay_json():
    y, a, b, g = clustered(30, seed=6)
    k = len(np.unique(g))
    p = 1 / (1 + np.exp(-a))
    results = [
        cxreval.statmaker_from_predictions(y, y_score=a, groups=g),
        cxreval.partial_auc_ci(y, a, groups=g, n_boot=100, random_state=0),
        cxreval.partial_auc_test(y, a, b, groups=g, n_boot=100, random_state=0),
        cxreval.sensitivity_test(y, a, b, at_specificity=0.8, groups=g, n_boot=100, random_state=0),
        cxreval.venkatraman_test(y, a, b, groups=g, n_perm=100, random_state=0),
        cxreval.decision_curve_ci(y, p, thresholds=[0.3], groups=g, n_boot=100, random_state=0),
    ]
    for res in results:
        plain = res.to_dict()
        assert plain["n_clusters"] == k, type(res).__name__
        json.dumps(to_plain(plain, json_safe=True), allow_nan=False)
        assert str(res) and res.table()
    table = results[0].table()
    assert f"in {k} patients" in table and "Rao-Scott" in table


def test_bad_groups_are_refused_by_name():
    y, a, b, g = clustered(20, seed=7)
    with pytest.raises(ValueError, match="groups must hold one cluster ID per image"):
        cxreval.decision_curve_ci(y, 1 / (1 + np.exp(-a)), groups=g[:-1], n_boot=100)
    with pytest.raises(ValueError, match="groups must hold one cluster ID per image"):
        cxreval.bootstrap_statmaker(y, y_score=a, groups=g[1:], n_boot=100)
    with pytest.raises(ValueError, match="groups_a and groups_b share 2 patient"):
        other = np.r_[g[0], g[-1], np.arange(len(g) - 2) + 10**6]  # two of g's patients
        cxreval.sensitivity_test_unpaired(
            y, a, y, b, at_specificity=0.8, groups_a=g, groups_b=other, n_boot=100
        )
    with pytest.raises(ValueError, match="groups_a and groups_b share"):
        cxreval.partial_auc_test_unpaired(y, a, y, b, groups_a=g, groups_b=g, n_boot=100)
    with pytest.raises(ValueError, match="groups_b holds patients with several images"):
        cxreval.venkatraman_test_unpaired(
            y, a, y, b, groups_a=np.arange(len(y)), groups_b=g + 10**6, n_perm=100
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="groups holds 1 cluster"):
            cxreval.statmaker_from_predictions(y, y_score=a, groups=np.zeros(len(y)))
