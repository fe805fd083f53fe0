"""Images per second of cxrzoo.train against a bare model.fit on the same in-memory arrays.

The same model (SZANet at 32x32x1, random weights), the same batch size, optimizer
(Adam 1e-3), loss and metrics, the same training and validation images, for a
single-label (two classes, sigmoid, binary cross-entropy + AUC) and a 14-finding
multi-label task (one sigmoid per finding, masked cross-entropy, 15 masked AUCs, a fifth
of the labels NaN). The recipe has no augmentation, class weights or callbacks, so the
difference is cxrzoo's own cost: the tf.data pipeline (uint8 cache, seeded shuffle,
casting), the seeded set-up, the history callback and the result. Each side is timed from
the call (model build and compile included) to the trained model; rounds alternate the two
sides. Prints, per task and side, the wall and CPU seconds (min and median over the
rounds), images per second (training images x epochs / median wall time) and the ratios
of the minimum and of the median wall times (cxrzoo / bare).

Run: ``PYTHONPATH=src python benchmarks/bench_train_throughput.py [N_IMAGES] [ROUNDS]``
(defaults 256 and 3: about two minutes on two shared CPU cores).
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

SIZE, EPOCHS, BATCH, FINDINGS = 32, 2, 32, 14
NAMES = tuple(f"finding_{i}" for i in range(FINDINGS))


def data(n: int, multi: bool, seed: int = 0):
    """(images uint8 (n, 32, 32), labels): ints 0/1, or an (n, 14) float matrix with NaN."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 255, (n, SIZE, SIZE), dtype=np.uint8)
    if not multi:
        return images, rng.integers(0, 2, n)
    labels = (rng.random((n, FINDINGS)) < 0.2).astype("float32")
    labels[rng.random((n, FINDINGS)) < 0.2] = np.nan
    return images, labels


def as_split(images, labels, multi: bool):
    from cxrzoo.data import ImageSet

    if not multi:
        return ImageSet(("normal", "pneumonia"), labels, images=images)
    from cxrzoo.data import MultiLabelSet

    return MultiLabelSet(NAMES, labels, images=images)


def timed(function, *args) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def run_cxrzoo(train, val, multi: bool) -> None:
    import cxrzoo
    from cxrzoo.recipe import Recipe

    preset = dataclasses.replace(
        cxrzoo.get_preset("szanet"),
        recipe=Recipe("adam", 1e-3, EPOCHS, BATCH, metrics=("binary_accuracy",)),
    )
    cxrzoo.train(
        preset,
        {"train": as_split(*train, multi), "val": as_split(*val, multi)},
        input_shape=(SIZE, SIZE, 1),
        weights=None,
        verbose=0,
    )


def run_bare(train, val, multi: bool) -> None:
    import keras

    import cxrzoo
    from cxrzoo.training.multilabel import MaskedBinaryCrossentropy, finding_metrics

    keras.utils.set_random_seed(0)
    head = {"num_classes": FINDINGS, "multi_label": True, "activation": "sigmoid"} if multi else {}
    model = cxrzoo.build("szanet", input_shape=(SIZE, SIZE, 1), **head)
    if multi:
        loss, metrics = MaskedBinaryCrossentropy(), finding_metrics(NAMES)
    else:
        loss, metrics = "binary_crossentropy", ["binary_accuracy", keras.metrics.AUC(name="auc")]
    model.compile(keras.optimizers.Adam(1e-3), loss=loss, metrics=metrics)

    def arrays(images, labels):
        y = labels.astype("float32")
        y = y if multi else y[:, None]
        return images[..., None].astype("float32"), y

    model.fit(
        *arrays(*train),
        validation_data=arrays(*val),
        epochs=EPOCHS,
        batch_size=BATCH,
        shuffle=True,
        verbose=0,
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(
        f"SZANet {SIZE}x{SIZE}x1, {n} training + {n // 4} validation images in memory, "
        f"batch {BATCH}, {EPOCHS} epochs, {rounds} rounds (build and compile included)\n"
    )
    header = f"{'task':<14}{'side':<9}{'wall min':>9}{'median':>8}{'cpu min':>9}"
    print(header + f"{'median':>8}{'img/s':>8}{'ratio min':>10}{'median':>8}")
    for multi in (False, True):
        train, val = data(n, multi), data(n // 4, multi, seed=1)
        times = {"cxrzoo": [], "bare": []}
        for _ in range(rounds):
            times["cxrzoo"].append(timed(run_cxrzoo, train, val, multi))
            times["bare"].append(timed(run_bare, train, val, multi))
        medians = {side: statistics.median(w for w, _ in t) for side, t in times.items()}
        mins = {side: min(w for w, _ in t) for side, t in times.items()}
        for side, t in times.items():
            walls, cpus = [w for w, _ in t], [c for _, c in t]
            ratio = (
                f"{mins['cxrzoo'] / mins['bare']:10.2f}{medians['cxrzoo'] / medians['bare']:8.2f}"
                if side == "cxrzoo"
                else ""
            )
            print(
                f"{'14 findings' if multi else 'single-label':<14}{side:<9}{min(walls):9.2f}"
                f"{medians[side]:8.2f}{min(cpus):9.2f}{statistics.median(cpus):8.2f}"
                f"{n * EPOCHS / medians[side]:8.0f}{ratio}"
            )


if __name__ == "__main__":
    main()
