"""A bad-input battery over every public name of :mod:`cxreval` (issue 16).

Each case calls a public function with one bad input -- empty, length mismatch, NaN/inf,
None, strings, object arrays, 2-D for 1-D, a single class, probabilities outside [0, 1],
bad ``n_boot``/``level``/``random_state`` -- and asserts a ValueError or TypeError whose
message names the offending argument (``match=`` on its name). Every name of
``cxreval.__all__`` is either in the table or in :data:`EXCLUDED` with the reason, and
``test_the_table_covers_all_of_cxreval`` fails when a new public name is in neither.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxreval

# Public names that take no user data to check, with the reason.
EXCLUDED = {
    # a constant: the five CheXpert competition findings
    "CHEXPERT_COMPETITION",
    "MultilabelAUC",
    "MultilabelOperatingPoints",
    "SubgroupAudit",
    # result classes: built by the functions of the table, never from user input
    "AUCComparison",
    "AUCInterval",
    "AUCPower",
    "AUCSampleSize",
    "AUCTest",
    "BinaryStatistics",
    "BootstrapResult",
    "ClusteredProportion",
    "Comparison",
    "CurveComparison",
    "DecisionCurve",
    "DecisionCurveInterval",
    "InterventionsAvoided",
    "MulticlassAUC",
    "MulticlassStatistics",
    "MultilabelComparison",
    "MultilabelReport",
    "OperatingPoint",
    "PRCurve",
    "PartialAUCInterval",
    "PatientOverlap",
    "ROCBand",
    "ROCCurve",
    "RateComparison",
    "ReliabilityCurve",
    "SmoothROC",
    "SpecificityBand",
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
G = np.arange(N) // 2  # patient IDs: two images each


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


BOOT = ("level", "n_boot", "random_state")  # the options of a bootstrap
BOOT_GROUPS = (*BOOT, "groups")  # ... of a bootstrap that can resample patients
PERM = ("n_perm", "random_state")  # of a permutation test


def _at(read):
    """``read(y, s, 0.9)``: a ROC curve read at a rate of 0.9."""
    return lambda y, s, **kw: read(y, s, 0.9, **kw)


def _paired(test, **fixed):
    """``test(y, s, S)``: model a's scores ``s`` against ``S`` on the same cases."""
    return lambda y, s, **kw: test(y, s, S, **fixed, **kw)


def _unpaired(test, **fixed):
    """``test(y, s, Y, S)``: the first test set ``(y, s)`` against ``(Y, S)``."""
    return lambda y, s, **kw: test(y, s, Y, S, **fixed, **kw)


