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
        Folder with ``history.csv``, ``training_curves.png``, ``model.weights.h5``,
        ``checkpoint.weights.h5`` and ``train.json``.
    seed : int
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

    def plot(self, ax=None):
        """Loss and validation loss per epoch (phases one after the other)."""
        return plot_history(self.history, ax=ax)


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


def plot_history(history: Sequence[Mapping[str, float]], ax=None):
    """Loss and validation loss per epoch of a training history (phases one after the
    other, the start of fine-tuning marked); returns the Axes.

    Examples
    --------
    >>> ax = plot_history([{"phase": 1, "epoch": 0, "loss": 0.7}, {"phase": 2, "epoch": 0,
    ...                    "loss": 0.5}])
    >>> ax.get_title()
    'Training curves'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    x = np.arange(1, len(history) + 1)
    for key, style in (("loss", "-"), ("val_loss", "--")):
        y = [r.get(key, math.nan) for r in history]
        if not all(math.isnan(v) for v in y):
            ax.plot(x, y, style, marker="o", ms=3, label=key)
    phase2 = [i for i, r in enumerate(history, 1) if r["phase"] == 2]
    if phase2:
        ax.axvline(phase2[0] - 0.5, color="gray", lw=0.8)
        ax.text(
            phase2[0] - 0.4, ax.get_ylim()[1], "fine-tuning", va="top", fontsize=8, color="gray"
        )
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title("Training curves")
    ax.legend()
    return ax
