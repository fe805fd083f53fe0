"""Many findings per image: per-finding AUCs, their means, and per-finding operating points.

NIH ChestX-ray14, CheXpert and MIMIC-CXR label up to 14 findings per image, some uncertain
(coded -1) or missing (NaN). :func:`multilabel_auc` gives, per finding, the AUC with its
DeLong interval (Obuchowski's clustered interval with ``groups=``), the average precision,
prevalence and the counts used, and across findings the macro, micro and weighted mean AUC
and the mean over a chosen subset (e.g. :data:`CHEXPERT_COMPETITION`).
:func:`multilabel_operating_points` chooses a threshold per finding on validation data and
gives sensitivity, specificity and predictive values at it on test data.

One job: statistics of multi-label findings, one finding at a time plus their means. The
means' intervals come from the joint bootstrap over images (or patients), which fills
``MultilabelAUC.ci``.

References
----------
E. R. DeLong, D. M. DeLong, D. L. Clarke-Pearson, Biometrics 44 (1988) 837-845.
N. A. Obuchowski, "Nonparametric analysis of clustered ROC curve data", Biometrics 53
(1997) 567-578. J. Irvin et al., "CheXpert: a large chest radiograph dataset with
uncertainty labels and expert comparison", AAAI 2019 (the U-Ignore, U-Zeros and U-Ones
policies and the five competition findings).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    UNCERTAIN_POLICIES,
    check_choice,
    check_class_names,
    check_groups,
    check_level,
    check_multilabel_scores,
    check_multilabel_target,
    check_n_boot,
    check_random_state,
    warn_undefined,
)
from cxreval._resampling import Resamples, WeightedAUC, cluster_units, consecutive_strata
from cxreval._result import Result
from cxreval.bootstrap import bootstrap_resamples
from cxreval.curves import average_precision, binary_auc
from cxreval.delong import CLUSTERED_AUC_METHOD
from cxreval.inference import roc_auc_ci
from cxreval.intervals import PROPORTION_CI_METHODS
from cxreval.operating_point import CRITERIA, operating_point
from cxreval.subgroups import proportion_estimate

__all__ = [
    "CHEXPERT_COMPETITION",
    "UNCERTAIN_POLICIES",
    "FindingRows",
    "MultilabelAUC",
    "MultilabelOperatingPoints",
    "finding_kernels",
    "joint_bootstrap",
    "multilabel_auc",
    "multilabel_operating_points",
]

#: CheXpert's uncertain-label policies: U-Ignore (missing), U-Zeros, U-Ones.

#: The five findings of the CheXpert competition (Irvin et al. 2019).
CHEXPERT_COMPETITION = ("Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Pleural Effusion")

#: The statistics of a finding at its operating point, as (successes, denominator) masks.
OPERATING_STATISTICS = ("sensitivity", "specificity", "ppv", "npv")


def _checked(
    y_true: Any, y_score: Any, labels: Any, uncertain: str, groups: Any, suffix: str = ""
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple, np.ndarray | None]:
    y, is_uncertain = check_multilabel_target(y_true, uncertain=uncertain, name=f"y_true{suffix}")
    score = check_multilabel_scores(y_score, y, name=f"y_score{suffix}", target=f"y_true{suffix}")
    names = check_class_names(labels, y.shape[1], "labels")
    if labels is None:
        names = tuple(f"finding {j}" for j in names)
    codes = None if groups is None else check_groups(groups, len(y))[0]
    return y, score, is_uncertain, tuple(str(n) for n in names), codes


def _one_class(name: str, n_pos: int, n_neg: int, what: str) -> bool:
    """Warn (and return True) when a finding has no positive or no negative image."""
    if n_pos and n_neg:
        return False
    warn_undefined(
        f"finding {name!r} has {n_pos} positive and {n_neg} negative images with a known "
        f"label: its {what} NaN"
    )
    return True


class FindingRows:
    """Lookup of a result's per-finding rows (``findings``) by name."""

    findings: tuple

    @property
    def labels(self) -> tuple[str, ...]:
        """The finding names, in column order."""
        return tuple(f["finding"] for f in self.findings)

    def __getitem__(self, finding: str) -> dict:
        for f in self.findings:
            if f["finding"] == finding:
                return f
        raise KeyError(f"no finding {finding!r}; findings: {list(self.labels)}")


