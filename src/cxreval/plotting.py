"""matplotlib figures of cxreval results: every figure of the package is drawn here.

matplotlib is imported inside each drawing function, so ``import cxreval`` never imports
it. Every function draws on ``ax`` (a new figure when None) and returns the Axes; a
result's ``plot()`` calls the function its class names (``cxreval._result``). This
module reads results through their public attributes only and imports no computing module.
One job (drawing), hence longer than most modules.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cxreval._checks import check_choice, check_class_names, check_confusion_matrix

__all__ = [
    "get_axes",
    "literal",
    "plot_auc_comparison",
    "plot_auc_interval",
    "plot_bootstrap",
    "plot_comparison",
    "plot_confusion_matrix",
    "plot_decision_curve",
    "plot_multiclass_roc",
    "plot_operating_point",
    "plot_pr",
    "plot_reliability",
    "plot_report",
    "plot_roc",
    "plot_roc_band",
    "plot_statistics",
    "plot_sweep",
    "unique_legend",
]


def literal(name: Any) -> str:
    r"""``name`` as matplotlib text that draws exactly as written (the one escape of a
    user-given name: model, class or column names in legends, ticks and labels).

    matplotlib reads ``$...$`` as mathematics (``$\frac{a$`` even stops the drawing)
    and leaves out of a legend every label that starts with ``_``. Here each ``$`` is
    escaped (``\$`` draws a dollar sign) and a leading ``_`` gets a zero-width space
    before it, so the label is kept and looks the same.

    Parameters
    ----------
    name : object
        The name, as ``str(name)``.

    Returns
    -------
    str
        The text to give matplotlib.

    Examples
    --------
    >>> from cxreval.plotting import literal
    >>> literal("model_a"), literal("cost $5"), literal("_hidden")
    ('model_a', 'cost \\$5', '\u200b_hidden')
    """
    text = str(name).replace("$", r"\$")
    return "\u200b" + text if text.startswith("_") else text


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

    matrix = check_confusion_matrix(cm)
    names = check_class_names(labels, matrix.shape[0])
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
    ax.set_xticks(ticks, [literal(x) for x in names])
    ax.set_yticks(ticks, [literal(x) for x in names])
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
    legend = f"{literal(label)}: {text}" if label else text
    line = ax.plot(curve.fpr, curve.tpr, lw=2, label=legend)[0]
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
        label=f"{literal(label)}: {text}" if label else text,
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
    ax.set(xlabel=literal(result.statistic), ylabel="resamples", title=title)
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


def plot_reliability(curve: Any, *, ax: Any = None, label: str | None = None) -> Any:
    """Reliability diagram: observed fraction positive against mean predicted probability,
    per bin, with the per-bin intervals and the diagonal of perfect calibration.

    Parameters
    ----------
    curve : ReliabilityCurve
        From :func:`cxreval.reliability_curve`.
    ax : matplotlib.axes.Axes, optional
    label : str, optional
        Legend text (default: the ECE and the binning).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval import reliability_curve
    >>> from cxreval.plotting import plot_reliability
    >>> curve = reliability_curve([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9], n_bins=2)
    >>> plot_reliability(curve).get_title()
    'Reliability diagram'
    """
    ax = get_axes(ax)
    if "perfectly calibrated" not in [line.get_label() for line in ax.lines]:
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    errors = np.vstack(
        [curve.fraction_positive - curve.ci_low, curve.ci_high - curve.fraction_positive]
    ).clip(min=0.0)  # rounding can leave a bound a hair past the estimate
    ax.errorbar(
        curve.mean_predicted,
        curve.fraction_positive,
        yerr=errors,
        marker="o",
        capsize=3,
        label=literal(label) if label else f"ECE {curve.ece:.3f} ({curve.strategy} bins)",
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("mean predicted probability")
    ax.set_ylabel(f"observed fraction positive ({curve.ci_method} {curve.level:.0%} CI)")
    ax.set_title("Reliability diagram")
    ax.legend(loc="upper left")
    return ax


def plot_decision_curve(curve: Any, *, ax: Any = None, standardized: bool = False) -> Any:
    """Decision curves: net benefit of each model, of treat-all and of treat-none.

    Parameters
    ----------
    curve : DecisionCurve
        From :func:`cxreval.decision_curve`.
    ax : matplotlib.axes.Axes, optional
    standardized : bool, default False
        Draw the standardized net benefit (divided by the prevalence).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval import decision_curve
    >>> from cxreval.plotting import plot_decision_curve
    >>> curve = decision_curve([0, 0, 1, 1], [0.2, 0.6, 0.7, 0.9])
    >>> plot_decision_curve(curve).get_ylabel()
    'net benefit'
    """
    ax = get_axes(ax)
    scale = 1 / curve.prevalence if standardized else 1.0
    for name, nb in curve.net_benefit.items():
        ax.plot(curve.thresholds, nb * scale, label=literal(name))
    ax.plot(curve.thresholds, curve.treat_all * scale, color="grey", label="treat all")
    ax.plot(curve.thresholds, curve.treat_none, color="black", linestyle="--", label="treat none")
    top = max([1.0 * curve.prevalence] + [float(v.max()) for v in curve.net_benefit.values()])
    ax.set_ylim(-0.05 * scale, top * scale * 1.1)
    ax.set_xlim(curve.thresholds.min(), curve.thresholds.max())
    ax.set_xlabel("threshold probability")
    ax.set_ylabel("standardized net benefit" if standardized else "net benefit")
    ax.set_title("Decision curve")
    ax.legend(loc="upper right")
    return ax


def plot_sweep(result: Any, *, ax: Any = None) -> Any:
    """Accuracy against sparsity of a pruning sweep, marking the chosen and degenerate levels.

    Parameters
    ----------
    result : SweepResult
        From :func:`cxreval.sparsity_score.score_sweep`.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval.sparsity_score import score_sweep
    >>> from cxreval.plotting import plot_sweep
    >>> ax = plot_sweep(score_sweep([0.2, 0.5, 0.8], [0.9, 0.88, 0.5]))
    >>> ax.get_xlabel()
    'sparsity (fraction of weights removed)'
    """
    ax = get_axes(ax)
    order = np.argsort(result.sparsity)
    x, y = result.sparsity[order], result.metric[order]
    if result.ci_low is not None:
        yerr = np.vstack([y - result.ci_low[order], result.ci_high[order] - y]).clip(min=0.0)
        ax.errorbar(x, y, yerr=yerr, marker="o", capsize=3, label="accuracy")
    else:
        ax.plot(x, y, marker="o", label="accuracy")
    if result.rule != "tolerance":
        ax.plot(x, result.scores[order], linestyle=":", marker=".", label=f"{result.rule} score")
    else:
        floor = result.params["dense"] - result.params["delta"]
        ax.axhline(floor, color="tab:green", linestyle=":", label="dense - delta")
    if result.baseline is not None:
        ax.axhline(result.baseline, color="grey", linestyle="--", label="one class for all")
    bad = result.degenerate
    if bad.any():
        ax.scatter(
            result.sparsity[bad], result.metric[bad], marker="x", s=80, color="red",
            label="degenerate", zorder=3,
        )  # fmt: skip
    if result.best_index is not None:
        ax.scatter(
            [result.best_sparsity], [result.metric[result.best_index]], marker="*", s=250,
            color="gold", edgecolor="black", label="chosen", zorder=4,
        )  # fmt: skip
    ax.set_xlabel("sparsity (fraction of weights removed)")
    ax.set_ylabel("accuracy" if result.rule == "tolerance" else "accuracy, score")
    ax.set_ylim(0, 1.02)
    ax.set_title(f"Pruning sweep, rule={result.rule!r}")
    ax.legend(loc="lower left")
    return ax


def plot_statistics(result: Any, *, ax: Any = None, cmap: str = "Blues") -> Any:
    """Heatmap of a statmaker result's confusion matrix (:func:`plot_confusion_matrix`).

    Parameters
    ----------
    result : BinaryStatistics or MulticlassStatistics
        From :func:`cxreval.statmaker`.
    ax : matplotlib.axes.Axes, optional
    cmap : str, default "Blues"

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import cxreval
    >>> from cxreval.plotting import plot_statistics
    >>> plot_statistics(cxreval.statmaker([[174, 60], [40, 350]])).get_ylabel()
    'true class'
    """
    return plot_confusion_matrix(result.confusion_matrix, labels=result.labels, ax=ax, cmap=cmap)


def plot_roc_band(band: Any, *, ax: Any = None, label: str | None = None) -> Any:
    """A ROC curve with its confidence band and the AUC with its CI in the legend.

    Parameters
    ----------
    band : ROCBand
        From :func:`cxreval.roc_band`.
    ax : matplotlib.axes.Axes, optional
    label : str, optional
        Model name put before the AUC in the legend.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import roc_band
    >>> from cxreval.plotting import plot_roc_band
    >>> y = np.r_[np.zeros(20), np.ones(20)]
    >>> band = roc_band(y, y + np.linspace(-1, 1, 40), n_boot=50, random_state=0)
    >>> len(plot_roc_band(band).collections)
    1
    """
    return plot_roc(band.curve, ax=ax, auc_ci=band.auc_ci, band=band, label=label)


def plot_multiclass_roc(result: Any, *, ax: Any = None) -> Any:
    """One-vs-rest ROC curves, each labelled with its AUC and interval.

    Parameters
    ----------
    result : MulticlassAUC
        From :func:`cxreval.roc_auc_multiclass`.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import roc_auc_multiclass
    >>> from cxreval.plotting import plot_multiclass_roc
    >>> y = np.repeat([0, 1, 2], 10)
    >>> scores = np.eye(3)[y] + np.random.default_rng(0).normal(0, 0.8, (30, 3))
    >>> ax = plot_multiclass_roc(roc_auc_multiclass(y, scores, n_boot=50, random_state=0))
    >>> ax.get_legend().get_texts()[0].get_text()[:9]
    '0 vs rest'
    """
    for lab, curve, ci in zip(result.labels, result.curves, result.per_class, strict=True):
        ax = plot_roc(curve, ax=ax, auc_ci=ci, label=f"{lab} vs rest")
    return ax


def plot_auc_interval(result: Any, *, ax: Any = None, label: str | None = None) -> Any:
    """An AUC as a point with its confidence interval, against the chance level 0.5.

    Parameters
    ----------
    result : AUCInterval
        From :func:`cxreval.roc_auc_ci`.
    ax : matplotlib.axes.Axes, optional
    label : str, optional
        Model name put before the AUC in the legend.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval import roc_auc_ci
    >>> from cxreval.plotting import plot_auc_interval
    >>> ci = roc_auc_ci([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
    >>> plot_auc_interval(ci).get_legend().get_texts()[0].get_text()
    'AUC 0.889 (95% CI 0.581-1.000, DeLong)'
    """
    ax = get_axes(ax, figsize=(5, 2))
    row = len(ax.lines)
    text = result.label()
    errors = [[max(result.auc - result.low, 0.0)], [max(result.high - result.auc, 0.0)]]
    ax.errorbar([result.auc], [row], xerr=errors, marker="o", capsize=4,
                label=f"{literal(label)}: {text}" if label else text)  # fmt: skip
    ax.axvline(0.5, ls="--", color="grey", lw=1)
    ax.set(xlim=(0, 1), xlabel="ROC AUC", yticks=[])
    ax.legend(loc="lower left", fontsize="small")
    return ax


def plot_auc_comparison(result: Any, *, ax: Any = None) -> Any:
    """The difference of two AUCs (a - b) with its confidence interval, against zero.

    Parameters
    ----------
    result : AUCComparison
        From :func:`cxreval.delong_test` and the other tests comparing two AUCs.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval import delong_test
    >>> from cxreval.plotting import plot_auc_comparison
    >>> y = [0, 0, 0, 1, 1, 1]
    >>> res = delong_test(y, [0.1, 0.2, 0.6, 0.4, 0.7, 0.9], [0.3, 0.2, 0.1, 0.4, 0.5, 0.6])
    >>> plot_auc_comparison(res).get_xlabel()
    'AUC a - AUC b'
    """
    ax = get_axes(ax, figsize=(5, 2))
    errors = [
        [max(result.difference - result.low, 0.0)],
        [max(result.high - result.difference, 0.0)],
    ]
    text = (
        f"{result.difference:+.3f} ({100 * result.level:g}% CI {result.low:+.3f} to "
        f"{result.high:+.3f}), p = {result.p_value:.3g}, {result.method}"
    )
    ax.errorbar([result.difference], [0], xerr=errors, marker="o", capsize=4, label=text)
    ax.axvline(0.0, ls="--", color="grey", lw=1)
    ax.set(xlim=(-1, 1), xlabel="AUC a - AUC b", yticks=[])
    ax.legend(loc="lower left", fontsize="small")
    return ax


def unique_legend(ax: Any, loc: str) -> Any:
    """Redraw the legend with each label once (overlaid curves repeat their guide lines)."""
    first: dict[str, Any] = {}
    for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
        first.setdefault(label, handle)
    ax.legend(list(first.values()), list(first), loc=loc, fontsize="small")
    return ax


def plot_report(report: Any, *, ax: Any = None) -> Any:
    """The ROC curves of a report (one per class of a multi-class report), AUCs in the legend.

    Parameters
    ----------
    report : Report
        From :func:`cxreval.evaluate`.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import cxreval
    >>> from cxreval.plotting import plot_report
    >>> report = cxreval.evaluate([0, 1, 0, 1, 0, 1], [0.1, 0.8, 0.4, 0.7, 0.6, 0.3])
    >>> plot_report(report).get_ylabel()
    'sensitivity (TPR)'
    """
    ax = get_axes(ax, figsize=(5, 5))
    for k, curve in report.roc.items():
        label = None if report.task == "binary" else str(k)
        plot_roc(curve, ax=ax, auc_ci=report.auc[k], label=label)
    return unique_legend(ax, "lower right")


def plot_comparison(comparison: Any, *, ax: Any = None, kind: str = "roc") -> Any:
    """Every model of a comparison overlaid: ROC curves, PR curves or reliability diagrams.

    Parameters
    ----------
    comparison : Comparison
        From :func:`cxreval.compare`.
    ax : matplotlib.axes.Axes, optional
    kind : {"roc", "pr", "calibration"}, default "roc"

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> import cxreval
    >>> from cxreval.plotting import plot_comparison
    >>> y = np.r_[np.zeros(10), np.ones(10)]
    >>> c = cxreval.compare(y, {"a": np.linspace(0, 1, 20), "b": np.linspace(1, 0, 20)})
    >>> [t.get_text()[:1] for t in plot_comparison(c).get_legend().get_texts()]
    ['a', 'c', 'b']
    """
    ax = get_axes(ax, figsize=(5, 5))
    reports = list(comparison.reports.items())
    key = str(reports[0][1].positive)
    for name, r in reports:
        if kind == "roc":
            plot_roc(r.roc[key], ax=ax, auc_ci=r.auc[key], label=name)
        elif kind == "pr":
            plot_pr(r.pr[key], ax=ax, label=name)
        else:
            plot_reliability(r.calibration, ax=ax, label=f"{name} (ECE {r.calibration.ece:.3f})")
    return unique_legend(ax, "upper left" if kind == "calibration" else "lower right")


def plot_specificity_band(band: Any, *, ax: Any = None, label: str | None = None) -> Any:
    """A ROC curve with its specificity intervals drawn as a horizontal band.

    Parameters
    ----------
    band : SpecificityBand
        From :func:`cxreval.specificity_band`.
    ax : matplotlib.axes.Axes, optional
    label : str, optional
        Model name put before the AUC in the legend.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.plotting import plot_specificity_band
    >>> from cxreval.coords import specificity_band
    >>> y = np.r_[np.zeros(20), np.ones(20)]
    >>> band = specificity_band(y, y + np.linspace(-1, 1, 40), n_boot=50, random_state=0)
    >>> len(plot_specificity_band(band).collections)
    1
    """
    ax = get_axes(ax, figsize=(5, 5))
    text = f"AUC {band.curve.auc:.3f}"
    curve = band.curve
    line = ax.plot(curve.fpr, curve.tpr, lw=2, label=f"{label}: {text}" if label else text)[0]
    ax.fill_betweenx(
        band.sensitivities,
        1.0 - band.high,
        1.0 - band.low,
        color=line.get_color(),
        alpha=0.2,
        lw=0,
        label=f"{100 * band.level:g}% specificity band ({band.method})",
    )
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="chance")
    ax.set(xlim=(0, 1), ylim=(0, 1.01), xlabel="1 - specificity (FPR)")
    ax.set_ylabel("sensitivity (TPR)")
    ax.set_aspect("equal")
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_rate_comparison(result: Any, *, ax: Any = None) -> Any:
    """The two rates compared as points, and the difference with its interval.

    Parameters
    ----------
    result : RateComparison
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.plotting import plot_rate_comparison
    >>> from cxreval.curve_tests import sensitivity_test
    >>> y = np.r_[np.zeros(30), np.ones(30)]
    >>> res = sensitivity_test(y, y + np.sin(np.arange(60)), y + np.cos(np.arange(60)),
    ...                        at_specificity=0.8, n_boot=100, random_state=0)
    >>> plot_rate_comparison(res).get_ylabel()
    'sensitivity at specificity 0.8'
    """
    ax = get_axes(ax, figsize=(4, 4))
    ax.plot([0, 1], [result.rate_a, result.rate_b], "o")
    ax.set_xticks([0, 1], ["model a", "model b"])
    fixed = "specificity" if result.compared == "sensitivity" else "sensitivity"
    ax.set_ylabel(f"{result.compared} at {fixed} {result.at:g}")
    ax.set_title(
        f"difference {result.difference:.3f} ({100 * result.level:g}% CI "
        f"{result.low:.3f} to {result.high:.3f}), p = {result.p_value:.3g}",
        fontsize="small",
    )
    ax.set_xlim(-0.5, 1.5)
    return ax


def plot_curve_comparison(result: Any, *, ax: Any = None) -> Any:
    """Nothing to draw but the verdict: the statistic and p-value as a text panel.

    Parameters
    ----------
    result : CurveComparison
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.plotting import plot_curve_comparison
    >>> from cxreval.curve_tests import venkatraman_test
    >>> y = np.r_[np.zeros(10), np.ones(10)]
    >>> res = venkatraman_test(y, y + np.sin(np.arange(20)), y, n_perm=50, random_state=0)
    >>> plot_curve_comparison(res).texts[0].get_text().startswith("E =")
    True
    """
    ax = get_axes(ax, figsize=(4, 2))
    ax.text(0.5, 0.5, f"E = {result.statistic:.4g}, p = {result.p_value:.3g}\n{result.method}",
            ha="center", va="center")  # fmt: skip
    ax.set_axis_off()
    return ax


def plot_interventions_avoided(result: Any, *, ax: Any = None) -> Any:
    """Net interventions avoided per 100 patients against the threshold probability.

    Parameters
    ----------
    result : InterventionsAvoided
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval.decision_inference import net_interventions_avoided
    >>> from cxreval.plotting import plot_interventions_avoided
    >>> res = net_interventions_avoided([0, 0, 1, 1], [0.2, 0.6, 0.7, 0.9])
    >>> plot_interventions_avoided(res).get_ylabel()
    'net interventions avoided per 100 patients'
    """
    ax = get_axes(ax, figsize=(6, 4))
    for name, values in result.avoided.items():
        ax.plot(result.thresholds, values, lw=2, label=name)
    ax.axhline(0, color="grey", lw=1, ls="--")
    ax.set(xlabel="threshold probability", ylabel="net interventions avoided per 100 patients")
    ax.legend(fontsize="small")
    return ax


def plot_decision_curve_ci(result: Any, *, ax: Any = None) -> Any:
    """Net benefit curves with their bootstrap intervals as shaded bands.

    Parameters
    ----------
    result : DecisionCurveInterval
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.decision_inference import decision_curve_ci
    >>> from cxreval.plotting import plot_decision_curve_ci
    >>> y = np.r_[np.zeros(30), np.ones(30)]
    >>> p = np.clip(0.3 * y + np.linspace(0.05, 0.6, 60), 0, 1)
    >>> ci = decision_curve_ci(y, p, n_boot=50, random_state=0)
    >>> len(plot_decision_curve_ci(ci).collections)
    2
    """
    ax = get_axes(ax, figsize=(6, 4))
    for name, est in result.estimate.items():
        line = ax.plot(result.thresholds, est, lw=2, label=name)[0]
        ax.fill_between(
            result.thresholds,
            result.low[name],
            result.high[name],
            color=line.get_color(),
            alpha=0.2,
            lw=0,
        )
    ax.axhline(0, color="grey", lw=1, ls="--")
    top = max(float(np.max(v)) for v in result.high.values())
    ax.set_ylim(-0.05, max(top, 0.05) * 1.05)
    ax.set(xlabel="threshold probability", ylabel="net benefit")
    ax.set_title(f"{100 * result.level:g}% intervals, {result.method}", fontsize="small")
    ax.legend(fontsize="small")
    return ax


def plot_partial_auc(result: Any, *, ax: Any = None, label: str | None = None) -> Any:
    """The ROC curve with the partial area shaded and the partial AUC in the legend.

    Parameters
    ----------
    result : PartialAUCInterval
        From :func:`cxreval.partial_auc.partial_auc_ci`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    label : str, optional
        Model name put before the partial AUC in the legend.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval.plotting import plot_partial_auc
    >>> from cxreval.partial_roc import partial_auc_ci
    >>> y, s = [0, 0, 0, 1, 1, 1], [0.1, 0.3, 0.5, 0.4, 0.6, 0.9]
    >>> ax = plot_partial_auc(partial_auc_ci(y, s, n_boot=50, random_state=0))
    >>> len(ax.collections)
    1
    """
    ax = get_axes(ax, figsize=(5, 5))
    lo, hi = result.limits
    text = (
        f"pAUC {result.partial_auc:.3f} ({100 * result.level:g}% CI "
        f"{result.low:.3f}-{result.high:.3f})"
    )
    line = ax.plot(result.fpr, result.tpr, lw=2, label=f"{label}: {text}" if label else text)[0]
    if result.focus == "specificity":
        grid = np.linspace(1.0 - hi, 1.0 - lo, 200)
        ax.fill_between(
            grid, 0, np.interp(grid, result.fpr, result.tpr), color=line.get_color(), alpha=0.25
        )
    else:
        grid = np.linspace(lo, hi, 200)
        ax.fill_betweenx(
            grid, np.interp(grid, result.tpr, result.fpr), 1, color=line.get_color(), alpha=0.25
        )
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1)
    ax.set(xlim=(0, 1), ylim=(0, 1.01), xlabel="1 - specificity", ylabel="sensitivity")
    ax.legend(loc="lower right")
    return ax


def plot_power(result: Any, *, ax: Any = None) -> Any:
    """Power (or CI width) against the number of positive cases, the plan marked.

    For an :class:`AUCPower`, the power curve; for an :class:`AUCSampleSize`, the
    interval width; for an :class:`AUCTest`, the standard normal density with the
    observed z.

    Parameters
    ----------
    result : AUCPower, AUCSampleSize or AUCTest
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval.plotting import plot_power
    >>> from cxreval.power import auc_power
    >>> ax = plot_power(auc_power(0.75, n_pos=41, n_neg=72))
    >>> ax.get_ylabel()
    'power'
    """
    ax = get_axes(ax)
    if hasattr(result, "power_at"):
        n = np.linspace(1, max(4 * result.n_pos, 10), 200)
        ax.plot(n, result.power_at(n), lw=2)
        ax.axhline(result.power, ls=":", color="grey")
        ax.axvline(result.n_pos, ls=":", color="grey")
        ax.set(xlabel="positive cases", ylabel="power", ylim=(0, 1.01))
        ax.set_title(f"AUC {result.auc:.3f} vs {result.reference:.3f}, alpha {result.alpha:g}")
    elif hasattr(result, "width_at"):
        n = np.unique(np.linspace(2, 4 * result.n_pos, 200).astype(int))
        ax.plot(n, result.width_at(n), lw=2)
        ax.axhline(result.width, ls=":", color="grey")
        ax.axvline(result.n_pos, ls=":", color="grey")
        ax.set(xlabel="positive cases", ylabel=f"{100 * result.level:g}% CI width")
    else:
        x = np.linspace(-4, 4, 200)
        ax.plot(x, np.exp(-x * x / 2) / np.sqrt(2 * np.pi), color="grey")
        ax.axvline(np.clip(result.statistic, -4, 4), color="C0", lw=2)
        ax.set(
            xlabel="z", ylabel="density", title=f"AUC {result.auc:.3f}, p = {result.p_value:.3g}"
        )
    return ax


def plot_smooth_roc(smooth: Any, *, ax: Any = None, label: str | None = None) -> Any:
    """The smoothed ROC curve with the chance line and its AUC in the legend.

    Parameters
    ----------
    smooth : SmoothROC
        From :func:`cxreval.smoothing.smooth_roc`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    label : str, optional
        Model name put before the AUC in the legend.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval.plotting import plot_smooth_roc
    >>> from cxreval.smoothing import smooth_roc
    >>> y, s = [0, 0, 0, 0, 1, 1, 1, 1], [0.1, 0.3, 0.5, 0.7, 0.4, 0.6, 0.8, 0.9]
    >>> ax = plot_smooth_roc(smooth_roc(y, s), label="model")
    >>> ax.get_legend().get_texts()[0].get_text()
    'model: smoothed AUC 0.727'
    """
    ax = get_axes(ax, figsize=(5, 5))
    text = f"smoothed AUC {smooth.auc:.3f}"
    ax.plot(smooth.fpr, smooth.tpr, lw=2, label=f"{label}: {text}" if label else text)
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1)
    ax.set(xlim=(0, 1), ylim=(0, 1.01), xlabel="1 - specificity", ylabel="sensitivity")
    ax.legend(loc="lower right")
    return ax


def plot_clustered_proportions(result: Any, *, ax: Any = None) -> Any:
    """A proportion as a point with its clustered interval and design effect.

    Parameters
    ----------
    result : ClusteredProportion
        From :func:`cxreval.clustered_proportion_ci`.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval.clustered import clustered_proportion_ci
    >>> from cxreval.plotting import plot_clustered_proportions
    >>> res = clustered_proportion_ci([1, 1, 0, 1, 0, 1], groups=[1, 1, 2, 3, 3, 4])
    >>> plot_clustered_proportions(res).get_xlabel()
    'proportion (Wilson, clustered (Rao-Scott design effect))'
    """
    shown = [result]
    ax = get_axes(ax, figsize=(6, 0.4 * len(shown) + 1.2))
    for row, p in enumerate(shown):
        errors = [[max(p.estimate - p.low, 0.0)], [max(p.high - p.estimate, 0.0)]]
        ax.errorbar([p.estimate], [row], xerr=errors, marker="o", capsize=4, color="C0")
    ax.set(
        xlim=(0, 1),
        yticks=range(len(shown)),
        yticklabels=[f"{p.statistic} (deff {p.design_effect:.2f})" for p in shown],
        xlabel=f"proportion ({shown[0].method})",
    )
    ax.invert_yaxis()
    return ax


def plot_patient_overlap(result: Any, *, ax: Any = None, cmap: str = "Reds") -> Any:
    """The split x split matrix of shared patients (diagonal: patients per split).

    Parameters
    ----------
    result : PatientOverlap
        From :func:`patient_overlap`.
    ax : matplotlib.axes.Axes, optional
    cmap : str, default "Reds"
        Colour map of the off-diagonal (shared) cells.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxreval.leakage import patient_overlap
    >>> from cxreval.plotting import plot_patient_overlap
    >>> res = patient_overlap([1, 1, 2, 3], ["train", "test", "train", "test"])
    >>> plot_patient_overlap(res).get_title()
    'LEAKAGE: 1 of 3 patients shared'
    """
    ax = get_axes(ax, figsize=(1.2 * len(result.splits) + 2.5, 1.0 * len(result.splits) + 1.5))
    k = len(result.splits)
    shared = np.where(np.eye(k, dtype=bool), 0, result.overlap)
    ax.imshow(shared, cmap=cmap, vmin=0, vmax=max(int(shared.max()), 1))
    for i in range(k):
        for j in range(k):
            text = f"{result.overlap[i, j]:,}" + (" patients" if i == j else " shared")
            ax.text(j, i, text, ha="center", va="center", fontsize="small")
    ax.set(xticks=range(k), yticks=range(k), xticklabels=result.splits,
           yticklabels=result.splits)  # fmt: skip
    verdict = "clean" if result.clean else "LEAKAGE"
    ax.set_title(f"{verdict}: {result.n_shared} of {result.n_patients} patients shared")
    return ax


def draw_forest(
    estimates: list[tuple[float, float, float]],
    names: list[str],
    *,
    xlabel: str,
    colors: list[str] | None = None,
    line: tuple[float, str] | None = None,
    ax: Any = None,
) -> Any:
    """A forest plot: one row per ``(estimate, low, high)``, top to bottom, named ``names``;
    NaN estimates are left blank, NaN intervals drawn as a point. ``line`` is a dashed
    reference ``(x, legend label)``."""
    from cxreval.plotting import get_axes, literal

    ax = get_axes(ax, figsize=(6.5, 0.35 * len(names) + 1.4))
    for i, (est, low, high) in enumerate(estimates):
        if np.isfinite(est):
            err = [[max(est - low, 0.0)], [max(high - est, 0.0)]] if np.isfinite(low) else None
            color = "C0" if colors is None else colors[i]
            ax.errorbar([est], [i], xerr=err, marker="s", capsize=3, color=color)
    if line is not None and np.isfinite(line[0]):
        ax.axvline(line[0], color="grey", linestyle="--", linewidth=1, label=line[1])
        ax.legend(loc="lower left", fontsize="small")
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels([literal(n) for n in names])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    return ax


def plot_subgroup_forest(result: Any, *, ax: Any = None, statistic: str = "auc") -> Any:
    """Forest plot: each subgroup's ``statistic`` with its interval, the overall value as a line.

    Parameters
    ----------
    result : SubgroupAudit
        From :func:`subgroup_audit`.
    ax : matplotlib.axes.Axes, optional
    statistic : {"auc", "sensitivity", "specificity", "underdiagnosis"}, default "auc"

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.plotting import plot_subgroup_forest
    >>> from cxreval.subgroups import subgroup_audit
    >>> rng = np.random.default_rng(1)
    >>> y = rng.integers(0, 2, 300)
    >>> s = y + rng.normal(size=300)
    >>> res = subgroup_audit(y, s, {"view": np.tile(["AP", "PA", "PA"], 100)}, threshold=0.5)
    >>> plot_subgroup_forest(res).get_xlabel()
    'AUC (95% CI, DeLong)'
    """
    statistic = check_choice(
        statistic, "statistic", ("auc", "sensitivity", "specificity", "underdiagnosis")
    )
    rows = result.rows
    method = result.methods["auc" if statistic == "auc" else "proportions"]
    name = "AUC" if statistic == "auc" else statistic
    return draw_forest(
        [(r[statistic], r[f"{statistic}_low"], r[f"{statistic}_high"]) for r in rows],
        [f"{r['attribute']}: {r['subgroup']} (n={r['n']:,})" for r in rows],
        xlabel=f"{name} ({100 * result.level:g}% CI, {method})",
        colors=[f"C{result.attributes.index(r['attribute']) % 10}" for r in rows],
        line=(result.overall[statistic], f"all images {result.overall[statistic]:.3f}"),
        ax=ax,
    )


def plot_findings(result: Any, *, ax: Any = None, statistic: str | None = None) -> Any:
    """Forest plot of the findings: each one's AUC (or a statistic) with its interval.

    Parameters
    ----------
    result : MultilabelAUC or MultilabelOperatingPoints
    ax : matplotlib.axes.Axes, optional
    statistic : str, optional
        ``"auc"`` (the default for :class:`MultilabelAUC`, with the macro mean as a dashed
        line) or, for :class:`MultilabelOperatingPoints`, ``"sensitivity"`` (default),
        ``"specificity"``, ``"ppv"`` or ``"npv"``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.multilabel import multilabel_auc
    >>> from cxreval.plotting import plot_findings
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, (100, 3))
    >>> res = multilabel_auc(y, y + rng.normal(size=(100, 3)), labels=["A", "B", "C"])
    >>> plot_findings(res).get_xlabel()
    'AUC (95% CI, DeLong)'
    """
    is_auc = hasattr(result, "means")
    statistic = statistic or ("auc" if is_auc else "sensitivity")
    choices = ("auc",) if is_auc else ("sensitivity", "specificity", "ppv", "npv")
    statistic = check_choice(statistic, "statistic", choices)
    low, high = ("low", "high") if is_auc else (f"{statistic}_low", f"{statistic}_high")
    rows = result.findings
    macro = result.means["macro"] if is_auc else np.nan
    return draw_forest(
        [(f[statistic], f[low], f[high]) for f in rows],
        [f"{f['finding']} ({f['n_pos']:,} pos)" if is_auc else f["finding"] for f in rows],
        xlabel=f"{'AUC' if is_auc else statistic} ({100 * result.level:g}% CI, {result.method})",
        line=(macro, f"macro mean {macro:.3f}") if is_auc else None,
        ax=ax,
    )


def plot_multilabel_report(report: Any, *, ax: Any = None, statistic: str = "auc") -> Any:
    """Forest plot of a multi-label report: each finding's AUC (or a statistic at its
    threshold) with its interval.

    Parameters
    ----------
    report : MultilabelReport
        From :func:`cxreval.evaluate` with one label column per finding.
    ax : matplotlib.axes.Axes, optional
    statistic : {"auc", "sensitivity", "specificity", "ppv", "npv"}, default "auc"
        ``"auc"`` is :func:`plot_findings` of ``report.auc`` (the macro mean as a dashed
        line); the others are read at each finding's threshold.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> import cxreval
    >>> from cxreval.plotting import plot_multilabel_report
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, (100, 3))
    >>> p = 1 / (1 + np.exp(-(2 * y - 1 + rng.normal(size=(100, 3)))))
    >>> r = cxreval.evaluate(y, p, labels=["A", "B", "C"], n_boot=200, random_state=0)
    >>> plot_multilabel_report(r, statistic="sensitivity").get_xlabel()
    'sensitivity (95% CI, Wilson)'
    """
    statistic = check_choice(
        statistic, "statistic", ("auc", "sensitivity", "specificity", "ppv", "npv")
    )
    if statistic == "auc":
        return plot_findings(report.auc, ax=ax)
    rows = report.at_threshold
    return draw_forest(
        [(r[statistic], r[f"{statistic}_low"], r[f"{statistic}_high"]) for r in rows],
        [f"{r['finding']} (t={r['threshold']:g})" for r in rows],
        xlabel=f"{statistic} ({100 * report.level:g}% CI, {report.proportion_method})",
        ax=ax,
    )


def plot_multilabel_comparison(comparison: Any, *, ax: Any = None, pair: Any = None) -> Any:
    """Forest plot of two multi-label models' paired AUC differences, finding by finding,
    with the difference of their macro mean AUCs last.

    Parameters
    ----------
    comparison : MultilabelComparison
        From :func:`cxreval.compare` with one label column per finding.
    ax : matplotlib.axes.Axes, optional
    pair : (str, str), optional
        The two models (default: the first pair).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> import cxreval
    >>> from cxreval.plotting import plot_multilabel_comparison
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, (120, 2))
    >>> a = 1 / (1 + np.exp(-(2 * y - 1 + rng.normal(size=(120, 2)))))
    >>> b = 1 / (1 + np.exp(-(y - 0.5 + rng.normal(size=(120, 2)))))
    >>> c = cxreval.compare(y, {"a": a, "b": b}, n_boot=200, random_state=0)
    >>> plot_multilabel_comparison(c).get_xlabel()
    'AUC a - b (95% CI, DeLong paired)'
    """
    pair = next(iter(comparison.tests)) if pair is None else tuple(pair)
    if pair not in comparison.tests:
        raise ValueError(f"pair must be one of {list(comparison.tests)}, got {pair!r}")
    tests = comparison.tests[pair]
    macro = comparison.macro_difference[pair]
    first = next(iter(tests.values()))
    return draw_forest(
        [*((t.difference, t.low, t.high) for t in tests.values()),
         (macro["difference"], macro["low"], macro["high"])],
        [*tests, "macro mean"],
        xlabel=f"AUC {pair[0]} - {pair[1]} ({100 * first.level:g}% CI, {first.method})",
        colors=["C0"] * len(tests) + ["C3"],
        line=(0.0, "no difference"),
        ax=ax,
    )  # fmt: skip
