"""The benchmark's evaluation protocol: a row's saved scores -> its threshold and statistics.

The decision threshold is Youden's J on the validation ROC curve (the test prevalence,
62.5 %, differs from the validation split's 74.2 %); the test split gets its AUC with the
DeLong 95 % CI and accuracy, sensitivity, specificity (Wilson 95 % CIs) and F1 at that
threshold. These are the calls :func:`cxrzoo.evaluate` makes (:func:`cxreval.operating_point`
with ``criterion="youden"`` on the validation split, then the statistics at its threshold),
made on *saved scores* rather than on a Keras model: the page is rebuilt from the scores in
``benchmarks/results/pneumoniamnist/`` (rounded to 7 decimals), and the ``combined`` and
``planned`` rows are averages of saved scores with no model at all.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: How the threshold is chosen, as the saved results state it.
THRESHOLD_METHOD = "Youden's J on the validation ROC curve"


def evaluate_scores(
    y_val: np.ndarray, val_scores: np.ndarray, y_test: np.ndarray, test_scores: np.ndarray
) -> dict[str, Any]:
    """Threshold by Youden's J on val; test AUC (DeLong CI) and statistics at it (Wilson
    95 % CIs for accuracy, sensitivity and specificity)."""
    import cxreval

    chosen = cxreval.operating_point(y_val, val_scores, criterion="youden", zero_division=np.nan)
    threshold = chosen.threshold
    val_auc = cxreval.roc_auc_ci(y_val, val_scores)
    auc = cxreval.roc_auc_ci(y_test, test_scores)
    stats = cxreval.statmaker_from_predictions(
        y_test,
        y_score=test_scores,
        threshold=threshold,
        labels=[0, 1],
        pos_label=1,
        zero_division=np.nan,  # ratios this table does not show may be undefined
    )
    return {
        "threshold": threshold,
        "threshold_method": THRESHOLD_METHOD,
        "val": {
            "auc": val_auc.auc,
            "accuracy": chosen.statistics.accuracy,
            "sensitivity": chosen.statistics.recall,
            "specificity": chosen.statistics.specificity,
        },
        "test": {
            "auc": auc.auc,
            "auc_low": auc.low,
            "auc_se": auc.se,
            "auc_high": auc.high,
            "auc_method": auc.method,
            "level": auc.level,
            "accuracy": stats.accuracy,
            "sensitivity": stats.recall,
            "specificity": stats.specificity,
            "f1": stats.f1,
            # the proportions' 95 % intervals, by the method statmaker names
            "accuracy_ci": list(stats.ci["accuracy"]),
            "sensitivity_ci": list(stats.ci["recall"]),
            "specificity_ci": list(stats.ci["specificity"]),
            "proportion_ci_method": stats.ci_methods["accuracy"],
            "confusion_matrix": stats.confusion_matrix.tolist(),
        },
    }


def evaluate_validation(y_val: np.ndarray, val_scores: np.ndarray) -> dict[str, Any]:
    """A validation-only run's score: the validation AUC with its DeLong 95 % CI."""
    import cxreval

    auc = cxreval.roc_auc_ci(y_val, val_scores)
    return {"auc": auc.auc, "auc_low": auc.low, "auc_high": auc.high, "method": auc.method}
