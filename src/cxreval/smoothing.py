"""Smoothed ROC curves: the binormal fit to an empirical ROC curve and its AUC.

The binormal model says that some monotone transformation of the scores is normal in both
classes, so that ``sensitivity = Phi(a + b * Phi^-1(fpr))`` and
``AUC = Phi(a / sqrt(1 + b^2))`` (Dorfman & Alf 1969; Metz, Herman & Shen 1998). The fit is
pROC's ``smooth(roc, method="binormal")``: an ordinary least-squares line through the
probits of the empirical ROC points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri
from tabulate import tabulate

from cxreval._checks import check_binary_scores, check_choice, check_positive_int
from cxreval._result import Result
from cxreval.curves import threshold_counts

__all__ = ["SMOOTHING_METHODS", "SmoothROC", "binormal_fit", "smooth_roc"]

#: The smoothing methods of :func:`smooth_roc` (``method=``).
SMOOTHING_METHODS = ("binormal",)


@dataclass(frozen=True)
class SmoothROC(Result):
    """A binormal smoothed ROC curve.

    ``tpr = Phi(a + b * Phi^-1(fpr))``; equivalently pROC's regression line
    ``Phi^-1(specificity) = intercept + slope * Phi^-1(sensitivity)`` with
    ``a = -intercept / slope`` and ``b = -1 / slope``.

    Attributes
    ----------
    auc : float
        ``Phi(a / sqrt(1 + b^2))``, the area under the smoothed curve.
    a, b : float
        Binormal intercept and slope (``a = (mu_pos - mu_neg) / sigma_pos``,
        ``b = sigma_neg / sigma_pos`` on the normalizing scale).
    intercept, slope : float
        The least-squares line of ``Phi^-1(specificity)`` on ``Phi^-1(sensitivity)``
        (pROC's ``smooth(...)$model`` coefficients).
    fpr, tpr : ndarray
        The smoothed curve at ``n_points`` sensitivities evenly spaced on [0, 1]
        (pROC's grid), false positive rate increasing.
    n_fit_points : int
        Empirical ROC points with both probits finite that the line was fitted to.
    method : str
    n_pos, n_neg : int
    positive : label
    """

    auc: float
    a: float
    b: float
    intercept: float
    slope: float
    fpr: np.ndarray
    tpr: np.ndarray
    n_fit_points: int
    method: str
    n_pos: int
    n_neg: int
    positive: Any

    plotter = "plot_smooth_roc"

    def sensitivity(self, specificity: Any) -> np.ndarray:
        """Sensitivity of the smoothed curve at the given specificities (closed form)."""
        sp = np.asarray(specificity, dtype=float)
        return ndtr(self.a + self.b * ndtri(1.0 - sp))

    def specificity(self, sensitivity: Any) -> np.ndarray:
        """Specificity of the smoothed curve at the given sensitivities (closed form)."""
        se = np.asarray(sensitivity, dtype=float)
        return ndtr(self.intercept + self.slope * ndtri(se))

    def table(self) -> str:
        """The fitted parameters and the AUC as a text table."""
        rows = [
            ["smoothed AUC", f"{self.auc:.4f}"],
            ["binormal a, b", f"{self.a:.4f}, {self.b:.4f}"],
            ["points fitted", str(self.n_fit_points)],
            ["positives, negatives", f"{self.n_pos}, {self.n_neg}"],
        ]
        return tabulate(rows, disable_numparse=True) + f"\nmethod: {self.method}"

    def __str__(self) -> str:
        return (
            f"smoothed ROC curve, AUC {self.auc:.4f} "
            f"(a {self.a:.4f}, b {self.b:.4f}, {self.method})"
        )


def binormal_fit(is_pos: np.ndarray, score: np.ndarray) -> tuple[float, float, int]:
    """``(intercept, slope, n_points)`` of pROC's binormal fit: the least-squares line of
    ``Phi^-1(specificity)`` on ``Phi^-1(sensitivity)`` over the empirical ROC points (one
    per distinct score) whose probits are both finite (inputs already checked)."""
    fps, tps, _ = threshold_counts(is_pos, score)
    se = tps / is_pos.sum()
    sp = 1.0 - fps / (~is_pos).sum()
    keep = (se > 0) & (se < 1) & (sp > 0) & (sp < 1)
    if keep.sum() < 2:
        raise ValueError(
            "the ROC curve cannot be smoothed: fewer than 2 of its points have a "
            "sensitivity and a specificity strictly between 0 and 1"
        )
    x, y = ndtri(se[keep]), ndtri(sp[keep])
    if np.ptp(x) == 0:
        raise ValueError("the ROC curve cannot be smoothed: all its points share one sensitivity")
    slope, intercept = np.polyfit(x, y, 1)
    return float(intercept), float(slope), int(keep.sum())


def smooth_roc(
    y_true: Any,
    y_score: Any,
    *,
    method: str = "binormal",
    n_points: int = 512,
    pos_label: Any = None,
) -> SmoothROC:
    """Binormal smoothed ROC curve and its AUC, as pROC's ``smooth(method="binormal")``.

    The empirical ROC curve has one point per distinct score. Its points with sensitivity
    and specificity strictly between 0 and 1 are mapped to probits and a straight line
    ``Phi^-1(sp) = intercept + slope * Phi^-1(se)`` is fitted by ordinary least squares
    (pROC's ``lm(qnorm(sp) ~ qnorm(se))``). In the usual binormal form
    ``se = Phi(a + b * Phi^-1(1 - sp))`` that is ``a = -intercept / slope`` and
    ``b = -1 / slope``, and the smoothed AUC is ``Phi(a / sqrt(1 + b^2))`` (Dorfman & Alf
    1969), which is pROC's ``auc(smooth(roc))``. This is a least-squares fit of the
    curve, not the maximum-likelihood fit of ROCKIT (Metz, Herman & Shen 1998).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    method : {"binormal"}, default "binormal"
        The smoothing model.
    n_points : int, default 512
        Points of the returned curve (pROC's ``n``), at sensitivities evenly spaced on
        [0, 1].
    pos_label : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    SmoothROC
        The fitted line, the binormal ``a`` and ``b``, the smoothed curve and its AUC.

    References
    ----------
    Dorfman D. D. & Alf E. (1969), *J Math Psychol* 6:487-496. Robin X. et al. (2011),
    "pROC", *BMC Bioinformatics* 12:77.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.smoothing import smooth_roc
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(200), np.ones(200)]
    >>> s = np.r_[rng.normal(0, 1, 200), rng.normal(1.5, 1, 200)]
    >>> smooth = smooth_roc(y, s)
    >>> round(smooth.auc, 2)  # the population's: Phi(1.5 / sqrt 2) = 0.86
    0.84
    >>> len(smooth.fpr)
    512
    """
    method = check_choice(method, "method", SMOOTHING_METHODS)
    n_points = check_positive_int(n_points, "n_points")
    if n_points < 2:
        raise ValueError(f"n_points must be at least 2, got {n_points}")
    is_pos, score, positive = check_binary_scores(y_true, y_score, pos_label)
    intercept, slope, n_fit = binormal_fit(is_pos, score)
    a, b = -intercept / slope, -1.0 / slope
    tpr = np.linspace(0.0, 1.0, n_points)
    with np.errstate(invalid="ignore"):  # 0 * inf at the ends when the slope is 0
        fpr = 1.0 - ndtr(intercept + slope * ndtri(tpr))
    return SmoothROC(
        auc=float(ndtr(a / np.sqrt(1.0 + b * b))),
        a=float(a),
        b=float(b),
        intercept=intercept,
        slope=slope,
        fpr=fpr,
        tpr=tpr,
        n_fit_points=n_fit,
        method="binormal (least squares on probits, as pROC)",
        n_pos=int(is_pos.sum()),
        n_neg=int((~is_pos).sum()),
        positive=positive,
    )
