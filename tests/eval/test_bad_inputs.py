"""A bad-input battery over every public name of :mod:`cxreval` (issue 16).

Each case calls a public function with one bad input -- empty, length mismatch, NaN/inf,
None, strings, object arrays, 2-D for 1-D, a single class, probabilities outside [0, 1],
bad ``n_boot``/``level``/``random_state`` -- and asserts a ValueError or TypeError whose
message names the offending argument (``match=`` on its name). Every name of
``cxreval.__all__`` is either in the table or in :data:`EXCLUDED` with the reason, and
``test_the_table_covers_all_of_cxreval`` fails when a new public name is in neither.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxreval

# Public names that take no user data to check, with the reason.
EXCLUDED = {
    # result classes: built by the functions of the table, never from user input
    "AUCComparison",
    "AUCInterval",
    "BinaryStatistics",
    "BootstrapResult",
    "Comparison",
    "DecisionCurve",
    "MulticlassAUC",
    "MulticlassStatistics",
    "OperatingPoint",
    "PRCurve",
    "ROCBand",
    "ROCCurve",
    "ReliabilityCurve",
    "SweepResult",
    # the warning class, a version string and a module (its function is in the table)
    "UndefinedStatisticWarning",
    "__version__",
    "sparsity_score",
}

N = 40
Y = np.r_[np.zeros(N // 2, int), np.ones(N // 2, int)]
S = Y + np.random.default_rng(0).normal(0, 1, N)  # scores
P = 1 / (1 + np.exp(-S))  # probabilities
Y3 = np.arange(60) % 3
P3 = np.random.default_rng(1).dirichlet([1, 1, 1], 60)


def _with(values, i, value):
    """``values`` as an object array with entry ``i`` replaced by ``value``."""
    out = np.asarray(values, dtype=object).copy()
    out[i] = value
    return out


def _nan(values, i=3):
    out = np.asarray(values, dtype=float).copy()
    out[i] = np.nan
    return out


def _inf(values, i=3):
    out = np.asarray(values, dtype=float).copy()
    out[i] = np.inf
    return out


CASES: list = []


def add(function: str, label: str, call, match: str, error=(ValueError, TypeError), marks=()):
    """One case: ``call()`` raises ``error`` with a message matching ``match``."""
    CASES.append(pytest.param(call, error, match, id=f"{function}-{label}", marks=marks))


def xfail_e2(reason: str):
    return pytest.mark.xfail(strict=True, reason=f"e2: {reason}")


# --- functions of (y_true, scores or probabilities) --------------------------------------
# name -> (call(y_true, score, **options), the score argument's name, options it takes)
BINARY = {
    "roc_auc": (cxreval.roc_auc, "y_score", ()),
    "roc_curve": (cxreval.roc_curve, "y_score", ()),
    "pr_curve": (cxreval.pr_curve, "y_score", ()),
    "average_precision": (cxreval.average_precision, "y_score", ()),
    "roc_auc_ci": (
        lambda y, s, **kw: cxreval.roc_auc_ci(y, s, ci_method="bootstrap", **kw),
        "y_score",
        ("level", "n_boot", "random_state"),
    ),
    "roc_band": (cxreval.roc_band, "y_score", ("level", "n_boot", "random_state")),
    "operating_point": (
        lambda y, s, **kw: cxreval.operating_point(y, s, **{"n_boot": 2000, **kw}),
        "y_score",
        ("level", "n_boot", "random_state"),
    ),
    "decision_curve": (cxreval.decision_curve, "y_prob", ("probabilities",)),
    "reliability_curve": (cxreval.reliability_curve, "y_prob", ("level", "probabilities")),
    "brier_score": (cxreval.brier_score, "y_prob", ("probabilities",)),
    "bootstrap_statmaker": (
        lambda y, s, **kw: cxreval.bootstrap_statmaker(y, y_score=s, **kw),
        "y_score",
        ("level", "n_boot", "random_state"),
    ),
    "statmaker_from_predictions": (
        lambda y, s, **kw: cxreval.statmaker_from_predictions(y, y_score=s, **kw),
        "y_score",
        ("level",),
    ),
    "delong_covariance": (cxreval.delong_covariance, r"y_scores\[0\]", ()),
    "delong_test": (lambda y, s, **kw: cxreval.delong_test(y, s, S, **kw), "score_a", ("level",)),
    "bootstrap_auc_test": (
        lambda y, s, **kw: cxreval.bootstrap_auc_test(y, s, S, **kw),
        "score_a",
        ("level", "n_boot", "random_state"),
    ),
    "delong_test_unpaired": (
        lambda y, s, **kw: cxreval.delong_test_unpaired(y, s, Y, S, **kw),
        "score_a",
        ("level",),
    ),
    "evaluate": (
        lambda y, s, **kw: cxreval.evaluate(y, s, **kw),
        "y_score",
        ("level", "n_boot", "random_state", "probabilities", "multiclass"),
    ),
    "compare": (
        lambda y, s, **kw: cxreval.compare(y, {"a": s, "b": P}, **kw),
        r"models\['a'\]",
        ("level", "n_boot", "random_state", "probabilities"),
    ),
}


def _binary_cases(name, call, score, options):
    good = P if "probabilities" in options else S
    if name == "compare":  # the report's own checks name the scores y_score
        marks = xfail_e2("compare() names a model's bad scores y_score, not models['a']")
        put = _adder(marks, ("empty", "nan-label", "none-label", "mixed-labels", "2d-label",
                             "one-class", "3-classes", "2d-score", "level", "level-str", "n_boot=0",
                             "n_boot=10", "n_boot-float", "seed-str", "seed<0"))  # fmt: skip
    else:
        put = add
    put(name, "empty", lambda: call([], []), rf"(y_true|{score}) is empty")
    put(name, "length", lambda: call(Y, good[:-1]), rf"{score}={N - 1}")
    put(name, "nan-score", lambda: call(Y, _nan(good)), rf"{score} contains NaN")
    put(name, "inf-score", lambda: call(Y, _inf(good)), rf"{score} contains infinite")
    put(name, "nan-label", lambda: call(_nan(Y), good), "y_true contains NaN")
    put(name, "none-score", lambda: call(Y, _with(good, 2, None)), f"{score} must be numeric")
    put(name, "none-label", lambda: call(_with(Y, 2, None), good), "y_true contains None")
    put(name, "string-score", lambda: call(Y, good.astype(str)), f"{score} must be numeric")
    put(name, "object-score", lambda: call(Y, good.astype(object)), f"{score} must be numeric")
    put(name, "mixed-labels", lambda: call(_with(Y, 0, "a"), good), "y_true must hold labels")
    put(name, "2d-label", lambda: call(np.c_[Y, Y], good), "y_true must be 1-D")
    if "multiclass" not in options:  # evaluate reads 2-D scores as multi-class
        put(name, "2d-score", lambda: call(Y, np.c_[good, good]), f"{score} must be 1-D")
    put(name, "one-class", lambda: call(np.zeros(N, int), good), "y_true contains one class")
    put(name, "3-classes", lambda: call(np.arange(N) % 3, good), "y_true must be binary")
    if "probabilities" in options:
        put(name, "prob>1", lambda: call(Y, good + 0.5), rf"{score} must hold probabilities")
    if "level" in options:
        put(name, "level", lambda: call(Y, good, level=1.5), "level must be in")
        put(name, "level-str", lambda: call(Y, good, level="0.95"), "level must be a number")
    if "n_boot" in options:
        put(name, "n_boot=0", lambda: call(Y, good, n_boot=0), "n_boot must be a positive")
        put(name, "n_boot=10", lambda: call(Y, good, n_boot=10), "n_boot=10 is too few")
        put(name, "n_boot-float", lambda: call(Y, good, n_boot=2.5), "n_boot must be")
    if "random_state" in options:
        put(name, "seed-str", lambda: call(Y, good, random_state="x"), "random_state must be")
        put(name, "seed<0", lambda: call(Y, good, random_state=-1), "random_state must be")


def _adder(marks, unmarked):
    """``add`` marking every case but the ``unmarked`` labels with ``marks``."""

    def adder(function, label, call, match, error=(ValueError, TypeError)):
        add(function, label, call, match, error, () if label in unmarked else marks)

    return adder


for _name, (_call, _score, _options) in BINARY.items():
    _binary_cases(_name, _call, _score, _options)


# --- multi-class scores -------------------------------------------------------------------
MULTICLASS = {
    "roc_auc_multiclass": (cxreval.roc_auc_multiclass, ("level", "n_boot", "random_state")),
    "hand_till_auc": (cxreval.hand_till_auc, ()),
}
for _name, (_call, _options) in MULTICLASS.items():
    add(_name, "empty", lambda c=_call: c([], np.empty((0, 3))), "(y_true|y_score) is empty")
    add(_name, "length", lambda c=_call: c(Y3[:-1], P3), "y_score=60")
    add(_name, "nan", lambda c=_call: c(Y3, np.where(P3 > 0.9, np.nan, P3)), "y_score contains")
    add(_name, "inf", lambda c=_call: c(Y3, np.where(P3 > 0.9, np.inf, P3)), "y_score contains")
    add(_name, "nan-label", lambda c=_call: c(_nan(Y3), P3), "y_true contains NaN")
    add(_name, "none-label", lambda c=_call: c(_with(Y3, 1, None), P3), "y_true contains None")
    add(_name, "strings", lambda c=_call: c(Y3, P3.astype(str)), "y_score must be numeric")
    add(_name, "1d-score", lambda c=_call: c(Y3, P3[:, 0]), "y_score must be 2-D")
    add(_name, "2d-label", lambda c=_call: c(np.c_[Y3, Y3], P3), "y_true must be 1-D")
    add(_name, "one-class", lambda c=_call: c(np.zeros(60, int), P3), "y_score has 3 columns")
    add(_name, "labels", lambda c=_call: c(Y3, P3, labels=[0, 1, 2, 3]), "y_score has 3 columns")
    if "n_boot" in _options:
        add(_name, "level", lambda c=_call: c(Y3, P3, level=0), "level must be in")
        add(_name, "n_boot", lambda c=_call: c(Y3, P3, n_boot=10), "n_boot=10 is too few")
        add(_name, "seed", lambda c=_call: c(Y3, P3, random_state=1.5), "random_state must be")

# --- counts -------------------------------------------------------------------------------
COUNTS = {
    "binary_statistics": lambda tp, fp=2, fn=3, tn=4, **kw: cxreval.binary_statistics(
        tp, fp, fn, tn, **kw
    ),
    "binary_intervals": lambda tp, fp=2, fn=3, tn=4, **kw: cxreval.binary_intervals(
        tp, fp, fn, tn, **kw
    ),
    "ratio_ci": lambda tp, fp=2, fn=3, tn=4, **kw: cxreval.ratio_ci(
        tp, fp, fn, tn, statistic="lr_positive", **kw
    ),
    "proportion_ci": lambda tp, fp=2, fn=10, tn=4, **kw: cxreval.proportion_ci(tp, fn, **kw),
}
for _name, _call in COUNTS.items():
    first = "successes" if _name == "proportion_ci" else "tp"
    add(_name, "nan", lambda c=_call: c(np.nan), f"{first} must be non-negative counts")
    add(_name, "inf", lambda c=_call: c(np.inf), f"{first} must be non-negative counts")
    add(_name, "negative", lambda c=_call: c(-1), f"{first} must be non-negative counts")
    add(_name, "none", lambda c=_call: c(None), f"{first} must be numeric counts")
    add(_name, "string", lambda c=_call: c("1"), f"{first} must be numeric counts")
    add(_name, "object", lambda c=_call: c(np.array([1, "x"], object)), f"{first} must be numeric")
    add(_name, "bool", lambda c=_call: c(True), f"{first} must be numeric counts")
    add(_name, "ragged", lambda c=_call: c([[1], [1, 2]]), f"{first} could not be read")
    add(_name, "shapes", lambda c=_call: c([1, 2], fn=[3, 4, 5]), f"{first}.* must have one shape")
    if _name != "binary_statistics":
        add(_name, "level", lambda c=_call: c(1, level=95), "level must be in")
add("proportion_ci", "x>n", lambda: cxreval.proportion_ci(4, 3), "successes must not exceed")
add(
    "binary_statistics",
    "entry_names",
    lambda: cxreval.binary_statistics([1, 2], 1, 1, 1, entry_names=["a"]),
    "entry_names has 1 names",
)

# --- confusion matrices and predicted labels -----------------------------------------------
add("statmaker", "empty", lambda: cxreval.statmaker([]), "cm is empty")
add("statmaker", "nan", lambda: cxreval.statmaker([[1, np.nan], [1, 1]]), "cm contains NaN")
add("statmaker", "inf", lambda: cxreval.statmaker([[1, np.inf], [1, 1]]), "cm contains infinite")
add("statmaker", "none", lambda: cxreval.statmaker([[1, None], [1, 1]]), "cm must hold integer")
add("statmaker", "strings", lambda: cxreval.statmaker([["1", "2"], ["3", "4"]]), "cm must hold")
add("statmaker", "1d", lambda: cxreval.statmaker([1, 2, 3, 4]), "cm must be a square")
add("statmaker", "one-class", lambda: cxreval.statmaker([[5]]), "cm must have at least 2")
add("statmaker", "ragged", lambda: cxreval.statmaker([[1, 2], [3]]), "cm could not be read")
add("statmaker", "level", lambda: cxreval.statmaker([[1, 2], [3, 4]], level=2), "level must be")
add("statmaker", "labels", lambda: cxreval.statmaker([[1, 2], [3, 4]], labels=[0]), "labels has 1")
PREDICTIONS = {
    "confusion_matrix": cxreval.confusion_matrix,
    "statmaker_from_predictions": cxreval.statmaker_from_predictions,
    "bootstrap_statmaker": cxreval.bootstrap_statmaker,
}
for _name, _call in PREDICTIONS.items():
    add(_name, "pred-empty", lambda c=_call: c([], []), "(y_true|y_pred) is empty")
    add(_name, "pred-length", lambda c=_call: c(Y, Y[:-1]), f"y_pred={N - 1}")
    add(_name, "pred-nan", lambda c=_call: c(Y, _nan(Y)), "y_pred contains NaN")
    add(_name, "pred-none", lambda c=_call: c(Y, _with(Y, 1, None)), "y_pred contains None")
    add(_name, "pred-2d", lambda c=_call: c(Y, np.c_[Y, Y]), "y_pred must be 1-D")
    add(_name, "pred-scores", lambda c=_call: c(Y, P), "y_pred must hold predicted labels")

# --- the rest ------------------------------------------------------------------------------
add("holm_adjust", "empty", lambda: cxreval.holm_adjust([]), "p_values is empty")
add("holm_adjust", "range", lambda: cxreval.holm_adjust([0.1, 1.5]), "p_values must be")
add("holm_adjust", "strings", lambda: cxreval.holm_adjust(["0.1"]), "p_values must be numeric")
add("holm_adjust", "none", lambda: cxreval.holm_adjust([0.1, None]), "p_values must be numeric")
add("holm_adjust", "2d", lambda: cxreval.holm_adjust([[0.1, 0.2]] * 2), "p_values must be 1-D")

X = np.arange(10.0)
add("bootstrap", "empty", lambda: cxreval.bootstrap(np.mean, []), r"arrays\[0\] must have")
add("bootstrap", "no-array", lambda: cxreval.bootstrap(np.mean), "needs at least one array")
add("bootstrap", "length", lambda: cxreval.bootstrap(np.mean, X, X[:-1]), r"arrays\[1\]=9")
add("bootstrap", "nan", lambda: cxreval.bootstrap(np.mean, _nan(X)), r"arrays\[0\] contains NaN")
add("bootstrap", "none", lambda: cxreval.bootstrap(np.mean, _with(X, 1, None)), r"arrays\[0\]")
add("bootstrap", "statistic", lambda: cxreval.bootstrap("mean", X), "statistic must be callable")
add("bootstrap", "str-result", lambda: cxreval.bootstrap(str, X), "statistic must return")
add("bootstrap", "2d-result", lambda: cxreval.bootstrap(np.outer, X, X), "statistic must return")
add(
    "bootstrap",
    "vectorized-scalar",
    lambda: cxreval.bootstrap(np.mean, X, vectorized=True),
    "statistic must return one value",
)
add("bootstrap", "strata-nan", lambda: cxreval.bootstrap(np.mean, X, strata=_nan(X)), "strata")
add("bootstrap", "strata-len", lambda: cxreval.bootstrap(np.mean, X, strata=[0, 1]), "strata=2")
add("bootstrap", "level", lambda: cxreval.bootstrap(np.mean, X, level=1.0), "level must be")
add("bootstrap", "n_boot", lambda: cxreval.bootstrap(np.mean, X, n_boot=1), "n_boot=1 is too")
add("bootstrap", "seed", lambda: cxreval.bootstrap(np.mean, X, random_state="1"), "random_state")
add("bootstrap", "bounds", lambda: cxreval.bootstrap(np.mean, X, bounds=(1, 0)), "bounds must")

SPARSITY = [0.0, 0.5, 0.8]
add("score_sweep", "empty", lambda: cxreval.score_sweep([], []), "sparsity is empty")
add("score_sweep", "length", lambda: cxreval.score_sweep(SPARSITY, [0.9, 0.8]), "metric must hold")
add("score_sweep", "nan", lambda: cxreval.score_sweep(SPARSITY, [0.9, np.nan, 0.8]), "metric")
add("score_sweep", "range", lambda: cxreval.score_sweep(SPARSITY, [0.9, 1.5, 0.8]), "metric")
add("score_sweep", "strings", lambda: cxreval.score_sweep(["0", "0.5"], [0.9, 0.8]), "sparsity")
add("score_sweep", "2d", lambda: cxreval.score_sweep([SPARSITY] * 2, [0.9] * 3), "sparsity")
add(
    "score_sweep",
    "nan-label",
    lambda: cxreval.score_sweep([0, 0.5], [[0, 1, 1], [0, 1, 1]], y_true=[0, 1, np.nan]),
    "y_true contains NaN",
)
add(
    "score_sweep",
    "level",
    lambda: cxreval.score_sweep(SPARSITY, [0.9, 0.9, 0.8], n_cases=10, level=5),
    "level must be",
)

_PATH = xfail_e2("load_report(None) says 'expected str, bytes or os.PathLike', naming no argument")
add("load_report", "none", lambda: cxreval.load_report(None), "path", marks=_PATH)
add("load_report", "number", lambda: cxreval.load_report(3.5), "path", marks=_PATH)


def _report():
    return cxreval.evaluate(Y, P)


add(
    "Report",
    "save-none",
    lambda: _report().save(None),
    "directory",
    marks=xfail_e2("Report.save(None) says 'expected str, bytes or os.PathLike' (no name)"),
)


# r18c: issue 18's log loss, multi-class Brier score and one-vs-one AUC
P3N = P3 / P3.sum(axis=1, keepdims=True)
for _name, _call in (
    ("log_loss", cxreval.log_loss),
    ("brier_score_multiclass", cxreval.brier_score_multiclass),
    ("roc_auc_ovo", cxreval.roc_auc_ovo),
):
    add(_name, "empty", lambda c=_call: c([], np.empty((0, 3))), "(y_true|y_prob|y_score) is")
    add(_name, "length", lambda c=_call: c(Y3[:-1], P3N), "(y_prob|y_score)=60")
    add(_name, "nan", lambda c=_call: c(Y3, np.where(P3N > 0.9, np.nan, P3N)), "contains NaN")
    add(_name, "nan-label", lambda c=_call: c(_nan(Y3), P3N), "y_true contains NaN")
    add(_name, "strings", lambda c=_call: c(Y3, P3N.astype(str)), "must be numeric")
    add(_name, "labels", lambda c=_call: c(Y3, P3N, labels=[0, 1, 2, 3]), "has 3 columns")
add("log_loss", "rows", lambda: cxreval.log_loss(Y3, P3N * 1.1), "y_prob")
add("log_loss", "binary-prob>1", lambda: cxreval.log_loss(Y, P + 0.5), "y_prob must hold")
add("log_loss", "weight", lambda: cxreval.log_loss(Y, P, sample_weight=P[:-1]), "sample_weight")
add("brier_score_multiclass", "1d", lambda: cxreval.brier_score_multiclass(Y, P), "y_prob must")
add("roc_auc_ovo", "average", lambda: cxreval.roc_auc_ovo(Y3, P3N, average="micro"), "average")
add("roc_auc", "weight-length", lambda: cxreval.roc_auc(Y, S, sample_weight=S[:-1]), "sample_wei")
add("roc_curve", "direction", lambda: cxreval.roc_curve(Y, S, direction="up"), "direction must")


def _functions_in_table() -> set[str]:
    return {p.id.split("-", 1)[0] for p in CASES}


def test_the_table_covers_all_of_cxreval():
    listed = _functions_in_table()
    assert not listed & EXCLUDED
    assert listed | EXCLUDED == set(cxreval.__all__), "add new public names to the battery"


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::RuntimeWarning")
@pytest.mark.parametrize(("call", "error", "match"), CASES)
def test_bad_input_is_refused_by_name(call, error, match):
    if match is None:  # an input the function accepts: it must not fail
        call()
        return
    with pytest.raises(error, match=match):
        call()


@pytest.mark.xfail(strict=True, reason="e2: Report.save(force='yes') is accepted, unchecked")
def test_report_save_checks_force(tmp_path):
    with pytest.raises(TypeError, match="force"):
        _report().save(tmp_path / "r", force="yes")


# every interval contains its estimate, for any counts: the closed-form proportion and
# ratio intervals and the bootstrap ones built on them
@settings(max_examples=150, deadline=None)
@given(
    counts=st.tuples(*[st.integers(0, 10**5)] * 4).filter(lambda c: sum(c) > 0),
    level=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
    method=st.sampled_from(["wilson", "clopper-pearson", "agresti-coull", "normal"]),
)
def test_every_closed_form_interval_contains_its_estimate(counts, level, method):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = cxreval.binary_statistics(*counts, zero_division=np.nan)
        intervals = cxreval.binary_intervals(*counts, level=level, ci_method=method)
    for key, (low, high) in intervals.items():
        value = values[key]
        if np.isnan(low) or np.isnan(value):
            continue
        assert low <= value <= high, (key, counts, level, method)
