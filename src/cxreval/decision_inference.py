"""Inference on decision curves: net interventions avoided, and bootstrap intervals of the
net benefit and of the difference in net benefit between two models.

The point estimates are :func:`cxreval.decision_curve`'s (a case is treated when its
probability is ``>= pt``); the intervals come from the one bootstrap engine, every model
read on the same resamples of the patients (paired).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    check_binary_probabilities,
    check_choice,
    check_level,
    check_n_boot,
)
from cxreval._resampling import Resamples, stratum_indices
from cxreval._result import Result
from cxreval.bootstrap import BOOTSTRAP_METHODS, bootstrap_resamples
from cxreval.decision import DecisionCurve, decision_curve

__all__ = [
    "DecisionCurveInterval",
    "InterventionsAvoided",
    "decision_curve_ci",
    "net_benefit_difference",
    "net_interventions_avoided",
]


@dataclass(frozen=True)
class InterventionsAvoided(Result):
    """Net interventions avoided per 100 patients, of each model, per threshold.

    Attributes
    ----------
    thresholds : numpy.ndarray
    avoided : dict of str to numpy.ndarray
        ``(NB_model - NB_treat_all) / (pt / (1 - pt)) * 100`` at each threshold.
    curve : DecisionCurve
        The net benefits it is computed from.
    """

    thresholds: np.ndarray
    avoided: dict[str, np.ndarray]
    curve: DecisionCurve

    plotter = "plot_interventions_avoided"

    def table(self) -> str:
        """Interventions avoided per 100 patients at each threshold."""
        names = list(self.avoided)
        rows = [
            [f"{t:.2f}", *(f"{self.avoided[m][i]:.2f}" for m in names)]
            for i, t in enumerate(self.thresholds)
        ]
        return (
            tabulate(rows, headers=["threshold", *names])
            + "\nnet interventions avoided per 100 patients"
            " = (NB - NB treat all) / (pt/(1-pt)) * 100"
        )


def net_interventions_avoided(
    y_true: Any, y_prob: Any, *, thresholds: Any = None, pos_label: Any = None
) -> InterventionsAvoided:
    """Net interventions avoided per 100 patients, against treating everyone.

    ``(NB_model - NB_treat_all) / (pt / (1 - pt)) * 100`` (Vickers & Elkin, 2006;
    Vickers et al., 2019): how many fewer patients per 100 are treated (e.g. biopsied)
    by following the model, at the same number of true positives, than by treating
    everyone. dcurves reports the same quantity per patient
    (``net_intervention_avoided`` = this / 100). 0 where the model's net benefit equals
    treat-all's.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels (both classes present).
    y_prob : array-like of shape (n,) or mapping of str to array-like
        Predicted probabilities of the positive class, or ``{name: probabilities}``.
    thresholds : array-like, optional
        Threshold probabilities strictly between 0 and 1 (default 0.01, ..., 0.99).
    pos_label : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    InterventionsAvoided

    References
    ----------
    A. J. Vickers and E. B. Elkin, "Decision curve analysis: a novel method for
    evaluating prediction models", Medical Decision Making 26:565-574 (2006);
    A. J. Vickers, B. van Calster and E. W. Steyerberg, "A simple, step-by-step guide to
    interpreting decision curve analysis", Diagnostic and Prognostic Research 3:18 (2019).

    Examples
    --------
    >>> from cxreval.decision_inference import net_interventions_avoided
    >>> res = net_interventions_avoided([0, 0, 1, 1], [0.2, 0.6, 0.7, 0.9], thresholds=[0.5])
    >>> float(res.avoided["model"][0])  # NB 0.25 vs treat-all 0: 25 fewer per 100
    25.0
    """
    curve = decision_curve(y_true, y_prob, thresholds=thresholds, pos_label=pos_label)
    odds = curve.thresholds / (1 - curve.thresholds)
    avoided = {m: (nb - curve.treat_all) / odds * 100 for m, nb in curve.net_benefit.items()}
    return InterventionsAvoided(thresholds=curve.thresholds, avoided=avoided, curve=curve)


@dataclass(frozen=True)
class DecisionCurveInterval(Result):
    """Net benefit (or a difference in net benefit) with bootstrap intervals, per threshold.

    Attributes
    ----------
    thresholds : numpy.ndarray
    estimate, low, high : dict of str to numpy.ndarray
        Per curve (each model, ``"treat all"``; or ``"a - b"`` for a difference) the net
        benefit at each threshold and its interval.
    level : float
    method : str
    n_boot : int
    seed : int or None
    """

    thresholds: np.ndarray
    estimate: dict[str, np.ndarray]
    low: dict[str, np.ndarray]
    high: dict[str, np.ndarray]
    level: float
    method: str
    n_boot: int
    seed: int | None

    plotter = "plot_decision_curve_ci"

    def table(self, max_rows: int = 19) -> str:
        """Each curve's net benefit and interval at up to ``max_rows`` thresholds."""
        step = max(1, int(np.ceil(len(self.thresholds) / max_rows)))
        names = list(self.estimate)
        rows = [
            [f"{self.thresholds[i]:.2f}"]
            + [
                f"{self.estimate[m][i]:.4f} ({self.low[m][i]:.4f} to {self.high[m][i]:.4f})"
                for m in names
            ]
            for i in range(0, len(self.thresholds), step)
        ]
        seed = "" if self.seed is None else f", seed {self.seed}"
        return (
            tabulate(rows, headers=["threshold", *names], disable_numparse=True)
            + f"\n{100 * self.level:g}% intervals, {self.method}{seed}"
        )


