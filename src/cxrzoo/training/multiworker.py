"""Training on several machines (``tf.distribute.MultiWorkerMirroredStrategy``): who
writes where, and the two steps of Keras 3's ``fit`` that fail there, done right.

Who writes: the chief writes ``out``; every other worker trains in a copy of it that is
removed when it ends (TensorFlow's advice: all workers save, each to its own place).
Every worker of ``tf.distribute.MultiWorkerMirroredStrategy`` runs the same
:func:`cxrzoo.train` call. Saving is done by every worker (the weights of one worker may
need the others), so the non-chief workers must write somewhere: into
``out/workertemp_<task id>/``, which starts as a copy of the run's state in ``out`` (so
that they resume from the same backup as the chief, and skip the same finished phases)
and is removed at the end. A worker killed before that leaves its folder behind; the
next run of the same worker removes it first.
"""

from __future__ import annotations

import contextlib
import shutil
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["is_chief", "multi_worker_fit", "worker_folder", "worker_task"]

#: Prefix of a non-chief worker's folder inside ``out``.
WORKER_FOLDER = "workertemp_"


def worker_task(strategy: Any) -> tuple[str | None, int | None]:
    """``(task type, task id)`` of this process in a multi-worker strategy, else
    ``(None, None)`` (one process: the default, ``MirroredStrategy``, ...).

    Examples
    --------
    >>> import tensorflow as tf
    >>> worker_task(tf.distribute.get_strategy())
    (None, None)
    """
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not resolver.cluster_spec().as_dict():
        return None, None
    return resolver.task_type, resolver.task_id


def is_chief(strategy: Any) -> bool:
    """True for the process that writes the run's outputs: the only one, the ``"chief"``
    task, or worker 0 of a cluster without a chief (TensorFlow's convention).

    Examples
    --------
    >>> import tensorflow as tf
    >>> is_chief(tf.distribute.get_strategy())
    True
    """
    task_type, task_id = worker_task(strategy)
    if task_type is None or task_type == "chief":
        return True
    cluster = strategy.cluster_resolver.cluster_spec().as_dict()
    return task_type == "worker" and task_id == 0 and "chief" not in cluster


@contextlib.contextmanager
def worker_folder(out: Path | None, strategy: Any) -> Iterator[Path | None]:
    """The folder this process writes its run into: ``out`` on the chief; on another
    worker a fresh copy of ``out``'s finished files (temporaries left out) in
    ``out/workertemp_<task id>/``, removed when the block ends, even on an error.

    Examples
    --------
    >>> import tempfile, tensorflow as tf
    >>> from pathlib import Path
    >>> out = Path(tempfile.mkdtemp())
    >>> with worker_folder(out, tf.distribute.get_strategy()) as folder:
    ...     folder == out
    True
    """
    if out is None or is_chief(strategy):
        yield out
        return
    _, task_id = worker_task(strategy)
    folder = out / f"{WORKER_FOLDER}{task_id}"
    shutil.rmtree(folder, ignore_errors=True)  # a killed run's
    copy_state(out, folder)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def copy_state(source: Path, target: Path) -> None:
    """Copy the files of ``source`` and its subfolders into ``target``, leaving out hidden
    files (temporaries) and other workers' folders; a file the chief removes meanwhile
    is left out too."""
    target.mkdir(parents=True)
    if not source.is_dir():
        return
    for item in source.iterdir():
        if item.name.startswith((".", WORKER_FOLDER)) or item.is_symlink():
            continue
        with contextlib.suppress(FileNotFoundError):
            if item.is_dir():
                copy_state(item, target / item.name)
            else:
                shutil.copy2(item, target / item.name)


@contextlib.contextmanager
def multi_worker_fit(model: Any, strategy: Any, element_spec: Any) -> Iterator[None]:
    """Make ``model.fit`` work on several workers (no effect on one process).

    Keras 3 (up to 3.15 at least, keras-team/keras#20585) fails there in two places,
    both replaced for the duration of the block:

    * before training, it reduces a first batch across the workers to build the
      optimizer and metrics, which fails; and that batch is taken from the training
      data, so the first epoch would see the shuffled order of the second. The model is
      built here from ``element_spec`` (the training dataset's) instead, no data read;
    * after each step, it averages the scalar logs (loss, metrics) across workers along
      an axis they do not have; they are averaged as scalars here.

    Examples
    --------
    >>> import keras, tensorflow as tf
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> with multi_worker_fit(model, tf.distribute.get_strategy(), None):
    ...     pass
    """
    if worker_task(strategy)[0] is None:
        yield
        return
    import keras
    import keras.src.backend.tensorflow.trainer as keras_trainer

    with strategy.scope():
        model._symbolic_build(data_batch=element_spec)
    model._maybe_symbolic_build = types.MethodType(lambda self, **kwargs: None, model)
    keras_reduce = keras_trainer.reduce_per_replica

    def reduce_per_replica(values, strategy, reduction):
        if reduction not in ("auto", "mean"):
            return keras_reduce(values, strategy, reduction)

        def reduce(value):
            first = value.values[0] if hasattr(value, "values") else value
            if getattr(first, "shape", None) is not None and first.shape.rank == 0:
                return strategy.reduce("MEAN", value, axis=None)
            return keras_reduce(value, strategy, reduction)

        return keras.tree.map_structure(reduce, values)

    keras_trainer.reduce_per_replica = reduce_per_replica
    try:
        yield
    finally:
        keras_trainer.reduce_per_replica = keras_reduce
        del model._maybe_symbolic_build
