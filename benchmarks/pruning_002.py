"""Report 002's pruning experiment on PneumoniaMNIST, done with held-out choices and CIs.

002 trained SZANet, set a random fraction of its weights to zero, re-evaluated it, and
chose 40 % sparsity by the mean of sparsity and accuracy (its Table A1). This script:

1. trains SZANet (``cxrzoo.build("szanet")``, 002's recipe: Adam 5e-5, binary
   cross-entropy, class weights 1.94 / 0.67, early stopping and ReduceLROnPlateau on the
   validation loss) once, on the 28x28 PneumoniaMNIST images upsampled (bilinear) to
   ``--size`` pixels and repeated to 3 channels (002's input is RGB);
2. sweeps sparsity 0.0 ... 0.9 three ways: random pruning without retraining (002),
   magnitude pruning without retraining, magnitude pruning with a short fine-tune with
   the masks held; random pruning is repeated over ``--seeds`` seeds;
3. scores every sweep on the *validation* split with ``cxreval.sparsity_score.score_sweep``
   (002's mean rule and the rules that avoid its trap), picks each level's threshold on
   validation (Youden's J), and reports the *test* split at every level: accuracy at 0.5
   (002's), accuracy at the validation threshold, and ROC AUC with its DeLong 95 % CI;
4. measures what pruning gives at the chosen level (compressed weights, inference time);
5. writes ``docs/_static/pruning_002_results.txt`` (reST tables, included by
   ``docs/user_guide/pruning_experiment.rst``), ``pruning_002_results.json`` and
   ``pruning_002.png``.

Run from the project root (4-5 minutes on 2 idle CPU cores, 13-18 when shared)::

    PYTHONPATH=src python benchmarks/pruning_002.py

``--report`` trains nothing: it rebuilds ``pruning_002_results.txt`` and ``pruning_002.png``
from the saved ``pruning_002_results.json`` (a few seconds; the data file gives the
validation and test prevalences, the untrained architecture the weight counts)::

    PYTHONPATH=src python benchmarks/pruning_002.py --report

Without ``../shared/data/pneumoniamnist.npz`` it says so and exits. Every file is written
atomically by the project's one writer (:mod:`cxreval._io`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from cxreval._io import write_atomic, write_with

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "pneumoniamnist.npz"
#: 0.0 ... 0.9 as 002 (and cxrzoo.pruning.sweep's default), then two beyond to see the break.
LEVELS = (*(round(0.1 * i, 1) for i in range(10)), 0.95, 0.98)
RULES = ("mean", "weighted", "tolerance")


def load(path: Path, size: int):
    """PneumoniaMNIST splits as float images in [0, 255], upsampled, 3 channels."""
    import numpy as np
    import tensorflow as tf

    data = np.load(path)

    def images(split):
        x = data[f"{split}_images"][..., None].astype("float32")
        x = tf.image.resize(x, (size, size), method="bilinear").numpy()
        return np.repeat(x, 3, axis=-1)

    return {s: (images(s), data[f"{s}_labels"][:, 0].astype(int)) for s in ("train", "val", "test")}


def train(splits, size: int, epochs: int, seed: int):
    import keras

    import cxrzoo

    keras.utils.set_random_seed(seed)
    model = cxrzoo.build("szanet", input_shape=(size, size, 3))
    model.compile(keras.optimizers.Adam(5e-5), "binary_crossentropy", metrics=["accuracy"])
    callbacks = [
        keras.callbacks.EarlyStopping("val_loss", patience=3, restore_best_weights=True),
        keras.callbacks.ReduceLROnPlateau("val_loss", factor=0.2, patience=2),
    ]
    history = model.fit(
        *splits["train"],
        validation_data=splits["val"],
        epochs=epochs,
        batch_size=32,
        class_weight={0: 1.94, 1: 0.67},
        callbacks=callbacks,
        verbose=2,
    )
    return model, len(history.history["loss"])


def youden_threshold(y, score) -> float:
    """Threshold maximizing Youden's J on the given (validation) cases (cxreval)."""
    import numpy as np

    from cxreval import operating_point

    return float(operating_point(y, score, criterion="youden", zero_division=np.nan).threshold)


