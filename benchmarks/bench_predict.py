"""cxrzoo.predict / cxrzoo.evaluation.evaluate against model.predict on the same in-memory
arrays (target: ratio <= 1.05).

Data: N uniform-random uint8 grayscale images (default 2000) at the model's own input size
(64x64), so no resize is needed; the peer is ``model.predict`` on the same images as
float32 with the same batch size, in the same process. Each round times both (peer first,
then cxrzoo, alternating), after one warm-up call each; prints CPU and wall seconds, min
and median over rounds, and the ratios cxrzoo / model.predict.

    python benchmarks/bench_predict.py [--n 2000] [--rounds 7] [--model berreby_cnn]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def clock(fn):
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--model", default="berreby_cnn")
    args = parser.parse_args(argv)

    import cxrzoo
    from cxrzoo.data import ImageSet
    from cxrzoo.evaluation import evaluate, predict

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (args.n, args.size, args.size), dtype=np.uint8)
    labels = rng.integers(0, 2, args.n)
    data = ImageSet(("normal", "pneumonia"), labels, images=images)
    x = images.astype(np.float32)[..., None]
    model = cxrzoo.build(args.model, input_shape=(args.size, args.size, 1))
    bs = args.batch_size

    runs = {
        "model.predict": lambda: model.predict(x, batch_size=bs, verbose=0),
        "cxrzoo predict": lambda: predict(model, data, batch_size=bs),
        "cxrzoo evaluate": lambda: evaluate(model, data, batch_size=bs),
    }
    for fn in runs.values():  # warm-up: tracing, first allocations
        fn()
    times = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, fn in runs.items():
            times[name].append(clock(fn))
    same = np.array_equal(predict(model, data, batch_size=bs).y_score, runs["model.predict"]())
    print(
        f"data: {args.n} random uint8 images {args.size}x{args.size}x1 in memory (no resize), "
        f"model {args.model}, batch {bs}, {args.rounds} rounds, {os.cpu_count()} cores"
    )
    print(f"predict's scores equal model.predict's exactly: {same}\n")
    head = f"{'':<16}{'wall min':>9}{'wall med':>9}{'CPU min':>9}{'CPU med':>9}"
    print(head + f"{'ratio wall (med)':>18}{'ratio CPU (med)':>17}")
    base = times["model.predict"]
    bw = statistics.median(t[0] for t in base)
    bc = statistics.median(t[1] for t in base)
    for name, ts in times.items():
        walls, cpus = [t[0] for t in ts], [t[1] for t in ts]
        mw, mc = statistics.median(walls), statistics.median(cpus)
        print(
            f"{name:<16}{min(walls):9.3f}{mw:9.3f}{min(cpus):9.3f}{mc:9.3f}"
            f"{mw / bw:18.3f}{mc / bc:17.3f}"
        )
    print("\nratios are cxrzoo / model.predict (target <= 1.05 for predict)")


if __name__ == "__main__":
    main()
