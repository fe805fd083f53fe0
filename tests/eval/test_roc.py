"""ROC / PR curves and AUC against scikit-learn; AUC intervals, band and bootstrap test
against the generic engine looping scikit-learn over the same resamples."""

import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics
from tests._helpers import binary_scores

from cxreval import (
    average_precision,
    bootstrap,
    bootstrap_auc_test,
    pr_curve,
    roc_auc,
    roc_auc_ci,
    roc_band,
    roc_curve,
)


def sorted_by_score(y, s):
    """Data in score order: then the generic engine's strata equal the AUC path's."""
    o = np.argsort(s, kind="stable")
    return y[o], s[o]


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("drop", [False, True])
def test_roc_curve_equals_sklearn(ties, drop):
    y, s = binary_scores(ties=ties)
    fpr, tpr, thr = metrics.roc_curve(y, s, drop_intermediate=drop)
    curve = roc_curve(y, s, drop_intermediate=drop)
    np.testing.assert_allclose(curve.fpr, fpr, atol=1e-12)
    np.testing.assert_allclose(curve.tpr, tpr, atol=1e-12)
    np.testing.assert_array_equal(curve.thresholds, thr)
    f2, t2, th2 = curve  # unpacks like scikit-learn's tuple
    assert f2 is curve.fpr and t2 is curve.tpr and th2 is curve.thresholds


@pytest.mark.parametrize("ties", [False, True])
def test_pr_curve_and_average_precision_equal_sklearn(ties):
    y, s = binary_scores(ties=ties, seed=4)
    p, r, t = metrics.precision_recall_curve(y, s)
    curve = pr_curve(y, s)
    np.testing.assert_allclose(curve.precision, p, atol=1e-12)
    np.testing.assert_allclose(curve.recall, r, atol=1e-12)
    np.testing.assert_array_equal(curve.thresholds, t)
    ap = metrics.average_precision_score(y, s)
    assert curve.average_precision == pytest.approx(ap, abs=1e-12)
    assert average_precision(y, s) == pytest.approx(ap, abs=1e-12)
    assert curve.prevalence == y.mean()


@pytest.mark.parametrize("ties", [False, True])
def test_auc_equals_sklearn_and_string_labels(ties):
    y, s = binary_scores(ties=ties, seed=2)
    assert roc_auc(y, s) == pytest.approx(metrics.roc_auc_score(y, s), abs=1e-12)
    names = np.where(y == 1, "PNEUMONIA", "NORMAL")
    assert roc_auc(names, s) == pytest.approx(metrics.roc_auc_score(y, s), abs=1e-12)
    assert roc_auc(names, s, pos_label="NORMAL") == pytest.approx(1 - roc_auc(y, s), abs=1e-12)
    assert roc_curve(names, s).positive == "PNEUMONIA"


def test_auc_of_hand_example():
    # positives 0.35, 0.8 vs negatives 0.1, 0.4: 3 of 4 pairs ordered, plus one tie
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8]) == 0.875


scores = st.lists(st.integers(-20, 20), min_size=2, max_size=40)


def labelled(draw_scores):
    n = len(draw_scores)
    y = np.array([i % 2 for i in range(n)])
    return y, np.array(draw_scores, dtype=float)


@settings(max_examples=60, deadline=None)
@given(scores, st.randoms(use_true_random=False))
def test_auc_properties(values, rnd):
    y, s = labelled(values)
    auc = roc_auc(y, s)
    assert roc_auc(y, 3 * s**3 + 7) == pytest.approx(auc, abs=1e-12)  # strictly monotone
    assert roc_auc(1 - y, s) == pytest.approx(1 - auc, abs=1e-12)  # labels flipped
    perm = list(range(len(s)))
    rnd.shuffle(perm)
    assert roc_auc(y[perm], s[perm]) == pytest.approx(auc, abs=1e-12)
    assert auc == pytest.approx(metrics.roc_auc_score(y, s), abs=1e-12)


# at least 2 positives and 2 negatives: the DeLong variance is undefined with fewer
scores_two_per_class = st.lists(st.integers(-20, 20), min_size=4, max_size=40)


