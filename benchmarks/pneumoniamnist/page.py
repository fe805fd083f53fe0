"""The docs page and its ROC figure, rebuilt from the saved results.

:func:`write_docs` fills ``page_template.rst`` (beside this module; ``${name}`` marks what
comes from the results) with the tables, sentences and comparisons made below, and draws
``docs/_static/benchmark_pneumoniamnist_roc.png``. Both files are written atomically by the
project's one writer (:mod:`cxreval._io`).
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.pneumoniamnist import store
from benchmarks.pneumoniamnist.rows import (
    ENSEMBLE_OF,
    EXPLORED_ROWS,
    FIXED_IN_ADVANCE,
    MEDMNIST_BASELINES,
    PLANNED,
    PLANNED_PARALLEL,
    TARGET_ACC,
    TARGET_AUC,
    TARGET_MINUTES,
)
from cxreval._io import write_atomic, write_with

TEMPLATE = Path(__file__).with_name("page_template.rst")
#: The command that runs a row (or remakes an ensemble row), as the page shows it.
COMMAND = "PYTHONPATH=src python -m benchmarks.pneumoniamnist"

COMBINED_NOTE = """\
``combined`` is no new training: it averages the probabilities of the rows it
names, the subset of rows with the highest validation AUC among those that
share no model and together trained in at most 15 minutes
(``--combine``); its time and parameters are the sums over those rows.
"""
NO_COMBINED_NOTE = """\
Averaging trained rows (``--combine``: every set of rows that share no model and
together trained in at most 15 minutes) gave no ensemble whose validation AUC
beat the best single row's, so there is no ``combined`` row.
"""
PLANNED_ROW_NOTE = """\
``planned`` is no new training either: the models of the rows it names,
averaged with equal weight per model. It was fixed in advance (see above) and
scored once.
"""
MOBILENET_NOTE = """\
``mobilenetv2`` is Keras' MobileNetV2 from scratch with the recipe's
batch-normalization momentum 0.9; with its own 0.999 it answered one class for
every image (see above).
"""
RERUN_CAVEAT = """\
Another thread count or another CPU changes the order of floating-point sums and
so the numbers slightly."""


def best_two(results: dict[str, dict]) -> list[str]:
    """The two rows of different architectures with the highest *validation* AUC.

    Each architecture is represented by its row with the highest validation AUC (a
    ``combined`` row averages other rows and represents none), so the pair is fixed before
    the test split is looked at and the test is a planned one.
    """
    best: dict[str, str] = {}
    for key in sorted(results, key=lambda k: results[k]["val"]["auc"], reverse=True):
        if "combines" not in results[key]:  # an average of rows is no architecture
            best.setdefault(results[key]["model"], key)
    return list(best.values())[:2]


def draw_figure(results: dict[str, dict], path: Path) -> None:
    """ROC curves of every row on test, with bootstrap 95 % bands, full and zoomed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import cxreval

    fig, axes = plt.subplots(1, 2, figsize=(12, 5.5))
    for key, res in results.items():
        y, s = res["labels"]["test"], res["scores"]["test"]
        band = cxreval.roc_band(y, s, n_boot=1000, random_state=0)
        for ax in axes:
            band.plot(ax=ax, label=key)
    axes[1].set_xlim(0.0, 0.5)
    axes[1].set_ylim(0.5, 1.0)
    axes[0].set_title("PneumoniaMNIST test split: ROC curves")
    axes[1].set_title("zoom (shaded: 95% stratified-bootstrap bands, B=1000, seed 0)", fontsize=10)
    handles, labels = axes[0].get_legend_handles_labels()
    keep = [i for i, label in enumerate(labels) if label.split(":")[0] in results]
    axes[0].legend([handles[i] for i in keep], [labels[i] for i in keep], fontsize=7)
    axes[1].get_legend().remove()
    fig.tight_layout()
    write_with(path, lambda tmp: fig.savefig(tmp, dpi=110))
    plt.close(fig)


