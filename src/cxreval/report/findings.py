"""The report of a multi-label model (many findings per image):
:class:`~cxreval.report.MultilabelReport`.

:func:`evaluate_findings` is what :func:`cxreval.evaluate` does when ``y_true`` has one
column per finding. Per finding it gives the ROC AUC with DeLong's interval (Obuchowski's
clustered one with ``groups=``), the average precision, the prevalence and the counts used
(:func:`cxreval.multilabel_auc`), sensitivity, specificity, PPV and NPV at the finding's
threshold with Wilson intervals (clustered with ``groups=``), and the ROC curve; across
findings the macro, micro and prevalence-weighted mean AUCs (and the mean over a
``subset``) with percentile intervals from the joint bootstrap, which resamples images --
or patients -- once for all findings. With ``subgroups=`` every finding gets a subgroup
audit (:func:`cxreval.subgroup_audit`).

One job: the multi-label report -- what it computes (through :mod:`cxreval.multilabel`
and :mod:`cxreval.subgroups`) and how it lays it out (Table 1's rows, the methods it
names, which figure goes beside which table); rendering and saving are
:mod:`cxreval.report.render`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import check_groups, check_multilabel_target, check_threshold
from cxreval._plain import to_plain
from cxreval._version import __version__
from cxreval.curves import ROCCurve, roc_curve
from cxreval.intervals import PROPORTION_CI_METHODS
from cxreval.multilabel import OPERATING_STATISTICS, MultilabelAUC, multilabel_auc
from cxreval.plotting import unique_legend
from cxreval.report.methods import PROPORTION_REFERENCES
from cxreval.report.provenance import Provenance, make_provenance
from cxreval.report.render import Document
from cxreval.report.tables import Estimate, Table
from cxreval.subgroups import SubgroupAudit, proportion_estimate, subgroup_audit

__all__ = ["MultilabelReport", "check_thresholds", "evaluate_findings", "is_label_matrix"]

#: What an uncertain label (coded -1) became, by policy, for the methods paragraph.
POLICY_WORDS = {
    "ignore": "treated as missing (U-Ignore)",
    "zeros": "counted as negative (U-Zeros)",
    "ones": "counted as positive (U-Ones)",
}


@dataclass(frozen=True)
class MultilabelReport(Document):
    """Everything :func:`cxreval.evaluate` measured for one multi-label model.

    Attributes
    ----------
    name : str
        The model's name.
    n : int
        Number of images.
    labels : tuple of str
        The finding names, in column order.
    thresholds : tuple of float
        The decision threshold of each finding (``score >= threshold`` is positive).
    level : float
        Confidence level of every interval.
    uncertain : str
        What labels coded -1 became: ``"ignore"`` (missing), ``"zeros"`` or ``"ones"``.
    auc : MultilabelAUC
        Per finding the AUC with its interval (DeLong's, or Obuchowski's with
        ``groups=``), the average precision, prevalence and counts; the macro, micro,
        weighted (and subset) means with the joint bootstrap's intervals in ``auc.ci``.
    at_threshold : tuple of dict
        Per finding: ``finding``, ``threshold``, ``tp``, ``fp``, ``fn``, ``tn`` and
        ``sensitivity``, ``specificity``, ``ppv``, ``npv``, each with ``_low`` and
        ``_high``.
    proportion_method : str
        The interval of those proportions (e.g. ``"Wilson score"``).
    roc : dict of str to ROCCurve
        Each finding's ROC curve on its images with a known label (thinned to about 1000
        points unless ``full_curves=True``).
    curves_thinned : bool
        Whether a curve was thinned.
    n_clusters : int or None
        Patients, with ``groups=``.
    subgroups : dict of str to SubgroupAudit, or None
        With ``subgroups=``: each finding's audit, on its images with a known label at
        its threshold.
    provenance : Provenance or None
        Input file, command line, versions, date, the joint bootstrap's seed and how the
        thresholds were chosen.
    """

    name: str
    n: int
    labels: tuple
    thresholds: tuple
    level: float
    uncertain: str
    auc: MultilabelAUC
    at_threshold: tuple
    proportion_method: str
    roc: dict[str, ROCCurve]
    curves_thinned: bool = False
    n_clusters: int | None = None
    subgroups: dict[str, SubgroupAudit] | None = None
    provenance: Provenance | None = None

    plotter = "plot_multilabel_report"
    task = "multilabel"

    @property
    def title(self) -> str:
        patients = "" if self.n_clusters is None else f", {self.n_clusters} patients"
        return (
            f"cxreval report: {self.name} (multi-label, {len(self.labels)} findings, "
            f"n = {self.n}{patients})"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; ``json.loads(report.to_json()) == report.to_dict()``."""
        return to_plain(
            {
                "cxreval_version": __version__,
                "name": self.name,
                "task": self.task,
                "n": self.n,
                "labels": self.labels,
                "thresholds": self.thresholds,
                "level": self.level,
                "uncertain": self.uncertain,
                **({} if self.n_clusters is None else {"n_clusters": self.n_clusters}),
                "auc": self.auc,
                "at_threshold": self.at_threshold,
                "proportion_method": self.proportion_method,
                "roc": self.roc,
                **({"curves_thinned": True} if self.curves_thinned else {}),
                **({} if self.subgroups is None else {"subgroups": self.subgroups}),
                "provenance": self.provenance,
            },
            json_safe=True,
        )

    def finding(self, name: str) -> dict[str, Any]:
        """One finding's numbers: its row of ``auc`` and of ``at_threshold`` together."""
        row = dict(self.auc[name])
        at = next(r for r in self.at_threshold if r["finding"] == name)
        return {**row, **{k: v for k, v in at.items() if k != "finding"}}

    def means(self) -> dict[str, Estimate]:
        """The mean AUCs with the joint bootstrap's bounds: ``{"macro": Estimate, ...}``."""
        ci = self.auc.ci or {}
        nan = (np.nan, np.nan)
        return {
            m: Estimate(float(v), *map(float, ci.get(m, nan)))
            for m, v in self.auc.means.items()
            if m != "subset" or self.auc.subset is not None
        }

    def summary_cells(self) -> list[Any]:
        """One row of a comparison's summary table: the model and its mean AUCs."""
        return [self.name, *self.means().values()]

    def table_one_columns(self) -> tuple[str, ...]:
        """The column names of :meth:`table_one`."""
        pct = f"{self.level:.0%} CI"
        return (
            "finding",
            "images",
            "positives",
            "prevalence",
            f"AUC [{pct}]",
            "AP",
            f"sensitivity [{pct}]",
            f"specificity [{pct}]",
        )

    def table_one_rows(self) -> list[tuple[Any, ...]]:
        """One row per finding, then the mean AUCs (macro, micro, weighted, subset)."""
        rows: list[tuple[Any, ...]] = []
        for f, at in zip(self.auc.findings, self.at_threshold, strict=True):
            rows.append(
                (
                    f["finding"],
                    f["n_images"],
                    f["n_pos"],
                    f["prevalence"],
                    Estimate(f["auc"], f["low"], f["high"]),
                    f["average_precision"],
                    *(
                        Estimate(at[s], at[f"{s}_low"], at[f"{s}_high"])
                        for s in ("sensitivity", "specificity")
                    ),
                )
            )
        words = {"macro": "macro mean", "micro": "micro mean", "weighted": "weighted mean"}
        subset = f"mean of {', '.join(self.auc.subset or ())}"
        for m, value in self.means().items():
            rows.append(
                (words.get(m, subset), self.n, np.nan, np.nan, value, np.nan, np.nan, np.nan)
            )
        return rows

    def table_one_notes(self) -> str:
        """What Table 1's intervals are."""
        return " ".join(sentence + "." for sentence, _ in self.methods_sentences()[:4])

    def table_one(self) -> Table:
        """Table 1: each finding's counts, AUC, AP, sensitivity and specificity with their
        intervals, then the mean AUCs with the joint bootstrap's intervals."""
        patients = "" if self.n_clusters is None else f" of {self.n_clusters} patients"
        return Table(
            self.table_one_columns(),
            tuple(self.table_one_rows()),
            caption=f"Table 1. {self.name}: {len(self.labels)} findings, n = {self.n} "
            f"images{patients}",
            notes=self.table_one_notes(),
        )

    def _threshold_words(self) -> str:
        rule = self.provenance.threshold_rule if self.provenance else None
        same = len(set(self.thresholds)) == 1
        if same:
            return f"the threshold {self.thresholds[0]:g} on every finding's score ({rule})"
        pairs = ", ".join(f"{n} {t:g}" for n, t in zip(self.labels, self.thresholds, strict=True))
        return f"each finding's own threshold ({pairs}; {rule})"

    def methods_sentences(self) -> list[tuple[str, list[str]]]:
        """(sentence, reference keys) describing every method the report used."""
        pct = f"{self.level:.0%}"
        clustered = self.n_clusters is not None
        out = []
        if clustered:
            out.append(
                (
                    f"Each finding's ROC AUC is given with its {pct} confidence interval by "
                    f"Obuchowski's clustered extension of DeLong's method, which treats the "
                    f"{self.n_clusters} patients, not the images, as independent",
                    ["obuchowski1997", "delong1988"],
                )
            )
        else:
            out.append(
                (
                    f"Each finding's ROC AUC is given with its {pct} confidence interval by "
                    "DeLong's method, computed with Sun and Xu's fast algorithm",
                    ["delong1988", "sun2014"],
                )
            )
        ci = self.auc.ci or {}
        means = "the macro, micro and prevalence-weighted means of the findings' AUCs"
        if self.auc.subset is not None:
            means += f" and their mean over {', '.join(self.auc.subset)}"
        if ci.get("method"):
            unit = "patients (cluster bootstrap)" if clustered else "images"
            out.append(
                (
                    f"{means[0].upper()}{means[1:]} have {pct} percentile intervals from one "
                    f"bootstrap that resamples {unit} jointly for all findings, keeping the "
                    f"correlation between findings ({ci['n_boot']} resamples, seed "
                    f"{ci['seed']})",
                    ["efron1993", *(["davison1997", "field2007"] if clustered else [])],
                )
            )
        name, key = PROPORTION_REFERENCES["wilson"]
        out.append(
            (
                f"Sensitivity, specificity, positive and negative predictive value are given "
                f"at {self._threshold_words()}, with {name} {pct} intervals"
                + (
                    ", widened by the Rao-Scott design effect of the patients' clusters"
                    if clustered
                    else ""
                ),
                [key, *(["rao1992"] if clustered else [])],
            )
        )
        out.append(
            (
                "Each finding is evaluated on the images whose label for it is known; "
                f"uncertain labels (coded -1) were {POLICY_WORDS[self.uncertain]}",
                ["irvin2019"],
            )
        )
        if self.subgroups:
            first = next(iter(self.subgroups.values()))
            out.append(
                (
                    f"Subgroups are audited per finding at its threshold: AUC "
                    f"({first.methods['auc']}), sensitivity, specificity and the "
                    f"underdiagnosis rate ({first.methods['proportions']}), each compared "
                    f"with the rest of the images ({first.methods['auc_difference']}; "
                    f"{first.methods['proportion_difference']}), with Cochran's Q test of "
                    "heterogeneity of the subgroups' AUCs",
                    ["seyyed2021", "newcombe1998difference", "cochran1954"],
                )
            )
        return out

    def sections(self, decimals: int = 3) -> list[tuple[str, Any]]:
        """(heading, text) pairs: the findings, the statistics at the thresholds, and each
        finding's subgroup audit (``decimals`` is unused: these tables are the results')."""
        head = ["finding", "threshold", "TP", "FP", "FN", "TN", *OPERATING_STATISTICS]
        pct = f"{100 * self.level:g}%"
        body = [
            [
                r["finding"],
                f"{r['threshold']:g}",
                *(r[k] for k in ("tp", "fp", "fn", "tn")),
                *(
                    f"{r[s]:.3f} ({r[s + '_low']:.3f} to {r[s + '_high']:.3f})"
                    for s in OPERATING_STATISTICS
                ),
            ]
            for r in self.at_threshold
        ]
        at = (
            tabulate(body, headers=head, disable_numparse=True)
            + f"\n{pct} intervals: {self.proportion_method}"
        )
        out = [
            ("Findings: ROC AUC, average precision, prevalence", self.auc.table()),
            ("Statistics at the thresholds", at),
        ]
        for finding, audit in (self.subgroups or {}).items():
            out.append((f"Subgroups: {finding}", audit.table()))
        return out

    def figure_places(self) -> list[list[int]]:
        """The AUC forest and the ROC curves beside the findings, the sensitivity and
        specificity forests beside the statistics, each audit's forest beside it."""
        return [[0, 1], [2, 3], *([4 + i] for i in range(len(self.subgroups or {})))]

    def figures(self) -> list[tuple[str, Any]]:
        """(caption, draw(ax)) pairs of the report's figures."""

        def draw_roc(ax: Any) -> Any:
            for key, curve in self.roc.items():
                auc = self.auc[key]["auc"]
                curve.plot(ax=ax, label=f"{key} ({auc:.3f})")
            return unique_legend(ax, "lower right")

        figs: list[tuple[str, Any]] = [
            ("Forest plot of the findings' AUCs", lambda ax: self.plot(ax=ax)),
            ("ROC curves", draw_roc),
            ("Sensitivity at the thresholds", lambda ax: self.plot(ax=ax, statistic="sensitivity")),
            ("Specificity at the thresholds", lambda ax: self.plot(ax=ax, statistic="specificity")),
        ]
        for finding, audit in (self.subgroups or {}).items():
            figs.append((f"Subgroups: {finding}", lambda ax, a=audit: a.plot(ax=ax)))
        return figs


