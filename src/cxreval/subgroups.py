"""Subgroup audits: how a classifier does for women and men, old and young, AP and PA films.

:func:`subgroup_audit` takes one binary finding, its scores, one fixed decision threshold and
one or several subgroup columns (sex, age band, view, site...). For every subgroup it gives
the AUC (DeLong, or Obuchowski's clustered interval with ``groups=``), sensitivity,
specificity and the underdiagnosis rate (the false-negative rate among images with the
finding, Seyyed-Kalantari et al. 2021) with their intervals (Wilson, or clustered Wilson
with ``groups=``), the difference of each from the rest of the images (or from a
``reference`` subgroup) with its interval, and per column a heterogeneity test across the
subgroups (Cochran's Q on the AUCs and I^2). :func:`age_bands` cuts ages into bands.

One job: per-subgroup statistics and their comparison (long because each public function
carries its formulas, references and examples).

References
----------
L. Seyyed-Kalantari, H. Zhang, M. B. A. McDermott, I. Y. Chen, M. Ghassemi,
"Underdiagnosis bias of artificial intelligence algorithms applied to chest radiographs in
under-served patient populations", Nature Medicine 27 (2021) 2176-2182.
E. R. DeLong, D. M. DeLong, D. L. Clarke-Pearson, "Comparing the areas under two or more
correlated receiver operating characteristic curves", Biometrics 44 (1988) 837-845.
N. A. Obuchowski, "Nonparametric analysis of clustered ROC curve data", Biometrics 53
(1997) 567-578.
R. G. Newcombe, "Interval estimation for the difference between independent proportions:
comparison of eleven methods", Statistics in Medicine 17 (1998) 873-890.
W. G. Cochran, "The combination of estimates from different experiments", Biometrics 10
(1954) 101-129. J. P. T. Higgins, S. G. Thompson, "Quantifying heterogeneity in a
meta-analysis", Statistics in Medicine 21 (2002) 1539-1558.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import ndtri
from scipy.stats import chi2, norm
from tabulate import tabulate

from cxreval._checks import (
    caller_stacklevel,
    check_array_1d,
    check_binary_target,
    check_choice,
    check_consistent_length,
    check_groups,
    check_labels,
    check_level,
    check_positive_int,
    check_scores,
    check_subgroups,
    check_threshold,
    warn_undefined,
)
from cxreval._result import Result
from cxreval.clustered import clustered_proportion_ci
from cxreval.delong import CLUSTERED_AUC_METHOD
from cxreval.inference import delong_test_unpaired, roc_auc_ci
from cxreval.intervals import PROPORTION_CI_METHODS, proportion_ci

__all__ = [
    "DIFFERENCE_METHODS",
    "SubgroupAudit",
    "age_bands",
    "cochran_q",
    "newcombe_difference",
    "proportion_estimate",
    "subgroup_audit",
]

#: How a difference of two proportions gets its interval (``difference_method=``).
DIFFERENCE_METHODS = ("newcombe", "wald")

#: The proportions of a subgroup row: name -> (successes among the images with ...).
PROPORTIONS = ("sensitivity", "specificity", "underdiagnosis")

#: The default age bands' inner edges: 0-19, 20-39, 40-59, 60-79, 80+.
AGE_EDGES = (20, 40, 60, 80)


def age_bands(age: Any, edges: Any = AGE_EDGES) -> np.ndarray:
    """Cut ages (in years) into bands such as ``"0-19"``, ``"20-39"`` ... ``"80+"``.

    With inner edges e_1 < ... < e_k (whole years) a band holds the ages with
    ``e_i <= age < e_(i+1)``; the first band starts at 0 and the last one is open. Labels
    name completed years: ``"20-39"`` holds every age from 20 up to, not including, 40
    (39.9 years is 39 completed years).

    Parameters
    ----------
    age : array-like of shape (n,)
        Ages in years, finite and non-negative.
    edges : sequence of int, default (20, 40, 60, 80)
        The increasing inner edges, positive whole numbers.

    Returns
    -------
    numpy.ndarray of str, shape (n,)
        The band of each age; sorting the labels does not sort the bands (``"0-19"`` sorts
        before ``"20-39"`` but ``"100+"`` would sort first), so pass them in order to
        plots if you need that.

    Examples
    --------
    >>> from cxreval.subgroups import age_bands
    >>> age_bands([3, 19.5, 20, 45, 61, 80, 95]).tolist()
    ['0-19', '0-19', '20-39', '40-59', '60-79', '80+', '80+']
    >>> age_bands([10, 70], edges=[65]).tolist()
    ['0-64', '65+']
    """
    years = check_array_1d(age, "age", numeric=True).astype(float)
    if not np.isfinite(years).all() or (years < 0).any():
        raise ValueError("age must hold finite, non-negative ages in years")
    cuts = check_array_1d(edges, "edges", numeric=True).astype(float)
    if (cuts <= 0).any() or (cuts != np.round(cuts)).any() or (np.diff(cuts) <= 0).any():
        raise ValueError(
            f"edges must be increasing positive whole numbers of years, got {cuts.tolist()}"
        )
    bounds = [0, *cuts.astype(int).tolist()]
    names = [f"{lo}-{hi - 1}" for lo, hi in itertools.pairwise(bounds)]
    names.append(f"{bounds[-1]}+")
    return np.array(names)[np.searchsorted(cuts, years, side="right")]


def proportion_estimate(
    successes: np.ndarray,
    groups: np.ndarray | None,
    *,
    level: float,
    ci_method: str,
    statistic: str,
) -> dict[str, float]:
    """``{estimate, low, high, se, trials}`` of a proportion of checked 0/1 ``successes``.

    Image-level (``proportion_ci``, ``se = sqrt(p (1 - p) / n)``) when ``groups`` is None,
    else clustered (:func:`cxreval.clustered_proportion_ci`). NaN, with an
    :class:`~cxreval.UndefinedStatisticWarning` naming ``statistic``, when there is no
    trial, or (clustered) fewer than two clusters.
    """
    n = len(successes)
    nan = {"estimate": np.nan, "low": np.nan, "high": np.nan, "se": np.nan, "trials": n}
    if n == 0:
        warn_undefined(f"{statistic} is undefined (no image in its denominator); it is NaN")
        return nan
    x = float(np.sum(successes))
    p = x / n
    if groups is None:
        low, high = proportion_ci(x, n, level=level, ci_method=ci_method)
        se = float(np.sqrt(p * (1 - p) / n))
        return {"estimate": p, "low": float(low), "high": float(high), "se": se, "trials": n}
    if len(np.unique(groups)) < 2:
        warn_undefined(
            f"the clustered interval of {statistic} needs at least 2 patients in its "
            "denominator, got 1; it is NaN"
        )
        return {**nan, "estimate": p}
    res = clustered_proportion_ci(successes, groups=groups, level=level, ci_method=ci_method)
    return {"estimate": p, "low": res.low, "high": res.high, "se": res.se, "trials": n}


def newcombe_difference(
    a: Mapping[str, float], b: Mapping[str, float], *, level: float, method: str = "newcombe"
) -> tuple[float, float, float]:
    """``(difference, low, high)`` of two independent proportions ``a - b``.

    ``"newcombe"``: Newcombe's (1998, method 10) hybrid score interval from each
    proportion's own interval (l, u)::

        low  = d - sqrt((p_a - l_a)^2 + (u_b - p_b)^2)
        high = d + sqrt((u_a - p_a)^2 + (p_b - l_b)^2)

    With Wilson intervals this is Newcombe's method; with clustered Wilson intervals it is
    the same construction (Zou & Donner's MOVER) at the effective sample sizes.
    ``"wald"``: ``d -/+ z sqrt(se_a^2 + se_b^2)``.

    Parameters
    ----------
    a, b : mapping
        ``estimate``, ``low``, ``high`` and ``se`` of each proportion (as
        :func:`proportion_estimate` returns).
    level : float
        Confidence level (Wald only; Newcombe's takes the level of the two intervals).
    method : {"newcombe", "wald"}, default "newcombe"

    Returns
    -------
    tuple of float
        The difference and its interval; NaN when either proportion is NaN.

    References
    ----------
    R. G. Newcombe, "Interval estimation for the difference between independent
    proportions: comparison of eleven methods", Statistics in Medicine 17 (1998) 873-890.
    G. Y. Zou, A. Donner, "Construction of confidence limits about effect measures: a
    general approach", Statistics in Medicine 27 (2008) 1693-1702.

    Examples
    --------
    >>> from cxreval.intervals import proportion_ci
    >>> from cxreval.subgroups import newcombe_difference
    >>> def wilson(x, n):
    ...     low, high = proportion_ci(x, n)
    ...     return {"estimate": x / n, "low": float(low), "high": float(high)}
    >>> d, low, high = newcombe_difference(wilson(56, 70), wilson(48, 80), level=0.95)
    >>> round(d, 4), round(low, 4), round(high, 4)  # Newcombe (1998) Table II, (a): 0.0524-0.3339
    (0.2, 0.0524, 0.3339)
    """
    d = a["estimate"] - b["estimate"]
    if method == "wald":
        half = ndtri(0.5 + level / 2) * np.sqrt(a["se"] ** 2 + b["se"] ** 2)
        return float(d), float(d - half), float(d + half)
    low = d - np.sqrt((a["estimate"] - a["low"]) ** 2 + (b["high"] - b["estimate"]) ** 2)
    high = d + np.sqrt((a["high"] - a["estimate"]) ** 2 + (b["estimate"] - b["low"]) ** 2)
    return float(d), float(low), float(high)


def cochran_q(estimates: Any, variances: Any) -> dict[str, float]:
    """Cochran's Q test of heterogeneity and Higgins & Thompson's I^2.

    With inverse-variance weights ``w_i = 1 / v_i`` and the pooled estimate
    ``m = sum w_i a_i / sum w_i``: ``Q = sum w_i (a_i - m)^2``, compared with chi^2 on
    ``k - 1`` degrees of freedom, and ``I^2 = max(0, (Q - (k - 1)) / Q)``, the share of the
    variation across subgroups that is beyond chance. Only finite estimates with a finite
    positive variance count; fewer than two give NaN.

    Parameters
    ----------
    estimates, variances : array-like of shape (k,)
        Independent estimates (e.g. the AUCs of disjoint subgroups) and their variances.

    Returns
    -------
    dict
        ``q``, ``df``, ``p_value``, ``i2``, ``pooled`` and ``k`` (estimates used).

    References
    ----------
    W. G. Cochran, "The combination of estimates from different experiments", Biometrics
    10 (1954) 101-129. J. P. T. Higgins, S. G. Thompson, "Quantifying heterogeneity in a
    meta-analysis", Statistics in Medicine 21 (2002) 1539-1558.

    Examples
    --------
    >>> from cxreval.subgroups import cochran_q
    >>> res = cochran_q([0.80, 0.90, 0.85], [0.02**2, 0.03**2, 0.025**2])
    >>> round(res["q"], 4), res["df"], round(res["p_value"], 4), round(res["i2"], 4)
    (8.1023, 2, 0.0174, 0.7532)
    """
    a = np.asarray(estimates, dtype=float)
    v = np.asarray(variances, dtype=float)
    keep = np.isfinite(a) & np.isfinite(v) & (v > 0)
    a, w = a[keep], 1.0 / v[keep]
    k = int(keep.sum())
    if k < 2:
        return {
            "q": np.nan,
            "df": max(k - 1, 0),
            "p_value": np.nan,
            "i2": np.nan,
            "pooled": float(a[0]) if k else np.nan,
            "k": k,
        }
    pooled = float(np.sum(w * a) / np.sum(w))
    q = float(np.sum(w * (a - pooled) ** 2))
    df = k - 1
    i2 = max(0.0, (q - df) / q) if q > 0 else 0.0
    return {"q": q, "df": df, "p_value": float(chi2.sf(q, df)), "i2": i2, "pooled": pooled, "k": k}


@dataclass(frozen=True)
class SubgroupAudit(Result):
    """Per-subgroup AUC, sensitivity, specificity and underdiagnosis, and their differences.

    Attributes
    ----------
    rows : tuple of dict
        One per (column, subgroup), in column order then sorted subgroup: ``attribute``,
        ``subgroup``, ``n``, ``n_pos``, ``n_neg``, ``n_clusters``, ``note`` (why a value is
        NaN), each statistic ``auc``, ``sensitivity``, ``specificity``, ``underdiagnosis``
        with ``_low`` and ``_high`` (and ``auc_se``), ``compared_with`` (``"rest"`` or the
        reference subgroup; None for the reference itself) and each difference
        ``<statistic>_difference`` with ``_low``, ``_high`` (and ``auc_difference_p_value``).
    overall : dict
        The same statistics over all images.
    heterogeneity : dict
        Per column: Cochran's Q on the subgroups' AUCs (``q``, ``df``, ``p_value``, ``i2``,
        ``pooled``, ``k``).
    methods : dict
        The method of every interval, difference and test, by name.
    threshold, level : float
    reference : dict or None
        The reference subgroup of each column (None: each subgroup against the rest).
    min_size : int
    n_images : int
    n_clusters : int or None
        Patients (with ``groups=``).
    """

    rows: tuple
    overall: dict
    heterogeneity: dict
    methods: dict
    threshold: float
    level: float
    reference: dict | None
    min_size: int
    n_images: int
    n_clusters: int | None

    plotter = "plot_subgroup_forest"

    @property
    def attributes(self) -> tuple[str, ...]:
        """The subgroup columns, in order."""
        return tuple(self.heterogeneity)

    def row(self, attribute: str, subgroup: Any) -> dict:
        """The row of ``subgroup`` in column ``attribute`` (KeyError if absent)."""
        for r in self.rows:
            if r["attribute"] == attribute and r["subgroup"] == subgroup:
                return r
        raise KeyError(f"no subgroup {subgroup!r} in column {attribute!r}")

    def table(self) -> str:
        """One line per subgroup: counts, AUC, sensitivity, specificity, underdiagnosis
        with their intervals and the AUC difference; then the heterogeneity tests."""

        def cell(r: dict, s: str) -> str:
            return f"{r[s]:.3f} ({r[s + '_low']:.3f} to {r[s + '_high']:.3f})"

        stats = ("auc", *PROPORTIONS)
        body = [
            [
                r["attribute"],
                r["subgroup"],
                r["n"],
                r["n_pos"],
                *(cell(r, s) for s in stats),
                "" if r["compared_with"] is None else cell(r, "auc_difference"),
                r["note"],
            ]
            for r in (self.overall, *self.rows)
        ]
        pct = f"{100 * self.level:g}%"
        text = tabulate(
            body,
            headers=[
                "column",
                "subgroup",
                "n",
                "pos",
                f"AUC ({pct} CI)",
                "sensitivity",
                "specificity",
                "underdiagnosis",
                "AUC - comparison",
                "note",
            ],
            disable_numparse=True,
        )
        het = [
            f"{a}: Q = {h['q']:.3f}, df = {h['df']}, p = {h['p_value']:.4g}, "
            f"I^2 = {100 * h['i2']:.1f}%"
            for a, h in self.heterogeneity.items()
        ]
        methods = "; ".join(f"{k}: {v}" for k, v in self.methods.items())
        return f"{text}\nthreshold {self.threshold:g}\n" + "\n".join(het) + f"\n{methods}"


def _auc(is_pos: np.ndarray, score: np.ndarray, groups: np.ndarray | None, level: float) -> Any:
    """The AUC interval (DeLong, or Obuchowski with groups) of checked arrays."""
    return roc_auc_ci(is_pos, score, level=level, groups=groups)


def _describe(
    name: str,
    is_pos: np.ndarray,
    score: np.ndarray,
    pred: np.ndarray,
    groups: np.ndarray | None,
    *,
    level: float,
    ci_method: str,
    min_size: int,
) -> tuple[dict, Any, dict]:
    """One subgroup's counts and statistics: ``(row, AUC interval or None, proportions)``."""
    n, n_pos = len(is_pos), int(is_pos.sum())
    row: dict[str, Any] = {
        "n": n,
        "n_pos": n_pos,
        "n_neg": n - n_pos,
        "n_clusters": None if groups is None else len(np.unique(groups)),
        "note": "",
    }
    nan = {"estimate": np.nan, "low": np.nan, "high": np.nan, "se": np.nan}
    props = dict.fromkeys(PROPORTIONS, nan)
    auc = None
    if n < min_size:
        row["note"] = f"fewer than min_size={min_size} images"
        warn_undefined(f"{name} has {n} images (min_size={min_size}): its statistics are NaN")
    else:
        if n_pos == 0 or n_pos == n:
            row["note"] = "one class only"
            warn_undefined(
                f"{name} holds one class only ({n_pos} positive of {n} images): its AUC is NaN"
            )
        elif groups is not None and len(np.unique(groups)) < 2:
            row["note"] = "one patient only"
            warn_undefined(f"{name} holds one patient only: its clustered AUC is NaN")
        else:
            auc = _auc(is_pos, score, groups, level)

        def part(mask: np.ndarray, successes: np.ndarray, statistic: str) -> dict:
            g = None if groups is None else groups[mask]
            return proportion_estimate(
                successes[mask],
                g,
                level=level,
                ci_method=ci_method,
                statistic=f"{statistic} of {name}",
            )

        props = {
            "sensitivity": part(is_pos, pred, "sensitivity"),
            "specificity": part(~is_pos, ~pred, "specificity"),
            "underdiagnosis": part(is_pos, ~pred, "underdiagnosis"),
        }
    row["auc"] = np.nan if auc is None else auc.auc
    row["auc_low"] = np.nan if auc is None else auc.low
    row["auc_high"] = np.nan if auc is None else auc.high
    row["auc_se"] = np.nan if auc is None else auc.se
    for s, p in props.items():
        row.update({s: p["estimate"], f"{s}_low": p["low"], f"{s}_high": p["high"]})
    return row, auc, props


def _auc_difference(
    a: tuple, b: tuple, groups: np.ndarray | None, level: float
) -> tuple[float, float, float, float]:
    """``(difference, low, high, p)`` of the AUCs of two disjoint sets of images.

    ``a`` and ``b`` are ``(is_pos, score, groups)``; unpaired DeLong (Welch t, as pROC)
    without groups, a Wald z with the two Obuchowski variances with them.
    """
    if groups is None:
        res = delong_test_unpaired(a[0], a[1], b[0], b[1], pos_label=True, level=level)
        return res.difference, res.low, res.high, res.p_value
    ca, cb = (roc_auc_ci(x[0], x[1], groups=x[2], level=level) for x in (a, b))
    d, se = ca.auc - cb.auc, float(np.hypot(ca.se, cb.se))
    half = ndtri(0.5 + level / 2) * se
    p = float(2 * norm.sf(abs(d) / se)) if se > 0 else np.nan
    return float(d), float(d - half), float(d + half), p


def _check_reference(reference: Any, columns: Mapping[str, np.ndarray]) -> dict | None:
    if reference is None:
        return None
    if isinstance(reference, Mapping):
        refs = dict(reference)
        unknown = sorted(set(refs) - set(columns))
        if unknown:
            raise ValueError(f"reference names columns {unknown} that are not in subgroups")
    elif len(columns) == 1:
        refs = {next(iter(columns)): reference}
    else:
        raise TypeError(
            "with several subgroup columns, reference must be a mapping {column: subgroup}"
        )
    for name, level in refs.items():
        if level not in columns[name].tolist():
            levels = np.unique(columns[name]).tolist()
            raise ValueError(
                f"reference {level!r} is not a subgroup of {name!r} (subgroups: {levels[:10]})"
            )
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in refs.items()}


def subgroup_audit(
    y_true: Any,
    y_score: Any,
    subgroups: Any,
    *,
    threshold: float,
    groups: Any = None,
    reference: Any = None,
    level: float = 0.95,
    min_size: int = 30,
    ci_method: str = "wilson",
    difference_method: str = "newcombe",
    pos_label: Any = None,
) -> SubgroupAudit:
    """Audit a classifier across subgroups: AUC, sensitivity, specificity, underdiagnosis.

    For every subgroup of every column:

    * the AUC with DeLong's interval, or Obuchowski's (1997) clustered interval when
      ``groups=`` gives the patient of each image;
    * sensitivity, specificity and the **underdiagnosis rate** at the one fixed
      ``threshold`` (``score >= threshold`` is positive) with Wilson intervals (clustered
      Wilson at the Rao-Scott effective sample size with ``groups=``). The underdiagnosis
      rate is the share of images *with* the finding that the model calls negative, the
      false-negative rate (1 - sensitivity), as in Seyyed-Kalantari et al. (2021), who
      compared how often patients with a finding were called "No Finding" across sex, age,
      race and insurance. For a multi-label model pass ``y_true`` = any finding present
      and ``y_score`` = the model's any-finding score (e.g. 1 - P(No Finding)).
    * the difference from the rest of the images (or from ``reference``) with its
      interval: for the AUC DeLong's unpaired test (Welch t, as pROC's
      ``roc.test(paired=FALSE)``), or with ``groups=`` a Wald z with the two Obuchowski
      variances; for the proportions Newcombe's (1998) hybrid score interval (or Wald);
    * per column, Cochran's Q test of heterogeneity of the subgroups' AUCs (weights: the
      inverse DeLong / Obuchowski variances) and I^2.

    The comparisons treat the two sets of images as independent. That holds for a
    patient attribute (sex, site); an image attribute (view, age at the visit) can put one
    patient's images in two subgroups, and with ``groups=`` the number of such shared
    patients is in ``shared_patients`` (and a warning says so).

    A subgroup with fewer than ``min_size`` images has NaN statistics; one with one class
    only has a NaN AUC (each with an :class:`~cxreval.UndefinedStatisticWarning` naming it
    and a ``note`` in its row).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels of one finding.
    y_score : array-like of shape (n,)
        Finite scores.
    subgroups : array-like of shape (n,) or mapping of str to array-like
        One subgroup column or several (``{"sex": ..., "age": age_bands(age), ...}``).
    threshold : float
        The one decision threshold for every subgroup (chosen beforehand, e.g. on
        validation data).
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image: clustered intervals throughout.
    reference : label or mapping of str to label, optional
        Compare every subgroup with this one (per column, a mapping with several columns)
        instead of with the rest of the images.
    level : float, default 0.95
    min_size : int, default 30
        Subgroups with fewer images get NaN statistics and a warning.
    ci_method : {"wilson", "clopper-pearson", "agresti-coull", "normal"}, default "wilson"
        Interval of the proportions.
    difference_method : {"newcombe", "wald"}, default "newcombe"
        Interval of a difference of two proportions.
    pos_label : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    SubgroupAudit

    References
    ----------
    L. Seyyed-Kalantari et al., "Underdiagnosis bias of artificial intelligence algorithms
    applied to chest radiographs in under-served patient populations", Nature Medicine 27
    (2021) 2176-2182. DeLong et al., Biometrics 44 (1988) 837-845. N. A. Obuchowski,
    Biometrics 53 (1997) 567-578. R. G. Newcombe, Statistics in Medicine 17 (1998)
    873-890. W. G. Cochran, Biometrics 10 (1954) 101-129. J. P. T. Higgins and
    S. G. Thompson, Statistics in Medicine 21 (2002) 1539-1558.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.subgroups import subgroup_audit
    >>> rng = np.random.default_rng(0)
    >>> sex = np.repeat(["F", "M"], 200)
    >>> y = rng.integers(0, 2, 400)
    >>> s = y * np.where(sex == "F", 0.8, 1.6) + rng.normal(size=400)
    >>> res = subgroup_audit(y, s, {"sex": sex}, threshold=0.5)
    >>> f = res.row("sex", "F")
    >>> f["n"], round(f["auc"], 3), round(f["underdiagnosis"], 3), f["compared_with"]
    (200, 0.78, 0.423, 'rest')
    >>> round(res.heterogeneity["sex"]["p_value"], 4)  # Cochran's Q across F and M
    0.0458
    """
    level = check_level(level)
    threshold = check_threshold(threshold)
    min_size = check_positive_int(min_size, "min_size")
    ci_method = check_choice(ci_method, "ci_method", tuple(PROPORTION_CI_METHODS))
    difference_method = check_choice(difference_method, "difference_method", DIFFERENCE_METHODS)
    is_pos, _ = check_binary_target(y_true, pos_label=pos_label)
    score = check_scores(y_score)
    n = check_consistent_length(y_true=is_pos, y_score=score)
    columns = check_subgroups(subgroups, n)
    refs = _check_reference(reference, columns)
    codes = None if groups is None else check_groups(groups, n)[0]
    pred = score >= threshold
    opts = {"level": level, "ci_method": ci_method, "min_size": min_size}

    def subset(mask: np.ndarray) -> tuple:
        return is_pos[mask], score[mask], pred[mask], None if codes is None else codes[mask]

    overall, _, _ = _describe("the whole set", *subset(np.ones(n, bool)), **opts)
    overall.update(attribute="all", subgroup="all", compared_with=None)
    rows, heterogeneity = [], {}
    for attribute, column in columns.items():
        levels = check_labels(column, attribute).tolist()
        described = {
            lvl: _describe(f"subgroup {attribute}={lvl!r}", *subset(column == lvl), **opts)
            for lvl in levels
        }
        for lvl, (row, auc, props) in described.items():
            row = {"attribute": attribute, "subgroup": lvl, **row}
            row.update(
                _compare(
                    lvl,
                    column,
                    row,
                    auc,
                    props,
                    described,
                    refs,
                    attribute,
                    subset,
                    codes,
                    level,
                    difference_method,
                    opts,
                )
            )
            rows.append(row)
        heterogeneity[attribute] = cochran_q(
            [r[1].auc if r[1] else np.nan for r in described.values()],
            [r[1].se ** 2 if r[1] else np.nan for r in described.values()],
        )
    auc_method = "DeLong" if codes is None else CLUSTERED_AUC_METHOD
    prop_method = PROPORTION_CI_METHODS[ci_method] + (
        "" if codes is None else ", clustered (Rao-Scott design effect)"
    )
    return SubgroupAudit(
        rows=tuple(rows),
        overall=overall,
        heterogeneity=heterogeneity,
        methods={
            "auc": auc_method,
            "proportions": prop_method,
            "auc_difference": "DeLong unpaired (Welch t)"
            if codes is None
            else "Obuchowski unpaired (Wald z)",
            "proportion_difference": "Newcombe hybrid score"
            if difference_method == "newcombe"
            else "Wald",
            "heterogeneity": f"Cochran's Q on the AUCs (inverse {auc_method} variances), I^2",
        },
        threshold=threshold,
        level=level,
        reference=refs,
        min_size=min_size,
        n_images=n,
        n_clusters=None if codes is None else int(codes.max()) + 1,
    )


def _compare(
    lvl: Any,
    column: np.ndarray,
    row: dict,
    auc: Any,
    props: dict,
    described: dict,
    refs: dict | None,
    attribute: str,
    subset: Any,
    codes: np.ndarray | None,
    level: float,
    difference_method: str,
    opts: dict,
) -> dict:
    """The differences of one subgroup from the rest (or from the reference subgroup)."""
    out: dict[str, Any] = {"compared_with": "rest" if refs is None else refs.get(attribute)}
    for s in ("auc", *PROPORTIONS):
        out.update(
            {
                f"{s}_difference": np.nan,
                f"{s}_difference_low": np.nan,
                f"{s}_difference_high": np.nan,
            }
        )
    out["auc_difference_p_value"] = np.nan
    if codes is not None:
        out["shared_patients"] = 0
    if refs is not None and attribute not in refs:
        out["compared_with"] = "rest"
    other_mask = column != lvl if out["compared_with"] == "rest" else column == out["compared_with"]
    if out["compared_with"] != "rest" and lvl == out["compared_with"]:
        out["compared_with"] = None  # the reference itself
        return out
    if not other_mask.any() or row["note"].startswith("fewer"):
        if not other_mask.any():
            out["compared_with"] = None
        return out
    if out["compared_with"] == "rest":
        _, other_auc, other_props = _describe(
            f"the images outside {attribute}={lvl!r}", *subset(other_mask), **opts
        )
    else:
        _, other_auc, other_props = described[out["compared_with"]]
    if codes is not None:
        shared = np.intersect1d(codes[column == lvl], codes[other_mask]).size
        out["shared_patients"] = int(shared)
        if shared:
            warnings.warn(
                f"{shared} patient(s) have images both in {attribute}={lvl!r} and in its "
                "comparison group; the difference treats the two as independent",
                UserWarning,
                stacklevel=caller_stacklevel(),
            )
    if auc is not None and other_auc is not None:
        a, b = subset(column == lvl), subset(other_mask)
        d, low, high, p = _auc_difference((a[0], a[1], a[3]), (b[0], b[1], b[3]), codes, level)
        out.update(
            auc_difference=d,
            auc_difference_low=low,
            auc_difference_high=high,
            auc_difference_p_value=p,
        )
    for s in PROPORTIONS:
        d, low, high = newcombe_difference(
            props[s], other_props[s], level=level, method=difference_method
        )
        out.update({f"{s}_difference": d, f"{s}_difference_low": low, f"{s}_difference_high": high})
    return out
