"""A multi-label model's evaluation, finding by finding: thresholds chosen on validation
data, AUCs with patient-clustered intervals, sensitivity and specificity at the
thresholds, and the same per subgroup (sex).

:func:`cxrzoo.evaluate` comes here for multi-label data (a label matrix with NaN for a
finding not labelled). Each finding is scored on its labelled images only. With patient
IDs the AUC interval is Obuchowski's clustered one
(:func:`cxreval.roc_auc_ci` with ``groups=``) and the proportions' intervals are
clustered (:func:`cxreval.statmaker_from_predictions` with ``groups=``); without them
DeLong's and Wilson's.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cxreval._io import write_atomic
from cxreval.exceptions import UndefinedStatisticWarning
from cxreval.inference import roc_auc_ci
from cxreval.operating_point import operating_point
from cxreval.statmaker import statmaker_from_predictions

__all__ = [
    "FindingResult",
    "MultiLabelEvaluation",
    "evaluate_findings",
    "finding_thresholds",
    "refuse_existing",
    "subgroup_results",
]

#: The files :meth:`MultiLabelEvaluation.save` writes, relative to its folder.
OUTPUTS = ("report.txt", "evaluation.json", "predictions.csv")

#: How the text names each criterion of :func:`cxreval.operating_point`.
CRITERIA = {
    "youden": "Youden's J",
    "sensitivity": "sensitivity",
    "specificity": "specificity",
    "closest_topleft": "closest to (0, 1)",
}


def refuse_existing(out: Path, files: Sequence[str]) -> None:
    """Raise FileExistsError naming every one of ``files`` already in ``out``."""
    existing = [f for f in files if os.path.lexists(out / f)]
    if existing:
        raise FileExistsError(
            f"{str(out)!r} already holds an evaluation ({', '.join(existing)}); choose "
            "another folder or pass force=True (--force) to replace it"
        )


def observed(y_true: np.ndarray, y_score: np.ndarray, j: int) -> tuple[np.ndarray, np.ndarray]:
    """(0/1 labels, scores) of finding ``j`` on the images where it is labelled."""
    keep = ~np.isnan(y_true[:, j])
    return (y_true[keep, j] > 0.5).astype(int), y_score[keep, j]


def finding_thresholds(
    y_true: Any,
    y_score: Any,
    findings: Sequence[str],
    *,
    criterion: str = "youden",
    target: float | None = None,
) -> dict[str, tuple[float, str]]:
    """Each finding's decision threshold, chosen on validation data by
    :func:`cxreval.operating_point`.

    Parameters
    ----------
    y_true : array-like of shape (n, L)
        1, 0 or NaN (not labelled: the image is left out for that finding).
    y_score : array-like of shape (n, L)
        Predicted probabilities.
    findings : sequence of str
        The L findings, in column order.
    criterion, target
        As :func:`cxreval.operating_point` (``"youden"``, or ``"sensitivity"`` with e.g.
        ``target=0.9``).

    Returns
    -------
    dict of str to (float, str)
        Finding -> (threshold, how it was chosen). A finding whose validation labels
        are all of one class keeps 0.5.

    Examples
    --------
    >>> y = np.array([[1, 0], [0, np.nan], [1, 1], [0, 0]])
    >>> s = np.array([[0.9, 0.2], [0.3, 0.5], [0.6, 0.7], [0.1, 0.4]])
    >>> finding_thresholds(y, s, ["Mass", "Edema"])["Mass"]
    (0.6, "Youden's J on validation data, n = 4")
    """
    y_true, y_score = np.asarray(y_true, float), np.asarray(y_score, float)
    chosen = {}
    goal = "" if target is None else f" >= {target:g}"
    for j, finding in enumerate(findings):
        y, s = observed(y_true, y_score, j)
        if y.size == 0 or y.min() == y.max():
            chosen[finding] = (0.5, "default 0.5 (validation data has one class)")
            continue
        point = operating_point(y, s, criterion=criterion, target=target, zero_division=np.nan)
        method = f"{CRITERIA[criterion]}{goal} on validation data, n = {y.size}"
        chosen[finding] = (float(point.threshold), method)
    return chosen


@dataclass(frozen=True)
class FindingResult:
    """One finding's evaluation.

    Attributes
    ----------
    finding : str
    n, n_pos : int
        Labelled images, and positive ones.
    n_patients : int or None
        Patients among the labelled images (None without patient IDs).
    auc, auc_low, auc_high : float
        The ROC AUC and its interval (NaN when the finding has one class here).
    auc_method : str
        ``"Obuchowski (clustered DeLong)"`` or ``"DeLong"``.
    threshold : float
    threshold_method : str
    sensitivity, specificity : tuple of three floats
        (estimate, low, high) at the threshold.
    interval_method : str
        How the proportions' intervals were computed.
    """

    finding: str
    n: int
    n_pos: int
    n_patients: int | None
    auc: float
    auc_low: float
    auc_high: float
    auc_method: str
    threshold: float
    threshold_method: str
    sensitivity: tuple[float, float, float]
    specificity: tuple[float, float, float]
    interval_method: str

    def to_dict(self) -> dict[str, Any]:
        """The fields as JSON-ready values (NaN as None)."""
        return {k: _plain(getattr(self, k)) for k in self.__dataclass_fields__}


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


NAN3 = (math.nan, math.nan, math.nan)


def evaluate_findings(
    y_true: Any,
    y_score: Any,
    findings: Sequence[str],
    *,
    patient_ids: Any = None,
    thresholds: Mapping[str, tuple[float, str]] | None = None,
    level: float = 0.95,
) -> dict[str, FindingResult]:
    """Every finding's AUC with its interval and its sensitivity and specificity at its
    threshold, each on the images where the finding is labelled.

    Parameters
    ----------
    y_true, y_score : array-like of shape (n, L)
        Labels (1, 0, NaN for not labelled) and predicted probabilities.
    findings : sequence of str
    patient_ids : array-like of shape (n,), optional
        With them every interval is patient-clustered.
    thresholds : mapping, optional
        Finding -> (threshold, how chosen), e.g. :func:`finding_thresholds`' result;
        default 0.5 for every finding.
    level : float
        Confidence level.

    Returns
    -------
    dict of str to FindingResult

    Examples
    --------
    >>> y = np.array([[1, 0], [0, np.nan], [1, 1], [0, 0], [1, 1], [0, 0]])
    >>> s = np.array([[.9, .2], [.3, .5], [.6, .7], [.1, .4], [.8, .6], [.4, .3]])
    >>> r = evaluate_findings(y, s, ["Mass", "Edema"], patient_ids=[1, 1, 2, 3, 4, 5])
    >>> r["Mass"].auc, r["Mass"].auc_method, r["Edema"].n
    (1.0, 'Obuchowski (clustered DeLong)', 5)
    """
    y_true, y_score = np.asarray(y_true, float), np.asarray(y_score, float)
    groups = None if patient_ids is None else np.asarray(patient_ids)
    results = {}
    for j, finding in enumerate(findings):
        keep = ~np.isnan(y_true[:, j])
        y, s = observed(y_true, y_score, j)
        threshold, how = (thresholds or {}).get(finding, (0.5, "default 0.5"))
        ids = None if groups is None else groups[keep]
        auc, method, sens, spec, interval = NAN3, "", NAN3, NAN3, ""
        if y.size and y.min() != y.max():
            auc, method = _auc(y, s, ids, level)
            sens, spec, interval = _proportions(y, (s >= threshold).astype(int), ids, level)
        else:
            warnings.warn(
                f"{finding}: {y.size} labelled image(s), all of one class: no AUC",
                UndefinedStatisticWarning,
                stacklevel=2,
            )
        results[finding] = FindingResult(
            finding=finding,
            n=int(y.size),
            n_pos=int(y.sum()),
            n_patients=None if ids is None else len(np.unique(ids)),
            auc=auc[0],
            auc_low=auc[1],
            auc_high=auc[2],
            auc_method=method,
            threshold=float(threshold),
            threshold_method=how,
            sensitivity=sens,
            specificity=spec,
            interval_method=interval,
        )
    return results


def _auc(y, s, ids, level) -> tuple[tuple[float, float, float], str]:
    """(AUC, low, high) and the method: clustered with patient IDs, else DeLong."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # too few clusters: NaN interval
        if ids is not None and len(np.unique(ids)) > 1:
            ci = roc_auc_ci(y, s, groups=ids, level=level)
        else:
            ci = roc_auc_ci(y, s, level=level)
    return (float(ci.auc), float(ci.low), float(ci.high)), ci.method


