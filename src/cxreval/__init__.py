"""cxreval: honest evaluation of chest X-ray classifiers.

Confusion-matrix statistics with confidence intervals, ROC/AUC inference, calibration,
decision curves and a pruning scorer. Pure numpy / scipy / scikit-learn: importing
cxreval never imports tensorflow, keras or cxrzoo, and matplotlib only when drawing.
"""

from cxreval import pruning
from cxreval._version import __version__
from cxreval.calibration import ReliabilityCurve, brier_score, reliability_curve
from cxreval.confusion import (
    BinaryStatistics,
    MulticlassStatistics,
    UndefinedStatisticWarning,
    binary_intervals,
    binary_statistics,
    confusion_matrix,
    statmaker,
    statmaker_from_predictions,
)
from cxreval.decision import DecisionCurve, decision_curve
from cxreval.intervals import proportion_ci, ratio_ci

__all__ = [
    "BinaryStatistics",
    "DecisionCurve",
    "MulticlassStatistics",
    "ReliabilityCurve",
    "UndefinedStatisticWarning",
    "__version__",
    "binary_intervals",
    "binary_statistics",
    "brier_score",
    "confusion_matrix",
    "decision_curve",
    "proportion_ci",
    "pruning",
    "ratio_ci",
    "reliability_curve",
    "statmaker",
    "statmaker_from_predictions",
]
