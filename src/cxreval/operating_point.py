"""Operating points: choosing a decision threshold on a ROC curve.

A case is called positive when ``score >= threshold`` -- the rule of
:func:`cxreval.statmaker_from_predictions` -- so the confusion matrix at a chosen threshold
is exactly the one statmaker builds from the same threshold. Candidate thresholds are the
distinct scores, plus one just above the highest score (everything called negative).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cxreval._checks import (
    check_binary_scores,
    check_choice,
    check_level,
    check_n_boot,
    check_random_state,
    check_target,
)
from cxreval._result import Result
from cxreval.bootstrap_statistics import bootstrap_statmaker
from cxreval.curves import threshold_counts
from cxreval.statmaker import statmaker, statmaker_from_predictions

__all__ = ["CRITERIA", "OperatingPoint", "operating_point"]

#: Threshold criteria: Youden's J, a target sensitivity or specificity, closest to (0, 1).
CRITERIA = ("youden", "sensitivity", "specificity", "closest_topleft")

#: Differences below this are rounding, not a better point (rates differ by >= 1/(n1 n0)).
_TIE = 1e-13


@dataclass(frozen=True)
class OperatingPoint(Result):
    """A decision threshold on a ROC curve and the confusion matrix there.

    Attributes
    ----------
    threshold : float
        Cases with ``score >= threshold`` are called positive.
    criterion : str
        How the threshold was chosen (see :data:`CRITERIA`).
    target : float or None
        The sensitivity or specificity asked for.
    sensitivity, specificity : float
    confusion_matrix : ndarray of shape (2, 2)
        ``[[TN, FP], [FN, TP]]`` at the threshold.
    positive : label
    statistics : BinaryStatistics
        Every statmaker statistic at the threshold, with its closed-form interval
        (clustered, with ``n_clusters`` recorded, when ``groups=`` was given).
    bootstrap : dict of str to BootstrapResult or None
        Bootstrap intervals of the statistics at this threshold (when ``n_boot`` was given;
        a cluster bootstrap with ``groups=``).
    """

    threshold: float
    criterion: str
    target: float | None
    sensitivity: float
    specificity: float
    confusion_matrix: np.ndarray
    positive: Any
    statistics: Any
    bootstrap: dict | None = field(default=None, repr=False, compare=False)

    plotter = "plot_operating_point"

    def table(self) -> str:
        """The threshold and its rates, then statmaker's table at the threshold."""
        goal = "" if self.target is None else f" >= {self.target:g}"
        return (
            f"operating point by {self.criterion}{goal}: threshold {self.threshold:.6g} "
            f"(sensitivity {self.sensitivity:.4f}, specificity {self.specificity:.4f})\n"
            f"{self.statistics.table()}"
        )


