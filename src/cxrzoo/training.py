"""A preset's training recipe, run: compile, fit, fine-tune, cross-validate, resume.

:func:`train` turns a zoo name (or a Keras model) and data into a trained model the way the
report did it: the preset's optimizer, learning rate and schedule, loss (cross-entropy,
class-weighted, focal), metrics, class weights or weighted sampling, augmentation,
callbacks, and 001's second phase with the base unfrozen. :func:`cross_validate` is 002's
k-fold cross-validation. With ``out=`` every epoch is written down (CSV history, a plot of
the curves, the best weights) and backed up, so a killed run started again with the same
arguments continues where it stopped.

Hardware: one code path for CPU and GPUs. Several GPUs of one machine are used through
``tf.distribute.MirroredStrategy`` (chosen automatically when more than one GPU is
visible); ``mixed_precision=True`` trains in float16 with float32 weights and
``jit_compile=True`` compiles with XLA. For several machines pass
``strategy=tf.distribute.MultiWorkerMirroredStrategy()`` with ``TF_CONFIG`` set on every
worker (see the training guide).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import math
import os
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import keras
import numpy as np
from sklearn.model_selection import StratifiedKFold
from tabulate import tabulate

from cxrzoo._workers import plan_workers, run_in_workers
from cxrzoo.data import ImageSet, augmentation, load, make_dataset, readable
from cxrzoo.models._common import walk_layers
from cxrzoo.models.transfer import get_backbone
from cxrzoo.registry import Preset, Recipe, build, get_preset
from cxrzoo.weights import save_model_weights

__all__ = ["CrossValidationResult", "TrainResult", "cross_validate", "load_trained", "train"]

#: The recipe used for a bare Keras model given without a preset.
DEFAULT_RECIPE = Recipe(optimizer="adam", learning_rate=1e-3, epochs=10, batch_size=32)


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
        return f"{self.name} trained on {sum(self.counts.values())} images (seed {self.seed})\n" + (
            self.table()
        )

    def plot(self, ax=None):
        """Loss and validation loss per epoch (phases one after the other)."""
        return _plot_history(self.history, ax=ax)


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


def train(
    name_or_model: str | Any,
    data: Any,
    *,
    preset: str | Preset | None = None,
    epochs: int | None = None,
    fine_tune_epochs: int | None = None,
    batch_size: int | None = None,
    learning_rate: float | None = None,
    input_shape: tuple[int, ...] | None = None,
    weights: str | os.PathLike | None = None,
    out: str | os.PathLike | None = None,
    seed: int = 0,
    validation_split: float | None = None,
    mixed_precision: bool = False,
    jit_compile: bool | str = "auto",
    strategy: Any = None,
    on_error: str = "warn",
    callbacks: Sequence[Any] = (),
    verbose: int | str = "auto",
) -> TrainResult:
    """Train a zoo model (or a Keras model) on ``data`` with its preset's recipe.

    Parameters
    ----------
    name_or_model : str, Preset or keras.Model
        A registry name (``"szanet"``, ``"inception_v3.covid3"``) or a :class:`Preset`
        (built from its own fields, see :func:`cxrzoo.build`), built with ``weights`` and
        ``input_shape``; or a Keras model taking [0, 255] images.
    data : path, dict of ImageSet or ImageSet
        A data set path (see :func:`cxrzoo.data.load`), the splits a loader returned, or
        one ImageSet. Training uses ``"train"`` (or the only split), validation uses
        ``"val"`` when present, otherwise a stratified ``validation_split`` of the training
        images (the recipe's, else 0.2), as 002's 80/20 split.
    preset : str or Preset, optional
        Whose recipe to follow (only its recipe: the model is built from
        ``name_or_model``); default the preset of ``name_or_model`` (a Keras model
        without a preset trains with Adam 1e-3, cross-entropy, 10 epochs, batch 32).
    epochs, fine_tune_epochs, batch_size, learning_rate : optional
        Override the recipe's epochs (first phase), fine-tuning epochs (0 skips the second
        phase), batch size and first-phase learning rate.
    input_shape : tuple, optional
        ``(height, width, channels)`` to build the model at (e.g. a small size on a CPU).
    weights : None, "imagenet", "chexnet" or path, optional
        Starting weights of a named model; default the preset's source.
    out : path, optional
        Folder for the history CSV, curves plot, weights, checkpoint, backup,
        ``run.json`` and ``train.json``. Without it nothing is written and a killed run
        cannot resume. A folder holding a run with other settings (``run.json``) is
        refused with a ValueError naming each difference; the same call resumes there.
    seed : int
        Seeds weight initialization (``keras.utils.set_random_seed``), the validation
        split, shuffling, sampling and augmentation.
    validation_split : float, optional
        Fraction held out for validation when ``data`` has no ``"val"`` split.
    mixed_precision : bool
        Train with the ``mixed_float16`` policy (named models only; useful on GPUs).
    jit_compile : bool or "auto"
        XLA compilation, passed to ``Model.compile``.
    strategy : tf.distribute.Strategy, optional
        Default: ``MirroredStrategy`` over all GPUs when there are several, else the
        default strategy (CPU or one GPU). A named model is built inside its scope.
    on_error : {"warn", "raise"}
        Unreadable image files: skip them with one warning, or raise.
    callbacks : sequence of keras.callbacks.Callback
        Extra callbacks, added to the recipe's.
    verbose : int or "auto"
        Keras progress bars (0 silent).

    Returns
    -------
    TrainResult

    Examples
    --------
    >>> import cxrzoo
    >>> from cxrzoo.data import synthetic
    >>> result = cxrzoo.train("szanet", synthetic(40, size=32), input_shape=(32, 32, 1),
    ...                       epochs=1, batch_size=8, verbose=0)
    >>> [row["epoch"] for row in result.history]
    [0]
    """
    spec = _Spec.make(name_or_model, preset, epochs, fine_tune_epochs, batch_size, learning_rate)
    split = validation_split or spec.recipe.validation_split or 0.2
    train_set, val_set = _split_data(data, split, seed, on_error)
    out_path = None if out is None else Path(out)
    _, result = _run(
        spec,
        train_set,
        val_set,
        input_shape=input_shape,
        weights=weights,
        out=out_path,
        seed=seed,
        mixed_precision=mixed_precision,
        jit_compile=jit_compile,
        strategy=strategy,
        callbacks=callbacks,
        verbose=verbose,
    )
    return result


def cross_validate(
    name_or_model: str | Any,
    data: Any,
    *,
    folds: int | None = None,
    preset: str | Preset | None = None,
    epochs: int | None = None,
    fine_tune_epochs: int | None = None,
    batch_size: int | None = None,
    learning_rate: float | None = None,
    input_shape: tuple[int, ...] | None = None,
    weights: str | os.PathLike | None = None,
    out: str | os.PathLike | None = None,
    seed: int = 0,
    mixed_precision: bool = False,
    jit_compile: bool | str = "auto",
    strategy: Any = None,
    on_error: str = "warn",
    callbacks: Sequence[Any] = (),
    verbose: int | str = "auto",
    jobs: int = 1,
    threads: int | None = None,
) -> CrossValidationResult:
    """k-fold cross-validation of a recipe, as 002 did with k = 5.

    The training images are split into ``folds`` stratified folds (seeded); each fold is
    held out once while a fresh model trains on the others with the recipe, validating
    (early stopping, learning-rate reduction) on the held-out fold, as 002's rotation of
    training and testing subsets did. Scores are the model's metrics on its held-out
    fold. With ``out=``, fold ``i`` writes to ``out/fold{i}`` and finished folds are not
    trained again when the same run is started again (other settings there raise
    ValueError, as :func:`train` does).

    Parameters
    ----------
    folds : int, optional
        Number of folds; default the recipe's ``cv_folds``, else 5.
    jobs : int
        Folds trained at once. With ``jobs=1`` and no ``threads`` they train one after the
        other in this process; otherwise each fold trains in a worker process (as
        :func:`cxrzoo.train_seeds`; in a script, call this under
        ``if __name__ == "__main__":``). A fold's scores do not depend on ``jobs``, only
        on the number of threads it trained on.
    threads : int, optional
        TensorFlow CPU threads of each worker; default the CPU count divided by ``jobs``.
    Other parameters
        As :func:`train`.

    Returns
    -------
    CrossValidationResult

    Examples
    --------
    >>> import cxrzoo
    >>> from cxrzoo.data import synthetic
    >>> cv = cxrzoo.cross_validate("szanet", synthetic(30, size=32), folds=2,  # doctest: +SKIP
    ...                            input_shape=(32, 32, 1), epochs=1, verbose=0)
    >>> len(cv.folds)  # doctest: +SKIP
    2
    """
    spec = _Spec.make(name_or_model, preset, epochs, fine_tune_epochs, batch_size, learning_rate)
    train_set, _ = _split_data(data, None, seed, on_error)
    k = folds if folds is not None else (spec.recipe.cv_folds or 5)
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise ValueError(f"folds must be an integer >= 2, got {k!r}")
    smallest = min(c for c in train_set.counts.values() if c)
    if smallest < k:
        raise ValueError(
            f"folds={k} needs at least {k} images of every class, the smallest has {smallest}"
        )
    options = {
        "input_shape": input_shape,
        "weights": weights,
        "mixed_precision": mixed_precision,
        "jit_compile": jit_compile,
        "strategy": strategy,
        "callbacks": callbacks,
        "verbose": verbose,
    }
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    fold_jobs = [
        (spec, train_set.subset(fit_idx), train_set.subset(held_idx), i, out, seed + i, options)
        for i, (fit_idx, held_idx) in enumerate(
            splitter.split(np.zeros(len(train_set)), train_set.labels), 1
        )
    ]
    plan = plan_workers(jobs, threads, k, options)
    if plan is None:
        scores = [_cross_validation_fold(*job) for job in fold_jobs]
    else:
        workers, threads = plan
        scores = run_in_workers(
            _cross_validation_fold,
            fold_jobs,
            [f"fold {job[3]}" for job in fold_jobs],
            workers=workers,
            threads=threads,
        )
    result = CrossValidationResult(name=spec.name, folds=tuple(scores), seed=seed)
    if out is not None:
        _write_text(Path(out) / "cross_validation.json", json.dumps(result.to_dict(), indent=2))
    return result


def _cross_validation_fold(spec, fit, held, i, out, seed, options) -> dict[str, Any]:
    """Fold ``i``: a fresh model trained on ``fit``, scored on ``held`` (``out/fold{i}``
    is written, and a fold finished before is read back instead of trained again)."""
    fold_out = None if out is None else Path(out) / f"fold{i}"
    done = None if fold_out is None else fold_out / "fold.json"
    if done is not None and done.is_file():  # finished: read back if it is the same run
        _check_folder(fold_out, _run_record(spec, fit, held, seed=seed, **options))
        return json.loads(done.read_text())
    keras.utils.set_random_seed(seed)  # the fresh copy's weights: the fold's own, anywhere
    fresh = spec if spec.model is None else replace(spec, model=_fresh_copy(spec.model))
    model, _ = _run(fresh, fit, held, out=fold_out, seed=seed, **options)
    size, channels = model.input_shape[1:3], model.input_shape[3]
    pipe = make_dataset(
        held,
        size=size,
        channels=channels,
        batch_size=spec.batch_size,
        label_mode=spec.label_mode(model),
    )
    metrics = model.evaluate(pipe.dataset, return_dict=True, verbose=0)
    row = {"fold": i, "n_train": len(fit), "n_held_out": len(held)}
    row.update({name: float(value) for name, value in metrics.items()})
    if done is not None:
        _write_text(done, json.dumps(row, indent=2))
    return row


def load_trained(path: str | os.PathLike) -> tuple[Any, tuple[str, ...] | None]:
    """The model (and its class names) saved by :func:`train`, or a ``.keras`` file.

    Parameters
    ----------
    path : path
        A folder :func:`train` wrote with ``out=`` (``train.json`` + ``model.weights.h5``;
        the model is rebuilt from the registry and its weights loaded), or a Keras
        ``.keras`` model file (class names unknown: None).

    Returns
    -------
    (keras.Model, tuple of str or None)

    Examples
    --------
    >>> import tempfile, cxrzoo
    >>> from cxrzoo.data import synthetic
    >>> out = tempfile.mkdtemp()
    >>> _ = cxrzoo.train("szanet", synthetic(20, size=32), input_shape=(32, 32, 1), epochs=1,
    ...                  out=out, verbose=0)
    >>> model, names = cxrzoo.load_trained(out)
    >>> names
    ('normal', 'pneumonia')
    """
    path = Path(path)
    if path.is_file() and path.suffix == ".keras":
        return keras.models.load_model(path), None
    info_file, weights_file = path / "train.json", path / "model.weights.h5"
    if not path.is_dir() or not info_file.is_file() or not weights_file.is_file():
        raise FileNotFoundError(
            f"{str(path)!r} is neither a .keras file nor a folder written by cxrzoo train "
            "(with train.json and model.weights.h5)"
        )
    info = json.loads(info_file.read_text())
    settings = info["settings"]
    try:
        own = get_preset(info["name"])
    except ValueError:
        raise ValueError(
            f"{info['name']!r} in {str(info_file)!r} is not a registry model; save your own "
            "models with model.save('file.keras') and evaluate that file"
        ) from None
    num_classes = settings["num_classes"]
    model = build(
        own.name,
        input_shape=tuple(settings["input_shape"]),
        num_classes=num_classes if num_classes != own.num_classes else None,
    )
    model.load_weights(weights_file)
    return model, tuple(info["class_names"])


# ----------------------------------------------------------------------------- internals


@dataclass(frozen=True)
class _Spec:
    """What to build and how to train it, resolved from the arguments and the preset."""

    name: str
    model: Any  # a keras.Model given by the user, or None to build ``own``
    own: Preset | None  # the preset the model is built from
    preset: Preset | None  # the preset whose recipe is followed
    recipe: Recipe
    epochs: int
    fine_tune_epochs: int
    batch_size: int
    learning_rate: float

    @classmethod
    def make(cls, name_or_model, preset, epochs, fine_tune_epochs, batch_size, learning_rate):
        if isinstance(preset, str):
            preset = get_preset(preset)
        if isinstance(name_or_model, (str, Preset)):
            own = get_preset(name_or_model) if isinstance(name_or_model, str) else name_or_model
            preset = preset or own
            name, model = own.name, None
        elif hasattr(name_or_model, "fit") and hasattr(name_or_model, "compile"):
            own, name, model = None, name_or_model.name, name_or_model
        else:
            raise TypeError(
                "name_or_model must be a registry name, a Preset or a keras.Model, "
                f"got {type(name_or_model).__name__}"
            )
        if preset is not None and not isinstance(preset, Preset):
            raise TypeError(f"preset must be a name or a Preset, got {type(preset).__name__}")
        recipe = preset.recipe if preset is not None else DEFAULT_RECIPE
        fine = recipe.fine_tune
        for arg, value in (("epochs", epochs), ("batch_size", batch_size)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 1
            ):
                raise ValueError(f"{arg} must be a positive integer, got {value!r}")
        if fine_tune_epochs is not None and (
            not isinstance(fine_tune_epochs, int) or fine_tune_epochs < 0
        ):
            raise ValueError(f"fine_tune_epochs must be an integer >= 0, got {fine_tune_epochs!r}")
        if learning_rate is not None and not learning_rate > 0:
            raise ValueError(f"learning_rate must be > 0, got {learning_rate!r}")
        return cls(
            name=name,
            model=model,
            own=own,
            preset=preset,
            recipe=recipe,
            epochs=epochs or recipe.epochs,
            fine_tune_epochs=(fine.epochs if fine else 0)
            if fine_tune_epochs is None
            else fine_tune_epochs,
            batch_size=batch_size or recipe.batch_size,
            learning_rate=learning_rate or recipe.learning_rate,
        )

    @staticmethod
    def label_mode(model) -> str:
        return "binary" if model.output_shape[-1] == 1 else "categorical"


def _split_data(data, validation_split, seed, on_error):
    """(train ImageSet, validation ImageSet or None), unreadable files left out.

    Validation is the ``"val"`` split when there is one, else a stratified
    ``validation_split`` of the training images (None: no validation set).
    """
    if isinstance(data, (str, os.PathLike)):
        data = load(data)
    if isinstance(data, ImageSet):
        data = {"train": data}
    if not isinstance(data, Mapping) or not data:
        raise TypeError("data must be a path, an ImageSet or a dict of ImageSet splits")
    if "train" in data:
        train_set = data["train"]
    elif len(data) == 1:
        train_set = next(iter(data.values()))
    else:
        raise ValueError(f"data has no 'train' split (splits: {sorted(data)})")
    train_set = readable(train_set, on_error=on_error)
    train_set.check_classes("the training data")
    if data.get("val") is not None:
        return train_set, readable(data["val"], on_error=on_error)
    if validation_split is None:
        return train_set, None
    return train_set.split(validation_split, seed=seed)


def _run(
    spec: _Spec,
    train_set,
    val_set,
    *,
    input_shape,
    weights,
    out,
    seed,
    mixed_precision,
    jit_compile,
    strategy,
    callbacks,
    verbose,
):
    """Build (in the strategy's scope), compile and fit both phases; write the outputs."""
    if out is not None:
        record = _run_record(
            spec,
            train_set,
            val_set,
            input_shape=input_shape,
            weights=weights,
            seed=seed,
            mixed_precision=mixed_precision,
        )
        _check_folder(out, record)
    keras.utils.set_random_seed(seed)
    num_classes = len(train_set.class_names)
    strategy = strategy or _default_strategy()
    if mixed_precision and spec.model is not None:
        raise ValueError(
            "mixed_precision=True needs a registry name: the model is built under the policy"
        )
    old_policy = keras.mixed_precision.global_policy()
    try:
        if mixed_precision:
            keras.mixed_precision.set_global_policy("mixed_float16")
        with strategy.scope():
            model = (
                spec.model
                if spec.model is not None
                else _build(spec, input_shape, weights, num_classes)
            )
            if mixed_precision:
                outputs = keras.layers.Activation("linear", dtype="float32", name="float32_output")(
                    model.outputs[0]
                )
                model = keras.Model(model.inputs, outputs, name=model.name)
    finally:
        keras.mixed_precision.set_global_policy(old_policy)
    if model.output_shape[-1] not in (1, num_classes):
        raise ValueError(
            f"the model has {model.output_shape[-1]} outputs but the data has {num_classes} classes"
        )
    label_mode = spec.label_mode(model)
    size, channels = tuple(model.input_shape[1:3]), model.input_shape[3]
    recipe = spec.recipe
    augment = augmentation(recipe.augmentations, seed=seed) if recipe.augmentations else None
    sampling = "inverse_frequency" if recipe.sampling == "inverse_frequency" else "shuffle"
    train_pipe = make_dataset(
        train_set,
        size=size,
        channels=channels,
        batch_size=spec.batch_size,
        label_mode=label_mode,
        sampling=sampling,
        seed=seed,
        augment=augment,
    )
    val_pipe = (
        None
        if val_set is None
        else make_dataset(
            val_set, size=size, channels=channels, batch_size=spec.batch_size, label_mode=label_mode
        )
    )
    weight = None
    if recipe.class_weight.policy != "none":
        counts = list(train_set.counts.values())
        weight = dict(enumerate(recipe.class_weight.weights(counts)))

    if recipe.batchnorm_momentum is not None:
        _set_batchnorm_momentum(model, recipe.batchnorm_momentum)
    if out is not None and not (out / "run.json").is_file():  # the model is built: recorded
        _write_text(out / "run.json", json.dumps(record, indent=2))
    history = _HistoryCSV(None if out is None else out / "history.csv")
    phases = [(1, spec.epochs, spec.learning_rate)]
    if spec.fine_tune_epochs and recipe.fine_tune is not None:
        phases.append((2, spec.fine_tune_epochs, recipe.fine_tune.learning_rate))
    for phase, epochs, lr in phases:
        done = None if out is None else out / f"phase{phase}.weights.h5"
        if done is not None and done.is_file():  # finished before an interruption
            if phase == 2:
                _unfreeze(model, recipe.fine_tune.unfreeze)
            model.load_weights(done)
            continue
        with strategy.scope():
            if phase == 2 and not _unfreeze(model, recipe.fine_tune.unfreeze):
                warnings.warn(
                    f"{spec.name}: the recipe has a fine-tuning phase but the model has no frozen "
                    "base to unfreeze; phase 2 is skipped",
                    UserWarning,
                    stacklevel=3,
                )
                break
            _compile(model, recipe, lr, label_mode, jit_compile)
        cbs = _callbacks(recipe, lr, phase, out, history, has_val=val_pipe is not None)
        model.fit(
            train_pipe.dataset,
            validation_data=None if val_pipe is None else val_pipe.dataset,
            epochs=epochs,
            shuffle=False,  # the pipeline shuffles, seeded
            class_weight=weight,
            callbacks=[*cbs, *callbacks],
            verbose=verbose,
        )
        if done is not None:
            save_model_weights(model, done)
    result = TrainResult(
        model=model,
        name=spec.name,
        class_names=train_set.class_names,
        counts=train_set.counts,
        class_weight=weight,
        history=tuple(history.rows),
        skipped=tuple(train_pipe.skipped) + (() if val_pipe is None else val_pipe.skipped),
        out=out,
        seed=seed,
        settings={
            "preset": None if spec.preset is None else spec.preset.name,
            "input_shape": list(model.input_shape[1:]),
            "num_classes": num_classes,
            "label_mode": label_mode,
            "epochs": spec.epochs,
            "fine_tune_epochs": spec.fine_tune_epochs if len(phases) > 1 else 0,
            "batch_size": spec.batch_size,
            "learning_rate": spec.learning_rate,
            "batchnorm_momentum": recipe.batchnorm_momentum,
            "n_train": len(train_set),
            "n_val": 0 if val_set is None else len(val_set),
            "mixed_precision": mixed_precision,
            "jit_compile": jit_compile,
            "strategy": type(strategy).__name__,
            "replicas": int(strategy.num_replicas_in_sync),
        },
    )
    if out is not None:
        with contextlib.suppress(OSError):  # empty once every phase has finished
            (out / "backup").rmdir()
        save_model_weights(model, out / "model.weights.h5")
        _write_text(out / "train.json", json.dumps(result.to_dict(), indent=2))
        if result.history:
            import matplotlib.pyplot as plt

            ax = result.plot()
            _save_figure(ax.figure, out / "training_curves.png")
            plt.close(ax.figure)
    return model, result


def _run_record(
    spec: _Spec, train_set, val_set, *, input_shape, weights, seed, mixed_precision, **_ignored
) -> dict[str, Any]:
    """What decides a run's result, JSON-ready: a run into the same ``out`` must match it.

    Not recorded (a resumed run may change them): callbacks, verbosity, strategy, XLA.
    """
    model = (
        _preset_record(spec.own)
        if spec.model is None
        else {  # not its name: Keras numbers unnamed models per session ("functional_1")
            "input_shape": list(spec.model.input_shape[1:]),
            "parameters": int(spec.model.count_params()),
        }
    )
    if spec.own is not None:  # None means the preset's own: record what is used
        input_shape = spec.own.input_shape if input_shape is None else input_shape
        weights = spec.own.weights if weights is None else weights
    record = {
        "model": model,
        "preset": None if spec.preset is None else _preset_record(spec.preset),
        "epochs": spec.epochs,
        "fine_tune_epochs": spec.fine_tune_epochs,
        "batch_size": spec.batch_size,
        "learning_rate": spec.learning_rate,
        "input_shape": None if input_shape is None else list(input_shape),
        "weights": None if weights is None else str(weights),
        "seed": seed,
        "mixed_precision": mixed_precision,
        "train_data": _data_identity(train_set),
        "validation_data": None if val_set is None else _data_identity(val_set),
    }
    return json.loads(json.dumps(record))


def _preset_record(preset: Preset) -> dict[str, Any]:
    """A preset's fields that shape the model or its training (not its report or text)."""
    text = ("description", "source", "reported", "reconstructed")
    return {k: v for k, v in preset.to_dict().items() if k not in text}


def _data_identity(images: ImageSet) -> dict[str, Any]:
    """Class names, size and a digest of the labels and the files (or pixels) of a split."""
    digest = hashlib.sha256(np.asarray(images.labels, np.int64).tobytes())
    if images.paths is not None:  # relative to their common folder: a moved or
        paths = [os.path.abspath(p) for p in images.paths]  # relatively named folder
        root = os.path.commonpath(paths) if len(paths) > 1 else os.path.dirname(*paths[:1] or [""])
        digest.update("\n".join(os.path.relpath(p, root) for p in paths).encode())
    else:  # the pixels, read in place (no copy of a large array)
        digest.update(memoryview(np.ascontiguousarray(images.images)).cast("B"))
    return {
        "class_names": list(images.class_names),
        "images": len(images),
        "sha256": digest.hexdigest()[:16],
    }


def _check_folder(out: Path, record: Mapping[str, Any]) -> None:
    """Check that a run recorded in ``out/run.json`` (if any) has the settings ``record``.

    Raises ValueError naming every setting that differs: resuming into a folder of
    another run would mix its finished phases with the new settings.
    """
    file = out / "run.json"
    if not file.is_file():
        return
    before, now = _flatten(json.loads(file.read_text())), _flatten(record)
    changed = [
        f"{key}: {before.get(key, '(unset)')!r} -> {now.get(key, '(unset)')!r}"
        for key in sorted(set(before) | set(now))
        if before.get(key) != now.get(key)
    ]
    if changed:
        raise ValueError(
            f"out={str(out)!r} holds a run with other settings ({'; '.join(changed)}); only "
            "the same command resumes there: give a new out folder, or delete that one to "
            "start over"
        )


def _flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts as one dict with dotted keys (lists are compared whole)."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _set_batchnorm_momentum(model, momentum: float) -> None:
    """Set the momentum of every BatchNormalization layer, nested ones too."""
    for layer in walk_layers(model):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = float(momentum)


def _fresh_copy(model):
    """The same architecture with newly initialized weights (one per fold)."""
    copy = keras.models.clone_model(model)
    for layer, original in zip(copy.layers, model.layers, strict=True):
        layer.trainable = original.trainable
    return copy


def _default_strategy():
    import tensorflow as tf

    if len(tf.config.list_logical_devices("GPU")) > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()


def _build(spec: _Spec, input_shape, weights, num_classes: int):
    """Build the model for the data's number of classes, from the preset's weights."""
    own = spec.own
    return build(
        own,
        input_shape=None if input_shape is None else tuple(input_shape),
        num_classes=num_classes if num_classes != own.num_classes else None,
        weights=weights if weights is not None else own.weights,
    )


def _compile(model, recipe: Recipe, learning_rate: float, label_mode: str, jit_compile) -> None:
    optimizers = {
        "adam": keras.optimizers.Adam,
        "adamw": keras.optimizers.AdamW,
        "rmsprop": keras.optimizers.RMSprop,
        "sgd": keras.optimizers.SGD,
    }
    decay = {} if recipe.weight_decay is None else {"weight_decay": recipe.weight_decay}
    optimizer = optimizers[recipe.optimizer](learning_rate=learning_rate, **decay)
    loss = recipe.loss
    binary = label_mode == "binary"
    if loss.kind == "focal":
        if binary:
            loss_fn = keras.losses.BinaryFocalCrossentropy(
                gamma=loss.gamma,
                alpha=loss.alpha if loss.alpha is not None else 0.25,
                apply_class_balancing=loss.alpha is not None,
            )
        else:
            loss_fn = keras.losses.CategoricalFocalCrossentropy(
                gamma=loss.gamma, alpha=loss.alpha if loss.alpha is not None else 1.0
            )
    else:
        loss_fn = (
            keras.losses.BinaryCrossentropy() if binary else keras.losses.CategoricalCrossentropy()
        )
    metrics: list[Any] = [
        keras.metrics.F1Score(average="macro", threshold=0.5 if binary else None, name=m)
        if m == "f1_score"  # 001's F1: one number per epoch, the macro average
        else m
        for m in recipe.metrics
    ]
    if binary:
        metrics.append(keras.metrics.AUC(name="auc"))
    model.compile(optimizer=optimizer, loss=loss_fn, metrics=metrics, jit_compile=jit_compile)


def _callbacks(
    recipe: Recipe, learning_rate: float, phase: int, out: Path | None, history, *, has_val: bool
):
    cbs: list[Any] = []
    for c in recipe.callbacks:
        monitor = c.monitor if has_val or not c.monitor.startswith("val_") else c.monitor[4:]
        if c.kind == "early_stopping":
            cbs.append(
                keras.callbacks.EarlyStopping(
                    monitor=monitor,
                    patience=c.patience,
                    restore_best_weights=c.restore_best_weights,
                )
            )
        else:
            cbs.append(
                keras.callbacks.ReduceLROnPlateau(
                    monitor=monitor, factor=c.factor, patience=c.patience, min_lr=c.min_lr
                )
            )
    if phase == 1 and recipe.schedule.kind != "constant":
        schedule = recipe.schedule
        cbs.append(
            keras.callbacks.LearningRateScheduler(
                lambda epoch, lr: schedule.learning_rate(learning_rate, epoch)
            )
        )
    history.phase = phase
    cbs.append(history)
    if out is not None:
        cbs.append(_BestWeights(out / "checkpoint.weights.h5", "val_loss" if has_val else "loss",
                                history.rows))  # fmt: skip
        cbs.append(_Backup(str(out / "backup" / f"phase{phase}")))
    return cbs


class _BestWeights(keras.callbacks.Callback):
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


class _Backup(keras.callbacks.BackupAndRestore):
    """Keras' BackupAndRestore with its two files written atomically, the weights first.

    A kill while writing leaves the previous epoch's backup whole (Keras writes straight
    into the files, so a kill there left a backup that cannot be read).
    """

    def _save_model(self):
        save_model_weights(self.model, self._weights_path)
        state = {"epoch": self._current_epoch, "batch": self._last_batch_seen}
        _write_text(Path(self._training_metadata_path), json.dumps(state))


def _unfreeze(model, unfreeze: str | int) -> bool:
    """Unfreeze the frozen backbone of ``model`` (all layers, or its last ``unfreeze``)."""
    base = get_backbone(model)
    if base is None or base.trainable:
        return False
    base.trainable = True
    if unfreeze != "all":
        for layer in base.layers[: max(len(base.layers) - int(unfreeze), 0)]:
            layer.trainable = False
    return True


class _HistoryCSV(keras.callbacks.Callback):
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
            _write_text(self.path, "\n".join(lines) + "\n")


def _plot_history(history, ax=None):
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


def _write_text(path: Path, text: str) -> None:
    """Write atomically: a temporary file in the same folder, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _save_figure(figure, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    figure.savefig(tmp, dpi=120, bbox_inches="tight")
    os.replace(tmp, path)
