"""cxrzoo.data.make_dataset against Keras' image_dataset_from_directory on the same folder.

Writes N grayscale JPEGs (default 600, 512x512) to a temporary folder, then times three
epochs at 64x64 through (a) make_dataset -- which first decodes every file once to find
unreadable ones, then caches -- and (b) keras.utils.image_dataset_from_directory with
.cache(). Data: random-noise JPEGs, half per class, read in shuffled order by both. Prints
CPU and wall seconds (min and median over ``--rounds``, each round a fresh folder read)
and the ratio (a) / (b). Run: python -m benchmarks.bench_pipeline [--n 600] [--rounds 3]

Measured on 2 shared CPU cores (600 images): 3.5 s vs 1.3 s, ratio 2.7 -- the price of the
up-front check (one extra decode of every file) and of the antialiased resize.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from benchmarks.timing import HEADER, Timing, measure, table

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def write_folder(root: Path, n: int, size: int = 512) -> None:
    rng = np.random.default_rng(0)
    for i in range(n):
        folder = root / "train" / ("NORMAL" if i % 2 else "PNEUMONIA")
        folder.mkdir(parents=True, exist_ok=True)
        image = rng.integers(0, 255, (size, size), dtype=np.uint8)
        Image.fromarray(image).save(folder / f"{i}.jpeg", quality=90)


def epochs(dataset, n_epochs: int = 3) -> float:
    start = time.perf_counter()
    for _ in range(n_epochs):
        for _batch in dataset:
            pass
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    import keras

    from cxrzoo.data import load_folders, make_dataset

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=600, help="JPEGs written")
    parser.add_argument("--size", type=int, default=512, help="their side in pixels")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    ours, theirs = Timing("cxrzoo make_dataset (checks every file)"), Timing("keras + cache")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_folder(root, args.n, args.size)

        def run_ours():
            built = make_dataset(
                load_folders(root)["train"], size=64, channels=1, batch_size=32,
                sampling="shuffle",
            ).dataset  # fmt: skip
            epochs(built)

        def run_theirs():
            built = keras.utils.image_dataset_from_directory(
                root / "train", image_size=(64, 64), color_mode="grayscale", batch_size=32,
                seed=0, verbose=False,
            ).cache()  # fmt: skip
            epochs(built)

        for _ in range(args.rounds):
            measure(ours, run_ours)
            measure(theirs, run_theirs)
    print(
        f"{args.n} random-noise JPEGs {args.size}x{args.size} -> 64x64, shuffled, 3 epochs; "
        f"{args.rounds} rounds; {os.cpu_count()} cores"
    )
    print(table([ours.row(theirs), theirs.row(theirs)], [*HEADER, "/keras wall", "/keras CPU"]))


if __name__ == "__main__":
    main()
