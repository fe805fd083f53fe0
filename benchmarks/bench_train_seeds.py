"""cxrzoo.train_seeds with two jobs against the same seeds one after the other.

Trains two seeds of a zoo model on synthetic phantoms with the model's preset recipe (one
epoch each by default) twice: (a) one after the other in one worker process with every
CPU thread (``jobs=1, threads=os.cpu_count()``) and (b) side by side, ``jobs=2`` worker
processes of ``os.cpu_count() // 2`` threads each. Both include starting the workers.
Prints the wall-clock seconds and the ratio (a) / (b): above 1, the ensemble trains faster
side by side. Run: python benchmarks/bench_train_seeds.py [MODEL] [SIZE] [N] [EPOCHS]
(default densenet121.pneumoniamnist 32 1024 1).

Measured on 2 CPU cores (densenet121.pneumoniamnist, 32x32, 1,024 images, 1 epoch, the
defaults): 149.6 s one after the other against 84.6 s side by side, ratio 1.77. Full
PneumoniaMNIST training (8 epochs) gave 10.5 min against 6.4 min for two DenseNet121 seeds
(the training guide's "Several seeds at once").
"""

import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def timed(**kwargs) -> float:
    from cxrzoo.data import synthetic
    from cxrzoo.seeds import train_seeds

    name, size, n, epochs = kwargs.pop("setup")
    data = {"train": synthetic(n, size=size, seed=0), "val": synthetic(n // 4, size=size, seed=1)}
    start = time.perf_counter()
    train_seeds(name, data, (0, 1), input_shape=(size, size, 1), epochs=epochs, verbose=0, **kwargs)
    return time.perf_counter() - start


def main() -> None:
    args = sys.argv[1:]
    name = args[0] if args else "densenet121.pneumoniamnist"
    size = int(args[1]) if len(args) > 1 else 32
    n = int(args[2]) if len(args) > 2 else 1024
    epochs = int(args[3]) if len(args) > 3 else 1
    cpus = os.cpu_count() or 1
    setup = (name, size, n, epochs)
    print(f"{name} at {size}x{size}, {n} synthetic images, {epochs} epoch(s), 2 seeds, {cpus} CPUs")
    one_by_one = timed(setup=setup, jobs=1, threads=cpus)
    print(f"(a) one after the other, 1 worker x {cpus} threads: {one_by_one:7.1f} s")
    side_by_side = timed(setup=setup, jobs=2, threads=max(1, cpus // 2))
    print(f"(b) side by side, 2 workers x {max(1, cpus // 2)} threads: {side_by_side:7.1f} s")
    print(f"ratio (a) / (b): {one_by_one / side_by_side:.2f}")


if __name__ == "__main__":
    main()