@dataclass(frozen=True)
class MultilabelAUC(FindingRows, Result):
    """Per-finding AUCs with their intervals, and their means across findings.

    Attributes
    ----------
    findings : tuple of dict
        One per finding, in the order of the columns: ``finding``, ``auc``, ``low``,
        ``high``, ``se``, ``average_precision``, ``prevalence`` (among known labels),
        ``n_images`` (with a known label), ``n_pos``, ``n_neg``, ``n_missing``,
        ``n_uncertain`` (coded -1, before the policy) and ``n_clusters`` (with ``groups=``).
    means : dict
        ``macro`` (mean of the defined per-finding AUCs), ``micro`` (the AUC of all
        known (image, finding) cells pooled), ``weighted`` (weighted by positives, as
        scikit-learn's ``average="weighted"``) and ``subset`` (mean over ``subset``; NaN
        when no subset was asked for or one of it is undefined).
    subset : tuple of str or None
    method : str
        The per-finding interval: ``"DeLong"`` or ``"Obuchowski (clustered DeLong)"``.
    level : float
    uncertain : str
        The policy for labels coded -1.
    n_images : int
    n_clusters : int or None
    ci : dict or None
        With ``ci=True``: percentile intervals of the means at ``level`` from the joint
        bootstrap, which resamples images (or patients) once for all findings --
        ``{"macro": (low, high), "micro": ..., "weighted": ..., "subset": ...}`` (a mean
        that is NaN on the data gets ``(nan, nan)``) -- plus ``"method"`` (e.g.
        ``"cluster bootstrap (percentile, B=2000)"``), ``"n_boot"`` (resamples used) and
        ``"seed"``. None without ``ci=True``.
    """

    findings: tuple
    means: dict
    subset: tuple | None
    method: str
    level: float
    uncertain: str
    n_images: int
    n_clusters: int | None
    ci: dict | None = None

    plotter = "plot_findings"

    def table(self) -> str:
        """One line per finding, then the means."""
        body = [
            [
                f["finding"],
                f"{f['auc']:.4f}",
                f"{f['low']:.4f} to {f['high']:.4f}",
                f"{f['average_precision']:.4f}",
                f"{f['prevalence']:.4f}",
                f["n_images"],
                f["n_pos"],
                f["n_missing"],
            ]
            for f in self.findings
        ]
        text = tabulate(
            body,
            headers=[
                "finding",
                "AUC",
                f"{100 * self.level:g}% CI",
                "AP",
                "prevalence",
                "images",
                "positives",
                "missing",
            ],
            disable_numparse=True,
        )
        return f"{text}\nmethod: {self.method}; uncertain labels: {self.uncertain}\n{self}"

    def __str__(self) -> str:
        m = self.means
        subset = "" if self.subset is None else f", subset of {len(self.subset)} {m['subset']:.4f}"
        return (
            f"mean AUC over {len(self.findings)} findings: macro {m['macro']:.4f}, "
            f"micro {m['micro']:.4f}, weighted {m['weighted']:.4f}{subset}"
        )


