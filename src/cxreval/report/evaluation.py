"""One report of a classifier: :func:`evaluate` and its :class:`Report`.

:func:`evaluate` gathers, for one model, statmaker's statistics at a threshold, the ROC
AUC with its interval, the ROC and precision-recall curves with the average precision,
the calibration and the decision curve. The report prints as text tables, converts to
JSON-ready data (``to_dict``/``to_json``), renders a self-contained HTML page with its
figures embedded, and saves all three into a folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    check_array_1d,
    check_binary_probabilities,
    check_consistent_length,
    check_level,
    check_name,
    check_probability_rows,
    check_score_matrix,
    check_scores,
    read_array,
)
from cxreval._plain import to_plain
from cxreval._version import __version__
from cxreval.calibration import ReliabilityCurve, curve_from_outcomes, reliability_curve
from cxreval.curves import (
    CURVE_POINTS,
    PRCurve,
    ROCCurve,
    average_precision,
    pr_curve,
    roc_curve,
)
from cxreval.decision import DecisionCurve, decision_curve
from cxreval.inference import AUCInterval, roc_auc_ci
from cxreval.multiclass import MulticlassAUC, roc_auc_multiclass
from cxreval.plotting import unique_legend
from cxreval.report.render import Document
from cxreval.statmaker import BinaryStatistics, MulticlassStatistics, statmaker_from_predictions

__all__ = ["Report", "evaluate"]


@dataclass(frozen=True)
class Report(Document):
    """Everything :func:`evaluate` measured for one model.

    Attributes
    ----------
    name : str
        The model's name.
    task : str
        ``"binary"`` or ``"multiclass"``.
    n : int
        Number of cases.
    labels : tuple
        Class labels (binary: ``(negative, positive)``; multi-class: the columns of
        ``y_score``).
    positive : label or None
        The positive class (binary).
    threshold : float or None
        Decision threshold of the statistics (binary; multi-class predicts the class with
        the highest probability).
    level : float
        Confidence level of every interval.
    statistics : BinaryStatistics or MulticlassStatistics
        statmaker at the threshold.
    auc : dict of str to AUCInterval
        ROC AUC with its interval: ``{positive: ...}`` (binary) or one per class,
        one-vs-rest.
    roc, pr : dict of str to ROCCurve / PRCurve
        The curves, keyed like ``auc``; thinned to about 1000 points each unless
        :func:`evaluate` was given ``full_curves=True`` (see ``curves_thinned``).
    average_precision : dict of str to float
        Average precision, keyed like ``auc``.
    calibration : ReliabilityCurve
        Binary: of the positive-class probability. Multi-class: of the top-label
        confidence (the highest probability against whether that class is right).
    decision : dict of str to DecisionCurve
        Net benefit, keyed like ``auc`` (multi-class: one-vs-rest per class).
    multiclass_auc : MulticlassAUC or None
        Multi-class: the one-vs-rest AUCs with their macro and prevalence-weighted
        averages and Hand & Till's M, each with an interval
        (:func:`cxreval.roc_auc_multiclass`).
    curves_thinned : bool
        Whether a curve of ``roc`` or ``pr`` had more than 1000 points and was thinned
        (:meth:`cxreval.ROCCurve.thinned`); ``to_dict()`` then says so.
    """

    name: str
    task: str
    n: int
    labels: tuple
    positive: Any
    threshold: float | None
    level: float
    statistics: BinaryStatistics | MulticlassStatistics
    auc: dict[str, AUCInterval]
    roc: dict[str, ROCCurve]
    pr: dict[str, PRCurve]
    average_precision: dict[str, float]
    calibration: ReliabilityCurve
    decision: dict[str, DecisionCurve]
    multiclass_auc: MulticlassAUC | None = None
    curves_thinned: bool = False

    plotter = "plot_report"

    @property
    def title(self) -> str:
        return f"cxreval report: {self.name} ({self.task}, n = {self.n})"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; ``json.loads(report.to_json()) == report.to_dict()``."""
        return to_plain(
            {
                "cxreval_version": __version__,
                "name": self.name,
                "task": self.task,
                "n": self.n,
                "labels": self.labels,
                "positive": self.positive,
                "threshold": self.threshold,
                "level": self.level,
                "statistics": self.statistics,
                "auc": self.auc,
                "average_precision": self.average_precision,
                "roc": self.roc,
                "pr": self.pr,
                "calibration": self.calibration,
                "decision": self.decision,
                "multiclass_auc": self.multiclass_auc,
                **({"curves_thinned": CURVE_POINTS} if self.curves_thinned else {}),
            },
            json_safe=True,
        )

    def summary_row(self) -> list[Any]:
        """One line of the comparison table (binary reports)."""
        key = str(self.positive)
        s = self.statistics
        return [
            self.name,
            f"{self.auc[key].auc:.4f} [{self.auc[key].low:.4f}, {self.auc[key].high:.4f}]",
            f"{self.average_precision[key]:.4f}",
            f"{s.accuracy:.4f}",
            f"{s.sensitivity:.4f}",
            f"{s.specificity:.4f}",
            f"{self.calibration.brier:.4f}",
            f"{self.calibration.ece:.4f}",
        ]

    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) pairs of the text report."""
        where = (
            f"threshold {self.threshold:g} on P({self.positive})"
            if self.task == "binary"
            else "predicted class = highest probability"
        )
        if self.multiclass_auc is None:
            rows = [[k, str(self.auc[k]), f"{self.average_precision[k]:.4f}"] for k in self.auc]
            auc_text = tabulate(rows, headers=["class", "ROC AUC", "average precision"])
        else:
            ap = [[f"{k} vs rest", f"{v:.4f}"] for k, v in self.average_precision.items()]
            auc_text = (
                self.multiclass_auc.table()
                + "\n\n"
                + tabulate(ap, headers=["", "average precision"])
            )
        calibration = self.calibration.table()
        if self.task == "multiclass":
            calibration = "top-label confidence (highest probability vs. correct)\n" + calibration
        out = [
            (f"Statistics at the operating point ({where})", self.statistics.table()),
            ("Discrimination", auc_text),
            ("Calibration", calibration),
        ]
        for k, dc in self.decision.items():
            heading = "Decision curve" + ("" if self.task == "binary" else f" ({k} vs rest)")
            out.append((heading, dc.table()))
        return out

    def figures(self) -> list[tuple[str, Any]]:
        """(caption, draw(ax)) pairs of the report's figures."""
        figs: list[tuple[str, Any]] = [
            ("Confusion matrix", lambda ax: self.statistics.plot(ax=ax)),
        ]

        def draw_pr(ax: Any) -> Any:
            for k, curve in self.pr.items():
                label = None if self.task == "binary" else str(k)
                curve.plot(ax=ax, label=label)
            return unique_legend(ax, "lower left")

        figs += [
            ("ROC curve", lambda ax: self.plot(ax=ax)),
            ("Precision-recall curve", draw_pr),
            ("Reliability diagram", lambda ax: self.calibration.plot(ax=ax)),
        ]
        for k, dc in self.decision.items():
            caption = "Decision curve" + ("" if self.task == "binary" else f" ({k} vs rest)")
            figs.append((caption, lambda ax, dc=dc: dc.plot(ax=ax)))
        return figs