def table_rst(results: dict[str, dict]) -> str:
    from tabulate import tabulate

    head = [
        "row",
        "zoo model",
        "input",
        "seeds",
        "TTA",
        "test AUC (DeLong 95% CI)",
        "ACC (Wilson 95% CI)",
        "SEN (Wilson 95% CI)",
        "SPE (Wilson 95% CI)",
        "F1",
        "threshold",
        "val AUC",
        "parameters",
        "training (min)",
    ]
    body = []
    for key, r in results.items():
        t = r["test"]
        body.append(
            [
                key,
                r["model"],
                " + ".join(
                    dict.fromkeys(
                        "x".join(str(v) for v in shape)
                        for shape in r.get("input_shapes", [r["input_shape"]])
                    )
                ),
                len(r["seeds"]),
                "flip" if r["tta"] else "no",
                f"{t['auc']:.4f} ({t['auc_low']:.3f}-{t['auc_high']:.3f})",
                *(
                    f"{t[name]:.4f} ({t[name + '_ci'][0]:.3f}-{t[name + '_ci'][1]:.3f})"
                    for name in ("accuracy", "sensitivity", "specificity")
                ),
                f"{t['f1']:.4f}",
                f"{r['threshold']:.3f}",
                f"{r['val']['auc']:.4f}",
                f"{r['params']:,}",
                f"{r['train_seconds'] / 60:.1f}",
            ]
        )
    return tabulate(body, headers=head, tablefmt="rst", disable_numparse=True)


def exploration_rst(exploration: dict[str, dict], results: dict[str, dict]) -> str:
    """The validation-only runs beside the table rows they change (validation numbers only)."""
    from tabulate import tabulate

    import cxreval

    shown = [(k, results[k], "(the row itself)") for k in EXPLORED_ROWS if k in results]
    shown += [(k, r, r["note"]) for k, r in exploration.items()]
    body = []
    for key, r, what in shown:
        first = r["members"][0]
        val = cxreval.roc_auc_ci(np.asarray(r["labels"]["val"]), np.asarray(r["scores"]["val"]))
        body.append(
            [
                key,
                what,
                "x".join(str(v) for v in r["input_shape"]),
                f"{val.auc:.4f} ({val.low:.3f}-{val.high:.3f})",
                f"{first['history'][0]['val_auc']:.3f}",
                f"{first['best_epoch']}/{first['epochs_run']}",
                f"{r['train_seconds'] / 60:.1f}",
            ]
        )
    head = [
        "run",
        "what differs",
        "input",
        "val AUC, flip TTA (DeLong 95% CI)",
        "val AUC after epoch 1",
        "best epoch",
        "training (min)",
    ]
    return tabulate(body, headers=head, tablefmt="rst", disable_numparse=True)


def target_rows(results: dict[str, dict]) -> list[str]:
    return [
        k
        for k, r in results.items()
        if r["test"]["auc"] >= TARGET_AUC
        and r["test"]["accuracy"] >= TARGET_ACC
        and r["train_seconds"] <= TARGET_MINUTES * 60
        and r["threads"] <= 2
    ]


def score_phrase(result: dict) -> str:
    """A row's test AUC with its CI, accuracy and training time, for a sentence."""
    t = result["test"]
    low, high = t["accuracy_ci"]
    return (
        f"{t['auc']:.4f} (DeLong 95 % CI {t['auc_low']:.3f}-{t['auc_high']:.3f}) with "
        f"accuracy {t['accuracy']:.4f} ({t['proportion_ci_method']} 95 % CI {low:.3f}-"
        f"{high:.3f}) in {result['train_seconds'] / 60:.1f} min"
    )


def target_sentence(results: dict[str, dict]) -> str:
    """Whether a row met the target, by how much the others missed it, and how each
    candidate fixed in advance (:data:`FIXED_IN_ADVANCE`) did."""
    head = (
        f"On the point estimates alone (one cxrzoo model trained in at most "
        f"{TARGET_MINUTES:g} minutes on 2 CPU cores reaching test AUC >= {TARGET_AUC} and "
        f"accuracy >= {TARGET_ACC}), the target is "
    )
    fixed = "fixed in advance"
    met = target_rows(results)
    best = None
    if met:
        sentence = head + "**met** by " + ", ".join(f"``{k}``" for k in met) + "."
    else:
        within = [k for k, r in results.items() if r["train_seconds"] <= TARGET_MINUTES * 60]
        if not within:
            return head + "**not met**: no row trained within the time budget."
        best = max(within, key=lambda k: results[k]["test"]["auc"])
        who = f"``{best}``'s" + (f" ({fixed})" if best in FIXED_IN_ADVANCE else "")
        sentence = (
            head + f"**not met**. The highest test AUC within the budget is {who}, "
            f"{score_phrase(results[best])}."
        )
    for key in FIXED_IN_ADVANCE:
        if key in results and key != best:
            verdict = "meets" if key in met else "does not meet"
            sentence += f" ``{key}``, {fixed}, {verdict} it: {score_phrase(results[key])}."
    return sentence


