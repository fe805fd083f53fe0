"""The intervals a report can be asked for (issue 18): ``evaluate(at_specificity=,
at_sensitivity=, partial_auc=, ci_method=, alternative=, kappa_ci_method=)``, the log
loss, the rows they add to the text, Markdown and HTML report, their round trip through
``save``/``load_report`` and the ``cxreval report`` flags that ask for them.

The report's rows are checked against the functions it calls, with the same seed (bit for
bit), and their point estimates against the independent readings of the curve
(:func:`cxreval.sensitivity_at_specificity`, :func:`cxreval.partial_auc`); the log loss
against scikit-learn's.
"""

from __future__ import annotations

import csv
import json
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import log_loss as sklearn_log_loss

import cxreval
from cxreval.cli import main
from cxreval.intervals import kappa_ci, proportion_ci
from cxreval.report import load_report

pytestmark = pytest.mark.filterwarnings("ignore:n_boot=.* resamples give:UserWarning")

N_BOOT = 300


def _binary(n=160, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    p = 1 / (1 + np.exp(-((2 * y - 1) + rng.normal(0, 1.2, n))))
    return y, p


Y, P = _binary()


def _asked(**options):
    return cxreval.evaluate(Y, P, n_boot=N_BOOT, random_state=3, **options)


def test_rows_equal_the_functions_called_with_the_same_seed():
    r = _asked(at_specificity=[0.9, 0.95], at_sensitivity=0.85, partial_auc=(0.8, 1.0))
    band = cxreval.roc_band(Y, P, specificities=[0.9, 0.95], n_boot=N_BOOT, random_state=3)
    spec = cxreval.specificity_band(Y, P, sensitivities=[0.85], n_boot=N_BOOT, random_state=3)
    pauc = cxreval.partial_auc_ci(
        Y, P, limits=(0.8, 1.0), standardized=True, n_boot=N_BOOT, random_state=3
    )
    for got, want in ((r.at_specificity, band), (r.at_sensitivity, spec)):
        for field in ("sensitivity", "specificity", "low", "high"):
            if hasattr(want, field):
                np.testing.assert_array_equal(getattr(got, field), getattr(want, field))
        assert (got.method, got.seed, got.n_boot) == (want.method, 3, N_BOOT)
    got = r.partial_auc
    assert (got.partial_auc, got.low, got.high, got.se) == (
        pauc.partial_auc,
        pauc.low,
        pauc.high,
        pauc.se,
    )
    assert got.standardized and got.seed == 3
    # the point estimates, read independently from the curve
    assert r.at_specificity.sensitivity.tolist() == [
        cxreval.sensitivity_at_specificity(Y, P, t) for t in (0.9, 0.95)
    ]
    assert r.at_sensitivity.specificity[0] == cxreval.specificity_at_sensitivity(Y, P, 0.85)
    assert got.partial_auc == pytest.approx(
        cxreval.partial_auc(Y, P, limits=(0.8, 1.0), standardized=True), abs=1e-15
    )
    # the rows, in this order, and Table 1's columns
    rows = r.requested_intervals()
    assert [name for name, *_ in rows] == [
        "sensitivity at 90% specificity",
        "sensitivity at 95% specificity",
        "specificity at 85% sensitivity",
        "McClish-standardized partial AUC (specificity 0.8 to 1)",
    ]
    assert rows[1][1] == (band.sensitivity[1], band.low[1], band.high[1])
    assert rows[3][1:] == ((pauc.partial_auc, pauc.low, pauc.high), pauc.method, 3)
    table = r.table_one()
    assert table.columns[-4:] == tuple(f"{name} [95% CI]" for name, *_ in rows)
    assert table.rows[0][-4:] == tuple(value for _, value, *_ in rows)
    assert r.provenance.seeds["at_specificity bootstrap"] == 3


def test_partial_auc_over_sensitivity_unstandardized():
    r = _asked(partial_auc=(1.0, 0.9), partial_auc_focus="sensitivity",
               partial_auc_standardized=False)  # fmt: skip
    want = cxreval.partial_auc_ci(
        Y, P, limits=(0.9, 1.0), focus="sensitivity", n_boot=N_BOOT, random_state=3
    )
    assert (r.partial_auc.partial_auc, r.partial_auc.low, r.partial_auc.high) == (
        want.partial_auc,
        want.low,
        want.high,
    )
    assert r.requested_intervals()[0][0] == "partial AUC (sensitivity 0.9 to 1)"
    assert "McClish" not in r.methods_text()
    assert "The partial AUC over sensitivity 0.9 to 1 is given" in r.methods_text()


def test_no_option_no_new_row():
    r = cxreval.evaluate(Y, P, table_intervals=False)
    assert r.requested_intervals() == []
    assert "Intervals asked for" not in r.table()
    assert len(r.table_one().columns) == 10
    assert not {"at_specificity", "at_sensitivity", "partial_auc"} & set(r.to_dict())


@pytest.mark.parametrize("ci_method", ["jeffreys", "wilson-cc", "clopper-pearson"])
def test_ci_method_reaches_every_proportion(ci_method):
    r = cxreval.evaluate(Y, P, ci_method=ci_method, table_intervals=False)
    s = r.statistics
    for key, (num, den) in {
        "sensitivity": (s.tp, s.tp + s.fn),
        "specificity": (s.tn, s.tn + s.fp),
        "ppv": (s.tp, s.tp + s.fp),
    }.items():
        low, high = proportion_ci(num, den, ci_method=ci_method)
        assert s.ci[key] == (low, high)
    cells = r.table_one().rows[0]
    assert (cells[3].low, cells[3].high) == s.ci["sensitivity"]
    assert s.ci_methods["sensitivity"] == cxreval.intervals.PROPORTION_CI_METHODS[ci_method]


def test_jeffreys_and_continuity_corrected_wilson_are_cited():
    text = cxreval.evaluate(Y, P, ci_method="jeffreys", table_intervals=False).methods_text()
    assert "with Jeffreys 95% intervals (Brown et al. 2001)" in text
    r = cxreval.evaluate(Y, P, ci_method="wilson-cc", table_intervals=False)
    assert "continuity-corrected Wilson score 95% intervals (Newcombe 1998)" in r.methods_text()
    assert "@article{newcombe1998single," in r.methods_bibtex()


def test_one_sided_bounds_and_kappa_standard_error():
    r = cxreval.evaluate(Y, P, alternative="greater", kappa_ci_method="cohen",
                         table_intervals=False)  # fmt: skip
    s = r.statistics
    low, high = proportion_ci(s.tp, s.tp + s.fn, alternative="greater")
    assert s.ci["sensitivity"] == (low, high) and high == 1.0
    _, _, k_low, k_high = kappa_ci(s.confusion_matrix, kappa_ci_method="cohen",
                                   alternative="greater")  # fmt: skip
    assert s.ci["cohen_kappa"] == (k_low, k_high) and k_high == 1.0
    text = r.methods_text()
    assert "with one-sided Wilson score 95% lower bounds" in text
    assert "Cohen's kappa has one-sided normal-approximation 95% lower bounds with Cohen's" in text
    assert "log-method intervals (one-sided lower bounds)" in text
    assert "no-information rate" in text and "Cohen 1960" in text
    # the default names Fleiss, Cohen and Everitt's standard error
    default = cxreval.evaluate(Y, P, table_intervals=False).methods_text()
    assert "standard error of Fleiss, Cohen and Everitt" in default
    assert "Fleiss et al. 1969" in default


def test_multiclass_options_and_log_loss():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 150)
    logits = np.eye(3)[y] * 1.5 + rng.normal(0, 1, (150, 3))
    prob = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    r = cxreval.evaluate(y, prob.round(4), ci_method="jeffreys", n_boot=100, random_state=0)
    assert r.statistics.ci_method == "jeffreys"
    rounded = prob.round(4)
    expected = sklearn_log_loss(y, rounded / rounded.sum(axis=1, keepdims=True))
    assert r.log_loss == pytest.approx(expected, abs=1e-12)
    assert f"log loss (every class's probability) {expected:.4f}" in r.table()
    assert "Jeffreys" in r.methods_text()
    with pytest.raises(ValueError, match="at_specificity applies to binary scores only"):
        cxreval.evaluate(y, prob, at_specificity=0.9)
    with pytest.raises(ValueError, match="partial_auc applies to binary scores only"):
        cxreval.evaluate(y, prob, partial_auc=(0.8, 1))


