"""cxreval: honest evaluation of chest X-ray classifiers.

Confusion-matrix statistics with confidence intervals, ROC/AUC inference, calibration,
decision curves and a pruning scorer. Pure numpy / scipy / scikit-learn: importing
cxreval never imports tensorflow, keras or cxrzoo, and matplotlib only when drawing.
"""

from cxreval import pruning
from cxreval._version import __version__
from cxreval.calibration import ReliabilityCurve, brier_score, reliability_curve
from cxreval.decision import DecisionCurve, decision_curve

__all__ = [
    "DecisionCurve",
    "ReliabilityCurve",
    "__version__",
    "brier_score",
    "decision_curve",
    "pruning",
    "reliability_curve",
]