def _grouped(function):
    """``function(y, s, groups=G)`` unless the case passes its own ``groups``."""
    return lambda y, s, **kw: function(y, s, **{"groups": G, **kw})


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
        ("level", "n_boot", "random_state", "groups"),
    ),
    "roc_band": (cxreval.roc_band, "y_score", ("level", "n_boot", "random_state", "groups")),
    "operating_point": (
        lambda y, s, **kw: cxreval.operating_point(y, s, **{"n_boot": 2000, **kw}),
        "y_score",
        BOOT_GROUPS,
    ),
    "decision_curve": (cxreval.decision_curve, "y_prob", ("probabilities",)),
    "reliability_curve": (cxreval.reliability_curve, "y_prob", ("level", "probabilities")),
    "brier_score": (cxreval.brier_score, "y_prob", ("probabilities",)),
    "bootstrap_statmaker": (
        lambda y, s, **kw: cxreval.bootstrap_statmaker(y, y_score=s, **kw),
        "y_score",
        BOOT_GROUPS,
    ),
    "statmaker_from_predictions": (
        lambda y, s, **kw: cxreval.statmaker_from_predictions(y, y_score=s, **kw),
        "y_score",
        ("level", "groups"),
    ),
    "delong_covariance": (cxreval.delong_covariance, r"y_scores\[0\]", ()),
    "delong_test": (
        lambda y, s, **kw: cxreval.delong_test(y, s, S, **kw),
        "score_a",
        ("level", "groups"),
    ),
    "bootstrap_auc_test": (
        lambda y, s, **kw: cxreval.bootstrap_auc_test(y, s, S, **kw),
        "score_a",
        ("level", "n_boot", "random_state", "groups"),
    ),
    "delong_test_unpaired": (
        lambda y, s, **kw: cxreval.delong_test_unpaired(y, s, Y, S, **kw),
        "score_a",
        ("level",),
    ),
    "evaluate": (
        lambda y, s, **kw: cxreval.evaluate(y, s, **kw),
        "y_score",
        ("level", "n_boot", "random_state", "probabilities", "multiclass", "groups"),
    ),
    "compare": (
        lambda y, s, **kw: cxreval.compare(y, {"a": s, "b": P}, **kw),
        r"models\['a'\]",
        ("level", "n_boot", "random_state", "probabilities", "groups"),
    ),
    # coords, curve_tests, decision_inference, partial_roc, power, smoothing, clustered
    "sensitivity_at_specificity": (_at(cxreval.sensitivity_at_specificity), "y_score", ()),
    "specificity_at_sensitivity": (_at(cxreval.specificity_at_sensitivity), "y_score", ()),
    "specificity_band": (cxreval.specificity_band, "y_score", BOOT_GROUPS),
    "sensitivity_test": (
        _paired(cxreval.sensitivity_test, at_specificity=0.9),
        "score_a",
        BOOT_GROUPS,
    ),
    "specificity_test": (
        _paired(cxreval.specificity_test, at_sensitivity=0.9),
        "score_a",
        BOOT_GROUPS,
    ),
    "sensitivity_test_unpaired": (
        _unpaired(cxreval.sensitivity_test_unpaired, at_specificity=0.9),
        "score_a",
        BOOT,
    ),
    "specificity_test_unpaired": (
        _unpaired(cxreval.specificity_test_unpaired, at_sensitivity=0.9),
        "score_a",
        BOOT,
    ),
    "venkatraman_test": (_paired(cxreval.venkatraman_test), "score_a", (*PERM, "groups")),
    "venkatraman_test_unpaired": (_unpaired(cxreval.venkatraman_test_unpaired), "score_a", PERM),
    "decision_curve_ci": (cxreval.decision_curve_ci, "y_prob", (*BOOT_GROUPS, "probabilities")),
    "net_benefit_difference": (
        lambda y, s, **kw: cxreval.net_benefit_difference(y, s, P, **kw),
        "y_prob_a",
        (*BOOT_GROUPS, "probabilities"),
    ),
    "net_interventions_avoided": (cxreval.net_interventions_avoided, "y_prob", ("probabilities",)),
    "partial_auc": (cxreval.partial_auc, "y_score", ()),
    "partial_auc_ci": (cxreval.partial_auc_ci, "y_score", BOOT_GROUPS),
    "partial_auc_test": (_paired(cxreval.partial_auc_test), "score_a", BOOT_GROUPS),
    "partial_auc_test_unpaired": (_unpaired(cxreval.partial_auc_test_unpaired), "score_a", BOOT),
    "auc_difference_power_from_scores": (
        _paired(cxreval.auc_difference_power_from_scores),
        "score_a",
        (),
    ),
    "roc_auc_test": (cxreval.roc_auc_test, "y_score", ()),
    "smooth_roc": (cxreval.smooth_roc, "y_score", ()),
    "clustered_auc_covariance": (
        _grouped(cxreval.clustered_auc_covariance),
        r"y_scores\[0\]",
        ("groups",),
    ),
}


def _binary_cases(name, call, score, options):
    good = P if "probabilities" in options else S
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
    if "n_perm" in options:
        put(name, "n_perm=0", lambda: call(Y, good, n_perm=0), "n_perm must be a positive")
        put(name, "n_perm=10", lambda: call(Y, good, n_perm=10), "n_perm=10 is too few")
        put(name, "n_perm-float", lambda: call(Y, good, n_perm=2.5), "n_perm must be")
    if "groups" in options:
        _group_cases(name, lambda groups: call(Y, good, groups=groups), put)