def test_binary_log_loss_is_scikit_learns():
    r = cxreval.evaluate(Y, P, table_intervals=False)
    assert r.log_loss == pytest.approx(sklearn_log_loss(Y, P), abs=1e-12)
    assert f"log loss {r.log_loss:.4f}" in r.table()
    assert r.to_dict()["log_loss"] == r.log_loss
    assert "the Brier score, the log loss and the expected calibration error" in r.methods_text()


def test_text_markdown_html_and_round_trip(tmp_path):
    r = _asked(at_specificity=0.95, partial_auc=(0.8, 1.0))
    row = "sensitivity at 95% specificity"
    text = r.table()
    section = text[text.index("Intervals asked for") :]
    first = section.splitlines()[4]
    assert first.startswith(row) and "stratified bootstrap (percentile, B=300)" in first
    assert f"{r.at_specificity.sensitivity[0]:.3f} [{r.at_specificity.low[0]:.3f}," in first
    assert f"| {row} [95% CI] |" in r.to_table("markdown")
    assert f"<td>{row}</td>" in r.to_html()
    assert "(McClish 1989; Robin et al. 2011; Efron &amp; Tibshirani 1993)" in r.to_html()
    folder = r.save(tmp_path / "rep")
    loaded = load_report(folder)
    assert loaded == json.loads(r.to_json())
    assert loaded["at_specificity"]["sensitivity"] == r.at_specificity.sensitivity.tolist()
    assert loaded["at_specificity"]["seed"] == 3 and "curve" not in loaded["at_specificity"]
    assert loaded["partial_auc"]["low"] == r.partial_auc.low
    assert "@article{mcclish1989," in (folder / "methods.bib").read_text()


