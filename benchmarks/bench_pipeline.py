"""cxrzoo.data.make_dataset against Keras' image_dataset_from_directory on the same folder.

Writes N grayscale JPEGs (default 600, 512x512) to a temporary folder, then times three
epochs at 64x64 through (a) make_dataset -- which first decodes every file once to find
unreadable ones, then caches -- and (b) keras.utils.image_dataset_from_directory with
.cache(). Prints seconds and the ratio (a) / (b). Run: python benchmarks/bench_pipeline.py [N]

Measured on 2 shared CPU cores (600 images): 3.5 s vs 1.3 s, ratio 2.7 -- the price of the
up-front check (one extra decode of every file) and of the antialiased resize.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def write_folder(root: Path, n: int) -> None:
    rng = np.random.default_rng(0)
    for i in range(n):
        folder = root / "train" / ("NORMAL" if i % 2 else "PNEUMONIA")
        folder.mkdir(parents=True, exist_ok=True)
        image = rng.integers(0, 255, (512, 512), dtype=np.uint8)
        Image.fromarray(image).save(folder / f"{i}.jpeg", quality=90)


def epochs(dataset, n_epochs: int = 3) -> float:
    start = time.perf_counter()
    for _ in range(n_epochs):
        for _batch in dataset:
            pass
    return time.perf_counter() - start


def main() -> None:
    import keras

    from cxrzoo.data import load_folders, make_dataset

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_folder(root, n)
        start = time.perf_counter()
        ours = make_dataset(
            load_folders(root)["train"], size=64, channels=1, batch_size=32, sampling="shuffle"
        ).dataset
        ours_time = time.perf_counter() - start + epochs(ours)
        start = time.perf_counter()
        theirs = keras.utils.image_dataset_from_directory(
            root / "train",
            image_size=(64, 64),
            color_mode="grayscale",
            batch_size=32,
            seed=0,
            verbose=False,
        ).cache()
        theirs_time = time.perf_counter() - start + epochs(theirs)
    print(f"{n} JPEGs 512x512 -> 64x64, 3 epochs")
    print(f"cxrzoo make_dataset (checks every file first): {ours_time:.2f} s")
    print(f"keras image_dataset_from_directory + cache:    {theirs_time:.2f} s")
    print(f"ratio cxrzoo / keras: {ours_time / theirs_time:.2f}")


if __name__ == "__main__":
    main()
