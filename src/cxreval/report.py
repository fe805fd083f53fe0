"""One report of a classifier, or a comparison of several, as text, JSON and HTML.

:func:`evaluate` gathers, for one model, statmaker's statistics at a threshold, the ROC
AUC with its interval, the ROC and precision-recall curves with the average precision,
the calibration and the decision curve. :func:`compare` does it for several models on the
same cases and adds pairwise DeLong tests with Holm-adjusted p-values. Each result prints
as text tables, converts to JSON-ready data (``to_dict``/``to_json``), renders a
self-contained HTML page with its figures embedded, and saves all three into a folder
(each atomically, and no other file there is touched).
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import json
import os
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    check_array_1d,
    check_binary_probabilities,
    check_consistent_length,
    check_level,
    check_random_state,
    check_score_matrix,
    check_scores,
    flatten_column,
)
from cxreval._plain import to_plain
from cxreval._version import __version__
from cxreval.calibration import ReliabilityCurve, curve_from_outcomes, reliability_curve
from cxreval.confusion import BinaryStatistics, MulticlassStatistics, statmaker_from_predictions
from cxreval.decision import DecisionCurve, decision_curve
from cxreval.delong import AUCComparison, delong_test
from cxreval.multiclass import MulticlassAUC, roc_auc_multiclass
from cxreval.roc import (
    AUCInterval,
    PRCurve,
    ROCCurve,
    average_precision,
    pr_curve,
    roc_auc_ci,
    roc_curve,
)

__all__ = ["Comparison", "Report", "compare", "evaluate", "holm_adjust", "load_report"]

#: Files a saved report folder holds.
REPORT_FILES = ("report.txt", "report.json", "report.html")


def holm_adjust(p_values: Any) -> np.ndarray:
    """Holm's step-down adjustment of p-values for multiple comparisons.

    The i-th smallest of m p-values is multiplied by ``m - i + 1`` (i from 1), the
    running maximum is taken so the order is kept, and the result is capped at 1. It
    controls the family-wise error rate without assuming independence (Holm, 1979).

    A NaN p-value (an undefined test, e.g. DeLong's with fewer than two cases of a class)
    stays NaN and is not counted: the others are adjusted among themselves, as R's
    ``p.adjust`` does with ``NA``.

    Parameters
    ----------
    p_values : array-like of shape (m,)
        P-values in [0, 1], or NaN.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, in the order given.

    Examples
    --------
    >>> from cxreval.report import holm_adjust
    >>> holm_adjust([0.01, 0.04, 0.03]).tolist()  # 3 * .01, 2 * .03, max(1 * .04, .06)
    [0.03, 0.06, 0.06]
    >>> holm_adjust([0.01, float("nan"), 0.03]).tolist()  # two defined tests
    [0.02, nan, 0.03]
    """
    p = check_array_1d(p_values, "p_values", numeric=True).astype(float)
    defined = ~np.isnan(p)
    if (p[defined] < 0).any() or (p[defined] > 1).any():
        raise ValueError("p_values must be numbers in [0, 1] (or NaN for an undefined test)")
    m = int(defined.sum())
    order = np.flatnonzero(defined)[np.argsort(p[defined], kind="stable")]
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    adjusted = np.full(len(p), np.nan)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def _unique_legend(ax: Any, loc: str) -> Any:
    """Redraw the legend with each label once (overlaid curves repeat their guide lines)."""
    first: dict[str, Any] = {}
    for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
        first.setdefault(label, handle)
    ax.legend(list(first.values()), list(first), loc=loc, fontsize="small")
    return ax


def _png_base64(draw: Any, figsize: tuple[float, float] = (6.0, 4.5)) -> str:
    """Draw with ``draw(ax)`` on an off-screen figure; return the PNG as base64 text."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    draw(fig.subplots())
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


_CSS = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
    "pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:.85em}"
    "img{max-width:100%;display:block;margin:1em 0}h2{border-bottom:1px solid #ccc}"
)