def test_figures_stay_beside_their_sections():
    r = _asked(at_sensitivity=0.9)
    headings = [h for h, _ in r.sections()]
    captions = [c for c, _ in r.figures()]
    places = dict(zip(headings, r.figure_places(), strict=True))
    assert places["Intervals asked for"] == []
    assert [captions[i] for i in places["Calibration"]] == ["Reliability diagram"]
    assert [captions[i] for i in places["Decision curve"]] == ["Decision curve"]


@settings(max_examples=6, deadline=None)
@given(
    st.lists(st.sampled_from([0.8, 0.9, 0.95, 0.99]), unique=True, max_size=3),
    st.lists(st.sampled_from([0.5, 0.85, 0.9]), unique=True, max_size=2),
    st.booleans(),
)
def test_every_asked_interval_is_a_row_in_range(spec, sens, pauc):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        r = cxreval.evaluate(Y, P, at_specificity=spec or None, at_sensitivity=sens or None,
                             partial_auc=(0.9, 1) if pauc else None, n_boot=60,
                             random_state=0, table_intervals=False)  # fmt: skip
    rows = r.requested_intervals()
    assert len(rows) == len(spec) + len(sens) + pauc
    assert len(r.table_one().columns) == len(r.table_one().rows[0]) == 10 + len(rows)
    for _, value, _, seed in rows:
        assert 0 <= value.low <= value.high <= 1 and seed == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"at_specificity": 1.5}, "at_specificity must hold numbers in"),
        ({"at_specificity": "0.9"}, "at_specificity must be a number"),
        ({"at_sensitivity": [0.9, 0.9]}, "at_sensitivity gives 0.9 more than once"),
        ({"partial_auc": 0.8}, "partial_auc"),
        ({"partial_auc": (0.8, 0.8)}, "partial_auc must be two different numbers"),
        ({"partial_auc": (0.8, 1), "partial_auc_focus": "fpr"}, "partial_auc_focus must be"),
        ({"partial_auc_standardized": "yes"}, "partial_auc_standardized must be True"),
        ({"ci_method": "exact"}, "ci_method must be one of"),
        ({"alternative": "larger"}, "alternative must be"),
        ({"kappa_ci_method": "pycm"}, "kappa_ci_method must be one of"),
        ({"sample_weight": np.ones(160)}, "sample_weight is not supported by evaluate"),
        (
            {"partial_auc": (0.8, 1), "partial_auc_ci_method": "wald"},
            "partial_auc_ci_method must be one of",
        ),
        (
            {
                "partial_auc": (0.8, 1),
                "partial_auc_ci_method": "delong",
                "groups": np.arange(160) // 2,
            },
            "groups",
        ),
    ],
)
def test_bad_options_name_the_argument(options, message):
    with pytest.raises((ValueError, TypeError), match=message):
        cxreval.evaluate(Y, P, **options)
    with pytest.raises((ValueError, TypeError), match=message):
        cxreval.compare(Y, {"a": P, "b": P[::-1]}, **options)


def test_delong_type_partial_auc_in_the_report_and_the_comparison():
    report = _asked(partial_auc=(0.8, 1), partial_auc_ci_method="delong")
    direct = cxreval.partial_auc_ci(Y, P, limits=(0.8, 1), standardized=True, ci_method="delong")
    got = report.partial_auc
    assert (got.partial_auc, got.low, got.high, got.method) == (
        direct.partial_auc,
        direct.low,
        direct.high,
        direct.method,
    )
    assert got.seed is None and "partial_auc bootstrap" not in report.provenance.seeds
    assert "DeLong-type" in report.methods_text() and "Dodd" in report.methods_text()
    q = P**2
    comparison = cxreval.compare(
        Y,
        {"a": P, "b": q},
        partial_auc=(0.8, 1),
        partial_auc_ci_method="delong",
        n_boot=N_BOOT,
        random_state=3,
    )
    (test,) = comparison.requested_tests.values()
    expected = cxreval.partial_auc_test(Y, P, q, limits=(0.8, 1), standardized=True,
                                        ci_method="delong")  # fmt: skip
    assert (test.p_value, test.method) == (expected.p_value, expected.method)


