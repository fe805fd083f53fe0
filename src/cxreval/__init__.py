"""cxreval: honest evaluation of chest X-ray classifiers.

Confusion-matrix statistics with confidence intervals, ROC/AUC inference, calibration,
decision curves and a pruning scorer. Pure numpy / scipy / scikit-learn: importing
cxreval never imports tensorflow, keras or cxrzoo, and matplotlib only when drawing.
"""

from cxreval import pruning
from cxreval._version import __version__
from cxreval.bootstrap import BootstrapResult, bootstrap
from cxreval.bootstrap_statistics import bootstrap_statmaker
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
from cxreval.delong import AUCComparison, delong_covariance, delong_test, delong_test_unpaired
from cxreval.intervals import proportion_ci, ratio_ci
from cxreval.multiclass import MulticlassAUC, hand_till_auc, roc_auc_multiclass
from cxreval.operating_point import OperatingPoint, operating_point
from cxreval.report import Comparison, Report, compare, evaluate
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
    "Comparison",
    "DecisionCurve",
    "MulticlassAUC",
    "MulticlassStatistics",
    "OperatingPoint",
    "PRCurve",
    "ROCBand",
    "ROCCurve",
    "ReliabilityCurve",
    "Report",
    "UndefinedStatisticWarning",
    "__version__",
    "average_precision",
    "binary_intervals",
    "binary_statistics",
    "bootstrap",
    "bootstrap_auc_test",
    "bootstrap_statmaker",
    "brier_score",
    "compare",
    "confusion_matrix",
    "decision_curve",
    "delong_covariance",
    "delong_test",
    "delong_test_unpaired",
    "evaluate",
    "hand_till_auc",
    "operating_point",
    "pr_curve",
    "proportion_ci",
    "pruning",
    "ratio_ci",
    "reliability_curve",
    "roc_auc",
    "roc_auc_ci",
    "roc_auc_multiclass",
    "roc_band",
    "roc_curve",
    "statmaker",
    "statmaker_from_predictions",
]