def _group_cases(name, call, put=add):
    """Bad ``groups`` (one patient ID per image) for ``call(groups)``."""
    put(name, "groups-empty", lambda: call([]), "groups is empty")
    put(name, "groups-length", lambda: call(G[:-1]), "groups must hold one cluster ID per")
    put(name, "groups-nan", lambda: call(_nan(G)), "groups contains NaN")
    put(name, "groups-nan-object", lambda: call(_with(G, 3, np.nan)), "groups contains NaN")
    put(name, "groups-none", lambda: call(_with(G, 3, None)), "groups contains None")
    put(name, "groups-mixed", lambda: call(_with(G, 0, "a")), "groups must hold labels of one")
    put(name, "groups-2d", lambda: call(np.c_[G, G]), "groups must be 1-D")
    put(name, "groups-one", lambda: call(np.zeros(N, int)), "groups holds 1 cluster")


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
_group_cases("bootstrap", lambda groups: cxreval.bootstrap(np.mean, np.arange(N), groups=groups))
add(
    "bootstrap",
    "strata-in-cluster",
    lambda: cxreval.bootstrap(np.mean, np.arange(N), groups=G, strata=np.arange(N) % 2),
    "strata must be constant within each cluster",
)
add(
    "roc_auc_ci",
    "groups-multinomial",
    lambda: cxreval.roc_auc_ci(Y, S, ci_method="bootstrap", groups=G, resampling="multinomial"),
    "resampling='multinomial' cannot be combined with groups=",
)
for _label, _groups, _match in (
    ("groups-length", np.arange(59), "groups must hold one cluster ID per image"),
    ("groups-nan", np.r_[np.nan, np.arange(59)], "groups contains NaN"),
    ("groups-one", np.zeros(60), "groups holds 1 cluster"),
):
    add("roc_auc_multiclass", _label,
        lambda g=_groups: cxreval.roc_auc_multiclass(Y3, P3, groups=g), _match)  # fmt: skip
for _side in ("groups_a", "groups_b"):
    add("delong_test_unpaired", f"{_side}-length",
        lambda s=_side: cxreval.delong_test_unpaired(Y, S, Y, S, **{s: G[:-1]}),
        f"{_side} must hold one cluster ID per image")  # fmt: skip
    add("delong_test_unpaired", f"{_side}-none",
        lambda s=_side: cxreval.delong_test_unpaired(Y, S, Y, S, **{s: _with(G, 3, None)}),
        f"{_side} contains None")  # fmt: skip
add("delong_test_unpaired", "groups-shared",
    lambda: cxreval.delong_test_unpaired(Y, S, Y, S, groups_a=G, groups_b=G),
    "groups_a and groups_b share")  # fmt: skip
add("roc_band", "groups-multinomial",
    lambda: cxreval.roc_band(Y, S, groups=G, resampling="multinomial"),
    "resampling='multinomial' cannot be combined with groups=")  # fmt: skip
