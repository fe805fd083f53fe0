"""Sample size and power for AUCs, and the test of one AUC against a fixed value.

One job: planning a study around AUCs (its power, the cases it needs, the test it plans
for); long because each method carries its reference and worked examples.

How many images are needed so that an AUC differs detectably from 0.5, so that two AUCs
differ detectably, or so that an AUC's confidence interval is narrow enough -- and the
power a given study has. The power equations are those of pROC's ``power.roc.test``
(Obuchowski, Lieber & Wians 2004; Obuchowski & McClish 1997): with ``V0`` and ``VA`` the
variances of the statistic per positive case under the null and the alternative
hypothesis and ``delta`` the difference to detect,

    n_pos = (z_alpha sqrt(V0) + z_beta sqrt(VA))^2 / delta^2,
    power = Phi((sqrt(n_pos delta^2) - z_alpha sqrt(V0)) / sqrt(VA)),

``z_alpha = Phi^-1(1 - alpha / 2)`` two-sided (``1 - alpha`` one-sided), ``z_beta =
Phi^-1(power)`` and ``n_neg = neg_pos_ratio * n_pos``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtr, ndtri
from tabulate import tabulate

from cxreval._checks import (
    check_binary_scores,
    check_choice,
    check_fraction,
    check_level,
    check_positive_number,
)
from cxreval._result import Result
from cxreval.delong import delong_covariance, delong_variance
from cxreval.inference import ALTERNATIVES, p_value
from cxreval.smoothing import binormal_fit

__all__ = [
    "POWER_ALTERNATIVES",
    "AUCPower",
    "AUCSampleSize",
    "AUCTest",
    "auc_ci_sample_size",
    "auc_difference_power",
    "auc_difference_power_from_scores",
    "auc_power",
    "binormal_auc_covariance",
    "binormal_auc_variance",
    "hanley_mcneil_se",
    "obuchowski_variance",
    "roc_auc_test",
]

#: The alternatives of the power calculations (``alternative=``), pROC's two.
POWER_ALTERNATIVES = ("two-sided", "one-sided")

#: Methods for the variances of two AUCs from pilot scores (``method=``).
PILOT_METHODS = ("delong", "obuchowski")

#: Methods for the standard error behind a confidence-interval width (``method=``).
CI_SIZE_METHODS = ("hanley-mcneil", "obuchowski")


def hanley_mcneil_se(auc: float, n_pos: float, n_neg: float) -> float:
    """Standard error of an AUC by Hanley & McNeil (1982), from the AUC and the counts.

    ``SE^2 = [A(1 - A) + (n_pos - 1)(Q1 - A^2) + (n_neg - 1)(Q2 - A^2)] / (n_pos n_neg)``
    with ``Q1 = A / (2 - A)`` and ``Q2 = 2 A^2 / (1 + A)`` (the exponential approximation).

    Parameters
    ----------
    auc : float
        The AUC, in (0, 1).
    n_pos, n_neg : float
        Positive (abnormal) and negative (normal) cases.

    Returns
    -------
    float

    References
    ----------
    Hanley J. A. & McNeil B. J. (1982), "The meaning and use of the area under a receiver
    operating characteristic (ROC) curve", *Radiology* 143:29-36.

    Examples
    --------
    >>> from cxreval.power import hanley_mcneil_se
    >>> round(hanley_mcneil_se(0.75, 41, 72), 6)
    0.050044
    """
    a = check_level(auc, "auc")
    n_pos, n_neg = check_positive_number(n_pos, "n_pos"), check_positive_number(n_neg, "n_neg")
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    var = (a * (1 - a) + (n_pos - 1) * (q1 - a * a) + (n_neg - 1) * (q2 - a * a)) / (n_pos * n_neg)
    return float(np.sqrt(var))


def obuchowski_variance(auc: float, neg_pos_ratio: float = 1.0) -> float:
    """Variance of an AUC per positive case under the binormal model, for planning.

    ``V(theta) = 0.0099 exp(-A^2 / 2) [(5 A^2 + 8) + (A^2 + 8) / kappa]`` with
    ``A = 1.414 Phi^-1(theta)`` and ``kappa = n_neg / n_pos`` (Obuchowski, Lieber &
    Wians 2004, formula 3, for a binormal curve with equal variances); ``Var(AUC) = V / n_pos``.
    pROC's ``var.theta.obuchowski`` (the constant 1.414, not sqrt 2, as pROC). At
    ``theta = 0.5`` it is ``0.0792 (1 + 1 / kappa)``.

    Parameters
    ----------
    auc : float
        The AUC, in (0, 1).
    neg_pos_ratio : float, default 1.0
        ``n_neg / n_pos`` (pROC's ``kappa``).

    Returns
    -------
    float

    References
    ----------
    Obuchowski N. A., Lieber M. L. & Wians F. H. (2004), "ROC curves in clinical
    chemistry: uses, misuses, and possible solutions", *Clin Chem* 50:1118-1125 (in pROC's
    implementation).

    Examples
    --------
    >>> from cxreval.power import obuchowski_variance
    >>> round(obuchowski_variance(0.5, 1.0), 4)
    0.1584
    """
    theta = check_level(auc, "auc")
    kappa = check_positive_number(neg_pos_ratio, "neg_pos_ratio")
    a = 1.414 * ndtri(theta)
    return float(0.0099 * np.exp(-a * a / 2) * ((5 * a * a + 8) + (a * a + 8) / kappa))


def _f_g(a: float, b: float) -> tuple[float, float]:
    """Derivatives of ``Phi(a / sqrt(1 + b^2))`` in a and b (full AUC)."""
    e = np.exp(-a * a / (2 * (1 + b * b)))
    return e / np.sqrt(2 * np.pi * (1 + b * b)), -e * a * b / np.sqrt(2 * np.pi * (1 + b * b) ** 3)


def binormal_auc_variance(a: float, b: float, neg_pos_ratio: float) -> float:
    """Obuchowski & McClish (1997) variance of a binormal AUC per positive case.

    ``f^2 (1 + b^2 / kappa + a^2 / 2) + g^2 b^2 (1 + kappa) / (2 kappa)`` with ``f`` and
    ``g`` the derivatives of ``Phi(a / sqrt(1 + b^2))`` in ``a`` and ``b`` and
    ``kappa = n_neg / n_pos``; ``Var(AUC) = variance / n_pos``. As in the paper (and
    pROC), the covariance of the estimated ``a`` and ``b`` is left out.

    Parameters
    ----------
    a, b : float
        Binormal parameters.
    neg_pos_ratio : float
        ``n_neg / n_pos``.

    Returns
    -------
    float

    References
    ----------
    Obuchowski N. A. & McClish D. K. (1997), "Sample size determination for diagnostic
    accuracy studies involving binormal ROC curve indices", *Stat Med* 16:1529-1542.

    Examples
    --------
    >>> from cxreval.power import binormal_auc_variance
    >>> round(binormal_auc_variance(1.0, 1.0, 1.0), 5)
    0.13273
    """
    kappa = check_positive_number(neg_pos_ratio, "neg_pos_ratio")
    f, g = _f_g(a, b)
    return float(
        f * f * (1 + b * b / kappa + a * a / 2) + g * g * b * b * (1 + kappa) / (2 * kappa)
    )


def binormal_auc_covariance(
    a1: float, b1: float, a2: float, b2: float, r_pos: float, r_neg: float, neg_pos_ratio: float
) -> float:
    """Obuchowski & McClish (1997) covariance of two binormal AUCs per positive case.

    For two tests on the same cases with score correlations ``r_pos`` (among positives)
    and ``r_neg`` (among negatives):
    ``f1 f2 (r_pos + r_neg b1 b2 / kappa + r_pos^2 a1 a2 / 2)
    + g1 g2 b1 b2 (r_neg^2 + kappa r_pos^2) / (2 kappa)
    + f1 g2 r_pos^2 a1 b2 / 2 + f2 g1 r_pos^2 a2 b1 / 2``, as pROC's
    ``cov.params.obuchowski``. (With both correlations 1 and one curve it is not
    :func:`binormal_auc_variance`: it keeps the ``a``-``b`` cross terms the variance
    leaves out.)

    Parameters
    ----------
    a1, b1, a2, b2 : float
        Binormal parameters of the two curves.
    r_pos, r_neg : float
        Correlations of the two scores among positives and among negatives.
    neg_pos_ratio : float
        ``n_neg / n_pos``.

    Returns
    -------
    float

    References
    ----------
    Obuchowski N. A. & McClish D. K. (1997), *Stat Med* 16:1529-1542.

    Examples
    --------
    >>> from cxreval.power import binormal_auc_covariance
    >>> round(binormal_auc_covariance(1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0), 5)
    0.0
    """
    kappa = check_positive_number(neg_pos_ratio, "neg_pos_ratio")
    f1, g1 = _f_g(a1, b1)
    f2, g2 = _f_g(a2, b2)
    ra, rn = r_pos, r_neg
    return float(
        f1 * f2 * (ra + rn * b1 * b2 / kappa + ra * ra * a1 * a2 / 2)
        + g1 * g2 * b1 * b2 * (rn * rn + kappa * ra * ra) / (2 * kappa)
        + f1 * g2 * ra * ra * a1 * b2 / 2
        + f2 * g1 * ra * ra * a2 * b1 / 2
    )


@dataclass(frozen=True)
class AUCPower(Result):
    """A power or sample-size calculation for one AUC against a reference value, or
    for the difference of two AUCs.

    Attributes
    ----------
    auc, reference : float
        The AUC to detect and what it is compared with (0.5, or the second AUC).
    n_pos, n_neg : float
        Positive and negative cases (not rounded; round up to plan a study).
    power : float
    alpha : float
        Significance level.
    alternative : str
        ``"two-sided"`` or ``"one-sided"``.
    solved_for : str
        Which quantity was computed: ``"n"``, ``"power"``, ``"auc"`` or ``"alpha"``.
    method : str
        The variance model, e.g. ``"Obuchowski, Lieber & Wians 2004 (binormal)"``.
    v0, va : float
        Variance of the statistic per positive case under the null and the alternative.
    """

    auc: float
    reference: float
    n_pos: float
    n_neg: float
    power: float
    alpha: float
    alternative: str
    solved_for: str
    method: str
    v0: float
    va: float

    plotter = "plot_power"

    def power_at(self, n_pos: Any) -> np.ndarray:
        """Power at other numbers of positive cases (same ratio, AUCs and alpha)."""
        n = np.asarray(n_pos, dtype=float)
        z_alpha = _z_alpha(self.alpha, self.alternative)
        delta = self.auc - self.reference
        return ndtr((np.sqrt(n * delta * delta) - z_alpha * np.sqrt(self.v0)) / np.sqrt(self.va))

    def table(self) -> str:
        """The calculation as a text table, the solved quantity marked."""

        def mark(name: str, text: str) -> str:
            return f"{text}  <- solved" if name == self.solved_for else text

        rows = [
            [
                "AUC, compared with",
                mark("auc", f"{self.auc:.4f}, {self.reference:.4f}"),
            ],
            ["positives, negatives", mark("n", f"{self.n_pos:.2f}, {self.n_neg:.2f}")],
            ["alpha", mark("alpha", f"{self.alpha:.4g} ({self.alternative})")],
            ["power", mark("power", f"{self.power:.4f}")],
        ]
        return tabulate(rows, disable_numparse=True) + f"\nmethod: {self.method}"

    def __str__(self) -> str:
        return (
            f"power {self.power:.4f} to detect AUC {self.auc:.4f} vs {self.reference:.4f} "
            f"with {self.n_pos:.1f} positives and {self.n_neg:.1f} negatives "
            f"(alpha {self.alpha:.4g} {self.alternative}, {self.method})"
        )


def _z_alpha(alpha: float, alternative: str) -> float:
    return float(ndtri(1 - alpha / 2 if alternative == "two-sided" else 1 - alpha))


def _alpha_from_z(z: float, alternative: str) -> float:
    tail = float(ndtr(-z))
    return 2 * tail if alternative == "two-sided" else tail


def _counts(
    n_pos: float | None, n_neg: float | None, neg_pos_ratio: float | None
) -> tuple[float | None, float | None]:
    """``(n_pos, ratio)`` from two of n_pos, n_neg and their ratio (pROC's rules)."""
    n_pos = check_positive_number(n_pos, "n_pos", allow_none=True)
    n_neg = check_positive_number(n_neg, "n_neg", allow_none=True)
    ratio = check_positive_number(neg_pos_ratio, "neg_pos_ratio", allow_none=True)
    if n_pos is not None and n_neg is not None:
        if ratio is not None and not np.isclose(ratio, n_neg / n_pos):
            raise ValueError("give two of n_pos, n_neg and neg_pos_ratio, not three that disagree")
        return n_pos, n_neg / n_pos
    if n_neg is not None:
        if ratio is None:
            raise ValueError("n_neg alone is not enough: give n_pos or neg_pos_ratio too")
        return n_neg / ratio, ratio
    return n_pos, (1.0 if ratio is None else ratio)


def _missing(**values: Any) -> str:
    """The one name whose value is None, or raise naming the problem."""
    missing = [name for name, value in values.items() if value is None]
    if len(missing) != 1:
        names = ", ".join(values)
        raise ValueError(
            f"leave exactly one of {names} as None (the quantity to solve for), "
            f"got {len(missing)} missing: {missing}"
        )
    return missing[0]


def _solve(
    v0: float,
    va: float,
    delta: float,
    n_pos: float | None,
    alpha: float | None,
    power: float | None,
    alternative: str,
) -> tuple[float, float, float]:
    """``(n_pos, alpha, power)`` with the missing one solved from the power equation."""
    if n_pos is None:
        z_alpha, z_beta = _z_alpha(alpha, alternative), float(ndtri(power))
        return (z_alpha * np.sqrt(v0) + z_beta * np.sqrt(va)) ** 2 / delta**2, alpha, power
    if power is None:
        z_alpha = _z_alpha(alpha, alternative)
        z_beta = (np.sqrt(n_pos * delta**2) - z_alpha * np.sqrt(v0)) / np.sqrt(va)
        return n_pos, alpha, float(ndtr(z_beta))
    z_alpha = (np.sqrt(n_pos * delta**2) - float(ndtri(power)) * np.sqrt(va)) / np.sqrt(v0)
    return n_pos, _alpha_from_z(z_alpha, alternative), power


def auc_power(
    auc: float | None = None,
    *,
    n_pos: float | None = None,
    n_neg: float | None = None,
    neg_pos_ratio: float | None = None,
    alpha: float | None = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
) -> AUCPower:
    """Power, sample size, detectable AUC or significance level for testing AUC = 0.5.

    Leave exactly one of ``auc``, the numbers of cases, ``alpha`` and ``power`` as None:
    it is solved for, as pROC's ``power.roc.test(auc=, ncases=, ncontrols=, kappa=,
    sig.level=, power=)``. The cases are given by two of ``n_pos``, ``n_neg`` and
    ``neg_pos_ratio = n_neg / n_pos``; to solve for them give at most the ratio
    (default 1). The variance is :func:`obuchowski_variance` (Obuchowski, Lieber & Wians
    2004): ``V0 = V(0.5)``, ``VA = V(auc)``, ``delta = auc - 0.5`` in the power equation of
    the module docstring. The detectable AUC is the root in (0.5, 1) (pROC uses R's
    ``uniroot`` with its default tolerance, about 1e-4; here it is solved to 1e-12).

    Parameters
    ----------
    auc : float, optional
        The AUC to detect, in (0.5, 1).
    n_pos, n_neg : float, optional
        Positive and negative cases.
    neg_pos_ratio : float, optional
        ``n_neg / n_pos`` (pROC's ``kappa``); 1 when only ``n_pos`` is given or when
        solving for the cases without it.
    alpha : float or None, default 0.05
        Significance level.
    power : float, optional
        The power, in (0, 1).
    alternative : {"two-sided", "one-sided"}, default "two-sided"
        Whether ``z_alpha`` is ``Phi^-1(1 - alpha / 2)`` or ``Phi^-1(1 - alpha)``.

    Returns
    -------
    AUCPower
        All four quantities, the solved one filled in.

    References
    ----------
    Obuchowski N. A., Lieber M. L. & Wians F. H. (2004), "ROC curves in clinical
    chemistry: uses, misuses, and possible solutions", *Clin Chem* 50:1118-1125.
    Robin X. et al. (2011), "pROC", *BMC Bioinformatics* 12:77.

    Examples
    --------
    Power of a study with 41 positives and 72 negatives to show that an AUC of 0.75 is
    better than chance, and the positives needed for 90 % power with as many negatives:

    >>> from cxreval.power import auc_power
    >>> round(auc_power(0.75, n_pos=41, n_neg=72).power, 4)
    0.9969
    >>> round(auc_power(0.75, power=0.9).n_pos, 2)
    25.02
    >>> round(auc_power(n_pos=41, n_neg=72, power=0.9).auc, 4)  # detectable AUC
    0.6771
    """
    alternative = check_choice(alternative, "alternative", POWER_ALTERNATIVES)
    if auc is not None:
        auc = check_level(auc, "auc")
        if auc <= 0.5:
            raise ValueError(f"auc must be above 0.5 (the null value), got {auc!r}")
    alpha = None if alpha is None else check_level(alpha, "alpha")
    power = None if power is None else check_level(power, "power")
    n, ratio = _counts(n_pos, n_neg, neg_pos_ratio)
    solve = _missing(auc=auc, n=n, alpha=alpha, power=power)
    v0 = obuchowski_variance(0.5, ratio)
    if solve == "auc":
        z = _z_alpha(alpha, alternative) * np.sqrt(v0)

        def excess(theta: float) -> float:
            return (z + ndtri(power) * np.sqrt(obuchowski_variance(theta, ratio))) ** 2 / (
                theta - 0.5
            ) ** 2 - n

        auc = float(brentq(excess, 0.5 + 1e-12, 1 - 1e-15, xtol=1e-14, rtol=1e-14))
    va = obuchowski_variance(auc, ratio)
    n, alpha, power = _solve(v0, va, auc - 0.5, n, alpha, power, alternative)
    return AUCPower(
        auc=auc,
        reference=0.5,
        n_pos=float(n),
        n_neg=float(ratio * n),
        power=float(power),
        alpha=float(alpha),
        alternative=alternative,
        solved_for=solve,
        method="Obuchowski, Lieber & Wians 2004 (binormal), as pROC",
        v0=v0,
        va=va,
    )


def auc_difference_power(
    auc_a: float,
    auc_b: float,
    *,
    correlation: float = 0.0,
    n_pos: float | None = None,
    n_neg: float | None = None,
    neg_pos_ratio: float | None = None,
    alpha: float | None = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
) -> AUCPower:
    """Power, sample size or significance level for detecting AUC a != AUC b, planned from
    the two AUCs.

    Each AUC's variance per positive case is :func:`obuchowski_variance`; with the
    correlation ``r`` of the two AUC estimates, ``cov = r sqrt(V_a V_b)``,
    ``VA = V_a + V_b - 2 cov`` and, as pROC, the null variance assumes both curves are
    curve a: ``V0 = 2 V_a - 2 cov``. ``correlation=0`` is the unpaired design (two
    independent samples, each of ``n_pos`` positives and ``n_neg`` negatives); for a
    paired design (both models read the same images) give the expected correlation of the
    AUC estimates (from pilot data, e.g. with :func:`cxreval.delong_covariance`). Leave
    exactly one of the cases, ``alpha`` and ``power`` as None.

    Parameters
    ----------
    auc_a, auc_b : float
        The two AUCs (the difference to detect is ``auc_a - auc_b``).
    correlation : float, default 0.0
        Correlation of the two AUC estimates, in [0, 1).
    n_pos, n_neg : float, optional
        Positive and negative cases (per model in the unpaired design).
    neg_pos_ratio : float, optional
        ``n_neg / n_pos``; 1 when not given.
    alpha : float or None, default 0.05
        Significance level.
    power : float, optional
        The power, in (0, 1).
    alternative : {"two-sided", "one-sided"}, default "two-sided"
        The alternative.

    Returns
    -------
    AUCPower

    References
    ----------
    Obuchowski N. A., Lieber M. L. & Wians F. H. (2004), "ROC curves in clinical
    chemistry: uses, misuses, and possible solutions", *Clin Chem* 50:1118-1125.

    Examples
    --------
    Positives needed (with twice as many negatives) to tell an AUC of 0.85 from 0.75
    with 80 % power, unpaired and paired with correlation 0.5:

    >>> from cxreval.power import auc_difference_power
    >>> n = auc_difference_power(0.85, 0.75, neg_pos_ratio=2, power=0.8).n_pos
    >>> n_paired = auc_difference_power(0.85, 0.75, correlation=0.5, neg_pos_ratio=2,
    ...                                 power=0.8).n_pos
    >>> round(n), round(n_paired)
    (132, 59)
    """
    alternative = check_choice(alternative, "alternative", POWER_ALTERNATIVES)
    auc_a, auc_b = check_level(auc_a, "auc_a"), check_level(auc_b, "auc_b")
    if auc_a == auc_b:
        raise ValueError("auc_a and auc_b are equal: there is no difference to detect")
    correlation = check_fraction(correlation, "correlation")
    alpha = None if alpha is None else check_level(alpha, "alpha")
    power = None if power is None else check_level(power, "power")
    n, ratio = _counts(n_pos, n_neg, neg_pos_ratio)
    solve = _missing(n=n, alpha=alpha, power=power)
    var_a, var_b = obuchowski_variance(auc_a, ratio), obuchowski_variance(auc_b, ratio)
    cov = correlation * np.sqrt(var_a * var_b)
    return _difference_result(
        auc_a, auc_b, var_a, var_b, cov, n, ratio, alpha, power, alternative, solve,
        f"Obuchowski, Lieber & Wians 2004 (binormal), correlation {correlation:g}",
    )  # fmt: skip


def _difference_result(
    auc_a: float,
    auc_b: float,
    var_a: float,
    var_b: float,
    cov: float,
    n: float | None,
    ratio: float,
    alpha: float | None,
    power: float | None,
    alternative: str,
    solve: str,
    method: str,
) -> AUCPower:
    v0, va = 2 * var_a - 2 * cov, var_a + var_b - 2 * cov
    n, alpha, power = _solve(v0, va, auc_a - auc_b, n, alpha, power, alternative)
    return AUCPower(
        auc=float(auc_a),
        reference=float(auc_b),
        n_pos=float(n),
        n_neg=float(ratio * n),
        power=float(power),
        alpha=float(alpha),
        alternative=alternative,
        solved_for=solve,
        method=method,
        v0=float(v0),
        va=float(va),
    )


def auc_difference_power_from_scores(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    method: str = "delong",
    n_pos: float | None = None,
    neg_pos_ratio: float | None = None,
    alpha: float | None = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
    pos_label: Any = None,
) -> AUCPower:
    """Power or sample size for comparing two models' AUCs, from pilot scores on the same
    cases -- pROC's ``power.roc.test(roc1, roc2)``.

    The AUCs, variances and covariance are estimated from the pilot data and scaled to
    one positive case (``var * n_pos_pilot``): ``method="delong"`` uses DeLong's
    covariance (pROC's default), ``method="obuchowski"`` the binormal variances of
    Obuchowski & McClish (1997) with the correlations of the two scores among positives
    and among negatives. Then ``V0 = 2 var_a - 2 cov`` (pROC's null variance: only
    model a's variance, so swapping the models changes the answer),
    ``VA = var_a + var_b - 2 cov``, ``delta = AUC_a - AUC_b`` in the power equation of
    the module docstring. Without ``n_pos``, the power is that of the pilot's size.

    With ``method="obuchowski"`` the binormal parameters are pROC's: the coefficients of
    its smoothing regression ``Phi^-1(sp) ~ Phi^-1(se)`` (``intercept``, ``slope`` of
    :class:`cxreval.smoothing.SmoothROC`) are used as ``(a, b)`` -- not the binormal
    ``a = -intercept / slope``, ``b = -1 / slope`` -- so that the numbers agree with
    pROC 1.18.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels of the pilot cases.
    score_a, score_b : array-like of shape (n,)
        The two models' scores for the same cases.
    method : {"delong", "obuchowski"}, default "delong"
        How the variances and covariance are estimated.
    n_pos : float, optional
        Positive cases of the planned study (default: the pilot's); solve for it by
        leaving it None and giving ``power``.
    neg_pos_ratio : float, optional
        ``n_neg / n_pos`` of the planned study (default: the pilot's).
    alpha : float or None, default 0.05
        Significance level (None to solve for it).
    power : float, optional
        Power (give it to solve for the cases, or with ``alpha=None`` for alpha).
    alternative : {"two-sided", "one-sided"}, default "two-sided"
        The alternative.
    pos_label : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    AUCPower

    References
    ----------
    Obuchowski N. A. & McClish D. K. (1997), *Stat Med* 16:1529-1542. DeLong E. R.,
    DeLong D. M. & Clarke-Pearson D. L. (1988), *Biometrics* 44:837-845.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.power import auc_difference_power_from_scores
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(60), np.ones(40)]
    >>> a, b = y + rng.normal(0, 0.8, 100), y + rng.normal(0, 1.2, 100)
    >>> plan = auc_difference_power_from_scores(y, a, b, power=0.9)
    >>> plan.solved_for, bool(plan.n_pos > 40)
    ('n', True)
    """
    alternative = check_choice(alternative, "alternative", POWER_ALTERNATIVES)
    method = check_choice(method, "method", PILOT_METHODS)
    alpha = None if alpha is None else check_level(alpha, "alpha")
    power = None if power is None else check_level(power, "power")
    is_pos, sa, _ = check_binary_scores(y_true, score_a, pos_label, name="score_a")
    _, sb, _ = check_binary_scores(y_true, score_b, pos_label, name="score_b")
    m, n = int(is_pos.sum()), int((~is_pos).sum())
    ratio = check_positive_number(neg_pos_ratio, "neg_pos_ratio", allow_none=True) or n / m
    n_planned = check_positive_number(n_pos, "n_pos", allow_none=True)
    if n_planned is None and power is None:
        n_planned = float(m)  # pROC: the power of the pilot's size
    solve = _missing(n=n_planned, alpha=alpha, power=power)
    aucs, cov = delong_covariance(is_pos, sa, sb, pos_label=True)
    if method == "delong":
        var_a, var_b, cov_ab = cov[0, 0] * m, cov[1, 1] * m, cov[0, 1] * m
        name = "DeLong (pilot data), as pROC"
    else:
        kappa = n / m
        c0a, c1a, _ = binormal_fit(is_pos, sa)
        c0b, c1b, _ = binormal_fit(is_pos, sb)
        r_pos = float(np.corrcoef(sa[is_pos], sb[is_pos])[0, 1])
        r_neg = float(np.corrcoef(sa[~is_pos], sb[~is_pos])[0, 1])
        var_a = binormal_auc_variance(c0a, c1a, kappa)
        var_b = binormal_auc_variance(c0b, c1b, kappa)
        cov_ab = binormal_auc_covariance(c0a, c1a, c0b, c1b, r_pos, r_neg, kappa)
        name = "Obuchowski & McClish 1997 (binormal, pilot data), as pROC"
    return _difference_result(
        aucs[0], aucs[1], var_a, var_b, cov_ab, n_planned, ratio, alpha, power, alternative,
        solve, name,
    )  # fmt: skip


@dataclass(frozen=True)
class AUCSampleSize(Result):
    """The cases needed for an AUC confidence interval of a given width.

    Attributes
    ----------
    auc : float
        The expected AUC.
    width : float
        The full width of the interval (high - low).
    level : float
    n_pos, n_neg : int
        The smallest numbers of cases (rounded up) giving at most that width.
    se : float
        The standard error with those cases.
    neg_pos_ratio : float
    method : str
    """

    auc: float
    width: float
    level: float
    n_pos: int
    n_neg: int
    se: float
    neg_pos_ratio: float
    method: str

    plotter = "plot_power"

    def width_at(self, n_pos: Any) -> np.ndarray:
        """Interval width with other numbers of positives (same ratio)."""
        n = np.atleast_1d(np.asarray(n_pos, dtype=float))
        se = np.array([_ci_se(self.auc, k, self.neg_pos_ratio, self.method) for k in n])
        return 2 * ndtri(0.5 + self.level / 2) * se

    def table(self) -> str:
        """The plan as a text table."""
        rows = [
            ["expected AUC", f"{self.auc:.4f}"],
            [f"{100 * self.level:g}% CI width", f"{self.width:.4f}"],
            ["positives, negatives", f"{self.n_pos}, {self.n_neg}"],
            ["standard error", f"{self.se:.4f}"],
        ]
        return tabulate(rows, disable_numparse=True) + f"\nmethod: {self.method}"

    def __str__(self) -> str:
        return (
            f"{self.n_pos} positives and {self.n_neg} negatives give a {100 * self.level:g}% "
            f"CI of width <= {self.width:.4f} around AUC {self.auc:.4f} ({self.method})"
        )


def _ci_se(auc: float, n_pos: float, ratio: float, method: str) -> float:
    if method.startswith("Hanley"):
        return hanley_mcneil_se(auc, n_pos, ratio * n_pos)
    return float(np.sqrt(obuchowski_variance(auc, ratio) / n_pos))


def auc_ci_sample_size(
    auc: float,
    *,
    width: float,
    level: float = 0.95,
    neg_pos_ratio: float = 1.0,
    method: str = "hanley-mcneil",
) -> AUCSampleSize:
    """The cases needed so that an AUC's Wald confidence interval is at most ``width`` wide.

    Finds the smallest integer ``n_pos`` (with ``n_neg = ceil(neg_pos_ratio * n_pos)``)
    such that ``2 z_{(1+level)/2} SE <= width``, where SE is the Hanley & McNeil (1982)
    standard error (default) or ``sqrt(V(auc) / n_pos)`` with Obuchowski's binormal
    :func:`obuchowski_variance` (``method="obuchowski"``).

    Parameters
    ----------
    auc : float
        The expected AUC, in (0, 1).
    width : float
        The full interval width wanted (e.g. 0.1 for +/- 0.05).
    level : float, default 0.95
        Confidence level.
    neg_pos_ratio : float, default 1.0
        ``n_neg / n_pos`` of the planned study (e.g. 3 at 25 % prevalence).
    method : {"hanley-mcneil", "obuchowski"}, default "hanley-mcneil"
        The standard-error formula.

    Returns
    -------
    AUCSampleSize

    References
    ----------
    Hanley J. A. & McNeil B. J. (1982), *Radiology* 143:29-36. Obuchowski N. A.,
    Lieber M. L. & Wians F. H. (2004), *Clin Chem* 50:1118-1125.

    Examples
    --------
    Images needed for a 95 % interval of width 0.1 around an expected AUC of 0.85, at
    25 % prevalence (three negatives per positive):

    >>> from cxreval.power import auc_ci_sample_size
    >>> plan = auc_ci_sample_size(0.85, width=0.1, neg_pos_ratio=3)
    >>> plan.n_pos, plan.n_neg
    (99, 297)
    >>> bool(plan.width_at(plan.n_pos)[0] <= 0.1 < plan.width_at(plan.n_pos - 1)[0])
    True
    """
    auc = check_level(auc, "auc")
    width = check_level(width, "width")
    level = check_level(level)
    ratio = check_positive_number(neg_pos_ratio, "neg_pos_ratio")
    method = check_choice(method, "method", CI_SIZE_METHODS)
    name = (
        "Hanley & McNeil 1982 standard error"
        if method == "hanley-mcneil"
        else "Obuchowski 2004 binormal variance"
    )
    z = ndtri(0.5 + level / 2)

    def too_wide(n: int) -> bool:
        return 2 * z * _ci_se(auc, n, ratio, name) > width

    hi = 2
    while too_wide(hi):
        hi *= 2
    lo = 1
    while hi - lo > 1:  # too_wide(lo) or lo == 1; not too_wide(hi)
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if too_wide(mid) else (lo, mid)
    n = lo if not too_wide(lo) else hi
    return AUCSampleSize(
        auc=auc,
        width=width,
        level=level,
        n_pos=int(n),
        n_neg=int(np.ceil(ratio * n - 1e-9)),
        se=_ci_se(auc, n, ratio, name),
        neg_pos_ratio=ratio,
        method=name,
    )


@dataclass(frozen=True)
class AUCTest(Result):
    """A test of one AUC against a fixed value, with DeLong's standard error.

    Attributes
    ----------
    auc, null : float
        The AUC and the value it is tested against.
    se : float
        DeLong standard error.
    statistic : float
        ``z = (auc - null) / se``.
    p_value : float
    alternative : str
    method : str
    n_pos, n_neg : int
    positive : label
    """

    auc: float
    null: float
    se: float
    statistic: float
    p_value: float
    alternative: str
    method: str
    n_pos: int
    n_neg: int
    positive: Any

    plotter = "plot_power"

    def table(self) -> str:
        """The test as a text table."""
        rows = [
            ["AUC", f"{self.auc:.4f}"],
            ["null value", f"{self.null:g}"],
            ["standard error", f"{self.se:.4f}"],
            ["Z", f"{self.statistic:.4f}"],
            ["p-value", f"{self.p_value:.4g}"],
            ["positives, negatives", f"{self.n_pos}, {self.n_neg}"],
        ]
        return tabulate(rows, disable_numparse=True) + (
            f"\nmethod: {self.method}, {self.alternative}"
        )

    def __str__(self) -> str:
        return (
            f"AUC {self.auc:.4f} vs {self.null:g}: Z = {self.statistic:.4f}, "
            f"p = {self.p_value:.4g} ({self.method}, {self.alternative})"
        )


def roc_auc_test(
    y_true: Any,
    y_score: Any,
    *,
    null: float = 0.5,
    alternative: str = "two-sided",
    pos_label: Any = None,
) -> AUCTest:
    """Test of one AUC against a fixed value (0.5: better than chance) with DeLong's SE.

    ``z = (AUC - null) / SE_DeLong`` compared to the standard normal; pROC has no such
    function, but its ``var(roc)`` gives the same SE. "greater" tests AUC > null.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores.
    null : float, default 0.5
        The AUC under the null hypothesis, in (0, 1).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        The alternative hypothesis.
    pos_label : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    AUCTest
        The AUC, its DeLong SE, z and the p-value (NaN, with a warning, with fewer than
        2 positives or 2 negatives).

    References
    ----------
    DeLong E. R., DeLong D. M. & Clarke-Pearson D. L. (1988), *Biometrics* 44:837-845.

    Examples
    --------
    >>> from cxreval.power import roc_auc_test
    >>> y = [0, 0, 0, 0, 1, 1, 1, 1]
    >>> s = [0.1, 0.4, 0.35, 0.2, 0.8, 0.3, 0.9, 0.7]
    >>> res = roc_auc_test(y, s, alternative="greater")
    >>> round(res.auc, 4), round(res.statistic, 3), round(res.p_value, 5)
    (0.875, 2.598, 0.00469)
    """
    alternative = check_choice(alternative, "alternative", ALTERNATIVES)
    null = check_level(null, "null")
    is_pos, score, positive = check_binary_scores(y_true, y_score, pos_label)
    auc, var = delong_variance(score[is_pos], score[~is_pos])
    se = float(np.sqrt(var)) if var >= 0 else float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        z = float(np.divide(auc - null, se))
    return AUCTest(
        auc=auc,
        null=null,
        se=se,
        statistic=z,
        p_value=p_value(z, alternative),
        alternative=alternative,
        method="DeLong",
        n_pos=int(is_pos.sum()),
        n_neg=int((~is_pos).sum()),
        positive=positive,
    )
