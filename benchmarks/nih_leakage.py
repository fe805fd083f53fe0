"""Patient leakage in NIH ChestX-ray14: the official split against a random image-level split.

Reads the real metadata in ``../shared/data/nih_chestxray14/`` (patient ID of every image
and the official patient-wise ``train_val`` / ``test`` split; no images) and runs
:func:`cxreval.leakage.patient_overlap` on

1. the official split: it must come out clean;
2. a random split of the *images* with the same test fraction (seeded): it must not --
   most patients have several images, so most of them land on both sides.

    python benchmarks/nih_leakage.py [--data ../shared/data/nih_chestxray14] [--seed 17]

Exits 0 after printing the two tables; says so and exits 0 when the data is absent.
"""

from __future__ import annotations

import argparse
import csv
import gzip
from pathlib import Path

import numpy as np

from cxreval.leakage import PatientOverlap, patient_overlap

ROOT = Path(__file__).resolve().parents[1]
#: Where the metadata is looked for by default (beside the project, as tests/conftest.py).
NIH_FOLDER = ROOT.parent / "shared" / "data" / "nih_chestxray14"
SEED = 17


def read_nih_metadata(folder: str | Path = NIH_FOLDER) -> dict[str, np.ndarray] | None:
    """``{"image", "patient", "split", "age", "sex", "view"}`` arrays, one entry per image.

    The official split is joined on the image name. Returns None when the files are
    absent (a fresh clone).
    """
    folder = Path(folder)
    meta = folder / "nih_chestxray14_metadata.csv.gz"
    split_file = folder / "nih_chestxray14_split.csv.gz"
    if not (meta.is_file() and split_file.is_file()):
        return None
    with gzip.open(meta, "rt", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    col = {name: i for i, name in enumerate(header)}
    sex = col.get("Patient Gender", col.get("Patient Sex"))
    with gzip.open(split_file, "rt", newline="") as fh:
        official = {row["image"]: row["split"] for row in csv.DictReader(fh)}
    image = np.array([r[col["Image Index"]] for r in rows])
    return {
        "image": image,
        "patient": np.array([int(r[col["Patient ID"]]) for r in rows]),
        "split": np.array([official[i] for i in image]),
        "age": np.array([int(r[col["Patient Age"]]) for r in rows]),
        "sex": np.array([r[sex] for r in rows]),
        "view": np.array([r[col["View Position"]] for r in rows]),
    }


def random_image_split(split: np.ndarray, seed: int = SEED) -> np.ndarray:
    """The same split sizes, but images shuffled at random (ignoring patients)."""
    return np.random.default_rng(seed).permutation(split)


def run(folder: str | Path = NIH_FOLDER, seed: int = SEED) -> dict[str, PatientOverlap] | None:
    """The leakage of the official and of a random image-level split (None without data)."""
    data = read_nih_metadata(folder)
    if data is None:
        return None
    return {
        "official patient-wise split": patient_overlap(data["patient"], data["split"]),
        f"random image-level split (seed {seed})": patient_overlap(
            data["patient"], random_image_split(data["split"], seed)
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(NIH_FOLDER), help="the nih_chestxray14 folder")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    results = run(args.data, args.seed)
    if results is None:
        print(f"NIH metadata not found in {args.data}: nothing to check (skipped)")
        return 0
    for name, result in results.items():
        print(f"== {name}\n{result.table()}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