def is_label_matrix(y_true: Any) -> bool:
    """Whether ``y_true`` is a label matrix of shape (n, L) with L > 1: a multi-label
    report (a ragged or other input is left to the checks, which name it)."""
    try:
        shape = np.shape(y_true)
    except ValueError:
        return False
    return len(shape) == 2 and shape[1] > 1


def check_thresholds(threshold: Any, names: tuple[str, ...]) -> tuple[tuple[float, ...], str]:
    """The threshold of each finding and the default rule's words.

    ``threshold`` is None (0.5 for every finding), one number for every finding, a
    sequence of one per finding in column order, or a mapping ``{finding: threshold}``
    naming every finding.
    """
    if threshold is None:
        return (0.5,) * len(names), "default"
    if isinstance(threshold, Mapping):
        given = {str(k): v for k, v in threshold.items()}
        missing = [n for n in names if n not in given]
        unknown = [k for k in given if k not in names]
        if missing or unknown:
            raise ValueError(
                f"threshold must give one threshold per finding: missing {missing}, "
                f"unknown {unknown} (findings: {list(names)})"
            )
        values = [given[n] for n in names]
    elif np.ndim(threshold) == 0:
        values = [threshold] * len(names)
    else:
        values = list(np.asarray(threshold, dtype=object).ravel())
        if np.ndim(threshold) != 1 or len(values) != len(names):
            raise ValueError(
                f"threshold must be one number or one per finding ({len(names)}), got "
                f"shape {np.shape(threshold)}"
            )
    return tuple(check_threshold(v) for v in values), "fixed by the user"


