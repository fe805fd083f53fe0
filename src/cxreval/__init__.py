"""cxreval: honest evaluation of chest X-ray classifiers.

Confusion-matrix statistics with confidence intervals, ROC/AUC inference, calibration,
decision curves and a pruning scorer. Pure numpy / scipy / scikit-learn: importing
cxreval never imports tensorflow, keras or cxrzoo, and matplotlib only when drawing.
"""

from cxreval._version import __version__
from cxreval.bootstrap import BootstrapResult, bootstrap
from cxreval.bootstrap_statistics import bootstrap_statmaker
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
from cxreval.delong import AUCComparison, delong_covariance, delong_test, delong_test_unpaired
from cxreval.intervals import proportion_ci, ratio_ci
from cxreval.multiclass import MulticlassAUC, hand_till_auc, roc_auc_multiclass
from cxreval.operating_point import OperatingPoint, operating_point
from cxreval.roc import (
    AUCInterval,
    PRCurve,
    ROCBand,
    ROCCurve,
    average_precision,
    bootstrap_auc_test,
    pr_curve,
    roc_auc,
    roc_auc_ci,
    roc_band,
    roc_curve,
)

__all__ = [
    "AUCComparison",
    "AUCInterval",
    "BinaryStatistics",
    "BootstrapResult",
    "MulticlassAUC",
    "MulticlassStatistics",
    "OperatingPoint",
    "PRCurve",
    "ROCBand",
    "ROCCurve",
    "UndefinedStatisticWarning",
    "__version__",
    "average_precision",
    "binary_intervals",
    "binary_statistics",
    "bootstrap",
    "bootstrap_auc_test",
    "bootstrap_statmaker",
    "confusion_matrix",
    "delong_covariance",
    "delong_test",
    "delong_test_unpaired",
    "hand_till_auc",
    "operating_point",
    "pr_curve",
    "proportion_ci",
    "ratio_ci",
    "roc_auc",
    "roc_auc_ci",
    "roc_auc_multiclass",
    "roc_band",
    "roc_curve",
    "statmaker",
    "statmaker_from_predictions",
]
