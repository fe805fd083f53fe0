"""Run independent trainings side by side in worker processes with a CPU-thread budget.

The one engine behind :func:`cxrzoo.train_seeds` (one model per seed) and
:func:`cxrzoo.cross_validate` (one model per fold) with ``jobs >= 2``: each job runs in
a process started with ``spawn`` (TensorFlow does not survive ``fork``) whose TensorFlow
thread pools are limited before it runs anything, and results come back in the order
the jobs were given, whatever order they finish in.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

from cxrzoo._checks import check_int

#: ``cxrzoo.train`` options a worker process cannot be handed.
IN_PROCESS_ONLY = ("strategy",)


def plan_workers(
    jobs: int, threads: int | None, n_jobs: int, options: dict[str, Any]
) -> tuple[int, int] | None:
    """How to run ``n_jobs`` trainings: None for one after the other in this process
    (``jobs=1`` without ``threads``), else ``(workers, threads per worker)``.

    ``jobs`` beyond ``n_jobs`` are not started; ``threads`` defaults to the CPU count
    divided by the workers, at least 1. Raises ValueError unless ``jobs`` (and
    ``threads``, when given) are positive integers, or for ``train`` options
    (:data:`IN_PROCESS_ONLY`) that cannot cross to a worker process.
    """
    check_int(jobs, "jobs", expected="a positive integer")
    check_int(threads, "threads", expected="a positive integer", optional=True)
    workers = min(jobs, n_jobs)
    if workers == 1 and threads is None:
        return None
    passed = [name for name in IN_PROCESS_ONLY if options.get(name) is not None]
    if passed:
        raise ValueError(
            f"{', '.join(passed)} cannot be handed to a worker process; use jobs=1 "
            "without threads to train in this process"
        )
    return workers, threads or max(1, (os.cpu_count() or 1) // workers)


def run_in_workers(
    function: Callable[..., Any],
    jobs_arguments: Sequence[tuple],
    names: Sequence[str],
    *,
    workers: int,
    threads: int,
    announce: Callable[[str, Any, int], None] | None = None,
) -> list[Any]:
    """``[function(*args) for args in jobs_arguments]``, ``workers`` at a time.

    ``function`` and every argument must be picklable (a top-level function). An error
    is raised again here with a note naming the job (``names[i]``) and the jobs not yet
    started are cancelled. ``announce(name, result, done)`` is called as each job ends.
    """
    context = multiprocessing.get_context("spawn")
    results: dict[int, Any] = {}
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=limit_threads, initargs=(threads,)
    ) as pool:
        futures = {pool.submit(function, *args): i for i, args in enumerate(jobs_arguments)}
        try:
            for future in concurrent.futures.as_completed(futures):
                i = futures[future]
                try:
                    results[i] = future.result()
                except Exception as error:
                    error.add_note(f"while training {names[i]} in a worker process")
                    raise
                if announce is not None:
                    announce(names[i], results[i], len(results))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return [results[i] for i in range(len(jobs_arguments))]


def limit_threads(threads: int) -> None:
    """Worker start-up: TensorFlow's intra- and inter-op thread pools, before any work."""
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