def multilabel_auc(
    y_true: Any,
    y_score: Any,
    *,
    labels: Any = None,
    uncertain: str = "ignore",
    groups: Any = None,
    subset: Any = None,
    level: float = 0.95,
    ci: bool = False,
    n_boot: int = 2000,
    random_state: Any = None,
) -> MultilabelAUC:
    """AUC per finding with its interval, and the macro, micro and weighted mean AUC.

    Each finding uses the images whose label for it is known (not NaN after the
    ``uncertain`` policy). Per finding: the AUC with DeLong's interval, or with
    Obuchowski's (1997) clustered interval when ``groups=`` gives the patient of each
    image (:func:`cxreval.roc_auc_ci` with ``groups=``); the average precision; the prevalence and
    the counts used. Across findings:

    * ``macro``: the plain mean of the per-finding AUCs (scikit-learn's
      ``roc_auc_score(average="macro")``);
    * ``micro``: the AUC of every known (image, finding) cell pooled
      (``average="micro"``);
    * ``weighted``: the mean weighted by each finding's positives -- its prevalence times
      its images -- (``average="weighted"``);
    * ``subset``: the mean over the named findings, e.g. CheXpert's five competition
      findings (:data:`CHEXPERT_COMPETITION`).

    A finding without positives or without negatives gets NaN (with an
    :class:`~cxreval.UndefinedStatisticWarning` naming it) and is left out of the macro
    and weighted means, where scikit-learn would raise.

    With ``ci=True`` the means get percentile intervals from one joint bootstrap: B
    resamples of the images -- or, with ``groups=``, of the patients, all their images
    taken (the cluster bootstrap, unstratified) -- drawn once for all findings, so the
    correlation between findings is kept; on each resample every finding's AUC is read
    from the same resampled counts (the resampling engine's kernel, one sweep per
    finding), then the macro, micro, weighted (by the resample's positives) and subset
    means. Findings undefined on the data are left out of the means as above; a resample
    on which a mean is undefined (a finding with one class only) is left out with a
    warning. Images and patients are numbered by their first row, so with one image per
    patient ``groups=`` gives the same resamples and intervals.

    Parameters
    ----------
    y_true : array-like of shape (n, L)
        1 (finding present), 0 (absent), -1 (uncertain) or NaN (missing).
    y_score : array-like of shape (n, L)
        Scores, higher meaning more likely present; finite where the label is known.
    labels : sequence of str, optional
        The L finding names (default ``"finding 0"`` ...).
    uncertain : {"ignore", "zeros", "ones"}, default "ignore"
        What -1 becomes: missing (CheXpert's U-Ignore), 0 (U-Zeros) or 1 (U-Ones).
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image: clustered intervals.
    subset : sequence of str, optional
        Findings (of ``labels``) whose mean AUC is ``means["subset"]``.
    level : float, default 0.95
    ci : bool, default False
        Fill ``ci`` with the joint bootstrap's intervals of the means.
    n_boot : int, default 2000
        Resamples of the joint bootstrap (checked as in :func:`cxreval.bootstrap`).
    random_state : None, int or numpy.random.Generator
        Seed of the joint bootstrap; a fresh one is drawn and recorded when None.

    Returns
    -------
    MultilabelAUC

    References
    ----------
    DeLong et al., Biometrics 44 (1988) 837-845. N. A. Obuchowski, Biometrics 53 (1997)
    567-578. J. Irvin et al., "CheXpert", AAAI 2019. C. A. Field and A. H. Welsh,
    "Bootstrapping clustered data", JRSS B 69 (2007) 369-390; A. C. Davison and D. V.
    Hinkley, Bootstrap Methods and their Application (1997), section 3.8 (the cluster
    bootstrap).

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.multilabel import multilabel_auc
    >>> y = np.array([[1, 0], [0, 1], [1, -1], [0, 0], [1, 1], [0, np.nan]])
    >>> s = np.array([[0.9, 0.2], [0.3, 0.35], [0.6, 0.5], [0.4, 0.1], [0.5, 0.8], [0.2, 0.3]])
    >>> res = multilabel_auc(y, s, labels=["Edema", "Mass"])
    >>> res["Edema"]["auc"], res["Mass"]["n_images"], res["Mass"]["n_uncertain"]
    (1.0, 4, 1)
    >>> print(res)
    mean AUC over 2 findings: macro 1.0000, micro 0.9600, weighted 1.0000

    The joint bootstrap of the means, resampling patients:

    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, (200, 3))
    >>> s = y + rng.normal(0, 1, (200, 3))
    >>> res = multilabel_auc(y, s, groups=np.arange(200) // 2, ci=True, random_state=0)
    >>> res.ci["method"], bool(res.ci["macro"][0] < res.means["macro"] < res.ci["macro"][1])
    ('cluster bootstrap (percentile, B=2000)', True)
    """
    level = check_level(level)
    if not isinstance(ci, bool | np.bool_):
        raise TypeError(f"ci must be True or False, got {ci!r}")
    if ci:
        n_boot = check_n_boot(n_boot, level)
        check_random_state(random_state)
    y, score, is_uncertain, names, codes = _checked(y_true, y_score, labels, uncertain, groups)
    subset_names = None
    if subset is not None:
        subset_names = tuple(str(s) for s in ([subset] if isinstance(subset, str) else subset))
        unknown = [s for s in subset_names if s not in names]
        if unknown or not subset_names:
            raise ValueError(f"subset names findings {unknown} that are not in labels {names}")
    rows = []
    for j, name in enumerate(names):
        known = ~np.isnan(y[:, j])
        is_pos, s = y[known, j] == 1.0, score[known, j]
        n_pos = int(is_pos.sum())
        row = {
            "finding": name,
            "auc": np.nan,
            "low": np.nan,
            "high": np.nan,
            "se": np.nan,
            "average_precision": np.nan,
            "prevalence": n_pos / known.sum() if known.any() else np.nan,
            "n_images": int(known.sum()),
            "n_pos": n_pos,
            "n_neg": int(known.sum()) - n_pos,
            "n_missing": int((~known).sum()),
            "n_uncertain": int(is_uncertain[:, j].sum()),
        }
        if codes is not None:
            row["n_clusters"] = len(np.unique(codes[known]))
        if not _one_class(name, n_pos, row["n_neg"], "AUC and average precision are"):
            row["average_precision"] = average_precision(is_pos, s)
            if codes is not None and row["n_clusters"] < 2:
                warn_undefined(f"finding {name!r} has one patient only: its AUC interval is NaN")
                row["auc"] = binary_auc(is_pos, s)
            else:
                one = roc_auc_ci(
                    is_pos, s, level=level, groups=None if codes is None else codes[known]
                )
                row.update(auc=one.auc, low=one.low, high=one.high, se=one.se)
        rows.append(row)
    aucs = np.array([r["auc"] for r in rows])
    weights = np.array([r["n_pos"] for r in rows], dtype=float)
    defined = np.isfinite(aucs)
    known = ~np.isnan(y)
    pooled_pos = y[known] == 1.0
    means = {
        "macro": float(aucs[defined].mean()) if defined.any() else np.nan,
        "micro": np.nan
        if _one_class(
            "all findings pooled", int(pooled_pos.sum()), int((~pooled_pos).sum()), "micro AUC is"
        )
        else binary_auc(pooled_pos, score[known]),
        "weighted": float(np.average(aucs[defined], weights=weights[defined]))
        if defined.any()
        else np.nan,
        "subset": np.nan,
    }
    if subset_names is not None:
        chosen = np.array([aucs[names.index(s)] for s in subset_names])
        means["subset"] = float(chosen.mean())
        if np.isnan(chosen).any():
            warn_undefined("a finding of subset has an undefined AUC: the subset mean is NaN")
    subset_cols = None if subset_names is None else [names.index(s) for s in subset_names]
    return MultilabelAUC(
        findings=tuple(rows),
        means=means,
        subset=subset_names,
        method="DeLong" if codes is None else CLUSTERED_AUC_METHOD,
        level=level,
        uncertain=uncertain,
        n_images=len(y),
        n_clusters=None if codes is None else int(codes.max()) + 1,
        ci=joint_bootstrap(y, score, codes, aucs, means, subset_cols, n_boot, level, random_state)
        if ci
        else None,
    )