class _Document:
    """Text, JSON, HTML and saving, shared by :class:`Report` and :class:`Comparison`.

    A subclass provides ``title``, ``to_dict()``, ``sections()`` (heading, text) and
    ``figures()`` (caption, ``draw(ax)``).
    """

    def table(self) -> str:
        """Every section as text tables."""
        parts = [self.title, "=" * len(self.title)]
        for heading, text in self.sections():
            parts += ["", heading, "-" * len(heading), text]
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.table()

    def to_json(self, indent: int | None = 2) -> str:
        """The report as strict JSON (NaN written as null)."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    def to_html(self) -> str:
        """A self-contained HTML page: the text tables and every figure as embedded PNG."""
        body = [f"<h1>{html.escape(self.title)}</h1>"]
        body.append(f"<p>cxreval {html.escape(__version__)}</p>")
        for heading, text in self.sections():
            body.append(f"<h2>{html.escape(heading)}</h2><pre>{html.escape(text)}</pre>")
        body.append("<h2>Figures</h2>")
        for caption, draw in self.figures():
            data = _png_base64(draw)
            alt = html.escape(caption)
            body.append(
                f'<figure><img alt="{alt}" src="data:image/png;base64,{data}">'
                f"<figcaption>{alt}</figcaption></figure>"
            )
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(self.title)}</title><style>{_CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>\n"
        )

    def save(self, directory: str | os.PathLike, *, force: bool = False) -> Path:
        """Write ``report.txt``, ``report.json`` and ``report.html`` into ``directory``.

        The folder is created if needed. Only these three files are written: any other
        file in the folder (the predictions, notes, an older report under another name)
        is left as it is, so ``directory`` may be the folder that holds the input.

        Each file is written under a temporary name in the folder and renamed over its
        final name (``os.replace``). If saving fails part-way, the files already
        replaced are put back, so the folder holds either the previous report or the
        new one, never a mix or a half-written file, and no temporary file is left (should
        putting a file back fail too, its previous content is kept beside it as
        ``.report.NAME.<hex>.old``); folders the call created are removed again.

        Parameters
        ----------
        directory : str or os.PathLike
            The report folder.
        force : bool, default False
            Replace an existing report (any of the three files already in the folder);
            without it an existing report raises :class:`FileExistsError`.

        Returns
        -------
        pathlib.Path
            The report folder.
        """
        target = _check_report_folder(directory, force=force)
        contents = {
            "report.txt": self.table() + "\n",
            "report.json": self.to_json() + "\n",
            "report.html": self.to_html(),
        }
        created = [f for f in (target, *target.parents) if not f.exists()]  # deepest first
        target.mkdir(parents=True, exist_ok=True)
        try:
            _replace_together(target, contents)
        except BaseException:
            for made in created:  # the folders this call made, empty again
                with contextlib.suppress(OSError):
                    made.rmdir()
            raise
        return target


def _check_report_folder(
    directory: str | os.PathLike, *, force: bool = False, option: str = "force=True"
) -> Path:
    """Return ``directory`` as a Path if a report may be saved there, else raise.

    Raises :class:`FileExistsError` when ``directory`` is a file, when one of
    ``report.txt``, ``report.json`` or ``report.html`` in it is a folder, or when a
    report file exists and ``force`` is False (the message says to pass ``option``).
    Other files in the folder do not matter: saving never touches them.
    """
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{target} exists and is not a folder")
    existing = [name for name in REPORT_FILES if os.path.lexists(target / name)]
    for name in existing:
        if (target / name).is_dir():
            raise FileExistsError(f"{target / name} is a folder, not a report file")
    if existing and not force:
        raise FileExistsError(
            f"{target} already holds a report ({', '.join(existing)}); pass {option} to replace it"
        )
    return target


def _replace_together(folder: Path, contents: dict[str, str]) -> None:
    """Write every ``{name: text}`` into ``folder``; all are replaced or none is.

    The new files are written in full under temporary names first. An existing file
    gets a second (hard-linked, else copied) name before the new one is renamed over
    it, so its old content can be put back if a later step fails. Should putting a file
    back fail as well, its previous content is left beside it as ``.NAME.<hex>.old``
    (never deleted) and the error that stopped the save is raised.
    """
    temporary: dict[str, Path] = {}
    backups: dict[str, Path] = {}
    replaced: list[str] = []
    not_restored: set[str] = set()
    try:
        for name, text in contents.items():
            temporary[name] = _write_new(folder, name, text)
        for name in contents:
            final = folder / name
            if os.path.lexists(final):
                backups[name] = _backup(final)
            os.replace(temporary[name], final)
            del temporary[name]
            replaced.append(name)
    except BaseException:
        for name in reversed(replaced):  # put the previous report back, file by file
            try:
                if name in backups:
                    os.replace(backups.pop(name), folder / name)
                else:
                    os.unlink(folder / name)
            except OSError:  # keep going; this file's previous content stays in its backup
                not_restored.add(name)
        raise  # the error that stopped the save, not one met while rolling back
    finally:
        for path in temporary.values():
            path.unlink(missing_ok=True)
        for name, path in backups.items():
            if name not in not_restored:
                path.unlink(missing_ok=True)


def _write_new(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` to a new hidden file ``folder/.name.<random>.tmp``; return its path."""
    while True:
        path = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            handle = path.open("x", encoding="utf-8")
        except FileExistsError:
            continue
        break
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _backup(path: Path) -> Path:
    """A second name for ``path``'s current content: ``.name.<random>.old`` beside it."""
    while True:
        backup = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old")
        try:
            os.link(path, backup)
        except FileExistsError:
            continue
        except OSError:  # no hard links here (e.g. FAT, some network drives): copy
            shutil.copy2(path, backup, follow_symlinks=False)
        return backup