@settings(max_examples=20, deadline=None)
@given(
    scores_two_per_class,
    st.floats(0.5, 0.97),
    st.integers(0, 1000),
    st.sampled_from(["delong", "bootstrap"]),
)
def test_ci_contains_auc_and_widens_with_level(values, level, seed, method):
    y, s = labelled(values)
    opts = {"ci_method": method, "n_boot": 200, "random_state": seed}
    ci = roc_auc_ci(y, s, level=level, **opts)
    wide = roc_auc_ci(y, s, level=level + 0.02, **opts)
    assert ci.low <= ci.auc <= ci.high
    assert wide.low <= ci.low and wide.high >= ci.high
    assert np.isfinite([ci.low, ci.high]).all()
    again = roc_auc_ci(y, s, level=level, **opts)
    assert (again.low, again.high) == (ci.low, ci.high)


@pytest.mark.parametrize("stratified", [True, False])
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("ci_type", ["percentile", "bca", "basic"])
def test_vectorized_bootstrap_equals_looping_sklearn(stratified, ties, ci_type):
    y, s = sorted_by_score(*binary_scores(n=120, seed=7, ties=ties))
    fast = roc_auc_ci(
        y, s, ci_method="bootstrap", n_boot=100, stratified=stratified, bootstrap_method=ci_type,
        random_state=11,
    )  # fmt: skip
    slow = bootstrap(
        metrics.roc_auc_score, y, s, n_boot=100, strata=y if stratified else None,
        bootstrap_method=ci_type, random_state=11, bounds=(0, 1),
    )  # fmt: skip
    np.testing.assert_allclose(fast.bootstrap.replicates, slow.replicates, atol=1e-12)
    assert (fast.low, fast.high) == pytest.approx((slow.low, slow.high), abs=1e-12)
    assert fast.method == slow.method and fast.seed == 11


@pytest.mark.parametrize("chunk_elements", [1, 250])
@pytest.mark.parametrize("stratified", [True, False])
@pytest.mark.parametrize("ties", [False, True])
def test_vectorized_bootstrap_equals_sklearn_in_any_chunk_layout(
    monkeypatch, chunk_elements, stratified, ties
):
    # one resample per chunk (as at large n) and two per chunk: the row offsets of both
    # the counting and the gathering of the vectorized AUC
    engine = importlib.import_module("cxreval._resampling")
    monkeypatch.setattr(engine, "CHUNK_ELEMENTS", chunk_elements)
    y, s = sorted_by_score(*binary_scores(n=120, seed=5, ties=ties))
    fast = roc_auc_ci(
        y, s, ci_method="bootstrap", n_boot=40, stratified=stratified, random_state=3
    )  # fmt: skip
    slow = bootstrap(
        metrics.roc_auc_score, y, s, n_boot=40, strata=y if stratified else None,
        random_state=3, bounds=(0, 1),
    )  # fmt: skip
    np.testing.assert_allclose(fast.bootstrap.replicates, slow.replicates, atol=1e-12)


def test_bootstrap_interval_fields():
    y, s = binary_scores()
    ci = roc_auc_ci(y, s, ci_method="bootstrap", n_boot=300, random_state=0)
    assert ci.method == "stratified bootstrap (percentile, B=300)"
    assert (ci.n_boot, ci.ci_type, ci.seed, ci.n_pos + ci.n_neg) == (300, "percentile", 0, 300)
    assert "seed 0" in str(ci) and ci.to_dict()["n_boot"] == 300
    assert ci.label().startswith(f"AUC {ci.auc:.3f} (95% CI ")


@pytest.mark.parametrize("ci_type", ["percentile", "bca", "basic"])
@pytest.mark.parametrize(
    "y,s",
    [
        ([0, 0, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6]),  # AUC 1
        ([0, 0, 0, 1, 1, 1], [6, 5, 4, 3, 2, 1]),  # AUC 0
        ([0, 0, 0, 1, 1, 1], [2, 2, 2, 2, 2, 2]),  # all scores equal
    ],
)
def test_degenerate_auc_still_gives_interval(y, s, ci_type):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ci = roc_auc_ci(
            y, s, ci_method="bootstrap", n_boot=100, bootstrap_method=ci_type, random_state=0
        )
    assert np.isfinite([ci.auc, ci.low, ci.high, ci.se]).all()
    assert ci.low <= ci.auc <= ci.high
    if ci_type == "bca":
        assert ci.ci_type == "percentile"
        assert any("BCa interval undefined" in str(w.message) for w in caught)


