"""Choosing a sparsity level from a pruning sweep, without rewarding a broken model.

Report 002 (Gupta, Mishra & Yang) pruned SZANet at several sparsities and chose the level with
the highest "score", the mean of sparsity and accuracy (its Table A1). That score rewards
sparsity as much as accuracy, so a model pruned into answering one class for every image
can outscore a working one. :func:`score_sweep` computes that score (``rule="mean"``) and
two rules that do not fall for it, and marks degenerate levels, which no rule chooses.

It only needs numbers (or per-level predictions): it never imports a deep-learning
framework.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    check_array_1d,
    check_fraction,
    check_labels,
    check_level,
    check_positive_int,
    check_prevalence,
)
from cxreval._result import Result
from cxreval.intervals import proportion_ci

__all__ = ["SweepResult", "score_sweep"]

_RULES = ("mean", "weighted", "tolerance")


@dataclass(frozen=True)
class SweepResult(Result):
    """Scores of the levels of a pruning sweep and the level chosen.

    Attributes
    ----------
    sparsity, metric : numpy.ndarray
        Fraction of weights removed, and accuracy, per level (in the order given).
    scores : numpy.ndarray
        The rule's score per level (higher is better). ``"mean"``: ``(sparsity +
        metric) / 2``; ``"weighted"``: ``weight * metric + (1 - weight) * sparsity``;
        ``"tolerance"``: the margin ``metric - (dense - delta)`` (with ``level``: the
        interval's lower bound in place of ``metric``), >= 0 when the level is within
        tolerance.
    rule : str
        ``"mean"``, ``"weighted"`` or ``"tolerance"``.
    best_sparsity : float or None
        The sparsity chosen; None when every level is degenerate or out of tolerance.
    best_index : int or None
        Its position in ``sparsity``.
    degenerate : numpy.ndarray of bool
        Levels no rule may choose.
    reasons : tuple of str
        Why each level is degenerate (empty string when it is not).
    baseline : float or None
        Accuracy of answering the most frequent class for everything (from
        ``prevalence``); None when the prevalence is unknown.
    ci_low, ci_high : numpy.ndarray or None
        Wilson interval of each level's accuracy at ``level`` (None without ``level``).
    params : dict
        The rule's parameters (``weight``; ``dense``, ``delta``), ``level``,
        ``n_cases`` and ``ci_method``.
    """

    sparsity: np.ndarray
    metric: np.ndarray
    scores: np.ndarray
    rule: str
    best_sparsity: float | None
    best_index: int | None
    degenerate: np.ndarray
    reasons: tuple[str, ...]
    baseline: float | None
    ci_low: np.ndarray | None
    ci_high: np.ndarray | None
    params: dict[str, Any]

    plotter = "plot_sweep"

    def table(self) -> str:
        """One row per level: sparsity, accuracy (with CI), score and a note."""
        has_ci = self.ci_low is not None
        rows = []
        for i, (s, m, sc) in enumerate(zip(self.sparsity, self.metric, self.scores, strict=True)):
            note = "chosen" if i == self.best_index else ""
            if self.degenerate[i]:
                note = f"degenerate: {self.reasons[i]}"
            row = [f"{s:.2f}", f"{m:.4f}"]
            if has_ci:
                row.append(f"[{self.ci_low[i]:.4f}, {self.ci_high[i]:.4f}]")
            rows.append([*row, f"{sc:.4f}", note])
        headers = ["sparsity", "accuracy"]
        if has_ci:
            headers.append(f"wilson {self.params['level']:.0%} CI")
        headers += [f"score ({self.rule})", ""]
        chosen = "none" if self.best_sparsity is None else f"{self.best_sparsity:g}"
        return tabulate(rows, headers=headers) + f"\nchosen sparsity: {chosen}"


def _from_predictions(
    predictions: Any, y_true: Any, n_levels: int
) -> tuple[np.ndarray, list[str], np.ndarray, int]:
    """Accuracy per level, constant-prediction reasons, class fractions and n."""
    truth = check_array_1d(y_true, "y_true")
    check_labels(truth, "y_true")  # NaN or None is no label
    classes, counts = np.unique(truth, return_counts=True)
    try:
        preds = np.asarray(predictions)
    except Exception as exc:
        raise ValueError(f"metric (per-level predictions) could not be read: {exc}") from exc
    if preds.ndim != 2 or preds.shape != (n_levels, len(truth)):
        raise ValueError(
            "with y_true=, metric must hold per-level predictions of shape "
            f"(n_levels, n_cases) = ({n_levels}, {len(truth)}), got shape {preds.shape}"
        )
    unknown = np.setdiff1d(np.unique(preds), classes)
    if unknown.size:
        raise ValueError(
            f"metric (per-level predictions) holds labels not in y_true: {unknown.tolist()[:5]}"
        )
    accuracy = (preds == truth).mean(axis=1)
    reasons = [
        f"constant predictions (every case {row[0].item()!r})" if np.all(row == row[0]) else ""
        for row in (preds[i] for i in range(n_levels))
    ]
    return accuracy, reasons, counts / counts.sum(), len(truth)


def score_sweep(
    sparsity: Any,
    metric: Any,
    *,
    rule: str = "mean",
    y_true: Any = None,
    prevalence: Any = None,
    n_cases: int | None = None,
    weight: float = 0.75,
    dense: float | None = None,
    delta: float = 0.02,
    level: float | None = None,
) -> SweepResult:
    """Score the levels of a pruning sweep and choose one.

    Parameters
    ----------
    sparsity : array-like of shape (n_levels,)
        Fraction of weights removed at each level, in [0, 1), all different.
    metric : array-like
        The accuracy at each level, shape (n_levels,); or, when ``y_true`` is given, the
        predicted labels at each level, shape (n_levels, n_cases).
    rule : {"mean", "weighted", "tolerance"}, default "mean"
        ``"mean"``: 002's score ``(sparsity + accuracy) / 2``, highest wins.
        ``"weighted"``: ``weight * accuracy + (1 - weight) * sparsity``, highest wins.
        ``"tolerance"``: the highest sparsity whose accuracy stays within ``delta`` of
        the dense model's, judged on the accuracy or, with ``level``, on the lower bound
        of its Wilson interval.
    y_true : array-like of shape (n_cases,), optional
        True labels; makes ``metric`` per-level predictions. Constant predictions then
        mark a level degenerate, and the class fractions and ``n_cases`` come from it.
    prevalence : float or sequence of float, optional
        Fraction of positive cases (binary), or every class's fraction. A level whose
        accuracy is no better than answering the most frequent class for everything
        (``max`` of the fractions) is degenerate. Not with ``y_true``.
    n_cases : int, optional
        Number of test cases behind each accuracy; needed for ``level`` without ``y_true``.
    weight : float, default 0.75
        Weight of accuracy in ``rule="weighted"`` (0.5 is the mean rule).
    dense : float, optional
        Accuracy of the unpruned model for ``rule="tolerance"``; by default the accuracy
        at sparsity 0, which must then be in the sweep.
    delta : float, default 0.02
        Largest accepted drop of accuracy below ``dense`` for ``rule="tolerance"``.
    level : float, optional
        Confidence level of a Wilson interval per accuracy; with ``rule="tolerance"`` a
        level must keep the interval's lower bound within ``delta`` of ``dense``.

    Returns
    -------
    SweepResult
        ``scores`` per level, ``best_sparsity``, ``degenerate`` and ``reasons``. Ties go
        to the sparser level. When no level can be chosen, ``best_sparsity`` is None and
        a warning says why.

    Examples
    --------
    Table A1 of 002 (accuracy on 624 test images, 390 of them pneumonia):

    >>> from cxreval.sparsity_score import score_sweep
    >>> sparsity = [0.3, 0.4, 0.5, 0.7, 0.8]
    >>> accuracy = [0.88, 0.86, 0.63, 0.375, 0.375]
    >>> result = score_sweep(sparsity, accuracy, rule="mean", prevalence=390 / 624)
    >>> result.best_sparsity
    0.4
    >>> result.degenerate.tolist()
    [False, False, False, True, True]
    >>> score_sweep(sparsity, accuracy, rule="tolerance", dense=0.8269, delta=0.05).best_sparsity
    0.4
    """
    levels = check_array_1d(sparsity, "sparsity", numeric=True).astype(float)
    if not np.all((levels >= 0) & (levels < 1)):
        raise ValueError(f"sparsity must lie in [0, 1), got {levels.tolist()}")
    if len(np.unique(levels)) != len(levels):
        raise ValueError(f"sparsity must not repeat a level, got {levels.tolist()}")
    if rule not in _RULES:
        raise ValueError(f"rule must be one of {_RULES}, got {rule!r}")

    if y_true is not None:
        if prevalence is not None or n_cases is not None:
            raise ValueError("give either y_true or prevalence/n_cases: y_true determines both")
        accuracy, reasons, fractions, n_cases = _from_predictions(metric, y_true, len(levels))
    else:
        accuracy = check_array_1d(metric, "metric", numeric=True).astype(float)
        if len(accuracy) != len(levels):
            raise ValueError(
                f"metric must hold one accuracy per level: {len(levels)} sparsities, "
                f"{len(accuracy)} values"
            )
        if not np.all((accuracy >= 0) & (accuracy <= 1)):
            raise ValueError(f"metric must hold accuracies in [0, 1], got {accuracy.tolist()}")
        reasons = [""] * len(levels)
        fractions = None if prevalence is None else check_prevalence(prevalence)

    baseline = None if fractions is None else float(fractions.max())
    if baseline is not None:
        reasons = [
            r
            or (
                f"accuracy {a:.4g} no better than one class for everything ({baseline:.4g})"
                if a <= baseline
                else ""
            )
            for r, a in zip(reasons, accuracy, strict=True)
        ]
    degenerate = np.array([bool(r) for r in reasons])

    ci_low = ci_high = None
    if level is not None:
        level = check_level(level)
        if n_cases is None:
            raise ValueError("level needs n_cases= (or y_true=) to compute accuracy intervals")
        n_cases = check_positive_int(n_cases, "n_cases")
        ci_low, ci_high = proportion_ci(
            accuracy * n_cases, n_cases, level=level, ci_method="wilson"
        )

    params: dict[str, Any] = {"level": level, "n_cases": n_cases, "ci_method": "wilson"}
    if rule == "mean":
        scores = (levels + accuracy) / 2
    elif rule == "weighted":
        weight = check_level(weight, "weight")
        params["weight"] = weight
        scores = weight * accuracy + (1 - weight) * levels
    else:
        dense = _dense_accuracy(dense, levels, accuracy)
        delta = check_fraction(delta, "delta")
        params.update(dense=dense, delta=delta)
        judged = accuracy if ci_low is None else ci_low
        scores = judged - (dense - delta)

    eligible = ~degenerate
    if rule == "tolerance":
        eligible &= scores >= 0
        pick = np.where(eligible, levels, -np.inf)
    else:
        best_score = np.max(scores[eligible]) if eligible.any() else np.nan
        pick = np.where(eligible & (scores == best_score), levels, -np.inf)
    best_index = int(np.argmax(pick)) if eligible.any() else None
    if best_index is None:
        warnings.warn(
            f"score_sweep: no level can be chosen under rule={rule!r} "
            "(every level is degenerate or out of tolerance)",
            stacklevel=2,
        )
    return SweepResult(
        sparsity=levels,
        metric=accuracy,
        scores=scores,
        rule=rule,
        best_sparsity=None if best_index is None else float(levels[best_index]),
        best_index=best_index,
        degenerate=degenerate,
        reasons=tuple(reasons),
        baseline=baseline,
        ci_low=ci_low,
        ci_high=ci_high,
        params=params,
    )


def _dense_accuracy(dense: float | None, levels: np.ndarray, accuracy: np.ndarray) -> float:
    """The unpruned model's accuracy: ``dense`` if given, else the level at sparsity 0."""
    if dense is None:
        if not np.any(levels == 0):
            raise ValueError(
                "rule='tolerance' needs dense= (the unpruned accuracy) or a level at sparsity 0"
            )
        return float(accuracy[levels == 0][0])
    return check_fraction(dense, "dense", allow_one=True)
