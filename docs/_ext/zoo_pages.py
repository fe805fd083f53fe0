"""Generate the zoo's pages from the registry: one page per model card and a results table.

At ``builder-inited`` (before Sphinx reads the sources) this writes ``zoo/generated/``:
``<model>.rst`` for every name of :func:`cxrzoo.list_models` and ``results.inc``, the
table that ``zoo/index.rst`` includes (model, parameters, input, the report's headline
numbers and, where the repository has them, the numbers reproduced on PneumoniaMNIST with
their confidence intervals). Nothing here needs TensorFlow: presets are plain data, the
parameter counts come from ``zoo/parameters.json`` (``tools/zoo_parameters.py``) and the
reproduced numbers from ``benchmarks/results/pneumoniamnist/*.json``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

ARCHITECTURE_FIELDS = ("input_shape", "class_names", "preprocessing", "head", "backbone")
HEADLINE_METRICS = ("accuracy", "accuracy_last_epoch", "roc_auc", "f1", "recall", "precision")
HEADLINE_NAMES = {"roc_auc": "AUC", "accuracy_last_epoch": "accuracy, last epoch"}
BENCHMARK_PAGE = "/user_guide/benchmark_pneumoniamnist"


def fingerprint(preset) -> str:
    """A short hash of the fields that decide a model's parameter count."""
    data = preset.to_dict()
    text = json.dumps({k: data[k] for k in ARCHITECTURE_FIELDS}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def parameter_counts(path: Path, presets) -> dict[str, int]:
    """The stored counts whose fingerprint still matches the preset."""
    stored = json.loads(path.read_text()) if path.is_file() else {}
    return {
        p.name: stored[p.name]["parameters"]
        for p in presets
        if p.name in stored and stored[p.name]["fingerprint"] == fingerprint(p)
    }


def reproduced(results: Path, full_name) -> dict[str, list[dict]]:
    """The PneumoniaMNIST benchmark's single-model rows, by full model name."""
    from cxreval import proportion_ci

    rows: dict[str, list[dict]] = {}
    for path in sorted(results.glob("*.json")):
        run = json.loads(path.read_text())
        model = run.get("model", "")
        if "+" in model or "test" not in run:  # ensembles are not one zoo model
            continue
        test = run["test"]
        (tn, fp), (fn, tp) = test["confusion_matrix"]
        n = tn + fp + fn + tp
        low, high = proportion_ci(tn + tp, n, ci_method="wilson")
        rows.setdefault(full_name(model), []).append(
            {
                "row": run["row"],
                "input": "x".join(str(s) for s in run["input_shape"]),
                "seeds": len(run.get("seeds", [])),
                "params": run.get("params"),
                "auc": (test["auc"], test["auc_low"], test["auc_high"]),
                "accuracy": ((tn + tp) / n, float(low), float(high)),
            }
        )
    return rows


def _ci(value: tuple[float, float, float]) -> str:
    return f"{value[0]:.3f} ({value[1]:.3f}-{value[2]:.3f})"


def _headline(preset) -> str:
    """The report's main numbers: test split first, accuracy first; a metric's last value
    (after fine-tuning, where a report gives both)."""
    last = {}
    for r in preset.reported:
        if r.metric in HEADLINE_METRICS:
            last[(r.metric, r.split.startswith("test"))] = r
    ranked = sorted(
        last.values(),
        key=lambda r: (not r.split.startswith("test"), HEADLINE_METRICS.index(r.metric)),
    )
    parts = [
        f"{HEADLINE_NAMES.get(r.metric, r.metric)} {r.value:g} ({r.split.split()[0]})"
        for r in ranked[:2]
    ]
    return "; ".join(parts) or "n/a"


def _cite(preset) -> str:
    match = re.search(r"report (\d{3})", preset.source.report)
    if match:
        return f":ref:`report {match.group(1)} <report-{match.group(1)}>`"
    if "PneumoniaMNIST benchmark" in preset.source.report:
        return f":doc:`PneumoniaMNIST benchmark <{BENCHMARK_PAGE}>`"
    return preset.source.report


def _table(header: list[str], rows: list[list[str]], widths: str | None = None) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1"]
    if widths:
        lines.append(f"   :widths: {widths}")
    lines.append("")
    for row in [header, *rows]:
        lines.append(f"   * - {row[0] or ' '}")
        lines += [f"     - {cell or ' '}" for cell in row[1:]]
    return [*lines, ""]


def _escape(text: str) -> str:
    return text.replace("*", r"\*").replace("`", r"\`").replace("|", r"\|")


def model_page(preset, params: int | None, runs: list[dict]) -> str:
    r = preset.recipe
    card = preset.card().splitlines()
    start = card.index("Recipe") + 2
    end = next(i for i in range(start, len(card)) if card[i].startswith("Reconstructed"))
    recipe = [line for line in card[start:end] if line.strip()]
    title = f"``{preset.name}``"
    lines = [
        f".. _zoo-{preset.name}:",
        "",
        title,
        "=" * len(title),
        "",
        _escape(preset.description),
        "",
        f":Source: {_cite(preset)} -- {_escape(preset.source.report)}; "
        f"{_escape(preset.source.section)}"
        + (f". *{_escape(preset.source.title)}*" if preset.source.title else ""),
        f":Architecture: {preset.backbone or 'built from scratch'}; head "
        f"``{preset.head.describe()}``",
        f":Input: {'x'.join(map(str, preset.input_shape))}, pixel values in [0, 255]; "
        f"preprocessing ``{preset.preprocessing}`` inside the model",
        f":Classes: {', '.join(preset.class_names)}",
        f":Weights: {preset.weights or 'random initialization'}; base "
        f"{'frozen' if preset.freeze_base else 'trainable'}",
        f":Parameters: {params:,}" if params else ":Parameters: not counted yet",
        "",
        ".. code-block:: python",
        "",
        "   import cxrzoo",
        "",
        f'   model = cxrzoo.build("{preset.name}")  # uncompiled Keras model',
        f'   print(cxrzoo.get_preset("{preset.name}").card())',
        "",
        "Recipe",
        "------",
        "",
        *[f"* {_escape(line)}" for line in recipe],
        f"* Metrics while training: {', '.join(r.metrics) or 'none'}",
        "",
        "What was reconstructed",
        "----------------------",
        "",
        _escape(preset.reconstructed[:1].upper() + preset.reconstructed[1:] + ".")
        if preset.reconstructed
        else "Nothing: the report specifies the model fully.",
        "",
        "Reported results",
        "----------------",
        "",
    ]
    if preset.reported:
        rows = [
            [
                x.metric,
                f"{x.value:,}" if float(x.value).is_integer() else f"{x.value:g}",
                x.split,
                _escape(x.note),
            ]
            for x in preset.reported
        ]
        lines += _table(["metric", "value", "split", "note"], rows, "18 10 18 54")
    else:
        lines += ["The report gives no number for this model.", ""]
    if runs:
        lines += [
            "Reproduced on PneumoniaMNIST",
            "----------------------------",
            "",
            "Test split of PneumoniaMNIST (624 images), threshold chosen on validation; "
            f"see :doc:`the benchmark <{BENCHMARK_PAGE}>`.",
            "",
            *_table(
                [
                    "benchmark row",
                    "input",
                    "seeds",
                    "AUC (DeLong 95 % CI)",
                    "accuracy (Wilson 95 % CI)",
                ],
                [
                    [
                        f"``{x['row']}``",
                        x["input"],
                        str(x["seeds"]),
                        _ci(x["auc"]),
                        _ci(x["accuracy"]),
                    ]
                    for x in runs
                ],
            ),
        ]
    return "\n".join(lines) + "\n"


def results_table(presets, counts: dict[str, int], runs: dict[str, list[dict]]) -> str:
    rows = []
    for p in presets:
        best = max(runs.get(p.name, []), key=lambda x: x["auc"][0], default=None)
        rows.append(
            [
                f":ref:`{p.name} <zoo-{p.name}>`",
                f"{counts[p.name] / 1e6:.2f} M" if p.name in counts else "n/a",
                "x".join(map(str, p.input_shape)),
                _headline(p),
                f"AUC {_ci(best['auc'])}; ACC {_ci(best['accuracy'])} at {best['input']}"
                if best
                else "n/a",
                _cite(p),
            ]
        )
    header = [
        "model",
        "params",
        "input",
        "reported (split)",
        "reproduced on PneumoniaMNIST test (95 % CI)",
        "source",
    ]
    return "\n".join(_table(header, rows, "22 8 10 22 26 12"))


def write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)


def generate(app) -> None:
    import cxrzoo

    docs = Path(app.srcdir)
    out = docs / "zoo" / "generated"
    out.mkdir(parents=True, exist_ok=True)
    presets = [cxrzoo.get_preset(n) for n in cxrzoo.list_models()]
    names = {p.name for p in presets}

    def full_name(model: str) -> str:
        return model if model in names else cxrzoo.get_preset(model).name

    counts = parameter_counts(docs / "zoo" / "parameters.json", presets)
    runs = reproduced(docs.parent / "benchmarks" / "results" / "pneumoniamnist", full_name)
    for p in presets:
        write_if_changed(
            out / f"{p.name}.rst", model_page(p, counts.get(p.name), runs.get(p.name, []))
        )
    for stale in out.glob("*.rst"):
        if stale.stem not in names:
            stale.unlink()
    write_if_changed(out / "results.inc", results_table(presets, counts, runs))


def setup(app):
    app.connect("builder-inited", generate)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
