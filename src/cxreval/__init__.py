"""cxreval: honest evaluation of chest X-ray classifiers.

Confusion-matrix statistics with confidence intervals, ROC/AUC inference, calibration,
decision curves and a pruning scorer. Pure numpy / scipy / scikit-learn: importing
cxreval never imports tensorflow, keras or cxrzoo, and matplotlib only when drawing.
"""

from cxreval._version import __version__
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
from cxreval.intervals import proportion_ci, ratio_ci

__all__ = [
    "BinaryStatistics",
    "MulticlassStatistics",
    "UndefinedStatisticWarning",
    "__version__",
    "binary_intervals",
    "binary_statistics",
    "confusion_matrix",
    "proportion_ci",
    "ratio_ci",
    "statmaker",
    "statmaker_from_predictions",
]
