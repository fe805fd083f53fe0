"""cxreval: honest evaluation of chest X-ray classifiers.

Confusion-matrix statistics with confidence intervals, ROC/AUC inference, calibration,
decision curves and a pruning scorer. Pure numpy / scipy / scikit-learn: importing
cxreval never imports tensorflow, keras or cxrzoo, and matplotlib only when drawing.
"""

from cxreval._version import __version__

__all__ = ["__version__"]
