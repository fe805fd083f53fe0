"""One training run: :func:`train` and the phase loop behind it (build, pipelines, phases,
outputs), which :func:`cxrzoo.cross_validate` runs once per fold."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import shutil
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np

from cxreval._io import remove_temporaries, save_figure, write_atomic
from cxrzoo.data import (
    DataPipeline,
    ImageSet,
    MultiLabelSet,
    augmentation,
    load,
    make_dataset,
    readable,
)
from cxrzoo.factory import build
from cxrzoo.training.callbacks import Backup, BestWeights, HistoryCSV
from cxrzoo.training.keras_recipe import (
    compile_model,
    recipe_callbacks,
    set_batchnorm_momentum,
    unfreeze_backbone,
)
from cxrzoo.training.multiworker import multi_worker_fit, worker_folder
from cxrzoo.training.options import RunSpec, TrainOptions
from cxrzoo.training.record import check_folder, run_record
from cxrzoo.training.results import TrainResult
from cxrzoo.weights import save_model_weights

__all__ = [
    "OUTPUT_FILES",
    "RUN_FILES",
    "Fit",
    "kept_epoch",
    "observed_counts",
    "prepare_folder",
    "remove_backup",
    "run",
    "split_data",
    "train",
    "write_outputs",
]

#: The files a run writes into its ``out`` folder (``backup/`` aside).
RUN_FILES = (
    "run.json",
    "history.csv",
    "checkpoint.weights.h5",
    "phase1.weights.h5",
    "phase2.weights.h5",
    "model.weights.h5",
    "train.json",
    "training_curves.png",
    "fold.json",
)


def train(
    name_or_model: str | Any,
    data: Any,
    *,
    out: str | os.PathLike | None = None,
    seed: int = 0,
    **options: Any,
) -> TrainResult:
    """Train a zoo model (or a Keras model) on ``data`` with its preset's recipe.

    Parameters
    ----------
    name_or_model : str, Preset or keras.Model
        A registry name (``"szanet"``, ``"inception_v3.covid3"``) or a :class:`Preset`
        (built from its own fields, see :func:`cxrzoo.build`), built with ``weights`` and
        ``input_shape``; or a Keras model taking [0, 255] images.
    data : path, dict of ImageSet or MultiLabelSet, ImageSet or MultiLabelSet
        A data set path (see :func:`cxrzoo.data.load`), the splits a loader returned, or
        one split. Training uses ``"train"`` (or the only split), validation uses
        ``"val"`` when present, otherwise a stratified ``validation_split`` of the training
        images (the recipe's, else 0.2), as 002's 80/20 split (by patient for a
        MultiLabelSet). Multi-label data (a :class:`~cxrzoo.data.MultiLabelSet`, e.g. from
        :func:`cxrzoo.data.load_nih`) trains one sigmoid unit per finding with the
        recipe's loss masked (missing labels ignored), the recipe's class-weight policy
        as per-finding weights (:meth:`cxrzoo.ClassWeight.finding_weights`) and every
        finding's AUC in the history (``auc_<finding>``, and their mean ``auc``).
    out : path, optional
        Folder for the history CSV, curves plot, weights, checkpoint, backup,
        ``run.json`` and ``train.json``. Without it nothing is written and a killed run
        cannot resume. A folder holding a run with other settings (``run.json``) is
        refused with a ValueError naming each difference; the same call resumes there.
        On several machines (``MultiWorkerMirroredStrategy``) only the chief writes it;
        the other workers train in a copy, ``out/workertemp_<id>/``, removed at the end
        (their result's ``out`` is None). See :mod:`cxrzoo.training.multiworker`.
    seed : int
        Seeds weight initialization (``keras.utils.set_random_seed``), the validation
        split, shuffling, sampling and augmentation.
    **options
        Any field of :class:`~cxrzoo.training.TrainOptions`: ``preset``, ``epochs``,
        ``fine_tune_epochs``, ``batch_size``, ``learning_rate``, ``input_shape``,
        ``weights`` (default ``"preset"``: the preset's own source; None: random),
        ``validation_split``, ``mixed_precision``, ``jit_compile``, ``strategy``,
        ``on_error``, ``callbacks``, ``verbose``.

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
    settings = TrainOptions.from_keywords("train", options)
    spec = RunSpec.make(name_or_model, settings)
    split = settings.validation_split or spec.recipe.validation_split or 0.2
    train_set, val_set, skipped = split_data(data, split, seed, settings.on_error)
    out_path = None if out is None else Path(out)
    strategy = settings.strategy or default_strategy()
    settings = dataclasses.replace(settings, strategy=strategy)
    with worker_folder(out_path, strategy) as folder:  # several machines: the chief writes
        _, result = run(spec, settings, train_set, val_set, out=folder, seed=seed, skipped=skipped)
    if folder != out_path:  # a non-chief worker's folder is removed
        result = dataclasses.replace(result, out=None)
    return result


def split_data(
    data: Any, validation_split: float | None, seed: int, on_error: str
) -> tuple[ImageSet, ImageSet | None, tuple[str, ...]]:
    """(train ImageSet, validation ImageSet or None, the unreadable files left out).

    Validation is the ``"val"`` split when there is one, else a stratified
    ``validation_split`` of the training images (None: no validation set).
    """
    if isinstance(data, (str, os.PathLike)):
        data = load(data)
    if isinstance(data, (ImageSet, MultiLabelSet)):
        data = {"train": data}
    if not isinstance(data, Mapping) or not data:
        raise TypeError(
            "data must be a path, an ImageSet or MultiLabelSet, or a dict of such splits"
        )
    if "train" in data:
        train_set = data["train"]
    elif len(data) == 1:
        train_set = next(iter(data.values()))
    else:
        raise ValueError(f"data has no 'train' split (splits: {sorted(data)})")
    given = [train_set, data.get("val")]
    train_set = readable(train_set, on_error=on_error)
    train_set.check_classes("the training data")
    val_set = None if given[1] is None else readable(given[1], on_error=on_error)
    skipped = unreadable(given[0], train_set) + unreadable(given[1], val_set)
    if val_set is not None or validation_split is None:
        return train_set, val_set, skipped
    return (*train_set.split(validation_split, seed=seed), skipped)


def unreadable(given: ImageSet | None, kept: ImageSet | None) -> tuple[str, ...]:
    """The files of ``given`` that :func:`~cxrzoo.data.readable` left out of ``kept``."""
    if given is None or given.paths is None or kept is None:
        return ()
    left = set(kept.paths or ())
    return tuple(p for p in given.paths if p not in left)


def run(
    spec: RunSpec,
    options: TrainOptions,
    train_set: ImageSet,
    val_set: ImageSet | None,
    *,
    out: Path | None,
    seed: int,
    skipped: tuple[str, ...] = (),
) -> tuple[Any, TrainResult]:
    """Build (in the strategy's scope), compile and fit every phase; write the outputs.

    Returns the model and its :class:`TrainResult`. With ``out``, a folder of another run
    is refused first (:func:`~cxrzoo.training.record.check_folder`), a killed run's
    temporaries are removed (:func:`prepare_folder`) and finished phases are loaded
    instead of trained again. ``skipped``: the unreadable files already left out.
    """
    record = None
    if out is not None:
        record = run_record(spec, options, train_set, val_set, seed)
        check_folder(out, record)
        prepare_folder(out)
    keras.utils.set_random_seed(seed)
    num_classes = len(train_set.class_names)
    multi = isinstance(train_set, MultiLabelSet)
    strategy = options.strategy or default_strategy()
    model = build_model(spec, options, num_classes, strategy, multi_label=multi)
    label_mode = "multi_label" if multi else spec.label_mode(model)
    train_pipe, val_pipe = pipelines(spec, model, train_set, val_set, seed, label_mode)
    weight, finding_weights = None, None
    if multi:
        finding_weights = spec.recipe.class_weight.finding_weights(*observed_counts(train_set))
    elif spec.recipe.class_weight.policy != "none":
        counts = list(train_set.counts.values())
        weight = dict(enumerate(spec.recipe.class_weight.weights(counts)))
    if spec.recipe.batchnorm_momentum is not None:
        set_batchnorm_momentum(model, spec.recipe.batchnorm_momentum)
    if out is not None and not (out / "run.json").is_file():  # the model is built: recorded
        write_atomic(out / "run.json", json.dumps(record, indent=2))
    history = HistoryCSV(None if out is None else out / "history.csv")
    fit = Fit(weight, label_mode, tuple(train_set.class_names), finding_weights)
    phases = fit_phases(model, spec, options, train_pipe, val_pipe, fit, strategy, history, out)
    result = TrainResult(
        model=model,
        name=spec.name,
        class_names=train_set.class_names,
        counts=train_set.counts,
        class_weight=weight,
        history=tuple(history.rows),
        skipped=tuple(
            dict.fromkeys(
                (*skipped, *train_pipe.skipped, *(() if val_pipe is None else val_pipe.skipped))
            )
        ),
        out=out,
        seed=seed,
        kept_epoch=kept_epoch(spec.recipe, history.rows, has_val=val_pipe is not None),
        settings={
            "preset": None if spec.preset is None else spec.preset.name,
            "input_shape": list(model.input_shape[1:]),
            "num_classes": num_classes,
            "label_mode": label_mode,
            "epochs": spec.epochs,
            "fine_tune_epochs": spec.fine_tune_epochs if phases > 1 else 0,
            "batch_size": spec.batch_size,
            "learning_rate": spec.learning_rate,
            "batchnorm_momentum": spec.recipe.batchnorm_momentum,
            "n_train": len(train_set),
            "n_val": 0 if val_set is None else len(val_set),
            "mixed_precision": options.mixed_precision,
            "jit_compile": options.jit_compile,
            "strategy": type(strategy).__name__,
            "replicas": int(strategy.num_replicas_in_sync),
            **(
                {}
                if finding_weights is None
                else {
                    "class_weight_policy": spec.recipe.class_weight.policy,
                    "positive_weights": list(finding_weights[0]),
                    "negative_weights": list(finding_weights[1]),
                }
            ),
        },
    )
    if out is not None:
        write_outputs(result, out)
    return model, result


def default_strategy():
    """``MirroredStrategy`` over every GPU when there are several, else the default one."""
    import tensorflow as tf

    if len(tf.config.list_logical_devices("GPU")) > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()


def observed_counts(images: Any) -> tuple[list[int], list[int]]:
    """(positive labels, labels that are not NaN) of every finding of a multi-label split."""
    labels = np.asarray(images.labels, float)
    known = ~np.isnan(labels)
    return (
        [int(c) for c in (np.where(known, labels, 0) > 0.5).sum(axis=0)],
        [int(c) for c in known.sum(axis=0)],
    )


@dataclass(frozen=True)
class Fit:
    """What ``model.fit`` and ``compile`` need from the data: the class weights of a
    single-label model, or the findings and their weights of a multi-label one."""

    class_weight: dict[int, float] | None
    label_mode: str
    findings: tuple[str, ...] = ()
    finding_weights: tuple[tuple[float, ...], tuple[float, ...]] | None = None


def build_model(
    spec: RunSpec, options: TrainOptions, num_classes: int, strategy, *, multi_label: bool = False
) -> Any:
    """The user's model, or the preset's built for the data's classes in the strategy's
    scope (under the ``mixed_float16`` policy, with a float32 output, when asked). For
    multi-label data a preset is built with one sigmoid unit per finding."""
    if options.mixed_precision and spec.model is not None:
        raise ValueError(
            "mixed_precision=True needs a registry name: the model is built under the policy"
        )
    old_policy = keras.mixed_precision.global_policy()
    try:
        if options.mixed_precision:
            keras.mixed_precision.set_global_policy("mixed_float16")
        with strategy.scope():
            model = spec.model
            if model is None:
                own, input_shape = spec.own, options.input_shape
                head = {"activation": "sigmoid", "multi_label": True} if multi_label else {}
                model = build(
                    own,
                    input_shape=None if input_shape is None else tuple(input_shape),
                    num_classes=num_classes if num_classes != own.num_classes else None,
                    weights=options.weights,
                    **head,
                )
            if options.mixed_precision:
                outputs = keras.layers.Activation("linear", dtype="float32", name="float32_output")(
                    model.outputs[0]
                )
                model = keras.Model(model.inputs, outputs, name=model.name)
    finally:
        keras.mixed_precision.set_global_policy(old_policy)
    if model.output_shape[-1] not in ((num_classes,) if multi_label else (1, num_classes)):
        what = "findings" if multi_label else "classes"
        raise ValueError(
            f"the model has {model.output_shape[-1]} outputs but the data has {num_classes} {what}"
        )
    return model


def pipelines(
    spec: RunSpec,
    model: Any,
    train_set: ImageSet,
    val_set: ImageSet | None,
    seed: int,
    label_mode: str | None = None,
) -> tuple[DataPipeline, DataPipeline | None]:
    """The training pipeline (seeded sampling and augmentation) and the validation one.

    Multi-label data is shuffled (class-balanced sampling has no meaning there)."""
    label_mode = label_mode or spec.label_mode(model)
    size, channels = tuple(model.input_shape[1:3]), model.input_shape[3]
    recipe = spec.recipe
    augment = augmentation(recipe.augmentations, seed=seed) if recipe.augmentations else None
    balanced = recipe.sampling == "inverse_frequency" and label_mode != "multi_label"
    sampling = "inverse_frequency" if balanced else "shuffle"
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
    return train_pipe, val_pipe


def fit_phases(
    model: Any,
    spec: RunSpec,
    options: TrainOptions,
    train_pipe: DataPipeline,
    val_pipe: DataPipeline | None,
    fit: Fit,
    strategy,
    history: HistoryCSV,
    out: Path | None,
) -> int:
    """Fit the first phase and, when the recipe has one, fine-tuning; a phase finished
    before an interruption (``out/phase{i}.weights.h5``) is loaded instead. Returns the
    number of phases planned."""
    recipe = spec.recipe
    phases = [(1, spec.epochs, spec.learning_rate)]
    if spec.fine_tune_epochs and recipe.fine_tune is not None:
        phases.append((2, spec.fine_tune_epochs, recipe.fine_tune.learning_rate))
    for phase, epochs, lr in phases:
        done = None if out is None else out / f"phase{phase}.weights.h5"
        if done is not None and done.is_file():  # finished before an interruption
            remove_backup(out / "backup" / f"phase{phase}")  # a kill may have left it
            if phase == 2:
                unfreeze_backbone(model, recipe.fine_tune.unfreeze)
            model.load_weights(done)
            continue
        with strategy.scope():
            if phase == 2 and not unfreeze_backbone(model, recipe.fine_tune.unfreeze):
                warnings.warn(
                    f"{spec.name}: the recipe has a fine-tuning phase but the model has no frozen "
                    "base to unfreeze; phase 2 is skipped",
                    UserWarning,
                    stacklevel=4,  # train's caller
                )
                break
            compile_model(
                model,
                recipe,
                lr,
                fit.label_mode,
                options.jit_compile,
                findings=fit.findings,
                finding_weights=fit.finding_weights,
            )
        has_val = val_pipe is not None
        history.phase = phase
        cbs = [*recipe_callbacks(recipe, lr, phase, has_val=has_val), history]
        if out is not None:
            monitor = "val_loss" if has_val else "loss"
            cbs.append(BestWeights(out / "checkpoint.weights.h5", monitor, history.rows))
            # writes the phase's weights (done) when the phase ends, then removes the backup
            cbs.append(Backup(str(out / "backup" / f"phase{phase}"), done=done))
        with multi_worker_fit(model, strategy, train_pipe.dataset.element_spec):
            model.fit(
                train_pipe.dataset,
                validation_data=None if val_pipe is None else val_pipe.dataset,
                epochs=epochs,
                shuffle=False,  # the pipeline shuffles, seeded
                class_weight=fit.class_weight,
                callbacks=[*cbs, *options.callbacks],
                verbose=options.verbose,
            )
    return len(phases)


def prepare_folder(out: Path) -> None:
    """Refuse a symbolic link as ``out/backup`` or one of its phase folders (Keras deletes
    inside them), and remove the temporaries a killed run left for :data:`RUN_FILES`."""
    backup = out / "backup"
    for folder in (backup, *(sorted(backup.glob("phase*")) if backup.is_dir() else ())):
        if folder.is_symlink():
            raise ValueError(
                f"{str(folder)!r} is a symbolic link: training writes its backup there and "
                "deletes it when a phase ends, so it must be a real folder (remove the link)"
            )
    for name in RUN_FILES:
        remove_temporaries(out, name)


def remove_backup(folder: Path) -> None:
    """Remove a finished phase's backup folder (never a symbolic link's target)."""
    if folder.is_symlink():
        folder.unlink()
    elif folder.is_dir():
        shutil.rmtree(folder)


def write_outputs(result: TrainResult, out: Path) -> None:
    """The final weights, ``train.json`` (with :data:`OUTPUT_FILES`, what each file is)
    and the training curves (the backup folder, empty once every phase has finished, is
    removed)."""
    with contextlib.suppress(OSError):  # empty once every phase has finished
        (out / "backup").rmdir()
    save_model_weights(result.model, out / "model.weights.h5")
    written = {"train.json", *(("training_curves.png",) if result.history else ())}
    files = {k: v for k, v in OUTPUT_FILES.items() if k in written or (out / k).is_file()}
    info = {**result.to_dict(), "files": files}
    write_atomic(out / "train.json", json.dumps(info, indent=2))
    if result.history:
        import matplotlib.pyplot as plt

        axes = result.plot()
        save_figure(axes[0].figure, out / "training_curves.png")
        plt.close(axes[0].figure)


#: What each file of a finished run is, as ``train.json`` records it (``files``).
OUTPUT_FILES = {
    "model.weights.h5": "the trained weights: use these (cxrzoo evaluate, cxrzoo.load_trained); "
    "the epoch they are from is kept_epoch",
    "train.json": "this file: classes, counts, settings, history, kept_epoch",
    "history.csv": "one row per epoch: losses, metrics, learning rate",
    "training_curves.png": "loss and AUC per epoch, training and validation, kept epoch marked",
    "run.json": "the settings that decide the result; a rerun into this folder must match them",
    "checkpoint.weights.h5": "an alternative: the weights of the lowest validation loss of the "
    "whole run (training loss without validation data)",
    "phase1.weights.h5": "resume marker: the weights at the end of phase 1 (a rerun of the same "
    "command loads it instead of training the phase again)",
    "phase2.weights.h5": "resume marker: the weights at the end of phase 2 (fine-tuning)",
}


def kept_epoch(recipe, rows, *, has_val: bool) -> dict[str, Any] | None:
    """The history row whose weights training ends with, as ``{"phase", "epoch", "rule"}``:
    the best epoch of the last phase by the recipe's early stopping when it restores its
    best weights (the first of equal values, as Keras), else the last epoch."""
    if not rows:
        return None
    phase = rows[-1]["phase"]
    last = [r for r in rows if r["phase"] == phase]
    kept, rule = last[-1], "the last epoch"
    for c in recipe.callbacks:
        if c.kind == "early_stopping" and c.restore_best_weights:
            monitor = c.monitor if has_val or not c.monitor.startswith("val_") else c.monitor[4:]
            sign = 1.0 if "loss" in monitor else -1.0  # Keras' 'auto' mode
            seen = [r for r in last if not math.isnan(r.get(monitor, math.nan))]
            if seen:
                kept = min(seen, key=lambda r: sign * r[monitor])
                best = "lowest" if sign > 0 else "highest"
                rule = f"the {best} {monitor} of phase {phase}, restored by early stopping"
    return {"phase": kept["phase"], "epoch": kept["epoch"], "rule": rule}
