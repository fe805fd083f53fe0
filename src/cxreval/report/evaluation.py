"""One report of a classifier: :func:`evaluate` and its :class:`Report`.

:func:`evaluate` gathers, for one model, statmaker's statistics at a threshold, the ROC
AUC with its interval, the ROC and precision-recall curves with the average precision,
the calibration and the decision curve. The report prints as text tables, converts to
JSON-ready data (``to_dict``/``to_json``), renders a self-contained HTML page with its
figures embedded, and saves them into a folder with Table 1 (CSV, Markdown, LaTeX) and
the methods paragraph with its BibTeX.

One job: one model's report -- what :func:`evaluate` computes and how the
:class:`Report` lays it out (Table 1's rows, the methods it names, which figure goes
beside which table); rendering and saving are :mod:`cxreval.report.render`'s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    check_alternative,
    check_array_1d,
    check_binary_probabilities,
    check_bool,
    check_choice,
    check_consistent_length,
    check_groups,
    check_level,
    check_limits,
    check_name,
    check_probability_rows,
    check_rates,
    check_score_matrix,
    check_scores,
    read_array,
)
from cxreval._plain import to_plain
from cxreval._version import __version__
from cxreval.band import ROCBand, roc_band
from cxreval.bootstrap import BootstrapResult
from cxreval.calibration import (
    ReliabilityCurve,
    curve_from_outcomes,
    log_loss,
    reliability_curve,
)
from cxreval.coords import SpecificityBand, specificity_band
from cxreval.curves import (
    CURVE_POINTS,
    PRCurve,
    ROCCurve,
    pr_curve,
    roc_curve,
)
from cxreval.decision import DecisionCurve, decision_curve
from cxreval.delong import CLUSTERED_AUC_METHOD
from cxreval.inference import AUCInterval, roc_auc_ci
from cxreval.intervals import SIDES
from cxreval.multiclass import MulticlassAUC, roc_auc_multiclass
from cxreval.partial_roc import (
    FOCUSES,
    PARTIAL_AUC_CI_METHODS,
    PartialAUCInterval,
    partial_auc_ci,
)
from cxreval.plotting import unique_legend
from cxreval.report.findings import MultilabelReport, evaluate_findings, is_label_matrix
from cxreval.report.methods import PROPORTION_REFERENCES
from cxreval.report.provenance import Provenance, make_provenance
from cxreval.report.render import Document
from cxreval.report.table_one import bootstrap_f1_ap_mcc
from cxreval.report.tables import Estimate, Table
from cxreval.statmaker import BinaryStatistics, MulticlassStatistics, statmaker_from_predictions
from cxreval.subgroups import SubgroupAudit, subgroup_audit

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
    table_intervals : BootstrapResult or None
        Binary: the stratified percentile bootstrap of (F1, average precision, MCC) at the
        threshold, for Table 1 (:meth:`table_one`); None when not computed.
    provenance : Provenance or None
        Input file and its SHA-256, command line, versions, date, seeds, and the
        threshold with how it was chosen.
    at_specificity : ROCBand or None
        Binary, when :func:`evaluate` was given ``at_specificity``: the sensitivity at
        each of those specificities with its bootstrap interval
        (:func:`cxreval.roc_band`; its ``curve`` is the report's ``roc`` curve).
    at_sensitivity : SpecificityBand or None
        Binary, with ``at_sensitivity``: the specificity at each of those sensitivities
        with its bootstrap interval (:func:`cxreval.specificity_band`).
    partial_auc : PartialAUCInterval or None
        Binary, with ``partial_auc``: the partial AUC over that range with its bootstrap
        interval (:func:`cxreval.partial_auc_ci`; its ``fpr`` and ``tpr`` are the
        report's ``roc`` curve).
    log_loss : float or None
        The log loss of the probabilities (:func:`cxreval.log_loss`; multi-class: of
        every class's probability, each row divided by its sum, since rows are accepted
        within 1e-3 of 1).
    n_clusters : int or None
        Binary, with ``groups=``: the number of patients. The AUC interval is then
        Obuchowski's (or a cluster bootstrap), the proportions of ``statistics`` have
        clustered intervals (:func:`cxreval.statmaker_from_predictions` with ``groups=``)
        and Table 1's F1/AP/MCC bootstrap resamples patients.
    subgroups : SubgroupAudit or None
        Binary, with ``subgroups=``: the audit at the threshold
        (:func:`cxreval.subgroup_audit`).
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
    table_intervals: BootstrapResult | None = None
    provenance: Provenance | None = None
    at_specificity: ROCBand | None = None
    at_sensitivity: SpecificityBand | None = None
    partial_auc: PartialAUCInterval | None = None
    log_loss: float | None = None
    n_clusters: int | None = None
    subgroups: SubgroupAudit | None = None

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
                **(
                    {"table_intervals": _intervals_dict(self.table_intervals)}
                    if self.table_intervals is not None
                    else {}
                ),
                "provenance": self.provenance,
                **self._requested_dict(),
                **self._grouped_dict(),
            },
            json_safe=True,
        )

    def _requested_dict(self) -> dict[str, Any]:
        """The log loss and the intervals asked for, as JSON-ready data (without the
        curve each of them was read from: it is the report's ``roc``)."""
        out: dict[str, Any] = {} if self.log_loss is None else {"log_loss": self.log_loss}
        for key, drop in (
            ("at_specificity", ("curve", "auc_ci")),
            ("at_sensitivity", ("curve",)),
            ("partial_auc", ("fpr", "tpr")),
        ):
            result = getattr(self, key)
            if result is not None:
                out[key] = {k: v for k, v in result.to_dict().items() if k not in drop}
        return out

    def requested_intervals(self) -> list[tuple[str, Estimate, str, int | None]]:
        """(name, estimate with its interval, method, seed) of every interval asked for
        with ``at_specificity``, ``at_sensitivity`` and ``partial_auc``."""
        rows = []
        for band, given, other in (
            (self.at_specificity, "specificity", "sensitivity"),
            (self.at_sensitivity, "sensitivity", "specificity"),
        ):
            if band is None:
                continue
            targets = band.specificities if given == "specificity" else band.sensitivities
            values = band.sensitivity if given == "specificity" else band.specificity
            for t, v, lo, hi in zip(targets, values, band.low, band.high, strict=True):
                name = f"{other} at {100 * t:g}% {given}"
                estimate = Estimate(float(v), float(lo), float(hi))
                rows.append((name, estimate, band.method, band.seed))
        pauc = self.partial_auc
        if pauc is not None:
            estimate = Estimate(pauc.partial_auc, pauc.low, pauc.high)
            rows.append((pauc.name, estimate, pauc.method, pauc.seed))
        return rows

    def _grouped_dict(self) -> dict[str, Any]:
        """``n_clusters`` and ``subgroups``, those that are set."""
        fields = {"n_clusters": self.n_clusters, "subgroups": self.subgroups}
        return {k: v for k, v in fields.items() if v is not None}

    def summary_cells(self) -> list[Any]:
        """One row of the comparison's summary table (binary reports)."""
        key = str(self.positive)
        return [
            self.name,
            _estimate(self.auc[key]),
            self.average_precision[key],
            self.statistics.accuracy,
            self.proportion("sensitivity"),
            self.proportion("specificity"),
            self.calibration.brier,
            self.calibration.ece,
        ]

    def proportion(self, key: str) -> Estimate:
        """A statistic at the threshold with its interval (the clustered one with
        ``groups=``)."""
        low, high = self.statistics.ci.get(key, (np.nan, np.nan))
        return Estimate(float(self.statistics[key]), float(low), float(high))

    def table_one_columns(self) -> tuple[str, ...]:
        """The column names of :meth:`table_one`."""
        pct = f"{self.level:.0%} CI"
        if self.task == "multiclass":
            return ("class", f"AUC [{pct}]", "AP")
        names = ("AUC", "sensitivity", "specificity", "PPV", "NPV", "F1", "AP", "MCC")
        names += tuple(row[0] for row in self.requested_intervals())
        return ("model", "n", *(f"{name} [{pct}]" for name in names))

    def table_one_rows(self) -> list[tuple[Any, ...]]:
        """The rows of :meth:`table_one`: the model (binary) or one per class."""
        if self.task == "multiclass":
            m = self.multiclass_auc
            rows = [
                (f"{k} vs rest", _estimate(self.auc[k]), self.average_precision[k])
                for k in self.auc
            ]
            for name, res in (
                ("macro average", m.macro),
                ("prevalence-weighted", m.weighted),
                ("Hand & Till M", m.hand_till),
            ):
                rows.append((name, Estimate(res.estimate, res.low, res.high), math.nan))
            return rows
        key = str(self.positive)
        boot = self.table_intervals
        if boot is None:
            f1, ap, mcc = (
                Estimate(v)
                for v in (self.statistics.f1, self.average_precision[key], self.statistics.mcc)
            )
        else:  # the report's own values, the bootstrap's bounds
            values = (self.statistics.f1, self.average_precision[key], self.statistics.mcc)
            f1, ap, mcc = (
                Estimate(float(v), float(lo), float(hi))
                for v, lo, hi in zip(values, boot.low, boot.high, strict=True)
            )
        return [
            (
                self.name,
                self.n,
                _estimate(self.auc[key]),
                *(self.proportion(k) for k in ("sensitivity", "specificity", "ppv", "npv")),
                f1,
                ap,
                mcc,
                *(row[1] for row in self.requested_intervals()),
            )
        ]

    def table_one_notes(self) -> str:
        """What Table 1's intervals are, and where the threshold is."""
        first = self.methods_sentences()[:3]
        notes = first + [s for s in self._requested_sentences() if s not in first]
        return " ".join(sentence + "." for sentence, _ in notes)

    def methods_sentences(self) -> list[tuple[str, list[str]]]:
        """(sentence, reference keys) describing every method the report used."""
        pct = f"{self.level:.0%}"
        first = next(iter(self.auc.values()))
        out = []
        if first.method == CLUSTERED_AUC_METHOD:
            out.append(
                (
                    f"ROC AUCs are given with {pct} confidence intervals by Obuchowski's "
                    f"clustered extension of DeLong's method, which treats the "
                    f"{self.n_clusters} patients, not the images, as independent",
                    ["obuchowski1997", "delong1988"],
                )
            )
        elif first.method == "DeLong":
            out.append(
                (
                    f"ROC AUCs are given with {pct} confidence intervals by DeLong's "
                    "method, computed with Sun and Xu's fast algorithm",
                    ["delong1988", "sun2014"],
                )
            )
        else:
            out.append(
                (
                    f"ROC AUCs are given with {pct} confidence intervals by the "
                    f"{first.method}" + _seeded(first.seed),
                    _bootstrap_keys(first.method)
                    + (["davison1997", "field2007"] if first.n_clusters else []),
                )
            )
        name, key = PROPORTION_REFERENCES[self.statistics.ci_method]
        if self.task == "binary":
            rule = self.provenance.threshold_rule if self.provenance else None
            out.append(
                (
                    f"Sensitivity, specificity, positive and negative predictive value "
                    f"are given at the threshold {self.threshold:g} on the predicted "
                    f"probability of {self.positive!r}"
                    + (f" ({rule})" if rule else "")
                    + f", with {_sided(name, pct, self.statistics.alternative)}"
                    + (
                        " widened by the Rao-Scott design effect of the patients' clusters"
                        if self.n_clusters is not None
                        else ""
                    ),
                    [key]
                    + (["youden1950"] if rule and "youden" in rule.lower() else [])
                    + (["rao1992"] if self.n_clusters is not None else []),
                )
            )
            boot = self.table_intervals
            if boot is not None:
                out.append(
                    (
                        f"F1, average precision and the Matthews correlation coefficient "
                        f"are given with {pct} percentile bootstrap intervals ({boot.n_boot} "
                        + (
                            "resamples of patients, a cluster bootstrap"
                            if boot.n_clusters
                            else "resamples stratified by class"
                        )
                        + _seeded(boot.seed)
                        + ")",
                        ["efron1993", "matthews1975"],
                    )
                )
            out += self._requested_sentences()
            out.append(
                (
                    "Likelihood ratios and the diagnostic odds ratio have log-method intervals"
                    + _one_sided_note(self.statistics.alternative),
                    ["simel1991", "woolf1955"],
                )
            )
        else:
            out.append(
                (
                    f"Each class is predicted by the highest probability; per-class "
                    f"proportions have {_sided(name, pct, self.statistics.alternative)}",
                    [key],
                )
            )
            m = self.multiclass_auc
            out.append(
                (
                    f"The macro and prevalence-weighted average AUCs and Hand and Till's "
                    f"multi-class AUC have {pct} percentile bootstrap intervals "
                    f"({m.macro.n_boot} resamples stratified by class"
                    + _seeded(m.macro.seed)
                    + ")",
                    ["hand2001", "efron1993"],
                )
            )
        out.append(self._kappa_sentence())
        cal = self.calibration
        out.append(
            (
                f"Calibration is shown as a reliability diagram of {cal.n_bins} "
                f"{'equal-width' if cal.strategy == 'uniform' else 'equal-mass'} bins "
                f"with {cal.ci_method.capitalize()} intervals per bin, summarized by the "
                "Brier score"
                + (", the log loss" if self.log_loss is not None else "")
                + " and the expected calibration error",
                ["brier1950", "guo2017"],
            )
        )
        out.append(
            (
                "Clinical utility is shown as net benefit over threshold probabilities "
                "(decision curve analysis)",
                ["vickers2006"],
            )
        )
        return out + self._grouped_sentences()

    def _grouped_sentences(self) -> list[tuple[str, list[str]]]:
        """The methods of ``groups=`` beyond the intervals, and of ``subgroups=``."""
        out = []
        if self.n_clusters is not None:
            out.append(
                (
                    f"The images belong to {self.n_clusters} patients; the calibration "
                    "and decision curves treat images as independent",
                    [],
                )
            )
        if self.subgroups is not None:
            m = self.subgroups.methods
            out.append(
                (
                    f"Subgroups are audited at the threshold: AUC ({m['auc']}), "
                    f"sensitivity, specificity and the underdiagnosis rate "
                    f"({m['proportions']}), each compared with the rest of the images "
                    f"({m['auc_difference']}; {m['proportion_difference']}), with Cochran's "
                    "Q test of heterogeneity of the subgroups' AUCs",
                    ["seyyed2021", "newcombe1998difference", "cochran1954"],
                )
            )
        return out

    def _kappa_sentence(self) -> tuple[str, list[str]]:
        """The methods of Cohen's kappa's interval and of the no-information-rate test."""
        s = self.statistics
        pct = f"{self.level:.0%}"
        if s.kappa_ci_method == "cohen":
            se, keys = "Cohen's approximate standard error", ["cohen1960"]
        else:
            se = "the standard error of Fleiss, Cohen and Everitt"
            keys = ["cohen1960", "fleiss1969"]
        bounds = _sided("normal-approximation", pct, s.alternative)
        return (
            f"Cohen's kappa has {bounds} with {se}; the accuracy is compared with the "
            "no-information rate (the largest class share) by a one-sided exact binomial test",
            keys,
        )

    def _requested_sentences(self) -> list[tuple[str, list[str]]]:
        """The methods of the intervals asked for (``at_specificity``, ...)."""
        pct = f"{self.level:.0%}"
        out = []
        for band, given, other in (
            (self.at_specificity, "specificity", "sensitivity"),
            (self.at_sensitivity, "sensitivity", "specificity"),
        ):
            if band is None:
                continue
            targets = band.specificities if given == "specificity" else band.sensitivities
            at = " and ".join(f"{100 * t:g}%" for t in targets)
            out.append(
                (
                    f"The {other} at {at} {given} is read from the empirical ROC curve "
                    "(linearly interpolated between its points, as pROC's coords) and given "
                    f"with {pct} intervals by {band.method}" + _seeded(band.seed),
                    ["robin2011", "efron1993"],
                )
            )
        pauc = self.partial_auc
        if pauc is not None:
            lo, hi = pauc.limits
            what = f"The partial AUC over {pauc.focus} {lo:g} to {hi:g}"
            if pauc.standardized:
                what += ", standardized by McClish's method (0.5 chance, 1 perfect),"
            out.append(
                (
                    f"{what} is given with a {pct} interval by {pauc.method}" + _seeded(pauc.seed),
                    (["mcclish1989"] if pauc.standardized else [])
                    + (
                        ["robin2011", "efron1993"]
                        if pauc.seed is not None
                        else ["delong1988", "dodd2003"]
                    ),
                )
            )
        return out

    def sections(self, decimals: int = 3) -> list[tuple[str, Any]]:
        """(heading, text or Table) pairs of the report's sections (``decimals`` is unused
        here: these tables are the results' own)."""
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
        if self.log_loss is not None:
            every = " (every class's probability)" if self.task == "multiclass" else ""
            calibration += f"\nlog loss{every} {self.log_loss:.4f}"
        out = [
            (f"Statistics at the operating point ({where})", self.statistics.table()),
            ("Discrimination", auc_text),
            *self._requested_section(),
            ("Calibration", calibration),
        ]
        for k, dc in self.decision.items():
            heading = "Decision curve" + ("" if self.task == "binary" else f" ({k} vs rest)")
            out.append((heading, dc.table()))
        if self.subgroups is not None:
            out.append(("Subgroups", self.subgroups.table()))
        return out

    def _requested_section(self) -> list[tuple[str, Table]]:
        """The section of the intervals asked for (none when none was)."""
        rows = self.requested_intervals()
        if not rows:
            return []
        columns = ("statistic", f"estimate [{self.level:.0%} CI]", "method", "seed")
        return [("Intervals asked for", Table(columns, tuple(rows)))]

    def figure_places(self) -> list[list[int]]:
        """Figures beside each section: the confusion matrix beside the statistics, the
        ROC and PR curves beside the AUCs, each other figure beside its table (the
        intervals asked for have none, the subgroups their forest plot)."""
        n = 3 + len(self.decision)  # statistics, discrimination, calibration, decisions
        asked = [[] for _ in self._requested_section()]
        places = [[0], [1, 2], *asked] + [[i + 1] for i in range(2, n)]
        if self.subgroups is not None:
            places.append([n + 1])
        return places

    def table_one(self) -> Table:
        """Table 1: the model's AUC, sensitivity, specificity, PPV, NPV, F1, AP and MCC,
        each with its interval (multi-class: the AUC and AP of each class)."""
        what = "one model" if self.task == "binary" else f"{self.name}, one-vs-rest"
        return Table(
            self.table_one_columns(),
            tuple(self.table_one_rows()),
            caption=f"Table 1. {what}, n = {self.n}",
            notes=self.table_one_notes(),
        )

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
        if self.subgroups is not None:
            figs.append(("Subgroups: AUC", lambda ax: self.subgroups.plot(ax=ax)))
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
    table_intervals: bool = True,
    source: Any = None,
    command: str | None = None,
    threshold_rule: str | None = None,
    ci_method: str = "wilson",
    alternative: str = "two-sided",
    kappa_ci_method: str = "fleiss-cohen-everitt",
    at_specificity: Any = None,
    at_sensitivity: Any = None,
    partial_auc: Any = None,
    partial_auc_focus: str = "specificity",
    partial_auc_standardized: bool = True,
    partial_auc_ci_method: str = "bootstrap",
    sample_weight: Any = None,
    groups: Any = None,
    uncertain: str | None = None,
    subset: Any = None,
    subgroups: Any = None,
) -> Report | MultilabelReport:
    """Evaluate one binary, multi-class or multi-label model: statistics, AUC, PR,
    calibration, decisions.

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, L)
        True labels; (n, L) for a multi-label model, one column per finding holding 1
        (present), 0 (absent), -1 (uncertain, see ``uncertain``) or NaN (missing).
    y_score : array-like of shape (n,), (n, K) or (n, L)
        Binary: the probability of the positive class, as (n,) or one column (n, 1) such
        as a sigmoid output (or an (n, 2) array whose columns follow ``labels``).
        Multi-class: one probability column per class, in the order of ``labels``, each
        row summing to 1 within 1e-3 (``cxreval._checks.ROW_SUM_TOLERANCE``: float32
        softmax output and probabilities rounded to 4 decimals pass).
        Multi-label: one score column per finding, in the order of ``y_true``'s.
    threshold : float, optional
        Binary: a case is called positive when its probability is ``>= threshold``
        (default 0.5). Multi-class predictions are the class with the highest
        probability, so a threshold is refused there. Multi-label: one number for
        every finding (default 0.5), or one per finding -- a sequence in column order or
        a mapping ``{finding: threshold}`` -- e.g. chosen on validation data by
        :func:`cxreval.multilabel_operating_points`.
    labels : sequence, optional
        The class labels in column order; by default the sorted labels of ``y_true``.
        Multi-label: the finding names (default ``"finding 0"``, ...).
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
    table_intervals : bool, default True
        Binary: bootstrap F1, average precision and MCC at the threshold for Table 1
        (stratified percentile bootstrap, ``n_boot`` resamples, seeded by
        ``random_state``: with None a seed is drawn and recorded). Each resample costs
        O(n); False leaves these intervals out.
    source : path-like, optional
        The file the scores were read from: the report records it with its SHA-256.
    command : str, optional
        The command line that made the report, recorded as given.
    threshold_rule : str, optional
        How ``threshold`` was chosen, recorded and named in the methods paragraph (e.g.
        ``"Youden's J on the validation split"``). By default the report says
        ``"default"`` (no threshold given) or ``"fixed by the user"``.
    ci_method : {"wilson", "clopper-pearson", "agresti-coull", "normal", "jeffreys", \
"wilson-cc"}, default "wilson"
        Interval of the proportions at the threshold (sensitivity, specificity, PPV,
        NPV, accuracy, ...; :func:`cxreval.intervals.proportion_ci`): Jeffreys' and the
        continuity-corrected Wilson interval beside the four classic ones. Binary and
        multi-class (per-class proportions). The reliability diagram's bins keep Wilson
        intervals.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        Sides of the intervals of the statistics at the threshold (proportions,
        likelihood ratios, Cohen's kappa): ``"greater"`` gives one-sided lower bounds
        ``[low, 1]``, ``"less"`` one-sided upper bounds (R's words, as
        :func:`cxreval.statmaker`). The AUC, bootstrap and calibration intervals stay
        two-sided; the methods paragraph says which are one-sided.
    kappa_ci_method : {"fleiss-cohen-everitt", "cohen"}, default "fleiss-cohen-everitt"
        Standard error of Cohen's kappa (:func:`cxreval.intervals.kappa_ci`): Fleiss,
        Cohen & Everitt (1969), as statsmodels, or Cohen (1960), as PyCM.
    at_specificity : float or sequence of float, optional
        Binary: specificities in [0, 1] at which to report the sensitivity of the ROC
        curve with its bootstrap interval (:func:`cxreval.roc_band` with these
        ``specificities``: ``n_boot`` stratified resamples, percentile interval, seeded
        by ``random_state``; the curve is read as pROC's ``coords``). Each adds a row
        "sensitivity at 95% specificity" to the section "Intervals asked for" and a
        column to Table 1.
    at_sensitivity : float or sequence of float, optional
        Binary: sensitivities at which to report the specificity with its bootstrap
        interval (:func:`cxreval.specificity_band`, pROC's ``ci.sp``), as
        ``at_specificity``.
    partial_auc : pair of float, optional
        Binary: the range ``(lo, hi)`` of specificity (or of sensitivity, with
        ``partial_auc_focus="sensitivity"``) over which to report the partial AUC with
        its stratified percentile bootstrap interval (:func:`cxreval.partial_auc_ci`,
        ``n_boot`` resamples seeded by ``random_state``).
    partial_auc_focus : {"specificity", "sensitivity"}, default "specificity"
        The axis of ``partial_auc``'s range.
    partial_auc_standardized : bool, default True
        McClish's (1989) standardization of the partial AUC (0.5 for chance, 1 for a
        perfect model; pROC's ``partial.auc.correct``); False reports the raw area.
    partial_auc_ci_method : {"bootstrap", "delong"}, default "bootstrap"
        Interval of ``partial_auc``: the stratified percentile bootstrap, or the
        DeLong-type interval of the partial AUC's placement values
        (:func:`cxreval.partial_auc_ci` with ``ci_method="delong"``; not with ``groups=``).
        :func:`cxreval.compare` then tests two models' partial AUCs the same way.
    sample_weight : None
        Not supported: the DeLong and bootstrap intervals, the calibration bins and the
        decision curve of a report have no weighted form here, so a report cannot
        honour weights everywhere it reports. Any value other than None raises
        :class:`ValueError`; weight single statistics with the functions that take
        ``sample_weight`` (:func:`cxreval.statmaker_from_predictions`,
        :func:`cxreval.roc_curve`, :func:`cxreval.roc_auc`, :func:`cxreval.log_loss`).
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image, when patients have several images (binary
        and multi-label). The AUC interval becomes Obuchowski's clustered DeLong (or,
        with ``auc_ci_method="bootstrap"``, a cluster bootstrap resampling patients), the
        proportions at the threshold get clustered intervals (Rao-Scott design effect),
        Table 1's F1/AP/MCC bootstrap and the multi-label joint bootstrap resample
        patients, and the report records ``n_clusters``. The calibration and decision
        curves stay image-level. With one image per patient every interval is the
        unclustered one (the bootstraps: those of the unstratified bootstrap).
        Multi-class reports refuse it (their multi-class statistics have no clustered
        intervals yet; :func:`cxreval.roc_auc_multiclass` takes ``groups=``).
    uncertain : {"ignore", "zeros", "ones"}, optional
        Multi-label: what a label coded -1 becomes -- missing (CheXpert's U-Ignore, the
        default), 0 (U-Zeros) or 1 (U-Ones).
    subset : sequence of str, optional
        Multi-label: findings whose mean AUC the report adds (e.g.
        :data:`cxreval.multilabel.CHEXPERT_COMPETITION`).
    subgroups : mapping of str to array-like, optional
        Columns such as sex, age band or view, one value per image: a subgroup audit at
        the threshold (:func:`cxreval.subgroup_audit`; multi-label: one per finding, on
        its images with a known label, at its threshold). Binary and multi-label.

    Returns
    -------
    Report or MultilabelReport
        Prints as text tables; ``to_json()``, ``to_html()`` and ``save(folder)``. A
        ``y_true`` of shape (n, L) with L > 1 gives a :class:`~cxreval.report.MultilabelReport`: per
        finding the AUC with its DeLong (or Obuchowski) interval, the average precision,
        prevalence, counts, and sensitivity, specificity, PPV and NPV at its threshold;
        the macro, micro and weighted mean AUCs (and the ``subset`` mean) with percentile
        intervals from one bootstrap resampling images -- or patients -- jointly for all
        findings (``n_boot`` resamples, seeded by ``random_state``); and a forest plot of
        the findings' AUCs.

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
    >>> table = cxreval.evaluate(y, p, name="demo", random_state=0).to_table("markdown")
    >>> print("\\n".join(line[:48] for line in table.splitlines()[2:5]))
    | model | n | AUC [95% CI] | sensitivity [95% CI
    |:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|
    | demo | 200 | 0.910 [0.869, 0.951] | 0.829 [0.7

    Sensitivity at 95% specificity and the standardized partial AUC over specificities
    0.8 to 1, each with its bootstrap interval, and Jeffreys intervals for proportions:

    >>> more = cxreval.evaluate(y, p, at_specificity=0.95, partial_auc=(0.8, 1),
    ...                         ci_method="jeffreys", n_boot=500, random_state=0)
    >>> for name, value, method, seed in more.requested_intervals():
    ...     print(f"{name}: {value.value:.3f} [{value.low:.3f}, {value.high:.3f}]")
    sensitivity at 95% specificity: 0.595 [0.270, 0.802]
    McClish-standardized partial AUC (specificity 0.8 to 1): 0.814 [0.741, 0.891]
    >>> more.at_specificity.method, more.statistics.ci_methods["sensitivity"]
    ('stratified bootstrap (percentile, B=500)', 'Jeffreys')
    """
    level = check_level(level)
    name = check_name(name)
    if sample_weight is not None:
        raise ValueError(
            "sample_weight is not supported by evaluate(): the report's DeLong and "
            "bootstrap intervals, calibration bins and decision curve have no weighted "
            "form; weight single statistics with statmaker_from_predictions, roc_curve, "
            "roc_auc or log_loss (sample_weight=)"
        )
    alternative = check_alternative(alternative)
    asked = _check_asked(at_specificity, at_sensitivity, partial_auc, partial_auc_focus,
                         partial_auc_standardized, partial_auc_ci_method)  # fmt: skip
    record = {"source": source, "command": command, "threshold_rule": threshold_rule}
    if is_label_matrix(y_true):
        if np.ndim(y_score) != 2:
            raise ValueError(
                f"y_true must be 1-D (one label per image) or, for a multi-label report, of "
                f"the shape of y_score (images x findings); got y_true of shape "
                f"{np.shape(y_true)} and y_score of shape {np.shape(y_score)}"
            )
        for given, what in ((pos_label, "pos_label"), (auc_ci_method != "delong", "auc_ci_method")):
            if given not in (None, False):
                raise ValueError(
                    f"{what} applies to binary and multi-class reports; a multi-label report "
                    "gives every finding DeLong's interval (Obuchowski's with groups=)"
                )
        chosen = {"ci_method": ci_method != "wilson", "alternative": alternative != "two-sided",
                  "kappa_ci_method": kappa_ci_method != "fleiss-cohen-everitt",
                  **{what: given is not None for what, given in asked.items()}}  # fmt: skip
        for what, given in chosen.items():
            if given:
                raise ValueError(
                    f"{what} applies to binary and multi-class reports; a multi-label report "
                    "gives every finding's proportions two-sided Wilson intervals (clustered "
                    "with groups=); use cxreval.multilabel_operating_points for other "
                    "operating points"
                )
        return evaluate_findings(
            y_true, y_score, threshold=threshold, labels=labels, uncertain=uncertain,
            groups=groups, subset=subset, subgroups=subgroups, name=name, level=level,
            n_boot=n_boot, random_state=random_state, full_curves=full_curves, record=record,
        )  # fmt: skip
    for given, what in ((uncertain, "uncertain"), (subset, "subset")):
        if given is not None:
            raise ValueError(
                f"{what}={given!r} applies to multi-label reports (y_true of shape (n, L), "
                "one column per finding)"
            )
    y = check_array_1d(y_true, "y_true")
    raw = read_array(y_score, "y_score")
    boot = {
        "ci_method": auc_ci_method,
        "level": level,
        "n_boot": n_boot,
        "random_state": random_state,
    }
    cal = {"n_bins": n_bins, "strategy": strategy, "level": level}
    sides = {"ci_method": ci_method, "alternative": alternative, "kappa_ci_method": kappa_ci_method}
    if raw.ndim == 2 and raw.shape[1] > 2:
        for what, given in asked.items():
            if given is not None:
                raise ValueError(
                    f"{what} applies to binary scores only (a ROC curve of one positive "
                    f"class); y_score has {raw.shape[1]} class columns"
                )
        for given, what in ((groups, "groups"), (subgroups, "subgroups")):
            if given is not None:
                raise ValueError(
                    f"{what}= is not available for a multi-class report (y_score has "
                    f"{raw.shape[1]} class columns): its multi-class statistics have no "
                    "clustered intervals and no subgroup audit yet; use "
                    "roc_auc_multiclass(groups=) for the clustered AUCs, or evaluate each "
                    "class one-vs-rest"
                )
        for given, what in ((pos_label, "pos_label"), (threshold, "threshold")):
            if given is not None:
                raise ValueError(
                    f"{what}={given!r} applies to binary scores only; y_score has "
                    f"{raw.shape[1]} class columns, and a multi-class report predicts the "
                    "class with the highest probability and reports every class one-vs-rest"
                )
        return _evaluate_multiclass(
            y, raw, labels, name, level, boot, cal, decision_thresholds, full_curves, record,
            sides,
        )  # fmt: skip
    if record["threshold_rule"] is None:
        record["threshold_rule"] = "default" if threshold is None else "fixed by the user"
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
    check_consistent_length(y_true=y, y_score=prob)
    codes = None if groups is None else check_groups(groups, len(y))[0]
    calibration = reliability_curve(y, prob, pos_label=pos_label, **cal)
    statistics = statmaker_from_predictions(
        y, y_score=prob, threshold=threshold, labels=labels, pos_label=pos_label, level=level,
        groups=codes, **sides,
    )  # fmt: skip
    positive = statistics.positive
    key = str(positive)
    negative = next(lab for lab in statistics.labels if lab != positive)
    roc, roc_thinned = _kept(roc_curve(y, prob, pos_label=positive), full_curves, threshold)
    pr, pr_thinned = _kept(pr_curve(y, prob, pos_label=positive), full_curves, threshold)
    auc = roc_auc_ci(y, prob, pos_label=positive, groups=codes, **boot)
    intervals = None
    if table_intervals:
        intervals = bootstrap_f1_ap_mcc(
            y == positive, prob, threshold, n_boot=n_boot, level=level, random_state=random_state,
            groups=codes,
        )  # fmt: skip
    seeds = {"AUC bootstrap": auc.seed} if auc.seed is not None else {}
    if intervals is not None:
        seeds["F1/AP/MCC bootstrap"] = intervals.seed
    requested = _requested(y, prob, positive, roc, asked, level, n_boot, random_state, codes)
    seeds.update(
        {
            f"{key} bootstrap": result.seed
            for key, result in requested.items()
            if result is not None and result.seed is not None
        }
    )
    return Report(
        name=name,
        task="binary",
        n=len(y),
        labels=(negative, positive),
        positive=positive,
        threshold=float(threshold),
        level=level,
        statistics=statistics,
        auc={key: auc},
        roc={key: roc},
        pr={key: pr},
        average_precision={key: pr.average_precision},  # the full curve's, kept when thinned
        calibration=calibration,
        decision={key: decision_curve(y, {name: prob}, thresholds=decision_thresholds,
                                      pos_label=positive)},
        curves_thinned=roc_thinned or pr_thinned,
        table_intervals=intervals,
        provenance=make_provenance(threshold=float(threshold), seeds=seeds, **record),
        log_loss=log_loss(y, prob, pos_label=positive),
        **requested,
        n_clusters=None if codes is None else int(codes.max()) + 1,
        subgroups=None if subgroups is None else subgroup_audit(
            y == positive, prob, subgroups, threshold=float(threshold), groups=codes,
            level=level, pos_label=True,
        ),
    )  # fmt: skip