def _at_thresholds(
    y: np.ndarray,
    score: np.ndarray,
    codes: np.ndarray | None,
    names: tuple[str, ...],
    thresholds: tuple[float, ...],
    level: float,
) -> tuple[dict, ...]:
    """Each finding's confusion counts and proportions (with intervals) at its threshold."""
    rows = []
    for j, (name, t) in enumerate(zip(names, thresholds, strict=True)):
        known = ~np.isnan(y[:, j])
        is_pos, pred = y[known, j] == 1.0, score[known, j] >= t
        g = None if codes is None else codes[known]
        row: dict[str, Any] = {
            "finding": name,
            "threshold": t,
            "tp": int((is_pos & pred).sum()),
            "fp": int((~is_pos & pred).sum()),
            "fn": int((is_pos & ~pred).sum()),
            "tn": int((~is_pos & ~pred).sum()),
        }
        parts = {
            "sensitivity": (is_pos, pred),
            "specificity": (~is_pos, ~pred),
            "ppv": (pred, is_pos),
            "npv": (~pred, ~is_pos),
        }
        for stat, (among, success) in parts.items():
            p = proportion_estimate(
                success[among],
                None if g is None else g[among],
                level=level,
                ci_method="wilson",
                statistic=f"{stat} of finding {name!r}",
            )
            row.update({stat: p["estimate"], f"{stat}_low": p["low"], f"{stat}_high": p["high"]})
        rows.append(row)
    return tuple(rows)


