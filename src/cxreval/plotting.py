"""Matplotlib figures of :mod:`cxreval` results; matplotlib is imported only here, lazily."""

from __future__ import annotations

from typing import Any

import numpy as np


def _axes(ax: Any) -> Any:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(5, 5))
    return ax


def plot_roc(
    curve: Any, *, ax: Any = None, auc_ci: Any = None, band: Any = None, label: str | None = None
) -> Any:
    """Draw a ROC curve with the chance line, an optional confidence band and the AUC
    (with its interval when ``auc_ci`` is given) in the legend; returns the Axes."""
    ax = _axes(ax)
    text = auc_ci.label() if auc_ci is not None else f"AUC {curve.auc:.3f}"
    line = ax.plot(curve.fpr, curve.tpr, lw=2, label=f"{label}: {text}" if label else text)[0]
    if band is not None:
        ax.fill_between(
            1.0 - band.specificities,
            band.low,
            band.high,
            color=line.get_color(),
            alpha=0.2,
            lw=0,
            label=f"{100 * band.level:g}% band ({band.method})",
        )
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="chance")
    ax.set(xlim=(0, 1), ylim=(0, 1.01), xlabel="1 - specificity (FPR)")
    ax.set_ylabel("sensitivity (TPR)")
    ax.set_aspect("equal")
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_pr(curve: Any, *, ax: Any = None, label: str | None = None) -> Any:
    """Draw a precision-recall curve with the no-skill line at the prevalence."""
    ax = _axes(ax)
    text = f"AP {curve.average_precision:.3f}"
    ax.step(
        curve.recall,
        curve.precision,
        where="post",
        lw=2,
        label=f"{label}: {text}" if label else text,
    )
    ax.axhline(curve.prevalence, ls="--", color="grey", lw=1, label="no skill (prevalence)")
    ax.set(xlim=(0, 1), ylim=(0, 1.01), xlabel="recall (sensitivity)", ylabel="precision (PPV)")
    ax.legend(loc="lower left", fontsize="small")
    return ax


def plot_bootstrap(result: Any, *, ax: Any = None) -> Any:
    """Histogram of bootstrap replicates with the estimate and the interval bounds."""
    ax = _axes(ax)
    reps = np.asarray(result.replicates)
    if reps.ndim > 1:
        raise ValueError("plot_bootstrap draws a scalar statistic; select one column first")
    ax.hist(reps, bins="auto", color="0.7")
    ax.axvline(result.estimate, color="k", lw=2, label=f"estimate {result.estimate:.4f}")
    for bound in (result.low, result.high):
        ax.axvline(bound, color="C3", ls="--")
    ax.plot([], [], color="C3", ls="--", label=f"{100 * result.level:g}% CI ({result.method})")
    ax.set(xlabel=result.statistic, ylabel="resamples")
    ax.legend(fontsize="small")
    return ax