def rows_of(name, result, scored_by_rule):
    """One row per level: validation choice made, test reported."""
    import numpy as np

    from cxreval import roc_auc_ci
    from cxreval.intervals import proportion_ci

    rows = []
    y_test = result.test_y_true
    for i, level in enumerate(result.levels):
        threshold = youden_threshold(result.y_true, result.y_score[i])
        test_score = result.test_y_score[i]
        ci = roc_auc_ci(y_test, test_score)
        correct = int(np.sum((test_score >= 0.5) == y_test))
        acc_low, acc_high = proportion_ci(correct, len(y_test), ci_method="wilson")
        rows.append(
            {
                "method": name,
                "level": level,
                "sparsity": float(result.sparsity[i]),
                "val_accuracy": float(result.accuracy[i]),
                "val_auc": float(result.auc[i]),
                "test_accuracy": correct / len(y_test),
                "test_accuracy_low": float(acc_low),
                "test_accuracy_high": float(acc_high),
                "val_threshold": threshold,
                "test_accuracy_val_threshold": float(np.mean((test_score >= threshold) == y_test)),
                "test_auc": float(ci.auc),
                "test_auc_low": float(ci.low),
                "test_auc_high": float(ci.high),
                "test_positive_rate": float(np.mean(test_score >= 0.5)),
                **{
                    f"score_{rule}": float(scored.scores[i])
                    for rule, scored in scored_by_rule.items()
                },
                "degenerate": bool(np.asarray(result.score.degenerate)[i]),
            }
        )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--size", type=int, default=64, help="input size (default 64)")
    parser.add_argument("--epochs", type=int, default=15, help="max training epochs")
    parser.add_argument("--finetune-epochs", type=int, default=2)
    parser.add_argument("--seeds", type=int, default=5, help="random-pruning seeds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "_static")
    parser.add_argument(
        "--report",
        action="store_true",
        help="rebuild the results text and figure from the saved JSON in --out (no training)",
    )
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"skipped: {args.data} is absent (PneumoniaMNIST, see ../shared/data/README.md)")
        return 0
    if args.report:
        return report_only(args.out, args.data)

    import keras
    import numpy as np

    from cxrzoo.pruning import measure_gain, prune, sparsity_report, strip, sweep

    start = time.perf_counter()
    splits = load(args.data, args.size)
    model, epochs_run = train(splits, args.size, args.epochs, args.seed)
    trained_at = time.perf_counter() - start
    prevalence = float(np.mean(splits["val"][1]))
    common = dict(test_data=splits["test"], batch_size=128)

    keras.utils.set_random_seed(args.seed)
    runs = {
        "random (002)": sweep(
            model, splits["val"], LEVELS, method="random", random_state=args.seed, **common
        ),
        "magnitude": sweep(model, splits["val"], LEVELS, method="magnitude", **common),
        f"magnitude + {args.finetune_epochs}-epoch fine-tune": sweep(
            model,
            splits["val"],
            LEVELS,
            method="magnitude",
            finetune_epochs=args.finetune_epochs,
            train_data=splits["train"],
            learning_rate=1e-4,
            class_weight={0: 1.94, 1: 0.67},
            random_state=args.seed,  # the fine-tuning's shuffling and dropout
            **common,
        ),
    }
    extra_seeds = [
        sweep(model, splits["val"], LEVELS, method="random", random_state=s, **common)
        for s in range(args.seed + 1, args.seed + args.seeds)
    ]

    rows, chosen = [], {}
    for name, result in runs.items():
        scored = {rule: result.rescore(rule) for rule in RULES}
        rows += rows_of(name, result, scored)
        chosen[name] = {rule: s.best_sparsity for rule, s in scored.items()}

    # random pruning: how much one draw (002 had one) differs from another
    random_runs = [runs["random (002)"], *extra_seeds]
    test_acc = np.array(
        [[np.mean((s >= 0.5) == r.test_y_true) for s in r.test_y_score] for r in random_runs]
    )

    # the gain at the fine-tuned magnitude sweep's chosen level (tolerance rule), else 0.5
    tuned = list(runs)[2]
    level = chosen[tuned]["tolerance"]
    level = 0.5 if level is None else level  # 0.0 (keep the model dense) is a choice
    pruned = strip(prune(model, level)[0])
    gain = measure_gain(model, pruned, splits["test"][0][:128], repeats=20)

    settings = {k: v for k, v in vars(args).items() if k not in ("out", "report")}
    payload = {
        "settings": settings | {"data": args.data.name},
        "epochs_run": epochs_run,
        "rows": rows,
        "chosen": chosen,
        "random_seeds_test_accuracy": test_acc.tolist(),
        "gain": gain.to_dict(),
    }
    seeds = [r.seed for r in random_runs]
    text = render(payload, seeds, gain, sparsity_report(pruned), prevalence)
    write_atomic(args.out / "pruning_002_results.txt", text)
    write_atomic(args.out / "pruning_002_results.json", json.dumps(payload, indent=2))
    plot(rows, chosen, test_acc, args.out / "pruning_002.png", float(np.mean(splits["test"][1])))
    print(text)
    print(f"training {trained_at:.0f} s, total {time.perf_counter() - start:.0f} s")
    return 0