def test_paired_bootstrap_test_equals_generic_engine():
    y, a = sorted_by_score(*binary_scores(n=150, seed=9))
    b = a + np.random.default_rng(1).normal(0, 1, len(a))
    res = bootstrap_auc_test(y, a, b, n_boot=200, random_state=4)

    def diff(yy, sa, sb):
        return metrics.roc_auc_score(yy, sa) - metrics.roc_auc_score(yy, sb)

    ref = bootstrap(diff, y, a, b, n_boot=200, strata=y, random_state=4)
    d = (metrics.roc_auc_score(y, a) - metrics.roc_auc_score(y, b)) / ref.se
    from scipy import stats

    assert res.statistic == pytest.approx(d, abs=1e-9)
    assert res.p_value == pytest.approx(2 * stats.norm.sf(abs(d)), abs=1e-9)
    assert (res.low, res.high) == pytest.approx((ref.low, ref.high), abs=1e-12)
    assert (res.n_boot, res.seed, res.method) == (200, 4, "paired stratified bootstrap")
    assert "Z" in res.table()


def sens_at_spec(y, s, specs):
    """Independent reading of a ROC curve: highest sensitivity at an exact specificity,
    else linear interpolation between the neighbouring points."""
    fpr, tpr, _ = metrics.roc_curve(y, s, drop_intermediate=False)
    out = []
    for f in 1 - np.asarray(specs):
        at = np.isclose(fpr, f, atol=1e-12)
        if at.any():
            out.append(tpr[at].max())
            continue
        i = np.flatnonzero(fpr < f)[-1]
        j = np.flatnonzero(fpr > f)[0]
        out.append(tpr[i] + (f - fpr[i]) / (fpr[j] - fpr[i]) * (tpr[j] - tpr[i]))
    return np.array(out)


@pytest.mark.parametrize("ties", [False, True])
def test_band_equals_generic_engine_reading_sklearn_curves(ties):
    y, s = sorted_by_score(*binary_scores(n=100, seed=3, ties=ties))
    specs = np.linspace(0, 1, 11)
    band = roc_band(y, s, specificities=specs, n_boot=60, random_state=2)
    ref = bootstrap(lambda yy, ss: sens_at_spec(yy, ss, specs), y, s, n_boot=60, strata=y,
                    random_state=2, bounds=(0, 1))  # fmt: skip
    np.testing.assert_allclose(band.sensitivity, sens_at_spec(y, s, specs), atol=1e-12)
    np.testing.assert_allclose(band.low, ref.low, atol=1e-12)
    np.testing.assert_allclose(band.high, ref.high, atol=1e-12)
    assert band.auc_ci.method == "DeLong" and band.seed == 2
    assert "specificity" in band.table() and band.to_dict()["n_boot"] == 60


def sens_at_spec_or_nan(y, s, specs):
    """The reference reading, NaN for a resample of one class (no ROC curve)."""
    if len(np.unique(y)) < 2:
        return np.full(len(specs), np.nan)
    return sens_at_spec(y, s, specs)


@pytest.mark.parametrize("seed", [0, 3])
def test_unstratified_band_drops_one_class_resamples_like_the_generic_engine(seed):
    # one negative among 14 cases: about (13/14)^14 = 35% of plain resamples draw no
    # negative and have no ROC curve; they are left out with a warning, not read as 1.0
    rng = np.random.default_rng(1)
    y = np.r_[0, np.ones(13)]
    y, s = sorted_by_score(y, rng.normal(size=14) + y)
    specs = np.linspace(0, 1, 21)
    with pytest.warns(RuntimeWarning) as rec:
        band = roc_band(y, s, specificities=specs, stratified=False, n_boot=400,
                        random_state=seed)  # fmt: skip
    rec = [w for w in rec if issubclass(w.category, RuntimeWarning)]  # not n_boot's warning
    messages = [str(w.message) for w in rec]
    assert "resamples gave an undefined sensitivity" in messages[0]
    assert rec[0].filename == __file__
    # the legend's DeLong AUC interval is undefined with one negative: NaN, warned
    assert "DeLong variance is undefined with 13 positive(s) and 1 negative(s)" in messages[1]
    assert np.isnan(band.auc_ci.low) and np.isnan(band.auc_ci.high)
    with pytest.warns(RuntimeWarning, match="undefined"):
        ref = bootstrap(lambda yy, ss: sens_at_spec_or_nan(yy, ss, specs), y, s, n_boot=400,
                        random_state=seed, bounds=(0, 1))  # fmt: skip
    assert 400 - 200 < band.n_boot == ref.n_boot < 400
    np.testing.assert_allclose(band.low, ref.low, atol=1e-12)
    np.testing.assert_allclose(band.high, ref.high, atol=1e-12)
    assert band.method == f"bootstrap (percentile, B={ref.n_boot})"