def _probability_matrix(y_score: Any, k: int | None) -> np.ndarray:
    """(n, K) probabilities in [0, 1], with K columns when ``k`` is given."""
    score = check_score_matrix(y_score)
    if score.min() < 0 or score.max() > 1:
        raise ValueError("y_score must hold probabilities in [0, 1]")
    if k is not None and score.shape[1] != k:
        raise ValueError(f"y_score has {score.shape[1]} columns but labels has {k} classes")
    return score


def evaluate(
    y_true: Any,
    y_score: Any,
    *,
    threshold: float | None = None,
    labels: Any = None,
    pos_label: Any = None,
    name: str = "model",
    level: float = 0.95,
    auc_ci_method: str = "delong",
    n_boot: int = 2000,
    random_state: Any = None,
    n_bins: int = 10,
    strategy: str = "uniform",
    decision_thresholds: Any = None,
    full_curves: bool = False,
) -> Report:
    """Evaluate one binary or multi-class model: statistics, AUC, PR, calibration, decisions.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels.
    y_score : array-like of shape (n,) or (n, K)
        Binary: the probability of the positive class, as (n,) or one column (n, 1) such
        as a sigmoid output (or an (n, 2) array whose columns follow ``labels``).
        Multi-class: one probability column per class, in the order of ``labels``, each
        row summing to 1 within 1e-3 (``cxreval._checks.ROW_SUM_TOLERANCE``: float32
        softmax output and probabilities rounded to 4 decimals pass).
    threshold : float, optional
        Binary: a case is called positive when its probability is ``>= threshold``
        (default 0.5). Multi-class predictions are the class with the highest
        probability, so a threshold is refused there.
    labels : sequence, optional
        The class labels in column order; by default the sorted labels of ``y_true``.
    pos_label : label, optional
        Binary: the positive class; by default the larger of the two labels. Refused
        for multi-class scores (every class is reported one-vs-rest).
    name : str, default "model"
        The model's name in tables and figures (any value but None, as text).
    level : float, default 0.95
        Confidence level of every interval.
    auc_ci_method : {"delong", "bootstrap"}, default "delong"
        Interval of the ROC AUC (:func:`cxreval.roc_auc_ci`); ``n_boot`` and
        ``random_state`` apply to the bootstrap.
    n_boot : int, default 2000
    random_state : None, int or numpy.random.Generator
    n_bins : int, default 10
        Bins of the reliability curve.
    strategy : {"uniform", "quantile"}, default "uniform"
        Equal-width or equal-mass bins.
    decision_thresholds : array-like, optional
        Threshold probabilities of the decision curve (default 0.01 ... 0.99).
    full_curves : bool, default False
        Keep every point of the ROC and precision-recall curves. By default a curve of
        more than 1000 points is thinned to about 1000 (:meth:`cxreval.ROCCurve.thinned`:
        the ends and the operating point are kept, and no dropped point lies farther
        than 1/1000 of the curve's length from the line drawn), which keeps a report of
        millions of cases small. The AUC, the average precision and every statistic
        are computed on all cases either way.

    Returns
    -------
    Report
        Prints as text tables; ``to_json()``, ``to_html()`` and ``save(folder)``.

    Examples
    --------
    >>> import numpy as np
    >>> import cxreval
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 200)
    >>> p = 1 / (1 + np.exp(-(2 * y - 1 + rng.normal(0, 1, 200))))
    >>> report = cxreval.evaluate(y, p, name="demo")
    >>> report.task, report.n, report.auc["1"].method
    ('binary', 200, 'DeLong')
    >>> print(f"{report.auc['1'].auc:.3f} {report.calibration.ece:.3f}")
    0.910 0.105
    """
    level = check_level(level)
    name = check_name(name)
    y = check_array_1d(y_true, "y_true")
    raw = read_array(y_score, "y_score")
    boot = {
        "ci_method": auc_ci_method,
        "level": level,
        "n_boot": n_boot,
        "random_state": random_state,
    }
    cal = {"n_bins": n_bins, "strategy": strategy, "level": level}
    if raw.ndim == 2 and raw.shape[1] > 2:
        for given, what in ((pos_label, "pos_label"), (threshold, "threshold")):
            if given is not None:
                raise ValueError(
                    f"{what}={given!r} applies to binary scores only; y_score has "
                    f"{raw.shape[1]} class columns, and a multi-class report predicts the "
                    "class with the highest probability and reports every class one-vs-rest"
                )
        return _evaluate_multiclass(
            y, raw, labels, name, level, boot, cal, decision_thresholds, full_curves
        )
    threshold = 0.5 if threshold is None else threshold
    if raw.ndim == 2:  # (n, 2): the positive class's column
        classes = np.unique(y).tolist() if labels is None else list(labels)
        if len(classes) != 2:
            raise ValueError(
                f"y_score has 2 columns but there are {len(classes)} classes "
                f"{classes[:10]}; give one probability column per class"
            )
        score2 = _probability_matrix(raw, 2)
        pos = classes[-1] if pos_label is None else pos_label
        if pos not in classes:
            raise ValueError(f"pos_label={pos!r} is not one of labels {classes}")
        raw = score2[:, classes.index(pos)]
        pos_label = pos
    check_binary_probabilities(y, raw, pos_label=pos_label, name="y_score")
    prob = check_scores(raw, "y_score")
    calibration = reliability_curve(y, prob, pos_label=pos_label, **cal)
    statistics = statmaker_from_predictions(
        y, y_score=prob, threshold=threshold, labels=labels, pos_label=pos_label, level=level
    )
    positive = statistics.positive
    key = str(positive)
    negative = next(lab for lab in statistics.labels if lab != positive)
    roc, roc_thinned = _kept(roc_curve(y, prob, pos_label=positive), full_curves, threshold)
    pr, pr_thinned = _kept(pr_curve(y, prob, pos_label=positive), full_curves, threshold)
    return Report(
        name=name,
        task="binary",
        n=len(y),
        labels=(negative, positive),
        positive=positive,
        threshold=float(threshold),
        level=level,
        statistics=statistics,
        auc={key: roc_auc_ci(y, prob, pos_label=positive, **boot)},
        roc={key: roc},
        pr={key: pr},
        average_precision={key: average_precision(y, prob, pos_label=positive)},
        calibration=calibration,
        decision={key: decision_curve(y, {name: prob}, thresholds=decision_thresholds,
                                      pos_label=positive)},
        curves_thinned=roc_thinned or pr_thinned,
    )  # fmt: skip


