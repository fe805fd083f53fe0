"""The run driver: train a row's seeds with :func:`cxrzoo.train_seeds`, predict, score.

Each seed of a row is built with the zoo's :func:`cxrzoo.build` and trained with
:func:`cxrzoo.train_seeds` under the row's recipe (early stopping on the validation AUC,
best weights restored); :func:`cxrzoo.predict` gives every model's probabilities on the
validation and test splits (flip TTA), the row averages them over its seeds and the
protocol (:mod:`benchmarks.pneumoniamnist.protocol`) scores them. A validation-only run
never predicts the test split.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import os
import platform
import time
from typing import Any

import numpy as np

from benchmarks.pneumoniamnist.protocol import evaluate_scores, evaluate_validation
from benchmarks.pneumoniamnist.rows import Row


def set_threads(threads: int) -> None:
    """Limit TensorFlow to ``threads`` CPU threads (before any TensorFlow work)."""
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)


def member_scores(model, images, *, tta: bool) -> np.ndarray:
    """Probability of pneumonia for every image (mean over the image and its mirror)."""
    import cxrzoo

    predicted = cxrzoo.predict(model, images, tta="flip" if tta else None, batch_size=256)
    return predicted.y_score[:, -1]


#: Members trained in this process, by :func:`member_key`: an ensemble row reuses the
#: model another row of the same run trained with the same settings and seed.
_TRAINED: dict[str, tuple[dict, np.ndarray, np.ndarray]] = {}


def member_key(row: Row, seed: int, threads: int) -> str:
    """Everything that decides one trained model of ``row`` (and its predictions)."""
    return json.dumps(
        [
            row.model,
            list(row.input_shape),
            row.recipe.to_dict(),
            row.overrides,
            row.tta,
            seed,
            threads,  # the order of floating-point sums
        ],
        sort_keys=True,
    )


def train_row(
    row: Row,
    data: dict,
    *,
    threads: int = 2,
    verbose: int = 2,
    reuse: bool = True,
    test: bool = True,
) -> dict[str, Any]:
    """Train every seed of ``row``; return the scores on val and test and how they came.

    The seeds train with :func:`cxrzoo.train_seeds`: one after the other in this process
    (``row.jobs == 1``, on its ``threads``), or ``row.jobs`` at a time in worker processes
    of ``threads // row.jobs`` threads each. With ``reuse``, a member another row of this
    run already trained with identical settings, seed and threads is taken as it is (its
    own training time still counts for this row). Without ``test`` the test images are
    never predicted (``test_scores`` is None). ``seconds`` is the row's training time:
    the sum over its models, or for ``jobs > 1`` the wall-clock time they trained in.
    """
    import cxrzoo

    per_model = threads if row.jobs == 1 else max(1, threads // row.jobs)
    keys = {seed: member_key(row, seed, per_model) for seed in row.seeds}
    reused = [s for s in row.seeds if reuse and test and keys[s] in _TRAINED]
    fresh = [s for s in row.seeds if s not in reused]
    build = functools.partial(
        cxrzoo.build,
        row.model,
        input_shape=row.input_shape,
        num_classes=2,
        weights=None,
        activation="sigmoid",  # one unit: the probability of pneumonia
        **row.overrides,
    )
    preset = dataclasses.replace(
        cxrzoo.get_preset(row.model), input_shape=row.input_shape, recipe=row.recipe
    )
    start = time.perf_counter()
    results = {}
    if fresh:
        trained = cxrzoo.train_seeds(
            build,
            data,
            fresh,
            jobs=row.jobs,
            threads=None if row.jobs == 1 else per_model,
            preset=preset,
            verbose=verbose,
        )
        results = dict(zip(fresh, trained, strict=True))
    wall = time.perf_counter() - start
    members, val, tested = [], [], []
    for seed in row.seeds:
        if seed in reused:
            member, val_scores, test_scores = _TRAINED[keys[seed]]
            members.append({**member, "reused": True})
            val.append(val_scores)
            tested.append(test_scores)
            print(f"[{row.key}] seed {seed}: reused from an earlier row of this run", flush=True)
            continue
        result = results[seed]
        history = result.history
        best = max(range(len(history)), key=lambda i: history[i]["val_auc"])
        members.append(
            {
                "seed": seed,
                "params": int(result.model.count_params()),
                "train_seconds": result.settings["train_seconds"],
                "threads": per_model,
                "epochs_run": len(history),
                "best_epoch": best + 1,
                "val_auc_keras": history[best]["val_auc"],
                "history": [dict(h) for h in history],
            }
        )
        val.append(member_scores(result.model, data["val"], tta=row.tta))
        if test:
            tested.append(member_scores(result.model, data["test"], tta=row.tta))
            _TRAINED[keys[seed]] = (members[-1], val[-1], tested[-1])
        print(
            f"[{row.key}] seed {seed}: {members[-1]['train_seconds'] / 60:.1f} min, best epoch "
            f"{best + 1}/{len(history)}, val AUC {history[best]['val_auc']:.4f}",
            flush=True,
        )
    own = sum(m["train_seconds"] for m in members)
    reused_seconds = sum(m["train_seconds"] for m in members if m.get("reused"))
    return {
        "members": members,
        "seconds": own if row.jobs == 1 else wall + reused_seconds,
        "val_scores": np.mean(val, axis=0),
        "test_scores": np.mean(tested, axis=0) if test else None,
    }


def row_settings(row: Row, trained: dict, threads: int) -> dict[str, Any]:
    """What a saved result records of how its row was trained."""
    return {
        "row": row.key,
        "model": row.model,
        "note": row.note,
        "input_shape": list(row.input_shape),
        "seeds": list(row.seeds),
        "tta": row.tta,
        "overrides": row.overrides,
        "recipe": row.recipe.to_dict(),
        "train_seconds": trained["seconds"],
        "threads": threads,  # at once: jobs x threads per model
        "jobs": row.jobs,
        "members": trained["members"],
    }


def run_row(row: Row, data: dict, threads: int, *, reuse: bool = True) -> dict[str, Any]:
    """Train and evaluate one row; the JSON-ready result (``reuse``: see :func:`train_row`)."""
    import keras
    import tensorflow as tf

    load_before = os.getloadavg()
    trained = train_row(row, data, threads=threads, reuse=reuse)
    load_after = os.getloadavg()
    y_val, y_test = data["val"].labels, data["test"].labels
    return {
        **row_settings(row, trained, threads),
        "params": sum(m["params"] for m in trained["members"]),
        "load_average_before": list(load_before),
        "load_average_after": list(load_after),
        **evaluate_scores(y_val, trained["val_scores"], y_test, trained["test_scores"]),
        "scores": {
            "val": np.round(trained["val_scores"], 7).tolist(),
            "test": np.round(trained["test_scores"], 7).tolist(),
        },
        "labels": {"val": y_val.tolist(), "test": y_test.tolist()},
        "environment": {
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "python": platform.python_version(),
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "numpy": np.__version__,
            "cpu_count": os.cpu_count(),
        },
    }


def run_exploration(row: Row, data: dict, threads: int) -> dict[str, Any]:
    """Train ``row`` and score it on the validation split only; the JSON-ready result."""
    trained = train_row(row, data, threads=threads, reuse=False, test=False)
    y_val = data["val"].labels
    return {
        **row_settings(row, trained, threads),
        "val": evaluate_validation(y_val, trained["val_scores"]),
        "scores": {"val": np.round(trained["val_scores"], 7).tolist()},
        "labels": {"val": y_val.tolist()},
    }


def rerun_check(row: Row, new: dict, old: dict) -> dict[str, Any]:
    """How far a second run of ``row`` lands from its saved result."""
    diff_scores = np.abs(np.subtract(new["scores"]["test"], old["scores"]["test"]))
    return {
        "row": row.key,
        "threads": new["threads"],
        "jobs": new.get("jobs", 1),
        "max_abs_test_score_difference": float(diff_scores.max()),
        "test_auc": [old["test"]["auc"], new["test"]["auc"]],
        "test_accuracy": [old["test"]["accuracy"], new["test"]["accuracy"]],
        "abs_test_auc_difference": abs(new["test"]["auc"] - old["test"]["auc"]),
        "abs_test_accuracy_difference": abs(new["test"]["accuracy"] - old["test"]["accuracy"]),
        "train_seconds": [old["train_seconds"], new["train_seconds"]],
    }