def test_sensitivity_rows_without_a_class_are_nan_and_leave_the_others_alone():
    from cxreval.band import sensitivity_at

    # one curve, 10 negatives and 5 positives: (fpr, tpr) = (0, 0), (0, .4), (.1, .4),
    # (.1, .8), (.2, .8), (.3, 1), (1, 1)
    fp = np.array([0, 0, 1, 1, 2, 3, 10], float)
    tp = np.array([0, 2, 2, 4, 4, 5, 5], float)
    targets = np.array([0.0, 0.05, 0.1, 0.25, 0.5])
    # by hand: 0.4 at fpr 0 (highest on the step); 0.4 at 0.05; 0.8 at 0.1;
    # 0.8 + 0.5 * (1 - 0.8) = 0.9 at 0.25; 1 beyond 0.3
    by_hand = [0.4, 0.4, 0.8, 0.9, 1.0]
    for bad_row in (1, 38):
        FP, TP = np.tile(fp, (40, 1)), np.tile(tp, (40, 1))
        FP[bad_row] = 0  # a resample without negatives
        TP[bad_row + 1] = 0  # and one without positives
        out = sensitivity_at(FP, TP, FP[:, -1], TP[:, -1], targets)
        assert np.isnan(out[[bad_row, bad_row + 1]]).all()
        others = np.delete(out, [bad_row, bad_row + 1], axis=0)
        np.testing.assert_allclose(others, np.tile(by_hand, (38, 1)), atol=1e-12)


def test_unstratified_band_with_few_negatives_does_not_crash():
    # two negatives and ten positives: this crashed with an IndexError before
    y = np.r_[0, 0, np.ones(10)]
    s = np.r_[0.3, 0.6, np.linspace(0.1, 1.0, 10)]
    with pytest.warns(RuntimeWarning, match="undefined sensitivity"):
        band = roc_band(y, s, stratified=False, n_boot=500, random_state=0)
    assert np.isfinite(band.low).all() and np.isfinite(band.high).all()
    assert band.n_boot < 500


def test_unstratified_auc_warning_points_at_the_caller():
    with pytest.warns(RuntimeWarning, match="resamples gave an undefined AUC") as rec:
        roc_auc_ci([0, 1, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], ci_method="bootstrap",
                   stratified=False, n_boot=50, random_state=0)  # fmt: skip
    assert rec[0].filename == __file__


def test_bad_labels_scores_and_grid_are_named():
    s = [0.1, 0.4, 0.35, 0.8]
    with pytest.raises(ValueError, match=r"y_true contains None \(first at index 2\)"):
        roc_auc([0, 1, None, 1], s)
    with pytest.raises(TypeError, match="y_true must hold labels of one type"):
        roc_auc(np.array([0, "1", 0, 1], dtype=object), s)
    with pytest.raises(TypeError, match=r"y_score must be numeric \(real numbers\)"):
        roc_auc([0, 0, 1, 1], np.array(s) + 1j)
    with pytest.raises(TypeError, match="specificities must be numeric"):
        roc_band([0, 0, 1, 1], s, specificities=["a"], n_boot=40)
    with pytest.raises(ValueError, match="specificities must be a non-empty array of values in"):
        roc_band([0, 0, 1, 1], s, specificities=[0.5, 1.5], n_boot=40)
    with pytest.raises(ValueError, match="specificities is empty"):
        roc_band([0, 0, 1, 1], s, specificities=[], n_boot=40)


