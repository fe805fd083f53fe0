"""Several multi-label models on the same images: :class:`~cxreval.report.MultilabelComparison`.

:func:`compare_findings` is what :func:`cxreval.compare` does when ``y_true`` has one
column per finding. Every model gets its :class:`~cxreval.report.MultilabelReport`; every
pair of models, per finding, DeLong's paired test of the AUC difference (Obuchowski's
clustered test with ``groups=``) with p-values adjusted by Holm's method over all findings
and pairs, and the difference of the macro mean AUCs with a percentile interval from one
joint bootstrap of both models on the same resamples of images (or patients).

One job: comparing multi-label reports; rendering and saving are
:mod:`cxreval.report.render`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from cxreval._checks import check_groups, check_multilabel_scores, check_multilabel_target
from cxreval._plain import to_plain
from cxreval._resampling import Resamples, cluster_units, consecutive_strata
from cxreval._version import __version__
from cxreval.bootstrap import bootstrap_resamples
from cxreval.inference import AUCComparison, delong_test
from cxreval.intervals import holm_adjust
from cxreval.multilabel import finding_kernels
from cxreval.report.findings import MultilabelReport
from cxreval.report.provenance import Provenance
from cxreval.report.render import Document
from cxreval.report.tables import Estimate, Table, format_number, format_p

__all__ = ["MultilabelComparison", "compare_findings", "macro_difference"]


@dataclass(frozen=True)
class MultilabelComparison(Document):
    """Reports of several multi-label models on the same images and their paired tests.

    Attributes
    ----------
    reports : dict of str to MultilabelReport
        One report per model.
    tests : dict of (str, str) to dict of str to AUCComparison
        For every pair of models (AUC of the first minus the second), per finding:
        DeLong's paired test, or Obuchowski's clustered one with ``groups=``.
    p_holm : dict of (str, str) to dict of str to float
        The tests' p-values after Holm's adjustment over all findings and pairs.
    macro_difference : dict of (str, str) to dict
        Per pair: ``difference`` of the macro mean AUCs with ``low`` and ``high`` from
        the joint bootstrap of both models on the same resamples, and its ``method``,
        ``n_boot`` and ``seed``.
    provenance : Provenance or None
        How the comparison was made (with every model's seeds).
    """

    reports: dict[str, MultilabelReport]
    tests: dict[tuple[str, str], dict[str, AUCComparison]]
    p_holm: dict[tuple[str, str], dict[str, float]]
    macro_difference: dict[tuple[str, str], dict[str, Any]]
    provenance: Provenance | None = None

    plotter = "plot_multilabel_comparison"

    @property
    def title(self) -> str:
        first = next(iter(self.reports.values()))
        return (
            f"cxreval comparison: {', '.join(self.reports)} (multi-label, "
            f"{len(first.labels)} findings, n = {first.n})"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; ``json.loads(c.to_json()) == c.to_dict()``."""
        tests = [
            {
                "a": a,
                "b": b,
                "findings": [
                    {"finding": f, **t.to_dict(), "p_holm": self.p_holm[(a, b)][f]}
                    for f, t in per.items()
                ],
                "macro_difference": self.macro_difference[(a, b)],
            }
            for (a, b), per in self.tests.items()
        ]
        return to_plain(
            {
                "cxreval_version": __version__,
                "task": "multilabel",
                "models": self.reports,
                "tests": tests,
                "multiple_comparisons": "Holm, over all findings and pairs",
                "provenance": self.provenance,
            },
            json_safe=True,
        )

    def sections(self, decimals: int = 3) -> list[tuple[str, Any]]:
        """(heading, text or Table): the mean AUCs, each pair's tests, then each report."""
        first = next(iter(self.reports.values()))
        pct = f"{first.level:.0%} CI"
        means = list(first.means())
        summary = Table(
            ("model", *(f"{m} mean AUC [{pct}]" for m in means)),
            tuple(tuple(r.summary_cells()) for r in self.reports.values()),
        )
        out: list[tuple[str, Any]] = [("Mean AUCs (joint bootstrap)", summary)]
        for (a, b), per in self.tests.items():
            holm = self.p_holm[(a, b)]
            rows = [
                (f, format_number(t.auc_a, decimals), format_number(t.auc_b, decimals),
                 Estimate(t.difference, t.low, t.high), format_number(t.statistic, decimals),
                 format_p(t.p_value, decimals), format_p(holm[f], decimals))
                for f, t in per.items()
            ]  # fmt: skip
            m = self.macro_difference[(a, b)]
            rows.append(
                ("macro mean", "", "", Estimate(m["difference"], m["low"], m["high"]), "", "", "")
            )
            method = next(iter(per.values())).method
            out.append(
                (
                    f"{a} vs {b}: per-finding {method} tests, Holm-adjusted",
                    Table(
                        ("finding", "AUC a", "AUC b", f"AUC a - b [{pct}]", "Z", "p", "p (Holm)"),
                        tuple(rows),
                    ),
                )
            )
        for name, report in self.reports.items():
            out += [(f"{name}: {heading}", text) for heading, text in report.sections()]
        return out

    def figure_places(self) -> list[list[int]]:
        """Each pair's forest of differences beside its tests."""
        places: list[list[int]] = [[], *([i] for i in range(len(self.tests)))]
        return places + [[] for r in self.reports.values() for _ in r.sections()]

    def figures(self) -> list[tuple[str, Any]]:
        """(caption, draw(ax)): the forest of each pair's per-finding differences, then
        each model's AUC forest."""
        figs = [
            (f"AUC differences: {a} - {b}", lambda ax, p=(a, b): self.plot(ax=ax, pair=p))
            for a, b in self.tests
        ]
        for name, r in self.reports.items():
            figs.append((f"Findings' AUCs: {name}", lambda ax, r=r: r.plot(ax=ax)))
        return figs

    def table_one(self) -> Table:
        """Table 1: every model's rows (each finding, then the mean AUCs)."""
        first = next(iter(self.reports.values()))
        return Table(
            ("model", *first.table_one_columns()),
            tuple((n, *row) for n, r in self.reports.items() for row in r.table_one_rows()),
            caption=f"Table 1. {len(self.reports)} models, {len(first.labels)} findings, on "
            f"the same {first.n} images",
            notes=first.table_one_notes(),
        )

    def methods_sentences(self) -> list[tuple[str, list[str]]]:
        """(sentence, reference keys): the first model's methods, then the tests."""
        first = next(iter(self.reports.values()))
        out = first.methods_sentences()
        clustered = first.n_clusters is not None
        m = next(iter(self.macro_difference.values()))
        test = "Obuchowski's clustered test" if clustered else "DeLong's test"
        out.insert(
            2,
            (
                f"For each finding the AUCs of each pair of models are compared by {test} "
                "for paired data, with p-values adjusted over all findings and pairs by "
                "Holm's step-down method; the difference of the macro mean AUCs has a "
                f"{first.level:.0%} percentile interval from one bootstrap of both models "
                f"on the same resamples ({m['n_boot']} resamples, seed {m['seed']})",
                ["obuchowski1997" if clustered else "delong1988", "holm1979", "efron1993"],
            ),
        )
        return out


def macro_difference(
    y: np.ndarray,
    score_a: np.ndarray,
    score_b: np.ndarray,
    codes: np.ndarray | None,
    *,
    n_boot: int,
    level: float,
    random_state: Any,
) -> dict[str, Any]:
    """The difference of two models' macro mean AUCs with its percentile interval.

    ``y`` (n, L) holds 1, 0 or NaN (missing, after the uncertain policy); the findings
    with both classes on the data make the means. One bootstrap resamples the images
    (``codes`` None) or the patients -- the resamples of :func:`cxreval.multilabel_auc`'s
    joint bootstrap for the same seed -- and on each resample both models' AUCs are read
    from the same counts, so the interval keeps the pairing of the models and the
    correlation between findings.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.report.findings_comparison import macro_difference
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, (200, 3)).astype(float)
    >>> a, b = y + rng.normal(size=(200, 3)), y + rng.normal(0, 2, (200, 3))
    >>> d = macro_difference(y, a, b, None, n_boot=500, level=0.95, random_state=0)
    >>> bool(d["low"] < d["difference"] < d["high"]), d["method"]
    (True, 'bootstrap (percentile, B=500)')
    """
    units = np.arange(len(y)) if codes is None else cluster_units(codes)
    k = int(units.max()) + 1
    both = [j for j in range(y.shape[1]) if 0 < np.nansum(y[:, j]) < (~np.isnan(y[:, j])).sum()]
    kernels = list(
        zip(
            finding_kernels(y, score_a, units, both),
            finding_kernels(y, score_b, units, both),
            strict=True,
        )
    )
    if not kernels:
        nan = float("nan")
        return {"difference": nan, "low": nan, "high": nan, "method": None, "n_boot": 0,
                "seed": None}  # fmt: skip

    def kernel(resamples: Resamples) -> np.ndarray:
        a = np.stack([ka(resamples) for ka, _ in kernels], axis=1).mean(axis=1)
        b = np.stack([kb(resamples) for _, kb in kernels], axis=1).mean(axis=1)
        return (a - b)[:, None]

    full = Resamples.from_counts(np.ones((1, k), dtype=np.int64), [k])
    estimate = float(kernel(full)[0, 0])
    res = bootstrap_resamples(
        consecutive_strata([k]),
        kernel,
        estimate,
        n_boot=n_boot,
        stratified=False,
        statistic="difference of the macro mean AUCs",
        level=level,
        bootstrap_method="percentile",
        random_state=random_state,
        jackknife=None,
        bounds=(-1.0, 1.0),
        n_clusters=None if codes is None else k,
    )
    return {
        "difference": estimate,
        "low": float(np.atleast_1d(res.low)[0]),
        "high": float(np.atleast_1d(res.high)[0]),
        "method": res.method,
        "n_boot": res.n_boot,
        "seed": res.seed,
    }


def compare_findings(
    y_true: Any,
    models: Mapping[str, Any],
    reports: dict[str, MultilabelReport],
    *,
    groups: Any,
    level: float,
    n_boot: int,
    random_state: Any,
) -> MultilabelComparison:
    """The multi-label comparison of :func:`cxreval.compare`, from each model's report.

    The reports must have the same findings and images (checked by name); ``models``
    gives each model's (n, L) scores in the order of the findings.
    """
    names = list(reports)
    first = reports[names[0]]
    for name, r in reports.items():
        if r.labels != first.labels or r.n != first.n or r.uncertain != first.uncertain:
            raise ValueError(
                f"models[{name!r}] was evaluated on findings {list(r.labels)} of {r.n} "
                f"images, but models[{names[0]!r}] on {list(first.labels)} of {first.n}; "
                "compare needs the same findings on the same images"
            )
    y, _ = check_multilabel_target(y_true, uncertain=first.uncertain)
    scores = {
        name: check_multilabel_scores(m, y, name=f"models[{name!r}]")
        for name, m in zip(names, models.values(), strict=True)
    }
    codes = None if groups is None else check_groups(groups, len(y))[0]
    pairs = list(combinations(names, 2))
    tests: dict[tuple[str, str], dict[str, AUCComparison]] = {}
    for a, b in pairs:
        tests[(a, b)] = {}
        for j, finding in enumerate(first.labels):
            known = ~np.isnan(y[:, j])
            if np.unique(y[known, j]).size < 2:
                continue  # no AUC (the reports warned)
            tests[(a, b)][finding] = delong_test(
                y[known, j] == 1.0,
                scores[a][known, j],
                scores[b][known, j],
                pos_label=True,
                level=level,
                groups=None if codes is None else codes[known],
            )
    flat = [(pair, f) for pair, per in tests.items() for f in per]
    adjusted = holm_adjust([tests[pair][f].p_value for pair, f in flat]) if flat else []
    p_holm: dict[tuple[str, str], dict[str, float]] = {pair: {} for pair in pairs}
    for (pair, f), p in zip(flat, adjusted, strict=True):
        p_holm[pair][f] = float(p)
    differences = {
        (a, b): macro_difference(
            y, scores[a], scores[b], codes, n_boot=n_boot, level=level, random_state=random_state
        )
        for a, b in pairs
    }
    seeds = {
        f"{name}: {what}": seed
        for name, r in reports.items()
        for what, seed in r.provenance.seeds.items()
    }
    seeds.update({f"{a} - {b}: macro difference": d["seed"] for (a, b), d in differences.items()})
    return MultilabelComparison(
        reports=reports,
        tests=tests,
        p_holm=p_holm,
        macro_difference=differences,
        provenance=Provenance(**{**vars(first.provenance), "seeds": seeds}),
    )