def _check_asked(
    at_specificity: Any,
    at_sensitivity: Any,
    partial_auc: Any,
    focus: str,
    standardized: bool,
    ci_method: str,
) -> dict[str, Any]:
    """The checked ``at_specificity``, ``at_sensitivity`` and ``partial_auc`` options of
    :func:`evaluate` (None where not given), with the partial AUC's focus,
    standardization and interval method."""
    asked: dict[str, Any] = {}
    for what, targets in (("at_specificity", at_specificity), ("at_sensitivity", at_sensitivity)):
        if targets is not None:
            targets = check_rates(targets, what)[0]
            repeated = sorted({t for t in targets.tolist() if (targets == t).sum() > 1})
            if repeated:
                raise ValueError(f"{what} gives {repeated[0]:g} more than once")
        asked[what] = targets
    focus = check_choice(focus, "partial_auc_focus", FOCUSES)
    standardized = check_bool(standardized, "partial_auc_standardized")
    ci_method = check_choice(ci_method, "partial_auc_ci_method", PARTIAL_AUC_CI_METHODS)
    if partial_auc is not None:
        limits = check_limits(partial_auc, "partial_auc")
        partial_auc = (limits, focus, standardized, ci_method)
    asked["partial_auc"] = partial_auc
    return asked


def _requested(
    y: np.ndarray,
    prob: np.ndarray,
    positive: Any,
    roc: ROCCurve,
    asked: dict[str, Any],
    level: float,
    n_boot: int,
    random_state: Any,
    codes: np.ndarray | None,
) -> dict[str, Any]:
    """The intervals asked for: ``at_specificity``, ``at_sensitivity`` and ``partial_auc``
    results (None where not asked), each holding the report's ``roc`` curve; with patients
    (``codes``) each a cluster bootstrap."""
    boot = {"level": level, "n_boot": n_boot, "random_state": random_state, "pos_label": positive,
            "groups": codes}  # fmt: skip
    out: dict[str, Any] = dict.fromkeys(asked)
    if asked["at_specificity"] is not None:
        band = roc_band(y, prob, specificities=asked["at_specificity"], **boot)
        out["at_specificity"] = replace(band, curve=roc)
    if asked["at_sensitivity"] is not None:
        band = specificity_band(y, prob, sensitivities=asked["at_sensitivity"], **boot)
        out["at_sensitivity"] = replace(band, curve=roc)
    if asked["partial_auc"] is not None:
        limits, focus, standardized, ci_method = asked["partial_auc"]
        pauc = partial_auc_ci(
            y, prob, limits=limits, focus=focus, standardized=standardized, ci_method=ci_method,
            **boot,
        )  # fmt: skip
        out["partial_auc"] = replace(pauc, fpr=roc.fpr, tpr=roc.tpr, bootstrap=None)
    return out


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
    record: dict[str, Any],
    sides: dict[str, Any],
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
    statistics = statmaker_from_predictions(y, predicted, labels=classes, level=level, **sides)
    correct = predicted == y
    keys = [str(label) for label in classes.tolist()]
    roc, pr, ap, decision, thinned = {}, {}, {}, {}, []
    for c, (key, label) in enumerate(zip(keys, classes.tolist(), strict=True)):
        is_class, p = y == label, score[:, c]
        roc[key], roc_thinned = _kept(multiclass_auc.curves[c], full_curves, None)
        pr[key], pr_thinned = _kept(pr_curve(is_class, p), full_curves, None)
        thinned += [roc_thinned, pr_thinned]
        ap[key] = pr[key].average_precision  # the full curve's, kept when thinned
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
        provenance=make_provenance(seeds=_multiclass_seeds(multiclass_auc), **record),
        log_loss=log_loss(y, score / score.sum(axis=1, keepdims=True), labels=classes),
    )