add("roc_auc_multiclass", "groups-multinomial",
    lambda: cxreval.roc_auc_multiclass(Y3, P3, groups=np.arange(60) // 2, resampling="multinomial"),
    "resampling='multinomial' cannot be combined with groups=")  # fmt: skip
add("roc_auc_ci", "delong-groups-length", lambda: cxreval.roc_auc_ci(Y, S, groups=G[:-1]), "groups")
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

# --- the arguments of the ROC-reading, test, planning and clustered functions --------------
for _name in ("sensitivity_at_specificity", "specificity_at_sensitivity"):
    _rate = _name.split("_")[-1]
    _read = getattr(cxreval, _name)
    add(_name, "rate>1", lambda f=_read: f(Y, S, 1.5), f"{_rate} must hold numbers in")
    add(_name, "rate-nan", lambda f=_read: f(Y, S, [0.5, np.nan]), f"{_rate} must hold numbers")
    add(_name, "rate-str", lambda f=_read: f(Y, S, "0.9"), f"{_rate} must be a number")
    add(_name, "rate-none", lambda f=_read: f(Y, S, None), f"{_rate} must be")
    add(_name, "rate-2d", lambda f=_read: f(Y, S, [[0.5, 0.6]] * 2), f"{_rate} must be 1-D")
    add(_name, "rate-empty", lambda f=_read: f(Y, S, []), f"{_rate} is empty")
add(
    "specificity_band",
    "sensitivities",
    lambda: cxreval.specificity_band(Y, S, sensitivities=[0.5, 1.2]),
    "sensitivities must hold numbers in",
)
add(
    "specificity_band",
    "bootstrap_method",
    lambda: cxreval.specificity_band(Y, S, bootstrap_method="bca"),
    "bootstrap_method must be one of",
)
for _name, _at in (
    ("sensitivity_test", "at_specificity"),
    ("specificity_test", "at_sensitivity"),
    ("sensitivity_test_unpaired", "at_specificity"),
    ("specificity_test_unpaired", "at_sensitivity"),
):
    _test = getattr(cxreval, _name)
    _data = (Y, S, S) if "unpaired" not in _name else (Y, S, Y, S)
    add(_name, "at>1", lambda f=_test, d=_data, a=_at: f(*d, **{a: 1.5}), f"{_at} must hold")
    add(_name, "at-str", lambda f=_test, d=_data, a=_at: f(*d, **{a: "0.9"}), f"{_at} must be")
    add(_name, "at-many", lambda f=_test, d=_data, a=_at: f(*d, **{a: [0.8, 0.9]}), f"{_at} must")
    add(_name, "alternative", lambda f=_test, d=_data, a=_at: f(*d, **{a: 0.9}, alternative="x"),
        "alternative must be one of")  # fmt: skip
    add(_name, "score_b", lambda f=_test, d=_data, a=_at: f(*d[:-1], _nan(S), **{a: 0.9}),
        "score_b contains NaN")  # fmt: skip
add("sensitivity_test_unpaired", "y_true_b", lambda: cxreval.sensitivity_test_unpaired(
    Y, S, np.zeros(N, int), S, at_specificity=0.9), "y_true contains one class")  # fmt: skip
add("venkatraman_test", "score_b", lambda: cxreval.venkatraman_test(Y, S, S[:-1]), "score_b=39")
add(
    "venkatraman_test_unpaired",
    "score_b",
    lambda: cxreval.venkatraman_test_unpaired(Y, S, Y, _inf(S)),
    "score_b contains infinite",
)
for _name in ("decision_curve_ci", "net_benefit_difference", "net_interventions_avoided"):
    _dc = getattr(cxreval, _name)
    _probs = (P, P) if _name == "net_benefit_difference" else (P,)
    add(_name, "thresholds", lambda f=_dc, p=_probs: f(Y, *p, thresholds=[0, 0.5]), "thresholds")
    add(_name, "thresholds-str", lambda f=_dc, p=_probs: f(Y, *p, thresholds=["0.5"]), "thresholds")
    if _name != "net_interventions_avoided":
        add(_name, "bootstrap_method", lambda f=_dc, p=_probs: f(Y, *p, bootstrap_method="x"),
            "bootstrap_method must be one of")  # fmt: skip
add(
    "net_benefit_difference",
    "y_prob_b",
    lambda: cxreval.net_benefit_difference(Y, P, P + 0.5),
    "y_prob_b must hold probabilities",
)
add(
    "decision_curve_ci",
    "models",
    lambda: cxreval.decision_curve_ci(Y, {"a": P, "b": _nan(P)}),
    r"y_prob\['b'\] contains NaN",
)
for _name in ("partial_auc", "partial_auc_ci", "partial_auc_test", "partial_auc_test_unpaired"):
    _pf = getattr(cxreval, _name)
    _data = {"partial_auc": (Y, S), "partial_auc_ci": (Y, S), "partial_auc_test": (Y, S, S)}.get(
        _name, (Y, S, Y, S)
    )
    add(_name, "limits>1", lambda f=_pf, d=_data: f(*d, limits=(0.8, 1.5)), "limits must be two")
    add(_name, "limits-equal", lambda f=_pf, d=_data: f(*d, limits=(0.8, 0.8)), "limits must be")
    add(_name, "limits-nan", lambda f=_pf, d=_data: f(*d, limits=(np.nan, 1)), "limits must be")
    add(_name, "limits-one", lambda f=_pf, d=_data: f(*d, limits=0.8), "limits must be a pair")
    add(_name, "limits-str", lambda f=_pf, d=_data: f(*d, limits=("0.8", 1)), "limits must be a")
    add(_name, "focus", lambda f=_pf, d=_data: f(*d, focus="fpr"), "focus must be one of")
# ci_method="delong" (the DeLong-type interval and tests): its name, its unused bootstrap
# options still checked, and groups= refused by name
for _name, _data in (
    ("partial_auc_ci", (Y, S)),
    ("partial_auc_test", (Y, S, S)),
    ("partial_auc_test_unpaired", (Y, S, Y, S)),
):
    _pf = getattr(cxreval, _name)
    add(_name, "ci_method", lambda f=_pf, d=_data: f(*d, ci_method="wald"),
        "ci_method must be one of")  # fmt: skip
    add(_name, "delong-n_boot", lambda f=_pf, d=_data: f(*d, ci_method="delong", n_boot=0),
        "n_boot")  # fmt: skip
    _group_name = "groups_a" if _name.endswith("unpaired") else "groups"
    add(_name, f"delong-{_group_name}",
        lambda f=_pf, d=_data, g=_group_name: f(*d, ci_method="delong", **{g: G}),
        f'{_group_name} cannot be combined with ci_method="delong"')  # fmt: skip
add("partial_auc_test", "score_b", lambda: cxreval.partial_auc_test(Y, S, _nan(S)), "score_b")
add(
    "partial_auc_test_unpaired",
    "score_b",
    lambda: cxreval.partial_auc_test_unpaired(Y, S, Y, S[:-1]),
    "score_b=39",
)
add("roc_auc_test", "null", lambda: cxreval.roc_auc_test(Y, S, null=1.5), "null must be in")
add("roc_auc_test", "null-str", lambda: cxreval.roc_auc_test(Y, S, null="0.5"), "null must be")
add("roc_auc_test", "alternative", lambda: cxreval.roc_auc_test(Y, S, alternative="x"),
    "alternative must be one of")  # fmt: skip
add("smooth_roc", "n_points", lambda: cxreval.smooth_roc(Y, S, n_points=1), "n_points must be")
add("smooth_roc", "n_points-float", lambda: cxreval.smooth_roc(Y, S, n_points=2.5), "n_points")
add("smooth_roc", "method", lambda: cxreval.smooth_roc(Y, S, method="x"), "method must be one")
add("delong_test", "groups-score_b", lambda: cxreval.delong_test(Y, S, _nan(S), groups=G),
    "score_b contains NaN")  # fmt: skip
add("clustered_auc_covariance", "no-scores", lambda: cxreval.clustered_auc_covariance(Y, groups=G),
    "y_scores")  # fmt: skip

_FROM_SCORES = cxreval.auc_difference_power_from_scores
POWER = {
    "auc_power": lambda **kw: cxreval.auc_power(**{"auc": 0.75, "n_pos": 40, **kw}),
    "auc_difference_power": lambda **kw: cxreval.auc_difference_power(
        **{"auc_a": 0.85, "auc_b": 0.75, "n_pos": 40, **kw}
    ),
    "auc_difference_power_from_scores": lambda **kw: _FROM_SCORES(Y, S, S + Y, **kw),
}
for _name, _call in POWER.items():
    add(_name, "alpha>1", lambda c=_call: c(alpha=1.5), "alpha must be in")
    add(_name, "alpha-str", lambda c=_call: c(alpha="0.05"), "alpha must be a number")
    add(_name, "power>1", lambda c=_call: c(power=1.5, n_pos=None), "power must be in")
    add(_name, "n_pos<0", lambda c=_call: c(n_pos=-5), "n_pos must be a positive")
    add(_name, "n_pos-nan", lambda c=_call: c(n_pos=np.nan), "n_pos must be a positive finite")
    add(_name, "n_pos-str", lambda c=_call: c(n_pos="40"), "n_pos must be a positive number")
    add(_name, "ratio=0", lambda c=_call: c(neg_pos_ratio=0), "neg_pos_ratio must be a positive")
    add(_name, "ratio-inf", lambda c=_call: c(neg_pos_ratio=np.inf), "neg_pos_ratio must be")
    add(_name, "alternative", lambda c=_call: c(alternative="less"), "alternative must be one")
    add(_name, "nothing-to-solve", lambda c=_call: c(alpha=None), "leave exactly one of")
add("auc_power", "auc>1", lambda: cxreval.auc_power(1.5, n_pos=40), "auc must be in")
add("auc_power", "auc-nan", lambda: cxreval.auc_power(np.nan, n_pos=40), "auc must be in")
add("auc_power", "auc<0.5", lambda: cxreval.auc_power(0.4, n_pos=40), "auc must be above 0.5")
add("auc_power", "auc-str", lambda: cxreval.auc_power("0.8", n_pos=40), "auc must be a number")
add("auc_power", "n_neg", lambda: cxreval.auc_power(0.8, n_neg=-1), "n_neg must be a positive")
add("auc_difference_power", "auc_a", lambda: cxreval.auc_difference_power(1.5, 0.7, n_pos=40),
    "auc_a must be in")  # fmt: skip
add("auc_difference_power", "auc_b", lambda: cxreval.auc_difference_power(0.8, None, n_pos=40),
    "auc_b must be a number")  # fmt: skip
add("auc_difference_power", "correlation", lambda: cxreval.auc_difference_power(
    0.8, 0.7, correlation=1.0, n_pos=40), "correlation must be in")  # fmt: skip
add("auc_difference_power", "correlation-str", lambda: cxreval.auc_difference_power(
    0.8, 0.7, correlation="0.5", n_pos=40), "correlation must be a number")  # fmt: skip
add("auc_difference_power_from_scores", "method", lambda: _FROM_SCORES(Y, S, S, method="x"),
    "method must be one of")  # fmt: skip
add("auc_difference_power_from_scores", "score_b", lambda: _FROM_SCORES(Y, S, S.astype(str)),
    "score_b must be numeric")  # fmt: skip
SIZE = cxreval.auc_ci_sample_size
add("auc_ci_sample_size", "auc", lambda: SIZE(1.2, width=0.1), "auc must be in")
add("auc_ci_sample_size", "auc-none", lambda: SIZE(None, width=0.1), "auc must be a number")
add("auc_ci_sample_size", "width", lambda: SIZE(0.8, width=0), "width must be in")
add("auc_ci_sample_size", "width-str", lambda: SIZE(0.8, width="0.1"), "width must be a number")
add("auc_ci_sample_size", "level", lambda: SIZE(0.8, width=0.1, level=95), "level must be in")
add("auc_ci_sample_size", "ratio", lambda: SIZE(0.8, width=0.1, neg_pos_ratio=-1), "neg_pos_ratio")
add("auc_ci_sample_size", "ratio-none", lambda: SIZE(0.8, width=0.1, neg_pos_ratio=None),
    "neg_pos_ratio must be a positive number")  # fmt: skip
add("auc_ci_sample_size", "method", lambda: SIZE(0.8, width=0.1, method="x"), "method must be")
SE = cxreval.hanley_mcneil_se
add("hanley_mcneil_se", "auc", lambda: SE(1.5, 10, 10), "auc must be in")
add("hanley_mcneil_se", "auc-str", lambda: SE("0.8", 10, 10), "auc must be a number")
add("hanley_mcneil_se", "n_pos", lambda: SE(0.8, 0, 10), "n_pos must be a positive")
add("hanley_mcneil_se", "n_pos-none", lambda: SE(0.8, None, 10), "n_pos must be a positive number")
add("hanley_mcneil_se", "n_neg-inf", lambda: SE(0.8, 10, np.inf), "n_neg must be a positive")
add("hanley_mcneil_se", "n_neg-str", lambda: SE(0.8, 10, "10"), "n_neg must be a positive number")


_SP = "statmaker_from_predictions"
K3 = np.arange(N) % 3
add(_SP, "groups-3-classes", lambda: cxreval.statmaker_from_predictions(K3, K3, groups=G),
    "groups= needs a binary problem")  # fmt: skip
add(_SP, "groups-weights",
    lambda: cxreval.statmaker_from_predictions(Y, Y, groups=G, sample_weight=np.ones(N)),
    "groups= cannot be combined with sample_weight")  # fmt: skip

# the unpaired tests: each sample's patients (groups_a, groups_b), none in both
GB = 100 + np.arange(N) // 2  # patients of the second sample, none shared with G
for _name, _test in (
    ("sensitivity_test_unpaired", partial(cxreval.sensitivity_test_unpaired, at_specificity=0.9)),
    ("specificity_test_unpaired", partial(cxreval.specificity_test_unpaired, at_sensitivity=0.9)),
    ("partial_auc_test_unpaired", cxreval.partial_auc_test_unpaired),
    ("venkatraman_test_unpaired", cxreval.venkatraman_test_unpaired),
):
    for _label, _groups, _match in (
        ("groups_a-length", G[:-1], "groups_a must hold one cluster ID per"),
        ("groups_a-nan", _nan(G), "groups_a contains NaN"),
        ("groups_a-none", _with(G, 3, None), "groups_a contains None"),
        ("groups_a-one", np.zeros(N, int), "groups_a holds 1 cluster"),
    ):
        add(_name, _label, lambda t=_test, g=_groups: t(Y, S, Y, S, groups_a=g, groups_b=GB),
            _match)  # fmt: skip
    add(_name, "groups_b-length", lambda t=_test: t(Y, S, Y, S, groups_b=GB[:-1]),
        "groups_b must hold one cluster ID per")  # fmt: skip
    add(_name, "groups-shared", lambda t=_test: t(Y, S, Y, S, groups_a=G, groups_b=G + 19),
        "groups_a and groups_b share 1 patient")  # fmt: skip
add("venkatraman_test_unpaired", "groups-several-images",
    lambda: cxreval.venkatraman_test_unpaired(Y, S, Y, S, groups_a=G),
    "groups_a holds patients with several images")  # fmt: skip


def _clustered_proportion(successes=Y, **kw):
    return cxreval.clustered_proportion_ci(successes, **{"groups": G, **kw})


_CP = "clustered_proportion_ci"
add(_CP, "empty", lambda: _clustered_proportion([]), "successes is empty")
add(_CP, "nan", lambda: _clustered_proportion(_nan(Y)), "successes contains NaN")
add(_CP, "inf", lambda: _clustered_proportion(_inf(Y)), "successes contains infinite")
add(_CP, "none", lambda: _clustered_proportion(_with(Y, 1, None)), "successes must be numeric")
add(_CP, "strings", lambda: _clustered_proportion(Y.astype(str)), "successes must be numeric")
add(_CP, "2d", lambda: _clustered_proportion(np.c_[Y, Y]), "successes must be 1-D")
add(_CP, "not-0/1", lambda: _clustered_proportion(P), "successes must hold 0/1")
add(_CP, "level", lambda: _clustered_proportion(level="0.95"), "level must be a number")
add(_CP, "ci_method", lambda: _clustered_proportion(ci_method="x"), "ci_method must be one of")
_group_cases(_CP, lambda groups: _clustered_proportion(groups=groups))

SPLIT = np.where(np.arange(N) % 4 == 0, "test", "train")
_PO = "patient_overlap"
add(_PO, "empty", lambda: cxreval.patient_overlap([], []), "(groups|split) is empty")
add(_PO, "split-none", lambda: cxreval.patient_overlap(G, _with(SPLIT, 1, None)), "split contains")
add(_PO, "split-nan", lambda: cxreval.patient_overlap(G, _nan(G)), "split contains NaN")
add(_PO, "split-2d", lambda: cxreval.patient_overlap(G, np.c_[SPLIT, SPLIT]), "split must be 1-D")
add(_PO, "split-mixed", lambda: cxreval.patient_overlap(G, _with(SPLIT, 0, 1)), "split must hold")
add(_PO, "one-split", lambda: cxreval.patient_overlap(G, np.full(N, "test")), "split holds one")
for _label, _groups, _match in (
    ("groups-empty", [], "groups is empty"),
    ("groups-length", G[:-1], "groups must hold one cluster ID per"),
    ("groups-nan", _nan(G), "groups contains NaN"),
    ("groups-nan-object", _with(G, 3, np.nan), "groups contains NaN"),
    ("groups-none", _with(G, 3, None), "groups contains None"),
    ("groups-mixed", _with(G, 0, "a"), "groups must hold labels of one"),
    ("groups-2d", np.c_[G, G], "groups must be 1-D"),
):
    add(_PO, _label, lambda g=_groups: cxreval.patient_overlap(g, SPLIT), _match)
add(_PO, "one-patient", lambda: cxreval.patient_overlap(np.zeros(N), SPLIT), None)  # accepted

add("load_report", "none", lambda: cxreval.load_report(None), "path")
add("load_report", "number", lambda: cxreval.load_report(3.5), "path")


# --- many findings per image, subgroups (issue 17) ----------------------------------------
YM, SM = np.c_[Y, Y[::-1]], np.c_[S, S[::-1]]  # two findings
_ML = cxreval.multilabel_auc
add("multilabel_auc", "empty", lambda: _ML(np.zeros((0, 2)), np.zeros((0, 2))), "y_true must be")
add("multilabel_auc", "shape", lambda: _ML(YM, SM[:, :1]), "y_score must have the shape")
add("multilabel_auc", "length", lambda: _ML(YM, SM[:-1]), "y_score must have the shape")
add("multilabel_auc", "label=2", lambda: _ML(np.where(YM == 1, 2, 0), SM), "y_true must hold 1, 0")
add("multilabel_auc", "nan-score", lambda: _ML(YM, np.where(SM > 2, np.nan, SM)), "y_score")
add("multilabel_auc", "strings", lambda: _ML(YM.astype(str), SM), "y_true must be numeric")
add("multilabel_auc", "uncertain", lambda: _ML(YM, SM, uncertain="maybe"), "uncertain must be")
add("multilabel_auc", "groups", lambda: _ML(YM, SM, groups=G[:-1]), "groups must hold")
add("multilabel_auc", "level", lambda: _ML(YM, SM, level=2), "level must be")
add("multilabel_auc", "ci", lambda: _ML(YM, SM, ci="yes"), "ci must be True or False")
add("multilabel_auc", "n_boot", lambda: _ML(YM, SM, ci=True, n_boot=10), "n_boot=10 is too few")
add("multilabel_auc", "seed", lambda: _ML(YM, SM, ci=True, random_state="x"), "random_state")
add("multilabel_auc", "labels", lambda: _ML(YM, SM, labels=["a"]), "labels")
_MOP = cxreval.multilabel_operating_points
add(
    "multilabel_operating_points",
    "val-shape",
    lambda: _MOP(YM, SM, y_true_val=YM[:, :1], y_score_val=SM),
    "y_score_val must have the shape",
)
add(
    "multilabel_operating_points",
    "criterion",
    lambda: _MOP(YM, SM, y_true_val=YM, y_score_val=SM, criterion="x"),
    "criterion must be",
)
_SG = cxreval.subgroup_audit
_SEX = np.arange(N) % 2
add("subgroup_audit", "length", lambda: _SG(Y, S, _SEX[:-1], threshold=0.5), "subgroups must hold")
add("subgroup_audit", "nan", lambda: _SG(Y, S, _nan(_SEX), threshold=0.5), "subgroups contains NaN")
add("subgroup_audit", "threshold", lambda: _SG(Y, S, _SEX, threshold="a"), "threshold must be")
add("subgroup_audit", "score-length", lambda: _SG(Y, S[:-1], _SEX, threshold=0.5), "y_score=39")
add("subgroup_audit", "level", lambda: _SG(Y, S, _SEX, threshold=0.5, level=3), "level must be")
add("subgroup_audit", "groups", lambda: _SG(Y, S, _SEX, threshold=0.5, groups=[1, 2]), "groups")
add("subgroup_audit", "reference", lambda: _SG(Y, S, _SEX, threshold=0.5, reference=7), "reference")
add("age_bands", "negative", lambda: cxreval.age_bands([-1, 30]), "age must hold")
add("age_bands", "nan", lambda: cxreval.age_bands([np.nan, 30]), "age must hold")
add("age_bands", "strings", lambda: cxreval.age_bands(["a", 30]), "age must be numeric")
add("age_bands", "edges", lambda: cxreval.age_bands([10, 30], edges=(40, 20)), "edges must be")


def _report():
    return cxreval.evaluate(Y, P)


# multi-label reports (issue 17): y_true of shape (n, L)
PM = np.c_[P, P[::-1]]
_EV, _CMP = cxreval.evaluate, cxreval.compare
add("evaluate", "ml-1d-score", lambda: _EV(YM, P), "y_true must be 1-D")
add("evaluate", "ml-shape", lambda: _EV(YM, np.c_[PM, P]), "y_score must have the shape")
add("evaluate", "ml-label-2", lambda: _EV(YM * 2, PM), "y_true must hold 1, 0, -1")
add("evaluate", "ml-groups", lambda: _EV(YM, PM, groups=G[:-1]), "groups must hold one")
add("evaluate", "ml-threshold", lambda: _EV(YM, PM, threshold=[0.5]), "threshold must be one")
add("evaluate", "ml-threshold-map", lambda: _EV(YM, PM, threshold={"x": 0.5}), "threshold must")
add("evaluate", "ml-pos_label", lambda: _EV(YM, PM, pos_label=1), "pos_label applies")
add("evaluate", "ml-uncertain", lambda: _EV(YM, PM, uncertain="x"), "uncertain must be")
add("evaluate", "ml-subset", lambda: _EV(YM, PM, subset=["x"]), "subset names findings")
add("evaluate", "ml-labels", lambda: _EV(YM, PM, labels=["a"]), "labels")
add("evaluate", "ml-subgroups", lambda: _EV(YM, PM, subgroups={"s": G[:-1]}), r"subgroups\['s'\]")
add("evaluate", "uncertain-binary", lambda: _EV(Y, P, uncertain="zeros"), "uncertain='zeros'")
add("evaluate", "groups-multiclass", lambda: _EV(Y3, P3, groups=Y3), "groups= is not available")
add("compare", "ml-shape", lambda: _CMP(YM, {"a": PM, "b": P}), r"models\['b'\]")
add("compare", "ml-pos_label", lambda: _CMP(YM, {"a": PM, "b": PM}, pos_label=1), "pos_label")


add(
    "Report",
    "save-none",
    lambda: _report().save(None),
    "directory",
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