# --- the command line -------------------------------------------------------------------


@pytest.fixture
def predictions(tmp_path):
    path = tmp_path / "pred.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["y", "p", "q"])
        writer.writerows(
            [int(a), repr(float(b)), repr(float(b) ** 2)] for a, b in zip(Y, P, strict=True)
        )
    return path


def _report(predictions, tmp_path, *flags):
    out = tmp_path / "out"
    argv = ["report", str(predictions), "--label-col", "y", "--score-col", "p", "--out",
            str(out), "--n-boot", str(N_BOOT), "--seed", "3", *flags]  # fmt: skip
    return main(argv), out


def test_cli_rows_appear_in_the_results(predictions, tmp_path, capsys):
    code, out = _report(predictions, tmp_path, "--at-specificity", "0.95", "--at-specificity",
                        "0.9", "--at-sensitivity", "0.85", "--partial-auc", "0.8:1",
                        "--ci-method", "jeffreys")  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    want = _asked(at_specificity=[0.95, 0.9], at_sensitivity=0.85, partial_auc=(0.8, 1.0),
                  ci_method="jeffreys")  # fmt: skip
    sens = want.at_specificity
    assert f"sensitivity at 95% specificity {sens.sensitivity[0]:.3f} [{sens.low[0]:.3f}" in printed
    saved = load_report(out)
    for key in ("at_specificity", "at_sensitivity", "partial_auc"):
        assert saved[key] == json.loads(json.dumps(want._requested_dict()[key]))
    assert saved["statistics"]["ci_method"] == "jeffreys"
    text = (out / "report.txt").read_text()
    assert "sensitivity at 90% specificity" in text and "Intervals asked for" in text
    assert "sensitivity at 95% specificity [95% CI]" in (out / "table1.csv").read_text()


def test_cli_partial_auc_ci_method(predictions, tmp_path):
    code, out = _report(predictions, tmp_path, "--partial-auc", "0.8:1",
                        "--partial-auc-ci-method", "delong")  # fmt: skip
    assert code == 0
    saved = load_report(out)["partial_auc"]
    assert (
        saved["method"]
        == _asked(partial_auc=(0.8, 1), partial_auc_ci_method="delong").partial_auc.method
    )


def test_cli_partial_auc_focus_raw_and_one_sided(predictions, tmp_path):
    code, out = _report(predictions, tmp_path, "--partial-auc", "1:0.9", "--partial-auc-focus",
                        "sensitivity", "--no-partial-auc-standardized", "--alternative",
                        "greater", "--kappa-ci-method", "cohen")  # fmt: skip
    assert code == 0
    saved = load_report(out)
    assert saved["partial_auc"]["limits"] == [0.9, 1.0]
    assert saved["partial_auc"]["focus"] == "sensitivity"
    assert saved["partial_auc"]["standardized"] is False
    assert saved["statistics"]["alternative"] == "greater"
    assert saved["statistics"]["kappa_ci_method"] == "cohen"


def test_cli_compare_passes_the_options_on(predictions, tmp_path):
    out = tmp_path / "cmp"
    code = main(["report", str(predictions), "--label-col", "y", "--score-col", "p",
                 "--score-col", "q", "--out", str(out), "--n-boot", "200", "--seed", "1",
                 "--at-specificity", "0.9"])  # fmt: skip
    assert code == 0
    saved = load_report(out)
    assert set(saved["models"]) == {"p", "q"}
    assert all(m["at_specificity"]["seed"] == 1 for m in saved["models"].values())


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--at-specificity", "1.5"], "argument --at-specificity: expected a number in [0, 1]"),
        (["--at-sensitivity", "x"], "argument --at-sensitivity: expected a number in [0, 1]"),
        (["--partial-auc", "0.8"], "argument --partial-auc: expected LO:HI such as 0.8:1"),
        (["--partial-auc", "0.8:0.8"], "argument --partial-auc: expected two different"),
        (["--partial-auc", "0.8:2"], "argument --partial-auc: expected a number in [0, 1]"),
        (["--ci-method", "exact"], "argument --ci-method: invalid choice"),
        (["--alternative", "up"], "argument --alternative: invalid choice"),
        (["--partial-auc-focus", "fpr"], "argument --partial-auc-focus: invalid choice"),
    ],
)
def test_cli_bad_values_name_the_flag(predictions, tmp_path, capsys, flags, message):
    with pytest.raises(SystemExit) as info:
        _report(predictions, tmp_path, *flags)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_repeated_target_and_multiclass_name_the_flag(predictions, tmp_path, capsys):
    code, _ = _report(predictions, tmp_path, "--at-specificity", "0.9", "--at-specificity", "0.9")
    assert code == 1
    assert "--at-specificity 0.9 is given more than once" in capsys.readouterr().err
    code = main(["report", str(predictions), "--label-col", "y", "--score-col", "p",
                 "--score-col", "q", "--multiclass", "--partial-auc", "0.8:1",
                 "--out", str(tmp_path / "m")])  # fmt: skip
    assert code == 1
    assert "--partial-auc applies to binary reports" in capsys.readouterr().err


