"""Several binary models on the same cases: :func:`compare` and its :class:`Comparison`.

Every model gets its :class:`cxreval.Report`; each pair gets DeLong's paired test, with
p-values adjusted by Holm's method over all pairs, and one decision curve holds them all.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from cxreval._checks import (
    check_array_1d,
    check_binary_probabilities,
    check_consistent_length,
    check_multilabel_scores,
    check_multilabel_target,
    check_random_state,
    check_scores,
    read_array,
)
from cxreval._plain import to_plain
from cxreval._version import __version__
from cxreval.curve_tests import RateComparison, sensitivity_test, specificity_test
from cxreval.decision import DecisionCurve, decision_curve
from cxreval.inference import AUCComparison, delong_test
from cxreval.intervals import holm_adjust
from cxreval.partial_roc import partial_auc_test
from cxreval.report.evaluation import Report, evaluate
from cxreval.report.findings import is_label_matrix
from cxreval.report.findings_comparison import MultilabelComparison, compare_findings
from cxreval.report.provenance import Provenance
from cxreval.report.render import Document
from cxreval.report.tables import Estimate, Table, format_number, format_p

__all__ = ["Comparison", "compare"]


@dataclass(frozen=True)
class Comparison(Document):
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
    provenance : Provenance or None
        How the comparison was made (as each report's, with every model's seeds).
    requested_tests : dict of (str, str, str) to RateComparison or AUCComparison
        When the reports were asked for intervals (``at_specificity``,
        ``at_sensitivity``, ``partial_auc``): for every pair of models and every row of
        :meth:`Report.requested_intervals`, keyed ``(a, b, row name)``, the paired
        stratified bootstrap test of a minus b (:func:`cxreval.sensitivity_test`,
        :func:`cxreval.specificity_test`, :func:`cxreval.partial_auc_test`), all on the
        reports' seed.
    requested_p_holm : dict of (str, str, str) to float
        Their p-values after Holm's adjustment over all pairs, for each row.
    """

    reports: dict[str, Report]
    tests: dict[tuple[str, str], AUCComparison]
    p_holm: dict[tuple[str, str], float]
    decision: DecisionCurve
    provenance: Provenance | None = None
    requested_tests: dict[tuple[str, str, str], RateComparison | AUCComparison] = field(
        default_factory=dict
    )
    requested_p_holm: dict[tuple[str, str, str], float] = field(default_factory=dict)

    plotter = "plot_comparison"

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
                "provenance": self.provenance,
                **(
                    {"requested_tests": self._requested_tests_list()}
                    if self.requested_tests
                    else {}
                ),
            },
            json_safe=True,
        )

    def _requested_tests_list(self) -> list[dict[str, Any]]:
        return [
            {"a": a, "b": b, "name": name, **test.to_dict(),
             "p_holm": self.requested_p_holm[(a, b, name)]}
            for (a, b, name), test in self.requested_tests.items()
        ]  # fmt: skip

    def _requested_section(self, decimals: int) -> list[tuple[str, Table]]:
        """The paired tests of the intervals asked for (none when none was)."""
        if not self.requested_tests:
            return []
        pct = f"{next(iter(self.reports.values())).level:.0%} CI"
        rows = tuple(
            (a, b, name, Estimate(t.difference, t.low, t.high),
             format_number(t.statistic, decimals), format_p(t.p_value, decimals),
             format_p(self.requested_p_holm[(a, b, name)], decimals))
            for (a, b, name), t in self.requested_tests.items()
        )  # fmt: skip
        columns = ("a", "b", "statistic", f"a - b [{pct}]", "D", "p", "p (Holm)")
        heading = "Paired bootstrap tests of the intervals asked for, Holm-adjusted"
        return [(heading, Table(columns, rows))]

    def sections(self, decimals: int = 3) -> list[tuple[str, Any]]:
        """(heading, text or Table) pairs: the summary, the tests, then each model's report."""
        first = next(iter(self.reports.values()))
        pct = f"{first.level:.0%} CI"
        summary = Table(
            ("model", f"ROC AUC [{pct}]", "AP", "accuracy", f"sensitivity [{pct}]",
             f"specificity [{pct}]", "Brier", "ECE"),
            tuple(tuple(r.summary_cells()) for r in self.reports.values()),
        )  # fmt: skip
        rows = tuple(
            (a, b, Estimate(t.difference, t.low, t.high), format_number(t.statistic, decimals),
             format_p(t.p_value, decimals), format_p(self.p_holm[(a, b)], decimals))
            for (a, b), t in self.tests.items()
        )  # fmt: skip
        tests = Table(("a", "b", f"AUC a - b [{pct}]", "Z", "p", "p (Holm)"), rows)
        out = [
            (f"Models (threshold {first.threshold:g} on P({first.positive}))", summary),
            ("Pairwise DeLong tests (paired), Holm-adjusted", tests),
            *self._requested_section(decimals),
            ("Decision curves", self.decision.table()),
        ]
        for name, report in self.reports.items():
            out += [(f"{name}: {heading}", text) for heading, text in report.sections()]
        return out

    def figure_places(self) -> list[list[int]]:
        """The overlays beside the summary, the decision curves beside theirs, and each
        model's confusion matrix beside its statistics."""
        places: list[list[int]] = [[0, 1, 2], [], *([[]] if self.requested_tests else []), [3]]
        for j, report in enumerate(self.reports.values()):
            places += [[4 + j]] + [[] for _ in report.sections()[1:]]
        return places

    def table_one(self) -> Table:
        """Table 1: one row per model, every statistic with its interval."""
        first = next(iter(self.reports.values()))
        return Table(
            first.table_one_columns(),
            tuple(row for r in self.reports.values() for row in r.table_one_rows()),
            caption=f"Table 1. {len(self.reports)} models on the same {first.n} cases",
            notes=first.table_one_notes(),
        )

    def methods_sentences(self) -> list[tuple[str, list[str]]]:
        """(sentence, reference keys) of every method used: each model's, then the tests."""
        first = next(iter(self.reports.values()))
        out = first.methods_sentences()
        out.insert(
            1,
            (
                "AUCs of each pair of models are compared by DeLong's test for "
                "paired data, with p-values adjusted over all pairs by Holm's "
                "step-down method",
                ["delong1988", "holm1979"],
            ),
        )
        if self.requested_tests:
            test = next(iter(self.requested_tests.values()))
            what = [
                kind
                for kind, asked in (
                    ("sensitivities at a fixed specificity", first.at_specificity),
                    ("specificities at a fixed sensitivity", first.at_sensitivity),
                    ("partial AUCs", first.partial_auc),
                )
                if asked is not None
            ]
            what = ", ".join(what[:-1]) + " and " + what[-1] if len(what) > 1 else what[0]
            out.insert(
                2,
                (
                    f"The {what} of each pair of models are compared by paired stratified "
                    "bootstrap tests (the difference over its "
                    f"bootstrap standard deviation against the standard normal; {test.n_boot} "
                    f"resamples, seed {test.seed}), with p-values adjusted over all pairs by "
                    "Holm's method",
                    ["pepe2009", "robin2011", "holm1979"],
                ),
            )
        return out

    def figures(self) -> list[tuple[str, Any]]:
        """(caption, draw(ax)) pairs: overlays of every model, then confusion matrices."""
        reports = list(self.reports.items())
        figs = [
            ("ROC curves", lambda ax: self.plot(ax=ax, kind="roc")),
            ("Precision-recall curves", lambda ax: self.plot(ax=ax, kind="pr")),
            ("Reliability diagrams", lambda ax: self.plot(ax=ax, kind="calibration")),
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


#: The options of :func:`evaluate` that :func:`compare` passes on (it sets the others).
_EVALUATE_OPTIONS = tuple(
    name
    for name, parameter in inspect.signature(evaluate).parameters.items()
    if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    and name not in ("threshold", "pos_label", "level", "name", "labels")
)


def compare(
    y_true: Any,
    models: Mapping[str, Any],
    *,
    threshold: Any = None,
    pos_label: Any = None,
    level: float = 0.95,
    labels: Any = None,
    **options: Any,
) -> Comparison | MultilabelComparison:
    """Evaluate several binary (or multi-label) models on the same cases and test their
    AUCs pairwise.

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, L)
        Binary labels, or one column per finding (1, 0, -1, NaN) for multi-label models.
    models : mapping of str to array-like of shape (n,), (n, 1) or (n, L)
        ``{name: probability of the positive class}`` (multi-label: one column per
        finding, in the order of ``y_true``'s), at least two models; names must differ as
        strings.
    threshold, pos_label, level, labels
        As in :func:`evaluate` (``threshold`` 0.5 by default; multi-label: one or one per
        finding; ``labels`` the finding names).
    **options
        Passed to :func:`evaluate` (``auc_ci_method``, ``n_bins``, ``strategy``,
        ``decision_thresholds``, ``source``, ``command``, ``threshold_rule``, ...). Every
        model's bootstrap (of the AUC with ``auc_ci_method="bootstrap"``, and of Table 1's
        F1, AP and MCC) resamples the same cases: a ``random_state`` that is None or a
        Generator gives one int seed, drawn once, which each report records. ``groups=``
        (patient IDs) makes the paired tests Obuchowski's clustered ones and every
        bootstrap resample patients.

        With ``at_specificity``, ``at_sensitivity`` or ``partial_auc``, each pair of
        models is also compared at every value asked for by a paired stratified bootstrap
        test (:func:`cxreval.sensitivity_test`, :func:`cxreval.specificity_test`,
        :func:`cxreval.partial_auc_test`; ``n_boot`` resamples on the reports' seed),
        with Holm-adjusted p-values over the pairs.

    Returns
    -------
    Comparison or MultilabelComparison
        Every model's :class:`Report`, DeLong's paired test for each pair with
        Holm-adjusted p-values, and one decision curve of all models. Multi-label
        (``y_true`` of shape (n, L)): a :class:`~cxreval.report.MultilabelComparison` --
        every model's :class:`~cxreval.report.MultilabelReport`, per finding and pair
        DeLong's paired test (Obuchowski's with ``groups=``) with p-values
        Holm-adjusted over all findings and pairs, and per pair the difference of the
        macro mean AUCs with a percentile interval from one bootstrap of both models on
        the same resamples (``n_boot``, seeded by ``random_state``).

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
    unknown = sorted(set(options) - set(_EVALUATE_OPTIONS))
    if unknown:
        raise TypeError(
            f"compare() got an unexpected keyword argument {unknown[0]!r} (it takes "
            f"threshold, pos_label, level and evaluate()'s {', '.join(_EVALUATE_OPTIONS)})"
        )
    scores = {
        name: read_array(m, f"models[{name!r}]")
        for name, m in zip(names, models.values(), strict=True)
    }
    if is_label_matrix(y_true):
        return _compare_findings(y_true, scores, threshold, pos_label, level, labels, options)
    y = check_array_1d(y_true, "y_true")
    for name, score in scores.items():
        what = f"models[{name!r}]"
        if score.ndim != 1:
            raise ValueError(
                f"{what} must be 1-D probabilities of the positive class; "
                "compare() tests binary models"
            )
        check_consistent_length(**{"y_true": y, what: score})
        check_binary_probabilities(y, check_scores(score, what), pos_label=pos_label, name=what)
    asked = any(options.get(k) is not None for k in _REQUESTED)
    if options.get("auc_ci_method") == "bootstrap" or options.get("table_intervals", True) or asked:
        options["random_state"] = _one_seed(options.get("random_state"))
    reports = {
        name: evaluate(y_true, score, threshold=threshold, pos_label=pos_label, level=level,
                       name=name, labels=labels, **options)
        for name, score in scores.items()
    }  # fmt: skip
    positive = next(iter(reports.values())).positive
    pairs = list(combinations(names, 2))
    tests = {
        (a, b): delong_test(y_true, scores[a], scores[b], pos_label=positive, level=level,
                            groups=options.get("groups"))
        for a, b in pairs
    }  # fmt: skip
    adjusted = holm_adjust([t.p_value for t in tests.values()])
    decision = decision_curve(
        y_true, scores, thresholds=options.get("decision_thresholds"), pos_label=positive
    )
    requested = _requested_tests(y_true, scores, reports, pairs, options)
    return Comparison(
        reports=reports,
        tests=tests,
        p_holm={pair: float(p) for pair, p in zip(pairs, adjusted, strict=True)},
        decision=decision,
        provenance=_joint_provenance(reports),
        requested_tests=requested,
        requested_p_holm=_holm_per_row(requested),
    )


#: The options of :func:`evaluate` that ask for intervals :func:`compare` then tests.
_REQUESTED = ("at_specificity", "at_sensitivity", "partial_auc")


def _requested_tests(
    y_true: Any,
    scores: dict[str, np.ndarray],
    reports: dict[str, Report],
    pairs: list[tuple[str, str]],
    options: dict[str, Any],
) -> dict[tuple[str, str, str], RateComparison | AUCComparison]:
    """The paired bootstrap test of every interval asked for, for every pair of models,
    on the reports' seed."""
    first = next(iter(reports.values()))
    boot = {
        "n_boot": options.get("n_boot", 2000),
        "level": first.level,
        "random_state": options.get("random_state"),
        "pos_label": first.positive,
    }
    calls = []
    if first.at_specificity is not None:
        for t in first.at_specificity.specificities:
            calls.append((sensitivity_test, {"at_specificity": float(t)}))
    if first.at_sensitivity is not None:
        for t in first.at_sensitivity.sensitivities:
            calls.append((specificity_test, {"at_sensitivity": float(t)}))
    if first.partial_auc is not None:
        pauc = first.partial_auc
        limits = {"limits": pauc.limits, "focus": pauc.focus, "standardized": pauc.standardized,
                  "ci_method": "bootstrap" if pauc.n_boot is not None else "delong"}  # fmt: skip
        calls.append((partial_auc_test, limits))
    names = [name for name, *_ in first.requested_intervals()]
    return {
        (a, b, name): test(y_true, scores[a], scores[b], **where, **boot)
        for name, (test, where) in zip(names, calls, strict=True)
        for a, b in pairs
    }


def _holm_per_row(tests: dict[tuple[str, str, str], Any]) -> dict[tuple[str, str, str], float]:
    """Holm's adjustment over the pairs of models, separately for each row."""
    out: dict[tuple[str, str, str], float] = {}
    for name in dict.fromkeys(key[2] for key in tests):
        keys = [key for key in tests if key[2] == name]
        adjusted = holm_adjust([tests[key].p_value for key in keys])
        out.update({key: float(p) for key, p in zip(keys, adjusted, strict=True)})
    return out


def _compare_findings(
    y_true: Any,
    scores: dict[str, np.ndarray],
    threshold: Any,
    pos_label: Any,
    level: float,
    labels: Any,
    options: dict[str, Any],
) -> MultilabelComparison:
    """:func:`compare` of multi-label models: each model's report, then the tests."""
    if pos_label is not None:
        raise ValueError("pos_label applies to binary models; y_true holds one column per finding")
    y, _ = check_multilabel_target(y_true, uncertain=options.get("uncertain") or "ignore")
    for name, score in scores.items():
        what = f"models[{name!r}]"
        if score.ndim != 2:
            raise ValueError(
                f"y_true must be 1-D (binary labels) or, for multi-label models, of the shape "
                f"of {what} (images x findings); got y_true of shape {y.shape} and {what} of "
                f"shape {score.shape}"
            )
        check_multilabel_scores(score, y, name=what)
    options["random_state"] = _one_seed(options.get("random_state"))
    reports = {
        name: evaluate(y_true, score, threshold=threshold, level=level, name=name,
                       labels=labels, **options)
        for name, score in scores.items()
    }  # fmt: skip
    return compare_findings(
        y_true,
        scores,
        reports,
        groups=options.get("groups"),
        level=level,
        n_boot=options.get("n_boot", 2000),
        random_state=options["random_state"],
    )


def _joint_provenance(reports: dict[str, Report]) -> Provenance | None:
    """The first report's provenance, with every model's seeds."""
    first = next(iter(reports.values())).provenance
    if first is None:
        return None
    seeds = {
        f"{name}: {what}": seed
        for name, r in reports.items()
        for what, seed in r.provenance.seeds.items()
    }
    return Provenance(**{**vars(first), "seeds": seeds})