def report_only(out: Path, data: Path) -> int:
    """Rebuild the results text and figure from the saved ``pruning_002_results.json``.

    Nothing is trained. The saved results hold every number of the tables except three,
    which come from where the full run took them: the validation and test prevalences
    from the data file's labels, and the weight counts of the sparsity line from the
    untrained architecture (``cxrzoo.build("szanet")`` at the saved size): the pruned
    kernels' zeros are the saved sparsity times their weights, and the only zeros counted
    in all weights are those (a trained bias or batch-normalization weight is never
    exactly zero).
    """
    import numpy as np

    import cxrzoo
    from cxrzoo.pruning import PruningGain, SparsityReport, prunable_weights

    payload = json.loads((out / "pruning_002_results.json").read_text())
    settings = payload["settings"]
    with np.load(data) as npz:
        labels = {s: npz[f"{s}_labels"][:, 0].astype(int) for s in ("val", "test")}
    saved_gain = payload["gain"]
    gain = PruningGain(
        **{k: v for k, v in saved_gain.items() if k not in ("compression_ratio", "speedup")}
    )
    size = settings["size"]
    model = cxrzoo.build("szanet", input_shape=(size, size, 3))
    kernel_weights = sum(w.numpy().size for w in prunable_weights(model).values())
    kernel_zeros = round(gain.pruned_sparsity * kernel_weights)
    all_weights = int(sum(w.size for w in model.get_weights()))
    report = SparsityReport((), kernel_weights, kernel_zeros, all_weights, kernel_zeros)
    test_acc = np.asarray(payload["random_seeds_test_accuracy"])
    seeds = list(range(settings["seed"], settings["seed"] + len(test_acc)))
    text = render(payload, seeds, gain, report, float(np.mean(labels["val"])))
    write_atomic(out / "pruning_002_results.txt", text)
    rows, chosen = payload["rows"], payload["chosen"]
    plot(rows, chosen, test_acc, out / "pruning_002.png", float(np.mean(labels["test"])))
    print(text)
    return 0


def render(payload: dict, seeds: list, gain, report, prevalence: float) -> str:
    """The results text (reST tables) from the saved results, the random-pruning seeds,
    the gain and sparsity report at the chosen level and the validation prevalence."""
    import numpy as np
    from tabulate import tabulate

    rows, chosen = payload["rows"], payload["chosen"]
    test_acc = np.asarray(payload["random_seeds_test_accuracy"])
    size, seed = payload["settings"]["size"], payload["settings"]["seed"]
    lines = [
        f"SZANet at {size}x{size}x3, trained {payload['epochs_run']} epochs (seed {seed}); "
        f"validation prevalence {prevalence:.3f}.",
        "",
        "**The level each rule chooses on validation, and what it gives on test**",
        "",
        tabulate(
            summary(rows, chosen),
            headers=["pruning", "rule", "chosen sparsity", *MEASURED_HEADERS[1:]],
            tablefmt="rst",
            disable_numparse=True,
        ),
        "",
    ]
    for name in chosen:
        table = [
            [
                f"{r['level']:.2f}",
                *measured_cells(r),
                f"{r['score_mean']:.3f}",
                f"{r['score_weighted']:.3f}",
                "yes" if r["degenerate"] else "",
            ]
            for r in rows
            if r["method"] == name
        ]
        lines += [
            f"**{name}** -- chosen on validation: "
            + ", ".join(f"{rule} rule {_level(s)}" for rule, s in chosen[name].items())
            + " (tolerance: within 0.02 of the dense validation accuracy)",
            "",
            tabulate(
                table,
                headers=[
                    "target",
                    "real sparsity",
                    *MEASURED_HEADERS[1:],
                    "score (mean)",
                    "score (weighted)",
                    "degenerate",
                ],
                tablefmt="rst",
                disable_numparse=True,
            ),
            "",
        ]
    spread = [
        [f"{lvl:.2f}", f"{col.mean():.3f}", f"{col.min():.3f}", f"{col.max():.3f}"]
        for lvl, col in zip(LEVELS, test_acc.T, strict=True)
    ]
    lines += [
        f"**Random pruning over {len(seeds)} seeds** "
        f"({', '.join(str(s) for s in seeds)}): test accuracy at 0.5",
        "",
        tabulate(
            spread, headers=["target", "mean", "min", "max"], tablefmt="rst", disable_numparse=True
        ),
        "",
        f"**What magnitude pruning at {gain.pruned_sparsity:.2f} gives** (sparsity counted "
        f"in the weights: {report.sparsity:.3f} of the prunable kernels, "
        f"{report.overall_sparsity:.3f} of all weights)",
        "",
        gain.table(tablefmt="rst"),
        "",
        gain.note,
    ]
    return "\n".join(lines) + "\n"


