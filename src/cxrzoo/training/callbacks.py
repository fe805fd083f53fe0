"""The callbacks of a run with an ``out`` folder: the history CSV, the best weights and
Keras' backup, every file written atomically (``cxreval._io``); and the terminal's
progress bar (:class:`ProgressBar`, which the ``cxrzoo`` command adds).

A kill at any moment loses nothing: the backup's weights and epoch counter always belong
together, and a phase's final weights are in place before its backup is removed. The
crash test reaches those moments through one test hook, :func:`kill_point`.
"""

from __future__ import annotations

import csv
import json
import math
import os
import signal
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import keras
import numpy as np

from cxreval._io import write_atomic
from cxrzoo.weights import save_model_weights

__all__ = ["KILL_VARIABLE", "Backup", "BestWeights", "HistoryCSV", "ProgressBar", "kill_point"]

#: Test hook: ``CXRZOO_TEST_KILL_AT=POINT`` or ``POINT:N`` makes a training process kill
#: itself (SIGKILL, as ``kill -9`` would) the N-th time (default: the first) it reaches
#: ``POINT``: ``"batch"`` (after a training batch, mid-epoch), ``"backup-weights"``
#: (between the backup's weights and its epoch counter) or ``"phase-weights"`` (between a
#: phase's final weights and the removal of its backup). Unset: no effect.
KILL_VARIABLE = "CXRZOO_TEST_KILL_AT"

_reached: Counter = Counter()


def kill_point(point: str) -> None:
    """SIGKILL this process here if :data:`KILL_VARIABLE` names ``point`` (tests only)."""
    wanted = os.environ.get(KILL_VARIABLE)
    if not wanted:
        return
    name, _, times = wanted.partition(":")
    if name != point:
        return
    _reached[point] += 1
    if _reached[point] == int(times or 1):
        os.kill(os.getpid(), signal.SIGKILL)


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
    """Keras' BackupAndRestore, safe against a kill at any moment.

    * Every file is written atomically (Keras writes straight into its files, so a kill
      there left a backup that cannot be read).
    * The weights and the epoch counter belong together: each epoch's weights go to a new
      file, ``epoch<N>.weights.h5``, and only then does ``training_metadata.json`` (written
      atomically) name it with its epoch; the previous weights file is removed last. A kill
      in between leaves the previous pair, so the epoch is trained again from the weights
      it started from, never twice over.
    * With ``done``, the phase's final weights are written there when training ends,
      *before* Keras removes the backup folder: a kill between the two leaves both, and
      the rerun loads the finished phase (the leftover backup is then removed).
    * When training begins, any other file in the backup folder (an orphan temporary or
      weights file of a killed run) is removed, and the epoch to start from is this
      phase's own (Keras kept a resumed phase's on the model, so the next phase skipped
      its first epochs).
    """

    def __init__(self, backup_dir: str, done: Path | None = None):
        super().__init__(backup_dir)
        self.done = done

    def on_train_begin(self, logs=None):
        folder = Path(self.backup_dir)
        state = self._state()
        keep = {Path(self._training_metadata_path).name, state["weights"] if state else None}
        if folder.is_dir():
            for item in folder.iterdir():
                if item.name not in keep and (item.is_file() or item.is_symlink()):
                    item.unlink()
        self.model._initial_epoch = None  # Keras keeps it: a resumed phase 1 cut phase 2 short
        if state is not None:
            if self.model.optimizer is not None and not self.model.optimizer.built:
                self.model.optimizer.build(self.model.trainable_variables)
            self.model.load_weights(folder / state["weights"])
            self.model._initial_epoch = state["epoch"]

    def _state(self) -> dict | None:
        """The recorded epoch and the name of its weights file, or None (nothing saved)."""
        metadata = Path(self._training_metadata_path)
        if not metadata.is_file():
            return None
        state = json.loads(metadata.read_text())
        state.setdefault("weights", Path(self._weights_path).name)  # an older backup's
        return state if (metadata.parent / state["weights"]).is_file() else None

    def _save_model(self):
        folder = Path(self.backup_dir)
        name = f"epoch{self._current_epoch}.weights.h5"
        save_model_weights(self.model, folder / name)
        kill_point("backup-weights")
        state = {"epoch": self._current_epoch, "batch": self._last_batch_seen, "weights": name}
        write_atomic(self._training_metadata_path, json.dumps(state))
        for old in folder.glob("epoch*.weights.h5"):
            if old.name != name:
                old.unlink(missing_ok=True)

    def on_train_batch_end(self, batch, logs=None):
        kill_point("batch")
        super().on_train_batch_end(batch, logs)

    def on_train_end(self, logs=None):
        if self.done is not None:
            save_model_weights(self.model, self.done)
            kill_point("phase-weights")
        super().on_train_end(logs)


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


class ProgressBar(keras.callbacks.Callback):
    """One tqdm progress bar per epoch: batches done, time left (ETA) and the running
    metrics, then the validation metrics when the epoch ends.

    Use it with ``verbose=0`` (Keras' own lines off), as ``cxrzoo train`` and ``cxrzoo
    demo`` do; a second :meth:`~keras.Model.fit` (a fine-tuning phase) is labelled
    ``phase 2``.

    Parameters
    ----------
    file : file object, optional
        Where the bars go (default: ``sys.stderr`` at the time the epoch starts).

    Examples
    --------
    >>> import io, keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> out = io.StringIO()
    >>> _ = model.fit(np.zeros((8, 2)), np.zeros(8), batch_size=4, epochs=2, verbose=0,
    ...               callbacks=[ProgressBar(file=out)])
    >>> [line.split(":")[0] for line in out.getvalue().split("\\r") if "2/2" in line][-1]
    'epoch 2/2'
    """

    def __init__(self, file=None):
        super().__init__()
        self.file, self.bar, self.fits = file, None, 0

    def on_train_begin(self, logs=None):
        self.fits += 1

    def on_epoch_begin(self, epoch, logs=None):
        from tqdm import tqdm

        phase = f"phase {self.fits}, " if self.fits > 1 else ""
        self.bar = tqdm(
            total=self.params.get("steps"),
            desc=f"{phase}epoch {epoch + 1}/{self.params.get('epochs')}",
            unit="batch",
            file=self.file,
            dynamic_ncols=True,
            leave=True,
        )

    def on_train_batch_end(self, batch, logs=None):
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(metrics_text(logs), refresh=False)

    def on_epoch_end(self, epoch, logs=None):
        if self.bar is not None:
            self.bar.set_postfix_str(metrics_text(logs), refresh=False)
            self.bar.close()
            self.bar = None

    def on_train_end(self, logs=None):
        if self.bar is not None:  # training stopped inside an epoch
            self.bar.close()
            self.bar = None


def metrics_text(logs: Mapping[str, object] | None) -> str:
    """``"loss 0.4123, auc 0.9012"``: Keras' logs, four significant digits (the learning
    rate and vector metrics left out, ``binary_accuracy`` shortened to ``acc``).

    Examples
    --------
    >>> metrics_text({"loss": 0.41234, "val_auc": 0.9, "learning_rate": 1e-3})
    'loss 0.4123, val_auc 0.9'
    """
    parts = []
    for key, value in (logs or {}).items():
        values = np.ravel(keras.ops.convert_to_numpy(value))
        if key != "learning_rate" and values.size == 1:
            short = key.replace("binary_accuracy", "acc").replace("categorical_accuracy", "acc")
            parts.append(f"{short} {float(values[0]):.4g}")
    return ", ".join(parts)
