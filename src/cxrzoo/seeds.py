"""Several seeds of one recipe, trained side by side in worker processes (an ensemble).

An ensemble of seeds is the most reliable way to gain AUC from a recipe, and on a CPU it
need not cost the sum of its members' times. TensorFlow spreads one small model's
operations badly over a CPU's cores (DenseNet121 at 32x32 ran a training step no faster
with 2 threads than with 1 on a 2-core machine), so :func:`train_seeds` trains
``jobs`` models at once, each in its own process with ``threads`` CPU threads: two
DenseNet121 seeds of the PneumoniaMNIST benchmark trained in 6.4 min side by side
against 10.5 min one after the other (see the training guide).

Every worker runs :func:`cxrzoo.train` unchanged, so a member trained here equals one
trained by ``train`` with the same seed and the same number of threads.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from cxrzoo._checks import is_int
from cxrzoo._workers import plan_workers, run_in_workers
from cxrzoo.preset import Preset
from cxrzoo.training.options import TrainOptions

__all__ = ["train_seeds"]


def train_seeds(
    name_or_builder: str | Preset | Callable[[], Any],
    data: Any,
    seeds: Sequence[int] = (0, 1),
    *,
    jobs: int = 1,
    threads: int | None = None,
    out: str | os.PathLike | None = None,
    **options: Any,
) -> tuple[Any, ...]:
    """Train one model per seed with the same recipe, ``jobs`` of them at a time.

    Parameters
    ----------
    name_or_builder : str, Preset or callable
        A registry name or a preset (built by :func:`cxrzoo.train`, a preset from its own
        fields and trained with its own recipe), or a function of no
        arguments that returns a new Keras model, such as
        ``functools.partial(cxrzoo.build, "densenet121", num_classes=2)``. It is called
        in the worker after ``keras.utils.set_random_seed(seed)``, so each seed starts
        from its own weights. A built ``keras.Model`` cannot be shared between
        processes and is refused.
    data : path, dict of ImageSet or ImageSet
        As :func:`cxrzoo.train`; a path is loaded by every worker.
    seeds : sequence of int
        One model per seed, distinct.
    jobs : int
        Models trained at once. With ``jobs=1`` and no ``threads`` the seeds train one
        after the other in this process; otherwise every model trains in a worker
        process of its own (started with ``spawn``; in a script, call this under
        ``if __name__ == "__main__":``). More jobs than seeds are not started. Use
        ``jobs=1`` on a GPU: worker processes do not share one.
    threads : int, optional
        TensorFlow CPU threads of each worker (intra- and inter-op); default the CPU
        count divided by ``jobs``, at least 1.
    out : path, optional
        Folder of the runs: seed ``s`` writes to ``out/seed{s}`` as :func:`cxrzoo.train`
        does with ``out=`` (a killed run started again continues where it stopped).
    **options
        Any field of :class:`~cxrzoo.training.TrainOptions`, passed to
        :func:`cxrzoo.train` (``preset``, ``epochs``, ``batch_size``, ...; ``weights``
        defaults to ``"preset"``, the preset's own source); ``seed`` is set per member.
        ``strategy`` needs ``jobs=1``. ``verbose``: Keras' progress output of each
        member (0 silent); unless 0, a line as each member finishes.

    Returns
    -------
    tuple of TrainResult
        In the order of ``seeds``. Each result's ``settings`` adds ``train_seconds``
        (the member's own training time), ``threads`` (None: this process's) and
        ``jobs``.

    Raises
    ------
    TypeError
        For a built Keras model or a builder that is not callable.
    ValueError
        For empty or repeated seeds, ``jobs`` or ``threads`` below 1, or an option a
        worker cannot take. An error in a worker is raised again here, with a note
        naming its seed.

    Examples
    --------
    >>> import cxrzoo
    >>> from cxrzoo.data import synthetic
    >>> results = cxrzoo.train_seeds("szanet", synthetic(40, size=32), seeds=(0, 1),
    ...                              input_shape=(32, 32, 1), epochs=1, verbose=0)
    >>> [r.seed for r in results]
    [0, 1]
    >>> cxrzoo.predict(results, synthetic(6, size=32)).y_score.shape  # the ensemble's mean
    (6, 1)
    """
    seeds = _check_seeds(seeds)
    _check_builder(name_or_builder)
    if "seed" in options:
        raise ValueError("'seed' is set per member by train_seeds; give seeds=")
    settings = TrainOptions.from_keywords("train_seeds", options)
    plan = plan_workers(jobs, threads, len(seeds), settings.keywords())
    tasks = [
        (name_or_builder, data, seed, None if out is None else Path(out) / f"seed{seed}")
        for seed in seeds
    ]
    if plan is None:
        return tuple(_train_member(*task, options, None, 1) for task in tasks)
    workers, threads = plan
    return tuple(
        run_in_workers(
            _train_member,
            [(*task, options, threads, workers) for task in tasks],
            [f"seed {seed}" for seed in seeds],
            workers=workers,
            threads=threads,
            announce=_announce if settings.verbose != 0 else None,
        )
    )


def _check_seeds(seeds: Sequence[int]) -> list[int]:
    try:
        seeds = list(seeds)
    except TypeError:
        raise ValueError(f"seeds must be a sequence of integers, got {seeds!r}") from None
    if not seeds:
        raise ValueError("seeds is empty: give at least one seed")
    if not all(is_int(s) for s in seeds):
        raise ValueError(f"seeds must be integers, got {seeds!r}")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct (one model each), got {seeds!r}")
    return seeds


def _check_builder(name_or_builder: Any) -> None:
    if hasattr(name_or_builder, "fit") and hasattr(name_or_builder, "compile"):
        raise TypeError(
            "train_seeds builds every member itself: pass a registry name or a function "
            "that builds the model (e.g. functools.partial(cxrzoo.build, 'densenet121', "
            "num_classes=2)), not a built keras.Model"
        )
    if not isinstance(name_or_builder, (str, Preset)) and not callable(name_or_builder):
        raise TypeError(
            "name_or_builder must be a registry name, a Preset or a function returning a "
            f"keras.Model, got {type(name_or_builder).__name__}"
        )


def _train_member(name_or_builder, data, seed, out, options, threads, jobs):
    """One member: seed, build, train; its time and threads added to its settings."""
    import keras

    from cxrzoo.training import train

    if isinstance(name_or_builder, (str, Preset)):
        model = name_or_builder
    else:
        keras.utils.set_random_seed(seed)
        model = name_or_builder()
    start = time.perf_counter()
    result = train(model, data, seed=seed, out=out, **options)
    seconds = time.perf_counter() - start
    settings = {**result.settings, "train_seconds": seconds, "threads": threads, "jobs": jobs}
    return replace(result, settings=settings)


def _announce(name: str, result: Any, done: int) -> None:
    minutes = result.settings["train_seconds"] / 60
    print(f"{name} trained in {minutes:.1f} min ({done} done)", flush=True)