def _multiclass_seeds(m: MulticlassAUC) -> dict[str, Any]:
    seeds = {"AUC bootstrap": m.per_class[0].seed} if m.per_class[0].seed is not None else {}
    if m.macro.seed is not None:
        seeds["average AUC bootstrap"] = m.macro.seed
    return seeds


def _estimate(auc: AUCInterval) -> Estimate:
    return Estimate(float(auc.auc), float(auc.low), float(auc.high))


def _sided(name: str, pct: str, alternative: str) -> str:
    """``"Wilson score 95% intervals"``, or ``"one-sided Wilson score 95% lower bounds"``."""
    if alternative == "two-sided":
        return f"{name} {pct} intervals"
    which = "lower" if alternative == "greater" else "upper"
    return f"one-sided {name} {pct} {which} bounds"


def _one_sided_note(alternative: str) -> str:
    return "" if alternative == "two-sided" else f" ({SIDES[alternative]}s)"


def _seeded(seed: Any) -> str:
    return "" if seed is None else f", seed {seed}"


def _bootstrap_keys(method: str) -> list[str]:
    """The references of a bootstrap interval named ``method``."""
    return ["efron1987"] if "bca" in method.lower() else ["efron1993"]


def _intervals_dict(boot: BootstrapResult) -> dict[str, Any]:
    """Table 1's bootstrap intervals as JSON-ready data (without the replicates)."""
    data = boot.to_dict()
    names = ("f1", "average_precision", "mcc")
    for field_name in ("estimate", "low", "high", "se"):
        data[field_name] = dict(zip(names, np.asarray(data[field_name]).tolist(), strict=True))
    data["statistic"] = list(names)
    return data
