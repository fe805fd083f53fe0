"""The results of training: :class:`TrainResult` and :class:`CrossValidationResult`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tabulate import tabulate

__all__ = ["CrossValidationResult", "TrainResult", "plot_history"]


@dataclass(frozen=True, eq=False)
class TrainResult:
    """A trained model and how it was trained.

    Attributes
    ----------
    model : keras.Model
        With the weights training ended with (the best epoch's when the recipe's early
        stopping restores them).
    name : str
        Registry name, or the Keras model's name.
    class_names : tuple of str
    counts : dict of str to int
        Training images per class.
    class_weight : dict of int to float or None
        The class weights applied to the loss.
    history : tuple of dict
        One row per epoch: ``phase`` (1, or 2 for fine-tuning), ``epoch``,
        ``learning_rate`` and every Keras log (``loss``, ``val_loss``, metrics).
    skipped : tuple of str
        Unreadable image files left out.
    out : pathlib.Path or None
        Folder with ``history.csv``, ``training_curves.png``, ``model.weights.h5`` (the
        weights to use), ``checkpoint.weights.h5`` and ``train.json``; ``train.json``'s
        ``files`` says what each file is.
    seed : int
    settings : dict
        What the run was trained with (input shape, epochs, batch size, ...).
    kept_epoch : dict or None
        The epoch whose weights the model has (and ``model.weights.h5`` holds):
        ``{"phase": P, "epoch": E, "rule": ...}``, epochs counted from 0 within a phase
        as in ``history``; ``rule`` says why (the early stopping that restored its best
        epoch, or the last epoch). None without a history.
    """

    model: Any
    name: str
    class_names: tuple[str, ...]
    counts: dict[str, int]
    class_weight: dict[int, float] | None
    history: tuple[dict[str, float], ...]
    skipped: tuple[str, ...] = ()
    out: Path | None = None
    seed: int = 0
    settings: dict[str, Any] = field(default_factory=dict)
    kept_epoch: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Everything but the model, as JSON-ready values."""
        return {
            "name": self.name,
            "class_names": list(self.class_names),
            "counts": dict(self.counts),
            "class_weight": None
            if self.class_weight is None
            else {str(k): v for k, v in self.class_weight.items()},
            "history": [dict(r) for r in self.history],
            "skipped": list(self.skipped),
            "out": None if self.out is None else str(self.out),
            "seed": self.seed,
            "settings": dict(self.settings),
            "kept_epoch": None if self.kept_epoch is None else dict(self.kept_epoch),
        }

    def table(self) -> str:
        """The last epoch of every phase."""
        last = {}
        for row in self.history:
            last[row["phase"]] = row
        keys = [k for k in self.history[-1] if k not in ("phase", "epoch")] if self.history else []
        rows = [[r["phase"], int(r["epoch"]) + 1, *[r.get(k) for k in keys]] for r in last.values()]
        return tabulate(rows, headers=["phase", "epochs", *keys], floatfmt=".4g")

    def __str__(self) -> str:
        n = self.settings.get("n_train", sum(self.counts.values()))
        return f"{self.name} trained on {n} images (seed {self.seed})\n" + (self.table())

    def plot(self, axes=None):
        """Loss and AUC per epoch, training and validation, the kept epoch marked
        (:func:`plot_history`); returns the two Axes."""
        return plot_history(self.history, axes=axes, kept_epoch=self.kept_epoch)


@dataclass(frozen=True)
class CrossValidationResult:
    """k-fold cross-validation: every fold's held-out scores and their mean and SD.

    Attributes
    ----------
    name : str
    folds : tuple of dict
        Per fold: ``fold``, ``n_train``, ``n_held_out`` and the model's metrics on the
        held-out fold (``loss``, accuracy, ``auc``, ...).
    seed : int
        Seed of the stratified fold assignment and of training.
    """

    name: str
    folds: tuple[dict[str, float], ...]
    seed: int

    @property
    def metrics(self) -> list[str]:
        return [k for k in self.folds[0] if k not in ("fold", "n_train", "n_held_out")]

    def summary(self) -> dict[str, tuple[float, float]]:
        """Metric -> (mean, sample standard deviation) over the folds."""
        out = {}
        for m in self.metrics:
            v = np.array([f[m] for f in self.folds], float)
            out[m] = (float(v.mean()), float(v.std(ddof=1)) if len(v) > 1 else math.nan)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "seed": self.seed,
            "folds": [dict(f) for f in self.folds],
            "summary": {k: {"mean": m, "sd": s} for k, (m, s) in self.summary().items()},
        }

    def __str__(self) -> str:
        rows = [
            [f["fold"], f["n_train"], f["n_held_out"], *[f[m] for m in self.metrics]]
            for f in self.folds
        ]
        rows.append(["mean", "", "", *[m for m, _ in self.summary().values()]])
        rows.append(["SD", "", "", *[s for _, s in self.summary().values()]])
        head = (
            f"{self.name}: {len(self.folds)}-fold stratified cross-validation (seed {self.seed})\n"
        )
        return head + tabulate(
            rows, headers=["fold", "train", "held out", *self.metrics], floatfmt=".4f"
        )