def operating_point(
    y_true: Any,
    y_score: Any,
    *,
    criterion: str = "youden",
    target: float | None = None,
    pos_label: Any = None,
    level: float = 0.95,
    ci_method: str = "wilson",
    zero_division: str | float = "warn",
    n_boot: int | None = None,
    random_state: Any = None,
    groups: Any = None,
) -> OperatingPoint:
    """Choose a decision threshold and return it with the statmaker statistics there.

    Criteria (ties go to the highest threshold, i.e. the fewest positive calls):

    ``"youden"``
        maximum of Youden's J = sensitivity + specificity - 1;
    ``"sensitivity"``
        the highest threshold whose sensitivity is at least ``target`` (the most
        specific such point);
    ``"specificity"``
        the lowest threshold whose specificity is at least ``target`` (the most
        sensitive such point);
    ``"closest_topleft"``
        minimum of (1 - sensitivity)^2 + (1 - specificity)^2, pROC's "closest.topleft".

    Parameters
    ----------
    y_true, y_score : array-like of shape (n,)
        Binary labels and finite scores.
    criterion : {"youden", "sensitivity", "specificity", "closest_topleft"}
    target : float, optional
        Required sensitivity or specificity for those criteria.
    pos_label : label, optional
        The positive class (default: the larger label).
    level : float, default 0.95
        Level of the statmaker intervals.
    ci_method : str, default "wilson"
        Interval method of the statmaker proportions.
    zero_division : {"warn", 0.0, 1.0, numpy.nan}, default "warn"
        Value of a statmaker statistic whose denominator is zero (see
        :func:`cxreval.statmaker`).
    n_boot : int, optional
        Also give every statistic a stratified bootstrap interval at the chosen threshold
        (:func:`cxreval.bootstrap_statmaker`; the threshold is held fixed): at least
        ``2 / (1 - level) - 1`` (39 at 95 %), a warning below 1000.
    random_state : None, int or numpy.random.Generator
        Seed of that bootstrap.
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image. The threshold is chosen as without it (the
        criteria read the image-level ROC curve); the intervals account for the patients:
        the closed-form ones are the clustered intervals of
        :func:`cxreval.statmaker_from_predictions` with ``groups=`` (Rao & Scott 1992), and
        the bootstrap resamples patients (:func:`cxreval.bootstrap_statmaker` with
        ``groups=``; Field & Welsh 2007). With one image per patient the closed-form
        intervals equal those without ``groups`` and the bootstrap equals the
        unstratified one (``stratified=False``), bit for bit with the same seed.

    Returns
    -------
    OperatingPoint
        The threshold, its rates and confusion matrix, and the statmaker statistics.

    Examples
    --------
    >>> from cxreval import operating_point
    >>> y = [0, 0, 0, 1, 1, 1]
    >>> s = [0.1, 0.3, 0.6, 0.4, 0.7, 0.9]
    >>> op = operating_point(y, s)
    >>> op.threshold, round(op.sensitivity, 4), op.specificity
    (0.7, 0.6667, 1.0)
    >>> round(op.statistics.youden_j, 4), op.confusion_matrix.tolist()
    (0.6667, [[3, 0], [1, 2]])
    >>> operating_point(y, s, criterion="sensitivity", target=1.0).threshold
    0.4

    Two images per patient, patients resampled:

    >>> import numpy as np
    >>> y2 = (np.cos(np.arange(120)) > 0).astype(int)
    >>> s2 = y2 + np.sin(np.arange(120))
    >>> op = operating_point(y2, s2, groups=np.arange(120) // 2, n_boot=1000, random_state=0)
    >>> op.statistics.n_clusters, op.bootstrap["recall"].method
    (60, 'cluster bootstrap (percentile, B=1000)')

    References
    ----------
    J. N. K. Rao and A. J. Scott, "A simple method for the analysis of clustered binary
    data", Biometrics 48 (1992) 577-585. C. A. Field and A. H. Welsh, "Bootstrapping
    clustered data", Journal of the Royal Statistical Society B 69 (2007) 369-390.
    """
    criterion = check_choice(criterion, "criterion", CRITERIA)
    target = check_target(criterion, target)
    level = check_level(level)
    if n_boot is not None:
        n_boot = check_n_boot(n_boot, level, warn=False)  # bootstrap_statmaker warns
        check_random_state(random_state)
    is_pos, score, positive = check_binary_scores(y_true, y_score, pos_label)
    fps, tps, thresholds = threshold_counts(is_pos, score)
    # one more candidate just above the highest score: everything called negative
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    thresholds = np.r_[np.nextafter(thresholds[0], np.inf), thresholds]
    n_pos, n_neg = tps[-1], fps[-1]
    sens, spec = tps / n_pos, 1.0 - fps / n_neg
    # ties (up to rounding) go to the first candidate, the highest threshold
    if criterion == "youden":
        j = sens + spec - 1.0
        best = int(np.argmax(j >= j.max() - _TIE))
    elif criterion == "closest_topleft":
        d = (1.0 - sens) ** 2 + (1.0 - spec) ** 2
        best = int(np.argmax(d <= d.min() + _TIE))
    elif criterion == "sensitivity":
        best = int(np.argmax(sens >= target - _TIE))
    else:
        best = int(np.flatnonzero(spec >= target - _TIE)[-1])
    tp, fp = int(tps[best]), int(fps[best])
    matrix = np.array([[int(n_neg) - fp, fp], [int(n_pos) - tp, tp]])
    negative = next(v for v in np.unique(np.asarray(y_true)).tolist() if v != positive)
    threshold = float(thresholds[best])
    boot = None
    if n_boot is not None:
        boot = bootstrap_statmaker(
            is_pos,
            y_score=score,
            threshold=threshold,
            pos_label=True,
            n_boot=n_boot,
            level=level,
            random_state=random_state,
            groups=groups,
        )
    settings = {"level": level, "ci_method": ci_method, "zero_division": zero_division}
    if groups is None:
        statistics = statmaker(matrix, labels=[negative, positive], pos_label=positive, **settings)
    else:
        labels = np.where(is_pos, positive, negative)
        called = np.where(score >= threshold, positive, negative)
        statistics = statmaker_from_predictions(
            labels, called, labels=[negative, positive], pos_label=positive, groups=groups,
            **settings,
        )  # fmt: skip
    return OperatingPoint(
        threshold=threshold,
        criterion=criterion,
        target=target,
        sensitivity=float(sens[best]),
        specificity=float(spec[best]),
        confusion_matrix=matrix,
        positive=positive,
        statistics=statistics,
        bootstrap=boot,
    )