def evaluate_findings(
    y_true: Any,
    y_score: Any,
    *,
    threshold: Any,
    labels: Any,
    uncertain: str | None,
    groups: Any,
    subset: Any,
    subgroups: Any,
    name: str,
    level: float,
    n_boot: int,
    random_state: Any,
    full_curves: bool,
    record: dict[str, Any],
) -> MultilabelReport:
    """The multi-label report of :func:`cxreval.evaluate` (``y_true`` of shape (n, L)).

    ``record`` holds ``source``, ``command`` and ``threshold_rule`` for the provenance.

    Examples
    --------
    >>> import numpy as np
    >>> import cxreval
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, (300, 3))
    >>> p = 1 / (1 + np.exp(-(2 * y - 1 + rng.normal(0, 1, (300, 3)))))
    >>> r = cxreval.evaluate(y, p, labels=["Edema", "Mass", "Nodule"], n_boot=500,
    ...                      random_state=0)
    >>> r.task, r.auc.method, round(r.finding("Edema")["auc"], 3)
    ('multilabel', 'DeLong', 0.908)
    """
    uncertain = "ignore" if uncertain is None else uncertain
    auc = multilabel_auc(
        y_true,
        y_score,
        labels=labels,
        uncertain=uncertain,
        groups=groups,
        subset=subset,
        level=level,
        ci=True,
        n_boot=n_boot,
        random_state=random_state,
    )
    names = auc.labels
    y, _ = check_multilabel_target(y_true, uncertain=uncertain)
    score = np.asarray(y_score, dtype=float).reshape(y.shape)  # checked by multilabel_auc
    codes = None if groups is None else check_groups(groups, len(y))[0]
    thresholds, rule = check_thresholds(threshold, names)
    rule = record["threshold_rule"] or rule
    roc, thinned = {}, False
    for j, key in enumerate(names):
        known = ~np.isnan(y[:, j])
        is_pos = y[known, j] == 1.0
        if is_pos.all() or not is_pos.any():
            continue  # no curve without both classes (multilabel_auc warned)
        curve = roc_curve(is_pos, score[known, j], pos_label=True)
        roc[key] = curve if full_curves else curve.thinned(threshold=thresholds[j])
        thinned |= roc[key] is not curve
    audits = None
    if subgroups is not None:
        audits = _audits(y, score, codes, names, thresholds, subgroups, level)
    same = len(set(thresholds)) == 1
    seed = auc.ci.get("seed")
    seeds = {} if seed is None else {"joint bootstrap of the mean AUCs": seed}
    return MultilabelReport(
        name=name,
        n=len(y),
        labels=names,
        thresholds=thresholds,
        level=level,
        uncertain=uncertain,
        auc=auc,
        at_threshold=_at_thresholds(y, score, codes, names, thresholds, level),
        proportion_method=PROPORTION_CI_METHODS["wilson"]
        + ("" if codes is None else ", clustered (Rao-Scott design effect)"),
        roc=roc,
        curves_thinned=thinned,
        n_clusters=auc.n_clusters,
        subgroups=audits,
        provenance=make_provenance(
            source=record["source"],
            command=record["command"],
            threshold=thresholds[0] if same else None,
            threshold_rule=rule,
            seeds=seeds,
        ),
    )