def test_plots_show_curve_band_chance_and_auc_ci():
    import matplotlib.pyplot as plt

    y, s = binary_scores()
    band = roc_band(y, s, n_boot=50, random_state=0)
    ax = band.plot()
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[0] == band.auc_ci.label() and "DeLong" in texts[0]
    assert "chance" in texts and any("band" in t for t in texts)
    assert len(ax.collections) == 1  # the band
    ci = roc_auc_ci(y, s, ci_method="bootstrap", n_boot=50, random_state=0)
    ax2 = roc_curve(y, s).plot(auc_ci=ci, label="model A")
    assert ax2.get_legend().get_texts()[0].get_text().startswith("model A: AUC")
    assert pr_curve(y, s).plot().get_xlabel().startswith("recall")
    assert ci.bootstrap.plot().get_ylabel() == "resamples"
    plt.close("all")


@pytest.mark.parametrize("func", [roc_curve, pr_curve, roc_auc, average_precision, roc_auc_ci])
def test_degenerate_input_raises_naming_it(func):
    with pytest.raises(ValueError, match="one class only"):
        func([1, 1, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="y_score contains NaN"):
        func([0, 1, 1], [0.1, np.nan, 0.3])
    with pytest.raises(ValueError, match="y_score contains infinite"):
        func([0, 1, 1], [0.1, np.inf, 0.3])
    with pytest.raises(ValueError, match="y_true=3, y_score=2"):
        func([0, 1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match=r"y_score must be 1-D, got an array of shape \(3, 2\)"):
        func([0, 1, 1], np.ones((3, 2)))
    with pytest.raises(ValueError, match="y_true must be binary, got 3 labels"):
        func([0, 1, 2], [0.1, 0.2, 0.3])


def test_bad_options_raise():
    y, s = binary_scores(n=20)
    with pytest.raises(ValueError, match="ci_method must be one of 'delong', 'bootstrap'"):
        roc_auc_ci(y, s, ci_method="hanley")
    with pytest.raises(ValueError, match="bootstrap_method must be one of"):
        roc_auc_ci(y, s, ci_method="bootstrap", bootstrap_method="normal")
    with pytest.raises(ValueError, match="n_boot must be a positive integer"):
        roc_auc_ci(y, s, ci_method="bootstrap", n_boot=-1)
    with pytest.raises(ValueError, match="specificities must be"):
        roc_band(y, s, specificities=[0.5, 1.5])
    with pytest.raises(ValueError, match="bootstrap_method must be one of 'percentile', 'basic'"):
        roc_band(y, s, bootstrap_method="bca")
    with pytest.raises(ValueError, match="y_true=19, score_a=20"):
        bootstrap_auc_test(y[:-1], s, s)


def test_results_serialize_to_json():
    import json

    from cxreval import (
        delong_test_unpaired,
        operating_point,
        roc_auc_multiclass,
    )

    y, s = binary_scores(n=80)
    three = np.random.default_rng(0).normal(size=(80, 3))
    results = [
        roc_curve(y, s),
        pr_curve(y, s),
        roc_auc_ci(y, s),
        roc_auc_ci(y, s, ci_method="bootstrap", n_boot=40, random_state=0),
        roc_band(y, s, n_boot=40, random_state=0),
        bootstrap_auc_test(y, s, -s, n_boot=40, random_state=0),
        delong_test_unpaired(y, s, y, s),
        roc_auc_multiclass(np.arange(80) % 3, three, n_boot=40, random_state=0),
        operating_point(y, s, n_boot=40, random_state=0, zero_division=0.0),
    ]
    for res in results:
        back = json.loads(json.dumps(res.to_dict()))
        assert isinstance(back, dict) and back


# issue 16, item 23: DeLong ignored a bad n_boot or random_state
@pytest.mark.parametrize(
    ("option", "error", "match"),
    [
        ({"n_boot": -5}, ValueError, "n_boot must be a positive integer"),
        ({"n_boot": 10}, ValueError, "n_boot=10 is too few"),
        ({"n_boot": 100.0}, TypeError, "n_boot"),
        ({"random_state": "seed"}, TypeError, "random_state"),
        ({"random_state": -1}, ValueError, "random_state"),
        ({"bootstrap_method": "studentized"}, ValueError, "bootstrap_method"),
    ],
)
def test_delong_checks_the_bootstrap_options_too(option, error, match):
    y, s = [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]
    with pytest.raises(error, match=match):
        roc_auc_ci(y, s, **option)


def test_delong_does_not_warn_about_an_unused_small_n_boot():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        roc_auc_ci([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], n_boot=100)
