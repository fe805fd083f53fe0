"""What pruning really gave: zeros counted in the weights, compressed size, inference time."""

from __future__ import annotations

import gzip
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
from tabulate import tabulate

from cxrzoo._checks import check_int
from cxrzoo.pruning._common import check_model, copy_model
from cxrzoo.pruning.masks import prunable_weights

__all__ = ["PruningGain", "SparsityReport", "measure_gain", "sparsity_report"]

#: Said with every gain report, so that nobody reads a speed-up into a sparse model.
DENSE_KERNEL_NOTE = (
    "Zeros do not speed up dense kernels: a pruned Keras model still multiplies every "
    "weight, zero or not, so its inference time is that of the dense model. Pruning pays "
    "in compressed size (zeros compress well) and needs a sparse runtime to pay in time."
)


@dataclass(frozen=True)
class SparsityReport:
    """Zeros counted in a model's weights (not read from masks).

    Attributes
    ----------
    layers : tuple of (str, int, int)
        ``(kernel, weights, zeros)`` for each prunable kernel, in model order.
    kernel_weights, kernel_zeros : int
        Totals over the prunable kernels.
    all_weights, all_zeros : int
        Totals over every weight of the model (biases, batch normalization, ... included).
    """

    layers: tuple[tuple[str, int, int], ...]
    kernel_weights: int
    kernel_zeros: int
    all_weights: int
    all_zeros: int

    @property
    def sparsity(self) -> float:
        """Zero fraction over the prunable kernels."""
        return self.kernel_zeros / self.kernel_weights

    @property
    def overall_sparsity(self) -> float:
        """Zero fraction over every weight of the model."""
        return self.all_zeros / self.all_weights

    def to_dict(self) -> dict:
        """Plain-Python form."""
        return {
            "layers": {k: {"weights": n, "zeros": z} for k, n, z in self.layers},
            "kernel_weights": self.kernel_weights,
            "kernel_zeros": self.kernel_zeros,
            "sparsity": self.sparsity,
            "all_weights": self.all_weights,
            "all_zeros": self.all_zeros,
            "overall_sparsity": self.overall_sparsity,
        }

    def table(self) -> str:
        """Zero counts per kernel and in total, as a text table."""
        rows = [[k, n, z, z / n] for k, n, z in self.layers]
        rows.append(["prunable kernels", self.kernel_weights, self.kernel_zeros, self.sparsity])
        rows.append(["all weights", self.all_weights, self.all_zeros, self.overall_sparsity])
        return tabulate(
            rows, headers=["weights of", "count", "zeros", "zero fraction"], floatfmt=".4f"
        )

    def __str__(self) -> str:
        return f"SparsityReport (zeros counted in the weights)\n{self.table()}"


def sparsity_report(model: keras.Model) -> SparsityReport:
    """Count the zeros in a model's weights: per prunable kernel, over them, over all weights.

    Counting zeros in the weights, rather than reading masks, gives the sparsity the saved
    model really has (a weight may also be zero without being pruned).

    Examples
    --------
    >>> import keras
    >>> from cxrzoo.pruning import prune, sparsity_report
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5)])
    >>> report = sparsity_report(prune(model, 0.4)[0])
    >>> report.kernel_zeros, report.kernel_weights, report.all_weights
    (8, 20, 25)
    """
    check_model(model)
    kernels = {key: v.numpy() for key, v in prunable_weights(model).items()}
    layers = tuple(
        (key, int(w.size), int(w.size - np.count_nonzero(w))) for key, w in kernels.items()
    )
    values = [np.asarray(w) for w in model.get_weights()]
    return SparsityReport(
        layers=layers,
        kernel_weights=sum(n for _, n, _ in layers),
        kernel_zeros=sum(z for _, _, z in layers),
        all_weights=int(sum(w.size for w in values)),
        all_zeros=int(sum(w.size - np.count_nonzero(w) for w in values)),
    )