def ruling(results: dict[str, dict]) -> str:
    """The page's lead: the target judged with the confidence intervals, and where the best
    row fixed in advance (:data:`FIXED_IN_ADVANCE`) stands against it.

    A row is consistent with the target when the upper ends of its DeLong 95 % CI of the
    AUC and of its Wilson 95 % CI of the accuracy reach the target values; it meets it
    outright when the point estimates do.
    """
    fixed = [
        k for k in FIXED_IN_ADVANCE
        if k in results and results[k]["train_seconds"] <= TARGET_MINUTES * 60
    ]  # fmt: skip
    head = (
        f"**Ruling.** The test split had been consulted about twenty times before these rows "
        f"were planned, so the target (one cxrzoo model trained in at most "
        f"{TARGET_MINUTES:g} minutes on 2 CPU cores reaching test AUC >= {TARGET_AUC} and "
        f"accuracy >= {TARGET_ACC}) is judged with the confidence intervals: a row is "
        f"consistent with it when its DeLong 95 % CI of the AUC and its Wilson 95 % CI of "
        f"the accuracy reach the target values."
    )
    if not fixed:
        return head + " No row fixed in advance trained within the time budget."
    best = max(fixed, key=lambda k: results[k]["test"]["auc"])
    t = results[best]["test"]
    acc_low, acc_high = t["accuracy_ci"]
    if t["auc"] >= TARGET_AUC and t["accuracy"] >= TARGET_ACC:
        verdict = "it meets the target outright"
    elif t["auc_high"] >= TARGET_AUC and acc_high >= TARGET_ACC:
        verdict = "it is consistent with the target"
    else:
        verdict = "it is not consistent with the target"
    return (
        f"{head} The best row fixed in advance, ``{best}``, has test AUC {t['auc']:.4f} "
        f"(DeLong 95 % CI {t['auc_low']:.3f}-{t['auc_high']:.3f}) and accuracy "
        f"{t['accuracy']:.3f} ({t['proportion_ci_method']} 95 % CI {acc_low:.3f}-"
        f"{acc_high:.3f}): {verdict}. No further candidate is scored on this test split."
    )


def candidates_note(results: dict[str, dict]) -> list[str]:
    """What the second candidate showed against the first DenseNet121 ensemble, once both
    are saved: the page's reason for planning no third."""
    if PLANNED_PARALLEL not in results or "densenet121_x2" not in results:
        return []
    four, two = results[PLANNED_PARALLEL], results["densenet121_x2"]
    top = max(r["val"]["auc"] for r in results.values())
    rank = "the highest" if four["val"]["auc"] >= top else "a higher"
    return [
        f"``{PLANNED_PARALLEL}`` had {rank} validation AUC of any row "
        f"({four['val']['auc']:.4f}, against {two['val']['auc']:.4f} for ``densenet121_x2``)"
        f" and a test AUC of {four['test']['auc']:.4f} against {two['test']['auc']:.4f}: on",
        "this split the validation AUC does not rank models that all lie near 0.996 on it, so",
        "no third candidate is planned -- each would be one more look at the same 624 test",
        "images.",
        "",
    ]