def finding_kernels(
    y: np.ndarray, score: np.ndarray, units: np.ndarray, findings: Any
) -> list[WeightedAUC]:
    """One vectorized AUC (``cxreval._resampling.WeightedAUC``) per finding of
    ``findings``: over its images with a known label (``y`` not NaN), each image reading
    the count of its unit (``units``: the image itself, or its patient) in a resample.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval._resampling import Resamples
    >>> from cxreval.multilabel import finding_kernels
    >>> y = np.array([[1, 0], [0, np.nan], [1, 1], [0, 0]])
    >>> s = np.array([[0.9, 0.2], [0.1, 0.5], [0.8, 0.7], [0.3, 0.4]])
    >>> (kernel,) = finding_kernels(y, s, np.arange(4), [1])
    >>> kernel(Resamples.from_counts(np.ones((1, 4), dtype=np.int64), [4])).tolist()
    [1.0]
    """
    kernels = []
    for j in findings:
        known = ~np.isnan(y[:, j])
        kernels.append(
            WeightedAUC(
                score[known, j], y[known, j] == 1.0, [np.arange(known.sum())], units=units[known]
            )
        )
    return kernels


def joint_bootstrap(
    y: np.ndarray,
    score: np.ndarray,
    codes: np.ndarray | None,
    aucs: np.ndarray,
    means: dict,
    subset_cols: list[int] | None,
    n_boot: int,
    level: float,
    random_state: Any,
) -> dict:
    """Percentile intervals of the ``means`` from one bootstrap over images (``codes``
    None) or patients for all findings (the ``ci`` of :class:`MultilabelAUC`).

    ``y`` (n, L) holds 1, 0 or NaN (missing, after the uncertain policy); ``aucs`` are the
    findings' AUCs on the data (NaN: left out of the means). Each finding, and the pooled
    cells of the micro mean, is one ``cxreval._resampling.WeightedAUC`` whose rows read the
    count of their image's (or patient's) unit in the same resamples.
    """
    units = np.arange(len(y)) if codes is None else cluster_units(codes)
    k = int(units.max()) + 1
    known = ~np.isnan(y)
    defined = np.flatnonzero(np.isfinite(aucs))
    kernels = finding_kernels(y, score, units, defined)
    # positives per unit and finding, kept sparse (the units holding positives, finding
    # by finding: a defined finding has some): a resample's positives of finding j are the
    # sum of count x positives over its units -- one gather of the few positive units
    per_unit = [np.bincount(units, weights=(y[:, j] == 1.0), minlength=k) for j in defined]
    pos_units = [np.flatnonzero(c) for c in per_unit]
    pos_at = np.concatenate([np.zeros(0, np.int64), *pos_units])
    pos_count = np.concatenate([np.zeros(0), *(c[c > 0] for c in per_unit)])
    pos_start = np.cumsum([0, *map(len, pos_units)])[:-1]
    rows, cols = np.nonzero(known)
    micro = (
        WeightedAUC(
            score[rows, cols], y[rows, cols] == 1.0, [np.arange(len(rows))], units=units[rows]
        )
        if np.isfinite(means["micro"])
        else None
    )
    names = ["macro", "micro", "weighted", "subset"]
    wanted = [
        len(defined) > 0,
        micro is not None,
        len(defined) > 0,
        subset_cols is not None and np.isfinite(means["subset"]),
    ]
    estimate = np.array([means[m] for m, w in zip(names, wanted, strict=True) if w])

    def kernel(resamples: Resamples) -> np.ndarray:
        per = np.stack([kern(resamples) for kern in kernels], axis=1) if len(defined) else None
        out = []
        if wanted[0]:
            out.append(per.mean(axis=1))
        if wanted[1]:
            out.append(micro(resamples))
        if wanted[2]:
            drawn = resamples.full[:, pos_at] * pos_count.astype(np.int64)
            weights = np.add.reduceat(drawn, pos_start, axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                out.append((per * weights).sum(axis=1) / weights.sum(axis=1))
        if wanted[3]:
            at = [int(np.flatnonzero(defined == j)[0]) for j in subset_cols]
            out.append(per[:, at].mean(axis=1))
        return np.stack(out, axis=1)

    nan = (np.nan, np.nan)
    ci: dict[str, Any] = {m: nan for m in names if m != "subset" or subset_cols is not None}
    if not estimate.size:
        return {**ci, "method": None, "n_boot": 0, "seed": None}
    res = bootstrap_resamples(
        consecutive_strata([k]),
        kernel,
        estimate,
        n_boot=n_boot,
        stratified=False,
        statistic="mean AUC",
        level=level,
        bootstrap_method="percentile",
        random_state=random_state,
        jackknife=None,
        bounds=(0.0, 1.0),
        n_clusters=None if codes is None else k,
    )
    done = [m for m, w in zip(names, wanted, strict=True) if w]
    for i, m in enumerate(done):
        ci[m] = (float(np.atleast_1d(res.low)[i]), float(np.atleast_1d(res.high)[i]))
    return {**ci, "method": res.method, "n_boot": res.n_boot, "seed": res.seed}


@dataclass(frozen=True)
class MultilabelOperatingPoints(FindingRows, Result):
    """Per-finding thresholds chosen on validation data and the statistics on test data.

    Attributes
    ----------
    findings : tuple of dict
        One per finding: ``finding``, ``threshold`` (from validation),
        ``val_sensitivity``, ``val_specificity``, the test counts ``tp``, ``fp``, ``fn``,
        ``tn``, and ``sensitivity``, ``specificity``, ``ppv``, ``npv`` each with ``_low``
        and ``_high``.
    criterion : str
    target : float or None
    method : str
        The interval of the proportions.
    level : float
    uncertain : str
    """

    findings: tuple
    criterion: str
    target: float | None
    method: str
    level: float
    uncertain: str

    plotter = "plot_findings"

    def table(self) -> str:
        """One line per finding: threshold, then each statistic with its interval."""

        def cell(f: dict, s: str) -> str:
            return f"{f[s]:.3f} ({f[s + '_low']:.3f} to {f[s + '_high']:.3f})"

        body = [
            [f["finding"], f"{f['threshold']:.4g}", *(cell(f, s) for s in OPERATING_STATISTICS)]
            for f in self.findings
        ]
        goal = "" if self.target is None else f" >= {self.target:g}"
        return (
            tabulate(
                body, headers=["finding", "threshold", *OPERATING_STATISTICS], disable_numparse=True
            )
            + f"\nthresholds by {self.criterion}{goal} on validation data; "
            f"{100 * self.level:g}% intervals: {self.method}"
        )


def multilabel_operating_points(
    y_true: Any,
    y_score: Any,
    *,
    y_true_val: Any,
    y_score_val: Any,
    labels: Any = None,
    criterion: str = "youden",
    target: float | None = None,
    uncertain: str = "ignore",
    groups: Any = None,
    level: float = 0.95,
    ci_method: str = "wilson",
) -> MultilabelOperatingPoints:
    """Choose a threshold per finding on validation data; statistics at it on test data.

    For each finding the threshold is :func:`cxreval.operating_point`'s on the
    validation images with a known label (Youden's J, or the most specific threshold
    reaching a target sensitivity, or the most sensitive reaching a target specificity).
    On the test images (``y_true``, ``y_score``) it gives sensitivity, specificity, PPV
    and NPV (``score >= threshold`` is positive) with Wilson intervals, or with ``groups=``
    (patients of the *test* images) the clustered Wilson intervals of
    :func:`cxreval.clustered_proportion_ci`. A finding with one class in the validation
    data has a NaN threshold; an undefined statistic is NaN; each with an
    :class:`~cxreval.UndefinedStatisticWarning`.

    Parameters
    ----------
    y_true, y_score : array-like of shape (n, L)
        Test labels (1, 0, -1, NaN) and scores.
    y_true_val, y_score_val : array-like of shape (m, L)
        Validation labels and scores, the same findings.
    labels : sequence of str, optional
    criterion : {"youden", "sensitivity", "specificity", "closest_topleft"}
    target : float, optional
        The sensitivity or specificity to reach.
    uncertain : {"ignore", "zeros", "ones"}, default "ignore"
        What -1 becomes, in both sets.
    groups : array-like of shape (n,), optional
        Patient ID of each test image.
    level : float, default 0.95
    ci_method : {"wilson", "clopper-pearson", "agresti-coull", "normal"}, default "wilson"

    Returns
    -------
    MultilabelOperatingPoints

    References
    ----------
    W. J. Youden, "Index for rating diagnostic tests", Cancer 3 (1950) 32-35.
    E. B. Wilson, JASA 22 (1927) 209-212. J. N. K. Rao and A. J. Scott, Biometrics 48
    (1992) 577-585.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.multilabel import multilabel_operating_points
    >>> rng = np.random.default_rng(0)
    >>> y_val, y_test = rng.integers(0, 2, (200, 2)), rng.integers(0, 2, (300, 2))
    >>> s_val, s_test = y_val + rng.normal(size=(200, 2)), y_test + rng.normal(size=(300, 2))
    >>> res = multilabel_operating_points(y_test, s_test, y_true_val=y_val, y_score_val=s_val,
    ...                                   labels=["Edema", "Mass"])
    >>> f = res["Edema"]
    >>> round(f["threshold"], 3), round(f["sensitivity"], 3), f["tp"] + f["fn"]
    (0.765, 0.675, 151)
    """
    criterion = check_choice(criterion, "criterion", CRITERIA)
    level = check_level(level)
    ci_method = check_choice(ci_method, "ci_method", tuple(PROPORTION_CI_METHODS))
    y, score, _, names, codes = _checked(y_true, y_score, labels, uncertain, groups)
    yv, sv, _, _, _ = _checked(y_true_val, y_score_val, names, uncertain, None, suffix="_val")
    if yv.shape[1] != y.shape[1]:
        raise ValueError(f"y_true_val has {yv.shape[1]} findings but y_true has {y.shape[1]}")
    rows = []
    for j, name in enumerate(names):
        known_v = ~np.isnan(yv[:, j])
        pos_v = yv[known_v, j] == 1.0
        row: dict[str, Any] = {
            "finding": name,
            "threshold": np.nan,
            "val_sensitivity": np.nan,
            "val_specificity": np.nan,
        }
        if not _one_class(
            name, int(pos_v.sum()), int((~pos_v).sum()), "threshold (validation data) is"
        ):
            op = operating_point(
                pos_v, sv[known_v, j], criterion=criterion, target=target, pos_label=True
            )
            row.update(
                threshold=op.threshold,
                val_sensitivity=op.sensitivity,
                val_specificity=op.specificity,
            )
        known = ~np.isnan(y[:, j])
        is_pos = y[known, j] == 1.0
        pred = score[known, j] >= row["threshold"]  # all False with a NaN threshold
        g = None if codes is None else codes[known]
        row.update(
            tp=int((is_pos & pred).sum()),
            fp=int((~is_pos & pred).sum()),
            fn=int((is_pos & ~pred).sum()),
            tn=int((~is_pos & ~pred).sum()),
        )
        parts = {
            "sensitivity": (is_pos, pred),
            "specificity": (~is_pos, ~pred),
            "ppv": (pred, is_pos),
            "npv": (~pred, ~is_pos),
        }
        for stat, (denominator, success) in parts.items():
            if np.isnan(row["threshold"]):
                p = {"estimate": np.nan, "low": np.nan, "high": np.nan}
            else:
                p = proportion_estimate(
                    success[denominator],
                    None if g is None else g[denominator],
                    level=level,
                    ci_method=ci_method,
                    statistic=f"{stat} of finding {name!r}",
                )
            row.update({stat: p["estimate"], f"{stat}_low": p["low"], f"{stat}_high": p["high"]})
        rows.append(row)
    method = PROPORTION_CI_METHODS[ci_method] + (
        "" if codes is None else ", clustered (Rao-Scott design effect)"
    )
    return MultilabelOperatingPoints(
        findings=tuple(rows),
        criterion=criterion,
        target=None if target is None else float(target),
        method=method,
        level=level,
        uncertain=uncertain,
    )