@dataclass(frozen=True)
class PruningGain:
    """Dense versus pruned: saved-weights size, raw and gzip-compressed, and inference time.

    Attributes
    ----------
    dense_bytes, pruned_bytes : int
        Size of the ``.weights.h5`` file Keras saves for the model's weights (an uncompiled
        copy, so no optimizer state).
    dense_gzip_bytes, pruned_gzip_bytes : int
        Size of that file compressed with gzip (level 9).
    dense_seconds, pruned_seconds : float
        Median wall time of one ``predict_on_batch`` on the timing batch.
    repeats, batch_size : int
        Timed calls per model (after one warm-up call) and images per call.
    pruned_sparsity : float
        Zero fraction of the pruned model's prunable kernels.
    note : str
        Zeros do not speed up dense kernels (:data:`DENSE_KERNEL_NOTE`).
    """

    dense_bytes: int
    pruned_bytes: int
    dense_gzip_bytes: int
    pruned_gzip_bytes: int
    dense_seconds: float
    pruned_seconds: float
    repeats: int
    batch_size: int
    pruned_sparsity: float
    note: str = DENSE_KERNEL_NOTE

    @property
    def compression_ratio(self) -> float:
        """Dense gzip size over pruned gzip size (above 1: the pruned file is smaller)."""
        return self.dense_gzip_bytes / self.pruned_gzip_bytes

    @property
    def speedup(self) -> float:
        """Dense time over pruned time (about 1 for dense kernels; see ``note``)."""
        return self.dense_seconds / self.pruned_seconds

    def to_dict(self) -> dict:
        """Plain-Python form, the ratios included."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out.update(compression_ratio=self.compression_ratio, speedup=self.speedup)
        return out

    def table(self, tablefmt: str = "simple") -> str:
        """Dense and pruned side by side, with their ratio (``tablefmt`` as in tabulate)."""
        rows = [
            ["weights file (bytes)", self.dense_bytes, self.pruned_bytes],
            ["gzip -9 of it (bytes)", self.dense_gzip_bytes, self.pruned_gzip_bytes],
        ]
        rows = [[name, f"{a:d}", f"{b:d}", f"{a / b:.3f}"] for name, a, b in rows]
        rows.append(
            [
                f"inference (ms, median of {self.repeats}, batch {self.batch_size})",
                f"{1e3 * self.dense_seconds:.2f}",
                f"{1e3 * self.pruned_seconds:.2f}",
                f"{self.speedup:.3f}",
            ]
        )
        headers = ["", "dense", "pruned", "dense / pruned"]
        return tabulate(rows, headers=headers, tablefmt=tablefmt, disable_numparse=True)

    def __str__(self) -> str:
        return f"PruningGain at sparsity {self.pruned_sparsity:.4f}\n{self.table()}\n{self.note}"


def measure_gain(
    dense: keras.Model,
    pruned: keras.Model,
    x: np.ndarray,
    *,
    repeats: int = 10,
) -> PruningGain:
    """Measure what pruning gives: saved size, gzip-compressed size and inference time.

    Both models' weights (model weights only: an uncompiled copy is saved, so that no
    optimizer state is counted) are saved as ``.weights.h5`` in a temporary folder and
    compressed with gzip; each model is called once to warm up, then ``repeats`` times on ``x`` with
    ``predict_on_batch`` (the two models alternating), and the median time is kept.
    Expect a smaller compressed file and the *same* time: zeros do not speed up dense
    kernels.

    Parameters
    ----------
    dense, pruned : keras.Model
        The original model and its pruned copy.
    x : array
        One batch of inputs for timing.
    repeats : int, default 10
        Timed calls per model.

    Returns
    -------
    PruningGain

    Examples
    --------
    >>> import keras, numpy as np
    >>> from cxrzoo.pruning import measure_gain, prune
    >>> model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(64)])
    >>> gain = measure_gain(model, prune(model, 0.9)[0], np.ones((8, 64)), repeats=2)
    >>> gain.pruned_gzip_bytes < gain.dense_gzip_bytes
    True
    """
    check_model(dense)
    check_model(pruned)
    check_int(repeats, "repeats", expected="a positive int")
    x = np.asarray(x)
    sizes = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, model in (("dense", dense), ("pruned", pruned)):
            path = Path(folder) / f"{name}.weights.h5"
            copy_model(model).save_weights(path)  # uncompiled: no optimizer state saved
            raw = path.read_bytes()
            sizes[name] = (len(raw), len(gzip.compress(raw, compresslevel=9, mtime=0)))
    dense_seconds, pruned_seconds = _median_times((dense, pruned), x, repeats)
    return PruningGain(
        dense_bytes=sizes["dense"][0],
        pruned_bytes=sizes["pruned"][0],
        dense_gzip_bytes=sizes["dense"][1],
        pruned_gzip_bytes=sizes["pruned"][1],
        dense_seconds=dense_seconds,
        pruned_seconds=pruned_seconds,
        repeats=repeats,
        batch_size=len(x),
        pruned_sparsity=sparsity_report(pruned).sparsity,
    )


def _median_times(models, x: np.ndarray, repeats: int) -> list[float]:
    """Median time per model; calls alternate so that a busy machine slows both alike."""
    for model in models:
        model.predict_on_batch(x)
    times = [[] for _ in models]
    for _ in range(repeats):
        for model, record in zip(models, times, strict=True):
            start = time.perf_counter()
            model.predict_on_batch(x)
            record.append(time.perf_counter() - start)
    return [float(np.median(t)) for t in times]