def load_report(path: str | os.PathLike) -> dict[str, Any]:
    """Read a saved ``report.json`` (or the folder holding it) back into a dictionary.

    Parameters
    ----------
    path : str or os.PathLike
        A report folder written by ``save`` or the ``report.json`` file in it.

    Returns
    -------
    dict
        The report's data: equal to the ``to_dict()`` of the report that was saved
        (undefined values are None).

    Examples
    --------
    >>> import tempfile
    >>> import cxreval
    >>> from cxreval.report import load_report
    >>> report = cxreval.evaluate([0, 1, 0, 1, 0, 1], [0.1, 0.8, 0.4, 0.7, 0.6, 0.3])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     saved = report.save(folder)
    ...     load_report(saved) == report.to_dict()
    True
    """
    path = Path(path)
    if path.is_dir():
        path = path / "report.json"
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Report(_Document):
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
        The curves, keyed like ``auc``.
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

        def draw_roc(ax: Any) -> Any:
            for k, curve in self.roc.items():
                label = None if self.task == "binary" else str(k)
                curve.plot(ax=ax, auc_ci=self.auc[k], label=label)
            return _unique_legend(ax, "lower right")

        def draw_pr(ax: Any) -> Any:
            for k, curve in self.pr.items():
                label = None if self.task == "binary" else str(k)
                curve.plot(ax=ax, label=label)
            return _unique_legend(ax, "lower left")

        figs += [
            ("ROC curve", draw_roc),
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
    threshold: float = 0.5,
    labels: Any = None,
    positive: Any = None,
    name: str = "model",
    level: float = 0.95,
    auc_method: str = "delong",
    n_boot: int = 2000,
    random_state: Any = None,
    n_bins: int = 10,
    strategy: str = "uniform",
    thresholds: Any = None,
) -> Report:
    """Evaluate one binary or multi-class model: statistics, AUC, PR, calibration, decisions.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels.
    y_score : array-like of shape (n,) or (n, K)
        Binary: the probability of the positive class, as (n,) or one column (n, 1) such
        as a sigmoid output (or an (n, 2) array whose columns follow ``labels``).
        Multi-class: one probability column per class, in the order of ``labels``.
    threshold : float, default 0.5
        Binary: a case is called positive when its probability is ``>= threshold``.
        Multi-class predictions are the class with the highest probability.
    labels : sequence, optional
        The class labels in column order; by default the sorted labels of ``y_true``.
    positive : label, optional
        Binary: the positive class; by default the larger of the two labels.
    name : str, default "model"
        The model's name in tables and figures.
    level : float, default 0.95
        Confidence level of every interval.
    auc_method : {"delong", "bootstrap"}, default "delong"
        Interval of the ROC AUC (:func:`cxreval.roc_auc_ci`); ``n_boot`` and
        ``random_state`` apply to the bootstrap.
    n_boot : int, default 2000
    random_state : None, int or numpy.random.Generator
    n_bins : int, default 10
        Bins of the reliability curve.
    strategy : {"uniform", "quantile"}, default "uniform"
        Equal-width or equal-mass bins.
    thresholds : array-like, optional
        Threshold probabilities of the decision curve (default 0.01 ... 0.99).

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
    y = check_array_1d(y_true, "y_true")
    raw = flatten_column(y_score)
    boot = {"method": auc_method, "level": level, "n_boot": n_boot, "random_state": random_state}
    cal = {"n_bins": n_bins, "strategy": strategy, "level": level}
    if raw.ndim == 2 and raw.shape[1] > 2:
        return _evaluate_multiclass(y, raw, labels, str(name), level, boot, cal, thresholds)
    if raw.ndim == 2:  # (n, 2): the positive class's column
        classes = np.unique(y).tolist() if labels is None else list(labels)
        score2 = _probability_matrix(raw, 2)
        pos = classes[-1] if positive is None else positive
        if pos not in classes:
            raise ValueError(f"positive={pos!r} is not one of labels {classes}")
        raw = score2[:, classes.index(pos)]
        positive = pos
    check_binary_probabilities(y, raw, positive=positive, name="y_score")
    prob = check_scores(raw, "y_score")
    calibration = reliability_curve(y, prob, positive=positive, **cal)
    statistics = statmaker_from_predictions(
        y, y_score=prob, threshold=threshold, labels=labels, positive=positive, level=level
    )
    positive = statistics.positive
    key = str(positive)
    negative = next(lab for lab in statistics.labels if lab != positive)
    return Report(
        name=str(name),
        task="binary",
        n=len(y),
        labels=(negative, positive),
        positive=positive,
        threshold=float(threshold),
        level=level,
        statistics=statistics,
        auc={key: roc_auc_ci(y, prob, positive=positive, **boot)},
        roc={key: roc_curve(y, prob, positive=positive)},
        pr={key: pr_curve(y, prob, positive=positive)},
        average_precision={key: average_precision(y, prob, positive=positive)},
        calibration=calibration,
        decision={key: decision_curve(y, {str(name): prob}, thresholds=thresholds,
                                      positive=positive)},
    )  # fmt: skip


def _evaluate_multiclass(
    y: np.ndarray,
    raw: np.ndarray,
    labels: Any,
    name: str,
    level: float,
    boot: dict[str, Any],
    cal: dict[str, Any],
    thresholds: Any,
) -> Report:
    classes = np.unique(y) if labels is None else check_array_1d(labels, "labels")
    score = _probability_matrix(raw, len(classes))
    check_consistent_length(y_true=y, y_score=score)
    multiclass_auc = roc_auc_multiclass(y, score, labels=classes, **boot)
    predicted = classes[np.argmax(score, axis=1)]
    statistics = statmaker_from_predictions(y, predicted, labels=classes, level=level)
    correct = predicted == y
    keys = [str(label) for label in classes.tolist()]
    pr, ap, decision = {}, {}, {}
    for c, (key, label) in enumerate(zip(keys, classes.tolist(), strict=True)):
        is_class, p = y == label, score[:, c]
        pr[key] = pr_curve(is_class, p)
        ap[key] = average_precision(is_class, p)
        decision[key] = decision_curve(is_class, {name: p}, thresholds=thresholds)
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
        roc=dict(zip(keys, multiclass_auc.curves, strict=True)),
        pr=pr,
        average_precision=ap,
        calibration=curve_from_outcomes(correct, score.max(axis=1), **cal),
        decision=decision,
        multiclass_auc=multiclass_auc,
    )


@dataclass(frozen=True)
class Comparison(_Document):
    """Reports of several binary models on the same cases and their pairwise tests.

    Attributes
    ----------
    reports : dict of str to Report
        One report per model.
    tests : dict of (str, str) to AUCComparison
        DeLong's paired test for every pair of models (AUC of the first minus the second).
    p_holm : dict of (str, str) to float
        The tests' p-values after Holm's adjustment over all pairs.
    decision : DecisionCurve
        Every model's net benefit on one grid.
    """

    reports: dict[str, Report]
    tests: dict[tuple[str, str], AUCComparison]
    p_holm: dict[tuple[str, str], float]
    decision: DecisionCurve

    @property
    def title(self) -> str:
        first = next(iter(self.reports.values()))
        return f"cxreval comparison: {', '.join(self.reports)} (n = {first.n})"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; ``json.loads(c.to_json()) == c.to_dict()``."""
        tests = [
            {"a": a, "b": b, **test.to_dict(), "p_holm": self.p_holm[(a, b)]}
            for (a, b), test in self.tests.items()
        ]
        return to_plain(
            {
                "cxreval_version": __version__,
                "models": self.reports,
                "tests": tests,
                "multiple_comparisons": "Holm",
                "decision": self.decision,
            },
            json_safe=True,
        )

    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) pairs: the summary, the tests, then each model's report."""
        first = next(iter(self.reports.values()))
        pct = f"{first.level:.0%}"
        summary = tabulate(
            [r.summary_row() for r in self.reports.values()],
            headers=["model", f"ROC AUC [{pct} CI]", "AP", "accuracy", "sensitivity",
                     "specificity", "Brier", "ECE"],
        )  # fmt: skip
        rows = [
            [a, b, f"{t.difference:+.4f}", f"[{t.low:+.4f}, {t.high:+.4f}]", f"{t.statistic:.3f}",
             f"{t.p_value:.4g}", f"{self.p_holm[(a, b)]:.4g}"]
            for (a, b), t in self.tests.items()
        ]  # fmt: skip
        tests = tabulate(rows, headers=["a", "b", "AUC a - b", f"{pct} CI", "Z", "p", "p (Holm)"])
        out = [
            (f"Models (threshold {first.threshold:g} on P({first.positive}))", summary),
            ("Pairwise DeLong tests (paired), Holm-adjusted", tests),
            ("Decision curves", self.decision.table()),
        ]
        for name, report in self.reports.items():
            out += [(f"{name}: {heading}", text) for heading, text in report.sections()]
        return out

    def figures(self) -> list[tuple[str, Any]]:
        """(caption, draw(ax)) pairs: overlays of every model, then confusion matrices."""
        reports = list(self.reports.items())
        key = str(reports[0][1].positive)

        def overlay(kind: str) -> Any:
            def draw(ax: Any) -> Any:
                for name, r in reports:
                    if kind == "roc":
                        r.roc[key].plot(ax=ax, auc_ci=r.auc[key], label=name)
                    elif kind == "pr":
                        r.pr[key].plot(ax=ax, label=name)
                    else:
                        r.calibration.plot(ax=ax, label=f"{name} (ECE {r.calibration.ece:.3f})")
                return _unique_legend(ax, "upper left" if kind == "calibration" else "lower right")

            return draw

        figs = [
            ("ROC curves", overlay("roc")),
            ("Precision-recall curves", overlay("pr")),
            ("Reliability diagrams", overlay("calibration")),
            ("Decision curves", lambda ax: self.decision.plot(ax=ax)),
        ]
        for name, r in reports:
            figs.append((f"Confusion matrix: {name}", lambda ax, r=r: r.statistics.plot(ax=ax)))
        return figs


