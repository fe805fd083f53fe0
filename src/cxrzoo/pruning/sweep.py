"""002's sparsity sweep done right: prune at every level, evaluate, score with cxreval."""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
from tabulate import tabulate
from tqdm.auto import tqdm

from cxreval._checks import check_consistent_length, check_fraction
from cxrzoo.pruning._common import keras_seed
from cxrzoo.pruning.masks import METHODS, prune
from cxrzoo.pruning.report import sparsity_report

__all__ = ["DEFAULT_LEVELS", "PruningSweep", "sweep"]

#: 0.0, 0.1, ..., 0.9.
DEFAULT_LEVELS = tuple(round(0.1 * i, 1) for i in range(10))


@dataclass(frozen=True, eq=False)
class PruningSweep:
    """Every sparsity level of a sweep: the model's predictions, its accuracy and the score.

    Attributes
    ----------
    levels : tuple of float
        Sparsity asked for at each level.
    sparsity : ndarray
        Real sparsity at each level: zeros counted in the prunable kernels of the pruned
        (and fine-tuned) model. This is what is scored.
    accuracy : ndarray
        Accuracy on ``data`` at each level (at ``threshold`` for one sigmoid output, argmax
        for a softmax), as computed by :func:`cxreval.sparsity_score.score_sweep`.
    auc : ndarray
        ROC AUC on ``data`` at each level (:func:`cxreval.roc_auc`; NaN unless binary).
    y_true : ndarray
        Labels of ``data``.
    y_score : ndarray
        Model outputs at each level, shape ``(n_levels, n_cases)`` (``(n_levels, n_cases,
        n_classes)`` for a softmax).
    y_pred : ndarray
        Predicted labels at each level, shape ``(n_levels, n_cases)``.
    score : cxreval.sparsity_score.SweepResult
        What :func:`cxreval.sparsity_score.score_sweep` returned: the scores, the chosen level and
        the degenerate levels (e.g. one class for every case).
    method, scope : str
        How the weights were pruned.
    seed : int or None
        Seed of the random pruning order (one order for all levels: nested masks) and of
        every level's fine-tuning; None when neither is random.
    finetune_epochs : int
        Epochs of fine-tuning with the masks held, at each level (0: none, as in 002).
    threshold : float
        Decision threshold for one sigmoid output.
    test_y_true, test_y_score : ndarray or None
        Labels and outputs at each level on ``test_data``: reported, never used to choose.
    """

    levels: tuple[float, ...]
    sparsity: np.ndarray
    accuracy: np.ndarray
    auc: np.ndarray
    y_true: np.ndarray
    y_score: np.ndarray = field(repr=False)
    y_pred: np.ndarray = field(repr=False)
    score: Any
    method: str
    scope: str
    seed: int | None
    finetune_epochs: int
    threshold: float
    test_y_true: np.ndarray | None = field(default=None, repr=False)
    test_y_score: np.ndarray | None = field(default=None, repr=False)

    @property
    def best_sparsity(self) -> float | None:
        """The sparsity chosen by the score (None when no level could be chosen)."""
        return self.score.best_sparsity

    def rescore(self, rule: str, **options: Any):
        """Score the same predictions with another rule of :func:`~cxreval.score_sweep`.

        Examples
        --------
        ``result.rescore("tolerance", delta=0.02).best_sparsity``
        """
        from cxreval.sparsity_score import score_sweep

        return score_sweep(self.sparsity, self.y_pred, y_true=self.y_true, rule=rule, **options)

    def to_dict(self) -> dict:
        """Plain-Python form without the per-case predictions."""
        return {
            "levels": list(self.levels),
            "sparsity": self.sparsity.tolist(),
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
        """One row per level: target and real sparsity, accuracy, AUC, score, flags."""
        rows = []
        for i, level in enumerate(self.levels):
            note = "chosen" if i == self.score.best_index else ""
            if self.score.degenerate[i]:
                note = f"degenerate: {self.score.reasons[i]}"
            rows.append(
                [
                    f"{level:.2f}",
                    f"{self.sparsity[i]:.4f}",
                    f"{self.accuracy[i]:.4f}",
                    f"{self.auc[i]:.4f}",
                    f"{self.score.scores[i]:.4f}",
                    note,
                ]
            )
        headers = ["target", "real sparsity", "accuracy", "AUC", f"score ({self.score.rule})", ""]
        return tabulate(rows, headers=headers, disable_numparse=True)

    def __str__(self) -> str:
        seed = "" if self.seed is None else f", seed {self.seed}"
        tune = f", fine-tuned {self.finetune_epochs} epochs" if self.finetune_epochs else ""
        chosen = "none" if self.best_sparsity is None else f"{self.best_sparsity:.4g}"
        return (
            f"Pruning sweep: {self.method} pruning, {self.scope} scope{seed}{tune}; "
            f"chosen sparsity {chosen}\n{self.table()}"
        )

    def plot(self, ax=None):
        """Accuracy against sparsity, chosen and degenerate levels marked (cxreval's plot)."""
        return self.score.plot(ax=ax)


def sweep(
    model: keras.Model,
    data: tuple[Any, Any],
    levels: Iterable[float] = DEFAULT_LEVELS,
    *,
    method: str = "magnitude",
    scope: str = "global",
    random_state: int | np.random.Generator | None = None,
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
) -> PruningSweep:
    """Prune ``model`` at every sparsity level, evaluate it on ``data`` and score the levels.

    At each level a fresh pruned copy is made with :func:`~cxrzoo.pruning.prune` (the
    original is untouched), optionally fine-tuned for ``finetune_epochs`` epochs on
    ``train_data`` with its masks held (Adam at ``learning_rate``), and its outputs on
    ``data`` are kept. The real sparsities and the predicted labels go to
    :func:`cxreval.sparsity_score.score_sweep` with the true labels: it computes the accuracies,
    scores each level by ``rule``, marks degenerate levels (constant predictions, or no
    better than answering the most frequent class) and chooses a level.

    Choose on validation data: pass the validation set as ``data`` and the test set as
    ``test_data``, whose outputs are kept for reporting and never used to choose.

    Parameters
    ----------
    model : keras.Model
        A built model with one output: a sigmoid unit (binary) or a softmax over the
        classes (columns in sorted label order).
    data : tuple (x, y)
        Cases the levels are scored on.
    levels : iterable of float in [0, 1), default 0.0, 0.1, ..., 0.9
        Sparsities to try (sorted, unique).
    method, scope, random_state, keep_first, keep_last, exclude
        As in :func:`~cxrzoo.pruning.prune`. A random order is drawn once, so the masks of
        the levels are nested (every weight pruned at 40 % is pruned at 50 %). The seed
        (``random_state``, or one drawn from it and recorded) also seeds each level's
        fine-tuning (``keras.utils.set_random_seed`` before the level's pruned copy is
        made and fine-tuned, the same seed at every level), so the same ``random_state``
        gives the same scores.
    threshold : float, default 0.5
        Decision threshold for a single sigmoid output.
    rule : {"mean", "weighted", "tolerance"}, default "mean"
        Rule of :func:`cxreval.sparsity_score.score_sweep` (``"mean"`` is 002's score, which can
        reward a degenerate model; see there). Other rules: :meth:`PruningSweep.rescore`.
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
        Passed to :func:`cxreval.sparsity_score.score_sweep` (e.g. ``weight=``, ``delta=``,
        ``level=``).

    Returns
    -------
    PruningSweep

    Examples
    --------
    >>> import keras, numpy as np
    >>> from cxrzoo.pruning import sweep
    >>> keras.utils.set_random_seed(0)
    >>> x = np.random.default_rng(0).normal(size=(200, 6)).astype("float32")
    >>> y = (x[:, 0] > 0).astype(int)
    >>> model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
    ...                           keras.layers.Dense(1, activation="sigmoid")])
    >>> model.compile(keras.optimizers.Adam(0.01), "binary_crossentropy")
    >>> _ = model.fit(x, y, epochs=30, verbose=0)
    >>> result = sweep(model, (x, y), levels=(0.0, 0.5, 0.9), progress=False)
    >>> result.sparsity.round(3).tolist()  # 56 kernel weights: 0, 28 and 50 zeros
    [0.0, 0.5, 0.893]
    """
    from cxreval.sparsity_score import score_sweep

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
    threshold = check_fraction(threshold, "threshold")
    seed = keras_seed(random_state) if method == "random" or finetune_epochs else None

    sparsity, outputs, test_outputs = [], [], []
    desc = f"{method} pruning" + (
        f" + {finetune_epochs}-epoch fine-tune" if finetune_epochs else ""
    )
    for level in tqdm(levels, desc=desc, unit="level", disable=not progress):
        if finetune_epochs:  # the copy's dropout seeds, the shuffling: the same at every level
            keras.utils.set_random_seed(seed)
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
        outputs.append(_predict(pruned, x, batch_size))
        if test is not None:
            test_outputs.append(_predict(pruned, test[0], batch_size))

    y_score = np.stack(outputs)
    y_pred = np.stack([_labels(y, s, threshold) for s in y_score])
    sparsity = np.array(sparsity)
    scored = score_sweep(sparsity, y_pred, y_true=y, rule=rule, **score_options)
    return PruningSweep(
        levels=levels,
        sparsity=sparsity,
        accuracy=np.asarray(scored.metric, dtype=float),
        auc=np.array([_auc(y, s) for s in y_score]),
        y_true=y,
        y_score=y_score,
        y_pred=y_pred,
        score=scored,
        method=method,
        scope=scope,
        seed=seed,
        finetune_epochs=int(finetune_epochs),
        threshold=threshold,
        test_y_true=None if test is None else test[1],
        test_y_score=None if test is None else np.stack(test_outputs),
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


def _labels(y: np.ndarray, score: np.ndarray, threshold: float) -> np.ndarray:
    """Predicted labels in ``y``'s label set: sigmoid at ``threshold``, softmax by argmax."""
    classes = np.unique(y)
    if score.ndim == 1:
        if len(classes) != 2:
            raise ValueError(
                f"a single sigmoid output needs two classes in y, got {classes.tolist()[:10]}"
            )
        return classes[(score >= threshold).astype(int)]
    if score.shape[1] != len(classes):
        raise ValueError(
            f"model has {score.shape[1]} outputs but the labels have {len(classes)} classes"
        )
    return classes[score.argmax(axis=1)]


def _auc(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC of a binary model (the positive column of a 2-class softmax); else NaN."""
    from cxreval import roc_auc

    if score.ndim == 2 and score.shape[1] == 2:
        score = score[:, 1]
    if score.ndim != 1 or len(np.unique(y)) != 2:
        return float("nan")
    return float(roc_auc(y, score))