def gap_section(results: dict[str, dict], similarity: dict[str, Any] | None) -> list[str]:
    """Page lines: how far the best candidate fixed in advance is from the target, whether
    validation ranks the rows, where the test errors are, and whether validation images
    are nearer to training images than test images are."""
    from scipy.stats import spearmanr

    import cxreval

    fixed = [k for k in FIXED_IN_ADVANCE if k in results]
    if not fixed or len(results) < 3:
        return []
    best = max(fixed, key=lambda k: results[k]["test"]["auc"])
    t = results[best]["test"]
    se = t["auc_se"]  # DeLong's, not derived from the interval (clipped at 1)
    n = int(np.sum(t["confusion_matrix"]))
    right = int(np.trace(t["confusion_matrix"]))
    needed = int(np.ceil(TARGET_ACC * n - 1e-9))
    auc_gap = TARGET_AUC - t["auc"]
    lines = [
        "How close, and why the validation split cannot settle it",
        "--------------------------------------------------------",
        "",
        (
            f"* ``{best}`` misses the AUC target by {auc_gap:.4f}, "
            f"{auc_gap / se:.2f} of its DeLong standard error ({se:.4f})"
            if auc_gap > 0
            else f"* ``{best}`` reaches the AUC target"
        )
        + (
            f", and the accuracy target by {needed - right} test"
            f" image{'s' if needed - right > 1 else ''} ({right} of {n} right; accuracy"
            f" {TARGET_ACC:.2f} needs {needed})."
            if right < needed
            else f", and the accuracy target ({right} of {n} right)."
        ),
    ]
    keys = list(results)
    val_auc = np.array([results[k]["val"]["auc"] for k in keys])
    test_auc = np.array([results[k]["test"]["auc"] for k in keys])
    top = keys[int(np.argmax(val_auc))]
    top_val = cxreval.roc_auc_ci(
        np.asarray(results[top]["labels"]["val"]), np.asarray(results[top]["scores"]["val"])
    )
    top_se = top_val.se
    near = val_auc >= val_auc.max() - top_se
    rho = spearmanr(val_auc, test_auc).statistic
    near_rho = spearmanr(val_auc[near], test_auc[near]).statistic if near.sum() > 2 else np.nan
    lines += [
        f"* Validation AUC ranks the rows broadly (Spearman's rho between validation and test"
        f" AUC over the {len(keys)} rows: {rho:.2f}) but not at the top: the {int(near.sum())}"
        f" rows within one validation DeLong standard error ({top_se:.4f}) of the highest"
        f" validation AUC have test AUCs {test_auc[near].min():.4f}-{test_auc[near].max():.4f}"
        + (f", rho {near_rho:.2f} among them." if np.isfinite(near_rho) else "."),
    ]
    if all("specificity" in results[k]["val"] for k in keys):

        def span(split: str, stat: str) -> str:
            values = [results[k][split][stat] for k in keys]
            return f"{min(values):.2f}-{max(values):.2f}"

        lines.append(
            "* The test errors are mostly normal images called pneumonia: at each row's"
            f" validation threshold the specificity is {span('test', 'specificity')} on test"
            f" against {span('val', 'specificity')} on validation, the sensitivity"
            f" {span('test', 'sensitivity')} against {span('val', 'sensitivity')}."
        )
    if similarity is not None:
        val, test = similarity["val"], similarity["test"]
        lines.append(
            "* The validation images are no nearer to the training images than the test"
            " images are (correlation of the pixels with the nearest training image, median"
            f" {val['quartiles'][1]:.3f} for validation and {test['quartiles'][1]:.3f} for"
            f" test; {val['near_copies']} of {val['images']} validation and"
            f" {test['near_copies']} of {test['images']} test images have a near-copy,"
            f" r > {similarity['near']}, in training): the gap between validation and test"
            " AUC is not training images leaking into validation. The test split itself"
            " differs, and the validation split cannot show which model copes with that"
            " best."
        )
    return [*lines, ""]


def best_two_comparison(results: dict[str, dict]) -> list[str]:
    """Page lines: DeLong's paired test of the two best architectures."""
    import cxreval

    pair = best_two(results)
    if len(pair) < 2:
        return ["Only one architecture has results so far: nothing to compare.", ""]
    a, b = pair
    test = cxreval.delong_test(
        results[a]["labels"]["test"], results[a]["scores"]["test"], results[b]["scores"]["test"]
    )
    return [
        f"The two architectures with the highest validation AUC, ``{a}`` and ``{b}``,",
        "compared on the same test images by DeLong's test for correlated ROC curves",
        "(:func:`cxreval.delong_test`). The pair is chosen on the validation split only, so",
        "this is a planned comparison, not one picked after seeing the test results:",
        "",
        "::",
        "",
        *("   " + line for line in str(test).splitlines()),
        "",
    ]


def ensemble_comparison(results: dict[str, dict]) -> list[str]:
    """Page lines: DeLong's paired test of each seed ensemble against its seed-0 model."""
    import cxreval

    lines = []
    for key, single in ENSEMBLE_OF:
        if not {key, single} <= set(results):
            continue
        y = results[single]["labels"]["test"]
        test = cxreval.delong_test(
            y, results[key]["scores"]["test"], results[single]["scores"]["test"]
        )
        lines += [
            f"Does the ensemble help? ``{key}`` against ``{single}`` (its seed-0 model alone),",
            "same test images:",
            "",
            "::",
            "",
            *("   " + line for line in str(test).splitlines()),
            "",
        ]
    return lines


