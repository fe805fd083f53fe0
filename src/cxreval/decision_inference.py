"""Inference on decision curves: net interventions avoided, and bootstrap intervals of the
net benefit and of the difference in net benefit between two models.

The point estimates are :func:`cxreval.decision_curve`'s (a case is treated when its
probability is ``>= pt``); the intervals come from the one bootstrap engine, every model
read on the same resamples of the patients (paired). With ``groups=`` (patient IDs, when
patients have several images) the patients are resampled with all their images.
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
    check_groups,
    check_level,
    check_n_boot,
)
from cxreval._resampling import Resamples, cluster_units, stratum_indices
from cxreval._result import Result
from cxreval.bootstrap import BOOTSTRAP_METHODS, bootstrap_resamples
from cxreval.decision import DecisionCurve, decision_curve
from cxreval.inference import without_unset_clusters

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
    n_clusters : int or None
        Patients resampled by a cluster bootstrap (``groups=``); None otherwise (and then
        left out of :meth:`to_dict`).
    """

    thresholds: np.ndarray
    estimate: dict[str, np.ndarray]
    low: dict[str, np.ndarray]
    high: dict[str, np.ndarray]
    level: float
    method: str
    n_boot: int
    seed: int | None
    n_clusters: int | None = None

    plotter = "plot_decision_curve_ci"

    def to_dict(self) -> dict[str, Any]:
        """Every field; ``n_clusters`` only when ``groups=`` was given."""
        return without_unset_clusters(super().to_dict())

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
        if self.n_clusters is not None:
            seed += f", {self.n_clusters} patients"
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
    groups: Any,
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
    odds = grid / (1 - grid)
    # per model, (n, T) weights: +1 for a treated positive, -odds for a treated negative
    all_gain = np.where(is_pos[:, None], 1.0, -odds[None, :])
    gain = [all_gain * t for t in treated]
    if groups is None:
        strata = stratum_indices(np.asarray(y_true).ravel() if stratified else None, len(is_pos))
        units, n_clusters = np.concatenate(strata), None  # unit k: the k-th case in order
        weights = [g[units] for g in (*gain, all_gain)]
        sizes = np.ones(len(units))
    else:  # unit k: patient k, the sums over their images
        codes, ids = check_groups(groups, len(is_pos))
        n_clusters, stratified = len(ids), False
        strata, units = [np.arange(n_clusters)], cluster_units(codes)
        weights = [np.zeros((n_clusters, len(grid))) for _ in range(len(gain) + 1)]
        for w, g in zip(weights, (*gain, all_gain), strict=True):
            np.add.at(w, units, g)
        sizes = np.bincount(units, minlength=n_clusters).astype(float)
    every_unit = np.arange(len(sizes))

    def net_benefits(counts: np.ndarray) -> list[np.ndarray]:
        n = (counts @ sizes)[:, None]
        return [counts @ w / n for w in weights]

    def kernel(resamples: Resamples) -> np.ndarray:
        nb = net_benefits(resamples.take(every_unit).astype(float))
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
        n_clusters=n_clusters,
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
        n_clusters=n_clusters,
    )


_GROUPS = """    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image, at least two distinct: a cluster bootstrap.
        Patients are resampled with replacement and all their images taken (Davison &
        Hinkley 1997, section 3.8; Field & Welsh 2007); a resample's net benefit is over
        its images. Unstratified (``stratified`` is not used). With one image per patient
        the numbers are those of the unstratified bootstrap, bit for bit with the same
        seed. The result records ``n_clusters``."""

_GROUPS_REFERENCE = """
    C. A. Field and A. H. Welsh, "Bootstrapping clustered data", Journal of the Royal
    Statistical Society B 69 (2007) 369-390.""".lstrip("\n")


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
    groups: Any = None,
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
    {groups}

    Returns
    -------
    DecisionCurveInterval
        Per model and for ``"treat all"``: net benefit with its interval per threshold.

    References
    ----------
    A. J. Vickers, A. M. Cronin, E. B. Elkin and M. Gonen, "Extensions to decision curve
    analysis, a novel method for evaluating diagnostic tests, prediction models and
    molecular markers", BMC Medical Informatics and Decision Making 8:53 (2008).
    {reference}

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
    >>> cb = decision_curve_ci(y, p, thresholds=[0.2, 0.5], n_boot=300, random_state=0,
    ...                        groups=np.arange(200) // 4)
    >>> cb.method, cb.n_clusters
    ('cluster bootstrap (percentile, B=300)', 50)
    """
    models = dict(y_prob) if isinstance(y_prob, Mapping) else {"model": y_prob}
    return _bootstrap_net_benefit(
        y_true, models, thresholds, pos_label, False, level=level, n_boot=n_boot,
        stratified=stratified, bootstrap_method=bootstrap_method,
        random_state=random_state, progress=progress, groups=groups,
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
    groups: Any = None,
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
    {groups}

    Returns
    -------
    DecisionCurveInterval
        One curve, ``"a - b"``: the difference at each threshold with its interval.

    References
    ----------
    A. J. Vickers et al., BMC Medical Informatics and Decision Making 8:53 (2008).
    {reference}

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
        random_state=random_state, progress=progress, groups=groups,
    )  # fmt: skip


for _function in (decision_curve_ci, net_benefit_difference):
    _function.__doc__ = _function.__doc__.replace("    {groups}", _GROUPS).replace(
        "    {reference}", _GROUPS_REFERENCE
    )
