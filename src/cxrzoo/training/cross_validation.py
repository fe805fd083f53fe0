"""k-fold cross-validation of a recipe (:func:`cross_validate`), one training run per fold."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import keras
import numpy as np
from sklearn.model_selection import StratifiedKFold

from cxreval._io import remove_temporaries, write_atomic
from cxrzoo._checks import check_int
from cxrzoo._workers import plan_workers, run_in_workers
from cxrzoo.data import ImageSet, MultiLabelSet, make_dataset
from cxrzoo.training.loop import run, split_data
from cxrzoo.training.options import RunSpec, TrainOptions
from cxrzoo.training.record import check_folder, run_record
from cxrzoo.training.results import CrossValidationResult

__all__ = ["cross_validate"]


def cross_validate(
    name_or_model: str | Any,
    data: Any,
    *,
    folds: int | None = None,
    out: str | os.PathLike | None = None,
    seed: int = 0,
    jobs: int = 1,
    threads: int | None = None,
    **options: Any,
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
    name_or_model, data
        As :func:`train`.
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
    out, seed
        As :func:`train`; fold ``i`` trains with seed ``seed + i``.
    **options
        Any field of :class:`~cxrzoo.training.TrainOptions` but ``validation_split``.

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
    settings = TrainOptions.from_keywords("cross_validate", options, exclude=("validation_split",))
    spec = RunSpec.make(name_or_model, settings)
    train_set, _, _ = split_data(data, None, seed, settings.on_error)
    if isinstance(train_set, MultiLabelSet):
        raise NotImplementedError(
            "cross_validate() folds are stratified by class; multi-label data (a "
            "MultiLabelSet) is not supported yet: train() with a patient-level 'val' split"
        )
    k = folds if folds is not None else (spec.recipe.cv_folds or 5)
    check_int(k, "folds", 2, expected="an integer >= 2")
    smallest = min(c for c in train_set.counts.values() if c)
    if smallest < k:
        raise ValueError(
            f"folds={k} needs at least {k} images of every class, the smallest has {smallest}"
        )
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    fold_jobs = [
        (spec, train_set.subset(fit_idx), train_set.subset(held_idx), i, out, seed + i, settings)
        for i, (fit_idx, held_idx) in enumerate(
            splitter.split(np.zeros(len(train_set)), train_set.labels), 1
        )
    ]
    plan = plan_workers(jobs, threads, k, settings.keywords())
    if plan is None:
        scores = [cross_validation_fold(*job) for job in fold_jobs]
    else:
        workers, threads = plan
        scores = run_in_workers(
            cross_validation_fold,
            fold_jobs,
            [f"fold {job[3]}" for job in fold_jobs],
            workers=workers,
            threads=threads,
        )
    result = CrossValidationResult(name=spec.name, folds=tuple(scores), seed=seed)
    if out is not None:
        remove_temporaries(out, "cross_validation.json")
        write_atomic(Path(out) / "cross_validation.json", json.dumps(result.to_dict(), indent=2))
    return result


def cross_validation_fold(
    spec: RunSpec,
    fit: ImageSet,
    held: ImageSet,
    i: int,
    out: str | os.PathLike | None,
    seed: int,
    options: TrainOptions,
) -> dict[str, Any]:
    """Fold ``i``: a fresh model trained on ``fit``, scored on ``held`` (``out/fold{i}``
    is written, and a fold finished before is read back instead of trained again)."""
    fold_out = None if out is None else Path(out) / f"fold{i}"
    done = None if fold_out is None else fold_out / "fold.json"
    if done is not None and done.is_file():  # finished: read back if it is the same run
        check_folder(fold_out, run_record(spec, options, fit, held, seed))
        return json.loads(done.read_text())
    keras.utils.set_random_seed(seed)  # the fresh copy's weights: the fold's own, anywhere
    fresh = spec if spec.model is None else replace(spec, model=fresh_copy(spec.model))
    model, _ = run(fresh, options, fit, held, out=fold_out, seed=seed)
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
        write_atomic(done, json.dumps(row, indent=2))
    return row


def fresh_copy(model):
    """The same architecture with newly initialized weights (one per fold)."""
    copy = keras.models.clone_model(model)
    for layer, original in zip(copy.layers, model.layers, strict=True):
        layer.trainable = original.trainable
    return copy