def _kept(curve: Any, full_curves: bool, threshold: float | None) -> tuple[Any, bool]:
    """The curve a report keeps, and whether it was thinned: whole, or thinned at once
    (keeping the operating point), so that a full curve of millions of points is not
    held longer than needed."""
    if full_curves:
        return curve, False
    thin = curve.thinned(threshold=threshold)
    return thin, thin is not curve


def _evaluate_multiclass(
    y: np.ndarray,
    raw: np.ndarray,
    labels: Any,
    name: str,
    level: float,
    boot: dict[str, Any],
    cal: dict[str, Any],
    decision_thresholds: Any,
    full_curves: bool,
) -> Report:
    classes = np.unique(y) if labels is None else check_array_1d(labels, "labels")
    if labels is None and raw.shape[1] != len(classes):
        raise ValueError(
            f"y_score has {raw.shape[1]} columns but y_true has {len(classes)} classes "
            f"{classes.tolist()[:10]}; give one probability column per class (in the "
            "order of labels=, which names classes absent from y_true)"
        )
    score = _probability_matrix(raw, len(classes))
    check_consistent_length(y_true=y, y_score=score)
    check_probability_rows(score)
    multiclass_auc = roc_auc_multiclass(y, score, labels=classes, **boot)
    predicted = classes[np.argmax(score, axis=1)]
    statistics = statmaker_from_predictions(y, predicted, labels=classes, level=level)
    correct = predicted == y
    keys = [str(label) for label in classes.tolist()]
    roc, pr, ap, decision, thinned = {}, {}, {}, {}, []
    for c, (key, label) in enumerate(zip(keys, classes.tolist(), strict=True)):
        is_class, p = y == label, score[:, c]
        roc[key], roc_thinned = _kept(multiclass_auc.curves[c], full_curves, None)
        pr[key], pr_thinned = _kept(pr_curve(is_class, p), full_curves, None)
        thinned += [roc_thinned, pr_thinned]
        ap[key] = average_precision(is_class, p)
        decision[key] = decision_curve(is_class, {name: p}, thresholds=decision_thresholds)
    return Report(
        name=name,
        task="multiclass",
        n=len(y),
        labels=tuple(classes.tolist()),
        positive=None,
        threshold=None,
        level=level,
        statistics=statistics,
        auc=dict(zip(keys, multiclass_auc.per_class, strict=True)),
        roc=roc,
        pr=pr,
        average_precision=ap,
        calibration=curve_from_outcomes(correct, score.max(axis=1), **cal),
        decision=decision,
        multiclass_auc=multiclass_auc,
        curves_thinned=any(thinned),
    )