def _bootstrap_net_benefit(
    y_true: Any,
    models: dict[str, Any],
    thresholds: Any,
    pos_label: Any,
    difference: bool,
    *,
    level: float,
    n_boot: int,
    stratified: bool,
    bootstrap_method: str,
    random_state: Any,
    progress: bool,
) -> DecisionCurveInterval:
    level = check_level(level)
    n_boot = check_n_boot(n_boot, level)
    check_choice(bootstrap_method, "bootstrap_method", BOOTSTRAP_METHODS)
    checked = []
    for name, prob in models.items():
        if difference:
            label = f"y_prob_{name}"
        else:  # as decision_curve names them
            label = "y_prob" if len(models) == 1 else f"y_prob[{name!r}]"
        checked.append(check_binary_probabilities(y_true, prob, pos_label=pos_label, name=label))
    curve = decision_curve(y_true, models, thresholds=thresholds, pos_label=pos_label)
    grid = curve.thresholds
    is_pos = checked[0][0]
    treated = [p[:, None] >= grid[None, :] for _, p in checked]
    strata = stratum_indices(np.asarray(y_true).ravel() if stratified else None, len(is_pos))
    order = np.concatenate(strata)
    odds = grid / (1 - grid)
    # per model, (n, T) weights: +1 for a treated positive, -odds for a treated negative
    gain = [np.where(is_pos[order, None], 1.0, -odds[None, :]) * t[order] for t in treated]
    all_gain = np.where(is_pos[order, None], 1.0, -odds[None, :])
    every_case = np.arange(len(order))

    def net_benefits(counts: np.ndarray) -> list[np.ndarray]:
        n = counts.sum(axis=1, keepdims=True)
        return [counts @ g / n for g in (*gain, all_gain)]

    def kernel(resamples: Resamples) -> np.ndarray:
        nb = net_benefits(resamples.take(every_case).astype(float))
        return nb[0] - nb[1] if difference else np.hstack(nb)

    once = Resamples([np.arange(len(s))[None] for s in strata])
    res = bootstrap_resamples(
        strata,
        kernel,
        kernel(once)[0],
        n_boot=n_boot,
        stratified=stratified,
        statistic="net benefit difference" if difference else "net benefit",
        level=level,
        bootstrap_method=bootstrap_method,
        random_state=random_state,
        jackknife=None,
        bounds=None,
        progress=progress,
    )
    if difference:
        estimate = {"a - b": curve.net_benefit["a"] - curve.net_benefit["b"]}
    else:
        estimate = {**curve.net_benefit, "treat all": curve.treat_all}
    k = len(grid)
    parts = {key: slice(i * k, (i + 1) * k) for i, key in enumerate(estimate)}
    return DecisionCurveInterval(
        thresholds=grid,
        estimate=estimate,
        low={key: np.atleast_1d(res.low)[s] for key, s in parts.items()},
        high={key: np.atleast_1d(res.high)[s] for key, s in parts.items()},
        level=level,
        method=res.method,
        n_boot=res.n_boot,
        seed=res.seed,
    )


