"""The callbacks of a run with an ``out`` folder: the history CSV, the best weights and
Keras' backup, every file written atomically (:mod:`cxreval._io`)."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import keras
import numpy as np

from cxreval._io import write_atomic
from cxrzoo.weights import save_model_weights

__all__ = ["Backup", "BestWeights", "HistoryCSV"]


class BestWeights(keras.callbacks.Callback):
    """The weights of the lowest ``monitor`` of the whole run, in ``path``, written atomically.

    The lowest value so far is taken from the epochs already in the history (earlier
    phases, epochs before a resume) when ``path`` holds their weights, so a later phase or
    a resumed run replaces the file only with a better epoch.
    """

    def __init__(self, path: Path, monitor: str, rows: Sequence[Mapping[str, float]]):
        super().__init__()
        self.path, self.monitor = path, monitor
        seen = [r[monitor] for r in rows if not math.isnan(r.get(monitor, math.nan))]
        self.best = min(seen) if seen and path.is_file() else math.inf

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            return
        value = float(keras.ops.convert_to_numpy(value))
        if value < self.best:
            self.best = value
            save_model_weights(self.model, self.path)


class Backup(keras.callbacks.BackupAndRestore):
    """Keras' BackupAndRestore with its two files written atomically, the weights first.

    A kill while writing leaves the previous epoch's backup whole (Keras writes straight
    into the files, so a kill there left a backup that cannot be read).
    """

    def _save_model(self):
        save_model_weights(self.model, self._weights_path)
        state = {"epoch": self._current_epoch, "batch": self._last_batch_seen}
        write_atomic(self._training_metadata_path, json.dumps(state))


class HistoryCSV(keras.callbacks.Callback):
    """One row per epoch in memory and, with a path, in a CSV rewritten atomically.

    Rows are keyed by (phase, epoch): an epoch trained again after a resume replaces its
    old row, so the file never holds duplicates.
    """

    def __init__(self, path: Path | None):
        super().__init__()
        self.path, self.phase, self.rows = path, 1, []
        if path is not None and path.is_file():
            with open(path, newline="") as f:
                self.rows = [
                    {k: float(v) if v != "" else math.nan for k, v in r.items()}
                    for r in csv.DictReader(f)
                ]
            for r in self.rows:
                r["phase"], r["epoch"] = int(r["phase"]), int(r["epoch"])

    def on_epoch_end(self, epoch, logs=None):
        lr = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
        row = {"phase": self.phase, "epoch": int(epoch), "learning_rate": lr}
        for k, v in (logs or {}).items():
            values = np.ravel(keras.ops.convert_to_numpy(v))
            if k != "learning_rate":  # a vector metric gets one column per entry
                row.update(
                    {k: float(values[0])}
                    if values.size == 1
                    else {f"{k}_{i}": float(x) for i, x in enumerate(values)}
                )
        key = (self.phase, int(epoch))
        self.rows = [r for r in self.rows if (r["phase"], r["epoch"]) != key] + [row]
        self.rows.sort(key=lambda r: (r["phase"], r["epoch"]))
        if self.path is not None:
            keys = list(dict.fromkeys(k for r in self.rows for k in r))
            lines = [",".join(keys)]
            lines += [",".join(repr(r[k]) if k in r else "" for k in keys) for r in self.rows]
            write_atomic(self.path, "\n".join(lines) + "\n")
