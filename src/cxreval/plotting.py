"""matplotlib figures of cxreval results.

matplotlib is imported inside each drawing function, so ``import cxreval`` never imports
it. Every function draws on ``ax`` (a new figure when None) and returns the Axes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "get_axes",
    "plot_bootstrap",
    "plot_confusion_matrix",
    "plot_operating_point",
    "plot_pr",
    "plot_roc",
]


def get_axes(ax: Any = None, *, figsize: tuple[float, float] = (6.0, 4.5)) -> Any:
    """Return ``ax``, or the Axes of a new ``figsize`` figure when ``ax`` is None.

    Importing :mod:`cxreval` never imports :mod:`matplotlib.pyplot`; this function does,
    the first time a result is drawn without an Axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; None makes a new figure with one Axes.
    figsize : tuple of float, default (6.0, 4.5)
        Width and height in inches of the new figure (unused when ``ax`` is given).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax`` itself, or the new figure's Axes.

    Examples
    --------
    >>> from cxreval.plotting import get_axes
    >>> ax = get_axes()
    >>> get_axes(ax) is ax
    True
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax


def plot_confusion_matrix(
    cm: Any, *, labels: Any = None, ax: Any = None, cmap: str = "Blues"
) -> Any:
    """Heatmap of a confusion matrix: each cell shows its count and its row percentage.

    Colour is the row percentage (the share of each true class predicted as each class),
    so classes of different sizes compare fairly; the count is printed beside it.

    Parameters
    ----------
    cm : array-like of shape (K, K)
        Counts, true classes in rows and predicted classes in columns.
    labels : sequence of K labels, optional
        Class names in matrix order; default ``0 .. K-1``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    cmap : str, default "Blues"
        Colour map of the row percentages.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval.plotting import plot_confusion_matrix
    >>> ax = plot_confusion_matrix([[174, 60], [40, 350]], labels=["NORMAL", "PNEUMONIA"])
    >>> ax.get_xlabel()
    'predicted class'
    """
    import matplotlib.pyplot as plt

    from cxreval.confusion import _check_confusion_matrix, _check_labels

    matrix = _check_confusion_matrix(cm)
    names = _check_labels(labels, matrix.shape[0])
    totals = matrix.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, matrix / np.where(totals > 0, totals, 1), 0.0)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.6 + 1.3 * len(names), 1.2 + 1.2 * len(names)))
    image = ax.imshow(share * 100.0, cmap=cmap, vmin=0.0, vmax=100.0)
    ax.figure.colorbar(image, ax=ax, label="% of true class")
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            color = "white" if share[i, j] > 0.5 else "black"
            text = f"{matrix[i, j]}\n{share[i, j]:.1%}" if totals[i, 0] else "0\n-"
            ax.text(j, i, text, ha="center", va="center", color=color)
    ticks = np.arange(len(names))
    ax.set_xticks(ticks, [str(x) for x in names])
    ax.set_yticks(ticks, [str(x) for x in names])
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(f"confusion matrix (n = {int(matrix.sum())}), row percentages")
    return ax