def decision_curve_ci(
    y_true: Any,
    y_prob: Any,
    *,
    thresholds: Any = None,
    level: float = 0.95,
    n_boot: int = 2000,
    stratified: bool = False,
    bootstrap_method: str = "percentile",
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
) -> DecisionCurveInterval:
    """Bootstrap intervals of the net benefit of each model and of treat-all.

    Patients are resampled with replacement (Vickers et al., 2008) and every curve is
    computed on the same resamples; the estimates are :func:`cxreval.decision_curve`'s.
    By default the resampling is not stratified: the prevalence is part of the net
    benefit and varies from sample to sample, so its uncertainty belongs in the interval
    (``stratified=True`` holds it fixed, as in a case-control design).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels (both classes present).
    y_prob : array-like of shape (n,) or mapping of str to array-like
        Predicted probabilities of the positive class, or ``{name: probabilities}``.
    thresholds : array-like, optional
        Threshold probabilities strictly between 0 and 1 (default 0.01, ..., 0.99).
    level : float, default 0.95
        Confidence level.
    n_boot : int, default 2000
        Bootstrap resamples.
    stratified : bool, default False
        Resample positives and negatives separately (fixing the prevalence).
    bootstrap_method : {"percentile", "bca", "basic"}, default "percentile"
        Bootstrap interval method (BCa falls back to percentile: no jackknife here).
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    pos_label : label, optional
        The positive class (default: the larger label).
    progress : bool, default False
        Show a progress bar for the bootstrap.

    Returns
    -------
    DecisionCurveInterval
        Per model and for ``"treat all"``: net benefit with its interval per threshold.

    References
    ----------
    A. J. Vickers, A. M. Cronin, E. B. Elkin and M. Gonen, "Extensions to decision curve
    analysis, a novel method for evaluating diagnostic tests, prediction models and
    molecular markers", BMC Medical Informatics and Decision Making 8:53 (2008).

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.decision_inference import decision_curve_ci
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 200)
    >>> p = np.clip(0.3 * y + rng.uniform(0, 0.7, 200), 0, 1)
    >>> ci = decision_curve_ci(y, p, thresholds=[0.2, 0.5], n_boot=300, random_state=0)
    >>> bool(np.all(ci.low["model"] <= ci.estimate["model"]))
    True
    """
    models = dict(y_prob) if isinstance(y_prob, Mapping) else {"model": y_prob}
    return _bootstrap_net_benefit(
        y_true, models, thresholds, pos_label, False, level=level, n_boot=n_boot,
        stratified=stratified, bootstrap_method=bootstrap_method,
        random_state=random_state, progress=progress,
    )  # fmt: skip


def net_benefit_difference(
    y_true: Any,
    y_prob_a: Any,
    y_prob_b: Any,
    *,
    thresholds: Any = None,
    level: float = 0.95,
    n_boot: int = 2000,
    stratified: bool = False,
    bootstrap_method: str = "percentile",
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
) -> DecisionCurveInterval:
    """Difference in net benefit between two models (a - b), with paired bootstrap intervals.

    Both models are read on the same resamples of the patients (paired), as in
    :func:`decision_curve_ci`; an interval that excludes 0 at a threshold says one model
    is more useful there.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels (both classes present).
    y_prob_a, y_prob_b : array-like of shape (n,)
        Predicted probabilities of the two models for the same patients.
    thresholds : array-like, optional
        Threshold probabilities strictly between 0 and 1 (default 0.01, ..., 0.99).
    level : float, default 0.95
        Confidence level.
    n_boot : int, default 2000
        Bootstrap resamples.
    stratified : bool, default False
        Resample positives and negatives separately (fixing the prevalence).
    bootstrap_method : {"percentile", "bca", "basic"}, default "percentile"
        Bootstrap interval method.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    pos_label : label, optional
        The positive class (default: the larger label).
    progress : bool, default False
        Show a progress bar for the bootstrap.

    Returns
    -------
    DecisionCurveInterval
        One curve, ``"a - b"``: the difference at each threshold with its interval.

    References
    ----------
    A. J. Vickers et al., BMC Medical Informatics and Decision Making 8:53 (2008).

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.decision_inference import net_benefit_difference
    >>> y = np.r_[np.zeros(50), np.ones(50)]
    >>> p = np.clip(0.4 * y + np.linspace(0.1, 0.5, 100), 0, 1)
    >>> d = net_benefit_difference(y, p, p, thresholds=[0.3], n_boot=100, random_state=0)
    >>> d.estimate["a - b"].tolist(), d.low["a - b"].tolist()
    ([0.0], [0.0])
    """
    return _bootstrap_net_benefit(
        y_true, {"a": y_prob_a, "b": y_prob_b}, thresholds, pos_label, True, level=level,
        n_boot=n_boot, stratified=stratified, bootstrap_method=bootstrap_method,
        random_state=random_state, progress=progress,
    )  # fmt: skip