def summary(rows, chosen) -> list[list[str]]:
    """One row per pruning and rule: the chosen level's validation and test numbers."""
    out = []
    for name, picks in chosen.items():
        for rule, pick in picks.items():
            hit = [
                r
                for r in rows
                if r["method"] == name and pick is not None and abs(r["sparsity"] - pick) < 1e-9
            ]
            if not hit:
                out.append([name, rule, "none", "", "", "", ""])
                continue
            r = hit[0]
            out.append([name, rule, *measured_cells(r)])
    return out


#: Headers of :func:`measured_cells` (the first column is the sparsity).
MEASURED_HEADERS = (
    "sparsity",
    "val acc@0.5",
    "test acc@0.5 [Wilson 95 % CI]",
    "test acc@val thr.",
    "test AUC [DeLong 95 % CI]",
)


def measured_cells(r: dict) -> list[str]:
    """A level's measured sparsity, validation accuracy and test numbers, as table cells."""
    return [
        f"{r['sparsity']:.3f}",
        f"{r['val_accuracy']:.3f}",
        f"{r['test_accuracy']:.3f} [{r['test_accuracy_low']:.3f}, {r['test_accuracy_high']:.3f}]",
        f"{r['test_accuracy_val_threshold']:.3f}",
        f"{r['test_auc']:.3f} [{r['test_auc_low']:.3f}, {r['test_auc_high']:.3f}]",
    ]


def _level(s) -> str:
    return "none" if s is None else f"{s:.2f}"


def plot(rows, chosen, test_acc, path: Path, test_prevalence: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    for name, color in zip(chosen, ("tab:red", "tab:blue", "tab:green"), strict=True):
        mine = [r for r in rows if r["method"] == name]
        s = [r["sparsity"] for r in mine]
        left.plot(s, [r["test_accuracy"] for r in mine], "o-", color=color, label=name)
        right.plot(s, [r["test_auc"] for r in mine], "o-", color=color, label=name)
        right.fill_between(
            s,
            [r["test_auc_low"] for r in mine],
            [r["test_auc_high"] for r in mine],
            color=color,
            alpha=0.15,
        )
        pick = chosen[name]["tolerance"]
        hit = [r for r in mine if pick is not None and abs(r["sparsity"] - pick) < 1e-9]
        if hit:
            left.plot(hit[0]["sparsity"], hit[0]["test_accuracy"], "*", ms=16, color=color)
    left.fill_between(
        [r["sparsity"] for r in rows if r["method"] == next(iter(chosen))],
        test_acc.min(axis=0),
        test_acc.max(axis=0),
        color="tab:red",
        alpha=0.12,
        label=f"random, range over {len(test_acc)} seeds",
    )
    left.axhline(test_prevalence, ls="--", color="grey", label="always 'pneumonia'")
    left.axhline(1 - test_prevalence, ls=":", color="grey", label="always 'normal'")
    left.set(
        xlabel="sparsity (zeros in the prunable kernels)",
        ylabel="test accuracy at 0.5",
        title="Accuracy (star: level chosen on validation, tolerance rule)",
    )
    right.axhline(0.5, ls="--", color="grey")
    right.set(
        xlabel="sparsity (zeros in the prunable kernels)",
        ylabel="test ROC AUC",
        title="AUC with DeLong 95 % CI",
    )
    left.legend(fontsize=7, loc="lower left")
    write_with(path, lambda tmp: fig.savefig(tmp, dpi=110))
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