def rerun_sentence(rerun: dict[str, Any]) -> list[str]:
    """The page's lines on one measured rerun (the result of
    :func:`~benchmarks.pneumoniamnist.run.rerun_check`)."""
    jobs = rerun.get("jobs", 1)
    how = (
        f"{rerun['threads']} threads"
        if jobs == 1
        else f"{jobs} models at a time, {rerun['threads'] // jobs} thread each"
    )
    return [
        f"Rerun tolerance, measured: ``--model {rerun['row']} --rerun`` trained the row",
        f"again with the same seeds ({how}) and its test scores differed from the saved",
        f"run's by at most {rerun['max_abs_test_score_difference']:.2g} (test AUC "
        f"{rerun['test_auc'][0]:.4f} vs {rerun['test_auc'][1]:.4f}, difference "
        f"{rerun['abs_test_auc_difference']:.2g}; accuracy difference "
        f"{rerun['abs_test_accuracy_difference']:.2g}); its training took "
        f"{rerun['train_seconds'][1] / 60:.1f} min against {rerun['train_seconds'][0] / 60:.1f}"
        " min, which is how much the load moves the times.",
    ]


def lines_block(lines: list[str]) -> str:
    """Page lines as text, each ending in a newline (nothing for no lines)."""
    return "".join(line + "\n" for line in lines)


def paragraphs_after(paragraphs: list[list[str]]) -> str:
    """Paragraphs appended after a line of the page, each after one blank line."""
    return "".join("\n\n" + "\n".join(lines) for lines in paragraphs)


def commands_block(results: dict[str, dict]) -> str:
    """The literal block of commands that remake every row."""
    return "\n".join(
        f"   {COMMAND} "
        + ({"combined": "--combine"}.get(k, f"--{k}") if "combines" in r else f"--model {k}")
        + ("   # after the rows it averages" if "combines" in r else "")
        for k, r in results.items()
    )


def page_text(
    results: dict[str, dict],
    exploration: dict[str, dict],
    similarity: dict[str, Any] | None,
    reruns: dict[str, dict],
) -> str:
    """The page: :data:`TEMPLATE` filled from the results."""
    from tabulate import tabulate

    first = next(iter(results.values()))
    loads = [
        r[f"load_average_{when}"][0]
        for r in results.values()
        for when in ("before", "after")
        if f"load_average_{when}" in r
    ]
    baselines = tabulate(
        [(name, f"{auc:.3f}", f"{acc:.3f}") for name, auc, acc in MEDMNIST_BASELINES],
        headers=["method (MedMNIST v2)", "test AUC", "test ACC (threshold 0.5)"],
        tablefmt="rst",
    )
    notes = [
        COMBINED_NOTE if "combined" in results else NO_COMBINED_NOTE,
        PLANNED_ROW_NOTE if "planned" in results else "",
        MOBILENET_NOTE if "mobilenetv2" in results else "",
    ]
    reruns_said = [rerun_sentence(rerun) for rerun in reruns.values()]
    if reruns:
        reruns_said.append([RERUN_CAVEAT])
    fields = {
        "exploration": (
            exploration_rst(exploration, results)
            if exploration
            else "(no validation-only runs saved yet)"
        ),
        "planned_rows": " + ".join(f"``{k}``" for k in PLANNED),
        "planned_parallel": PLANNED_PARALLEL,
        "table": table_rst(results),
        "threads": first["threads"],
        "cpu_count": first["environment"]["cpu_count"],
        "load_low": f"{min(loads):.1f}",
        "load_high": f"{max(loads):.1f}",
        "ruling": ruling(results),
        "target": target_sentence(results),
        "notes": lines_block(candidates_note(results)) + "".join(n + "\n" for n in notes if n),
        "baselines": baselines,
        "figure": store.FIGURE.name,
        "comparisons": lines_block(
            [
                *best_two_comparison(results),
                *ensemble_comparison(results),
                *gap_section(results, similarity),
            ]
        ),
        "commands": commands_block(results),
        "reruns": paragraphs_after(reruns_said),
    }
    return string.Template(TEMPLATE.read_text()).substitute(fields)


def write_docs(
    results: dict[str, dict],
    exploration: dict[str, dict] | None = None,
    similarity: dict[str, Any] | None = None,
) -> None:
    """Rewrite the docs page and the ROC figure from the saved results (and the saved
    validation-only runs, by default; the split similarity when given)."""
    exploration = store.load_exploration() if exploration is None else exploration
    draw_figure(results, store.FIGURE)
    write_atomic(store.DOC, page_text(results, exploration, similarity, store.load_reruns()))
