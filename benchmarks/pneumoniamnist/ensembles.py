"""Ensembles of saved rows: nothing is trained, the rows' saved probabilities are averaged.

``--combine`` picks the subset of rows with the highest *validation* AUC within the time
budget (:func:`combine_rows`); ``--planned`` scores the ensemble fixed in advance
(:data:`~benchmarks.pneumoniamnist.rows.PLANNED`, :func:`ensemble_of_rows`).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from benchmarks.pneumoniamnist.protocol import evaluate_scores


def overlapping(results: dict[str, dict], keys: tuple[str, ...]) -> bool:
    """Whether two of the rows share a model (same architecture, input and seed)."""
    seen = set()
    for key in keys:
        r = results[key]
        for seed in r["seeds"]:
            model = (r["model"], tuple(r["input_shape"]), seed)
            if model in seen:
                return True
            seen.add(model)
    return False


def combine_rows(results: dict[str, dict], budget_seconds: float) -> dict[str, Any] | None:
    """The ensemble of trained rows with the highest *validation* AUC within the budget.

    Every subset of two or more rows that share no model and together trained in at most
    ``budget_seconds`` is scored by the validation AUC of its mean probability; the best
    one is evaluated like a row when it beats every single row within the budget (rows at
    validation AUC 0.5 are left out). Nothing is trained.
    """
    import cxreval

    keys = [
        k
        for k in results
        if "combines" not in results[k]
        and results[k]["val"]["auc"] > 0.5  # a constant adds nothing
        and results[k]["train_seconds"] <= budget_seconds
    ]
    if not keys:
        return None
    y_val = results[keys[0]]["labels"]["val"]
    # an ensemble has to beat the best single row within the budget on validation
    best, best_auc = None, max(results[k]["val"]["auc"] for k in keys)
    for size in range(2, len(keys) + 1):
        for subset in itertools.combinations(keys, size):
            seconds = sum(results[k]["train_seconds"] for k in subset)
            if seconds > budget_seconds or overlapping(results, subset):
                continue
            auc = cxreval.roc_auc(y_val, mean_over_models(results, subset, "val"))
            if auc > best_auc:
                best, best_auc = subset, auc
    if best is None:
        return None
    return ensemble_of_rows(
        results, best, "combined", f"rows {', '.join(best)} averaged (chosen on validation)"
    )


def mean_over_models(results: dict[str, dict], keys: tuple[str, ...], split: str) -> np.ndarray:
    """The mean probability over every model of rows ``keys`` (a row counts once per seed)."""
    weights = [len(results[k]["seeds"]) for k in keys]
    scores = [results[k]["scores"][split] for k in keys]
    return np.average(np.asarray(scores, dtype=float), axis=0, weights=weights)


def ensemble_of_rows(
    results: dict[str, dict], keys: tuple[str, ...], name: str, note: str
) -> dict[str, Any]:
    """Rows ``keys`` averaged (every model weighs the same), evaluated like a row.

    Nothing is trained: the rows' saved probabilities are averaged, and the result's time
    and parameters are the sums over those rows.
    """
    y_val = results[keys[0]]["labels"]["val"]
    y_test = results[keys[0]]["labels"]["test"]
    val = mean_over_models(results, keys, "val")
    test = mean_over_models(results, keys, "test")
    parts = [results[k] for k in keys]
    return {
        "row": name,
        "combines": list(keys),
        "model": " + ".join(r["model"] for r in parts),
        "note": note,
        "input_shape": parts[0]["input_shape"],
        "input_shapes": [r["input_shape"] for r in parts],
        "seeds": [s for r in parts for s in r["seeds"]],
        "tta": all(r["tta"] for r in parts),
        "params": sum(r["params"] for r in parts),
        "train_seconds": sum(r["train_seconds"] for r in parts),
        "threads": max(r["threads"] for r in parts),
        "load_average_before": min((r["load_average_before"] for r in parts), key=lambda x: x[0]),
        "environment": parts[0]["environment"],
        **evaluate_scores(np.asarray(y_val), val, np.asarray(y_test), test),
        "scores": {"val": np.round(val, 7).tolist(), "test": np.round(test, 7).tolist()},
        "labels": {"val": list(y_val), "test": list(y_test)},
    }