def plot_history(
    history: Sequence[Mapping[str, float]],
    axes=None,
    *,
    kept_epoch: Mapping[str, Any] | None = None,
):
    """Training curves: the loss and the AUC per epoch, on the training and the validation
    images, phases one after the other (the start of fine-tuning marked), and the epoch
    whose weights training kept.

    Parameters
    ----------
    history : sequence of dict
        One row per epoch, as ``TrainResult.history`` (``phase``, ``epoch``, ``loss``,
        ``val_loss``, ``auc``, ``val_auc``, ...). A history without an AUC shows the
        accuracy in the second panel instead.
    axes : pair of matplotlib Axes, optional
        Where to draw the loss and the AUC (default: a new figure with both side by side).
    kept_epoch : dict, optional
        ``{"phase": P, "epoch": E}`` (``TrainResult.kept_epoch``): marked with a
        vertical line and a star on the validation curves.

    Returns
    -------
    tuple of two matplotlib Axes
        The loss panel and the AUC panel.

    Examples
    --------
    >>> history = [{"phase": 1, "epoch": e, "loss": 0.7 - 0.1 * e, "val_loss": 0.6,
    ...             "auc": 0.6 + 0.1 * e, "val_auc": 0.7} for e in range(3)]
    >>> loss_ax, auc_ax = plot_history(history, kept_epoch={"phase": 1, "epoch": 1})
    >>> loss_ax.get_title(), auc_ax.get_title()
    ('Loss', 'AUC')
    >>> auc_ax.get_legend_handles_labels()[1]
    ['training', 'validation', 'kept: epoch 2']
    """
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    loss_ax, metric_ax = axes
    x = np.arange(1, len(history) + 1)
    metric = next((m for m in HISTORY_METRICS if any(m in r for r in history)), None)
    kept = None
    if kept_epoch is not None:
        rows = [(r["phase"], r["epoch"]) for r in history]
        key = (kept_epoch["phase"], kept_epoch["epoch"])
        kept = rows.index(key) + 1 if key in rows else None
    phase2 = [i for i, r in enumerate(history, 1) if r["phase"] == 2]
    for ax, key, title in ((loss_ax, "loss", "Loss"), (metric_ax, metric, None)):
        if key is None:
            ax.text(0.5, 0.5, "no AUC or accuracy recorded", ha="center", transform=ax.transAxes)
            ax.set_axis_off()
            continue
        for name, label, style in ((key, "training", "-"), (f"val_{key}", "validation", "--")):
            y = [r.get(name, math.nan) for r in history]
            if not all(math.isnan(v) for v in y):
                ax.plot(x, y, style, marker="o", ms=3, label=label)
                if kept is not None and name.startswith("val_"):
                    ax.plot(kept, y[kept - 1], "*", ms=12, color="C3", zorder=3)
        if kept is not None:
            ax.axvline(kept, color="C3", lw=0.8, ls=":", label=f"kept: epoch {kept}")
        if phase2:
            ax.axvline(phase2[0] - 0.5, color="gray", lw=0.8)
            ax.text(
                phase2[0] - 0.4, ax.get_ylim()[1], "fine-tuning", va="top", fontsize=8, color="gray"
            )
        name = title or ("AUC" if key == "auc" else key.replace("_", " "))
        ax.set(xlabel="epoch", ylabel=name.lower() if key != "auc" else "AUC", title=name)
        ax.legend()
    return loss_ax, metric_ax


#: The metric of :func:`plot_history`'s second panel: the first of these in the history.
HISTORY_METRICS = ("auc", "accuracy", "binary_accuracy", "categorical_accuracy")
