"""002's sparsity sweep done right: prune at every level, evaluate, score with cxreval."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
from tabulate import tabulate
from tqdm.auto import tqdm

from cxreval._checks import check_consistent_length, check_fraction
from cxrzoo.pruning.masks import METHODS, _seed, prune
from cxrzoo.pruning.report import sparsity_report

__all__ = ["DEFAULT_LEVELS", "SweepResult", "sweep"]

#: 0.0, 0.1, ..., 0.9.
DEFAULT_LEVELS = tuple(round(0.1 * i, 1) for i in range(10))


@dataclass(frozen=True, eq=False)
class SweepResult:
    """Every sparsity level of a sweep: the model's predictions, its metric and the score.

    Attributes
    ----------
    levels : tuple of float
        Sparsity asked for at each level.
    sparsity : ndarray
        Real sparsity at each level: zeros counted in the prunable kernels of the pruned
        (and fine-tuned) model. This is what is scored.
    metric : str
        Name of the metric computed on ``data`` (e.g. ``"accuracy"``).
    values : ndarray
        That metric at each level.
    accuracy, auc : ndarray
        Accuracy at ``threshold`` (argmax for several classes) and ROC AUC (binary only,
        else NaN) at each level on ``data``.
    y_true : ndarray
        Labels of ``data``.
    y_score : ndarray
        Predictions at each level, shape ``(n_levels, n_cases)`` (``(n_levels, n_cases,
        n_classes)`` for several classes).
    score : object
        What :func:`cxreval.pruning.score_sweep` returned: the scores, the chosen level and
        the degenerate levels.
    method, scope : str
        How the weights were pruned.
    seed : int or None
        Seed of the random pruning order (same masks, nested across levels).
    finetune_epochs : int
        Epochs of fine-tuning with the masks held, at each level (0: none, as in 002).
    threshold : float
        Threshold of the accuracy (binary output).
    test_y_true, test_y_score : ndarray or None
        Labels and predictions at each level on ``test_data``: reported, never used to choose.
    """

    levels: tuple[float, ...]
    sparsity: np.ndarray
    metric: str
    values: np.ndarray
    accuracy: np.ndarray
    auc: np.ndarray
    y_true: np.ndarray
    y_score: np.ndarray
    score: Any
    method: str
    scope: str
    seed: int | None
    finetune_epochs: int
    threshold: float
    test_y_true: np.ndarray | None = None
    test_y_score: np.ndarray | None = field(default=None, repr=False)

    @property
    def best_sparsity(self) -> float:
        """The sparsity chosen by the score (see ``score``)."""
        return self.score.best_sparsity

    def to_dict(self) -> dict:
        """Plain-Python form without the per-case predictions."""
        return {
            "levels": list(self.levels),
            "sparsity": self.sparsity.tolist(),
            "metric": self.metric,
            "values": self.values.tolist(),
            "accuracy": self.accuracy.tolist(),
            "auc": self.auc.tolist(),
            "method": self.method,
            "scope": self.scope,
            "seed": self.seed,
            "finetune_epochs": self.finetune_epochs,
            "threshold": self.threshold,
            "best_sparsity": self.best_sparsity,
            "score": self.score.to_dict(),
        }

    def table(self) -> str:
        """One row per level: target and real sparsity, accuracy, AUC, the score."""
        scores = np.asarray(self.score.scores, dtype=float)
        rows = [
            [lvl, s, a, u, sc]
            for lvl, s, a, u, sc in zip(
                self.levels, self.sparsity, self.accuracy, self.auc, scores, strict=True
            )
        ]
        headers = ["target", "real sparsity", f"accuracy@{self.threshold:g}", "AUC", "score"]
        return tabulate(rows, headers=headers, floatfmt=".4f")

    def __str__(self) -> str:
        seed = "" if self.seed is None else f", seed {self.seed}"
        tune = f", fine-tuned {self.finetune_epochs} epochs" if self.finetune_epochs else ""
        return (
            f"Pruning sweep: {self.method} pruning, {self.scope} scope{seed}{tune}; "
            f"chosen sparsity {self.best_sparsity:.4g}\n{self.table()}"
        )

    def plot(self, ax=None):
        """The sparsity-vs-metric plot of :func:`cxreval.pruning.score_sweep`."""
        return self.score.plot(ax=ax)


def sweep(
    model: keras.Model,
    data: tuple[Any, Any],
    levels: Iterable[float] = DEFAULT_LEVELS,
    *,
    method: str = "magnitude",
    scope: str = "global",
    random_state: int | np.random.Generator | None = None,
    metric: str | Callable[[np.ndarray, np.ndarray], float] = "accuracy",
    threshold: float = 0.5,
    rule: str = "mean",
    finetune_epochs: int = 0,
    train_data: tuple[Any, Any] | None = None,
    learning_rate: float = 1e-4,
    loss: str = "binary_crossentropy",
    class_weight: dict | None = None,
    batch_size: int = 32,
    test_data: tuple[Any, Any] | None = None,
    keep_first: bool = False,
    keep_last: bool = False,
    exclude: Iterable[str] = (),
    progress: bool = True,
    **score_options: Any,
) -> SweepResult:
    """Prune ``model`` at every sparsity level, evaluate it on ``data`` and score the levels.

    At each level a fresh pruned copy is made with :func:`~cxrzoo.pruning.prune` (the
    original is untouched), optionally fine-tuned for ``finetune_epochs`` epochs on
    ``train_data`` with its masks held (Adam at ``learning_rate``), and its predictions on
    ``data`` are kept. The real sparsities, the metric values and the predictions go to
    :func:`cxreval.pruning.score_sweep`, which scores each level, flags degenerate ones
    (e.g. a model answering one class for everything) and chooses a level.

    Choose on validation data: pass the validation set as ``data`` and the test set as
    ``test_data``, whose predictions are kept for reporting and never used to choose.

    Parameters
    ----------
    model : keras.Model
        A built model with one output: a sigmoid unit (binary) or a softmax over classes.
    data : tuple (x, y)
        Cases the levels are scored on.
    levels : iterable of float in [0, 1), default 0.0, 0.1, ..., 0.9
        Sparsities to try (sorted, unique).
    method, scope, random_state, keep_first, keep_last, exclude
        As in :func:`~cxrzoo.pruning.prune`. A random order is drawn once, so the masks of
        the levels are nested (every weight pruned at 40 % is pruned at 50 %).
    metric : {"accuracy", "auc"} or callable, default "accuracy"
        What is scored; a callable takes ``(y_true, y_score)`` and returns a float.
    threshold : float, default 0.5
        Decision threshold of the accuracy for a single sigmoid output.
    rule : str, default "mean"
        Rule of :func:`cxreval.pruning.score_sweep` (``"mean"`` is 002's score).
    finetune_epochs : int, default 0
        Epochs of fine-tuning at each level (0: evaluate right after pruning, as 002 did).
    train_data : tuple (x, y), optional
        Fine-tuning data; needed when ``finetune_epochs > 0``.
    learning_rate, loss, class_weight, batch_size
        Fine-tuning settings (``batch_size`` also for prediction).
    test_data : tuple (x, y), optional
        Held-out cases predicted at every level, for reporting only.
    progress : bool, default True
        Show a progress bar over the levels.
    **score_options
        Passed to :func:`cxreval.pruning.score_sweep` (e.g. ``prevalence=``, ``delta=``).

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> import keras, numpy as np
    >>> from cxrzoo.pruning import sweep
    >>> keras.utils.set_random_seed(0)
    >>> x = np.random.default_rng(0).normal(size=(200, 6)).astype("float32")
    >>> y = (x[:, 0] > 0).astype(int)
    >>> model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
    ...                           keras.layers.Dense(1, activation="sigmoid")])
    >>> model.compile("adam", "binary_crossentropy")
    >>> _ = model.fit(x, y, epochs=30, verbose=0)
    >>> result = sweep(model, (x, y), levels=(0.0, 0.5, 0.9), progress=False)
    >>> result.sparsity.round(2).tolist()
    [0.0, 0.5, 0.9]
    """
    from cxreval.pruning import score_sweep

    levels = _check_levels(levels)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    x, y = _check_data(data, "data")
    test = _check_data(test_data, "test_data") if test_data is not None else None
    if isinstance(finetune_epochs, bool) or not isinstance(finetune_epochs, numbers.Integral):
        raise TypeError(f"finetune_epochs must be an int, got {type(finetune_epochs).__name__}")
    if finetune_epochs < 0:
        raise ValueError(f"finetune_epochs must be >= 0, got {finetune_epochs}")
    if finetune_epochs and train_data is None:
        raise ValueError("train_data is needed to fine-tune (finetune_epochs > 0)")
    train = _check_data(train_data, "train_data") if finetune_epochs else None
    metric_name, metric_fn = _metric(metric, threshold)
    seed = _seed(random_state) if method == "random" else None

    sparsity, scores, test_scores = [], [], []
    for level in tqdm(levels, desc=f"{method} pruning", unit="level", disable=not progress):
        pruned, _ = prune(
            model,
            level,
            method=method,
            scope=scope,
            random_state=seed,
            keep_first=keep_first,
            keep_last=keep_last,
            exclude=exclude,
        )
        if finetune_epochs:
            pruned.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss)
            pruned.fit(
                *train,
                epochs=int(finetune_epochs),
                batch_size=batch_size,
                class_weight=class_weight,
                verbose=0,
            )
        sparsity.append(sparsity_report(pruned).sparsity)
        scores.append(_predict(pruned, x, batch_size))
        if test is not None:
            test_scores.append(_predict(pruned, test[0], batch_size))

    y_score = np.stack(scores)
    values = np.array([metric_fn(y, s) for s in y_score])
    accuracy = np.array([_accuracy(y, s, threshold) for s in y_score])
    auc = np.array([_auc(y, s) for s in y_score])
    scored = score_sweep(
        np.array(sparsity), values, rule=rule, y_true=y, y_score=y_score, **score_options
    )
    return SweepResult(
        levels=levels,
        sparsity=np.array(sparsity),
        metric=metric_name,
        values=values,
        accuracy=accuracy,
        auc=auc,
        y_true=y,
        y_score=y_score,
        score=scored,
        method=method,
        scope=scope,
        seed=seed,
        finetune_epochs=int(finetune_epochs),
        threshold=float(threshold),
        test_y_true=None if test is None else test[1],
        test_y_score=None if test is None else np.stack(test_scores),
    )


def _check_levels(levels) -> tuple[float, ...]:
    if isinstance(levels, (str, bytes)) or not isinstance(levels, Iterable):
        raise TypeError(f"levels must be an iterable of numbers, got {type(levels).__name__}")
    values = [check_fraction(v, f"levels[{i}]") for i, v in enumerate(levels)]
    if not values:
        raise ValueError("levels is empty")
    if len(set(values)) != len(values):
        raise ValueError(f"levels has repeated values: {values}")
    return tuple(sorted(values))


def _check_data(data, name: str) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(f"{name} must be a tuple (x, y) of arrays, got {type(data).__name__}")
    x, y = np.asarray(data[0]), np.asarray(data[1])
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name}: y must hold one label per case, got shape {y.shape}")
    check_consistent_length(**{f"{name} x": x, f"{name} y": y})
    return x, y


def _predict(model: keras.Model, x: np.ndarray, batch_size: int) -> np.ndarray:
    out = np.asarray(model.predict(x, batch_size=batch_size, verbose=0), dtype=float)
    return out[:, 0] if out.ndim == 2 and out.shape[1] == 1 else out


def _accuracy(y: np.ndarray, score: np.ndarray, threshold: float) -> float:
    predicted = (score >= threshold).astype(int) if score.ndim == 1 else score.argmax(axis=1)
    return float(np.mean(predicted == y))


def _auc(y: np.ndarray, score: np.ndarray) -> float:
    if score.ndim == 2 and score.shape[1] == 2:
        score = score[:, 1]
    if score.ndim != 1 or len(np.unique(y)) != 2:
        return float("nan")
    from cxreval import roc_auc_ci

    return float(roc_auc_ci(y, score).auc)


def _metric(metric, threshold: float):
    if callable(metric):
        return getattr(metric, "__name__", "metric"), metric
    if metric == "accuracy":
        return "accuracy", lambda y, s: _accuracy(y, s, threshold)
    if metric == "auc":
        return "auc", _auc
    raise ValueError(f"metric must be 'accuracy', 'auc' or a callable, got {metric!r}")