def plot_roc(
    curve: Any, *, ax: Any = None, auc_ci: Any = None, band: Any = None, label: str | None = None
) -> Any:
    """ROC curve with the chance line, an optional confidence band and the AUC in the legend.

    Parameters
    ----------
    curve : ROCCurve
        From :func:`cxreval.roc_curve`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    auc_ci : AUCInterval, optional
        The legend then reads e.g. "AUC 0.956 (95% CI 0.930-0.981, DeLong)".
    band : ROCBand, optional
        Sensitivity intervals at fixed specificities, drawn as a shaded band.
    label : str, optional
        Model name put before the AUC in the legend.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval import roc_auc_ci, roc_curve
    >>> from cxreval.plotting import plot_roc
    >>> y, s = [0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9]
    >>> ax = plot_roc(roc_curve(y, s), auc_ci=roc_auc_ci(y, s), label="model")
    >>> ax.get_legend().get_texts()[0].get_text()
    'model: AUC 0.889 (95% CI 0.581-1.000, DeLong)'
    """
    ax = get_axes(ax, figsize=(5, 5))
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
    """Precision-recall curve with the no-skill line at the prevalence.

    Parameters
    ----------
    curve : PRCurve
        From :func:`cxreval.pr_curve`.
    ax : matplotlib.axes.Axes, optional
    label : str, optional
        Model name put before the average precision in the legend.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval import pr_curve
    >>> from cxreval.plotting import plot_pr
    >>> ax = plot_pr(pr_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]))
    >>> ax.get_ylabel()
    'precision (PPV)'
    """
    ax = get_axes(ax, figsize=(5, 5))
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
    """Histogram of bootstrap replicates with the estimate and the interval bounds.

    Parameters
    ----------
    result : BootstrapResult
        A result of a scalar statistic, from :func:`cxreval.bootstrap`.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import bootstrap
    >>> from cxreval.plotting import plot_bootstrap
    >>> res = bootstrap(np.mean, np.arange(30.0), n_boot=200, random_state=0)
    >>> plot_bootstrap(res).get_ylabel()
    'resamples'

    Infinite replicates (a likelihood ratio of a resample without false positives) are
    counted in the title and left out of the histogram; an infinite bound is named in the
    legend only:

    >>> inverse_min = lambda x: np.inf if x.min() == 0 else 1 / x.min()
    >>> res = bootstrap(inverse_min, np.arange(5.0), n_boot=200, random_state=0)
    >>> plot_bootstrap(res).get_title()
    '128 of 200 resamples infinite (not drawn)'
    """
    ax = get_axes(ax, figsize=(5, 5))
    reps = np.asarray(result.replicates)
    if reps.ndim > 1:
        raise ValueError("plot_bootstrap draws a scalar statistic; select one column first")
    finite = np.isfinite(reps)
    ax.hist(reps[finite], bins="auto", color="0.7")
    for value, style in ((result.estimate, {"color": "k", "lw": 2}),
                         (result.low, {"color": "C3", "ls": "--"}),
                         (result.high, {"color": "C3", "ls": "--"})):  # fmt: skip
        if np.isfinite(value):  # an infinite value has no place on the axis: the legend says it
            ax.axvline(value, **style)
    ax.plot([], [], color="k", lw=2, label=f"estimate {result.estimate:.4f}")
    ax.plot(
        [],
        [],
        color="C3",
        ls="--",
        label=f"{100 * result.level:g}% CI {result.low:.4g} to {result.high:.4g} ({result.method})",
    )
    n_inf = int((~finite).sum())  # NaN resamples were left out by the bootstrap already
    title = f"{n_inf} of {reps.size} resamples infinite (not drawn)" if n_inf else None
    ax.set(xlabel=result.statistic, ylabel="resamples", title=title)
    ax.legend(fontsize="small")
    return ax


def plot_operating_point(point: Any, *, ax: Any = None, curve: Any = None) -> Any:
    """Mark an operating point (1 - specificity, sensitivity), on its ROC curve if given.

    Parameters
    ----------
    point : OperatingPoint
        From :func:`cxreval.operating_point`.
    ax : matplotlib.axes.Axes, optional
    curve : ROCCurve, optional
        Drawn first (with the chance line) when given.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval import operating_point, roc_curve
    >>> from cxreval.plotting import plot_operating_point
    >>> y, s = [0, 0, 0, 1, 1, 1], [0.1, 0.3, 0.6, 0.4, 0.7, 0.9]
    >>> ax = plot_operating_point(operating_point(y, s), curve=roc_curve(y, s))
    >>> ax.get_legend().get_texts()[-1].get_text()
    'youden: threshold 0.7 (sens 0.667, spec 1.000)'
    """
    ax = plot_roc(curve, ax=ax) if curve is not None else get_axes(ax, figsize=(5, 5))
    text = (
        f"{point.criterion}: threshold {point.threshold:.4g} "
        f"(sens {point.sensitivity:.3f}, spec {point.specificity:.3f})"
    )
    ax.plot([1.0 - point.specificity], [point.sensitivity], "o", color="C3", ms=8, label=text)
    ax.set(xlim=(0, 1), ylim=(0, 1.01), xlabel="1 - specificity (FPR)")
    ax.set_ylabel("sensitivity (TPR)")
    ax.legend(loc="lower right", fontsize="small")
    return ax