# --- compare: the paired tests of the intervals asked for ---------------------------------


def test_compare_tests_every_asked_row_with_the_reports_seed(tmp_path):
    q = P**2
    r = np.clip(P + 0.1 * np.sin(np.arange(len(P))), 0, 1)
    models = {"p": P, "q": q, "r": r}
    c = cxreval.compare(Y, models, n_boot=N_BOOT, random_state=5, at_specificity=0.9,
                        at_sensitivity=0.8, partial_auc=(0.8, 1))  # fmt: skip
    pairs = [("p", "q"), ("p", "r"), ("q", "r")]
    rows = ["sensitivity at 90% specificity", "specificity at 80% sensitivity",
            "McClish-standardized partial AUC (specificity 0.8 to 1)"]  # fmt: skip
    assert list(c.requested_tests) == [(a, b, row) for row in rows for a, b in pairs]
    boot = {"n_boot": N_BOOT, "random_state": 5}
    for a, b in pairs:
        want = (
            cxreval.sensitivity_test(Y, models[a], models[b], at_specificity=0.9, **boot),
            cxreval.specificity_test(Y, models[a], models[b], at_sensitivity=0.8, **boot),
            cxreval.partial_auc_test(
                Y, models[a], models[b], limits=(0.8, 1), standardized=True, **boot
            ),
        )
        for row, expected in zip(rows, want, strict=True):
            got = c.requested_tests[(a, b, row)]
            assert (got.difference, got.low, got.high, got.p_value, got.seed) == (
                expected.difference,
                expected.low,
                expected.high,
                expected.p_value,
                5,
            )
    for row in rows:  # Holm over the three pairs, row by row
        raw = [c.requested_tests[(a, b, row)].p_value for a, b in pairs]
        order = np.argsort(raw)
        stepped = np.maximum.accumulate([min(1.0, (3 - k) * raw[i]) for k, i in enumerate(order)])
        want = dict(zip([pairs[i] for i in order], stepped, strict=True))
        for a, b in pairs:
            assert c.requested_p_holm[(a, b, row)] == pytest.approx(want[(a, b)], abs=1e-15)
    text = c.table()
    assert "Paired bootstrap tests of the intervals asked for, Holm-adjusted" in text
    assert (
        "The sensitivities at a fixed specificity, specificities at a fixed sensitivity and "
        "partial AUCs of each pair of models are compared by paired stratified bootstrap"
    ) in c.methods_text()
    assert "@article{pepe2009," in c.methods_bibtex()
    # every report's rows, all on the one seed; Table 1 holds them for every model
    assert all(rep.at_specificity.seed == 5 for rep in c.reports.values())
    assert len(c.table_one().rows[0]) == len(c.table_one().columns) == 13
    folder = c.save(tmp_path / "cmp")
    saved = load_report(folder)
    assert saved == json.loads(c.to_json())
    first = saved["requested_tests"][0]
    assert (first["a"], first["b"], first["name"]) == ("p", "q", rows[0])
    assert first["p_holm"] == c.requested_p_holm[("p", "q", rows[0])]
    places = dict(zip([h for h, _ in c.sections()], c.figure_places(), strict=True))
    captions = [caption for caption, _ in c.figures()]
    assert [captions[i] for i in places["Decision curves"]] == ["Decision curves"]


def test_compare_without_asked_intervals_has_no_requested_tests():
    c = cxreval.compare(Y, {"a": P, "b": P**2}, table_intervals=False)
    assert c.requested_tests == {} and "requested_tests" not in c.to_dict()
    assert "Paired bootstrap tests" not in c.table()
