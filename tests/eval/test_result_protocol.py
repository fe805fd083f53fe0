"""Every public result of cxreval keeps the one result protocol, and cxreval stays light.

One parametrized test over every public result type: ``to_dict()`` survives
``json.dumps(..., allow_nan=False)`` after the project's own plain-data conversion
(``to_plain(..., json_safe=True)``), ``table()`` and ``str()`` are text, and ``plot()``
returns a matplotlib Axes. A result type exported from :mod:`cxreval` without an example
here fails :func:`test_every_public_result_type_is_covered`.
"""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from tests._helpers import binary_scores, multiclass_probabilities, run_snippet

import cxreval
from cxreval._plain import to_plain
from cxreval._result import Result

Y, S = binary_scores(200, seed=3)
P = 1 / (1 + np.exp(-S))  # probabilities for calibration and decision curves
Y3, P3 = multiclass_probabilities(150, 3, seed=4)

#: One example of each public result type, made by its public function.
EXAMPLES = {
    "BinaryStatistics": lambda: cxreval.statmaker([[50, 10], [5, 60]]),
    "MulticlassStatistics": lambda: cxreval.statmaker([[20, 2, 1], [3, 30, 2], [1, 1, 25]]),
    "ROCCurve": lambda: cxreval.roc_curve(Y, S),
    "PRCurve": lambda: cxreval.pr_curve(Y, S),
    "AUCInterval": lambda: cxreval.roc_auc_ci(Y, S),
    "ROCBand": lambda: cxreval.roc_band(Y, S, n_boot=50, random_state=0),
    "AUCComparison": lambda: cxreval.delong_test(Y, S, S + np.sin(np.arange(200))),
    "MulticlassAUC": lambda: cxreval.roc_auc_multiclass(Y3, P3),
    "OperatingPoint": lambda: cxreval.operating_point(Y, S),
    "BootstrapResult": lambda: cxreval.bootstrap(np.mean, S, n_boot=50, random_state=0),
    "ReliabilityCurve": lambda: cxreval.reliability_curve(Y, P),
    "DecisionCurve": lambda: cxreval.decision_curve(Y, P),
    "SweepResult": lambda: cxreval.score_sweep([0.0, 0.5, 0.9], [0.9, 0.88, 0.7], n_cases=200),
    "Report": lambda: cxreval.evaluate(Y, P, n_boot=50, random_state=0),
    "Comparison": lambda: cxreval.compare(Y, {"a": P, "b": P[::-1]}),
    "MultilabelReport": lambda: cxreval.evaluate(
        np.c_[Y, Y[::-1]], np.c_[P, P[::-1]], labels=["A", "B"], n_boot=50, random_state=0
    ),
    "MultilabelComparison": lambda: cxreval.compare(
        np.c_[Y, Y[::-1]],
        {"a": np.c_[P, P[::-1]], "b": np.c_[P[::-1], P]},
        n_boot=50,
        random_state=0,
        groups=np.arange(200) // 2,
    ),
    "SpecificityBand": lambda: cxreval.specificity_band(Y, S, n_boot=50, random_state=0),
    "RateComparison": lambda: cxreval.sensitivity_test(
        Y, S, S + np.sin(np.arange(200)), at_specificity=0.9, n_boot=50, random_state=0
    ),
    "CurveComparison": lambda: cxreval.venkatraman_test(
        Y, S, S + np.sin(np.arange(200)), n_perm=20, random_state=0
    ),
    "InterventionsAvoided": lambda: cxreval.net_interventions_avoided(Y, P),
    "DecisionCurveInterval": lambda: cxreval.decision_curve_ci(Y, P, n_boot=50, random_state=0),
    "SmoothROC": lambda: cxreval.smooth_roc(Y, S),
    "PartialAUCInterval": lambda: cxreval.partial_auc_ci(Y, S, n_boot=50, random_state=0),
    "AUCPower": lambda: cxreval.auc_power(0.75, n_pos=41, n_neg=72),
    "AUCSampleSize": lambda: cxreval.auc_ci_sample_size(0.8, width=0.1),
    "AUCTest": lambda: cxreval.roc_auc_test(Y, S),
    "ClusteredProportion": lambda: cxreval.clustered_proportion_ci(Y, groups=np.arange(200) // 3),
    "PatientOverlap": lambda: cxreval.patient_overlap(np.arange(200) // 3, np.arange(200) % 2),
    "MultilabelAUC": lambda: cxreval.multilabel_auc(np.c_[Y, Y[::-1]], np.c_[S, S[::-1]]),
    "MultilabelOperatingPoints": lambda: cxreval.multilabel_operating_points(
        np.c_[Y, Y[::-1]],
        np.c_[S, S[::-1]],
        y_true_val=np.c_[Y, Y[::-1]],
        y_score_val=np.c_[S, S[::-1]],
    ),
    "SubgroupAudit": lambda: cxreval.subgroup_audit(Y, S, np.arange(200) % 2, threshold=0.0),
}


def public_result_types() -> set[str]:
    return {
        name
        for name in cxreval.__all__
        if isinstance(getattr(cxreval, name), type) and issubclass(getattr(cxreval, name), Result)
    }


def test_every_public_result_type_is_covered():
    assert public_result_types() == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_result_protocol(name):
    result = EXAMPLES[name]()
    assert type(result).__name__ == name
    plain = to_plain(result.to_dict(), json_safe=True)
    assert isinstance(json.loads(json.dumps(plain, allow_nan=False)), dict)
    assert isinstance(result.table(), str) and result.table()
    assert isinstance(str(result), str) and str(result)
    ax = result.plot()
    try:
        assert isinstance(ax, Axes)
    finally:
        plt.close("all")


def test_import_cxreval_pulls_in_no_framework_and_no_pyplot():
    """``import cxreval`` (and computing with it) loads no deep-learning framework,
    not cxrzoo, and not matplotlib.pyplot (imported only when drawing)."""
    heavy = ("tensorflow", "keras", "torch", "cxrzoo", "matplotlib.pyplot")
    done = run_snippet(
        f"""
        import sys, cxreval, cxreval.sparsity_score, cxreval.report
        cxreval.statmaker([[1, 2], [3, 4]])
        print(sorted(m for m in {heavy!r} if m in sys.modules))
        """,
        check=True,
    )
    assert done.stdout.strip() == "[]"