def _audits(
    y: np.ndarray,
    score: np.ndarray,
    codes: np.ndarray | None,
    names: tuple[str, ...],
    thresholds: tuple[float, ...],
    subgroups: Any,
    level: float,
) -> dict[str, SubgroupAudit]:
    """Each finding's :func:`cxreval.subgroup_audit` on its images with a known label."""
    if not isinstance(subgroups, Mapping):
        raise TypeError(
            "subgroups must be a mapping {column name: one value per image} for a "
            f"multi-label report, got {type(subgroups).__name__}"
        )
    columns = {str(k): np.asarray(v) for k, v in subgroups.items()}
    for key, column in columns.items():
        if column.shape != (len(y),):
            raise ValueError(
                f"subgroups[{key!r}] must hold one value per image ({len(y)}), got shape "
                f"{column.shape}"
            )
    out = {}
    for j, name in enumerate(names):
        known = ~np.isnan(y[:, j])
        if np.unique(y[known, j]).size < 2:
            continue  # one class only: no audit (multilabel_auc warned)
        out[name] = subgroup_audit(
            y[known, j] == 1.0,
            score[known, j],
            {k: v[known] for k, v in columns.items()},
            threshold=thresholds[j],
            groups=None if codes is None else codes[known],
            level=level,
            pos_label=True,
        )
    return out