def _one_seed(random_state: Any) -> Any:
    """An int seed for every model's bootstrap: drawn once from a Generator or fresh (None).

    Every model then resamples the same cases, and each report records a seed that
    reproduces its interval. An int is returned as given.
    """
    if random_state is None or isinstance(random_state, np.random.Generator):
        return int(check_random_state(random_state).integers(2**63))
    return random_state


def compare(
    y_true: Any,
    models: Mapping[str, Any],
    *,
    threshold: float = 0.5,
    positive: Any = None,
    level: float = 0.95,
    **options: Any,
) -> Comparison:
    """Evaluate several binary models on the same cases and test their AUCs pairwise.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels.
    models : mapping of str to array-like of shape (n,) or (n, 1)
        ``{name: probability of the positive class}``, at least two models; names must
        differ as strings.
    threshold, positive, level
        As in :func:`evaluate`.
    **options
        Passed to :func:`evaluate` (``auc_method``, ``n_bins``, ``strategy``, ...).
        With ``auc_method="bootstrap"`` every model resamples the same cases: a
        ``random_state`` that is None or a Generator gives one int seed, drawn once,
        which each report records.

    Returns
    -------
    Comparison
        Every model's :class:`Report`, DeLong's paired test for each pair with
        Holm-adjusted p-values, and one decision curve of all models.

    Examples
    --------
    >>> import numpy as np
    >>> import cxreval
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 300)
    >>> good = 1 / (1 + np.exp(-(2 * y - 1 + rng.normal(0, 0.8, 300))))
    >>> weak = 1 / (1 + np.exp(-(0.3 * (2 * y - 1) + rng.normal(0, 0.8, 300))))
    >>> c = cxreval.compare(y, {"good": good, "weak": weak})
    >>> test = c.tests[("good", "weak")]
    >>> bool(test.difference > 0), bool(c.p_holm[("good", "weak")] < 0.05)
    (True, True)
    """
    if not isinstance(models, Mapping) or len(models) < 2:
        raise ValueError("models must be a mapping of at least two {name: probabilities}")
    names = [str(k) for k in models]
    if len(set(names)) != len(names):
        raise ValueError(f"models must have distinct names, got {names}")
    scores = {name: flatten_column(m) for name, m in zip(names, models.values(), strict=True)}
    for name, score in scores.items():
        if score.ndim != 1:
            raise ValueError(
                f"models[{name!r}] must be 1-D probabilities of the positive class; "
                "compare() tests binary models"
            )
    if options.get("auc_method") == "bootstrap":
        options["random_state"] = _one_seed(options.get("random_state"))
    reports = {
        name: evaluate(y_true, score, threshold=threshold, positive=positive, level=level,
                       name=name, **options)
        for name, score in scores.items()
    }  # fmt: skip
    positive = next(iter(reports.values())).positive
    pairs = list(combinations(names, 2))
    tests = {
        (a, b): delong_test(y_true, scores[a], scores[b], positive=positive, level=level)
        for a, b in pairs
    }
    adjusted = holm_adjust([t.p_value for t in tests.values()])
    decision = decision_curve(
        y_true, scores, thresholds=options.get("thresholds"), positive=positive
    )
    return Comparison(
        reports=reports,
        tests=tests,
        p_holm={pair: float(p) for pair, p in zip(pairs, adjusted, strict=True)},
        decision=decision,
    )
