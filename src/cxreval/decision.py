"""Decision curve analysis: net benefit of acting on a model over threshold probabilities.

At a threshold probability ``pt`` a clinician treats a case when the model's probability
is at least ``pt``; choosing ``pt`` says how many false positives one true positive is
worth (``pt / (1 - pt)``). The net benefit (Vickers & Elkin, 2006) is

    NB(pt) = TP / n - FP / n * pt / (1 - pt),

compared with treating everyone (``prevalence - (1 - prevalence) * pt / (1 - pt)``) and
treating no one (0). The standardized net benefit divides by the prevalence so that 1 is
a perfect model (Kerr et al., 2016).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import check_binary_probabilities, check_probability_grid
from cxreval._result import Result

__all__ = ["DecisionCurve", "decision_curve"]

#: The default grid of threshold probabilities: 0.01, 0.02, ..., 0.99.
DEFAULT_THRESHOLDS = np.round(np.arange(1, 100) / 100, 2)


@dataclass(frozen=True)
class DecisionCurve(Result):
    """Net benefit of one or more models, of treat-all and of treat-none, per threshold.

    Attributes
    ----------
    thresholds : numpy.ndarray
        The threshold probabilities ``pt`` (a case is treated when its probability is
        ``>= pt``).
    net_benefit : dict of str to numpy.ndarray
        Net benefit of each model at each threshold.
    treat_all, treat_none : numpy.ndarray
        Net benefit of treating every case, and of treating none (zeros).
    prevalence : float
        Fraction of positive cases.
    n : int
        Number of cases.
    """

    thresholds: np.ndarray
    net_benefit: dict[str, np.ndarray]
    treat_all: np.ndarray
    treat_none: np.ndarray
    prevalence: float
    n: int

    plotter = "plot_decision_curve"

    @property
    def standardized(self) -> dict[str, np.ndarray]:
        """Standardized net benefit, ``NB / prevalence``, of each model and of treat-all."""
        curves = {name: nb / self.prevalence for name, nb in self.net_benefit.items()}
        curves["treat all"] = self.treat_all / self.prevalence
        return curves

    def useful_thresholds(self, name: str) -> np.ndarray:
        """Thresholds where model ``name`` beats both treat-all and treat-none."""
        if name not in self.net_benefit:
            raise ValueError(f"name must be one of {list(self.net_benefit)}, got {name!r}")
        best_default = np.maximum(self.treat_all, self.treat_none)
        return self.thresholds[self.net_benefit[name] > best_default]

    def table(self, max_rows: int = 19) -> str:
        """Net benefit at up to ``max_rows`` evenly spaced thresholds of the grid, as text."""
        step = max(1, int(np.ceil(len(self.thresholds) / max_rows)))
        rows_at = np.arange(0, len(self.thresholds), step)
        names = list(self.net_benefit)
        rows = [
            [f"{self.thresholds[i]:.2f}"]
            + [f"{self.net_benefit[m][i]:.4f}" for m in names]
            + [f"{self.treat_all[i]:.4f}", "0"]
            for i in rows_at
        ]
        headers = ["threshold", *names, "treat all", "treat none"]
        return (
            tabulate(rows, headers=headers)
            + f"\nnet benefit = TP/n - FP/n * pt/(1-pt); prevalence {self.prevalence:.4f}, "
            f"n {self.n}"
        )


def _net_benefit(is_positive: np.ndarray, prob: np.ndarray, grid: np.ndarray) -> np.ndarray:
    n = len(prob)
    pos = np.sort(prob[is_positive])
    neg = np.sort(prob[~is_positive])
    tp = len(pos) - np.searchsorted(pos, grid, side="left")
    fp = len(neg) - np.searchsorted(neg, grid, side="left")
    return tp / n - fp / n * grid / (1 - grid)


def decision_curve(
    y_true: Any,
    y_prob: Any,
    *,
    thresholds: Any = None,
    pos_label: Any = None,
) -> DecisionCurve:
    """Net benefit of one or several models over a grid of threshold probabilities.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels (both classes present).
    y_prob : array-like of shape (n,) or mapping of str to array-like
        Predicted probability of the positive class, or a ``{name: probabilities}``
        mapping for several models on the same cases (names distinct as strings: they
        key the result).
    thresholds : array-like, optional
        Threshold probabilities strictly between 0 and 1, each once (they are sorted);
        by default 0.01, 0.02, ..., 0.99.
    pos_label : label, optional
        The positive class; by default the larger of the two sorted labels.

    Returns
    -------
    DecisionCurve

    Examples
    --------
    >>> from cxreval import decision_curve
    >>> dc = decision_curve([0, 0, 1, 1], [0.2, 0.6, 0.7, 0.9], thresholds=[0.5])
    >>> float(dc.net_benefit["model"][0])  # TP=2, FP=1: 2/4 - 1/4 * 0.5/0.5
    0.25
    >>> float(dc.treat_all[0])
    0.0
    """
    models = dict(y_prob) if isinstance(y_prob, Mapping) else {"model": y_prob}
    if not models:
        raise ValueError("y_prob is an empty mapping; give at least one model")
    names = [str(name) for name in models]
    if len(set(names)) != len(names):
        raise ValueError(f"y_prob must have distinct model names, got {names}")
    grid = DEFAULT_THRESHOLDS.copy() if thresholds is None else check_probability_grid(thresholds)
    net_benefit = {}
    for name, prob in models.items():
        label = "y_prob" if len(models) == 1 else f"y_prob[{name!r}]"
        is_positive, p = check_binary_probabilities(y_true, prob, pos_label=pos_label, name=label)
        net_benefit[str(name)] = _net_benefit(is_positive, p, grid)
    prevalence = float(is_positive.mean())
    return DecisionCurve(
        thresholds=grid,
        net_benefit=net_benefit,
        treat_all=prevalence - (1 - prevalence) * grid / (1 - grid),
        treat_none=np.zeros_like(grid),
        prevalence=prevalence,
        n=len(is_positive),
    )