def _proportions(y, pred, ids, level):
    """Sensitivity and specificity with their intervals (clustered with patient IDs)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedStatisticWarning)
        if ids is not None and len(np.unique(ids)) > 1:
            res = statmaker_from_predictions(
                y, pred, labels=[0, 1], pos_label=1, level=level, groups=ids
            )
            three = [(res[k], *res.ci[k]) for k in ("recall", "specificity")]
            return (*(tuple(float(v) for v in t) for t in three), res.ci_methods["recall"])
        stats = statmaker_from_predictions(y, pred, labels=[0, 1], pos_label=1, level=level)
    three = [(stats[k], *stats.ci[k]) for k in ("recall", "specificity")]
    return (*(tuple(float(v) for v in t) for t in three), "Wilson")


def subgroup_results(
    y_true: Any,
    y_score: Any,
    findings: Sequence[str],
    values: Any,
    *,
    patient_ids: Any = None,
    thresholds: Mapping[str, tuple[float, str]] | None = None,
    level: float = 0.95,
    ignore: Sequence[str] = ("unknown", ""),
) -> dict[str, dict[str, FindingResult]]:
    """:func:`evaluate_findings` within each value of a demographic (e.g. sex), at the
    same thresholds; images whose value is in ``ignore`` are left out.

    Examples
    --------
    >>> y = np.array([[1], [0], [1], [0], [1], [0]])
    >>> s = np.array([[.9], [.3], [.6], [.1], [.2], [.4]])
    >>> r = subgroup_results(y, s, ["Mass"], ["F", "F", "F", "M", "M", "M"])
    >>> {sex: res["Mass"].auc for sex, res in r.items()}
    {'F': 1.0, 'M': 0.5}
    """
    y_true, y_score, values = np.asarray(y_true, float), np.asarray(y_score), np.asarray(values)
    groups = None if patient_ids is None else np.asarray(patient_ids)
    out = {}
    for value in sorted({str(v) for v in values} - set(ignore)):
        rows = values.astype(str) == value
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedStatisticWarning)
            out[value] = evaluate_findings(
                y_true[rows],
                y_score[rows],
                findings,
                patient_ids=None if groups is None else groups[rows],
                thresholds=thresholds,
                level=level,
            )
    return out


def _row(r: FindingResult) -> list[str]:
    def three(t):
        return "" if math.isnan(t[0]) else f"{t[0]:.3f} ({t[1]:.3f}-{t[2]:.3f})"

    return [
        r.finding,
        r.n,
        r.n_pos,
        three((r.auc, r.auc_low, r.auc_high)),
        f"{r.threshold:.3g}",
        three(r.sensitivity),
        three(r.specificity),
    ]


@dataclass(frozen=True, eq=False)
class MultiLabelEvaluation:
    """A multi-label model's evaluation on one split.

    Attributes
    ----------
    name : str
    findings : dict of str to FindingResult
    subgroups : dict of str to dict of str to dict of str to FindingResult
        Demographic (``"sex"``) -> its value -> finding -> result.
    class_names : tuple of str
        The findings, in the model's output order.
    y_true, y_score : numpy.ndarray
        ``(n, L)`` labels (NaN: not labelled) and probabilities.
    patient_ids : numpy.ndarray or None
    paths : tuple of str or None
    skipped : tuple of str
    source : str
    level : float
    """

    name: str
    findings: dict[str, FindingResult]
    subgroups: dict[str, dict[str, dict[str, FindingResult]]]
    class_names: tuple[str, ...]
    y_true: np.ndarray
    y_score: np.ndarray
    patient_ids: np.ndarray | None
    paths: tuple[str, ...] | None
    skipped: tuple[str, ...]
    source: str
    level: float = 0.95

    @property
    def aucs(self) -> dict[str, float]:
        """Finding -> AUC."""
        return {f: r.auc for f, r in self.findings.items()}

    def to_dict(self) -> dict[str, Any]:
        """Every result as JSON-ready values."""
        return {
            "name": self.name,
            "task": "multi_label",
            "source": self.source,
            "n": len(self.y_true),
            "level": self.level,
            "skipped": list(self.skipped),
            "findings": {f: r.to_dict() for f, r in self.findings.items()},
            "subgroups": {
                attr: {v: {f: r.to_dict() for f, r in res.items()} for v, res in by.items()}
                for attr, by in self.subgroups.items()
            },
        }

    def table(self) -> str:
        """Per-finding results, then per subgroup, as text tables."""
        from tabulate import tabulate

        pct = f"{100 * self.level:g}%"
        headers = ["finding", "n", "pos", f"AUC ({pct} CI)", "threshold", "sensitivity",
                   "specificity"]  # fmt: skip
        methods = {r.auc_method for r in self.findings.values() if r.auc_method}
        head = f"{self.name}: multi-label, data {self.source}; n = {len(self.y_true)}"
        if self.patient_ids is not None:
            head += f", {len(np.unique(self.patient_ids))} patients"
        parts = [
            head,
            tabulate([_row(r) for r in self.findings.values()], headers=headers),
            f"AUC intervals: {', '.join(sorted(methods)) or '-'}",
        ]
        for attr, by in self.subgroups.items():
            for value, res in by.items():
                parts.append(f"\n{attr} = {value}")
                parts.append(tabulate([_row(r) for r in res.values()], headers=headers))
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.table()

    def save(self, out: Any, *, force: bool = False) -> Path:
        """Write ``report.txt``, ``evaluation.json`` and ``predictions.csv`` into ``out``
        (atomically); existing ones raise FileExistsError unless ``force``."""
        out = Path(out)
        if not force:
            refuse_existing(out, OUTPUTS)
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / "report.txt", self.table() + "\n")
        write_atomic(out / "evaluation.json", json.dumps(self.to_dict(), indent=2))
        write_atomic(out / "predictions.csv", self._predictions_csv())
        return out

    def _predictions_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        names = list(self.class_names)
        writer.writerow(["index", "path", "patient", *names, *(f"p_{c}" for c in names)])
        for i, (labels, scores) in enumerate(zip(self.y_true, self.y_score, strict=True)):
            writer.writerow(
                [
                    i,
                    "" if self.paths is None else self.paths[i],
                    "" if self.patient_ids is None else self.patient_ids[i],
                    *("" if math.isnan(v) else int(v) for v in labels),
                    *(f"{v:.6g}" for v in scores),
                ]
            )
        return buffer.getvalue()
