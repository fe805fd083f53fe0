"""Multi-label reports (issue 17): ``evaluate`` / ``compare`` with one label column per
finding, ``groups=`` (patients) and ``subgroups=``; numbers checked against scikit-learn,
:func:`cxreval.multilabel_auc`, :func:`cxreval.delong_test`, statmaker and a brute-force
loop on the same resamples."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

import cxreval
from cxreval._resampling import cluster_units
from cxreval.report import load_report

pytestmark = pytest.mark.filterwarnings("ignore:n_boot=.*resamples give:UserWarning")
NAMES = ["Atelectasis", "Edema", "Mass"]


def _study(n=160, seed=0, missing=0.0, uncertain=0.0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, (n, 3)).astype(float)
    p = 1 / (1 + np.exp(-(2 * y - 1 + rng.normal(0, 1.2, (n, 3)))))
    q = 1 / (1 + np.exp(-(0.6 * (2 * y - 1) + rng.normal(0, 1.2, (n, 3)))))
    y[rng.random((n, 3)) < uncertain] = -1
    y[rng.random((n, 3)) < missing] = np.nan
    return y, np.round(p, 3), np.round(q, 3)


def test_per_finding_aucs_equal_sklearn():
    y, p, _ = _study()
    r = cxreval.evaluate(y, p, labels=NAMES, n_boot=200, random_state=0)
    expected = roc_auc_score(y, p, average=None)
    got = [r.finding(name)["auc"] for name in NAMES]
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert r.auc.means["macro"] == pytest.approx(roc_auc_score(y, p, average="macro"), abs=1e-12)
    assert r.auc.means["micro"] == pytest.approx(roc_auc_score(y, p, average="micro"), abs=1e-12)
    assert r.task == "multilabel" and r.labels == tuple(NAMES) and r.n == len(y)


@pytest.mark.parametrize("clustered", [False, True])
def test_report_numbers_are_multilabel_aucs(clustered):
    y, p, _ = _study(missing=0.1, uncertain=0.1)
    groups = np.arange(len(y)) // 3 if clustered else None
    options = {"labels": NAMES, "uncertain": "zeros", "groups": groups, "subset": NAMES[:2]}
    r = cxreval.evaluate(y, p, n_boot=300, random_state=4, **options)
    ref = cxreval.multilabel_auc(y, p, ci=True, n_boot=300, random_state=4, **options)
    assert r.auc.findings == ref.findings
    assert r.auc.means == ref.means and r.auc.ci == ref.ci
    assert r.n_clusters == (None if groups is None else 54)
    means = r.means()
    assert list(means) == ["macro", "micro", "weighted", "subset"]
    assert means["macro"] == (ref.means["macro"], *ref.ci["macro"])
    assert r.provenance.seeds == {"joint bootstrap of the mean AUCs": 4}
    method = "Obuchowski" if clustered else "DeLong's method"
    assert method in r.methods_text() and "seed 4" in r.methods_text()
    assert "U-Zeros" in r.methods_text()


@pytest.mark.parametrize("clustered", [False, True])
def test_statistics_at_the_thresholds_equal_statmaker(clustered):
    y, p, _ = _study(missing=0.1)
    groups = np.arange(len(y)) // 2 if clustered else None
    thresholds = {"Atelectasis": 0.3, "Edema": 0.5, "Mass": 0.7}
    r = cxreval.evaluate(
        y, p, labels=NAMES, threshold=thresholds, groups=groups, n_boot=200, random_state=0
    )
    assert r.thresholds == (0.3, 0.5, 0.7)
    for j, name in enumerate(NAMES):
        known = ~np.isnan(y[:, j])
        yy, pred = y[known, j], p[known, j] >= thresholds[name]
        s = cxreval.statmaker_from_predictions(
            yy, pred.astype(float), groups=groups[known] if clustered else None
        )
        expected = {k: (s[k], *s.ci[k]) for k in ("recall", "npv")}
        row = r.finding(name)
        for mine, theirs in (("sensitivity", "recall"), ("npv", "npv")):
            got = (row[mine], row[f"{mine}_low"], row[f"{mine}_high"])
            np.testing.assert_allclose(got, expected[theirs], rtol=0, atol=1e-12)
        assert row["tp"] + row["fn"] == int((yy == 1).sum())
    assert "each finding's own threshold (Atelectasis 0.3, Edema 0.5, Mass 0.7" in (
        r.methods_text()
    )


def test_one_image_per_patient_gives_the_unclustered_report():
    y, p, _ = _study(missing=0.1)
    plain = cxreval.evaluate(y, p, labels=NAMES, n_boot=200, random_state=3)
    ids = np.random.default_rng(0).permutation(len(y)) + 100
    grouped = cxreval.evaluate(y, p, labels=NAMES, groups=ids, n_boot=200, random_state=3)
    assert grouped.n_clusters == len(y)
    for a, b in zip(plain.auc.findings, grouped.auc.findings, strict=True):
        for key in ("auc", "low", "high", "se", "average_precision"):
            assert a[key] == pytest.approx(b[key], abs=1e-12)
    for m in ("macro", "micro", "weighted"):
        assert grouped.auc.ci[m] == plain.auc.ci[m]  # the same resamples, bit for bit
    for a, b in zip(plain.at_threshold, grouped.at_threshold, strict=True):
        for key, value in a.items():
            assert b[key] == (value if isinstance(value, str) else pytest.approx(value, abs=1e-12))


def test_binary_report_with_groups_and_subgroups():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 200)
    p = np.round(1 / (1 + np.exp(-(2 * y - 1 + rng.normal(0, 1, 200)))), 3)
    patients = np.arange(200) // 4
    sex = np.where(patients % 2 == 0, "F", "M")  # a patient attribute
    r = cxreval.evaluate(y, p, groups=patients, subgroups={"sex": sex}, n_boot=200, random_state=0)
    assert r.n_clusters == 50
    assert r.auc["1"].method == "Obuchowski (clustered DeLong)"
    ref = cxreval.statmaker_from_predictions(y, (p >= 0.5).astype(int), groups=patients)
    sens = r.proportion("sensitivity")
    assert (sens.value, sens.low, sens.high) == (ref["sensitivity"], *ref.ci["sensitivity"])
    assert r.statistics.n_clusters == 50
    assert r.table_intervals.n_clusters == 50
    audit = cxreval.subgroup_audit(y, p, {"sex": sex}, threshold=0.5, groups=patients)
    assert r.subgroups.rows == audit.rows
    data = r.to_dict()
    assert data["n_clusters"] == 50 and "subgroups" in data
    assert data["statistics"]["n_clusters"] == 50
    page = r.to_html()
    assert "Subgroups" in page and page.count('src="data:image/png;base64,') == 6
    # one image per patient: every interval is the unclustered one
    plain = cxreval.evaluate(y, p, n_boot=200, random_state=0)
    single = cxreval.evaluate(y, p, groups=np.arange(200), n_boot=200, random_state=0)
    for key in ("sensitivity", "specificity", "ppv", "npv"):
        np.testing.assert_allclose(single.proportion(key), plain.proportion(key), atol=1e-12)
    a, b = plain.auc["1"], single.auc["1"]
    assert (a.low, a.high) == pytest.approx((b.low, b.high), abs=1e-12)
    assert "n_clusters" not in plain.to_dict()


def test_compare_per_finding_differences_equal_delong_test():
    y, p, q = _study(missing=0.1)
    groups = np.arange(len(y)) // 2
    c = cxreval.compare(
        y, {"a": p, "b": q}, labels=NAMES, groups=groups, n_boot=200, random_state=7
    )
    tests = c.tests[("a", "b")]
    assert list(tests) == NAMES
    pvalues = []
    for j, name in enumerate(NAMES):
        known = ~np.isnan(y[:, j])
        ref = cxreval.delong_test(y[known, j], p[known, j], q[known, j], groups=groups[known])
        t = tests[name]
        assert (t.difference, t.low, t.high, t.p_value) == (
            ref.difference,
            ref.low,
            ref.high,
            ref.p_value,
        )
        assert t.method == "Obuchowski (clustered DeLong) paired"
        pvalues.append(ref.p_value)
    np.testing.assert_allclose(
        [c.p_holm[("a", "b")][n] for n in NAMES], cxreval.holm_adjust(pvalues), atol=0
    )
    ra, rb = c.reports["a"], c.reports["b"]
    macro = c.macro_difference[("a", "b")]
    assert macro["difference"] == pytest.approx(
        ra.auc.means["macro"] - rb.auc.means["macro"], abs=1e-12
    )
    assert macro["seed"] == ra.auc.ci["seed"] == rb.auc.ci["seed"] == 7
    assert macro["method"] == "cluster bootstrap (percentile, B=200)"


def test_macro_difference_equals_a_loop_on_the_same_resamples():
    y, p, q = _study(n=90, missing=0.1)
    groups = np.random.default_rng(1).permutation(len(y)) // 3
    c = cxreval.compare(y, {"a": p, "b": q}, groups=groups, n_boot=300, random_state=5)
    units = cluster_units(np.unique(groups, return_inverse=True)[1])
    k = units.max() + 1
    draws = np.random.default_rng(5).integers(0, k, (300, k))
    reps = []
    for d in draws:
        idx = np.concatenate([np.flatnonzero(units == u) for u in d])
        yy = y[idx]
        means = []
        for s in (p[idx], q[idx]):
            aucs = []
            for j in range(3):
                known = ~np.isnan(yy[:, j])
                aucs.append(roc_auc_score(yy[known, j], s[known, j]))
            means.append(np.mean(aucs))
        reps.append(means[0] - means[1])
    low, high = np.quantile(reps, [0.025, 0.975])
    macro = c.macro_difference[("a", "b")]
    assert (macro["low"], macro["high"]) == pytest.approx((low, high), abs=1e-12)


def test_a_finding_without_positives_warns_and_is_nan():
    y, p, _ = _study()
    y[:, 2] = 0
    with pytest.warns(cxreval.UndefinedStatisticWarning, match="'Mass'"):
        r = cxreval.evaluate(y, p, labels=NAMES, n_boot=200, random_state=0)
    row = r.finding("Mass")
    assert np.isnan(row["auc"]) and np.isnan(row["sensitivity"]) and row["n_pos"] == 0
    assert "Mass" not in r.roc
    assert r.auc.means["macro"] == pytest.approx(np.mean(roc_auc_score(y[:, :2], p[:, :2])))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text, page = r.table(), r.to_html()
        c = cxreval.compare(y, {"a": p, "b": p[::-1]}, labels=NAMES, n_boot=200, random_state=0)
    assert "Mass" in text and "Forest plot" in page
    assert list(c.tests[("a", "b")]) == NAMES[:2]
    json.dumps(c.to_dict(), allow_nan=False)


def test_save_and_load_round_trip(tmp_path):
    y, p, q = _study(missing=0.05)
    r = cxreval.evaluate(y, p, labels=NAMES, n_boot=200, random_state=0, subset=NAMES[1:])
    folder = r.save(tmp_path / "r")
    assert load_report(folder) == r.to_dict()
    table = (folder / "table1.md").read_text()
    assert "| Edema |" in table and "| mean of Edema, Mass |" in table
    assert "obuchowski1997" not in (folder / "methods.bib").read_text()
    assert "@inproceedings{irvin2019" in (folder / "methods.bib").read_text()
    c = cxreval.compare(y, {"a": p, "b": q}, labels=NAMES, n_boot=200, random_state=0)
    saved = c.save(tmp_path / "c")
    data = load_report(saved)
    assert data == c.to_dict() and data["task"] == "multilabel"
    assert data["tests"][0]["findings"][0]["finding"] == "Atelectasis"
    page = (saved / "report.html").read_text()
    assert "AUC differences: a - b" in page and "Holm" in page


def test_the_report_draws_its_forest_plots():
    import matplotlib.pyplot as plt

    y, p, _ = _study()
    r = cxreval.evaluate(y, p, labels=NAMES, n_boot=200, random_state=0)
    ax = r.plot()
    assert ax.get_xlabel() == "AUC (95% CI, DeLong)"
    assert ax.get_yticklabels()[0].get_text().startswith("Atelectasis")
    assert r.plot(statistic="specificity").get_xlabel().startswith("specificity (95% CI")
    plt.close("all")
    page = r.to_html()
    assert page.count('src="data:image/png;base64,') == 4


def test_bad_thresholds_and_options_are_refused_by_name():
    y, p, _ = _study()
    with pytest.raises(ValueError, match="threshold must give one threshold per finding"):
        cxreval.evaluate(y, p, labels=NAMES, threshold={"Edema": 0.5})
    with pytest.raises(ValueError, match="auc_ci_method applies"):
        cxreval.evaluate(y, p, auc_ci_method="bootstrap")
    with pytest.raises(ValueError, match="subset='Edema' applies to multi-label"):
        cxreval.evaluate(y[:, 0], p[:, 0], subset="Edema")
    with pytest.raises(TypeError, match="subgroups must be a mapping"):
        cxreval.evaluate(y, p, subgroups=np.zeros(len(y)))
